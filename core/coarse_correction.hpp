#pragma once
/// \file
/// Coarse propagators that learn from the run: a correction decorates any coarse propagator G with what
/// the fine solves of the run have shown about F (Krylov-subspace Parareal, RandNet-Parareal).
///
/// Every correction is written as a correction of the increment. After the fine phase of iteration k
/// each slice n has an anchor a = U_n^(k-1) (the input of its latest fine result F_n(a)) and the plain
/// coarse value G_n(a); the sweep computes
///
///   U_(n+1)^k = F_n(a) + ((G_n(u') - G_n(a)) + e),   u = U_n^k,
///
/// where the correction chooses the coarse input u' (u itself, or u shifted) and the added vector e.
/// The corrected propagator is therefore evaluated at u and at a with the same model (Gc(a) = G_n(a)),
/// so the kept coarse values are those of the same corrected propagator whatever the model learned, and
/// a slice whose input did not change (u == a bit for bit) gets F_n(a) exactly.
///
/// Corrections run on the host, where Parareal keeps its slice values (core/vector.hpp): small dense
/// products through Kokkos-Kernels' BLAS, factorisations through LAPACK.

#include <mpi.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/correction_config.hpp"
#include "core/vector.hpp"

namespace pint {

/// What one slice's fine phase produced.
struct SlicePair {
  int slice = 0;
  ConstHostVector input;          ///< U_n^j
  ConstHostVector fine;           ///< F_n(U_n^j)
  ConstHostVector coarse;         ///< G_n(U_n^j), the plain coarse propagator
  ConstHostVector affine;         ///< F_n(0) where needs_affine_parts(), else empty
  ConstHostVector coarse_affine;  ///< G_n(0) where needs_affine_parts(), else empty
};

/// Costs and sizes, as this rank measured them (the driver reports rank 0's).
struct CorrectionStats {
  std::string name;
  double learn_seconds = 0.0;       ///< updating the model after each fine phase, communication included
  double exchange_seconds = 0.0;    ///< of which in MPI (gathering pairs, broadcasting the model)
  double apply_seconds = 0.0;       ///< choosing u' and e in the sweeps
  int applications = 0;             ///< corrected coarse calls on this rank
  long long exchanged_doubles = 0;  ///< sent and received by this rank
  std::vector<int> model_size;      ///< per learn(): basis vectors (Krylov) or stored pairs (RandNet)
  double model_bytes = 0.0;         ///< held by this rank after the last learn()
  double pair_bytes = 0.0;          ///< what one slice's pair adds per iteration (gathered, or kept)
  /// Krylov's coarse powers (rank 0): the coarse and fine calls they made, their share of learn_seconds,
  /// and the checked relative difference of A C z and C A z (-1: not checked; above 1e-6 they are off).
  int extra_coarse_calls = 0, extra_fine_calls = 0;
  double learn_seconds_powers = 0.0, commutation_error = -1.0;
  /// Krylov: whether the coarse propagator was found affine with one linear part C on every slice (1),
  /// not (0) or not checked (-1), and the largest relative deviation the check measured. Where it is,
  /// the corrected call is G(u) + (W - C Q) c: no shifted input, one product less, no anchor calls.
  int coarse_affine = -1;
  double affine_error = -1.0;
};

/// The run's own propagators of one slice (host vectors in and out), lent to a correction that builds on
/// them beyond the pairs: Krylov's coarse powers. Their calls sit in the correction's model update.
struct SliceOperators {
  /// out[i] = G_slice(in[i]) for every i, as one batched call where the coarse propagator batches.
  std::function<void(int slice, const std::vector<HostVector>& in, const std::vector<HostVector>& out)> coarse;
  /// out = F_slice(in).
  std::function<void(int slice, const HostVector& in, const HostVector& out)> fine;
  /// The run's number of slices (0: unknown; then no property is assumed of slices other than 1).
  int slices = 0;
};

class CoarseCorrection {
 public:
  virtual ~CoarseCorrection() = default;
  virtual std::string name() const = 0;
  /// Whether learn() needs F_n(0) and G_n(0) of the slices (the affine parts of a linear F and G), computed once.
  virtual bool needs_affine_parts() const { return false; }
  /// Called once before the run's first learn(), on every rank.
  virtual void attach(const SliceOperators&) {}
  /// Adds this rank's new pairs (ordered by slice; slice 0 is never passed: its input never changes and
  /// its fine propagator may differ, e.g. by Rannacher's start-up). Collective over `comm`: afterwards
  /// every rank holds the same model, so the iterates do not depend on the number of ranks.
  virtual void learn(const std::vector<SlicePair>& pairs, MPI_Comm comm) = 0;
  /// For slice n with input u and anchor a: writes u' into coarse_input and e into extra; returns true
  /// where u' == u (the coarse result is then G_n(u) itself and is kept as the next anchor's value).
  virtual bool prepare(int slice, ConstHostVector u, ConstHostVector anchor, HostVector coarse_input,
                       HostVector extra) = 0;
  virtual CorrectionStats stats() const = 0;
};

/// The correction a configuration names (nullptr for "none"), for states of `size` unknowns. Throws
/// std::invalid_argument for an unknown name or bad settings.
std::unique_ptr<CoarseCorrection> make_correction(const CorrectionConfig& config, std::size_t size);

/// The built-in ones (core/krylov_correction.cpp, core/randnet_correction.cpp).
std::unique_ptr<CoarseCorrection> make_krylov_correction(const CorrectionConfig& config, std::size_t size);
std::unique_ptr<CoarseCorrection> make_randnet_correction(const CorrectionConfig& config, std::size_t size);

}  // namespace pint

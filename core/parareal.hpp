#pragma once
/// \file
/// Parareal for any pair of propagators, each on its own execution space:
///   U[n+1]^(k+1) = G(U[n]^(k+1)) + F(U[n]^k) - G(U[n]^k),   n = 0..N-1.
///
/// One implementation, two executions: over a communicator of P ranks each rank owns a contiguous
/// block of slices, receives its first input from the rank before it and sends its last output to
/// the rank after it with non-blocking messages as soon as that value is known, so the coarse sweep
/// flows through the ranks like a pipeline and a rank starts its next fine solves while later ranks
/// are still sweeping. With MPI_COMM_SELF (or one rank) the same code is the serial emulation, and
/// the iterates are identical for every P (the arithmetic per slice does not depend on P).
///
/// Work that is not needed is not done: after iteration k the first k slice values are the serial fine
/// solution and are never recomputed; slices whose input and output both changed by less than the
/// tolerance in the last iteration are frozen; G(U[n]^k) is kept from the previous sweep.

#include <mpi.h>

#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/coarse_correction.hpp"
#include "core/parareal_config.hpp"
#include "core/propagator.hpp"
#include "core/vector.hpp"

namespace pint {

/// Thrown when the iteration produces a non-finite value or diverges; names slice and iteration.
class PararealDivergence : public std::runtime_error {
 public:
  PararealDivergence(const std::string& what, int slice, int iteration)
      : std::runtime_error(what), slice_(slice), iteration_(iteration) {}
  int slice() const { return slice_; }
  int iteration() const { return iteration_; }

 private:
  int slice_, iteration_;
};

/// Slices [begin, end) owned by `rank` of `size` for N slices: contiguous, sizes differ by at most 1.
struct SliceRange {
  int begin, end;
};
SliceRange owned_slices(int slices, int rank, int size);

/// What one iteration did (identical on every rank after the iteration's reduction).
struct IterationRecord {
  int iteration = 0;                     ///< k (0 is the initial coarse sweep)
  double change = 0.0;                   ///< max over n of |U^k[n] - U^(k-1)[n]|_inf / |U^k[n]|_inf
  int first_active_slice = 0;            ///< slices below this were not recomputed
  int fine_calls = 0, coarse_calls = 0;  ///< summed over ranks
  double seconds = 0.0;                  ///< wall time of the iteration on rank 0
  /// MGRIT: the residual norm of the iteration (XBraid's); NaN where not computed (Parareal, and MGRIT's
  /// first iteration with skip).
  double residual = std::numeric_limits<double>::quiet_NaN();
};

struct PararealResult {
  int iterations = 0;  ///< iterations after the initial coarse sweep
  bool converged = false;
  std::vector<IterationRecord> log;
  /// Slice boundary values U[0..N] of the last iterate. Complete on rank 0 (gathered); other ranks hold
  /// the values of their own slices only (the rest are empty Views).
  std::vector<HostVector> boundaries;
  /// history[k][n] = U^k[n] if keep_history (rank 0 only, like boundaries).
  std::vector<std::vector<HostVector>> history;
  /// This rank's slices and, if keep_history, its own rows of every iterate:
  /// local_history[k][j] = U^k[owned.begin + j + 1] (on every rank; writers use it for parallel output).
  SliceRange owned{0, 0};
  std::vector<std::vector<HostVector>> local_history;
  double wall_seconds = 0.0;
  /// Mean cost of one fine and one coarse slice, measured on this run (over all ranks' calls). The
  /// coarse cost leaves out the first sweep when there were later calls: it also pays one-time set-up.
  double fine_slice_seconds = 0.0, coarse_slice_seconds = 0.0;
  int fine_calls = 0, coarse_calls = 0;  ///< totals over all ranks
  /// MGRIT: points per level (empty for Parareal).
  std::vector<int> level_points;
  /// With a coarse correction: its costs and sizes on rank 0 (name empty without one), the fine calls
  /// spent on the slices' affine parts F_n(0) and the plain coarse calls that renewed anchors' values or
  /// computed G_n(0) (totals over ranks; F_n(0) and the anchors also counted in fine_calls / coarse_calls,
  /// G_n(0) not: one call per slice, left out of the corrected calls' mean cost).
  CorrectionStats correction;
  int affine_fine_calls = 0, anchor_coarse_calls = 0;
};

/// Everything needed to continue after a completed iteration, as this rank holds it (its own slices).
/// Handed to RunHooks::on_iteration on every rank, in the same order, so it may do collective I/O.
struct IterationState {
  int iteration = 0;
  SliceRange owned{0, 0};
  const std::vector<HostVector>* U = nullptr;                     ///< (*U)[j] = U^k[owned.begin + j], j = 0..count
  const std::vector<HostVector>* G = nullptr;                     ///< (*G)[j] = G(U^k[owned.begin + j])
  const std::vector<double>* slice_change = nullptr;              ///< relative change of each owned slice's output
  int active = 0;                                                 ///< first slice recomputed in this iteration
  const std::vector<IterationRecord>* log = nullptr;              ///< all records so far (identical on every rank)
  const std::vector<std::vector<HostVector>>* history = nullptr;  ///< own rows of U^0..U^k (keep_history)
};

/// A state to resume from (read from a checkpoint): full arrays, every rank takes its own part.
struct ResumeState {
  int iteration = 0;
  std::vector<HostVector> U;         ///< N+1 values U^k[n]
  std::vector<HostVector> G;         ///< N values G(U^k[n])
  std::vector<double> slice_change;  ///< N values
  int active = 0;
  std::vector<IterationRecord> log;
  std::vector<std::vector<HostVector>> history;  ///< [k+1][N+1] if the run keeps history
};

struct RunHooks {
  std::function<void(const IterationState&)> on_iteration;  ///< after each iteration's verdict
  const ResumeState* resume = nullptr;                      ///< continue after resume->iteration
};

class Parareal {
 public:
  using Progress = std::function<void(const IterationRecord&)>;

  /// `fine` and `coarse` must outlive the object; they may sit on different execution spaces. With a
  /// `correction` (core/coarse_correction.hpp; it must outlive the object too) the coarse sweeps use the
  /// corrected coarse propagator and the correction learns from every fine phase.
  Parareal(Propagator& fine, Propagator& coarse, PararealConfig config, MPI_Comm comm = MPI_COMM_SELF,
           CoarseCorrection* correction = nullptr);

  /// Runs from u0 at t0 to t1 in N equal slices. `progress` is called on every rank after each
  /// iteration. Throws PararealDivergence (on every rank) if any slice turns non-finite.
  PararealResult run(ConstHostVector u0, double t0, double t1, const Progress& progress = {},
                     const RunHooks& hooks = {});

  /// Boundary time of slice n: t0 + n (t1 - t0) / N (slice N ends exactly at t1).
  static double slice_time(double t0, double t1, int n, int slices);

 private:
  Propagator& fine_;
  Propagator& coarse_;
  PararealConfig config_;
  MPI_Comm comm_;
  CoarseCorrection* correction_;
};

/// The serial fine solution at the slice boundaries: U[n+1] = F(U[n]), n = 0..N-1 (N+1 values).
std::vector<HostVector> serial_fine(Propagator& fine, ConstHostVector u0, double t0, double t1, int slices,
                                    double* seconds = nullptr);

}  // namespace pint

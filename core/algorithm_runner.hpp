#pragma once
/// \file
/// How the driver runs a registered time-parallel algorithm (core/algorithm_registry.hpp) and reports it.

#include <mpi.h>

#include <string>
#include <vector>

#include "core/correction_config.hpp"
#include "core/mgrit_config.hpp"
#include "core/parareal.hpp"

namespace pint {

/// Everything an algorithm may read; each uses its own part (slices, iteration cap and tolerance are
/// shared).
struct AlgorithmSettings {
  PararealConfig parareal;
  MgritConfig mgrit;
  CorrectionConfig correction;  ///< a learned coarse correction (Parareal only)
};

/// What a learned coarse correction added to a run, measured (PararealResult), for the schedule model.
struct CorrectionCosts {
  int affine_fine_calls = 0;    ///< F_n(0), once per slice (Krylov on a linear problem)
  int anchor_coarse_calls = 0;  ///< plain coarse calls renewing anchors (parallel, like the fine phase)
  double learn_seconds = 0.0;   ///< model updates between fine phase and sweep (every rank waits for them)
};

/// The schedule model's prediction for one rank count.
struct SpeedupPrediction {
  int ranks = 1;
  double speedup = 0.0;
  /// Propagator calls on the critical path, per level (Parareal: fine, coarse).
  std::vector<double> calls_per_level;
};

class AlgorithmRunner {
 public:
  virtual ~AlgorithmRunner() = default;

  /// Throws std::invalid_argument (the message names the setting and the fix) for settings this
  /// algorithm cannot run, before anything is computed.
  virtual void check(const AlgorithmSettings& settings) const = 0;

  /// The longest step the coarse propagator takes, in slices (for the explicit-stability check).
  virtual int coarse_step_slices(const AlgorithmSettings& settings) const = 0;

  virtual PararealResult run(Propagator& fine, Propagator& coarse, const AlgorithmSettings& settings, MPI_Comm comm,
                             ConstHostVector u0, double t0, double t1, const Parareal::Progress& progress,
                             const RunHooks& hooks) const = 0;

  /// What the start-up line adds after the slices and ranks ("" for Parareal, the hierarchy for MGRIT).
  virtual std::string describe(const AlgorithmSettings& settings) const = 0;

  /// One line of progress for a finished iteration.
  virtual std::string progress_line(const IterationRecord& record, const AlgorithmSettings& settings) const = 0;

  /// The speedup the algorithm's schedule model predicts with these measured costs of one fine and
  /// one coarse call (per slice for Parareal, per level step for MGRIT) and iterations on `ranks`.
  virtual SpeedupPrediction predict(const AlgorithmSettings& settings, double fine_cost, double coarse_cost,
                                    int iterations, int ranks, const CorrectionCosts& extra = {}) const = 0;
};

}  // namespace pint

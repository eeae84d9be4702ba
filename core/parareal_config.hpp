#pragma once
/// \file
/// Parareal's settings, without Kokkos or MPI: read by the configuration parser, which a GPU build
/// compiles with the host compiler alone (nvcc cannot compile toml++).

namespace pint {

struct PararealConfig {
  int slices = 16;            ///< N
  int max_iterations = 16;    ///< K_max (at most N is ever needed)
  double tolerance = 1e-10;   ///< on the largest relative change of a slice value between iterations
  bool keep_history = false;  ///< keep U^k at every slice boundary for every k (for output/tests)
  /// Run an iteration's fine solves of a rank's slices as one batched call when the fine propagator
  /// batches (Propagator::batches). The solves are then not interrupted one by one when the previous
  /// iteration's verdict says "converged" while they run: the batch finishes first.
  bool batch_fine = true;
  /// A slice value larger than this times max(1, |u0|_inf) counts as divergence (like a NaN).
  double divergence_factor = 1e50;
};

/// Checks a configuration; throws std::invalid_argument naming the bad value and the fix.
void validate(const PararealConfig& config);

}  // namespace pint

#pragma once
// The `pint` program's access to its learned module (drivers/learned_module_api.hpp), which is
// opened on first use only.
#include <memory>

#include "core/problem.hpp"
#include "core/propagator.hpp"
#include "io/run_config.hpp"

namespace pint {

/// `pint train ...` (argv[1] is "train"): starts MPI and Kokkos, trains on rank 0. Exit code.
int train_main(int argc, char** argv);
/// `pint paraflow ...` (argv[1] is "paraflow"): Parareal as an optimiser (seed 001). Exit code.
int paraflow_main(int argc, char** argv);

/// The learned coarse propagator that `config.coarse.model` names. Throws ConfigError if the module
/// cannot be loaded (a pint built without LibTorch, a missing or mismatched module) or the model is bad.
std::unique_ptr<Propagator> make_learned_coarse_propagator(const RunConfig& config,
                                                           std::shared_ptr<const Problem> problem, int rank);

}  // namespace pint

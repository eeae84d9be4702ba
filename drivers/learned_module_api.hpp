#pragma once
// The interface between the `pint` program and its learned module (libpint_learned_module.so): the
// code that needs LibTorch (learned coarse propagators, pint train) lives in the module, which the
// program opens only when a run uses a network, so that every other run starts without loading
// LibTorch (about 0.35 s of start-up here). Both sides are built from this tree by one compiler.
#include <memory>

#include "core/problem.hpp"
#include "core/propagator.hpp"
#include "io/run_config.hpp"

namespace pint {

/// Bumped whenever this struct or the meaning of its members changes.
constexpr int kLearnedModuleAbi = 2;

struct LearnedModuleApi {
  int abi = kLearnedModuleAbi;
  /// `pint train ARGS`: argv[0] is "train". Returns the exit code; throws on errors.
  int (*train)(int argc, char** argv) = nullptr;
  /// `pint paraflow ARGS`: argv[0] is "paraflow". Returns the exit code; throws on errors.
  int (*paraflow)(int argc, char** argv) = nullptr;
  /// The coarse propagator of `config.coarse.model` (pinn, data, pinn:FILE, torchscript:FILE) on
  /// `problem`; `rank` 0 prints notes. Throws ConfigError for a bad model file or choice.
  std::unique_ptr<Propagator> (*make_coarse)(const RunConfig& config, std::shared_ptr<const Problem> problem,
                                             int rank) = nullptr;
};

}  // namespace pint

/// The module's one entry point, looked up with dlsym.
extern "C" const pint::LearnedModuleApi* pint_learned_module_api();

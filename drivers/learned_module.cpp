#include "learned_module.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "executable_dir.hpp"
#include "learned_module_api.hpp"
#include "spaces/runtime.hpp"

#ifndef PINT_LEARNED_MODULE_BUILD
#define PINT_LEARNED_MODULE_BUILD ""
#endif
#ifndef PINT_LEARNED_MODULE_INSTALL_RELATIVE
#define PINT_LEARNED_MODULE_INSTALL_RELATIVE ""
#endif

namespace pint {

namespace {

/// Where the module may be: $PINT_LEARNED_MODULE (then only there), next to an installed pint (bin/../lib/pint/), the
/// build tree. The installed location comes first so that an installed pint never loads a build tree's.
std::vector<std::string> candidates() {
  std::vector<std::string> out;
  // A module the user names is the only one tried: falling back to another would hide the mistake.
  if (const char* env = std::getenv("PINT_LEARNED_MODULE")) return {env};
  if (std::string(PINT_LEARNED_MODULE_INSTALL_RELATIVE).size())
    out.push_back(executable_dir() + "/" + PINT_LEARNED_MODULE_INSTALL_RELATIVE);
  if (std::string(PINT_LEARNED_MODULE_BUILD).size()) out.emplace_back(PINT_LEARNED_MODULE_BUILD);
  return out;
}

const LearnedModuleApi& module() {
  static const LearnedModuleApi* api = nullptr;
  if (api) return *api;
#ifndef PINT_HAVE_LEARNED_MODULE
  throw ConfigError(
      "this pint was built without LibTorch (PINT_ENABLE_TORCH=OFF): learned coarse propagators, "
      "pint train and pint paraflow are not available");
#else
  std::string tried;
  for (const auto& path : candidates()) {
    if (access(path.c_str(), R_OK) != 0) {
      tried += "\n  " + path + ": not there";
      continue;
    }
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      tried += "\n  " + path + ": " + dlerror();
      continue;
    }
    using Entry = const LearnedModuleApi* (*)();
    auto entry = reinterpret_cast<Entry>(dlsym(handle, "pint_learned_module_api"));
    if (!entry) {
      tried += "\n  " + path + ": not a pint learned module (no pint_learned_module_api)";
      continue;
    }
    const LearnedModuleApi* a = entry();
    if (a->abi != kLearnedModuleAbi) {
      tried += "\n  " + path + ": built for another pint (module interface " + std::to_string(a->abi) +
               ", this pint needs " + std::to_string(kLearnedModuleAbi) + ")";
      continue;
    }
    api = a;  // never dlclose'd: torch registers global state that must outlive every tensor
    return *api;
  }
  throw ConfigError(
      "cannot load pint's learned module (LibTorch code), needed for learned coarse propagators and "
      "pint train; tried:" +
      tried + "\nReinstall pint, or set PINT_LEARNED_MODULE to the module's path");
#endif
}

}  // namespace

std::unique_ptr<Propagator> make_learned_coarse_propagator(const RunConfig& config,
                                                           std::shared_ptr<const Problem> problem, int rank) {
  return module().make_coarse(config, std::move(problem), rank);
}

int train_main(int argc, char** argv) {
  const auto run = [&] {
    try {
      return module().train(argc - 1, argv + 1);
    } catch (const std::exception& e) {
      std::cerr << "pint train: error: " << e.what() << "\n";
      return 2;
    }
  };
  // Help is printed before anything starts: no MPI, no Kokkos.
  for (int i = 2; i < argc; ++i)
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") return run();
  Runtime runtime(argc, argv);  // the data-only trainer runs the fine solver with Kokkos
  if (runtime.rank() != 0) return 0;
  return run();
}

int paraflow_main(int argc, char** argv) {
  // No MPI or Kokkos: ParaFlow's parallel fine solves are threads, and everything else is LibTorch.
  try {
    return module().paraflow(argc - 1, argv + 1);
  } catch (const std::exception& e) {
    std::cerr << "pint paraflow: error: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace pint

// The learned module's side of drivers/learned_module_api.hpp: everything of `pint` that needs
// LibTorch. Built as a MODULE library; see drivers/learned_module.cpp for how it is found and opened.
#include <dlfcn.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include "learned_module_api.hpp"
#include "models/learned/bs_pinn.hpp"
#include "models/learned/learned_coarse_propagator.hpp"
#include "models/learned/surface_model.hpp"
#include "paraflow_command.hpp"
#include "problem_factory.hpp"
#include "spaces/registry.hpp"
#include "train_command.hpp"

namespace pint {

namespace {

/// This module's directory (lib/pint when installed), wherever the installed tree was moved.
std::string module_dir() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&pint_learned_module_api), &info) == 0 || !info.dli_fname) return ".";
  const std::string path = info.dli_fname;
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

/// A model shipped with pint (models/learned/default_{pinn,data}.pt): the installed copy next to this
/// module (share/pint, found relative to lib/pint), else the sources of the build tree.
std::string shipped_model_path(const char* file, const char* build, const char* what) {
  const std::string installed = module_dir() + "/" + PINT_SHARE_FROM_MODULE + "/" + file;
  for (const std::string& p : {installed, std::string(build)}) {
    struct stat st {};
    if (stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode)) return p;
  }
  throw ConfigError(std::string("the shipped ") + what + " model is missing (looked at " + installed + " and " + build +
                    "); train one with pint train and pass --coarse pinn:FILE");
}

/// How a pint-trained network is named in the output: pinn:FILE or data:FILE (the data-only network).
std::string model_label(const BlackScholesPinn& net) {
  return net->training() == SurfaceTraining::Data ? "data:" : "pinn:";
}

std::unique_ptr<Propagator> make_coarse(const RunConfig& config, std::shared_ptr<const Problem> problem, int rank) {
  std::shared_ptr<SurfaceModel> model;
  std::shared_ptr<const Problem> trained_problem;  // the network's own problem when generalising
  const std::string& m = config.coarse.model;
  if (m == "pinn" || m == "data" || m.rfind("pinn:", 0) == 0) {
    if (config.problem != "black-scholes")
      throw ConfigError("--coarse " + m + ": the networks are trained for the Black-Scholes call; this run is " +
                        config.problem);
    const std::string file = m == "pinn" ? shipped_model_path("default_pinn.pt", PINT_DEFAULT_PINN_BUILD, "PINN")
                             : m == "data"
                                 ? shipped_model_path("default_data.pt", PINT_DEFAULT_DATA_BUILD, "data-only network")
                                 : m.substr(5);
    if (config.coarse.model_any_parameters) {
      BlackScholesParams trained;
      BlackScholesPinn net = load_pinn_as_trained(file, &trained);
      if (trained.type != config.black_scholes.type)
        throw ConfigError("--coarse " + m + ": the network was trained for a " +
                          (trained.type == OptionType::Call ? "call" : "put") + ", this run prices a " +
                          (config.black_scholes.type == OptionType::Call ? "call" : "put") +
                          "; --pinn-any-parameters generalises over the market parameters, not the payoff");
      if (rank == 0)
        fmt::print(
            "  note: the PINN was trained for r = {:.15g}, sigma = {:.15g}; this run has r = {:.15g}, sigma = "
            "{:.15g}\n",
            trained.rate, trained.sigma, config.black_scholes.rate, config.black_scholes.sigma);
      model = pinn_surface(net, model_label(net) + file);
      RunConfig as_trained = config;  // same grid and option, the network's market parameters
      as_trained.black_scholes.rate = trained.rate;
      as_trained.black_scholes.sigma = trained.sigma;
      as_trained.black_scholes.strike = trained.strike;
      as_trained.black_scholes.maturity = trained.maturity;
      trained_problem = make_problem(as_trained);
    } else {
      BlackScholesPinn net = load_pinn(file, config.black_scholes);
      model = pinn_surface(net, model_label(net) + file);
    }
  } else {
    model = load_torchscript_surface(m.substr(12));
  }
  return make_learned_coarse(problem, model, config.coarse.correction_steps, resolve_space(config.coarse.space),
                             trained_problem);
}

const LearnedModuleApi api{kLearnedModuleAbi, &train_command, &paraflow_command, &make_coarse};

}  // namespace

}  // namespace pint

extern "C" const pint::LearnedModuleApi* pint_learned_module_api() {
  return &pint::api;
}

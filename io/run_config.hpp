#pragma once
/// \file
/// The configuration of `pint run`: an embedded default (the flagship paper's Black-Scholes setup,
/// seed 000), overridden by a TOML file, overridden by command-line flags. Every value is validated
/// with a message that names the key and the fix.

#include <optional>
#include <string>
#include <vector>

#include "core/parareal.hpp"
#include "models/black_scholes.hpp"
#include "models/heat1d.hpp"
#include "models/integrator.hpp"

namespace pint {

/// Thrown for a bad configuration value or file; the message names the key.
class ConfigError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct PropagatorChoice {
  IntegratorConfig integrator;
  std::string space = "host";
  /// Coarse only: "numerical" (the integrator above), or a learned surface N(tau, x): "pinn" / "data" (the
  /// shipped PINN / data-only network), "pinn:FILE" (a pint train model) or "torchscript:FILE",
  /// correcting `correction_steps` implicit-Euler steps (models/learned/learned_coarse_propagator.hpp).
  std::string model = "numerical";
  int correction_steps = 2;
  bool model_any_parameters = false;  ///< pinn: use a model trained for other r, sigma (generalisation)
};

struct RunConfig {
  std::string problem = "black-scholes";  ///< black-scholes | heat | dahlquist
  BlackScholesParams black_scholes;       ///< defaults: call, S_max 5000, dS 1, K 100, r 0.03, sigma 0.4, T 1
  HeatParams heat;
  std::vector<double> dahlquist_lambdas{-1.0, -10.0, -100.0};
  double dahlquist_y0 = 1.0, dahlquist_t_end = 1.0;

  PropagatorChoice fine{{Integrator::CrankNicolson, 200, 4}, "host"};
  PropagatorChoice coarse{{Integrator::ImplicitEuler, 100, 0}, "host"};
  PararealConfig parareal{16, 16, 1e-10, false};

  bool compare_serial = false;        ///< also run the serial fine solver, report its time and the error against it
  std::string json_path;              ///< write the summary as JSON here ("" = don't)
  std::string output_path;            ///< HDF5 trajectory ("" = none); an XDMF sidecar goes next to it
  bool output_all_iterations = true;  ///< every iterate, or only the last
  bool overwrite = false;             ///< replace an existing output file
  std::string checkpoint_path;        ///< checkpoint after every iteration ("" = none)
  std::string restart_path;           ///< resume from this checkpoint
};

/// Reads a TOML file over `base`. Unknown tables or keys are errors (they are usually typos).
RunConfig load_config_file(const std::string& path, RunConfig base);

/// Checks every value (problem parameters, integrators, Parareal, spaces); throws ConfigError.
void validate(const RunConfig& config);

/// The configuration as TOML text (what `pint run --print-config` shows; loadable again).
std::string to_toml(const RunConfig& config);

}  // namespace pint

#pragma once
/// \file
/// The configuration of `pint run`: an embedded default (the flagship paper's Black-Scholes setup,
/// seed 000), overridden by a TOML file, overridden by command-line flags. Every value is validated
/// with a message that names the key and the fix.

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/correction_config.hpp"
#include "core/mgrit_config.hpp"
#include "core/parareal_config.hpp"
#include "core/problem_registry.hpp"
#include "models/black_scholes_params.hpp"
#include "models/heat_params.hpp"
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
  std::string problem = "black-scholes";  ///< black-scholes | heat | dahlquist | any registered problem
  BlackScholesParams black_scholes;       ///< defaults: call, S_max 5000, dS 1, K 100, r 0.03, sigma 0.4, T 1
  HeatParams heat;
  std::vector<double> dahlquist_lambdas{-1.0, -10.0, -100.0};
  double dahlquist_y0 = 1.0, dahlquist_t_end = 1.0;
  /// Values given for the declared parameters of registered problems (core/problem_registry.hpp), by
  /// table, then key: from their [table] in a config file or --param KEY=VALUE. Defaults are not stored.
  std::map<std::string, std::map<std::string, double>> problem_values;

  PropagatorChoice fine{{Integrator::CrankNicolson, 200, 4}, "host"};
  PropagatorChoice coarse{{Integrator::ImplicitEuler, 100, 0}, "host"};
  PararealConfig parareal{16, 16, 1e-10, false};
  /// The time-parallel algorithm, a registered name (core/algorithm_registry.hpp): parareal | mgrit. Both
  /// use [parareal]'s slices, max_iterations and tolerance (for MGRIT on the residual norm).
  std::string algorithm = "parareal";
  MgritConfig mgrit;  ///< [mgrit]: XBraid's settings (core/mgrit_config.hpp)
  /// [coarse_correction]: a learned correction of the coarse propagator (core/coarse_correction.hpp).
  CorrectionConfig correction;

  bool compare_serial = false;        ///< also run the serial fine solver, report its time and the error against it
  std::string json_path;              ///< write the summary as JSON here ("" = don't)
  std::string output_path;            ///< HDF5 trajectory ("" = none); an XDMF sidecar goes next to it
  bool output_all_iterations = true;  ///< every iterate, or only the last
  bool overwrite = false;             ///< replace an existing output file
  std::string checkpoint_path;        ///< checkpoint after every iteration ("" = none)
  std::string restart_path;           ///< resume from this checkpoint
  /// Run an explicit integrator even where its stability estimate says it will blow up (for studies of
  /// divergence; without it such a configuration is refused with the smallest stable step count).
  bool allow_unstable = false;
  std::string config_file;  ///< the --config file these settings came from ("" = none): an input, never an output
  /// The propagator settings given by the file or the flags ("fine.method", "coarse.steps", ...): a problem's
  /// own default propagators (ProblemEntry::default_fine) fill the others (apply_problem_defaults).
  std::set<std::string> given;
};

/// For a problem with its own default propagators: every fine / coarse method, steps and Rannacher
/// half-steps setting not in c.given takes the problem's default. Call after the file and the flags.
void apply_problem_defaults(RunConfig& c);

/// One setting of a configuration: `[table].key = value`, the value in TOML syntax. Flag-only
/// settings (--restart, --overwrite, ...) have an empty table and the flag as key.
struct Setting {
  std::string table, key, value;
  /// "[table].key", or the flag for flag-only settings: how messages name the setting.
  std::string name() const { return table.empty() ? key : "[" + table + "]." + key; }
};

/// Every setting in a fixed order (the order of `to_toml`); with `flag_only`, also the settings that
/// exist only as flags. Floats are written in the shortest form that reads back to the same double.
std::vector<Setting> settings_of(const RunConfig& config, bool flag_only = false);

/// "[t].k is A in `a_name` but B in `b_name`" for each setting that differs, in order; settings whose
/// name() is in `ignore` are skipped.
std::vector<std::string> differences(const std::vector<Setting>& a, const std::vector<Setting>& b,
                                     const std::string& a_name, const std::string& b_name,
                                     const std::vector<std::string>& ignore = {});

/// Settings (by Setting::name()) that may differ between an interrupted run and its restart: they
/// cannot change the iterates computed so far (the iteration limit, the tolerance, where kernels run
/// and where results go).
const std::vector<std::string>& restart_may_change();

/// The file part of a coarse-model choice (pinn:FILE, torchscript:FILE), or "" (numerical, the shipped
/// pinn / data): the one place that knows which choices name a file the run reads.
std::string model_file(const std::string& coarse_model);

/// Reads a TOML file over `base`. Unknown tables or keys are errors (they are usually typos), as are
/// values of the wrong type and integers that do not fit the setting.
RunConfig load_config_file(const std::string& path, RunConfig base);
/// The same for TOML text; `source` names it in messages.
RunConfig parse_config_text(const std::string& text, const std::string& source, RunConfig base);

/// Checks every value (problem parameters, integrators, Parareal, spaces); throws ConfigError.
void validate(const RunConfig& config);

/// The values the selected problem (config.problem, a registered name) is made from: its declared
/// parameters (given or default), or for the original problems the values of their typed table, read back
/// from settings_of (numbers, "text" and [lists]). Throws ConfigError for an unknown problem or bad value.
ProblemParameters problem_parameters(const RunConfig& config);

/// MGRIT's settings written as text (flags and TOML): "V"/"F", "absolute"/"relative", "coarse" or a number
/// (nullopt = coarse). `name` names the setting in the ConfigError.
MgritCycle parse_cycle_setting(const std::string& name, const std::string& value);
bool parse_residual_setting(const std::string& name, const std::string& value);
std::optional<double> parse_initial_guess(const std::string& name, const std::string& value);

/// The configuration as TOML text (what `pint run --print-config` shows; loadable again).
std::string to_toml(const RunConfig& config);

}  // namespace pint

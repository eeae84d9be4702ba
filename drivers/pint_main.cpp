// pint: the command-line front end.
//   pint [run] [flags]     Parareal on the configured problem (default: the flagship paper's
//                          Black-Scholes call, seed 000), summary on stdout, JSON with --json.
// Configuration precedence: embedded default < --config FILE (TOML) < flags.
#include <fmt/format.h>
#include <mpi.h>

#include <CLI/CLI.hpp>
#include <functional>
#include <iostream>

#include "core/parareal.hpp"
#include "io/run_config.hpp"
#include "plot_command.hpp"
#ifdef PINT_HAVE_TORCH
#include "train_command.hpp"
#endif
#include "run_command.hpp"
#include "spaces/registry.hpp"
#include "spaces/runtime.hpp"

namespace {

/// Binds a flag to a field of a scratch RunConfig and remembers how to copy it onto the real one,
/// so that flags override the config file only when they were given.
class FlagBinder {
 public:
  explicit FlagBinder(CLI::App& app) : app_(app) {}

  template <class Access>
  CLI::Option* add(const std::string& name, Access access, const std::string& help) {
    auto& field = access(flags_);
    // A repeated flag takes its last value, so overrides can be appended to a command line.
    CLI::Option* o = app_.add_option(name, field, help)
                         ->capture_default_str()
                         ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    apply_.push_back([o, access, this](pint::RunConfig& target) {
      if (o->count() > 0) access(target) = access(flags_);
    });
    return o;
  }
  CLI::Option* flag(const std::string& name, std::function<bool&(pint::RunConfig&)> access, const std::string& help) {
    CLI::Option* o = app_.add_flag(name, access(flags_), help);
    apply_.push_back([o, access, this](pint::RunConfig& target) {
      if (o->count() > 0) access(target) = access(flags_);
    });
    return o;
  }
  void apply(pint::RunConfig& target) const {
    for (const auto& f : apply_) f(target);
  }
  pint::RunConfig& scratch() { return flags_; }

 private:
  CLI::App& app_;
  pint::RunConfig flags_;
  std::vector<std::function<void(pint::RunConfig&)>> apply_;
};

}  // namespace

int main(int argc, char** argv) {
  // `pint plot` and `pint bench` run Python scripts (bench starts its own mpirun jobs): they need
  // neither MPI nor Kokkos in this process, and an MPI singleton here would confuse a child mpirun.
  if (argc >= 2 && std::string(argv[1]) == "plot")
    return pint::plot_command(std::vector<std::string>(argv + 2, argv + argc));
  if (argc >= 2 && std::string(argv[1]) == "bench")
    return pint::bench_command(std::vector<std::string>(argv + 2, argv + argc), PINT_BUILD_DIR);
  pint::Runtime runtime(argc, argv);
  const bool root = runtime.rank() == 0;

  CLI::App app{
      "pint: parallel-in-time (Parareal) solvers on Kokkos.\n"
      "Runs Parareal on the embedded default (Black-Scholes European call, seed 000: S_max 5000, dS 1,\n"
      "K 100, r 0.03, sigma 0.4, T 1, 16 slices, fine Crank-Nicolson 200 steps/slice, coarse implicit\n"
      "Euler 100 steps/slice) unless a config file or flags say otherwise.\n"
      "Spaces: " +
          pint::available_space_names() +
          ".\n"
          "Kokkos flags such as --kokkos-threads=N are accepted too.",
      "pint"};
  app.set_help_all_flag("--help-all", "Show all help");
  CLI::App* run = app.add_subcommand("run", "Run Parareal (the default when no subcommand is given)");
  run->fallthrough();
  // Listed for --help; handled at the top of main (its arguments belong to drivers/pint_plot.py).
  app.add_subcommand("plot", "Plot an HDF5 trajectory: pint plot FILE.h5 [--out-dir DIR] [--dump-data JSON]");
#ifdef PINT_HAVE_TORCH
  app.add_subcommand("train",
                     "Train the Black-Scholes PINN: pint train [--out FILE] [--epochs N] ... (pint train --help)");
  if (argc >= 2 && std::string(argv[1]) == "train") {
    if (!root) return 0;
    try {
      return pint::train_command(argc - 1, argv + 1);
    } catch (const std::exception& e) {
      std::cerr << "pint train: error: " << e.what() << "\n";
      return 2;
    }
  }
#endif
  // Listed for --help; run before MPI and Kokkos start (see the top of main).
  app.add_subcommand("bench",
                     "Benchmarks: pint bench {placements,scaling,coarse-cost,fine-kernel,all} [--out-dir DIR]");

  FlagBinder b(app);
  std::string config_path;
  bool print_config = false;
  app.add_option("--config", config_path, "TOML configuration file (see README); flags override it")
      ->check(CLI::ExistingFile);
  app.add_flag("--print-config", print_config, "Print the effective configuration as TOML and exit");

  // Spelled as strings here, parsed (and validated with a clear message) after the merge.
  std::string fine_method = "crank-nicolson", coarse_method = "implicit-euler", option = "call";
  auto* fm = app.add_option("--fine-method", fine_method,
                            "Fine integrator: explicit-euler, rk4, implicit-euler, crank-nicolson")
                 ->capture_default_str();
  auto* cm =
      app.add_option("--coarse-method", coarse_method, "Coarse integrator (same choices)")->capture_default_str();
  auto* om = app.add_option("--option", option, "Black-Scholes option type: call or put")
                 ->check(CLI::IsMember({"call", "put"}))
                 ->capture_default_str();

  b.add(
       "--problem", [](pint::RunConfig& c) -> std::string& { return c.problem; },
       "Problem: black-scholes, heat, dahlquist")
      ->check(CLI::IsMember({"black-scholes", "heat", "dahlquist"}));
  b.add(
      "--fine-space", [](pint::RunConfig& c) -> std::string& { return c.fine.space; },
      "Execution space of the fine propagator (serial, openmp, ..., host, device)");
  b.add(
      "--coarse-space", [](pint::RunConfig& c) -> std::string& { return c.coarse.space; },
      "Execution space of the coarse propagator");
  b.add(
      "--fine-steps", [](pint::RunConfig& c) -> int& { return c.fine.integrator.steps; }, "Fine time steps per slice");
  b.add(
      "--coarse-steps", [](pint::RunConfig& c) -> int& { return c.coarse.integrator.steps; },
      "Coarse time steps per slice");
  b.add(
      "--rannacher-half-steps", [](pint::RunConfig& c) -> int& { return c.fine.integrator.rannacher_half_steps; },
      "Implicit-Euler half-steps that start Crank-Nicolson at t = 0 (even, 0 = off)");
  b.add(
      "--slices", [](pint::RunConfig& c) -> int& { return c.parareal.slices; }, "Number of time slices N");
  b.add(
      "--max-iterations", [](pint::RunConfig& c) -> int& { return c.parareal.max_iterations; },
      "Maximum Parareal iterations K");
  b.add(
      "--tolerance", [](pint::RunConfig& c) -> double& { return c.parareal.tolerance; },
      "Stop when the largest relative change of a slice value is at most this");
  b.add(
      "--s-max", [](pint::RunConfig& c) -> double& { return c.black_scholes.s_max; }, "Black-Scholes: S_max");
  b.add(
      "--ds", [](pint::RunConfig& c) -> double& { return c.black_scholes.ds; }, "Black-Scholes: grid spacing dS");
  b.add(
      "--strike", [](pint::RunConfig& c) -> double& { return c.black_scholes.strike; }, "Black-Scholes: strike K");
  b.add(
      "--rate", [](pint::RunConfig& c) -> double& { return c.black_scholes.rate; }, "Black-Scholes: interest rate r");
  b.add(
      "--sigma", [](pint::RunConfig& c) -> double& { return c.black_scholes.sigma; },
      "Black-Scholes: volatility sigma");
  b.add(
      "--maturity", [](pint::RunConfig& c) -> double& { return c.black_scholes.maturity; },
      "Black-Scholes: maturity T");
  b.add(
      "--json", [](pint::RunConfig& c) -> std::string& { return c.json_path; }, "Write the summary as JSON to FILE");
  b.add(
      "--coarse", [](pint::RunConfig& c) -> std::string& { return c.coarse.model; },
      "Coarse propagator: numerical (--coarse-method), pinn (the shipped PINN), data (the shipped data-only "
      "network), pinn:FILE (any pint train model) or torchscript:FILE: a learned surface N(tau, x) correcting "
      "--coarse-correction-steps implicit-Euler steps (signature in README)");
  b.add(
      "--coarse-correction-steps", [](pint::RunConfig& c) -> int& { return c.coarse.correction_steps; },
      "Implicit-Euler steps C of a learned coarse propagator G(u) = C(u) + N(t1) - C(N(t0))");
  b.flag(
      "--pinn-any-parameters", [](pint::RunConfig& c) -> bool& { return c.coarse.model_any_parameters; },
      "With --coarse pinn:FILE: use the network even if trained for other r or sigma (generalisation)");
  b.add(
      "--output", [](pint::RunConfig& c) -> std::string& { return c.output_path; },
      "Write the trajectory to this HDF5 file (and an XDMF sidecar for ParaView)");
  b.add(
      "--checkpoint", [](pint::RunConfig& c) -> std::string& { return c.checkpoint_path; },
      "Write a checkpoint after every iteration to this file (atomically: temporary file, then rename)");
  b.add(
      "--restart", [](pint::RunConfig& c) -> std::string& { return c.restart_path; },
      "Resume from a checkpoint written by an interrupted run with the same settings");
  b.flag(
      "--overwrite", [](pint::RunConfig& c) -> bool& { return c.overwrite; }, "Replace an existing --output file");
  std::string output_iterations = "all";
  auto* oi = app.add_option("--output-iterations", output_iterations, "Store every iterate (all) or only the last")
                 ->check(CLI::IsMember({"all", "last"}))
                 ->capture_default_str();
  b.flag(
      "--compare-serial", [](pint::RunConfig& c) -> bool& { return c.compare_serial; },
      "Also run the serial fine solver: its time, the speedup and the error against it");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (!root) return e.get_exit_code();
    return app.exit(e);
  }

  try {
    pint::RunConfig config;
    if (!config_path.empty()) config = pint::load_config_file(config_path, config);
    b.apply(config);
    if (fm->count()) config.fine.integrator.method = pint::parse_integrator(fine_method);
    if (cm->count()) config.coarse.integrator.method = pint::parse_integrator(coarse_method);
    if (oi->count()) config.output_all_iterations = output_iterations == "all";
    if (om->count()) config.black_scholes.type = option == "call" ? pint::OptionType::Call : pint::OptionType::Put;
    if (print_config) {
      if (root) std::cout << pint::to_toml(config);
      return 0;
    }
    return pint::run_command(config);
  } catch (const std::exception& e) {
    // Errors found before any collective work are found on every rank alike: report once, exit 2.
    // Errors during the run (a diverging slice on one rank) must take every rank down: MPI_Abort.
    const bool config_error = dynamic_cast<const std::invalid_argument*>(&e) != nullptr;
    if (runtime.size() == 1 || config_error) {
      if (root || !config_error) std::cerr << "pint: error: " << e.what() << "\n";
      if (runtime.size() == 1 || config_error) return 2;
    }
    pint::abort_all_ranks((fmt::format("pint: error on rank {}: {}", runtime.rank(), e.what())).c_str(), 3);
  }
}

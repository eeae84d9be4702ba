#include "run_flags.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>

#include "core/algorithm_registry.hpp"
#include "core/correction_config.hpp"
#include "core/problem_registry.hpp"
#include "models/builtin_problems.hpp"
#include "spaces/registry.hpp"

namespace pint {

namespace {

/// CLI11 reads an empty string as 0 for numbers: refuse it by name instead.
const CLI::Validator& not_empty() {
  static const CLI::Validator v(
      [](std::string& s) {
        return s.empty() ? std::string("an empty value is not a number; give one") : std::string();
      },
      "", "not empty");
  return v;
}

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
    if constexpr (!std::is_same_v<std::decay_t<decltype(field)>, std::string>) o->check(not_empty());
    apply_.push_back([o, access, this](RunConfig& target) {
      if (o->count() > 0) access(target) = access(flags_);
    });
    return o;
  }
  CLI::Option* flag(const std::string& name, std::function<bool&(RunConfig&)> access, const std::string& help) {
    CLI::Option* o = app_.add_flag(name, access(flags_), help);
    apply_.push_back([o, access, this](RunConfig& target) {
      if (o->count() > 0) access(target) = access(flags_);
    });
    return o;
  }
  void apply(RunConfig& target) const {
    for (const auto& f : apply_) f(target);
  }

 private:
  CLI::App& app_;
  RunConfig flags_;
  std::vector<std::function<void(RunConfig&)>> apply_;
};

}  // namespace

struct RunFlags::Impl {
  CLI::App app{
      "pint: parallel-in-time (Parareal, MGRIT) solvers on Kokkos.\n"
      "Runs Parareal on the embedded default (Black-Scholes European call, seed 000: S_max 5000, dS 1,\n"
      "K 100, r 0.03, sigma 0.4, T 1, 16 slices, fine Crank-Nicolson 200 steps/slice, coarse implicit\n"
      "Euler 100 steps/slice) unless a config file or flags say otherwise.\n"
      "Spaces: " +
          available_space_names() +
          ".\n"
          "Kokkos flags such as --kokkos-threads=N are accepted too.",
      "pint"};
  FlagBinder b{app};
  std::string config_path;
  bool print_config = false, version = false;
  std::string fine_method = "crank-nicolson", coarse_method = "implicit-euler", option = "call";
  std::string output_iterations = "all";
  std::vector<std::string> params;
  std::string cycle = "V", residual = "absolute", initial_guess = "coarse", skip = "1";
  CLI::Option *cy = nullptr, *rs = nullptr, *ig = nullptr, *sk = nullptr;
  /// Flags of the [mgrit] table: given with another algorithm, they are errors.
  std::vector<CLI::Option*> mgrit_flags;
  /// Flags of one coarse correction: given with another correction, they are errors.
  std::vector<std::pair<CLI::Option*, std::string>> correction_flags;
  CLI::Option *fst = nullptr, *cst = nullptr, *fat = nullptr, *cat = nullptr, *fam = nullptr, *cam = nullptr;
  /// Registered problems' own flags (ProblemParameter::flag): the option, its text, and per problem table
  /// the parameter it sets.
  struct ProblemFlag {
    CLI::Option* option = nullptr;
    bool shared = false;  ///< an original problem's flag (black-scholes' --strike): that problem keeps it too
    std::string text;
    std::vector<std::pair<std::string, std::string>> targets;  ///< (table, parameter key), looked up when parsing
  };
  std::map<std::string, ProblemFlag> own_flags;
  CLI::Option *fm = nullptr, *cm = nullptr, *om = nullptr, *oi = nullptr, *pm = nullptr, *rh = nullptr, *ccs = nullptr,
              *pap = nullptr;
  /// Flags that set a problem's own table, with that table: given for another problem, they are errors.
  std::vector<std::pair<CLI::Option*, std::string>> problem_flags;

  Impl();
};

/// "name: summary" lines of every registered algorithm, for --help.
std::string corrections_help() {
  std::string out = "Learned correction of the coarse propagator (Parareal; a registered name):";
  for (const std::string& line : correction_summaries()) out += "\n  " + line;
  return out;
}

std::string algorithms_help() {
  std::string out = "Time-parallel algorithm (a registered name):";
  for (const std::string& name : algorithm_names()) out += "\n  " + name + ": " + find_algorithm(name)->summary;
  return out;
}

/// "name (summary)" lines of every registered problem with its parameters, for --help.
std::string problems_help() {
  std::string out = "Problem (a registered name):";
  for (const std::string& name : problem_names()) {
    const ProblemEntry* e = find_problem(name);
    out += "\n  " + name + ": " + e->summary + " [" + e->table + "]";
    if (!e->parameters.empty()) {
      out += "; --param";
      for (const auto& p : e->parameters) out += " " + p.key;
    }
  }
  return out;
}

RunFlags::Impl::Impl() {
  register_builtin_problems();
  app.set_help_all_flag("--help-all", "Show all help");
  app.add_flag("--version", version, "Print the versions of pint, Kokkos, LibTorch, MPI and HDF5 and the spaces");
  // Listed for --help; each is handled by main before this parser runs.
  app.add_subcommand("run", "Run Parareal or MGRIT (the default when no subcommand is given): pint run [flags]");
  app.add_subcommand("plot", "Plot an HDF5 trajectory: pint plot FILE.h5 [--out-dir DIR] [--dump-data JSON]");
  app.add_subcommand("train",
                     "Train the Black-Scholes PINN: pint train [--out FILE] [--epochs N] ... (pint train --help)");
  app.add_subcommand(
      "bench",
      "Benchmarks: pint bench {placements,scaling,coarse-cost,fine-kernel,fine-phase,adi,coarse-compare,"
      "generalisation,corrections,mgrit,micro,quantlib,bs2d,sdc,paraflow,all} [--out-dir DIR] (pint bench "
      "--help)");

  app.add_option("--config", config_path, "TOML configuration file (see README); flags override it")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_flag("--print-config", print_config, "Print the effective configuration as TOML and exit");

  // Spelled as strings here, parsed (and validated with a clear message) after the merge.
  fm = app.add_option("--fine-method", fine_method,
                      "Fine integrator: explicit-euler, rk4, implicit-euler, crank-nicolson, or for a split problem "
                      "(heat2d, black-scholes-2d) adi-douglas, adi-craig-sneyd, adi-modified-craig-sneyd, "
                      "adi-hundsdorfer-verwer, adi-peaceman-rachford (also without adi-); a problem may have its own "
                      "default (black-scholes-2d: adi-modified-craig-sneyd x 8, coarse adi-douglas x 1)")
           ->capture_default_str()
           ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  cm = app.add_option("--coarse-method", coarse_method, "Coarse integrator (same choices)")
           ->capture_default_str()
           ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  om = app.add_option("--option", option, "Black-Scholes option type: call or put")
           ->check(CLI::IsMember({"call", "put"}))
           ->capture_default_str()
           ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);

  b.add(
       "--problem", [](RunConfig& c) -> std::string& { return c.problem; }, problems_help())
      ->check(CLI::IsMember(problem_names()));
  pm = app.add_option("--param", params,
                      "KEY=VALUE: a declared parameter of the selected problem (its [table] key), repeatable; "
                      "e.g. --problem heat2d --param nx=64")
           ->allow_extra_args(false);
  b.add(
      "--fine-space", [](RunConfig& c) -> std::string& { return c.fine.space; },
      "Execution space of the fine propagator (serial, openmp, ..., host, device)");
  b.add(
      "--coarse-space", [](RunConfig& c) -> std::string& { return c.coarse.space; },
      "Execution space of the coarse propagator");
  fst = b.add(
      "--fine-steps", [](RunConfig& c) -> int& { return c.fine.integrator.steps; }, "Fine time steps per slice");
  cst = b.add(
      "--coarse-steps", [](RunConfig& c) -> int& { return c.coarse.integrator.steps; }, "Coarse time steps per slice");
  for (const bool fine : {true, false}) {
    const std::string pre = fine ? "--sdc-" : "--coarse-sdc-", who = fine ? "fine" : "coarse";
    auto pick = [fine](RunConfig& c) -> SdcSettings& { return fine ? c.fine.integrator.sdc : c.coarse.integrator.sdc; };
    b.add(
        pre + "nodes", [pick](RunConfig& c) -> int& { return pick(c).nodes; },
        "SDC (" + who + " method sdc): collocation nodes M (1 to 8)");
    b.add(
        pre + "quadrature", [pick](RunConfig& c) -> std::string& { return pick(c).quadrature; },
        "SDC (" + who + "): node type gauss, radau-right, radau-left or lobatto");
    b.add(
        pre + "distribution", [pick](RunConfig& c) -> std::string& { return pick(c).distribution; },
        "SDC (" + who + "): legendre, chebyshev-1 .. chebyshev-4 or equidistant");
    b.add(
        pre + "qdelta", [pick](RunConfig& c) -> std::string& { return pick(c).qdelta; },
        "SDC (" + who + "): preconditioner ie, ee, lu, qpar, iepar, min-sr-ns, min-sr-s or min-sr-flex");
    b.add(
        pre + "sweeps", [pick](RunConfig& c) -> int& { return pick(c).sweeps; }, "SDC (" + who + "): sweeps per step");
    b.add(
        pre + "initial-guess", [pick](RunConfig& c) -> std::string& { return pick(c).initial_guess; },
        "SDC (" + who + "): spread (the start value at every node) or ie (implicit-Euler predictor)");
    b.add(
        pre + "end-value", [pick](RunConfig& c) -> std::string& { return pick(c).end_value; },
        "SDC (" + who + "): last-node, collocation (u0 + dt b.F) or auto (last-node where tau_M = 1)");
    b.add(
        pre + "imex", [pick](RunConfig& c) -> std::string& { return pick(c).imex; },
        "SDC (" + who +
            "): off, or IMEX on a split problem: ee (explicit parts by explicit Euler between the nodes) or "
            "lagged (explicit parts from the previous sweep: node solves stay independent)");
    b.add(
        pre + "node-ranks", [pick](RunConfig& c) -> int& { return pick(c).node_ranks; },
        "SDC (" + who +
            "): MPI ranks sharing each step's node solves (parallel across the method; fine propagator "
            "only): P ranks run as P / R time ranks x R node ranks");
  }
  fat = b.add(
      "--fine-adi-theta", [](RunConfig& c) -> double& { return c.fine.integrator.adi_theta; },
      "ADI theta of the fine method (0: the scheme's default, In 't Hout and Foulon's: Douglas and Craig-Sneyd 1/2, "
      "modified Craig-Sneyd 1/3, Hundsdorfer-Verwer 1/2 + sqrt(3)/6)");
  cat = b.add(
      "--coarse-adi-theta", [](RunConfig& c) -> double& { return c.coarse.integrator.adi_theta; },
      "ADI theta of the coarse method (0: the scheme's default)");
  fam = b.add(
      "--fine-adi-mu", [](RunConfig& c) -> double& { return c.fine.integrator.adi_mu; },
      "Hundsdorfer-Verwer's mu of the fine method (0: 1/2)");
  cam = b.add(
      "--coarse-adi-mu", [](RunConfig& c) -> double& { return c.coarse.integrator.adi_mu; },
      "Hundsdorfer-Verwer's mu of the coarse method (0: 1/2)");
  rh = b.add(
      "--rannacher-half-steps", [](RunConfig& c) -> int& { return c.fine.integrator.rannacher_half_steps; },
      "Implicit-Euler half-steps that start Crank-Nicolson (ADI: Douglas with theta 1) at t = 0 (even, 0 = off)");
  b.add(
      "--slices", [](RunConfig& c) -> int& { return c.parareal.slices; }, "Number of time slices N");
  b.add(
      "--max-iterations", [](RunConfig& c) -> int& { return c.parareal.max_iterations; },
      "Maximum Parareal iterations K");
  b.add(
      "--tolerance", [](RunConfig& c) -> double& { return c.parareal.tolerance; },
      "Stop when the largest relative change of a slice value is at most this");
  b.add(
       "--algorithm", [](RunConfig& c) -> std::string& { return c.algorithm; }, algorithms_help())
      ->check(CLI::IsMember(algorithm_names()));
  b.add(
       "--coarse-correction", [](RunConfig& c) -> std::string& { return c.correction.kind; }, corrections_help())
      ->check(CLI::IsMember(correction_names()));
  correction_flags.push_back({b.add(
                                  "--krylov-basis-cap", [](RunConfig& c) -> int& { return c.correction.basis_cap; },
                                  "Krylov: the most basis vectors kept (the largest singular directions)"),
                              "krylov"});
  correction_flags.push_back(
      {b.add(
           "--krylov-rank-tolerance", [](RunConfig& c) -> double& { return c.correction.rank_tolerance; },
           "Krylov: drop directions whose singular value is below this times the largest"),
       "krylov"});
  correction_flags.push_back(
      {b.add(
           "--krylov-smoothness", [](RunConfig& c) -> double& { return c.correction.smoothness; },
           "Krylov: project in <x, y> = x.y + ell^2 Dx.Dy (D: differences of neighbouring unknowns), ell in grid "
           "cells; 0 = Euclidean"),
       "krylov"});
  correction_flags.push_back(
      {b.add(
           "--krylov-coarse-powers", [](RunConfig& c) -> int& { return c.correction.coarse_powers; },
           "Krylov: widen the span by C z .. C^p z (C: the coarse propagator's linear part), their fine images "
           "C^j A z taken without fine solves where A and C commute (checked); 0 = the inputs' span only"),
       "krylov"});
  correction_flags.push_back({b.add(
                                  "--randnet-neurons", [](RunConfig& c) -> int& { return c.correction.neurons; },
                                  "RandNet: hidden ReLU neurons (random weights and biases in [-1, 1])"),
                              "randnet"});
  correction_flags.push_back({b.add(
                                  "--randnet-neighbours", [](RunConfig& c) -> int& { return c.correction.neighbours; },
                                  "RandNet: the read-out is fitted on this many stored inputs nearest to the query"),
                              "randnet"});
  correction_flags.push_back({b.add(
                                  "--randnet-ridge", [](RunConfig& c) -> double& { return c.correction.ridge; },
                                  "RandNet: ridge parameter of the read-out fit (0: minimum norm)"),
                              "randnet"});
  correction_flags.push_back({b.add(
                                  "--randnet-seed", [](RunConfig& c) -> int& { return c.correction.seed; },
                                  "RandNet: seed of the random hidden weights"),
                              "randnet"});
  mgrit_flags.push_back(b.add(
      "--levels", [](RunConfig& c) -> int& { return c.mgrit.levels; },
      "MGRIT: the most levels (XBraid's max_levels); coarsening stops earlier when a grid would have fewer than "
      "--min-coarse points"));
  mgrit_flags.push_back(b.add(
      "--cfactor", [](RunConfig& c) -> int& { return c.mgrit.cfactor; }, "MGRIT: coarsening factor of levels >= 1"));
  mgrit_flags.push_back(b.add(
      "--cfactor0", [](RunConfig& c) -> int& { return c.mgrit.cfactor0; },
      "MGRIT: coarsening factor of level 0 (0: as --cfactor)"));
  mgrit_flags.push_back(b.add(
      "--nu", [](RunConfig& c) -> int& { return c.mgrit.nu; },
      "MGRIT: relaxation F then nu times CF: 0 F-relaxation, 1 FCF, 2 FCFCF"));
  mgrit_flags.push_back(b.add(
      "--min-coarse", [](RunConfig& c) -> int& { return c.mgrit.min_coarse; },
      "MGRIT: smallest coarse grid, in points"));
  cy = app.add_option("--cycle", cycle, "MGRIT: V or F cycles")
           ->capture_default_str()
           ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  rs = app.add_option("--residual", residual,
                      "MGRIT: stop on the residual norm below --tolerance (absolute) or below --tolerance times the "
                      "first computed norm (relative)")
           ->capture_default_str()
           ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  ig = app.add_option("--initial-guess", initial_guess,
                      "MGRIT: the value at every point after t0 (a number), or coarse (the coarse sweep, Parareal's "
                      "predictor)")
           ->capture_default_str()
           ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  sk = app.add_option("--skip", skip,
                      "MGRIT: 1 skips the down-cycle work of the first iteration (it injects the initial guess and "
                      "solves the coarse problem: Parareal's predictor), 0 does it")
           ->check(CLI::IsMember({"0", "1"}))
           ->capture_default_str()
           ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  mgrit_flags.insert(mgrit_flags.end(), {cy, rs, ig, sk});
  b.add(
      "--batch-fine", [](RunConfig& c) -> bool& { return c.parareal.batch_fine; },
      "Run an iteration's fine solves of all slices of a rank as one batched kernel (true) or one by one "
      "(false)");
  problem_flags.emplace_back(nullptr, "black_scholes");
  problem_flags.back().first = b.add(
      "--s-max", [](RunConfig& c) -> double& { return c.black_scholes.s_max; }, "Black-Scholes: S_max");
  problem_flags.emplace_back(nullptr, "black_scholes");
  problem_flags.back().first = b.add(
      "--ds", [](RunConfig& c) -> double& { return c.black_scholes.ds; }, "Black-Scholes: grid spacing dS");
  problem_flags.emplace_back(nullptr, "black_scholes");
  problem_flags.back().first = b.add(
      "--strike", [](RunConfig& c) -> double& { return c.black_scholes.strike; }, "Black-Scholes: strike K");
  problem_flags.emplace_back(nullptr, "black_scholes");
  problem_flags.back().first = b.add(
      "--rate", [](RunConfig& c) -> double& { return c.black_scholes.rate; }, "Black-Scholes: interest rate r");
  problem_flags.emplace_back(nullptr, "black_scholes");
  problem_flags.back().first = b.add(
      "--sigma", [](RunConfig& c) -> double& { return c.black_scholes.sigma; }, "Black-Scholes: volatility sigma");
  problem_flags.emplace_back(nullptr, "black_scholes");
  problem_flags.back().first = b.add(
      "--maturity", [](RunConfig& c) -> double& { return c.black_scholes.maturity; }, "Black-Scholes: maturity T");
  b.add(
      "--json", [](RunConfig& c) -> std::string& { return c.json_path; }, "Write the summary as JSON to FILE");
  b.add(
      "--coarse", [](RunConfig& c) -> std::string& { return c.coarse.model; },
      "Coarse propagator: numerical (--coarse-method), pinn (the shipped PINN), data (the shipped data-only "
      "network), pinn:FILE (any pint train model) or torchscript:FILE: a learned surface N(tau, x) correcting "
      "--coarse-correction-steps implicit-Euler steps (signature in README)");
  ccs = b.add(
      "--coarse-correction-steps", [](RunConfig& c) -> int& { return c.coarse.correction_steps; },
      "Implicit-Euler steps C of a learned coarse propagator G(u) = C(u) + N(t1) - C(N(t0))");
  pap = b.flag(
      "--pinn-any-parameters", [](RunConfig& c) -> bool& { return c.coarse.model_any_parameters; },
      "With --coarse pinn:FILE: use the network even if trained for other r or sigma (generalisation)");
  b.add(
      "--output", [](RunConfig& c) -> std::string& { return c.output_path; },
      "Write the trajectory to this HDF5 file (and an XDMF sidecar for ParaView)");
  b.add(
      "--checkpoint", [](RunConfig& c) -> std::string& { return c.checkpoint_path; },
      "Write a checkpoint after every iteration to this file (atomically: temporary file, then rename)");
  b.add(
      "--restart", [](RunConfig& c) -> std::string& { return c.restart_path; },
      "Resume from a checkpoint written by an interrupted run with the same settings (--max-iterations, "
      "--tolerance, --batch-fine, the spaces, --sdc-node-ranks and the outputs may change)");
  b.flag(
      "--overwrite", [](RunConfig& c) -> bool& { return c.overwrite; },
      "Replace existing output files (--output and its .xmf, --json, --checkpoint)");
  b.flag(
      "--allow-unstable", [](RunConfig& c) -> bool& { return c.allow_unstable; },
      "Run an explicit integrator even where its stability estimate says it will blow up");
  oi = app.add_option("--output-iterations", output_iterations, "Store every iterate (all) or only the last")
           ->check(CLI::IsMember({"all", "last"}))
           ->capture_default_str()
           ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  b.flag(
      "--compare-serial", [](RunConfig& c) -> bool& { return c.compare_serial; },
      "Also run the serial fine solver: its time, the speedup and the error against it");
  // Registered problems' own flags (--spot1, --payoff, ...): one option per flag name. A flag that an
  // original problem already has (--strike, --rate, --maturity of black-scholes) is shared: it sets
  // the selected problem's parameter.
  for (const std::string& name : problem_names()) {
    const ProblemEntry* e = find_problem(name);
    for (const ProblemParameter& p : e->parameters) {
      if (p.flag.empty()) continue;
      ProblemFlag& f = own_flags[p.flag];
      f.targets.emplace_back(e->table, p.key);
      if (f.option) continue;
      f.option = app.get_option_no_throw(p.flag);
      f.shared = f.option != nullptr;
      if (f.shared) continue;  // shared with an original problem's flag: read from that option
      std::string help = e->name + ": " + p.help;
      if (!p.choices.empty()) {
        help += " (";
        for (std::size_t i = 0; i < p.choices.size(); ++i) help += (i ? ", " : "") + p.choices[i];
        help += ")";
      }
      f.option = app.add_option(p.flag, f.text, help)->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    }
  }
}

RunFlags::RunFlags() : impl_(std::make_unique<Impl>()) {}
RunFlags::~RunFlags() = default;
bool RunFlags::version() const {
  return impl_->version;
}
bool RunFlags::print_config() const {
  return impl_->print_config;
}

RunConfig RunFlags::parse(const std::vector<std::string>& args) {
  Impl& m = *impl_;
  std::vector<const char*> argv{"pint"};
  for (const auto& a : args) argv.push_back(a.c_str());
  try {
    m.app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::CallForHelp&) {
    throw HelpRequested(m.app.help());
  } catch (const CLI::CallForAllHelp&) {
    throw HelpRequested(m.app.help("", CLI::AppFormatMode::All));
  } catch (const CLI::ParseError& e) {
    throw ConfigError(std::string(e.what()) + " (pint --help lists the flags)");
  }
  RunConfig config;
  if (!m.config_path.empty()) config = load_config_file(m.config_path, config);
  config.config_file = m.config_path;
  m.b.apply(config);
  const auto method = [](const char* flag, const std::string& name) {
    try {
      return parse_integrator(name);
    } catch (const std::invalid_argument& e) {
      throw ConfigError(std::string(flag) + ": " + e.what());
    }
  };
  if (m.fm->count()) config.fine.integrator.method = method("--fine-method", m.fine_method);
  if (m.cm->count()) config.coarse.integrator.method = method("--coarse-method", m.coarse_method);
  for (const auto& [o, key] :
       {std::pair{m.fm, "fine.method"}, std::pair{m.cm, "coarse.method"}, std::pair{m.fst, "fine.steps"},
        std::pair{m.cst, "coarse.steps"}, std::pair{m.rh, "fine.rannacher_half_steps"},
        std::pair{m.fat, "fine.adi_theta"}, std::pair{m.cat, "coarse.adi_theta"}})
    if (o->count()) config.given.insert(key);
  try {
    apply_problem_defaults(config);
  } catch (const std::invalid_argument& e) {
    throw ConfigError(e.what());
  }
  if (m.oi->count()) config.output_all_iterations = m.output_iterations == "all";
  if (m.sk->count()) config.mgrit.skip = m.skip == "1";
  if (m.cy->count()) config.mgrit.cycle = parse_cycle_setting("--cycle", m.cycle);
  if (m.rs->count()) config.mgrit.relative = parse_residual_setting("--residual", m.residual);
  if (m.ig->count()) config.mgrit.initial_guess = parse_initial_guess("--initial-guess", m.initial_guess);
  if (m.om->count()) config.black_scholes.type = m.option == "call" ? OptionType::Call : OptionType::Put;
  // A flag of another problem's table, or a start-up for a method that has none, would be ignored
  // silently: refused instead, naming what the flag applies to.
  const ProblemEntry* selected = find_problem(config.problem);
  auto refuse_foreign = [&](CLI::Option* o, const std::string& table) {
    if (o->count() == 0 || (selected && selected->table == table)) return;
    const ProblemEntry* owner = find_problem_table(table);
    throw ConfigError(o->get_name() + " applies to --problem " + (owner ? owner->name : table) + " (its [" + table +
                      "] table); the selected problem is " + config.problem);
  };
  // A registered problem's own flag sets the selected problem's parameter; given for a problem that has
  // no such flag it is refused, naming the problems that have it.
  std::set<CLI::Option*> taken;
  for (auto& [flag, f] : m.own_flags) {
    if (f.option->count() == 0) continue;
    const ProblemParameter* target = nullptr;
    std::string owners;
    for (const auto& [table, key] : f.targets) {
      if (selected && selected->table == table)
        for (const ProblemParameter& p : selected->parameters)
          if (p.key == key) target = &p;
      owners += (owners.empty() ? "" : ", ") + find_problem_table(table)->name;
    }
    if (!target) {
      if (f.shared) continue;  // the original problem's own flag: refused below if it is not selected either
      throw ConfigError(flag + " applies to --problem " + owners + "; the selected problem is " + config.problem);
    }
    taken.insert(f.option);
    const std::string text = f.shared ? f.option->as<std::string>() : f.text;
    double v = 0.0;
    if (!target->choices.empty()) {
      try {
        v = parameter_choice(*target, text, flag);
      } catch (const std::invalid_argument& e) {
        throw ConfigError(e.what());
      }
    } else {
      char* end = nullptr;
      v = std::strtod(text.c_str(), &end);
      if (text.empty() || *end != '\0')
        throw ConfigError(flag + " '" + text + "': give a number (" + target->help + ")");
    }
    config.problem_values[selected->table][target->key] = v;
  }
  for (const auto& [o, table] : m.problem_flags)
    if (!taken.count(o)) refuse_foreign(o, table);
  // The [mgrit] flags with another algorithm would be ignored silently: refused.
  for (CLI::Option* o : m.mgrit_flags)
    if (o->count() && config.algorithm != "mgrit")
      throw ConfigError(o->get_name() + " applies to --algorithm mgrit (its [mgrit] table); the algorithm is " +
                        config.algorithm);
  // A correction's flags with another correction would be ignored silently: refused.
  for (const auto& [o, kind] : m.correction_flags)
    if (o->count() && config.correction.kind != kind)
      throw ConfigError(o->get_name() + " applies to --coarse-correction " + kind + "; the correction is " +
                        config.correction.kind);
  refuse_foreign(m.om, "black_scholes");
  if (m.rh->count() && config.fine.integrator.method != Integrator::CrankNicolson &&
      !needs_split(config.fine.integrator.method))
    throw ConfigError(
        "--rannacher-half-steps applies to a fine crank-nicolson or ADI method (their start-up); the "
        "fine method is " +
        to_string(config.fine.integrator.method));
  if (config.coarse.model == "numerical")
    for (CLI::Option* o : {m.ccs, m.pap})
      if (o->count())
        throw ConfigError(o->get_name() + (o == m.ccs ? " (given " + o->as<std::string>() + ")" : std::string()) +
                          " applies to a learned coarse propagator (--coarse pinn, data, pinn:FILE or "
                          "torchscript:FILE); the coarse propagator is numerical (--coarse-method)");
  if (m.pm->count()) {
    const ProblemEntry* e = find_problem(config.problem);
    if (!e || e->parameters.empty())
      throw ConfigError("--param sets a declared parameter of the selected problem, and " + config.problem +
                        " has none: set its values with its own flags or its [" + (e ? e->table : config.problem) +
                        "] table");
    for (const std::string& kv : m.params) {
      const auto eq = kv.find('=');
      const std::string key = kv.substr(0, eq);
      char* end = nullptr;
      double v = eq == std::string::npos ? 0.0 : std::strtod(kv.c_str() + eq + 1, &end);
      const ProblemParameter* spec = nullptr;
      for (const auto& p : e->parameters)
        if (p.key == key) spec = &p;
      if (eq != std::string::npos && spec && !spec->choices.empty()) {
        try {
          v = parameter_choice(*spec, kv.substr(eq + 1), "--param");
        } catch (const std::invalid_argument& err) {
          throw ConfigError(err.what());
        }
        end = nullptr;
      } else if (eq == std::string::npos || eq == 0 || end == kv.c_str() + eq + 1 || *end != '\0')
        throw ConfigError("--param '" + kv + "': give KEY=NUMBER, e.g. --param " + e->parameters.front().key + "=" +
                          fmt::format("{}", e->parameters.front().default_value));
      config.problem_values[e->table][key] = v;
    }
  }
  return config;
}

}  // namespace pint

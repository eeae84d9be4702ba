#include "train_command.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io/output_paths.hpp"
#include "io/run_config.hpp"
#include "models/black_scholes.hpp"
#include "models/learned/bs_data_fit.hpp"
#include "models/learned/bs_pinn.hpp"
#include "models/learned/bs_pinn_flow.hpp"
#include "progress_bar.hpp"

namespace pint {

namespace {

/// A whole number in [lo, hi] (CLI11's own range messages print the limits of a double: 300 digits).
CLI::Validator at_least(long lo, long hi = std::numeric_limits<int>::max()) {
  return CLI::Validator(
      [lo, hi](std::string& s) {
        std::size_t used = 0;
        long v = 0;
        try {
          v = std::stol(s, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (s.empty() || used != s.size() || v < lo || v > hi)
          return "'" + s + "' is not a whole number " +
                 (hi == std::numeric_limits<int>::max() ? ">= " + std::to_string(lo)
                                                        : "from " + std::to_string(lo) + " to " + std::to_string(hi));
        return std::string();
      },
      "INT>=" + std::to_string(lo));
}

/// A finite number > 0 (or >= 0 with `zero_ok`).
CLI::Validator positive(bool zero_ok = false) {
  return CLI::Validator(
      [zero_ok](std::string& s) {
        std::size_t used = 0;
        double v = 0;
        try {
          v = std::stod(s, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (s.empty() || used != s.size() || !(v > 0 || (zero_ok && v == 0)) || !std::isfinite(v))
          return "'" + s + "' is not a number " + (zero_ok ? ">= 0" : "> 0");
        return std::string();
      },
      zero_ok ? "NUMBER>=0" : "NUMBER>0");
}

}  // namespace

int train_command(int argc, char** argv) {
  CLI::App app{
      "pint train: trains the physics-informed network of the Black-Scholes call (hard boundary and expiry "
      "constraints, PDE residual loss) and saves it for --coarse pinn:FILE; with --data-only, the same network "
      "fitted to a serial fine-solver trajectory instead (seed 000 Fig. 3)",
      "pint train"};
  BlackScholesParams p;
  PinnArchitecture arch;
  PinnTraining cfg;
  std::string out = "pinn.pt", history_path;
  int threads = 0;
  bool data_only = false;
  FineTrajectoryConfig traj;
  app.add_option("--out", out, "Model file to write")->capture_default_str();
  app.add_option("--history", history_path, "Loss history CSV (default: OUT.loss.csv)");
  bool overwrite = false;
  app.add_flag("--overwrite", overwrite, "Replace an existing --out model or --history file");
  app.add_option("--layers", arch.layers, "Hidden layers (1 to 64)")->capture_default_str()->check(at_least(1, 64));
  app.add_option("--width", arch.width, "Neurons per hidden layer")->capture_default_str()->check(at_least(1, 4096));
  app.add_option("--activation", arch.activation, "tanh or silu (smooth: ReLU has no second derivative)")
      ->capture_default_str()
      ->check(CLI::IsMember({"tanh", "silu"}));
  app.add_option("--epochs", cfg.epochs, "Adam steps (one mini-batch each)")->capture_default_str()->check(at_least(0));
  app.add_option("--batch", cfg.batch,
                 "Collocation points per step (adam; the other optimisers' mini-batch: default 256, the whole fixed "
                 "set for full-batch steps)")
      ->capture_default_str()
      ->check(at_least(1));
  app.add_option("--lr", cfg.learning_rate, "Initial learning rate")->capture_default_str()->check(positive());
  app.add_option("--lr-decay", cfg.lr_decay, "Learning-rate factor over the whole run")
      ->capture_default_str()
      ->check(positive());
  app.add_option("--lbfgs", cfg.lbfgs_iterations, "L-BFGS iterations after Adam (0 = none)")
      ->capture_default_str()
      ->check(at_least(0));
  app.add_option("--x-extent", arch.x_extent, "Network covers S in [0, x_extent K]; beyond, V = S - K e^{-r tau}")
      ->capture_default_str();
  app.add_option("--lbfgs-batch", cfg.lbfgs_batch, "Collocation points of the L-BFGS finish")
      ->capture_default_str()
      ->check(at_least(1));
  app.add_option("--seed", cfg.seed, "Random seed (weights and collocation points)")->capture_default_str();
  app.add_option("--torch-threads", threads, "Torch intra-op threads (0 = torch's default)")->check(at_least(0));
  app.add_flag("--data-only", data_only,
               "Fit the network to the serial fine solution (Crank-Nicolson, 16 x 200 steps) instead of the PDE "
               "residual: the data-only network of seed 000 Fig. 3");
  app.add_option("--snapshot-steps", traj.snapshot_steps,
                 "--data-only: fine steps between the stored states the network is fitted to (divides 200)")
      ->capture_default_str()
      ->check(at_least(1));
  std::string optimizer = "adam", json_path;
  ParaflowSettings flow;
  flow.batch = 256;
  flow.eta = 0.05;
  flow.budget = 2e6;
  int collocation = 2048;
  double budget = 0;
  app.add_option("--optimizer", optimizer,
                 "adam: Adam on fresh collocation points every step, then L-BFGS (the shipped recipe); gd, "
                 "paraflows, paraflow, adam-fixed: plain gradient descent, ParaFlowS, ParaFlow (seed 001) or Adam on "
                 "a fixed set of --collocation points, mini-batches of --batch, until --budget gradient evaluations")
      ->capture_default_str()
      ->check(CLI::IsMember({"adam", "gd", "paraflows", "paraflow", "adam-fixed"}));
  app.add_option("--collocation", collocation,
                 "gd / paraflows / paraflow / adam-fixed: the fixed collocation set's size")
      ->capture_default_str()
      ->check(at_least(1));
  app.add_option("--budget", budget,
                 "Gradient evaluations of single points (seed 001's unit). gd / paraflows / paraflow / adam-fixed: "
                 "default 2e6; adam: sets --epochs to budget / batch and turns L-BFGS off")
      ->check(positive());
  app.add_option("--eta", flow.eta, "gd / paraflows / paraflow / adam-fixed: step length (ParaFlow's eta_F)")
      ->capture_default_str()
      ->check(positive());
  app.add_option("--nf", flow.nf, "paraflows / paraflow: N_F, fine steps per coarse step")
      ->capture_default_str()
      ->check(at_least(1));
  app.add_option("--ng", flow.ng, "paraflows / paraflow: N_G")->capture_default_str()->check(at_least(1));
  double max_seconds = 0;
  app.add_option("--max-seconds", max_seconds,
                 "Stop after this much wall time (0 = no limit): for comparisons at equal time, not reproducible")
      ->capture_default_str()
      ->check(positive(true));
  app.add_option("--json", json_path, "Loss history and final figures as JSON");
  app.add_option("--s-max", p.s_max, "S_max")->capture_default_str();
  app.add_option("--strike", p.strike, "Strike K")->capture_default_str();
  app.add_option("--rate", p.rate, "Interest rate r")->capture_default_str();
  app.add_option("--sigma", p.sigma, "Volatility sigma")->capture_default_str();
  app.add_option("--maturity", p.maturity, "Maturity T")->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  validate(p);
  if (threads > 0) torch::set_num_threads(threads);
  if (history_path.empty()) history_path = out + ".loss.csv";
  const bool fixed_set = optimizer != "adam";
  const bool batch_given = app.count("--batch") > 0;
  if (fixed_set) {
    if (data_only) throw ConfigError("--data-only trains with Adam; drop --optimizer " + optimizer + " or --data-only");
    flow.variant = optimizer == "adam-fixed" ? "adam" : optimizer;
    flow.batch = batch_given ? cfg.batch : std::min(256, collocation);
    if (flow.batch > collocation)
      throw ConfigError("--batch " + std::to_string(flow.batch) + " is larger than the fixed collocation set (" +
                        std::to_string(collocation) + " points); use at most " + std::to_string(collocation) +
                        " (all of them: full-batch steps) or a larger --collocation");
    if (budget > 0) flow.budget = budget;
    flow.seed = cfg.seed;
    flow.max_seconds = max_seconds;
    // Refused here, before any output or training, with the flags' names (run_paraflow checks again).
    const int b = flow.batch > 0 ? flow.batch : collocation;
    if (flow.budget < b)
      throw ConfigError("--budget " + fmt::format("{:g}", flow.budget) + " is smaller than one step of " +
                        std::to_string(b) + " points; give at least " + std::to_string(b));
    const double one = one_iteration_cost(flow, collocation);
    if (flow.budget < one)
      throw ConfigError("--budget " + fmt::format("{:g}", flow.budget) + " cannot complete one " + optimizer +
                        " iteration, which costs " + fmt::format("{:g}", one) +
                        (optimizer == "paraflows" ? " (one fine propagation: --batch x --nf)"
                                                  : " (the initial set and --ng fine propagations)") +
                        "; give at least " + fmt::format("{:g}", one) + ", or lower --nf or --batch");
  } else {
    for (const char* f : {"--collocation", "--eta", "--nf", "--ng"})
      if (app.count(f) > 0)
        throw ConfigError(std::string(f) +
                          " belongs to the fixed-set optimisers (gd, paraflows, paraflow, adam-fixed); " +
                          "with --optimizer adam use --lr, --epochs and --batch");
    if (budget > 0) {
      if (app.count("--epochs") > 0 || app.count("--lbfgs") > 0)
        throw ConfigError(
            "--budget sets Adam's steps (budget / batch) and turns L-BFGS off: drop --epochs and --lbfgs");
      cfg.epochs = static_cast<int>(std::min(budget / cfg.batch, 2e9));
      if (cfg.epochs < 1)
        throw ConfigError("--budget " + fmt::format("{:g}", budget) + " is smaller than one Adam step of " +
                          std::to_string(cfg.batch) + " points; give at least " + std::to_string(cfg.batch));
      cfg.lbfgs_iterations = 0;
    }
    cfg.max_seconds = max_seconds;
  }
  // Before minutes of training, not after.
  std::vector<OutputFile> outputs{{out, "--out", ""}, {history_path, "--history", ""}};
  if (!json_path.empty()) outputs.push_back({json_path, "--json", ""});
  check_outputs(outputs, overwrite);

  BlackScholesPinn net(p, arch);
  if (fixed_set)
    fmt::print(
        "pint train: {} x {} {} network, PDE residual loss, {} on {} fixed collocation points (batch {}, "
        "eta {:g}{}), budget {:g} gradient evaluations, seed {}\n",
        arch.layers, arch.width, arch.activation, optimizer, collocation, flow.batch > 0 ? flow.batch : collocation,
        flow.eta,
        flow.variant == "paraflows" || flow.variant == "paraflow" ? fmt::format(", N_F {}, N_G {}", flow.nf, flow.ng)
                                                                  : std::string(),
        flow.budget, cfg.seed);
  else
    fmt::print("pint train: {} x {} {} network, {} loss, {} Adam steps (batch {}) + {} L-BFGS, seed {}\n", arch.layers,
               arch.width, arch.activation, data_only ? "data-only (fine trajectory)" : "PDE residual", cfg.epochs,
               cfg.batch, cfg.lbfgs_iterations, cfg.seed);
  FineTrajectory data;
  if (data_only) {
    const auto t0 = std::chrono::steady_clock::now();
    data = fine_trajectory(p, arch.x_extent * p.strike, traj);
    fmt::print("fine trajectory: {} states x {} grid points (S <= {:g}) in {:.1f} s\n", data.values.size(0),
               data.values.size(1), arch.x_extent * p.strike,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  ProgressBar bar;
  auto progress = [&](int step, int total, const PinnLoss& l) {
    const double f = static_cast<double>(step) / std::max(1, total);
    bar.show(f, data_only ? fmt::format("step {:>6}/{}  data {:.3e}", step, total, l.data)
                          : fmt::format("step {:>6}/{}  residual {:.3e}  boundary {:.1e}  expiry {:.1e}", step, total,
                                        l.residual, l.boundary, l.expiry));
  };
  nlohmann::json doc{{"optimizer", optimizer}, {"seed", cfg.seed}};
  nlohmann::json history = nlohmann::json::array();
  std::ostringstream h;
  double train_loss = 0, seconds = 0, gradients = 0;
  if (fixed_set) {
    const ParaflowResult r = train_pinn_flow(net, flow, collocation, [&](double spent, double total) {
      bar.show(std::min(1.0, spent / total), fmt::format("{:.3g} / {:.3g} gradient evaluations", spent, total));
    });
    // The budget rarely divides into whole steps: close the bar at what was spent.
    bar.show(1.0, fmt::format("{:.4g} of {:.4g} gradient evaluations spent", r.gradients, flow.budget));
    h << "gradients,seconds,loss\n";
    for (const auto& rec : r.history) {
      h << rec.gradients << "," << rec.seconds << "," << rec.loss << "\n";
      history.push_back({{"gradients", rec.gradients}, {"seconds", rec.seconds}, {"loss", rec.loss}});
    }
    train_loss = r.final_loss;
    seconds = r.seconds;
    gradients = r.gradients;
    doc["settings"] = {{"collocation", collocation},
                       {"batch", flow.batch > 0 ? flow.batch : collocation},
                       {"eta", flow.eta},
                       {"nf", flow.nf},
                       {"ng", flow.ng},
                       {"budget", flow.budget},
                       {"max_seconds", max_seconds}};
    doc["loss_evaluations"] = r.loss_evaluations;
    doc["iterations"] = r.iterations;
  } else {
    const PinnTrainResult r = data_only ? train_data_only(net, cfg, data, progress) : train_pinn(net, cfg, progress);
    h << "step,residual,boundary,expiry,data,gradients,seconds\n";
    for (std::size_t i = 0; i < r.history.size(); ++i) {
      h << r.history_step[i] << "," << r.history[i].residual << "," << r.history[i].boundary << ","
        << r.history[i].expiry << "," << r.history[i].data << "," << r.history_gradients[i] << ","
        << r.history_seconds[i] << "\n";
      history.push_back({{"gradients", r.history_gradients[i]},
                         {"seconds", r.history_seconds[i]},
                         {"loss", data_only ? r.history[i].data : r.history[i].residual}});
    }
    train_loss = data_only ? r.final_loss.data : r.final_loss.residual;
    seconds = r.seconds;
    gradients = r.gradients;
    doc["settings"] = {{"epochs", cfg.epochs},          {"batch", cfg.batch},
                       {"lr", cfg.learning_rate},       {"lr_decay", cfg.lr_decay},
                       {"lbfgs", cfg.lbfgs_iterations}, {"max_seconds", max_seconds}};
    if (!data_only)
      fmt::print("final loss: residual {:.3e}, boundary {:.1e}, expiry {:.1e}\n", r.final_loss.residual,
                 r.final_loss.boundary, r.final_loss.expiry);
  }
  save_pinn(net, out);
  write_text_atomically(history_path, h.str(), "the loss history");
  // Reported, not trained on: the residual on 4096 points no optimiser saw (a fixed seed of their own), and the
  // error against the closed form at the 16 slice boundaries.
  double heldout = 0.0;
  {
    net->eval();
    auto gen = torch::make_generator<torch::CPUGeneratorImpl>(0x5eedbeefULL);
    const TrainingBatch held = sample_collocation(p, arch.x_extent, 4096, gen);
    heldout = pinn_loss_terms(net, held.tau, held.S).residual;
  }
  double worst_domain = 0.0;
  {
    torch::NoGradGuard ng;
    const auto S = torch::linspace(0.5 * p.strike, 2.0 * p.strike, 151, torch::kFloat64);
    for (int n = 1; n <= 16; ++n) {
      const double tau = p.maturity * n / 16.0;
      const auto V = net->forward(torch::full_like(S, tau), S);
      for (int i = 0; i < S.numel(); ++i) {
        const double s = S[i].item<double>();
        worst_domain = std::max(
            worst_domain,
            std::abs(V[i].item<double>() - black_scholes_price(OptionType::Call, s, p.strike, p.rate, p.sigma, tau)));
      }
    }
  }
  fmt::print("trained in {:.1f} s, {:.4g} gradient evaluations; final {} loss {:.3e}{}\n", seconds, gradients,
             data_only ? "data" : (fixed_set ? "residual (fixed set)" : "residual (last batch)"), train_loss,
             data_only ? std::string() : fmt::format(", held-out residual {:.3e}", heldout));
  fmt::print("max |V_net - closed form| over S in [{:g}, {:g}] at the 16 slice boundaries: {:.3e}\n", 0.5 * p.strike,
             2.0 * p.strike, worst_domain);
  if (!json_path.empty()) {
    doc["history"] = history;
    doc["final"] = {{"train_loss", train_loss},
                    {"heldout_residual", heldout},
                    {"max_error", worst_domain},
                    {"seconds", seconds},
                    {"gradients", gradients}};
    write_text_atomically(json_path, doc.dump(1) + "\n", "the training summary");
  }
  fmt::print("model written to {}, loss history to {}{}\n", out, history_path,
             json_path.empty() ? std::string() : ", summary to " + json_path);
  return 0;
}

}  // namespace pint

#include "train_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "io/output_paths.hpp"
#include "models/black_scholes.hpp"
#include "models/learned/bs_data_fit.hpp"
#include "models/learned/bs_pinn.hpp"

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

/// A finite number > 0.
CLI::Validator positive() {
  return CLI::Validator(
      [](std::string& s) {
        std::size_t used = 0;
        double v = 0;
        try {
          v = std::stod(s, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (s.empty() || used != s.size() || !(v > 0) || !std::isfinite(v)) return "'" + s + "' is not a number > 0";
        return std::string();
      },
      "NUMBER>0");
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
  app.add_option("--batch", cfg.batch, "Collocation points per step")->capture_default_str()->check(at_least(1));
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
  // Before minutes of training, not after.
  check_outputs({{out, "--out", ""}, {history_path, "--history", ""}}, overwrite);

  BlackScholesPinn net(p, arch);
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
  const bool tty = isatty(fileno(stdout));
  int last_decile = -1;
  auto progress = [&](int step, int total, const PinnLoss& l) {
    const double f = static_cast<double>(step) / std::max(1, total);
    const int filled = static_cast<int>(30 * f);
    const std::string bar = std::string(filled, '#') + std::string(30 - filled, '.');
    const std::string line =
        data_only ? fmt::format("[{}] {:3.0f}% step {:>6}/{}  data {:.3e}", bar, 100 * f, step, total, l.data)
                  : fmt::format("[{}] {:3.0f}% step {:>6}/{}  residual {:.3e}  boundary {:.1e}  expiry {:.1e}", bar,
                                100 * f, step, total, l.residual, l.boundary, l.expiry);
    if (tty) {
      fmt::print("\r{}", line);
      if (step == total) fmt::print("\n");
    } else if (static_cast<int>(10 * f) != last_decile || step == total) {
      last_decile = static_cast<int>(10 * f);
      fmt::print("{}\n", line);
    }
    std::fflush(stdout);
  };
  const PinnTrainResult r = data_only ? train_data_only(net, cfg, data, progress) : train_pinn(net, cfg, progress);
  save_pinn(net, out);
  {
    std::ostringstream h;
    h << "step,residual,boundary,expiry,data\n";
    for (std::size_t i = 0; i < r.history.size(); ++i)
      h << r.history_step[i] << "," << r.history[i].residual << "," << r.history[i].boundary << ","
        << r.history[i].expiry << "," << r.history[i].data << "\n";
    write_text_atomically(history_path, h.str(), "the loss history");
  }
  // Report (not used in training): the error against the closed form at the 16 slice boundaries.
  double worst_domain = 0.0;
  {
    torch::NoGradGuard ng;
    net->eval();
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
  if (data_only)
    fmt::print("trained in {:.1f} s; final data loss {:.3e}\n", r.seconds, r.final_loss.data);
  else
    fmt::print("trained in {:.1f} s; final loss: residual {:.3e}, boundary {:.1e}, expiry {:.1e}\n", r.seconds,
               r.final_loss.residual, r.final_loss.boundary, r.final_loss.expiry);
  fmt::print("max |V_net - closed form| over S in [{:g}, {:g}] at the 16 slice boundaries: {:.3e}\n", 0.5 * p.strike,
             2.0 * p.strike, worst_domain);
  fmt::print("model written to {}, loss history to {}\n", out, history_path);
  return 0;
}

}  // namespace pint

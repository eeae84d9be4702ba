#include "paraflow_command.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "io/output_paths.hpp"
#include "io/run_config.hpp"
#include "models/learned/paraflow.hpp"
#include "plot_command.hpp"
#include "progress_bar.hpp"

namespace pint {

namespace {

using json = nlohmann::json;

/// The paper's sweeps (seed 001, Tables 1-3): full batch and a smaller one, four step lengths, four budgets.
struct Preset {
  std::string problem;
  std::vector<int> batches;
  std::vector<double> budgets;
};
Preset preset(const std::string& table) {
  if (table == "table1") return {"classifier", {10, 1}, {1e4, 1e5, 1e6, 1e7}};
  if (table == "table2") return {"approximation", {30, 1}, {1e4, 1e5, 1e6, 1e7}};
  if (table == "table3") return {"poisson-l", {1440, 720}, {1e5, 1e6, 1e7, 1e8}};
  throw ConfigError("--sweep " + table + ": use table1, table2 or table3");
}

/// At most `points` records, evenly thinned (the first and last kept).
json thinned(const std::vector<ParaflowRecord>& h, std::size_t points = 300) {
  json out = json::array();
  const std::size_t step = std::max<std::size_t>(1, h.size() / points);
  for (std::size_t i = 0; i < h.size(); i += step) out.push_back({h[i].gradients, h[i].loss});
  if (!h.empty() && (h.size() - 1) % step != 0) out.push_back({h.back().gradients, h.back().loss});
  return out;
}

json result_json(const ParaflowResult& r) {
  return {{"final_loss", r.final_loss}, {"initial_loss", r.initial_loss},
          {"gradients", r.gradients},   {"loss_evaluations", r.loss_evaluations},
          {"iterations", r.iterations}, {"completed_iteration", r.completed_iteration},
          {"seconds", r.seconds},       {"history", thinned(r.history)}};
}

std::string sig(double v) {
  return fmt::format("{:.4g}", v);
}

/// Seconds per gradient evaluation of a single sample with batch b (median of a few timed calls).
double seconds_per_sample(const TrainingProblem& p, int b) {
  const torch::Tensor W = p.initial_weights(1);
  std::vector<int64_t> idx(b);
  for (int i = 0; i < b; ++i) idx[i] = i;
  const torch::Tensor t = torch::tensor(idx, torch::TensorOptions().dtype(torch::kInt64));
  std::vector<double> times;
  for (int i = 0; i < 9; ++i) {
    const auto s = std::chrono::steady_clock::now();
    p.gradient(W, t);
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - s).count());
  }
  std::sort(times.begin(), times.end());
  return times[4] / b;
}

/// Writes `doc` to --json (if given) and draws it into --png (if given) with pint_paraflow_plot.py: the sweep's
/// table, or one run's loss history. Without --json the plot reads a temporary copy, removed afterwards.
int write_json_and_png(const json& doc, const std::string& json_path, const std::string& png_path, const char* what) {
  if (!json_path.empty()) {
    write_text_atomically(json_path, doc.dump(1) + "\n", "the JSON output");
    fmt::print("written to {}\n", json_path);
  }
  if (png_path.empty()) return 0;
  std::string data_path = json_path;
  if (data_path.empty()) {
    data_path = png_path + ".json.tmp";
    write_text_atomically(data_path, doc.dump(1) + "\n", "the plot's data");
  }
  const int rc = run_python_script(paraflow_plot_script(), {data_path, png_path});
  if (data_path != json_path) std::remove(data_path.c_str());
  if (rc != 0) return rc;
  fmt::print("{} drawn into {}\n", what, png_path);
  return 0;
}

}  // namespace

int paraflow_command(int argc, char** argv) {
  CLI::App app{
      "pint paraflow: Parareal as an optimiser (seed 001): ParaFlowS, ParaFlow and plain gradient descent on the "
      "paper's classifier, approximation and L-shaped Poisson PINN, under a budget of single-sample gradient "
      "evaluations. One configuration, or a sweep (several values of --batch/--eta/--nf/--budget, or --sweep "
      "tableN) printing the paper's table of R = L_ParaFlowS / L_GD",
      "pint paraflow"};
  std::string problem_name = "classifier", variant = "paraflows", json_path, table_path, png_path, sweep;
  std::vector<int> batches{0}, nfs{10};
  std::vector<double> etas{0.1}, budgets{1e4};
  ParaflowSettings base;
  bool overwrite = false;
  int jobs = 1;
  double max_cell_seconds = 600;
  app.add_option("--problem", problem_name, "classifier, approximation or poisson-l")->capture_default_str();
  std::string loss = "sum";
  app.add_option("--loss", loss,
                 "sum: the sum over samples of 1/2 |y - a|^2 (pint's decision); mean (poisson-l only): DeepXDE's "
                 "mean squared residual plus mean squared boundary value")
      ->capture_default_str();
  app.add_option("--variant", variant, "paraflows, paraflow, gd or adam (a sweep: paraflows or paraflow)")
      ->capture_default_str();
  app.add_option("--batch", batches, "Mini-batch size(s) b of F and of GD (0 = the full batch)")->delimiter(',');
  app.add_option("--eta", etas, "Step length(s) eta_F (eta_G = N_F eta_F)")->delimiter(',');
  app.add_option("--nf", nfs, "N_F: stochastic gradient steps per fine propagation")->delimiter(',');
  app.add_option("--budget", budgets, "Budget(s): gradient evaluations of single samples")->delimiter(',');
  app.add_option("--ng", base.ng, "N_G: ParaFlowS's cap on its inner loop; ParaFlow's window")->capture_default_str();
  app.add_option("--seed", base.seed, "Seed of the initial weights and the mini-batches")->capture_default_str();
  app.add_option("--initial-set", base.initial_set, "ParaFlow: coarse (G sweep) or repeat (W_k everywhere)")
      ->capture_default_str();
  app.add_option("--threads", base.threads, "ParaFlow: threads for the N_G fine solves")->capture_default_str();
  app.add_flag("--accept-fine", base.accept_fine,
               "ParaFlowS diagnostic, not Alg. 2: take F's result even where it raises the loss (Theorem 1's "
               "monotonicity is lost); shows what Alg. 2's stall at large step lengths costs");
  app.add_option("--sweep", sweep, "The paper's sweep: table1 (classifier), table2 (approximation), table3 (PINN)");
  app.add_option("--jobs", jobs, "Sweep cells run at once (one thread each)")->capture_default_str();
  app.add_option("--max-cell-seconds", max_cell_seconds,
                 "Sweep: skip cells whose estimated time is above this (said in the table)")
      ->capture_default_str();
  app.add_option("--json", json_path, "Write the loss histories (and the sweep's cells) as JSON");
  app.add_option("--table", table_path, "Sweep: write the Markdown table here");
  app.add_option("--png", png_path,
                 "Draw into this PNG: a sweep's table, shaded as the paper's; one run's loss against the budget");
  app.add_flag("--overwrite", overwrite, "Replace existing output files");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  // One torch thread: the runs are bit-reproducible, and sweep cells run side by side instead.
  at::set_num_threads(1);
  std::vector<double> eta_list = etas;
  if (!sweep.empty()) {
    const Preset pr = preset(sweep);
    problem_name = pr.problem;
    if (app.count("--batch") == 0) batches = pr.batches;
    if (app.count("--budget") == 0) budgets = pr.budgets;
    if (app.count("--eta") == 0) eta_list = {0.1, 0.01, 0.001, 0.0001};
    if (app.count("--nf") == 0) nfs = {10, 50, 100, 500, 1000, 2000};
  }
  std::unique_ptr<TrainingProblem> problem;
  try {
    problem = make_training_problem(problem_name, loss);
  } catch (const std::invalid_argument& e) {
    throw ConfigError(e.what());
  }
  if (jobs < 1) throw ConfigError("--jobs must be at least 1");
  const std::string accept_fine_note =
      base.accept_fine ? "; F's result taken even where it raises the loss (--accept-fine: a diagnostic, not Alg. 2)"
                       : "";
  const bool is_sweep =
      !sweep.empty() || batches.size() > 1 || eta_list.size() > 1 || nfs.size() > 1 || budgets.size() > 1;
  // Every cell's settings are checked before any work.
  for (int b : batches)
    for (double eta : eta_list)
      for (double budget : budgets)
        for (int nf : nfs) {
          ParaflowSettings s = base;
          s.variant = variant;
          s.batch = b;
          s.eta = eta;
          s.nf = nf;
          s.budget = budget;
          try {
            validate(s, *problem);
          } catch (const std::invalid_argument& e) {
            throw ConfigError(e.what());
          }
        }
  if (is_sweep && variant != "paraflows" && variant != "paraflow")
    throw ConfigError("--variant " + variant +
                      " in a sweep: the table sets ParaFlowS or ParaFlow (one column per N_F) against GD; use "
                      "--variant paraflows or paraflow, or run " +
                      variant + " as one configuration");
  if (!is_sweep && !table_path.empty())
    throw ConfigError("--table writes a sweep's table: give several values or --sweep (--png draws one run's loss)");
  check_outputs({{json_path, "--json", ""}, {table_path, "--table", ""}, {png_path, "--png", ""}}, overwrite);

  if (!is_sweep) {
    ParaflowSettings s = base;
    s.variant = variant;
    s.batch = batches[0];
    s.eta = eta_list[0];
    s.nf = nfs[0];
    s.budget = budgets[0];
    // One run that cannot complete one iteration would train nothing: refused (a sweep shows such a cell as "-").
    const double one = one_iteration_cost(s, problem->samples());
    if (s.budget < one)
      throw ConfigError(fmt::format(
          "a budget of {:g} gradient evaluations cannot complete one {} iteration, which costs {:g}{}; give --budget "
          ">= {:g}{}",
          s.budget, variant, one,
          variant == "paraflows"  ? " (one fine propagation, batch x N_F)"
          : variant == "paraflow" ? " (the initial set and N_G fine propagations)"
                                  : "",
          one, variant == "paraflows" || variant == "paraflow" ? ", or lower --nf or --batch" : ""));
    fmt::print(
        "pint paraflow: {} on {} ({} weights, {} samples), batch {}, eta {:g}, N_F {}, N_G {}, budget {:g}, seed "
        "{}{}\n",
        variant, problem->name(), problem->weight_count(), problem->samples(),
        s.batch > 0 ? s.batch : problem->samples(), s.eta, s.nf, s.ng, s.budget, s.seed, accept_fine_note);
    ProgressBar bar;
    const ParaflowResult r = run_paraflow(*problem, s, [&](double spent, double total) { bar.show(spent / total); });
    // The budget rarely divides into whole iterations: close the bar at what was spent.
    bar.show(1.0, fmt::format("{:g} of {:g} gradient evaluations spent", r.gradients, s.budget));
    // A single run always completes an iteration: a budget below one was refused above.
    fmt::print("loss {:.6e} -> {:.6e} in {} iteration(s); {:g} gradient evaluations, {} loss evaluations, {:.2f} s\n",
               r.initial_loss, r.final_loss, r.iterations, r.gradients, r.loss_evaluations, r.seconds);
    const json out = {{"problem", problem->name()},
                      {"variant", variant},
                      {"batch", s.batch > 0 ? s.batch : problem->samples()},
                      {"eta", s.eta},
                      {"nf", s.nf},
                      {"ng", s.ng},
                      {"budget", s.budget},
                      {"seed", s.seed},
                      {"accept_fine", s.accept_fine},
                      {"result", result_json(r)}};
    return write_json_and_png(out, json_path, png_path, "loss history");
  }

  // ---- The sweep: one GD run per (batch, eta, budget) and one ParaFlow(S) run per N_F.
  struct Cell {
    Cell(int b, double e, double bu, int n) : batch(b), eta(e), budget(bu), nf(n) {}
    int batch;
    double eta, budget;
    int nf;  // 0 = GD
    bool skipped = false;
    double estimate = 0;
    ParaflowResult r;
  };
  std::vector<Cell> cells;
  std::map<int, double> per_sample;
  for (int b0 : batches) {
    const int b = b0 > 0 ? b0 : problem->samples();
    if (!per_sample.count(b)) per_sample[b] = seconds_per_sample(*problem, b);
    for (double eta : eta_list)
      for (double budget : budgets) {
        cells.emplace_back(b, eta, budget, 0);
        for (int nf : nfs) cells.emplace_back(b, eta, budget, nf);
      }
  }
  const double full = seconds_per_sample(*problem, problem->samples());
  int skipped = 0;
  for (Cell& c : cells) {
    // GD and F run mini-batches; ParaFlowS's coarse steps (at most N N_G per iteration) run full batches.
    c.estimate = c.budget * (c.nf == 0 ? per_sample[c.batch] : std::max(per_sample[c.batch], full)) * 1.2;
    c.skipped = c.estimate > max_cell_seconds;
    skipped += c.skipped;
  }
  fmt::print(
      "pint paraflow: sweep on {} ({} weights, {} samples): {} cells, {} skipped as longer than {:g} s "
      "(estimated), {} job(s){}\n",
      problem->name(), problem->weight_count(), problem->samples(), cells.size(), skipped, max_cell_seconds, jobs,
      accept_fine_note);
  std::atomic<std::size_t> next{0};
  std::atomic<int> done{0};
  std::mutex print;
  const int todo = static_cast<int>(cells.size()) - skipped;
  auto worker = [&] {
    for (;;) {
      const std::size_t i = next++;
      if (i >= cells.size()) return;
      Cell& c = cells[i];
      if (c.skipped) continue;
      ParaflowSettings s = base;
      s.variant = c.nf == 0 ? "gd" : variant;
      s.accept_fine = c.nf != 0 && base.accept_fine;  // GD's reference run is plain GD
      s.batch = c.batch;
      s.eta = c.eta;
      s.nf = c.nf == 0 ? 1 : c.nf;
      s.budget = c.budget;
      c.r = run_paraflow(*problem, s);
      const int d = ++done;
      std::lock_guard<std::mutex> lock(print);
      fmt::print("{} {}/{} batch {} eta {:g} budget {:g} {}: loss {:.3e} ({:.1f} s)\n",
                 progress_cells(static_cast<double>(d) / std::max(1, todo)), d, todo, c.batch, c.eta, c.budget,
                 c.nf == 0 ? std::string("GD") : fmt::format("N_F {}", c.nf), c.r.final_loss, c.r.seconds);
      std::fflush(stdout);
    }
  };
  std::vector<std::thread> pool;
  for (int j = 0; j < jobs; ++j) pool.emplace_back(worker);
  for (auto& t : pool) t.join();

  // Table: per row GD's loss and R = L / L_GD per N_F; "-" where one F did not fit, "skip" where not run.
  std::string md = "| Batch size | eta_F | Budget | GD |";
  for (int nf : nfs) md += fmt::format(" N_F = {} |", nf);
  md += "\n|---|---|---|---|";
  for (std::size_t i = 0; i < nfs.size(); ++i) md += "---|";
  md += "\n";
  json rows = json::array();
  for (std::size_t i = 0; i < cells.size(); i += nfs.size() + 1) {
    const Cell& gd = cells[i];
    std::vector<double> ratio(nfs.size(), NAN);
    double best = INFINITY;
    for (std::size_t j = 0; j < nfs.size(); ++j) {
      const Cell& c = cells[i + 1 + j];
      if (!c.skipped && !gd.skipped && c.r.completed_iteration && std::isfinite(gd.r.final_loss))
        ratio[j] = c.r.final_loss / gd.r.final_loss;
      if (ratio[j] < best) best = ratio[j];
    }
    md += fmt::format("| {} | {:g} | {:g} | {} |",
                      gd.batch == problem->samples() ? fmt::format("{} (full)", gd.batch) : std::to_string(gd.batch),
                      gd.eta, gd.budget,
                      gd.skipped                       ? std::string("skip")
                      : std::isfinite(gd.r.final_loss) ? fmt::format("{:.1e}", gd.r.final_loss)
                                                       : std::string("diverged"));
    json row = {{"batch", gd.batch}, {"eta", gd.eta}, {"budget", gd.budget}};
    row["gd"] = gd.skipped ? json(nullptr) : result_json(gd.r);
    json runs = json::array();
    for (std::size_t j = 0; j < nfs.size(); ++j) {
      const Cell& c = cells[i + 1 + j];
      std::string text;
      if (c.skipped || gd.skipped)
        text = "skip";
      else if (!c.r.completed_iteration)
        text = "-";
      else if (!std::isfinite(gd.r.final_loss))  // no ratio: ParaFlowS's own loss
        text = fmt::format("L = {:.2e}", c.r.final_loss);
      else
        text = ratio[j] == best ? "**" + sig(ratio[j]) + "**" : sig(ratio[j]);
      md += " " + text + " |";
      json run = {{"nf", c.nf}, {"skipped", c.skipped}, {"estimated_seconds", c.estimate}};
      if (!c.skipped) {
        run["result"] = result_json(c.r);
        run["ratio"] = std::isfinite(ratio[j]) ? json(ratio[j]) : json(nullptr);
      }
      runs.push_back(run);
    }
    md += "\n";
    row["runs"] = runs;
    rows.push_back(row);
  }
  fmt::print("\n{}", md);
  const json out = {{"problem", problem->name()},
                    {"variant", variant},
                    {"ng", base.ng},
                    {"seed", base.seed},
                    {"nf", nfs},
                    {"accept_fine", base.accept_fine},
                    {"max_cell_seconds", max_cell_seconds},
                    {"rows", rows}};
  if (!table_path.empty()) write_text_atomically(table_path, md, "the Markdown table");
  return write_json_and_png(out, json_path, png_path, "table");
}

}  // namespace pint

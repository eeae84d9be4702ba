// Cost of one coarse slice (seed 000 Table 2): the numerical coarse propagator (implicit Euler, 100
// steps per slice) and the learned one (the shipped PINN correcting 2 implicit-Euler steps) on every
// compiled-in space, on the default problem (5001 unknowns, slice length 1/16). Mean and standard
// deviation over repeated calls after a warm-up; the learned propagator's one-time set-up per slice (two
// network evaluations, cached) is timed separately. Ratios are of numbers measured in this same run.
//
// Usage: pint_bench_coarse_cost [--repeats N] [--json FILE] [--model FILE]   (Markdown table on stdout)
#include <fmt/format.h>

#include <Kokkos_Core.hpp>
#include <chrono>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/black_scholes.hpp"
#include "models/learned/bs_pinn.hpp"
#include "models/learned/learned_coarse_propagator.hpp"
#include "models/make_propagator.hpp"
#include "spaces/registry.hpp"
#include "spaces/runtime.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Stats {
  double mean = 0, stddev = 0;
};

/// Times `repeats` calls of G over the slice [t0, t1] after one warm-up call.
Stats time_calls(pint::Propagator& G, const pint::HostVector& u, pint::HostVector& out, double t0, double t1,
                 int repeats, double* first_call = nullptr) {
  const auto s0 = Clock::now();
  G.propagate(u, t0, t1, out);  // warm-up: factorisations, the learned term of this slice
  if (first_call) *first_call = std::chrono::duration<double>(Clock::now() - s0).count();
  std::vector<double> t(repeats);
  for (int r = 0; r < repeats; ++r) {
    const auto s = Clock::now();
    G.propagate(u, t0, t1, out);
    t[r] = std::chrono::duration<double>(Clock::now() - s).count();
  }
  Stats st;
  for (double x : t) st.mean += x / repeats;
  for (double x : t) st.stddev += (x - st.mean) * (x - st.mean) / std::max(1, repeats - 1);
  st.stddev = std::sqrt(st.stddev);
  return st;
}

}  // namespace

int main(int argc, char** argv) {
  pint::Runtime runtime(argc, argv);
  int repeats = 50;
  std::string json_path, model_path = PINT_DEFAULT_PINN_BUILD;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--repeats")
      repeats = std::stoi(argv[i + 1]);
    else if (a == "--json")
      json_path = argv[i + 1];
    else if (a == "--model")
      model_path = argv[i + 1];
    else {
      fmt::print(stderr,
                 "unknown argument {}; usage: pint_bench_coarse_cost [--repeats N] [--json FILE] [--model FILE]\n", a);
      return 2;
    }
  }
  auto problem = std::make_shared<pint::BlackScholesProblem>(pint::BlackScholesParams{});
  auto surface = pint::pinn_surface(pint::load_pinn(model_path, problem->params()), "pinn");
  const double t0 = 0.5, t1 = 0.5625;  // one of the 16 slices
  pint::HostVector u("u", problem->size()), out("out", problem->size());
  problem->exact_solution(t0, u);

  nlohmann::json rows = nlohmann::json::array();
  fmt::print(
      "| space | implicit Euler, 100 steps [ms] | PINN + 2 IE steps [ms] | PINN set-up per slice [ms] | IE / PINN |\n");
  fmt::print("|---|---|---|---|---|\n");
  for (pint::SpaceKind space : pint::available_spaces()) {
    auto ie = pint::make_propagator(problem, {pint::Integrator::ImplicitEuler, 100, 0}, space);
    auto pinn = pint::make_learned_coarse(problem, surface, 2, space);
    const Stats a = time_calls(*ie, u, out, t0, t1, repeats);
    double setup = 0;
    const Stats b = time_calls(*pinn, u, out, t0, t1, repeats, &setup);
    fmt::print("| {} | {:.3f} ± {:.3f} | {:.4f} ± {:.4f} | {:.1f} | {:.1f} |\n", pint::to_string(space), 1e3 * a.mean,
               1e3 * a.stddev, 1e3 * b.mean, 1e3 * b.stddev, 1e3 * setup, a.mean / b.mean);
    rows.push_back({{"space", pint::to_string(space)},
                    {"implicit_euler_ms", {{"mean", 1e3 * a.mean}, {"std", 1e3 * a.stddev}}},
                    {"pinn_ms", {{"mean", 1e3 * b.mean}, {"std", 1e3 * b.stddev}}},
                    {"pinn_setup_per_slice_ms", 1e3 * setup},
                    {"ratio_ie_over_pinn", a.mean / b.mean}});
  }
  fmt::print("\n{} timed calls per cell after one warm-up; default problem, 5001 unknowns, slice [{}, {}].\n", repeats,
             t0, t1);
  if (!json_path.empty()) {
    std::ofstream(json_path) << nlohmann::json{{"benchmark", "coarse_cost"}, {"repeats", repeats}, {"rows", rows}}.dump(
                                    2)
                             << "\n";
  }
  return 0;
}

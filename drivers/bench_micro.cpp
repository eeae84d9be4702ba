// Micro-benchmarks of pint's kernels with Google Benchmark (issue 7, item 6): each one times a single
// building block in isolation, on every compiled-in space, reporting grid-point updates per second.
//   ThetaStep/<space>/M        one Crank-Nicolson step (ThetaStepSolver::step), the fine kernel
//   ThomasLoop/M               the same step as a plain sequential loop, factorised once (reference)
//   Propagate/<method>/<space>/M  one propagate() call of 10 steps: staging + steps + boundary values
//   LearnedSurface/<space>/M   one evaluation of the shipped PINN on M + 1 grid points (when built
//                              with LibTorch): the coarse propagator's set-up per slice
//   LearnedCoarse/<space>      one cached learned coarse call on the default problem (2 IE steps)
// The explicit methods run on the heat equation with a stable step (the cost does not depend on the
// values, but overflowing ones would); the implicit ones on the Black-Scholes operator.
//
// Usage: pint_bench_micro [--benchmark_filter=REGEX] [--benchmark_min_time=S] [--benchmark_format=json] ...
#include <benchmark/benchmark.h>

#include <Kokkos_Core.hpp>
#include <memory>
#include <string>
#include <vector>

#include "core/vector.hpp"
#include "models/black_scholes.hpp"
#include "models/heat1d.hpp"
#include "models/integrator.hpp"
#include "models/make_propagator.hpp"
#include "models/theta_step_solver.hpp"
#include "spaces/dispatch.hpp"
#include "spaces/registry.hpp"
#include "spaces/runtime.hpp"

#if defined(PINT_HAVE_LEARNED)
#include "models/learned/bs_pinn.hpp"
#include "models/learned/learned_coarse_propagator.hpp"
#include "spaces/torch_bridge.hpp"
#endif

namespace {

constexpr double kDt = 1e-3;  // the default fine step
const std::vector<int> kSizes = {1000, 10000, 100000};

pint::BlackScholesParams params_for(int m) {
  pint::BlackScholesParams p;
  p.ds = p.s_max / m;
  return p;
}

void report_points(benchmark::State& state, std::size_t points) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(points));
  state.counters["points"] = static_cast<double>(points);
}

void bm_theta_step(benchmark::State& state, pint::SpaceKind kind, int m) {
  const pint::BlackScholesProblem problem(params_for(m));
  const pint::Tridiagonal L = problem.spatial_operator();
  const int n = static_cast<int>(L.size());
  const auto g = problem.boundary_values(kDt);
  pint::with_space(kind, [&](auto exec) {
    using Solver = pint::ThetaStepSolver<decltype(exec)>;
    Solver solver(exec, L, true, 0.5, kDt);
    typename Solver::Vector u("u", n), work("work", n);
    Kokkos::deep_copy(exec, u, 1.0);
    for (auto _ : state) {
      solver.step(u, work, g[0], g[1]);
      exec.fence();  // the step is asynchronous: time it to completion
    }
    state.counters["blocks"] = solver.blocks();
  });
  report_points(state, n);
}

/// The step as a textbook-plus loop: Thomas factorised once, one forward and one backward sweep.
void bm_thomas_loop(benchmark::State& state, int m) {
  const pint::BlackScholesProblem problem(params_for(m));
  const pint::Tridiagonal L = problem.spatial_operator();
  const int n = static_cast<int>(L.size());
  std::vector<double> a(n, 0.0), b(n, 1.0), c(n, 0.0), ea(n, 0.0), eb(n, 1.0), ec(n, 0.0);
  for (int i = 1; i + 1 < n; ++i) {
    a[i] = -0.5 * kDt * L.lower[i];
    b[i] = 1.0 - 0.5 * kDt * L.diag[i];
    c[i] = -0.5 * kDt * L.upper[i];
    ea[i] = -a[i];
    eb[i] = 1.0 + 0.5 * kDt * L.diag[i];
    ec[i] = -c[i];
  }
  std::vector<double> inv(n), ainv(n), cp(n), d(n), x(n, 1.0);
  double prev = 0.0;
  for (int i = 0; i < n; ++i) {
    const double piv = b[i] - a[i] * prev;
    inv[i] = 1.0 / piv;
    ainv[i] = a[i] / piv;
    cp[i] = c[i] / piv;
    prev = cp[i];
  }
  for (auto _ : state) {
    d[0] = x[0];
    for (int i = 1; i < n - 1; ++i)
      d[i] = inv[i] * (ea[i] * x[i - 1] + eb[i] * x[i] + ec[i] * x[i + 1]) - ainv[i] * d[i - 1];
    d[n - 1] = x[n - 1] * inv[n - 1] - ainv[n - 1] * d[n - 2];
    x[n - 1] = d[n - 1];
    for (int i = n - 2; i >= 0; --i) x[i] = d[i] - cp[i] * x[i + 1];
    benchmark::DoNotOptimize(x.data());
    benchmark::ClobberMemory();
  }
  report_points(state, n);
}

/// One propagate() call of `steps` steps of `method`, slices away from the initial time.
void bm_propagate(benchmark::State& state, pint::Integrator method, pint::SpaceKind kind, int m) {
  constexpr int kSteps = 10;
  std::shared_ptr<const pint::Problem> problem;
  double slice = kSteps * kDt, t0 = 0.5;
  const bool explicit_method = method == pint::Integrator::ExplicitEuler || method == pint::Integrator::RK4;
  if (explicit_method) {
    pint::HeatParams hp;
    hp.intervals = m;
    hp.t_end = 1.0;
    const double h = hp.length / m;
    slice = kSteps * 0.25 * h * h / hp.alpha;  // a quarter of explicit Euler's limit: stable for RK4 too
    t0 = 0.0;
    problem = std::make_shared<pint::HeatProblem>(hp);
  } else {
    problem = std::make_shared<pint::BlackScholesProblem>(params_for(m));
  }
  auto prop = pint::make_propagator(problem, pint::IntegratorConfig{method, kSteps, 0}, kind);
  pint::HostVector in("in", problem->size()), out("out", problem->size());
  problem->initial_condition(in);
  for (auto _ : state) prop->propagate(in, t0, t0 + slice, out);
  report_points(state, problem->size() * kSteps);
}

#if defined(PINT_HAVE_LEARNED)
std::shared_ptr<pint::SurfaceModel> default_surface() {
  static std::shared_ptr<pint::SurfaceModel> s =
      pint::pinn_surface(pint::load_pinn(PINT_DEFAULT_PINN_BUILD, pint::BlackScholesParams{}), "pinn");
  return s;
}

void bm_learned_surface(benchmark::State& state, pint::SpaceKind kind, int m) {
  const pint::BlackScholesProblem problem(params_for(m));
  const auto& xs = problem.grid()->x;
  auto model = default_surface();
  pint::with_space(kind, [&](auto exec) {
    using Exec = decltype(exec);
    Kokkos::View<double*, typename Exec::memory_space> x("x", xs.size()), v("v", xs.size());
    auto hx = Kokkos::create_mirror_view(x);
    for (std::size_t i = 0; i < xs.size(); ++i) hx(i) = xs[i];
    Kokkos::deep_copy(x, hx);
    pint::fence_before_torch(exec);
    auto tx = pint::view_as_tensor(x);
    auto tv = pint::view_as_tensor(v);
    for (auto _ : state) {
      model->evaluate(0.5, tx, tv);
      pint::sync_before_kokkos(tv.device());
    }
  });
  report_points(state, xs.size());
}

void bm_learned_coarse(benchmark::State& state, pint::SpaceKind kind) {
  auto problem = std::make_shared<pint::BlackScholesProblem>(pint::BlackScholesParams{});
  auto G = pint::make_learned_coarse(problem, default_surface(), 2, kind);
  pint::HostVector in("in", problem->size()), out("out", problem->size());
  problem->exact_solution(0.5, in);
  G->propagate(in, 0.5, 0.5625, out);  // computes and caches the slice's learned term (set-up)
  for (auto _ : state) G->propagate(in, 0.5, 0.5625, out);
  report_points(state, problem->size());
}
#endif

void register_all() {
  const auto spaces = pint::available_spaces();
  for (int m : kSizes) {
    for (auto kind : spaces)
      benchmark::RegisterBenchmark(("ThetaStep/" + pint::to_string(kind) + "/" + std::to_string(m)).c_str(),
                                   bm_theta_step, kind, m);
    benchmark::RegisterBenchmark(("ThomasLoop/" + std::to_string(m)).c_str(), bm_thomas_loop, m);
  }
  for (auto method : {pint::Integrator::ImplicitEuler, pint::Integrator::CrankNicolson, pint::Integrator::ExplicitEuler,
                      pint::Integrator::RK4})
    for (auto kind : spaces)
      for (int m : {1000, 100000})
        benchmark::RegisterBenchmark(
            ("Propagate/" + pint::to_string(method) + "/" + pint::to_string(kind) + "/" + std::to_string(m)).c_str(),
            bm_propagate, method, kind, m);
#if defined(PINT_HAVE_LEARNED)
  for (auto kind : spaces) {
    for (int m : {1000, 5000})
      benchmark::RegisterBenchmark(("LearnedSurface/" + pint::to_string(kind) + "/" + std::to_string(m)).c_str(),
                                   bm_learned_surface, kind, m);
    benchmark::RegisterBenchmark(("LearnedCoarse/" + pint::to_string(kind)).c_str(), bm_learned_coarse, kind);
  }
#endif
}

}  // namespace

int main(int argc, char** argv) {
  pint::Runtime runtime(argc, argv);  // takes the --kokkos-* flags; Google Benchmark takes its own
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  if (runtime.rank() != 0) return 0;  // one rank measures
  register_all();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

// The fine phase of Parareal on pint's default problem (Black-Scholes call, 5001 unknowns, 200
// Crank-Nicolson steps per slice with Rannacher's start, N = 16 slices, one rank), three ways, measured
// side by side in one run:
//   loop/serial      today's slice-by-slice loop on one thread (the Serial space, one block),
//   loop/openmp      slice by slice on OpenMP: each solve split by the partition method into one block
//                    per thread (today's default on a multi-threaded host),
//   batched/openmp   all 16 solves in one batched kernel, a slice per thread, no partition work;
// plus batched/serial (batching alone gains nothing on one thread). Every figure is the fastest of 7
// repeats after a warm-up. Then whole Parareal runs with each fine phase: the iteration count must not
// change. Last, the general batched tridiagonal solve on one thread in its two layouts: [row][system]
// (interleaved: several elimination chains at once) against one system after another.
//
// Usage: pint_bench_fine_phase [--json FILE] [--kokkos-threads=N]   (Markdown on stdout)
#include <mpi.h>

#include <Kokkos_Core.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/parareal.hpp"
#include "drivers/fine_phase_timing.hpp"
#include "models/batched_tridiagonal.hpp"
#include "spaces/runtime.hpp"

namespace {

using namespace pint;
constexpr int kSlices = 16, kRepeats = 7;

struct Row {
  std::string name;
  double seconds;
  double difference;  // relative, against loop/serial
};

/// ns per row of the batched tridiagonal solve, 16 systems of 5001 rows, on one thread.
template <class Layout>
double tridiagonal_ns_per_row() {
  const int n = 5001, m = kSlices;
  using V = Kokkos::View<double**, Layout, Kokkos::HostSpace>;
  V a("a", n, m), b("b", n, m), c("c", n, m), d("d", n, m), cp("cp", n, m), rhs("rhs", n, m);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < m; ++j) a(i, j) = -0.4, b(i, j) = 2.0 + 0.01 * j, c(i, j) = -0.5, rhs(i, j) = 1.0 + i % 7;
  double best = 1e300;
  for (int r = 0; r < kRepeats + 1; ++r) {
    Kokkos::deep_copy(d, rhs);
    const auto s = std::chrono::steady_clock::now();
    batched_tridiagonal_solve(Kokkos::Serial(), a, b, c, d, cp);
    const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - s).count();
    if (r > 0) best = std::min(best, t);
  }
  return best / (double(n) * m) * 1e9;
}

int parareal_iterations(const std::shared_ptr<const Problem>& problem, Propagator& fine, Propagator& coarse, bool batch,
                        double* fine_seconds) {
  PararealConfig pc;
  pc.slices = kSlices;
  pc.batch_fine = batch;
  HostVector u0("u0", problem->size());
  problem->initial_condition(u0);
  const auto r = Parareal(fine, coarse, pc, MPI_COMM_WORLD).run(u0, problem->t_start(), problem->t_end());
  *fine_seconds = r.fine_slice_seconds * r.fine_calls;
  return r.iterations;
}

}  // namespace

int main(int argc, char** argv) {
  Runtime runtime(argc, argv);
  std::string json_path;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string(argv[i]) == "--json") json_path = argv[i + 1];
  const auto problem = std::make_shared<BlackScholesProblem>(BlackScholesParams{});
  const auto config = bench::default_fine();
  nlohmann::json out;
#if defined(KOKKOS_ENABLE_OPENMP)
  const int threads = Kokkos::OpenMP().concurrency();
#else
  const int threads = 1;
#endif
  std::printf("## Fine phase: %d slices x %d CN steps, %zu unknowns (OpenMP: %d threads)\n\n", kSlices, config.steps,
              problem->size(), threads);
  const auto base = bench::time_fine_phase<Kokkos::Serial>(problem, config, kSlices, false, kRepeats);
  std::vector<Row> rows{{"loop/serial (1 thread, 1 block)", base.best_seconds, 0.0}};
  const auto bs = bench::time_fine_phase<Kokkos::Serial>(problem, config, kSlices, true, kRepeats);
  rows.push_back({"batched/serial (1 thread)", bs.best_seconds, bench::relative_difference(bs.outputs, base.outputs)});
#if defined(KOKKOS_ENABLE_OPENMP)
  const auto lo = bench::time_fine_phase<Kokkos::OpenMP>(problem, config, kSlices, false, kRepeats);
  rows.push_back({"loop/openmp (" + std::to_string(threads) + "-block partition)", lo.best_seconds,
                  bench::relative_difference(lo.outputs, base.outputs)});
  const auto bo = bench::time_fine_phase<Kokkos::OpenMP>(problem, config, kSlices, true, kRepeats);
  rows.push_back(
      {"batched/openmp (a slice per thread)", bo.best_seconds, bench::relative_difference(bo.outputs, base.outputs)});
#endif
  std::printf("| fine phase | ms | speed-up vs loop/serial | rel. difference vs loop/serial |\n|---|---|---|---|\n");
  for (const auto& r : rows) {
    std::printf("| %s | %.2f | %.2fx | %.1e |\n", r.name.c_str(), r.seconds * 1e3, base.best_seconds / r.seconds,
                r.difference);
    out["fine_phase"].push_back({{"name", r.name}, {"ms", r.seconds * 1e3}, {"difference", r.difference}});
  }
#if defined(KOKKOS_ENABLE_OPENMP)
  std::printf("\nbatched/openmp against loop/openmp (the partition method): %.2fx\n",
              lo.best_seconds / bo.best_seconds);
  out["batched_vs_partition"] = lo.best_seconds / bo.best_seconds;
  out["batched_vs_serial_loop"] = base.best_seconds / bo.best_seconds;
#endif

  // Whole Parareal runs (coarse: 100 implicit-Euler steps per slice, as pint's default run).
  std::printf(
      "\n## Parareal with each fine phase (tolerance 1e-10)\n\n| fine phase | iterations | fine time s |\n"
      "|---|---|---|\n");
  IntegratorConfig ie;
  ie.method = Integrator::ImplicitEuler;
  ie.steps = 100;
  auto run = [&](const char* name, Propagator& fine, Propagator& coarse, bool batch) {
    double fs = 0;
    const int k = parareal_iterations(problem, fine, coarse, batch, &fs);
    std::printf("| %s | %d | %.3f |\n", name, k, fs);
    out["parareal"].push_back({{"name", name}, {"iterations", k}, {"fine_seconds", fs}});
  };
  {
    ThetaPropagator<Kokkos::Serial> fine(problem, config), coarse(problem, ie);
    run("loop/serial", fine, coarse, false);
  }
#if defined(KOKKOS_ENABLE_OPENMP)
  {
    ThetaPropagator<Kokkos::OpenMP> fine(problem, config), coarse(problem, ie);
    run("loop/openmp", fine, coarse, false);
    run("batched/openmp", fine, coarse, true);
  }
#endif

  const double right = tridiagonal_ns_per_row<Kokkos::LayoutRight>();
  const double left = tridiagonal_ns_per_row<Kokkos::LayoutLeft>();
  std::printf(
      "\n## Batched tridiagonal solve, %d systems x 5001 rows, one thread\n\n| layout | ns per row |\n"
      "|---|---|\n| [row][system] (LayoutRight, interleaved) | %.2f |\n| [system][row] (LayoutLeft) | %.2f |\n",
      kSlices, right, left);
  out["tridiagonal_ns_per_row"] = {{"interleaved", right}, {"per_system", left}};
  if (!json_path.empty()) std::ofstream(json_path) << out.dump(2) << "\n";
  return 0;
}

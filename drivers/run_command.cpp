#include "run_command.hpp"

#include <fmt/format.h>
#include <mpi.h>

#include <Kokkos_Core.hpp>
#include <cmath>
#include <fstream>

#include "core/parareal.hpp"
#include "io/run_summary.hpp"
#include "models/make_propagator.hpp"
#include "problem_factory.hpp"
#include "spaces/registry.hpp"

namespace pint {

namespace {

double max_abs_diff(const HostVector& a, const HostVector& b, std::size_t lo = 0, std::size_t hi = SIZE_MAX) {
  double m = 0.0;
  hi = std::min(hi, static_cast<std::size_t>(a.extent(0)));
  for (std::size_t i = lo; i < hi; ++i) m = std::max(m, std::abs(a(i) - b(i)));
  return m;
}

}  // namespace

int run_command(const RunConfig& config) {
  validate(config);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (size > config.parareal.slices)
    throw ConfigError(fmt::format("{} MPI ranks for {} slices: use at most one rank per slice (raise --slices)", size,
                                  config.parareal.slices));

  auto problem = make_problem(config);
  auto fine = make_propagator(problem, config.fine.integrator, resolve_space(config.fine.space));
  auto coarse = make_propagator(problem, config.coarse.integrator, resolve_space(config.coarse.space));
  const double t0 = problem->t_start(), t1 = problem->t_end();
  const State u0 = problem->initial_state();

  if (rank == 0)
    fmt::print("pint run: {} with {} unknowns, {} slices on {} rank(s); fine {} x {}, coarse {} x {}\n",
               problem->name(), problem->size(), config.parareal.slices, size, fine->name(),
               config.fine.integrator.steps, coarse->name(), config.coarse.integrator.steps);

  PararealConfig pc = config.parareal;
  pc.keep_history = config.compare_serial;  // per-iteration error against the serial solution
  Parareal parareal(*fine, *coarse, pc, MPI_COMM_WORLD);
  auto progress = [&](const IterationRecord& r) {
    if (rank != 0) return;
    if (r.iteration == 0)
      fmt::print("  iteration  0: initial coarse sweep          {:>4} coarse calls  {:8.3f} s\n", r.coarse_calls,
                 r.seconds);
    else
      fmt::print("  iteration {:2}: change {:.3e}, slices {:2}..{:2}, {:>3} fine + {:>3} coarse calls  {:8.3f} s\n",
                 r.iteration, r.change, r.first_active_slice, config.parareal.slices - 1, r.fine_calls, r.coarse_calls,
                 r.seconds);
    std::fflush(stdout);
  };
  PararealResult result = parareal.run(u0.values, t0, t1, progress);

  RunSummary s;
  s.config = config;
  s.fine_name = fine->name();
  s.coarse_name = coarse->name();
  s.ranks = size;
  s.unknowns = problem->size();
  s.kokkos_version =
      fmt::format("{}.{}.{}", KOKKOS_VERSION / 10000, (KOKKOS_VERSION / 100) % 100, KOKKOS_VERSION % 100);
  s.iterations = result.iterations;
  s.converged = result.converged;
  s.log = result.log;
  s.parareal_seconds = result.wall_seconds;
  s.fine_slice_seconds = result.fine_slice_seconds;
  s.coarse_slice_seconds = result.coarse_slice_seconds;
  s.fine_calls = result.fine_calls;
  s.coarse_calls = result.coarse_calls;
  s.speedup_bound = speedup_bound(s.fine_slice_seconds, s.coarse_slice_seconds, std::max(1, s.iterations), size,
                                  config.parareal.slices);

  // The serial fine reference runs on rank 0 after Parareal (the other ranks wait).
  MPI_Barrier(MPI_COMM_WORLD);
  const int N = config.parareal.slices;
  if (rank == 0) {
    const HostVector& final_value = result.boundaries[N];
    std::vector<HostVector> serial;
    if (config.compare_serial) {
      fmt::print("  serial fine reference: {} slices on rank 0 ...\n", N);
      std::fflush(stdout);
      double secs = 0.0;
      serial = serial_fine(*fine, u0.values, t0, t1, N, &secs);
      s.serial_seconds = secs;
      s.measured_speedup = secs / s.parareal_seconds;
      double emax = 0.0;
      for (int n = 0; n <= N; ++n) emax = std::max(emax, max_abs_diff(result.boundaries[n], serial[n]));
      s.error_vs_serial_max = emax;
      s.error_vs_serial_final = max_abs_diff(final_value, serial[N]);
      for (const auto& iterate : result.history) {
        double e = 0.0;
        for (int n = 0; n <= N; ++n) e = std::max(e, max_abs_diff(iterate[n], serial[n]));
        s.error_vs_serial_per_iteration.push_back(e);
      }
    }
    if (problem->has_exact_solution()) {
      HostVector exact("exact", problem->size());
      problem->exact_solution(t1, exact);
      s.error_vs_exact_parareal = max_abs_diff(final_value, exact);
      if (!serial.empty()) s.error_vs_exact_serial_fine = max_abs_diff(serial[N], exact);
      if (config.problem == "black-scholes") {
        const auto& grid = *problem->grid();
        const double K = config.black_scholes.strike;
        std::size_t lo = 0, hi = grid.size();
        while (lo < grid.size() && grid.x[lo] < 0.5 * K) ++lo;
        while (hi > 0 && grid.x[hi - 1] > 2.0 * K) --hi;
        s.error_vs_exact_parareal_domain = max_abs_diff(final_value, exact, lo, hi);
        s.domain_description = fmt::format("S in [{:g}, {:g}]", 0.5 * K, 2.0 * K);
      }
    }
    fmt::print("{}", to_text(s));
    if (!config.json_path.empty()) {
      const std::string tmp = config.json_path + ".tmp";
      {
        std::ofstream out(tmp);
        if (!out) throw std::runtime_error("cannot write JSON summary to '" + config.json_path + "'");
        out << to_json(s);
      }
      if (std::rename(tmp.c_str(), config.json_path.c_str()) != 0)
        throw std::runtime_error("cannot move JSON summary into place at '" + config.json_path + "'");
      fmt::print("summary written to {}\n", config.json_path);
    }
  }
  MPI_Barrier(MPI_COMM_WORLD);
  return 0;
}

}  // namespace pint

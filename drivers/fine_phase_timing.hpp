#pragma once
/// \file
/// A Parareal fine phase timed on its own: the fine solves of `slices` slices of pint's default problem
/// (Black-Scholes call, 5001 unknowns, Crank-Nicolson with Rannacher's start), slice by slice or as one
/// batched call, on one execution space. Kokkos only (no MPI): the benchmark `pint bench fine-phase` and
/// the GPU device check (tests/device) both use it.

#include <Kokkos_Core.hpp>
#include <algorithm>
#include <chrono>
#include <memory>
#include <vector>

#include "core/propagator.hpp"
#include "models/black_scholes.hpp"
#include "models/theta_propagator.hpp"

namespace pint::bench {

struct FinePhaseResult {
  double best_seconds = 0;          ///< the fastest of the repeats
  std::vector<HostVector> outputs;  ///< every slice's result (of the last repeat)
};

inline IntegratorConfig default_fine(int steps = 200) {
  IntegratorConfig c;
  c.method = Integrator::CrankNicolson;
  c.steps = steps;
  c.rannacher_half_steps = 4;
  return c;
}

/// The fine phase of the first iteration (every slice from the payoff, slice n over [n/N, (n+1)/N] of
/// tau), `repeats` times after one warm-up that builds the factorisations; `blocks` forces the solver's
/// block count of the slice-by-slice path (0: the space decides).
template <class ExecSpace>
FinePhaseResult time_fine_phase(std::shared_ptr<const Problem> problem, const IntegratorConfig& config, int slices,
                                bool batched, int repeats, int blocks = 0) {
  ThetaPropagator<ExecSpace> fine(problem, config, ExecSpace{}, blocks);
  const std::size_t n = problem->size();
  HostVector u0("u0", n);
  problem->initial_condition(u0);
  FinePhaseResult r;
  std::vector<PropagationTask> tasks;
  for (int k = 0; k < slices; ++k) {
    r.outputs.emplace_back("out", n);
    const double t0 = problem->t_start() + (problem->t_end() - problem->t_start()) * k / slices;
    const double t1 = problem->t_start() + (problem->t_end() - problem->t_start()) * (k + 1) / slices;
    tasks.push_back({u0, t0, k + 1 == slices ? problem->t_end() : t1, r.outputs.back()});
  }
  auto once = [&] {
    if (batched)
      fine.propagate_batch(tasks);
    else
      for (const auto& t : tasks) fine.propagate(t.in, t.t0, t.t1, t.out);
  };
  once();
  r.best_seconds = 1e300;
  for (int i = 0; i < repeats; ++i) {
    const auto s = std::chrono::steady_clock::now();
    once();
    r.best_seconds =
        std::min(r.best_seconds, std::chrono::duration<double>(std::chrono::steady_clock::now() - s).count());
  }
  return r;
}

/// The largest difference between two fine phases' results, relative to the largest value.
inline double relative_difference(const std::vector<HostVector>& a, const std::vector<HostVector>& b) {
  double d = 0, size = 0;
  for (std::size_t k = 0; k < a.size(); ++k)
    for (std::size_t i = 0; i < a[k].extent(0); ++i) {
      d = std::max(d, std::abs(a[k](i) - b[k](i)));
      size = std::max(size, std::abs(b[k](i)));
    }
  return size > 0 ? d / size : d;
}

}  // namespace pint::bench

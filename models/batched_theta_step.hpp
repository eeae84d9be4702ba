#pragma once
/// \file
/// Theta steps of many independent systems in one kernel launch: the fine solves of all the slices a
/// rank owns. System j runs its own schedule of steps(j) theta steps, step s with the factorisation
/// plan(j, s) and the scaled prescribed end values ends(j, s, 0..1), on its row u(j, .).
///
/// One team per system: its threads share the system's partition blocks (phases separated by team
/// barriers), so a GPU gets systems x blocks threads from one launch instead of one system's blocks
/// per launch and step. On a host space the team is one thread and the factorisations have one block
/// (no partition work at all): the parallelism is across systems, each solved exactly as the
/// one-block solver solves it, so each system's result has the same bits as a one-block step-by-step
/// solve, whatever else is in the batch.

#include <Kokkos_Core.hpp>
#include <algorithm>

#include "models/theta_step_solver.hpp"
#include "spaces/dispatch.hpp"

namespace pint {

template <class ExecSpace>
struct ThetaBatch {
  using device_type = Kokkos::Device<ExecSpace, typename ExecSpace::memory_space>;
  Kokkos::View<ThetaFactors**, Kokkos::LayoutRight, device_type> plan;  ///< (system, step)
  Kokkos::View<double** [2], Kokkos::LayoutRight, device_type> ends;    ///< (system, step, first/last)
  Kokkos::View<int*, Kokkos::LayoutRight, device_type> steps;           ///< per system
  Kokkos::View<double**, Kokkos::LayoutRight, device_type> u, work;     ///< (system, row)
  Kokkos::View<double**, Kokkos::LayoutRight, device_type> separators;  ///< (system, 2 (blocks - 1))
};

/// Runs every system's schedule; `systems` <= plan.extent(0) are used. Asynchronous on `exec`.
template <class ExecSpace>
void run_theta_batch(const ExecSpace& exec, const ThetaBatch<ExecSpace>& batch, int systems, int max_blocks) {
  using Policy = Kokkos::TeamPolicy<ExecSpace>;
  using Member = typename Policy::member_type;
  const auto plan = batch.plan;
  const auto ends = batch.ends;
  const auto steps = batch.steps;
  const auto u = batch.u, work = batch.work, seps = batch.separators;
  const int half = static_cast<int>(seps.extent(1)) / 2;
  auto body = KOKKOS_LAMBDA(const Member& team) {
    const int j = team.league_rank();
    double* x = &u(j, 0);
    double* scratch = &work(j, 0);
    double* srhs = half > 0 ? &seps(j, 0) : nullptr;
    double* sx = half > 0 ? srhs + half : nullptr;
    for (int s = 0; s < steps(j); ++s) {
      const ThetaFactors F = plan(j, s);
      const double gs0 = ends(j, s, 0), ge_last = ends(j, s, 1);
      if (F.blocks == 1) {
        Kokkos::single(Kokkos::PerTeam(team), [&]() { detail::theta_block_k(F, 0, x, scratch, gs0, ge_last); });
        team.team_barrier();
        continue;
      }
      Kokkos::parallel_for(Kokkos::TeamThreadRange(team, F.blocks - 1),
                           [&](int k) { detail::theta_separator_rhs(F, k, x, srhs); });
      team.team_barrier();
      Kokkos::parallel_for(Kokkos::TeamThreadRange(team, F.blocks),
                           [&](int k) { detail::theta_block_k(F, k, x, scratch, gs0, ge_last); });
      team.team_barrier();
      Kokkos::single(Kokkos::PerTeam(team), [&]() { detail::theta_separators(F, x, srhs, sx); });
      team.team_barrier();
      Kokkos::parallel_for(Kokkos::TeamThreadRange(team, F.blocks), [&](int k) { detail::theta_correct(F, k, x, sx); });
      team.team_barrier();
    }
  };
  int team_size = 1;
  if constexpr (!runs_on_host<ExecSpace>()) {
    // A warp-multiple of threads up to one per block (at most 256): the blocks of one system.
    const int want = std::min(256, std::max(32, (max_blocks + 31) / 32 * 32));
    team_size = std::min(want, Policy(exec, systems, 1).team_size_max(body, Kokkos::ParallelForTag()));
  }
  Kokkos::parallel_for("pint::theta_batch", Policy(exec, systems, team_size), body);
}

}  // namespace pint

#pragma once
/// \file
/// Implicit Euler (theta = 1) and Crank-Nicolson (theta = 1/2, optional Rannacher start-up) as a
/// Propagator on the execution space ExecSpace. All buffers and factorisations are made on first use
/// of a step size and kept: once every distinct step size of a run has been seen (the first sweep
/// over the slices; equal-length slices differ by an ulp, giving a handful of values), a call
/// allocates nothing.
///
/// Batched (propagate_batch): all slices in one kernel (models/batched_theta_step.hpp), with
/// factorisations of their own: one block each on a host space (parallel across slices, no partition
/// work), the space's usual blocks on a GPU. A slice's result then has the same bits as the one-block
/// solver's step by step (the Serial space's, and any host space's below 4096 rows); against the
/// partition method of a multi-threaded host space it differs by round-off.

#include <algorithm>
#include <array>
#include <memory>
#include <vector>

#include "core/problem.hpp"
#include "core/propagator.hpp"
#include "models/batched_theta_step.hpp"
#include "models/integrator.hpp"
#include "models/theta_solver_cache.hpp"
#include "models/theta_step_solver.hpp"
#include "spaces/dispatch.hpp"

namespace pint {

template <class ExecSpace>
class ThetaPropagator final : public Propagator {
 public:
  using Solver = ThetaStepSolver<ExecSpace>;
  using Vector = typename Solver::Vector;

  ThetaPropagator(std::shared_ptr<const Problem> problem, IntegratorConfig config, ExecSpace exec = {}, int blocks = 0)
      : problem_(std::move(problem)),
        config_(config),
        exec_(exec),
        solvers_(exec, problem_->spatial_operator(), problem_->grid()->dirichlet_ends, blocks),
        batch_solvers_(exec, problem_->spatial_operator(), problem_->grid()->dirichlet_ends,
                       runs_on_host<ExecSpace>() ? 1 : blocks),
        u_("pint::theta::u", solvers_.rows()),
        work_("pint::theta::work", solvers_.rows()) {
    validate(config_);
    if (config_.method != Integrator::ImplicitEuler && config_.method != Integrator::CrankNicolson)
      throw std::invalid_argument("ThetaPropagator takes implicit-euler or crank-nicolson");
  }

  std::string name() const override { return to_string(config_.method) + "@" + to_string(space()); }
  SpaceKind space() const override { return kind_of<ExecSpace>(); }
  std::size_t size() const override { return solvers_.rows(); }
  /// Solvers built so far (one per distinct (theta, dt)); exposed for the no-allocation test.
  std::size_t factorisations() const { return solvers_.size(); }
  bool batches() const override { return true; }

 private:
  /// One step of a slice's schedule: the factorisation and the time it reaches.
  struct PlannedStep {
    const Solver* solver;
    double t;
  };

  /// The steps from t0 to t1: Rannacher's implicit-Euler half-steps first where the run starts (with
  /// Crank-Nicolson), then the method's own steps; factorisations from `cache`.
  std::vector<PlannedStep> plan(double t0, double t1, ThetaSolverCache<ExecSpace>& cache) const {
    std::vector<PlannedStep> out;
    const int steps = config_.steps;
    const double dt = (t1 - t0) / steps;
    const bool cn = config_.method == Integrator::CrankNicolson;
    int first_cn = 0;
    if (cn && config_.rannacher_half_steps > 0 && t0 == problem_->t_start()) {
      const Solver& half = cache.get(1.0, 0.5 * dt);
      for (int h = 0; h < config_.rannacher_half_steps; ++h) out.push_back({&half, t0 + 0.5 * dt * (h + 1)});
      first_cn = config_.rannacher_half_steps / 2;
    }
    const Solver& full = cache.get(cn ? 0.5 : 1.0, dt);
    for (int s = first_cn; s < steps; ++s) out.push_back({&full, (s + 1 == steps) ? t1 : t0 + dt * (s + 1)});
    return out;
  }

  void propagate_impl(ConstHostVector in, double t0, double t1, HostVector out) override {
    Kokkos::deep_copy(exec_, u_, in);
    for (const PlannedStep& s : plan(t0, t1, solvers_)) {
      const auto g = problem_->boundary_values(s.t);
      s.solver->step(u_, work_, g[0], g[1]);
    }
    Kokkos::deep_copy(exec_, out, u_);
    exec_.fence();
  }

  void propagate_batch_impl(const std::vector<PropagationTask>& tasks) override {
    const int m = static_cast<int>(tasks.size()), n = static_cast<int>(solvers_.rows());
    std::vector<std::vector<PlannedStep>> plans(m);
    int longest = 0, blocks = 1;
    for (int j = 0; j < m; ++j) {
      plans[j] = plan(tasks[j].t0, tasks[j].t1, batch_solvers_);
      longest = std::max(longest, static_cast<int>(plans[j].size()));
      for (const PlannedStep& s : plans[j]) blocks = std::max(blocks, s.solver->blocks());
    }
    reserve_batch(m, longest, n, blocks);
    auto plan_h = Kokkos::create_mirror_view(batch_.plan);
    auto ends_h = Kokkos::create_mirror_view(batch_.ends);
    auto steps_h = Kokkos::create_mirror_view(batch_.steps);
    const bool dirichlet = problem_->grid()->dirichlet_ends;
    for (int j = 0; j < m; ++j) {
      steps_h(j) = static_cast<int>(plans[j].size());
      for (int s = 0; s < steps_h(j); ++s) {
        const ThetaFactors F = plans[j][s].solver->factors();
        const auto g = dirichlet ? problem_->boundary_values(plans[j][s].t) : std::array<double, 2>{0.0, 0.0};
        plan_h(j, s) = F;
        ends_h(j, s, 0) = g[0] * F.scale_first;
        ends_h(j, s, 1) = g[1] * F.scale_last;
      }
      Kokkos::deep_copy(exec_, Kokkos::subview(batch_.u, j, Kokkos::ALL), tasks[j].in);
    }
    Kokkos::deep_copy(exec_, batch_.plan, plan_h);
    Kokkos::deep_copy(exec_, batch_.ends, ends_h);
    Kokkos::deep_copy(exec_, batch_.steps, steps_h);
    run_theta_batch(exec_, batch_, m, blocks);
    for (int j = 0; j < m; ++j) Kokkos::deep_copy(exec_, tasks[j].out, Kokkos::subview(batch_.u, j, Kokkos::ALL));
    exec_.fence();  // the host mirrors above are read by the copies queued on exec_
  }

  /// Batch buffers for m systems of `longest` steps, grown when a call needs more (then kept).
  void reserve_batch(int m, int longest, int n, int blocks) {
    auto& b = batch_;
    const int sep = 2 * (blocks - 1);
    if (static_cast<int>(b.u.extent(0)) < m || static_cast<int>(b.separators.extent(1)) < sep) {
      const int rows = std::max(m, static_cast<int>(b.u.extent(0)));
      b.u = decltype(b.u)(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pint::theta::batch_u"), rows, n);
      b.work = decltype(b.work)(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pint::theta::batch_work"), rows, n);
      b.separators = decltype(b.separators)("pint::theta::batch_separators", rows, sep);
      b.steps = decltype(b.steps)("pint::theta::batch_steps", rows);
    }
    if (b.plan.extent(0) < b.u.extent(0) || static_cast<int>(b.plan.extent(1)) < longest) {
      const int rows = static_cast<int>(b.u.extent(0)), cols = std::max(longest, static_cast<int>(b.plan.extent(1)));
      b.plan = decltype(b.plan)(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pint::theta::batch_plan"), rows, cols);
      b.ends = decltype(b.ends)(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pint::theta::batch_ends"), rows, cols);
    }
  }

  std::shared_ptr<const Problem> problem_;
  IntegratorConfig config_;
  ExecSpace exec_;
  ThetaSolverCache<ExecSpace> solvers_;
  ThetaSolverCache<ExecSpace> batch_solvers_;  ///< one block each on a host space (see the file comment)
  Vector u_, work_;
  ThetaBatch<ExecSpace> batch_;
};

}  // namespace pint

#pragma once
/// \file
/// Implicit Euler (theta = 1) and Crank-Nicolson (theta = 1/2, optional Rannacher start-up) as a
/// Propagator on the execution space ExecSpace. All buffers and factorisations are made on first use
/// of a step size and kept: once every distinct step size of a run has been seen (the first sweep
/// over the slices; equal-length slices differ by an ulp, giving a handful of values), a call
/// allocates nothing.

#include <memory>
#include <vector>

#include "core/problem.hpp"
#include "core/propagator.hpp"
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

 private:
  void propagate_impl(ConstHostVector in, double t0, double t1, HostVector out) override {
    Kokkos::deep_copy(exec_, u_, in);
    const int steps = config_.steps;
    const double dt = (t1 - t0) / steps;
    const bool cn = config_.method == Integrator::CrankNicolson;
    int first_cn = 0;
    double t = t0;
    if (cn && config_.rannacher_half_steps > 0 && t0 == problem_->t_start()) {
      const Solver& half = solver(1.0, 0.5 * dt);
      for (int h = 0; h < config_.rannacher_half_steps; ++h) {
        t = t0 + 0.5 * dt * (h + 1);
        advance(half, t);
      }
      first_cn = config_.rannacher_half_steps / 2;
    }
    const Solver& full = solver(cn ? 0.5 : 1.0, dt);
    for (int s = first_cn; s < steps; ++s) {
      t = (s + 1 == steps) ? t1 : t0 + dt * (s + 1);
      advance(full, t);
    }
    Kokkos::deep_copy(exec_, out, u_);
    exec_.fence();
  }

  void advance(const Solver& s, double t_new) {
    const auto g = problem_->boundary_values(t_new);
    s.step(u_, work_, g[0], g[1]);
  }

  const Solver& solver(double theta, double dt) { return solvers_.get(theta, dt); }

  std::shared_ptr<const Problem> problem_;
  IntegratorConfig config_;
  ExecSpace exec_;
  ThetaSolverCache<ExecSpace> solvers_;
  Vector u_, work_;
};

}  // namespace pint

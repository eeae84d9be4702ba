#pragma once
/// \file
/// Explicit Euler and classical RK4 as a Propagator on ExecSpace. Prescribed end values enter each
/// stage at the stage's time (method of lines with time-dependent boundary data). Stage updates and
/// combinations use Kokkos-Kernels BLAS-1 on Views whose device type names ExecSpace, so they run on
/// the space the propagator was placed on.

#include <KokkosBlas1_axpby.hpp>
#include <KokkosBlas1_update.hpp>
#include <memory>

#include "core/problem.hpp"
#include "core/propagator.hpp"
#include "models/integrator.hpp"
#include "models/theta_step_solver.hpp"
#include "models/tridiagonal_apply.hpp"
#include "spaces/dispatch.hpp"

namespace pint {

template <class ExecSpace>
class ExplicitPropagator final : public Propagator {
 public:
  using device_type = Kokkos::Device<ExecSpace, typename ExecSpace::memory_space>;
  using Vector = Kokkos::View<double*, Kokkos::LayoutRight, device_type>;

  ExplicitPropagator(std::shared_ptr<const Problem> problem, IntegratorConfig config, ExecSpace exec = {})
      : problem_(std::move(problem)), config_(config), exec_(exec), dirichlet_(problem_->grid()->dirichlet_ends) {
    validate(config_);
    if (config_.method != Integrator::ExplicitEuler && config_.method != Integrator::RK4)
      throw std::invalid_argument("ExplicitPropagator takes explicit-euler or rk4");
    const Tridiagonal op = problem_->spatial_operator();
    n_ = op.size();
    lower_ = detail::to_device<Vector>("pint::explicit::lower", op.lower);
    diag_ = detail::to_device<Vector>("pint::explicit::diag", op.diag);
    upper_ = detail::to_device<Vector>("pint::explicit::upper", op.upper);
    u_ = Vector("pint::explicit::u", n_);
    y_ = Vector("pint::explicit::y", n_);
    k_ = Vector("pint::explicit::k", n_);
    acc_ = Vector("pint::explicit::acc", n_);
  }

  std::string name() const override { return to_string(config_.method) + "@" + to_string(space()); }
  SpaceKind space() const override { return kind_of<ExecSpace>(); }
  std::size_t size() const override { return n_; }

 private:
  void propagate_impl(ConstHostVector in, double t0, double t1, HostVector out) override {
    Kokkos::deep_copy(exec_, u_, in);
    const double dt = (t1 - t0) / config_.steps;
    for (int s = 0; s < config_.steps; ++s) {
      const double t = t0 + s * dt;
      const double tn = (s + 1 == config_.steps) ? t1 : t0 + (s + 1) * dt;
      if (config_.method == Integrator::ExplicitEuler)
        euler_step(dt, tn);
      else
        rk4_step(t, dt, tn);
    }
    Kokkos::deep_copy(exec_, out, u_);
    exec_.fence();
  }

  void ends(const Vector& x, double t) {
    if (!dirichlet_) return;
    const auto g = problem_->boundary_values(t);
    set_ends(exec_, dirichlet_, x, g[0], g[1]);
  }

  void euler_step(double dt, double tn) {
    apply_tridiagonal(exec_, lower_, diag_, upper_, dirichlet_, u_, k_);
    exec_.fence();  // Kokkos-Kernels 3.4 BLAS-1 launches on a default instance of the space
    KokkosBlas::axpy(dt, k_, u_);
    ends(u_, tn);
  }

  void rk4_step(double t, double dt, double tn) {
    const double th = t + 0.5 * dt;
    apply_tridiagonal(exec_, lower_, diag_, upper_, dirichlet_, u_, k_);  // k1
    exec_.fence();
    KokkosBlas::update(1.0, u_, 0.5 * dt, k_, 0.0, y_);  // y = u + dt/2 k1
    KokkosBlas::axpby(1.0, k_, 0.0, acc_);               // acc = k1
    ends(y_, th);
    apply_tridiagonal(exec_, lower_, diag_, upper_, dirichlet_, y_, k_);  // k2
    exec_.fence();
    KokkosBlas::update(1.0, u_, 0.5 * dt, k_, 0.0, y_);
    KokkosBlas::axpy(2.0, k_, acc_);
    ends(y_, th);
    apply_tridiagonal(exec_, lower_, diag_, upper_, dirichlet_, y_, k_);  // k3
    exec_.fence();
    KokkosBlas::update(1.0, u_, dt, k_, 0.0, y_);
    KokkosBlas::axpy(2.0, k_, acc_);
    ends(y_, tn);
    apply_tridiagonal(exec_, lower_, diag_, upper_, dirichlet_, y_, k_);  // k4
    exec_.fence();
    KokkosBlas::update(dt / 6.0, acc_, dt / 6.0, k_, 1.0, u_);  // u += dt/6 (k1 + 2k2 + 2k3 + k4)
    ends(u_, tn);
  }

  std::shared_ptr<const Problem> problem_;
  IntegratorConfig config_;
  ExecSpace exec_;
  bool dirichlet_;
  std::size_t n_ = 0;
  Vector lower_, diag_, upper_, u_, y_, k_, acc_;
};

}  // namespace pint

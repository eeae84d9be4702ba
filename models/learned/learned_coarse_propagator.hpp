#pragma once
/// \file
/// A coarse propagator that a learned surface N(tau, x) corrects:
///   G(u) = C(u) + N(t1, .) - C(N(t0, .)),
/// with C a few implicit-Euler steps over the slice (cheap: `c_steps` tridiagonal solves).
///
/// Why this form. Parareal's error obeys e[n+1]^(k+1) = G'(e[n]^(k+1)) + (F' - G') e[n]^k. A network of
/// (t, x) alone ignores its input (G' = 0: the iteration never corrects anything) and u + N(t1) - N(t0)
/// has G' = I (nothing is damped). Here G' = C', an implicit-Euler propagator that damps the stiff modes
/// F damps, while on the learned trajectory (u = N(t0)) G returns N(t1) exactly: the network supplies
/// accuracy, C supplies the right linear response. The learned term N(t1) - C(N(t0)) does not depend
/// on u, so it is computed once per slice (t0, t1) and kept; a call then costs c_steps solves and one
/// vector update. Prescribed end values stay exactly those of the problem (the term is 0 there).
///
/// Applied at other parameters than it was trained for (generalisation), the network describes another
/// equation, and N(t1) - C(N(t0)) with the run's C would impose that equation's trajectory: Parareal then
/// starts from the wrong solution. Given the problem the network was trained for (`trained`, same grid),
/// the learned term is N(t1) - C_trained(N(t0)) instead: C's own defect over the slice on the trained
/// solution, a small correction whatever the run's parameters, so that the coarse sweep follows the run's
/// C, nudged, rather than the trained surface. At the training parameters both are the same.
///
/// Shared buffers: the network reads the grid and writes its values directly in Views of this
/// propagator's memory space, through tensors made by view_as_tensor (same pointer, matching device),
/// with the space fenced before torch runs and torch synchronised before Kokkos reads. Where torch
/// cannot address that memory (a GPU space with a CPU-only LibTorch, as Debian's), decided at run
/// time by torch::cuda::is_available(), the network runs on host copies instead: the grid copied to
/// the host once, and each evaluation's values copied to the device once. The propagator's name says
/// so ("network on the CPU, host copies"), and with it the run's output and summary.

#include <map>
#include <memory>
#include <utility>

#include "core/problem.hpp"
#include "core/propagator.hpp"
#include "models/learned/surface_model.hpp"
#include "models/theta_solver_cache.hpp"
#include "models/theta_step_solver.hpp"
#include "spaces/dispatch.hpp"
#include "spaces/torch_bridge.hpp"
#include "spaces/torch_headers.hpp"

namespace pint {

namespace detail {
// The kernels live outside the class: a device lambda may not be defined in a private member function.

/// u += d on `exec`.
template <class ExecSpace, class Vector>
void add_in_place(const ExecSpace& exec, const Vector& u, const Vector& d) {
  Kokkos::parallel_for(
      "pint::learned::add", Kokkos::RangePolicy<ExecSpace>(exec, 0, static_cast<int>(u.extent(0))),
      KOKKOS_LAMBDA(int i) { u(i) += d(i); });
}

/// d <- d - c, with 0 at prescribed ends.
template <class ExecSpace, class Vector>
void subtract_keeping_ends(const ExecSpace& exec, const Vector& d, const Vector& c, bool dirichlet) {
  const int n = static_cast<int>(d.extent(0));
  Kokkos::parallel_for(
      "pint::learned::term", Kokkos::RangePolicy<ExecSpace>(exec, 0, n),
      KOKKOS_LAMBDA(int i) { d(i) = (dirichlet && (i == 0 || i == n - 1)) ? 0.0 : d(i) - c(i); });
}

}  // namespace detail

template <class ExecSpace>
class LearnedCoarsePropagator final : public Propagator {
 public:
  using Solver = ThetaStepSolver<ExecSpace>;
  using Vector = typename Solver::Vector;

  LearnedCoarsePropagator(std::shared_ptr<const Problem> problem, std::shared_ptr<SurfaceModel> model, int c_steps,
                          ExecSpace exec = {}, std::shared_ptr<const Problem> trained = nullptr)
      : problem_(std::move(problem)),
        trained_(trained ? std::move(trained) : problem_),
        model_(std::move(model)),
        c_steps_(c_steps),
        exec_(exec),
        dirichlet_(problem_->grid()->dirichlet_ends),
        solvers_(exec, problem_->spatial_operator(), dirichlet_),
        trained_solvers_(exec, trained_->spatial_operator(), dirichlet_),
        n_(solvers_.rows()),
        x_(detail::to_device<Vector>("pint::learned::x", problem_->grid()->x)),
        u_("pint::learned::u", n_),
        work_("pint::learned::work", n_),
        surface_("pint::learned::surface", n_),
        staged_(!runs_on_host<ExecSpace>() && !torch::cuda::is_available()) {
    if (staged_) {
      x_host_ = Kokkos::create_mirror(x_);
      Kokkos::deep_copy(x_host_, x_);
      values_host_ = typename Vector::HostMirror("pint::learned::values_host", n_);
    }
    if (c_steps_ < 1) throw std::invalid_argument("learned coarse propagator: needs at least 1 implicit-Euler step");
    if (trained_->size() != problem_->size() || trained_->grid()->dirichlet_ends != dirichlet_)
      throw std::invalid_argument("learned coarse propagator: the trained problem must have the run's grid");
    fence_before_torch(exec_);
    check_surface_model(*model_, staged_ ? view_as_tensor(x_host_) : view_as_tensor(x_), problem_->t_start());
  }

  std::string name() const override {
    return "learned(" + model_->describe() + ")@" + to_string(space()) +
           (staged_ ? " (network on the CPU, host copies)" : "");
  }
  /// Whether the network runs on host copies of this propagator's device buffers.
  bool host_staged() const { return staged_; }
  SpaceKind space() const override { return kind_of<ExecSpace>(); }
  std::size_t size() const override { return n_; }

  /// N(tau, .) on the grid, written into `out` through the torch bridge (exposed for tests).
  void evaluate_surface(double tau, const Vector& out) {
    fence_before_torch(exec_);
    if (staged_) {
      torch::Tensor o = view_as_tensor(values_host_);
      model_->evaluate(tau, view_as_tensor(x_host_), o);
      Kokkos::deep_copy(exec_, out, values_host_);  // the one copy of each evaluation
      exec_.fence();
      return;
    }
    const torch::Tensor x = view_as_tensor(x_);
    torch::Tensor o = view_as_tensor(out);
    model_->evaluate(tau, x, o);
    sync_before_kokkos(o.device());
  }
  const Vector& grid_view() const { return x_; }

 private:
  void propagate_impl(ConstHostVector in, double t0, double t1, HostVector out) override {
    Kokkos::deep_copy(exec_, u_, in);
    cheap_steps(*problem_, solvers_, u_, t0, t1);
    detail::add_in_place(exec_, u_, learned_term(t0, t1));
    Kokkos::deep_copy(exec_, out, u_);
    exec_.fence();
  }

  /// v <- C(v): c_steps implicit-Euler steps of `p` (factorisations from `cache`) from t0 to t1.
  void cheap_steps(const Problem& p, ThetaSolverCache<ExecSpace>& cache, const Vector& v, double t0, double t1) {
    const double dt = (t1 - t0) / c_steps_;
    const Solver& s = cache.get(1.0, dt);
    for (int k = 0; k < c_steps_; ++k) {
      const double t = (k + 1 == c_steps_) ? t1 : t0 + dt * (k + 1);
      const auto g = p.boundary_values(t);
      s.step(v, work_, g[0], g[1]);
    }
  }

  /// N(t1) - C_trained(N(t0)) for the slice, computed on first use and kept (it does not depend on u).
  /// The ends are 0: G keeps the run's own prescribed values there.
  Vector learned_term(double t0, double t1) {
    const auto key = std::make_pair(t0, t1);
    auto it = terms_.find(key);
    if (it != terms_.end()) return it->second;
    Vector d("pint::learned::term", n_);
    evaluate_surface(t0, surface_);
    // C_trained(N(t0)); at the training parameters that is the run's C and its factorisations.
    cheap_steps(*trained_, trained_ == problem_ ? solvers_ : trained_solvers_, surface_, t0, t1);
    evaluate_surface(t1, d);  // N(t1)
    detail::subtract_keeping_ends(exec_, d, surface_, dirichlet_);
    exec_.fence();
    terms_.emplace(key, d);
    return d;
  }

  std::shared_ptr<const Problem> problem_;
  std::shared_ptr<const Problem> trained_;  ///< the problem the network describes (problem_ unless generalising)
  std::shared_ptr<SurfaceModel> model_;
  int c_steps_;
  ExecSpace exec_;
  bool dirichlet_;
  ThetaSolverCache<ExecSpace> solvers_, trained_solvers_;
  std::size_t n_;
  Vector x_, u_, work_, surface_;
  bool staged_;  ///< network on host copies (see the file comment)
  typename Vector::HostMirror x_host_, values_host_;
  std::map<std::pair<double, double>, Vector> terms_;
};

/// A learned coarse propagator on the space chosen at run time; `trained` (same grid) is the problem
/// the network was trained for when that is not `problem` (generalisation), else null.
std::unique_ptr<Propagator> make_learned_coarse(std::shared_ptr<const Problem> problem,
                                                std::shared_ptr<SurfaceModel> model, int c_steps, SpaceKind space,
                                                std::shared_ptr<const Problem> trained = nullptr);

}  // namespace pint

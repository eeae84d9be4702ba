#pragma once
/// \file
/// What an integrator asks of a problem on one execution space (the interface of pySDC's problem
/// classes: eval_f and solve_system, batched). States are flat Views in the space's memory; the
/// virtual calls are here, one per stage, never inside a kernel: an implementation launches its own
/// kernels (functors or KOKKOS_LAMBDAs) on exec().
///
/// Prescribed (Dirichlet) unknowns: rhs() returns 0 there, prescribe() writes their values at t, and
/// solve() sets them to their values at t. An integrator therefore never special-cases them.

#include <Kokkos_Core.hpp>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "spaces/dispatch.hpp"
#include "spaces/space_kind.hpp"

namespace pint {

/// Newton's settings for a nonlinear stage solve: converged when |u - a f(t, u) - r|_inf <= tolerance
/// (1 + |r|_inf) (relative to the data, absolute near zero); more than max_iterations is a failure.
struct NewtonSettings {
  double tolerance = 1e-12;
  int max_iterations = 20;
};

/// A nonlinear stage solve that did not converge: names the time, the residual and the iteration.
class NewtonFailure : public std::runtime_error {
 public:
  NewtonFailure(const std::string& what, double t, double residual, int iterations)
      : std::runtime_error(what), t_(t), residual_(residual), iterations_(iterations) {}
  /// The failure of a Newton iteration stopped at `iterations` with `residual` above settings.tolerance x
  /// scale at time t: the one message every nonlinear operator gives, with what to change.
  static NewtonFailure not_converged(double t, double residual, int iterations, const NewtonSettings& settings,
                                     double scale) {
    std::ostringstream msg;
    msg.precision(6);
    msg << "Newton's method did not converge in the stage solve at t = " << t << ": residual " << residual << " after "
        << iterations << " iteration(s) (tolerance " << settings.tolerance << " x " << scale
        << "); raise the problem's newton_max_iterations or newton_tolerance, or take smaller time steps";
    return NewtonFailure(msg.str(), t, residual, iterations);
  }
  double time() const { return t_; }
  double residual() const { return residual_; }
  int iterations() const { return iterations_; }

 private:
  double t_, residual_;
  int iterations_;
};

/// The space-independent handle make_operator() returns; a propagator on ExecSpace casts it to
/// ProblemOperator<ExecSpace>.
class ProblemOperatorBase {
 public:
  virtual ~ProblemOperatorBase() = default;
  virtual SpaceKind space() const = 0;
};

template <class ExecSpace>
class ProblemOperator : public ProblemOperatorBase {
 public:
  using execution_space = ExecSpace;
  using memory_space = typename ExecSpace::memory_space;
  using Vector = Kokkos::View<double*, Kokkos::LayoutRight, memory_space>;
  using ConstVector = Kokkos::View<const double*, Kokkos::LayoutRight, memory_space>;
  /// (system m, unknown k): row m is one state.
  using Batch = Kokkos::View<double**, Kokkos::LayoutRight, memory_space>;

  explicit ProblemOperator(ExecSpace exec = {}) : exec_(exec) {}
  SpaceKind space() const final { return kind_of<ExecSpace>(); }
  const ExecSpace& exec() const { return exec_; }
  virtual std::size_t size() const = 0;

  /// f = f(t, u) at the unknowns that are not prescribed, 0 at the prescribed ones.
  virtual void rhs(double t, const ConstVector& u, const Vector& f) = 0;
  /// Writes the prescribed unknowns' values at time t into u; the others are untouched.
  virtual void prescribe(double t, const Vector& u) = 0;
  /// u - a f(t, u) = r at the unknowns that are not prescribed, the prescribed ones set to their values at
  /// t. On entry u is the initial guess of a nonlinear solve (an integrator passes its last state). Throws
  /// NewtonFailure where a nonlinear solve does not converge.
  virtual void solve(double t, double a, const ConstVector& r, const Vector& u) = 0;
  /// Row m of u solves u_m - a[m] f(t[m], u_m) = r_m, its prescribed unknowns set to their values at t[m] (SDC's
  /// node solves: one system per collocation node, each at its own time): all at once where the problem can (the
  /// tridiagonal ones: one batched kernel); the default solves one after another.
  virtual void solve_batch(const std::vector<double>& t, const std::vector<double>& a, const Batch& r, const Batch& u) {
    check_batch(t, a, r, u);
    for (std::size_t m = 0; m < a.size(); ++m)
      solve(t[m], a[m], Kokkos::subview(r, m, Kokkos::ALL), Kokkos::subview(u, m, Kokkos::ALL));
  }
  /// Whether f is affine in u (a stage solve is one linear solve).
  virtual bool linear() const = 0;

  /// A split f = f_0 + ... + f_{parts-1} (ADI directions, IMEX parts); 0 = none.
  virtual int parts() const { return 0; }
  /// f_p(t, u), 0 at the prescribed unknowns.
  virtual void rhs_part(int p, double, const ConstVector&, const Vector&) { no_part(p); }
  /// u - a f_p(t, u) = r, the prescribed unknowns set to their values at t.
  virtual void solve_part(int p, double, double, const ConstVector&, const Vector&) { no_part(p); }
  /// Whether ADI schemes treat part p explicitly (a mixed derivative, In 't Hout's A_0): never solved for.
  virtual bool explicit_part(int) const { return false; }

 protected:
  void check_batch(const std::vector<double>& t, const std::vector<double>& a, const Batch& r, const Batch& u) const {
    if (t.size() != a.size() || r.extent(0) != a.size() || u.extent(0) != a.size() || r.extent(1) != size() ||
        u.extent(1) != size())
      throw std::invalid_argument("solve_batch: t and a must have one entry per system, r and u must be (" +
                                  std::to_string(a.size()) + " systems, " + std::to_string(size()) + " unknowns)");
  }

 private:
  [[noreturn]] void no_part(int p) const {
    throw std::logic_error("this problem has " + std::to_string(parts()) + " split parts; part " + std::to_string(p) +
                           " does not exist");
  }
  ExecSpace exec_;
};

/// `Op<ExecSpace>(exec, args...)` for the space `kind`: how a problem's make_operator() instantiates its
/// operator template for every compiled-in space (through nvcc in a CUDA build) and picks one at run time.
template <template <class> class Op, class... Args>
std::unique_ptr<ProblemOperatorBase> make_operator_on(SpaceKind kind, Args&&... args) {
  return with_space(kind, [&](auto exec) -> std::unique_ptr<ProblemOperatorBase> {
    return std::make_unique<Op<decltype(exec)>>(exec, std::forward<Args>(args)...);
  });
}

/// The operator `base` as the ProblemOperator of ExecSpace; throws if it was made for another space.
template <class ExecSpace>
std::unique_ptr<ProblemOperator<ExecSpace>> operator_cast(std::unique_ptr<ProblemOperatorBase> base) {
  auto* op = dynamic_cast<ProblemOperator<ExecSpace>*>(base.get());
  if (!op)
    throw std::logic_error("make_operator returned an operator for space '" + to_string(base->space()) + "' where '" +
                           to_string(kind_of<ExecSpace>()) + "' was asked for");
  base.release();
  return std::unique_ptr<ProblemOperator<ExecSpace>>(op);
}

}  // namespace pint

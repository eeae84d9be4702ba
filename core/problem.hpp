#pragma once
/// \file
/// A time-dependent problem du/dt = f(t, u) after discretisation in space (method of lines), with
/// prescribed (Dirichlet) unknowns. Two levels, as pySDC and SUNDIALS separate them:
///
///  - this class, independent of any execution space: the state layout (Grid), the time interval, the
///    initial condition, the closed form where there is one, and the stability information;
///  - ProblemOperator<ExecSpace> (core/problem_operator.hpp), made by make_operator() on the space a
///    propagator runs on: f(t, u), the stage solve u - a f(t, u) = r (batched over several a), and
///    an optional split f = f_0 + f_1 + ... with a solve per part. Integrators know only that.
///
/// One structure is special because a fused kernel exists for it (the fast path, models/): f = L u
/// with a constant tridiagonal L on a 1-D grid of one component, the first and last unknown
/// prescribed by boundary_values(t). A problem of that form says so by returning L from
/// spatial_operator(); it then needs no make_operator() of its own (models/ provides a generic one).
/// Black-Scholes, heat 1-D and Dahlquist are of that form.

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "core/state.hpp"
#include "core/vector.hpp"
#include "spaces/space_kind.hpp"

namespace pint {

/// Row i of L: lower[i]*u[i-1] + diag[i]*u[i] + upper[i]*u[i+1]; lower[0] and upper[n-1] are 0.
struct Tridiagonal {
  std::vector<double> lower, diag, upper;
  std::size_t size() const { return diag.size(); }
};

class ProblemOperatorBase;

/// A named number a problem reports about a state (an option's price at the spot, its closed form).
struct NamedValue {
  std::string name;
  double value = 0.0;
};

/// A tridiagonal matrix for the explicit-stability check, with whether its first and last rows are
/// prescribed (dropped from the eigenvalue problem).
struct StabilityOperator {
  Tridiagonal op;
  bool dirichlet_ends = false;
};

class Problem {
 public:
  virtual ~Problem() = default;

  virtual std::string name() const = 0;
  /// Layout of the unknowns; shared so that States can point at it.
  virtual std::shared_ptr<const Grid> grid() const = 0;
  std::size_t size() const { return grid()->size(); }
  virtual double t_start() const { return 0.0; }
  virtual double t_end() const = 0;

  virtual void initial_condition(HostVector u) const = 0;

  /// Fast-path form: the constant tridiagonal L of f = L u (rows of prescribed unknowns ignored), or an
  /// empty matrix (the default) where f is not of that form.
  virtual Tridiagonal spatial_operator() const { return {}; }
  /// With the tridiagonal form: the values of the first and last unknown at time t.
  virtual std::array<double, 2> boundary_values(double) const { return {0.0, 0.0}; }
  /// Whether spatial_operator() gives f (computed from it: a problem says so in one place).
  bool tridiagonal() const;

  /// f, its stage solve and its split on `space`. Problems of the tridiagonal form get a generic one from
  /// models/ (make_problem_operator); any other problem overrides this, usually as
  /// `return make_operator_on<MyOperator>(space, *this);` (core/problem_operator.hpp). The default throws.
  virtual std::unique_ptr<ProblemOperatorBase> make_operator(SpaceKind space) const;

  /// For the explicit-stability check: tridiagonal matrices whose largest decay rates add up to a bound
  /// on the decay rate of f's Jacobian at (t_start, u) (one per direction of a 2-D Laplacian, whose
  /// eigenvalues are the sums of the directions'). Default: spatial_operator() where there is one,
  /// else nothing (no check).
  virtual std::vector<StabilityOperator> stability_operators(const HostVector& u) const;

  virtual bool has_exact_solution() const { return false; }
  /// The exact solution of the PDE (not of its discretisation) at time t; throws if there is none.
  virtual void exact_solution(double t, HostVector u) const;

  /// Values a run reports about its final state u at time t (text summary and JSON, under these names);
  /// default none.
  virtual std::vector<NamedValue> report(double, const HostVector&) const { return {}; }

  /// The initial condition as a State at t_start().
  State initial_state() const;
};

}  // namespace pint

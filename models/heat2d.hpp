#pragma once
/// \file
/// The heat equation u_t = alpha (u_xx + u_yy) on [0, lx] x [0, ly], u = 0 on the boundary, started from
/// one sine mode sin(mx pi x / lx) sin(my pi y / ly). Exact solution: that mode decaying as
/// exp(-alpha pi^2 (mx^2 / lx^2 + my^2 / ly^2) t). The 5-point Laplacian on nx by ny intervals, split
/// into its x and y parts for ADI (each part's solve: one tridiagonal system per grid line, all lines in
/// one batched kernel). The full stage solve (implicit Euler, Crank-Nicolson) is a matrix-free conjugate
/// gradient to a relative residual of cg_tolerance, which bounds what time-order tests can resolve.

#include "core/problem.hpp"
#include "core/problem_registry.hpp"

namespace pint {

struct Heat2dParams {
  double alpha = 1.0, lx = 1.0, ly = 1.0;
  int nx = 32, ny = 32;  ///< intervals
  int mode_x = 1, mode_y = 1;
  double t_end = 0.1;
  double cg_tolerance = 1e-13;
};

class Heat2dProblem final : public Problem {
 public:
  explicit Heat2dProblem(Heat2dParams params);
  std::string name() const override { return "heat2d"; }
  std::shared_ptr<const Grid> grid() const override { return grid_; }
  double t_end() const override { return p_.t_end; }
  void initial_condition(HostVector u) const override;
  std::unique_ptr<ProblemOperatorBase> make_operator(SpaceKind space) const override;
  std::vector<StabilityOperator> stability_operators(const HostVector& u) const override;
  bool has_exact_solution() const override { return true; }
  void exact_solution(double t, HostVector u) const override;
  /// The mode's decay rate under the 5-point Laplacian (the semi-discrete solution is the grid's sine
  /// mode times exp(-rate t)).
  double discrete_decay_rate() const;
  const Heat2dParams& params() const { return p_; }

  static ProblemEntry entry();

 private:
  void mode(double amplitude, HostVector u) const;
  Heat2dParams p_;
  std::shared_ptr<Grid> grid_;
};

}  // namespace pint

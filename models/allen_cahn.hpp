#pragma once
/// \file
/// Allen-Cahn in the travelling-front form of the parallel-SDC papers (Caklovic, Lunet, Goetschel,
/// Ruprecht; pySDC's allencahn_front_fullyimplicit):
///   u_t = u_xx - (2 / eps^2) u (1 - u) (1 - 2u) - 6 d_w u (1 - u)   on [x_min, x_max],
/// exact travelling wave u(x, t) = (1 + tanh((x - v t) / (sqrt(2) eps))) / 2, v = 3 sqrt(2) eps d_w, whose
/// values also give the Dirichlet data at both ends. Centred second differences; the stage solve is
/// Newton on the tridiagonal Jacobian (models/stencil_operator_1d.hpp). IMEX split (SDC's --sdc-imex, the ADI
/// family): part 0 = u_xx (implicit, one tridiagonal solve), part 1 = the reaction terms (explicit).
/// Defaults: [-0.5, 0.5], 128 intervals, eps = 0.04, d_w = -0.04 (the papers' values), t_end = 0.1.

#include "core/problem.hpp"
#include "core/problem_operator.hpp"
#include "core/problem_registry.hpp"

namespace pint {

struct AllenCahnParams {
  double x_min = -0.5, x_max = 0.5;
  int intervals = 128;
  double eps = 0.04, dw = -0.04;
  double t_end = 0.1;
  NewtonSettings newton;
};

class AllenCahnProblem final : public Problem {
 public:
  explicit AllenCahnProblem(AllenCahnParams params);
  std::string name() const override { return "allen-cahn"; }
  std::shared_ptr<const Grid> grid() const override { return grid_; }
  double t_end() const override { return p_.t_end; }
  void initial_condition(HostVector u) const override { exact_solution(0.0, u); }
  std::unique_ptr<ProblemOperatorBase> make_operator(SpaceKind space) const override;
  std::vector<StabilityOperator> stability_operators(const HostVector& u) const override;
  bool has_exact_solution() const override { return true; }
  void exact_solution(double t, HostVector u) const override;
  /// The travelling wave at (x, t).
  double wave(double x, double t) const;
  const AllenCahnParams& params() const { return p_; }

  static ProblemEntry entry();

 private:
  AllenCahnParams p_;
  std::shared_ptr<Grid> grid_;
};

}  // namespace pint

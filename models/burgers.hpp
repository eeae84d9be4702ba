#pragma once
/// \file
/// Viscous Burgers u_t + u u_x = nu u_xx on [0, 1], u = 0 at both ends, with the closed form of the
/// Cole-Hopf transform u = -2 nu phi_x / phi for the heat-equation solution phi = a + exp(-pi^2 nu t)
/// cos(pi x) (a > 1 keeps phi positive):
///   u(x, t) = 2 pi nu exp(-pi^2 nu t) sin(pi x) / (a + exp(-pi^2 nu t) cos(pi x)).
/// Centred differences of the conservative form, f_i = -(u_{i+1}^2 - u_{i-1}^2) / (4h) + nu (u_{i-1} - 2u_i +
/// u_{i+1}) / h^2; Newton on the tridiagonal Jacobian. Defaults: nu = 0.05, a = 1.5 (peak speed 0.28, cell
/// Peclet number 0.04 at 128 intervals), t_end = 1.

#include "core/problem.hpp"
#include "core/problem_operator.hpp"
#include "core/problem_registry.hpp"

namespace pint {

struct BurgersParams {
  double nu = 0.05, a = 1.5;
  int intervals = 128;
  double t_end = 1.0;
  NewtonSettings newton;
};

class BurgersProblem final : public Problem {
 public:
  explicit BurgersProblem(BurgersParams params);
  std::string name() const override { return "burgers"; }
  std::shared_ptr<const Grid> grid() const override { return grid_; }
  double t_end() const override { return p_.t_end; }
  void initial_condition(HostVector u) const override { exact_solution(0.0, u); }
  std::unique_ptr<ProblemOperatorBase> make_operator(SpaceKind space) const override;
  std::vector<StabilityOperator> stability_operators(const HostVector& u) const override;
  bool has_exact_solution() const override { return true; }
  void exact_solution(double t, HostVector u) const override;
  const BurgersParams& params() const { return p_; }

  static ProblemEntry entry();

 private:
  BurgersParams p_;
  std::shared_ptr<Grid> grid_;
};

}  // namespace pint

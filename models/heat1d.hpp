#pragma once
/// \file
/// The heat equation u_t = alpha u_xx on [0, length], u = 0 at both ends, started from one sine
/// mode sin(k pi x / length) (seed 003's example). Exact solution: that mode decaying as
/// exp(-alpha (k pi / length)^2 t). Centred differences with M intervals.

#include "core/problem.hpp"
#include "models/heat_params.hpp"

namespace pint {

class HeatProblem final : public Problem {
 public:
  explicit HeatProblem(HeatParams params);
  std::string name() const override { return "heat1d"; }
  std::shared_ptr<const Grid> grid() const override { return grid_; }
  double t_end() const override { return p_.t_end; }
  void initial_condition(HostVector u) const override;
  std::array<double, 2> boundary_values(double) const override { return {0.0, 0.0}; }
  Tridiagonal spatial_operator() const override;
  bool has_exact_solution() const override { return true; }
  void exact_solution(double t, HostVector u) const override;
  /// Decay rate of the mode under the semi-discrete operator: alpha 4/h^2 sin^2(k pi h / (2 length)).
  double discrete_decay_rate() const;

 private:
  HeatParams p_;
  std::shared_ptr<Grid> grid_;
};

}  // namespace pint

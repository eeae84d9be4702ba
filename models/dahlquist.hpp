#pragma once
/// \file
/// The Dahlquist test equation y' = lambda y for a vector of independent real lambdas, y(0) = y0.

#include <vector>

#include "core/problem.hpp"

namespace pint {

class DahlquistProblem final : public Problem {
 public:
  DahlquistProblem(std::vector<double> lambdas, double y0, double t_end);
  std::string name() const override { return "dahlquist"; }
  std::shared_ptr<const Grid> grid() const override { return grid_; }
  double t_end() const override { return t_end_; }
  void initial_condition(HostVector u) const override;
  std::array<double, 2> boundary_values(double) const override { return {0.0, 0.0}; }
  Tridiagonal spatial_operator() const override;
  bool has_exact_solution() const override { return true; }
  void exact_solution(double t, HostVector u) const override;
  const std::vector<double>& lambdas() const { return lambdas_; }

 private:
  std::vector<double> lambdas_;
  double y0_, t_end_;
  std::shared_ptr<Grid> grid_;
};

}  // namespace pint

#pragma once
/// \file
/// Black-Scholes for a European call or put on one asset (seed 000 eq. (1)-(3), (10)), in time to
/// maturity tau = T - t, so it runs forward from the payoff:
///   V_tau = 1/2 sigma^2 S^2 V_SS + r S V_S - r V,  V(0, S) = payoff(S),
/// second-order centred differences on 0 = S_0 < ... < S_M = S_max, Delta S = S_max / M.
/// Boundaries: call V(tau, 0) = 0, V(tau, S_max) = S_max - K e^{-r tau};
///             put  V(tau, 0) = K e^{-r tau}, V(tau, S_max) = 0.

#include <string>

#include "core/problem.hpp"
#include "models/black_scholes_formula.hpp"
#include "models/black_scholes_params.hpp"

namespace pint {

class BlackScholesProblem final : public Problem {
 public:
  explicit BlackScholesProblem(BlackScholesParams params);

  std::string name() const override;
  std::shared_ptr<const Grid> grid() const override { return grid_; }
  double t_end() const override { return p_.maturity; }
  void initial_condition(HostVector u) const override;
  std::array<double, 2> boundary_values(double tau) const override;
  Tridiagonal spatial_operator() const override;
  bool has_exact_solution() const override { return true; }
  void exact_solution(double tau, HostVector u) const override;

  const BlackScholesParams& params() const { return p_; }

 private:
  BlackScholesParams p_;
  std::shared_ptr<Grid> grid_;
};

}  // namespace pint

#include "models/black_scholes.hpp"

#include <cmath>
#include <stdexcept>

namespace pint {

void validate(const BlackScholesParams& p) {
  auto bad = [](const std::string& what) { throw std::invalid_argument("black-scholes: " + what); };
  if (!(p.s_max > 0) || !std::isfinite(p.s_max)) bad("s_max must be a positive number");
  if (!(p.ds > 0) || !(p.ds <= p.s_max / 2)) bad("ds must be positive and at most s_max / 2");
  const double m = p.s_max / p.ds;
  if (std::abs(m - std::round(m)) > 1e-9 * m) bad("s_max / ds must be a whole number of intervals");
  if (m > 5e8) bad("s_max / ds gives more than 5e8 grid points");
  if (!(p.strike > 0) || !(p.strike < p.s_max)) bad("strike must be in (0, s_max)");
  if (!std::isfinite(p.rate)) bad("rate must be a finite number");
  if (!(p.sigma > 0) || !std::isfinite(p.sigma)) bad("sigma must be positive");
  if (!(p.maturity > 0) || !std::isfinite(p.maturity)) bad("maturity T must be positive");
}

BlackScholesProblem::BlackScholesProblem(BlackScholesParams params) : p_(params) {
  validate(p_);
  const auto m = static_cast<std::size_t>(std::llround(p_.s_max / p_.ds));
  auto g = std::make_shared<Grid>();
  g->x.resize(m + 1);
  for (std::size_t i = 0; i <= m; ++i) g->x[i] = static_cast<double>(i) * p_.ds;
  g->dirichlet_ends = true;
  grid_ = std::move(g);
}

std::string BlackScholesProblem::name() const {
  return p_.type == OptionType::Call ? "black-scholes-call" : "black-scholes-put";
}

void BlackScholesProblem::initial_condition(HostVector u) const {
  for (std::size_t i = 0; i < grid_->size(); ++i) {
    const double s = grid_->x[i];
    u(i) = p_.type == OptionType::Call ? std::max(s - p_.strike, 0.0) : std::max(p_.strike - s, 0.0);
  }
}

std::array<double, 2> BlackScholesProblem::boundary_values(double tau) const {
  const double disc = p_.strike * std::exp(-p_.rate * tau);
  if (p_.type == OptionType::Call) return {0.0, p_.s_max - disc};
  return {disc, 0.0};
}

Tridiagonal BlackScholesProblem::spatial_operator() const {
  const std::size_t n = grid_->size();
  Tridiagonal L;
  L.lower.assign(n, 0.0);
  L.diag.assign(n, 0.0);
  L.upper.assign(n, 0.0);
  const double s2 = p_.sigma * p_.sigma, r = p_.rate;
  for (std::size_t i = 1; i + 1 < n; ++i) {
    // With S_i = i dS the coefficients depend on i only: dS cancels.
    const double x = static_cast<double>(i);
    const double diff = 0.5 * s2 * x * x, conv = 0.5 * r * x;
    L.lower[i] = diff - conv;
    L.diag[i] = -2.0 * diff - r;
    L.upper[i] = diff + conv;
  }
  return L;
}

void BlackScholesProblem::exact_solution(double tau, HostVector u) const {
  for (std::size_t i = 0; i < grid_->size(); ++i)
    u(i) = black_scholes_price(p_.type, grid_->x[i], p_.strike, p_.rate, p_.sigma, tau);
}

}  // namespace pint

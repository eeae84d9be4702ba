#include "models/heat1d.hpp"

#include <cmath>
#include <stdexcept>

namespace pint {

void validate(const HeatParams& p) {
  if (!(p.alpha > 0) || !std::isfinite(p.alpha)) throw std::invalid_argument("heat1d: alpha must be a positive number");
  if (!(p.length > 0) || !std::isfinite(p.length))
    throw std::invalid_argument("heat1d: length must be a positive number");
  if (p.intervals < 2) throw std::invalid_argument("heat1d: need at least 2 intervals");
  if (p.mode < 1 || p.mode >= p.intervals) throw std::invalid_argument("heat1d: mode must be in [1, intervals)");
  if (!(p.t_end > 0) || !std::isfinite(p.t_end)) throw std::invalid_argument("heat1d: t_end must be a positive number");
}

HeatProblem::HeatProblem(HeatParams params) : p_(params) {
  validate(p_);
  auto g = std::make_shared<Grid>();
  g->x.resize(p_.intervals + 1);
  for (int i = 0; i <= p_.intervals; ++i) g->x[i] = p_.length * i / p_.intervals;
  g->dirichlet_ends = true;
  grid_ = std::move(g);
}

void HeatProblem::initial_condition(HostVector u) const {
  const double k = p_.mode * M_PI / p_.length;
  for (std::size_t i = 0; i < grid_->size(); ++i) u(i) = std::sin(k * grid_->x[i]);
  u(0) = 0.0;
  u(grid_->size() - 1) = 0.0;
}

Tridiagonal HeatProblem::spatial_operator() const {
  const std::size_t n = grid_->size();
  const double h = p_.length / p_.intervals, c = p_.alpha / (h * h);
  Tridiagonal L{std::vector<double>(n, c), std::vector<double>(n, -2.0 * c), std::vector<double>(n, c)};
  L.lower[0] = 0.0;
  L.upper[n - 1] = 0.0;
  return L;
}

void HeatProblem::exact_solution(double t, HostVector u) const {
  const double k = p_.mode * M_PI / p_.length;
  const double decay = std::exp(-p_.alpha * k * k * t);
  for (std::size_t i = 0; i < grid_->size(); ++i) u(i) = decay * std::sin(k * grid_->x[i]);
  u(0) = 0.0;
  u(grid_->size() - 1) = 0.0;
}

double HeatProblem::discrete_decay_rate() const {
  const double h = p_.length / p_.intervals;
  const double s = std::sin(p_.mode * M_PI * h / (2.0 * p_.length));
  return p_.alpha * 4.0 / (h * h) * s * s;
}

}  // namespace pint

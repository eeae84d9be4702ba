#include "models/dahlquist.hpp"

#include <cmath>
#include <stdexcept>

namespace pint {

DahlquistProblem::DahlquistProblem(std::vector<double> lambdas, double y0, double t_end)
    : lambdas_(std::move(lambdas)), y0_(y0), t_end_(t_end) {
  if (lambdas_.empty()) throw std::invalid_argument("dahlquist: give at least one lambda");
  if (!(t_end_ > 0)) throw std::invalid_argument("dahlquist: t_end must be positive");
  auto g = std::make_shared<Grid>();
  g->x.resize(lambdas_.size());
  for (std::size_t i = 0; i < lambdas_.size(); ++i) g->x[i] = static_cast<double>(i);  // index of lambda
  g->dirichlet_ends = false;
  grid_ = std::move(g);
}

void DahlquistProblem::initial_condition(HostVector u) const {
  for (std::size_t i = 0; i < lambdas_.size(); ++i) u(i) = y0_;
}

Tridiagonal DahlquistProblem::spatial_operator() const {
  const std::size_t n = lambdas_.size();
  return Tridiagonal{std::vector<double>(n, 0.0), lambdas_, std::vector<double>(n, 0.0)};
}

void DahlquistProblem::exact_solution(double t, HostVector u) const {
  for (std::size_t i = 0; i < lambdas_.size(); ++i) u(i) = y0_ * std::exp(lambdas_[i] * t);
}

}  // namespace pint

#include "core/problem.hpp"

#include <stdexcept>

#include "core/problem_operator.hpp"

namespace pint {

bool Problem::tridiagonal() const {
  const auto g = grid();
  return g->dims() == 1 && g->components == 1 && spatial_operator().size() == g->size() && g->size() > 0;
}

std::unique_ptr<ProblemOperatorBase> Problem::make_operator(SpaceKind) const {
  throw std::logic_error("problem '" + name() +
                         "' provides neither a constant tridiagonal operator nor make_operator(); a problem must "
                         "override one of them (see README, 'Your own problem')");
}

std::vector<StabilityOperator> Problem::stability_operators(const HostVector&) const {
  if (tridiagonal()) return {{spatial_operator(), grid()->dirichlet_ends}};
  return {};
}

void Problem::exact_solution(double, HostVector) const {
  throw std::logic_error("problem '" + name() + "' has no exact solution");
}

State Problem::initial_state() const {
  State s(grid(), t_start(), "initial_state");
  initial_condition(s.values);
  return s;
}

}  // namespace pint

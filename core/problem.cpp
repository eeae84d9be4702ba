#include "core/problem.hpp"

#include <stdexcept>

namespace pint {

void Problem::exact_solution(double, HostVector) const {
  throw std::logic_error("problem '" + name() + "' has no exact solution");
}

State Problem::initial_state() const {
  State s(grid(), t_start(), "initial_state");
  initial_condition(s.values);
  return s;
}

}  // namespace pint

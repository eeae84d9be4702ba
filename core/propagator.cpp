#include "core/propagator.hpp"

#include <cmath>
#include <stdexcept>

namespace pint {

void Propagator::propagate(ConstHostVector in, double t0, double t1, HostVector out) {
  check(in, t0, t1, out);
  propagate_impl(in, t0, t1, out);
}

void Propagator::propagate_batch(const std::vector<PropagationTask>& tasks) {
  for (std::size_t j = 0; j < tasks.size(); ++j) {
    check(tasks[j].in, tasks[j].t0, tasks[j].t1, tasks[j].out);
    for (std::size_t i = 0; i < tasks.size(); ++i)
      if (i != j && tasks[i].in.data() == tasks[j].out.data())
        throw std::invalid_argument(name() + ": batched task " + std::to_string(j) + " writes the input of task " +
                                    std::to_string(i) + "; give each task its own output");
  }
  if (!tasks.empty()) propagate_batch_impl(tasks);
}

void Propagator::propagate_batch_impl(const std::vector<PropagationTask>& tasks) {
  for (const auto& t : tasks) propagate_impl(t.in, t.t0, t.t1, t.out);
}

void Propagator::check(ConstHostVector in, double t0, double t1, HostVector out) {
  if (in.extent(0) != size() || out.extent(0) != size())
    throw std::invalid_argument(name() + ": state of size " + std::to_string(in.extent(0)) + " -> " +
                                std::to_string(out.extent(0)) + " given, the propagator was built for " +
                                std::to_string(size()) + " unknowns");
  if (!std::isfinite(t0) || !std::isfinite(t1) || !(t1 > t0))
    throw std::invalid_argument(name() + ": needs finite times with t1 > t0, got t0 = " + std::to_string(t0) +
                                ", t1 = " + std::to_string(t1));
}

}  // namespace pint

#include "core/propagator.hpp"

#include <cmath>
#include <stdexcept>

namespace pint {

void Propagator::propagate(ConstHostVector in, double t0, double t1, HostVector out) {
  if (in.extent(0) != size() || out.extent(0) != size())
    throw std::invalid_argument(name() + ": state of size " + std::to_string(in.extent(0)) + " -> " +
                                std::to_string(out.extent(0)) + " given, the propagator was built for " +
                                std::to_string(size()) + " unknowns");
  if (!std::isfinite(t0) || !std::isfinite(t1) || !(t1 > t0))
    throw std::invalid_argument(name() + ": needs finite times with t1 > t0, got t0 = " + std::to_string(t0) +
                                ", t1 = " + std::to_string(t1));
  propagate_impl(in, t0, t1, out);
}

}  // namespace pint

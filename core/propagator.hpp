#pragma once
/// \file
/// A propagator maps a state at t0 to a state at t1. The public entry is non-virtual: it checks the
/// arguments once for every implementation (sizes, times), then calls the implementation, which
/// stages the data into its own execution space. A fine propagator on one space and a coarse one on
/// another then need no special cases in the algorithms.

#include <cstddef>
#include <string>

#include "core/vector.hpp"
#include "spaces/space_kind.hpp"

namespace pint {

class Propagator {
 public:
  virtual ~Propagator() = default;

  /// out = P(in; t0 -> t1). `in` and `out` may be the same View. Throws std::invalid_argument on
  /// sizes that differ from size() or on t1 <= t0 or non-finite times.
  void propagate(ConstHostVector in, double t0, double t1, HostVector out);

  virtual std::string name() const = 0;
  virtual SpaceKind space() const = 0;
  virtual std::size_t size() const = 0;

 private:
  virtual void propagate_impl(ConstHostVector in, double t0, double t1, HostVector out) = 0;
};

}  // namespace pint

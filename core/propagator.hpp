#pragma once
/// \file
/// A propagator maps a state at t0 to a state at t1. The public entry is non-virtual: it checks the
/// arguments once for every implementation (sizes, times), then calls the implementation, which
/// stages the data into its own execution space. A fine propagator on one space and a coarse one on
/// another then need no special cases in the algorithms.

#include <cstddef>
#include <string>
#include <vector>

#include "core/vector.hpp"
#include "spaces/space_kind.hpp"

namespace pint {

/// One slice of a batched call: out = P(in; t0 -> t1).
struct PropagationTask {
  ConstHostVector in;
  double t0 = 0, t1 = 0;
  HostVector out;
};

class Propagator {
 public:
  virtual ~Propagator() = default;

  /// out = P(in; t0 -> t1). `in` and `out` may be the same View. Throws std::invalid_argument on
  /// sizes that differ from size() or on t1 <= t0 or non-finite times.
  void propagate(ConstHostVector in, double t0, double t1, HostVector out);

  /// Every task's out = P(in; t0 -> t1), the tasks independent of each other: the fine solves of the
  /// slices a rank owns. A propagator that batches (batches() true) runs them as one batched kernel;
  /// others one after another. Each task is checked as propagate() checks it, and no task's output may
  /// be another task's input (an input is read after other outputs are written).
  void propagate_batch(const std::vector<PropagationTask>& tasks);
  /// Whether propagate_batch runs the tasks together rather than one after another.
  virtual bool batches() const { return false; }

  virtual std::string name() const = 0;
  virtual SpaceKind space() const = 0;
  virtual std::size_t size() const = 0;

 private:
  virtual void propagate_impl(ConstHostVector in, double t0, double t1, HostVector out) = 0;
  /// Default: one task after another.
  virtual void propagate_batch_impl(const std::vector<PropagationTask>& tasks);
  void check(ConstHostVector in, double t0, double t1, HostVector out);
};

}  // namespace pint

#pragma once
/// \file
/// A solution at one time: values on the problem's grid plus the metadata that says what they are.

#include <memory>
#include <string>
#include <vector>

#include "core/vector.hpp"

namespace pint {

/// Coordinates of the unknowns and whether the first and last are prescribed (Dirichlet).
struct Grid {
  std::vector<double> x;
  bool dirichlet_ends = false;
  std::size_t size() const { return x.size(); }
};

/// Values of a problem's unknowns at time t, in host memory.
struct State {
  HostVector values;
  double t = 0.0;
  std::shared_ptr<const Grid> grid;

  State() = default;
  State(std::shared_ptr<const Grid> g, double time, const std::string& label = "state")
      : values(label, g ? g->size() : 0), t(time), grid(std::move(g)) {}
  std::size_t size() const { return values.extent(0); }
};

}  // namespace pint

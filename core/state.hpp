#pragma once
/// \file
/// A solution at one time: values on the problem's grid plus the metadata that says what they are.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/vector.hpp"

namespace pint {

/// The layout of a problem's state: a tensor grid (1-D: x; 2-D: x by y), `components` values per grid
/// point, and which unknowns are prescribed (Dirichlet). Unknowns are stored flat, point-major with x
/// slowest: index ((i * ny) + j) * components + c, so a 2-D scalar state reads as an [nx][ny] array,
/// which is how HDF5 stores it ([S, N+1, nx, ny]). A third axis would follow the same rule.
struct Grid {
  std::vector<double> x;        ///< coordinates along the first axis
  std::vector<double> y;        ///< coordinates along the second axis; empty for a 1-D grid
  int components = 1;           ///< values per grid point (a two-species model has 2)
  bool dirichlet_ends = false;  ///< 1-D: the first and last point are prescribed
  /// Per unknown, 1 where it is prescribed. Empty: on a 1-D grid `dirichlet_ends` says; on a 2-D grid
  /// nothing is prescribed.
  std::vector<std::uint8_t> prescribed;

  int dims() const { return y.empty() ? 1 : 2; }
  std::size_t nx() const { return x.size(); }
  std::size_t ny() const { return y.empty() ? 1 : y.size(); }
  std::size_t points() const { return nx() * ny(); }
  std::size_t size() const { return points() * static_cast<std::size_t>(components); }
};

/// The first-axis coordinate of every unknown (x itself on a 1-D scalar grid): one value per unknown, for
/// files that record "where" row by row whatever the grid's shape.
inline std::vector<double> x_of_unknowns(const Grid& g) {
  if (g.dims() == 1 && g.components == 1) return g.x;
  std::vector<double> out(g.size());
  const std::size_t per_x = g.ny() * static_cast<std::size_t>(g.components);
  for (std::size_t k = 0; k < out.size(); ++k) out[k] = g.x[k / per_x];
  return out;
}

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

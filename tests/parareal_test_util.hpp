#pragma once
// Helpers shared by the Parareal tests.
#include <algorithm>
#include <cmath>
#include <vector>

#include "core/vector.hpp"

namespace pint::test {

/// max_i |a_i - b_i| / max(1, max_i |b_i|)
inline double rel_diff(const HostVector& a, const HostVector& b) {
  double d = 0.0, s = 1.0;
  for (std::size_t i = 0; i < a.extent(0); ++i) {
    d = std::max(d, std::abs(a(i) - b(i)));
    s = std::max(s, std::abs(b(i)));
  }
  return d / s;
}

inline double max_rel_diff(const std::vector<HostVector>& a, const std::vector<HostVector>& b) {
  double d = 0.0;
  for (std::size_t n = 0; n < a.size(); ++n) d = std::max(d, rel_diff(a[n], b[n]));
  return d;
}

}  // namespace pint::test

#pragma once
// Helpers shared by the Parareal and numerics tests.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
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

/// log2 of successive error ratios when the step (or h) halves: the measured orders.
inline std::vector<double> orders(const std::vector<double>& errors) {
  std::vector<double> out;
  for (std::size_t i = 0; i + 1 < errors.size(); ++i) out.push_back(std::log2(errors[i] / errors[i + 1]));
  return out;
}

/// "a b c " with 4 significant digits, for messages.
inline std::string show(const std::vector<double>& v) {
  std::string s;
  char buf[32];
  for (double x : v) {
    std::snprintf(buf, sizeof buf, "%.4g ", x);
    s += buf;
  }
  return s;
}

}  // namespace pint::test

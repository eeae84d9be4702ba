#include "core/mgrit_hierarchy.hpp"

#include <stdexcept>

namespace pint {

namespace {
std::string num(int v) {
  return std::to_string(v);
}
}  // namespace

std::string MgritHierarchy::describe() const {
  std::string s;
  for (std::size_t l = 0; l < intervals.size(); ++l) s += (l ? " -> " : "") + num(intervals[l] + 1);
  s += " points (cf";
  for (std::size_t l = 0; l + 1 < cfactors.size(); ++l) s += (l ? ", " : " ") + num(cfactors[l]);
  return s + ")";
}

MgritHierarchy build_hierarchy(int slices, const MgritConfig& c) {
  validate(c);
  if (slices < 1) throw std::invalid_argument("slices must be at least 1 (got " + num(slices) + ")");
  MgritHierarchy h;
  h.intervals.push_back(slices);
  h.strides.push_back(1);
  while (h.levels() < c.levels) {
    const int cf = h.levels() == 1 ? c.level0_cfactor() : c.cfactor;
    const int coarse = h.intervals.back() / cf;  // the coarse grid has coarse + 1 points
    if (coarse + 1 < c.min_coarse || coarse < 1) break;
    h.cfactors.push_back(cf);
    h.strides.push_back(h.strides.back() * cf);
    h.intervals.push_back(coarse);
  }
  h.cfactors.push_back(0);
  if (h.levels() < 2)
    throw std::invalid_argument(
        num(slices) + " slices with cfactor " + num(c.level0_cfactor()) + " give a coarse grid of " +
        num(slices / c.level0_cfactor() + 1) + " points, below min_coarse " + num(c.min_coarse) +
        ": no coarse level can be built; use more slices (--slices), a smaller factor (--cfactor0/--cfactor) or a "
        "smaller --min-coarse");
  return h;
}

}  // namespace pint

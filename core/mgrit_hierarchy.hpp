#pragma once
/// \file
/// MGRIT's hierarchy of time grids, without Kokkos or MPI. Level 0's points are the N + 1 slice
/// boundaries; level l + 1's points are level l's C-points (the multiples of cf_l), so a step on level l
/// spans stride_l = cf_0 cf_1 ... cf_(l-1) slices. N need not be a multiple of the factors: points after
/// the last C-point of a level are F-points of that level (as in XBraid).

#include <string>
#include <vector>

#include "core/mgrit_config.hpp"

namespace pint {

struct MgritHierarchy {
  std::vector<int> intervals;  ///< n_l: level l has points 0..n_l
  std::vector<int> cfactors;   ///< cf_l, the factor from level l to l + 1 (0 on the coarsest level)
  std::vector<int> strides;    ///< slices per step on level l
  int levels() const { return static_cast<int>(intervals.size()); }
  /// "17 -> 9 -> 5 points (cf 2, 2)" for messages and summaries.
  std::string describe() const;
};

/// Coarsens while the next grid would have at least config.min_coarse points and fewer than config.levels
/// levels exist. Throws std::invalid_argument if not even one coarse level can be built (MGRIT needs two).
MgritHierarchy build_hierarchy(int slices, const MgritConfig& config);

}  // namespace pint

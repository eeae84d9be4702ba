#pragma once
/// \file
/// A cost model of MGRIT's schedule (Kokkos- and MPI-free): propagator calls on the critical path of
/// each level, for P ranks each owning a contiguous block of points. Per sweep on level l with n_l
/// intervals, F_l = n_l - floor(n_l / cf_l) F-points and C_l = floor(n_l / cf_l) C-points:
///   F-relaxation  max(cf_l - 1, ceil(F_l / P))   (an interval split between ranks is a chain)
///   C-relaxation  max(1, ceil(C_l / P))
///   residual      max(1, ceil(C_l / P)) on level l + max(1, ceil(n_(l+1) / P)) on level l + 1 (FAS)
///   coarsest      n_(L-1), sequential (a pipeline through the ranks)
/// An iteration relaxes (F, then nu times C and F) and restricts on every level but the coarsest, solves
/// the coarsest and F-relaxes every intermediate level on the way up; the last iteration stops after
/// the residual on level 0; with skip the first iteration is the coarsest solve and the way up.
/// Messages are not counted (one state per sweep and neighbour). Time = calls x cost (fine on level 0,
/// coarse elsewhere); speedup = N c_f / time.

#include <vector>

#include "core/mgrit_config.hpp"
#include "core/mgrit_hierarchy.hpp"

namespace pint {

struct MgritSchedule {
  std::vector<double> calls_per_level;  ///< critical-path calls of the whole run, per level
  double seconds = 0.0;                 ///< predicted wall time
  double speedup = 0.0;                 ///< N c_f / seconds
};

MgritSchedule mgrit_schedule(const MgritHierarchy& hierarchy, const MgritConfig& config, int iterations, int ranks,
                             double fine_cost, double coarse_cost);

}  // namespace pint

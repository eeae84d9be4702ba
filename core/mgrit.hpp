#pragma once
/// \file
/// Multigrid reduction in time (MGRIT; Falgout, Friedhoff, Kolev, MacLachlan, Schroder 2014) over pint's
/// propagators, with LLNL XBraid's conventions so that its users get the same numbers:
///
///  - levels: core/mgrit_hierarchy.hpp. A step on level 0 is the fine propagator over one slice; a step
///    on level l >= 1 is the coarse propagator over that level's step (stride_l slices).
///  - equation on level l: u[i] = Phi_l(u[i-1]) + g_l[i], u[0] given; g_0 = 0, g_(l+1) the FAS
///    right-hand side.
///  - relaxation: F, then nu times (C, F). C-relaxation updates the C-points from the F-point values before
///    it (Jacobi-like).
///  - restriction: injection u_(l+1)[j] = u_l[cf j]; residual r(c) = g(c) - (u(c) - Phi(u(c-1))) at the
///    C-points; g_(l+1)[j] = (v[j] - Phi_(l+1)(v[j-1])) + r(cf j).
///  - coarsest level: solved sequentially. Going up: F-relaxation on the coarse level (not on level 0),
///    then u_l[cf j] += v[j] - v_old[j] at every point of the coarse level.
///  - the residual norm of iteration k is sqrt(sum over level-0 C-points c > 0 of |r(c)|_2^2), taken after
///    the level-0 relaxation of that iteration; the run stops when it is below the tolerance (absolute, or
///    relative to the first computed norm) or after max_iterations iterations, and reports iterations as
///    XBraid prints them: the index of the last iteration plus one.
///  - skip: the first iteration does no down-cycle work: it injects the initial guess to every level (FAS
///    right-hand sides zero) and solves the coarse problem, which is Parareal's predictor.
///  - V-cycles, or F-cycles (down to the coarsest level, up one level, down again, up two, ...).
///
/// MPI: each rank owns a contiguous block of points on every level (the slices Parareal gives it: the
/// level-0 points b+1..e, rank 0 also point 0; on level l the points whose level-0 index it owns; a block
/// may be empty on a coarse level). A rank needs one value from the left per sweep, sent with a
/// non-blocking message as soon as it is final and forwarded by ranks whose block is empty. The arithmetic
/// of a point does not depend on the number of ranks, so the iterates are identical for every P.

#include <mpi.h>

#include <functional>
#include <vector>

#include "core/mgrit_config.hpp"
#include "core/mgrit_hierarchy.hpp"
#include "core/parareal.hpp"
#include "core/propagator.hpp"

namespace pint {

struct MgritSettings {
  MgritConfig mgrit;
  int slices = 16;
  int max_iterations = 16;  ///< iterations (as reported: the index of the last plus one), at least 1
  double tolerance = 1e-10;
  bool keep_history = false;  ///< keep the level-0 values of every iteration (output, tests)
  bool batch = true;          ///< independent steps of a sweep as one batched call where a propagator batches
  double divergence_factor = 1e50;
};

class Mgrit {
 public:
  using Progress = std::function<void(const IterationRecord&)>;

  /// `fine` and `coarse` must outlive the object; they may sit on different execution spaces.
  Mgrit(Propagator& fine, Propagator& coarse, MgritSettings settings, MPI_Comm comm = MPI_COMM_SELF);

  /// Runs from u0 at t0 to t1. The result's log has one record per iteration, its residual NaN where not
  /// computed (the first iteration with skip); history row j holds the level-0 values at the j-th computed
  /// residual (with skip, row 0 is the predictor after the relaxation of iteration 1: for F-relaxation,
  /// its C-points are Parareal's U^0, and row j's are U^j).
  PararealResult run(ConstHostVector u0, double t0, double t1, const Progress& progress = {});

  const MgritHierarchy& hierarchy() const { return hierarchy_; }

 private:
  Propagator& fine_;
  Propagator& coarse_;
  MgritSettings settings_;
  MgritHierarchy hierarchy_;
  MPI_Comm comm_;
};

}  // namespace pint

#pragma once
/// \file
/// Builds a numerical propagator for a problem on the execution space chosen at run time.

#include <mpi.h>

#include <memory>

#include "core/problem.hpp"
#include "core/propagator.hpp"
#include "models/integrator.hpp"
#include "spaces/space_kind.hpp"

namespace pint {

/// The fast path where there is one (a problem of the constant tridiagonal form with explicit Euler, RK4,
/// implicit Euler or Crank-Nicolson: the fused kernels), else the general integrators on the problem's
/// operator. `blocks` > 0 forces the fused tridiagonal solver's block count (tests); 0 lets the space decide.
/// `node_comm`: the ranks that share SDC's node solves (config.sdc.node_ranks of them, core/rank_grid.hpp).
std::unique_ptr<Propagator> make_propagator(std::shared_ptr<const Problem> problem, const IntegratorConfig& config,
                                            SpaceKind space, int blocks = 0, MPI_Comm node_comm = MPI_COMM_SELF);

/// Always the general integrators (models/general_propagator.hpp), also for the tridiagonal form: for
/// tests and benchmarks that compare the two paths.
std::unique_ptr<Propagator> make_general_propagator(std::shared_ptr<const Problem> problem,
                                                    const IntegratorConfig& config, SpaceKind space,
                                                    MPI_Comm node_comm = MPI_COMM_SELF);

}  // namespace pint

#pragma once
/// \file
/// Bookkeeping shared by the time-parallel algorithms (Parareal, MGRIT): host vectors, the clock of their
/// timings, and the gather of every rank's slice values on rank 0.

#include <mpi.h>

#include <cstddef>
#include <vector>

#include "core/propagator.hpp"
#include "core/vector.hpp"

namespace pint {

/// Throws std::invalid_argument unless the fine and coarse propagators work on the same number of unknowns.
void check_same_grid(const Propagator& fine, const Propagator& coarse);

/// Throws std::invalid_argument (naming `who`) for more ranks than slices or an initial value whose size is not
/// the fine propagator's.
void check_run_layout(const char* who, int slices, int ranks, ConstHostVector u0, const Propagator& fine);

/// Seconds on a steady clock (differences only).
double steady_seconds();

/// A host vector of n values, left uninitialised (every algorithm writes before it reads).
HostVector host_vector(std::size_t n, const char* label);

/// The values at the slice boundaries 1..N, each rank holding those of its slices (owned_slices:
/// `own[j]` is the value at boundary begin + j + 1), gathered on rank 0 behind u0: N + 1 values there,
/// N + 1 empty Views on the other ranks. Collective over `comm`.
std::vector<HostVector> gather_slice_values(const std::vector<HostVector>& own, ConstHostVector u0, int slices,
                                            MPI_Comm comm);

}  // namespace pint

#pragma once
/// \file
/// Bookkeeping shared by the time-parallel algorithms (Parareal, MGRIT): host vectors, the clock of their
/// timings, and the gather of every rank's slice values on rank 0.

#include <mpi.h>

#include <cstddef>
#include <vector>

#include "core/vector.hpp"

namespace pint {

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

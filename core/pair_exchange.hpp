#pragma once
/// \file
/// Moving the corrections' new (input, image) pairs between ranks: packed as two vectors of M values per
/// pair, in slice order (ranks own increasing blocks of slices, so rank order is slice order).

#include <mpi.h>

#include <vector>

namespace pint {

/// Every rank's `local` (a multiple of `pair_doubles` values) concatenated in rank order: on every rank
/// (all = true, MPI_Allgatherv) or on rank 0 only (MPI_Gatherv; other ranks get an empty vector).
std::vector<double> collect_pairs(const std::vector<double>& local, int pair_doubles, bool all, MPI_Comm comm);

}  // namespace pint

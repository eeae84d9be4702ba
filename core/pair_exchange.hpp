#pragma once
/// \file
/// Moving the corrections' new pairs between ranks: per pair, vectors of M values (the input, then its
/// images), in slice order (ranks own increasing blocks of slices, so rank order is slice order).

#include <mpi.h>

#include <cstddef>
#include <vector>

namespace pint {

/// This rank's pairs packed for collect_pairs: per pair, its input's M values, then for each image the M
/// values image(pair, i) (the correction's targets: A x and C x for Krylov, F - G for RandNet).
template <class Pairs, class... Images>
std::vector<double> pack_pairs(const Pairs& pairs, std::size_t M, Images... images) {
  std::vector<double> out;
  out.reserve(pairs.size() * (1 + sizeof...(Images)) * M);
  for (const auto& p : pairs) {
    for (std::size_t i = 0; i < M; ++i) out.push_back(p.input(i));
    auto append = [&](const auto& image) {
      for (std::size_t i = 0; i < M; ++i) out.push_back(image(p, i));
    };
    (append(images), ...);
  }
  return out;
}

/// Every rank's `local` (a multiple of `pair_doubles` values) concatenated in rank order: on every rank
/// (all = true, MPI_Allgatherv) or on rank 0 only (MPI_Gatherv; other ranks get an empty vector).
std::vector<double> collect_pairs(const std::vector<double>& local, int pair_doubles, bool all, MPI_Comm comm);

}  // namespace pint

#include "core/slice_values.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>

#include "core/parareal.hpp"

namespace pint {

void check_same_grid(const Propagator& fine, const Propagator& coarse) {
  if (fine.size() != coarse.size())
    throw std::invalid_argument("fine (" + fine.name() + ", " + std::to_string(fine.size()) +
                                " unknowns) and coarse (" + coarse.name() + ", " + std::to_string(coarse.size()) +
                                " unknowns) propagators must work on the same grid");
}

void check_run_layout(const char* who, int slices, int ranks, ConstHostVector u0, const Propagator& fine) {
  if (ranks > slices)
    throw std::invalid_argument(std::string(who) + ": " + std::to_string(ranks) + " ranks for " +
                                std::to_string(slices) +
                                " slices; use at most as many ranks as slices (--slices >= ranks)");
  if (u0.extent(0) != fine.size()) throw std::invalid_argument(std::string(who) + ": initial value has the wrong size");
}

double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

HostVector host_vector(std::size_t n, const char* label) {
  return HostVector(Kokkos::view_alloc(Kokkos::WithoutInitializing, std::string(label)), n);
}

std::vector<HostVector> gather_slice_values(const std::vector<HostVector>& own, ConstHostVector u0, int slices,
                                            MPI_Comm comm) {
  int rank = 0, nranks = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &nranks);
  const std::size_t M = u0.extent(0);
  const int N = slices;
  std::vector<int> counts(nranks), displs(nranks);
  for (int r = 0; r < nranks; ++r) {
    const SliceRange o = owned_slices(N, r, nranks);
    counts[r] = (o.end - o.begin) * static_cast<int>(M);
    displs[r] = o.begin * static_cast<int>(M);
  }
  const int cnt = static_cast<int>(own.size());
  std::vector<double> mine(static_cast<std::size_t>(cnt) * M), all(rank == 0 ? static_cast<std::size_t>(N) * M : 0);
  for (int j = 0; j < cnt; ++j) std::copy(own[j].data(), own[j].data() + M, mine.data() + j * M);
  MPI_Gatherv(mine.data(), counts[rank], MPI_DOUBLE, all.data(), counts.data(), displs.data(), MPI_DOUBLE, 0, comm);
  std::vector<HostVector> full(N + 1);
  if (rank == 0) {
    full[0] = host_vector(M, "pint::slice_values::U0");
    Kokkos::deep_copy(full[0], u0);
    for (int n = 0; n < N; ++n) {
      full[n + 1] = host_vector(M, "pint::slice_values::U");
      std::copy(all.data() + n * M, all.data() + (n + 1) * M, full[n + 1].data());
    }
  }
  return full;
}

}  // namespace pint

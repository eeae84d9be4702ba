#include "core/pair_exchange.hpp"

#include <stdexcept>

namespace pint {

std::vector<double> collect_pairs(const std::vector<double>& local, int pair_doubles, bool all, MPI_Comm comm) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  // Counts in pairs, so that int counts reach pairs of up to 2^31 values each.
  MPI_Datatype pair;
  MPI_Type_contiguous(pair_doubles, MPI_DOUBLE, &pair);
  MPI_Type_commit(&pair);
  const int mine = static_cast<int>(local.size() / pair_doubles);
  std::vector<int> counts(size, 0), displs(size, 0);
  if (all)
    MPI_Allgather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, comm);
  else
    MPI_Gather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, comm);
  long long total = 0;
  for (int r = 0; r < size; ++r) {
    displs[r] = static_cast<int>(total);
    total += counts[r];
  }
  std::vector<double> out;
  if (all || rank == 0) out.resize(static_cast<std::size_t>(total) * pair_doubles);
  if (all)
    MPI_Allgatherv(local.data(), mine, pair, out.data(), counts.data(), displs.data(), pair, comm);
  else
    MPI_Gatherv(local.data(), mine, pair, out.data(), counts.data(), displs.data(), pair, 0, comm);
  MPI_Type_free(&pair);
  return out;
}

}  // namespace pint

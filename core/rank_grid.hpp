#pragma once
/// \file
/// The 2-D rank grid of parallel SDC across the method composed with Parareal across time (issue 19): P ranks as
/// P / R time ranks x R node ranks. World rank w = t R + j is node rank j of time group t:
///   - node_comm: the R ranks of one time group, which share each fine SDC step's node solves;
///   - time_comm: the P / R ranks with the same node rank j, across which Parareal runs. The R time communicators
///     run R identical copies of Parareal (same inputs, same arithmetic: the same values, bit for bit); only the
///     fine propagator's node solves are divided, and copy 0 (j = 0) writes the outputs.
#include <mpi.h>

namespace pint {

class RankGrid {
 public:
  /// Throws std::invalid_argument if R < 1 or the size of `world` is not a multiple of R.
  RankGrid(MPI_Comm world, int node_ranks);
  ~RankGrid();
  RankGrid(const RankGrid&) = delete;
  RankGrid& operator=(const RankGrid&) = delete;

  MPI_Comm time_comm() const { return time_; }
  MPI_Comm node_comm() const { return node_; }
  int time_ranks() const { return time_ranks_; }
  int node_ranks() const { return node_ranks_; }
  int node_rank() const { return node_rank_; }
  /// Copy 0 of Parareal: the ranks that write files.
  bool writes() const { return node_rank_ == 0; }

 private:
  MPI_Comm time_ = MPI_COMM_NULL, node_ = MPI_COMM_NULL;
  int time_ranks_ = 1, node_ranks_ = 1, node_rank_ = 0;
};

}  // namespace pint

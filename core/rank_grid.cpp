#include "core/rank_grid.hpp"

#include <exception>
#include <stdexcept>
#include <string>

namespace pint {

RankGrid::RankGrid(MPI_Comm world, int node_ranks) : node_ranks_(node_ranks) {
  int rank = 0, size = 1;
  MPI_Comm_rank(world, &rank);
  MPI_Comm_size(world, &size);
  if (node_ranks < 1 || size % node_ranks != 0)
    throw std::invalid_argument(std::to_string(size) + " MPI rank(s) cannot be arranged as time ranks x " +
                                std::to_string(node_ranks) + " node ranks (--sdc-node-ranks): start a multiple of " +
                                std::to_string(node_ranks) + " ranks, or change --sdc-node-ranks");
  time_ranks_ = size / node_ranks;
  node_rank_ = rank % node_ranks;
  MPI_Comm_split(world, rank / node_ranks, rank, &node_);
  MPI_Comm_split(world, node_rank_, rank, &time_);
}

RankGrid::~RankGrid() {
  // Not while an error unwinds (the run then ends in MPI_Abort): freeing is collective in principle, and the
  // other ranks may be anywhere.
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (finalized || std::uncaught_exceptions() > 0) return;
  if (time_ != MPI_COMM_NULL) MPI_Comm_free(&time_);
  if (node_ != MPI_COMM_NULL) MPI_Comm_free(&node_);
}

}  // namespace pint

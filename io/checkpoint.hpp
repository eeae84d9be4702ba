#pragma once
/// \file
/// Checkpoint and restart. After every Parareal iteration the state needed to continue (slice values,
/// kept coarse values, per-slice changes, the log and the iterate history) is written collectively to
/// FILE.tmp and renamed to FILE by rank 0 once complete: a run killed at any moment leaves the last
/// complete checkpoint. `read_checkpoint` checks that the file belongs to this run (problem, grid,
/// slices, propagators, tolerance) and names what does not match.

#include <mpi.h>

#include <string>

#include "core/parareal.hpp"
#include "core/problem.hpp"
#include "io/run_metadata.hpp"

namespace pint {

class CheckpointError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Collective over comm.
void write_checkpoint(const std::string& path, MPI_Comm comm, const RunMetadata& meta, const Problem& problem,
                      const IterationState& state);

/// Reads a checkpoint written for `expected` (any rank count). Throws CheckpointError naming the
/// mismatch or the damage.
ResumeState read_checkpoint(const std::string& path, const RunMetadata& expected, const Problem& problem);

}  // namespace pint

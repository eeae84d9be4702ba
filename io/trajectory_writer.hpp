#pragma once
/// \file
/// The HDF5 trajectory of a run (layout in README "HDF5 trajectory") and its XDMF sidecar for
/// ParaView. Written collectively: every rank writes the slices it owns; every rank joins every
/// collective call, also with nothing to write. The file appears only when complete (written as
/// FILE.tmp, renamed by rank 0), so a crash never leaves a half-written trajectory under FILE.

#include <mpi.h>

#include <string>
#include <vector>

#include "core/parareal.hpp"
#include "core/problem.hpp"
#include "io/run_metadata.hpp"

namespace pint {

struct TrajectoryInput {
  const RunMetadata* meta = nullptr;
  const Problem* problem = nullptr;                 ///< grid, exact solution
  const PararealResult* result = nullptr;           ///< owned, local_history / boundaries, log
  bool all_iterations = true;                       ///< needs result->local_history (keep_history)
  const std::vector<HostVector>* serial = nullptr;  ///< rank 0: serial fine at the N+1 boundaries
  double serial_seconds = -1.0;
  /// Max |U^k - serial fine| over the slice boundaries for k = 0.. (rank 0's values; `has_error` on every
  /// rank, since the dataset is created collectively).
  bool has_error = false;
  const std::vector<double>* error_vs_serial = nullptr;
};

/// (Output paths are checked before the run by io/output_paths.hpp: check_outputs.)
void write_trajectory(const std::string& path, MPI_Comm comm, const TrajectoryInput& in);

/// Path of the XDMF sidecar written next to `h5_path` (FILE.h5 -> FILE.xmf).
std::string xdmf_path_for(const std::string& h5_path);

}  // namespace pint

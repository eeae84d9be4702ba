#pragma once
/// \file
/// The one place that starts and stops MPI and Kokkos, in the right order:
/// MPI_Init_thread, Kokkos::initialize, ..., Kokkos::finalize, MPI_Finalize.
/// Every program and the test main own exactly one Runtime; no Kokkos View may outlive it.

#include <string>
#include <vector>

namespace pint {

/// Checks Kokkos' own flags (--kokkos-threads=N, ...) before Kokkos sees them: Kokkos 3.4 answers a
/// bad value with a bare "stoi" exception or a traceback. Throws std::invalid_argument naming the flag.
void check_kokkos_arguments(const std::vector<std::string>& args);

/// The rank an MPI launcher (mpirun, srun, ...) gave this process, or -1 if no launcher started it
/// (then it is a one-rank job). Read from the environment: MPI need not be started.
int launcher_rank();

class Runtime {
 public:
  /// Consumes Kokkos' own flags (--kokkos-threads=N, ...) from argv. A bad Kokkos flag or a failed
  /// Kokkos start on any rank ends every rank with exit code 2 and the first failing rank's message.
  Runtime(int& argc, char**& argv);
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }

 private:
  bool owns_mpi_ = false;
  int rank_ = 0;
  int size_ = 1;
};

/// Ends every rank of MPI_COMM_WORLD with `code` after printing `message` on this rank: used when one
/// rank hits an error that the others cannot know about, so that nobody waits forever.
[[noreturn]] void abort_all_ranks(const char* message, int code = 1);

}  // namespace pint

#include "spaces/runtime.hpp"

#include <mpi.h>

#include <Kokkos_Core.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace pint {

Runtime::Runtime(int& argc, char**& argv) {
  int already = 0;
  MPI_Initialized(&already);
  if (!already) {
    // FUNNELED: only the main thread calls MPI; OpenMP threads live inside Kokkos kernels.
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    owns_mpi_ = true;
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  // Kokkos 3.4 answers a bare --help with its own help page; the program's --help is the program's.
  // With a help flag present Kokkos starts with defaults and the flags stay for the program.
  bool help = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    help = help || a == "--help" || a == "-h" || a == "--help-all";
  }
  if (help) {
    int one = 1;
    Kokkos::initialize(one, argv);
  } else {
    Kokkos::initialize(argc, argv);
  }
}

Runtime::~Runtime() {
  Kokkos::finalize();
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (owns_mpi_ && !finalized) MPI_Finalize();
}

void abort_all_ranks(const char* message, int code) {
  std::fprintf(stderr, "%s\n", message);
  std::fflush(stderr);
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (initialized && !finalized) MPI_Abort(MPI_COMM_WORLD, code);
  std::exit(code);
}

}  // namespace pint

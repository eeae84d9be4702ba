#include "spaces/runtime.hpp"

#include <mpi.h>

#include <Kokkos_Core.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

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
  // Kokkos gets only its own --kokkos-* arguments: Kokkos 3.4 also reads bare --help, --threads,
  // --numa, --device ... as its own (and throws on a value it does not expect), which would take those
  // names away from the programs. The --kokkos-* arguments are then removed from argv.
  std::vector<char*> kokkos_args{argv[0]};
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]).rfind("--kokkos-", 0) == 0)
      kokkos_args.push_back(argv[i]);
    else
      argv[kept++] = argv[i];
  }
  argc = kept;
  argv[argc] = nullptr;
  int kargc = static_cast<int>(kokkos_args.size());
  kokkos_args.push_back(nullptr);
  try {
    Kokkos::initialize(kargc, kokkos_args.data());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pint: error: Kokkos could not start: %s\n", e.what());
    if (size_ > 1) MPI_Abort(MPI_COMM_WORLD, 2);
    if (owns_mpi_) MPI_Finalize();
    std::exit(2);
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

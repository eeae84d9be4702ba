// The one test main: MPI_Init, Kokkos::initialize, RUN_ALL_TESTS, Kokkos::finalize, MPI_Finalize, in
// that order (pint::Runtime). Under MPI only rank 0 prints GoogleTest's report, but every rank's
// result counts: the exit code is the worst over all ranks.
#include <gtest/gtest.h>
#include <mpi.h>

#include "spaces/runtime.hpp"

int main(int argc, char** argv) {
  pint::Runtime runtime(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  if (runtime.rank() != 0) {
    auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
  }
  int local = RUN_ALL_TESTS();
  int worst = local;
  MPI_Allreduce(&local, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return worst;
}

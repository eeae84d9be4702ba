#include "version_text.hpp"

#include <fmt/format.h>
#include <mpi.h>

#include <Kokkos_Macros.hpp>

#include "io/run_metadata.hpp"
#include "spaces/registry.hpp"

#ifndef PINT_TORCH_VERSION
#define PINT_TORCH_VERSION ""
#endif

namespace pint {

std::string version_text() {
  // MPI_Get_library_version is one of the calls MPI allows before MPI_Init.
  char mpi[MPI_MAX_LIBRARY_VERSION_STRING] = {0};
  int len = 0;
  MPI_Get_library_version(mpi, &len);
  std::string mpi_line(mpi, static_cast<std::size_t>(len));
  if (const auto nl = mpi_line.find_first_of("\r\n,"); nl != std::string::npos) mpi_line.resize(nl);
  const std::string torch = PINT_TORCH_VERSION;
  return fmt::format(
      "pint {} (git {})\n"
      "Kokkos {}.{}.{}, spaces compiled in: {}\n"
      "LibTorch {}\n"
      "MPI: {} (MPI standard {}.{})\n"
      "HDF5 {}\n",
      pint_version(), pint_git_revision(), KOKKOS_VERSION / 10000, (KOKKOS_VERSION / 100) % 100, KOKKOS_VERSION % 100,
      available_space_names(),
      torch.empty() ? std::string("not built in (configured with PINT_ENABLE_TORCH=OFF)")
                    : torch + " (loaded only for learned coarse propagators and pint train)",
      mpi_line, MPI_VERSION, MPI_SUBVERSION, hdf5_version());
}

}  // namespace pint

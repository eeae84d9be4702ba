#pragma once
// `pint --version`: pint, Kokkos, LibTorch, MPI and HDF5 versions and the compiled-in spaces, read
// without starting MPI, Kokkos or LibTorch.
#include <string>

namespace pint {
std::string version_text();
}  // namespace pint

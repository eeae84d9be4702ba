#pragma once
/// \file
/// The execution spaces pint knows by name. Which of them exist in a build depends on how Kokkos was
/// compiled; `registry.hpp` answers that at run time, `dispatch.hpp` turns a kind into a type.

#include <string>

namespace pint {

/// A Kokkos execution space, named independently of whether it was compiled in.
enum class SpaceKind { Serial, OpenMP, Threads, Cuda, HIP, SYCL };

/// Canonical lower-case name ("serial", "openmp", ...), as accepted on the command line.
std::string to_string(SpaceKind kind);

}  // namespace pint

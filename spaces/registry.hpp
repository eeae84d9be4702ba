#pragma once
/// \file
/// Run-time placement: maps a user-facing name to a compiled-in Kokkos execution space.
/// Names: serial, openmp, threads, cuda, hip, sycl, and the aliases host
/// (Kokkos::DefaultHostExecutionSpace) and device (Kokkos::DefaultExecutionSpace).

#include <stdexcept>
#include <string>
#include <vector>

#include "spaces/space_kind.hpp"

namespace pint {

/// Thrown for a space name that is unknown or not compiled into this build.
class SpaceError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// The spaces compiled into this build, in a stable order (host spaces first).
std::vector<SpaceKind> available_spaces();

/// Same as available_spaces(), as names, joined with ", " (for error messages and --help).
std::string available_space_names();

/// True if `kind` was compiled into this build of Kokkos.
bool is_available(SpaceKind kind);

/// Resolves a name or alias to a compiled-in space. Throws SpaceError naming the available ones.
SpaceKind resolve_space(const std::string& name);

/// The kinds behind the aliases.
SpaceKind default_host_space();
SpaceKind default_device_space();

}  // namespace pint

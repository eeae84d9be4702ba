#pragma once
/// \file
/// pint's own problems, registered by name (core/problem_registry.hpp) the same way a user registers
/// theirs. Called once by the programs before they read a configuration; calling it again does nothing.

namespace pint {
void register_builtin_problems();
}  // namespace pint

#pragma once
/// \file
/// Time-parallel algorithms registered by name (Parareal, MGRIT, ...): the driver looks the chosen one up
/// and runs it through its AlgorithmRunner; adding an algorithm is one registration, not a branch in the
/// driver. Kokkos-free, so that the configuration parser (compiled by the host compiler alone in a GPU
/// build) can check a name.

#include <memory>
#include <string>
#include <vector>

namespace pint {

class AlgorithmRunner;  // core/algorithm_runner.hpp

struct AlgorithmEntry {
  std::string name;          ///< what --algorithm takes
  std::string summary;       ///< one line for --help
  bool checkpoints = false;  ///< supports --checkpoint / --restart
  std::shared_ptr<const AlgorithmRunner> runner;
};

/// Adds an algorithm; throws std::invalid_argument if the name is taken or empty.
void register_algorithm(AlgorithmEntry entry);
/// The algorithm of this name, or nullptr. The built-in ones are registered on first use.
const AlgorithmEntry* find_algorithm(const std::string& name);
/// Every registered name, in the order of registration.
std::vector<std::string> algorithm_names();
/// "parareal|mgrit" for messages.
std::string algorithm_names_text();

/// Registers Parareal and MGRIT (core/builtin_algorithms.cpp); idempotent.
void register_builtin_algorithms();

}  // namespace pint

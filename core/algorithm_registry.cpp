#include "core/algorithm_registry.hpp"

#include <stdexcept>

namespace pint {

namespace {
std::vector<AlgorithmEntry>& entries() {
  static std::vector<AlgorithmEntry> e;
  return e;
}
}  // namespace

void register_algorithm(AlgorithmEntry entry) {
  if (entry.name.empty()) throw std::invalid_argument("register_algorithm: the name is empty");
  for (const auto& e : entries())
    if (e.name == entry.name)
      throw std::invalid_argument("register_algorithm: '" + entry.name + "' is registered already");
  entries().push_back(std::move(entry));
}

const AlgorithmEntry* find_algorithm(const std::string& name) {
  register_builtin_algorithms();
  for (const auto& e : entries())
    if (e.name == name) return &e;
  return nullptr;
}

std::vector<std::string> algorithm_names() {
  register_builtin_algorithms();
  std::vector<std::string> names;
  for (const auto& e : entries()) names.push_back(e.name);
  return names;
}

std::string algorithm_names_text() {
  std::string s;
  for (const auto& n : algorithm_names()) s += (s.empty() ? "" : "|") + n;
  return s;
}

}  // namespace pint

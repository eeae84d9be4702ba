#include <cmath>
#include <stdexcept>

#include "core/correction_config.hpp"

namespace pint {

namespace {
std::vector<CorrectionEntry>& entries() {
  static std::vector<CorrectionEntry> e;
  return e;
}
}  // namespace

void register_correction(CorrectionEntry entry) {
  if (entry.name.empty()) throw std::invalid_argument("register_correction: the name is empty");
  for (const auto& e : entries())
    if (e.name == entry.name)
      throw std::invalid_argument("register_correction: '" + entry.name + "' is registered already");
  entries().push_back(std::move(entry));
}

const CorrectionEntry* find_correction(const std::string& name) {
  register_builtin_corrections();
  for (const auto& e : entries())
    if (e.name == name) return &e;
  return nullptr;
}

std::vector<std::string> correction_names() {
  register_builtin_corrections();
  std::vector<std::string> names;
  for (const auto& e : entries()) names.push_back(e.name);
  return names;
}

std::string correction_names_text() {
  std::string s;
  for (const auto& n : correction_names()) s += (s.empty() ? "" : "|") + n;
  return s;
}

std::vector<std::string> correction_summaries() {
  register_builtin_corrections();
  std::vector<std::string> lines;
  for (const auto& e : entries()) lines.push_back(e.name + ": " + e.summary);
  return lines;
}

void validate(const CorrectionConfig& c) {
  auto bad = [](const std::string& what) { throw std::invalid_argument(what); };
  if (!find_correction(c.kind))
    bad("unknown coarse correction '" + c.kind + "' (choose one of " + correction_names_text() + ")");
  if (c.basis_cap < 1 || c.basis_cap > 4096)
    bad("krylov basis cap must be in [1, 4096] (got " + std::to_string(c.basis_cap) + ")");
  if (!(c.rank_tolerance > 0) || !(c.rank_tolerance < 1))
    bad("krylov rank tolerance must be in (0, 1): singular values below it times the largest are dropped");
  if (!(c.smoothness >= 0) || !std::isfinite(c.smoothness))
    bad("krylov smoothness must be a finite number >= 0 (grid cells; 0: the Euclidean inner product)");
  if (c.coarse_powers < 0 || c.coarse_powers > 8)
    bad("krylov coarse powers must be in [0, 8] (got " + std::to_string(c.coarse_powers) +
        "; 0: the inputs' span only)");
  if (c.coarse_powers > 0 && c.smoothness > 0)
    bad("krylov coarse powers need the Euclidean inner product: with --krylov-smoothness > 0 set "
        "--krylov-coarse-powers 0 (or [coarse_correction] coarse_powers = 0)");
  if (c.neurons < 1 || c.neurons > 100000)
    bad("randnet neurons must be in [1, 100000] (got " + std::to_string(c.neurons) + ")");
  if (c.neighbours < 1 || c.neighbours > 1000)
    bad("randnet neighbours must be in [1, 1000] (got " + std::to_string(c.neighbours) + ")");
  if (!(c.ridge >= 0) || !std::isfinite(c.ridge))
    bad("randnet ridge must be a finite number >= 0 (0: the minimum-norm fit)");
  if (c.seed < 0) bad("randnet seed must be >= 0 (got " + std::to_string(c.seed) + ")");
}

}  // namespace pint

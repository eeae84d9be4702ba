#pragma once
/// \file
/// The settings of a learned coarse correction (core/coarse_correction.hpp), without Kokkos or MPI: read by
/// the configuration parser, which a GPU build compiles with the host compiler alone.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pint {

class CoarseCorrection;  // core/coarse_correction.hpp

struct CorrectionConfig {
  /// A registered correction (core/coarse_correction.hpp): none | krylov | randnet.
  std::string kind = "none";
  /// Krylov: the most basis vectors kept, and the rank tolerance (singular values below it times the
  /// largest are dropped: below it the images would carry more rounding than information).
  int basis_cap = 64;
  double rank_tolerance = 1e-10;
  /// Krylov: the projection's inner product <x, y> = x.y + ell^2 Dx.Dy with D the differences of
  /// neighbouring unknowns, ell in grid cells (0: Euclidean). See core/krylov_correction.cpp.
  double smoothness = 0.0;
  /// Krylov: powers of the coarse propagator's linear part C added to the span, C^j z for j = 1..this,
  /// with their fine images C^j A z (free where A and C commute, as two time steppers of the same
  /// autonomous operator do: checked once per run with one fine call). 0 (the default): the inputs' span
  /// only; the powers cost 2 r p coarse calls and an SVD per fine phase on the serial path (README). Needs
  /// the Euclidean product (smoothness 0).
  int coarse_powers = 0;
  /// RandNet: hidden ReLU neurons with weights and biases drawn uniformly from [-1, 1] (seeded), the
  /// nearest stored inputs the read-out is fitted on, and its ridge parameter (0: minimum norm).
  int neurons = 64;
  int neighbours = 4;
  double ridge = 0.0;
  int seed = 1;
};

/// Throws std::invalid_argument naming the bad setting and the fix.
void validate(const CorrectionConfig& config);

/// A correction registered by name: its one-line summary and its factory (nullptr for "none").
struct CorrectionEntry {
  std::string name, summary;
  std::unique_ptr<CoarseCorrection> (*make)(const CorrectionConfig&, std::size_t) = nullptr;
};
/// Adds a correction; throws std::invalid_argument if the name is taken or empty.
void register_correction(CorrectionEntry entry);
/// The correction of this name, or nullptr. The built-in ones are registered on first use.
const CorrectionEntry* find_correction(const std::string& name);
/// Registers none, krylov and randnet (core/builtin_corrections.cpp); idempotent.
void register_builtin_corrections();

/// The registered corrections' names ("none" first) and "none|krylov|randnet" for messages.
std::vector<std::string> correction_names();
std::string correction_names_text();
/// One line of help per correction, "name: summary".
std::vector<std::string> correction_summaries();

}  // namespace pint

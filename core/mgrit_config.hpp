#pragma once
/// \file
/// MGRIT's settings, without Kokkos or MPI (read by the configuration parser, which a GPU build compiles
/// with the host compiler alone). Names and defaults follow LLNL's XBraid, so that its users find
/// max_levels, cfactor, cfactor0 (XBraid's cfactor for level 0), nrelax, skip and min_coarse here.

#include <optional>
#include <string>

namespace pint {

enum class MgritCycle { V, F };

struct MgritConfig {
  /// Cap on the number of levels (XBraid's max_levels): the hierarchy coarsens while the next grid would
  /// have at least min_coarse points and fewer than `levels` levels exist.
  int levels = 30;
  int cfactor = 2;   ///< coarsening factor on levels >= 1
  int cfactor0 = 0;  ///< coarsening factor of level 0; 0 means "as cfactor" (XBraid's default)
  /// Relaxation: F, then nu times (C, F): 0 = F-relaxation, 1 = FCF (XBraid's default), 2 = FCFCF.
  int nu = 1;
  MgritCycle cycle = MgritCycle::V;
  /// Skip the down-cycle work of the first iteration: it only injects the initial guess and solves the
  /// coarse problem (Parareal's predictor). XBraid's default.
  bool skip = true;
  int min_coarse = 2;     ///< smallest coarse grid, in points (XBraid's default)
  bool relative = false;  ///< stop on residual <= tolerance * first computed residual instead of <= tolerance
  /// Initial guess at every point after t0: a constant, or (nullopt) the coarse sweep, which is Parareal's
  /// predictor (with skip it is what the first iteration computes).
  std::optional<double> initial_guess;

  int level0_cfactor() const { return cfactor0 > 0 ? cfactor0 : cfactor; }
};

/// Checks a configuration; throws std::invalid_argument naming the bad value and the fix.
void validate(const MgritConfig& config);

std::string to_string(MgritCycle cycle);
/// "V" or "F" (either case); throws std::invalid_argument otherwise.
MgritCycle parse_mgrit_cycle(const std::string& name);

}  // namespace pint

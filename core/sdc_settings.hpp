#pragma once
/// \file
/// The settings of an SDC step (the propagator's `--sdc-*` flags and `[fine]`/`[coarse]` `sdc_*` keys, and `pint
/// sdc`'s): M collocation nodes of a quadrature type, K sweeps of
///   Y^(k+1) - dt Q_D F(Y^(k+1)) = Y0 + dt (Q - Q_D) F(Y^k)
/// per step (core/sdc_coefficients.hpp). Checking them needs only names, no numerics (core/sdc_names.cpp).
#include <string>

namespace pint {

struct SdcSettings {
  int nodes = 4;
  std::string quadrature = "radau-right";  ///< gauss, radau-right, radau-left, lobatto
  std::string distribution = "legendre";   ///< legendre, chebyshev-1 .. chebyshev-4, equidistant
  std::string qdelta = "min-sr-flex";      ///< ie, ee, lu, qpar, iepar, min-sr-ns, min-sr-s, min-sr-flex
  int sweeps = 4;
  std::string initial_guess = "spread";  ///< spread (the start value at every node) or ie (implicit-Euler predictor)
  std::string end_value = "auto";        ///< last-node, collocation (u0 + dt b.F), auto: last-node where tau_M = 1
  /// off: f solved for as a whole at every node. ee / lagged: IMEX, on a problem whose split has one implicit part
  /// and explicit parts: Q_D for the implicit part, and for the explicit parts explicit Euler between the nodes (ee:
  /// node after node) or their previous sweep's values only (lagged: Q_E = 0, the node solves stay independent).
  std::string imex = "off";
  /// MPI ranks that share each step's node solves ("parallel across the method", core/rank_grid.hpp): 1 to M, a
  /// diagonal Q_D (independent node solves) and not imex ee. Node rank j solves a contiguous block of nodes; the
  /// nodes' f values are gathered after every sweep.
  int node_ranks = 1;
  bool operator==(const SdcSettings& o) const {
    return nodes == o.nodes && quadrature == o.quadrature && distribution == o.distribution && qdelta == o.qdelta &&
           sweeps == o.sweeps && initial_guess == o.initial_guess && end_value == o.end_value && imex == o.imex &&
           node_ranks == o.node_ranks;
  }
  bool operator!=(const SdcSettings& o) const { return !(*this == o); }
};

/// Throws std::invalid_argument naming the first unsupported setting and what is supported.
void validate(const SdcSettings& settings);

/// Whether the step ends with the last node's value (end_value "last-node", or "auto" where tau_M = 1: radau-right
/// and lobatto) rather than the collocation update.
bool sdc_ends_at_last_node(const SdcSettings& settings);

}  // namespace pint

#pragma once
/// \file
/// Time integrators pint provides, and how a propagator built from one is configured.

#include <string>
#include <vector>

namespace pint {

/// ADI methods need a problem with a split f = f_0 + ... + f_{k-1} (every part treated implicitly, one
/// solve per part and step): Douglas (theta = 1/2, any k) and Peaceman-Rachford (k = 2).
enum class Integrator { ExplicitEuler, RK4, ImplicitEuler, CrankNicolson, AdiDouglas, AdiPeacemanRachford };

/// Every integrator, in the order of the names above (for help texts and tests).
const std::vector<Integrator>& all_integrators();
/// Whether `method` needs a split problem (the ADI family).
bool needs_split(Integrator method);

std::string to_string(Integrator method);
/// Accepts "explicit-euler", "rk4", "implicit-euler", "crank-nicolson", "adi-douglas",
/// "adi-peaceman-rachford" (also "ee", "ie", "cn", "douglas", "peaceman-rachford").
/// Throws std::invalid_argument listing the accepted names.
Integrator parse_integrator(const std::string& name);

struct IntegratorConfig {
  Integrator method = Integrator::CrankNicolson;
  int steps = 1;  ///< time steps per propagate() call
  /// Crank-Nicolson (and ADI) only: implicit-Euler half-steps that replace the first steps when a call
  /// starts at the problem's initial time (Rannacher start-up, damps the payoff kink; for ADI the half-steps
  /// are Douglas steps with theta = 1). 0 disables; each pair of half-steps replaces one step, so the
  /// step count stays `steps`.
  int rannacher_half_steps = 4;
};

/// Checks a configuration; throws std::invalid_argument naming the bad value and the fix.
void validate(const IntegratorConfig& config);

}  // namespace pint

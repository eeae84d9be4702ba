#pragma once
/// \file
/// Time integrators pint provides, and how a propagator built from one is configured.

#include <string>

namespace pint {

enum class Integrator { ExplicitEuler, RK4, ImplicitEuler, CrankNicolson };

std::string to_string(Integrator method);
/// Accepts "explicit-euler", "rk4", "implicit-euler", "crank-nicolson" (also "ee", "ie", "cn").
/// Throws std::invalid_argument listing the accepted names.
Integrator parse_integrator(const std::string& name);

struct IntegratorConfig {
  Integrator method = Integrator::CrankNicolson;
  int steps = 1;  ///< time steps per propagate() call
  /// Crank-Nicolson only: implicit-Euler half-steps that replace the first CN steps when a call starts
  /// at the problem's initial time (Rannacher start-up, damps the payoff kink). 0 disables; each pair
  /// of half-steps replaces one CN step, so the step count stays `steps`.
  int rannacher_half_steps = 4;
};

/// Checks a configuration; throws std::invalid_argument naming the bad value and the fix.
void validate(const IntegratorConfig& config);

}  // namespace pint

#pragma once
/// \file
/// Time integrators pint provides, and how a propagator built from one is configured.

#include <string>
#include <vector>

#include "core/sdc_settings.hpp"

namespace pint {

/// ADI methods need a problem with a split f = f_0 + ... + f_{k-1} (one line solve per implicit part and
/// stage; a part the problem marks explicit, a mixed derivative, is never solved for): Douglas, Craig-Sneyd,
/// modified Craig-Sneyd and Hundsdorfer-Verwer (any k; In 't Hout and Foulon's forms, their theta and mu)
/// and Peaceman-Rachford (k = 2, both implicit). LodImplicitEuler is Yanenko's locally one-dimensional
/// implicit Euler (explicit parts forward, then one implicit-Euler line solve per implicit part): first
/// order, but it damps the modes that are stiff in every direction, which no ADI scheme above does (their
/// amplification tends to 1 there): a coarse propagator for Parareal. Sdc: spectral deferred corrections
/// (SdcSettings below).
enum class Integrator {
  ExplicitEuler,
  RK4,
  ImplicitEuler,
  CrankNicolson,
  AdiDouglas,
  AdiPeacemanRachford,
  AdiCraigSneyd,
  AdiModifiedCraigSneyd,
  AdiHundsdorferVerwer,
  LodImplicitEuler,
  Sdc
};

/// Every integrator, in the order of the names above (for help texts and tests).
const std::vector<Integrator>& all_integrators();
/// Whether `method` needs a split problem (the ADI family).
bool needs_split(Integrator method);

std::string to_string(Integrator method);
/// Accepts "explicit-euler", "rk4", "implicit-euler", "crank-nicolson", "adi-douglas",
/// "adi-peaceman-rachford", "adi-craig-sneyd", "adi-modified-craig-sneyd", "adi-hundsdorfer-verwer" (also
/// "ee", "ie", "cn" and the ADI names without "adi-").
/// Throws std::invalid_argument listing the accepted names.
Integrator parse_integrator(const std::string& name);

struct IntegratorConfig {
  /// {method, steps, rannacher_half_steps}: how every caller writes one (a constructor rather than an
  /// aggregate, so that the settings below keep their defaults without -Wmissing-field-initializers).
  IntegratorConfig(Integrator m = Integrator::CrankNicolson, int s = 1, int half_steps = 4)
      : method(m), steps(s), rannacher_half_steps(half_steps) {}
  Integrator method = Integrator::CrankNicolson;
  int steps = 1;  ///< time steps per propagate() call
  /// Crank-Nicolson (and ADI) only: implicit-Euler half-steps that replace the first steps when a call
  /// starts at the problem's initial time (Rannacher start-up, damps the payoff kink; for ADI the half-steps
  /// are Douglas steps with theta = 1). 0 disables; each pair of half-steps replaces one step, so the
  /// step count stays `steps`.
  int rannacher_half_steps = 4;
  /// ADI only: theta and (Hundsdorfer-Verwer) mu; 0 = the scheme's default (adi_default_theta/mu).
  double adi_theta = 0.0, adi_mu = 0.0;
  SdcSettings sdc;  ///< Integrator::Sdc only
};

/// The literature's (and QuantLib's) defaults, In 't Hout and Foulon (2010): Douglas 1/2, Craig-Sneyd 1/2,
/// modified Craig-Sneyd 1/3, Hundsdorfer-Verwer 1/2 + sqrt(3)/6 with mu = 1/2. 0 for a non-ADI method.
double adi_default_theta(Integrator method);
double adi_default_mu(Integrator method);

/// Checks a configuration; throws std::invalid_argument naming the bad value and the fix.
void validate(const IntegratorConfig& config);

}  // namespace pint

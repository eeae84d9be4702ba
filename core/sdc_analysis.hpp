#pragma once
/// \file
/// One SDC step as a scheme (the rule, every sweep's Q_D, the predictor and the end value) and its analysis on
/// Dahlquist's equation y' = lambda y, z = dt lambda (seed 002; Caklovic, Lunet, Goetschel, Ruprecht, SISC 2025):
///
///   stability function R(z): y_(n+1) = R(z) y_n after the step's K sweeps, computed with the same recursion the
///     propagator runs (models/general_propagator.hpp), in complex arithmetic:
///       Y^0 = 1 at every node (spread) or Y^0_m = Y^0_(m-1) / (1 - z (tau_m - tau_(m-1))) (implicit Euler),
///       (I - z Q_D,k) Y^k = 1 + z (Q - Q_D,k) Y^(k-1),
///       R = Y^K_M (last node) or 1 + z b . Y^K (collocation update);
///   contraction factor: rho(K_K(z) ... K_1(z))^(1/K) with K_k(z) = z (I - z Q_D,k)^-1 (Q - Q_D,k), the error
///     reduction per sweep towards the collocation solution (for a fixed Q_D the spectral radius of K(z)).
/// The products, solves and eigenvalues are BLAS's and LAPACK's (zgemm, zgesv, zgeev). Nothing here needs Kokkos.
#include <complex>
#include <string>
#include <vector>

#include "core/sdc_coefficients.hpp"
#include "core/sdc_settings.hpp"

namespace pint {

struct SdcScheme {
  Collocation coll;
  std::vector<std::vector<double>> qdelta;  ///< Q_D of sweep k = 1..K (row-major M x M)
  bool ie_guess = false;                    ///< predictor: implicit Euler between the nodes (else spreading)
  bool last_node = true;                    ///< end value Y_M (else the collocation update)
  int sweeps() const { return static_cast<int>(qdelta.size()); }
};

/// The scheme of these settings; throws std::invalid_argument (validate(SdcSettings)) for what it does not support.
SdcScheme make_sdc_scheme(const SdcSettings& settings);

/// R(z) of one step.
std::complex<double> sdc_stability_function(const SdcScheme& scheme, std::complex<double> z);

/// rho(K_K(z) ... K_1(z))^(1/K); infinity where I - z Q_D,k is singular.
double sdc_contraction_factor(const SdcScheme& scheme, std::complex<double> z);

/// |R(lambda dt)^steps - exp(lambda t_end)| with dt = t_end / steps: the error of `steps` SDC steps on Dahlquist's
/// equation from y(0) = 1.
double sdc_dahlquist_error(const SdcScheme& scheme, std::complex<double> lambda, double t_end, int steps);

}  // namespace pint

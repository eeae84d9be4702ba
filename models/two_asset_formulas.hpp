#pragma once
/// \file
/// Closed-form prices of European options on two lognormal assets, the references against which the
/// 2-D Black-Scholes PDE solver is validated, and the bivariate normal distribution they need.
///
/// Model (risk-neutral): dS_i / S_i = (r - q_i) dt + sigma_i dW_i, d<W_1, W_2> = rho dt, i = 1, 2;
/// tau is the time to maturity. Notation used in the formulas below:
///   F_i = S_i exp(-q_i tau)        (prepaid forward of asset i: the value now of receiving S_i(T))
///   D   = K exp(-r tau)            (the discounted strike)
///   sigma^2 = sigma1^2 + sigma2^2 - 2 rho sigma1 sigma2   (the volatility of ln(S1 / S2))
///   N(x) = standard normal CDF, M(a, b; rho) = bivariate standard normal CDF with correlation rho.
///
/// Every price function throws std::invalid_argument for S_i <= 0, sigma_i < 0, |rho| > 1, tau < 0,
/// K < 0 or a non-finite parameter. tau = 0 returns the payoff; zero volatilities are allowed (the
/// degenerate normals become the limits of the formulas, see two_asset_formulas.cpp).

namespace pint {

/// M(a, b; rho) = P(X <= a, Y <= b) for standard normals X, Y with correlation rho in [-1, 1].
/// Absolute error at rounding level (measured <= 6e-16 against an independent quadrature;
/// tests/test_two_asset_formulas.cpp holds it to 1e-12) for all rho in [-1, 1], +-1 included. a, b may be +-infinity; a
/// NaN a or b gives NaN. Throws std::invalid_argument if rho is outside [-1, 1] or NaN.
double bivariate_normal_cdf(double a, double b, double rho);

/// The market of two assets. q1, q2: continuous dividend yields; tau: time to maturity.
struct TwoAssetMarket {
  double s1 = 100.0, s2 = 100.0;
  double sigma1 = 0.3, sigma2 = 0.3;
  double rho = 0.5;
  double r = 0.05;
  double q1 = 0.0, q2 = 0.0;
  double tau = 1.0;
};

/// Black-Scholes(-Merton) call with continuous dividend yield q:
/// S e^{-q tau} N(d1) - K e^{-r tau} N(d1 - sigma sqrt(tau)), d1 = (ln(S/K) + (r - q + sigma^2/2) tau) /
/// (sigma sqrt(tau)). tau = 0 or sigma = 0: the discounted forward intrinsic value (S e^{-q tau} - K e^{-r tau})^+.
double black_scholes_call_with_yield(double S, double K, double r, double q, double sigma, double tau);

/// Margrabe (1978): the option to exchange asset 2 for asset 1, payoff max(S1(T) - S2(T), 0):
///   F1 N(d1) - F2 N(d2), d1 = (ln(F1 / F2) + sigma^2 tau / 2) / (sigma sqrt(tau)), d2 = d1 - sigma sqrt(tau)
/// (ln(F1 / F2) = ln(S1 / S2) + (q2 - q1) tau). Does not depend on r (asset 2 is the numeraire).
/// sigma = 0 (ln(S1 / S2) deterministic): (F1 - F2)^+.
double margrabe_exchange_price(const TwoAssetMarket& m);

/// Call on the maximum of two assets, payoff max(max(S1(T), S2(T)) - K, 0) (Stulz 1982, Johnson 1987;
/// the form with dividend yields of Haug, "The Complete Guide to Option Pricing Formulas"):
///   c_max = F1 M(y1, d; rho1) + F2 M(y2, sigma sqrt(tau) - d; rho2)
///           - D [1 - M(sigma1 sqrt(tau) - y1, sigma2 sqrt(tau) - y2; rho)]
/// with y_i = (ln(S_i / K) + (r - q_i + sigma_i^2 / 2) tau) / (sigma_i sqrt(tau)),
///      d   = (ln(S1 / S2) + (q2 - q1 + sigma^2 / 2) tau) / (sigma sqrt(tau)),
///      rho1 = (sigma1 - rho sigma2) / sigma,  rho2 = (sigma2 - rho sigma1) / sigma.
double stulz_max_call_price(const TwoAssetMarket& m, double K);

/// Call on the minimum of two assets, payoff max(min(S1(T), S2(T)) - K, 0) (same sources, notation as
/// stulz_max_call_price):
///   c_min = F1 M(y1, -d; -rho1) + F2 M(y2, d - sigma sqrt(tau); -rho2)
///           - D M(y1 - sigma1 sqrt(tau), y2 - sigma2 sqrt(tau); rho)
/// c_max + c_min equals the sum of the two one-asset calls (max + min = S1 + S2).
double stulz_min_call_price(const TwoAssetMarket& m, double K);

}  // namespace pint

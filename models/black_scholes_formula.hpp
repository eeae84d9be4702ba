#pragma once
/// \file
/// Closed-form Black-Scholes prices of European options (no dividends), in time to maturity tau.

namespace pint {

enum class OptionType { Call, Put };

/// Standard normal cumulative distribution function.
double normal_cdf(double x);

/// Price at spot S, strike K, rate r, volatility sigma, time to maturity tau >= 0 (tau = 0: payoff).
double black_scholes_price(OptionType type, double S, double K, double r, double sigma, double tau);

}  // namespace pint

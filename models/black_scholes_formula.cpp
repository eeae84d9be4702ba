#include "models/black_scholes_formula.hpp"

#include <algorithm>
#include <cmath>

namespace pint {

double normal_cdf(double x) {
  return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

double black_scholes_price(OptionType type, double S, double K, double r, double sigma, double tau) {
  const double disc = K * std::exp(-r * tau);
  if (tau <= 0.0 || S <= 0.0 || sigma <= 0.0) {
    // Expiry, S = 0, or no volatility: the (discounted) intrinsic value.
    const double fwd_intrinsic = S - disc;
    return type == OptionType::Call ? std::max(fwd_intrinsic, 0.0) : std::max(-fwd_intrinsic, 0.0);
  }
  const double sq = sigma * std::sqrt(tau);
  const double d1 = (std::log(S / K) + (r + 0.5 * sigma * sigma) * tau) / sq;
  const double d2 = d1 - sq;
  if (type == OptionType::Call) return S * normal_cdf(d1) - disc * normal_cdf(d2);
  return disc * normal_cdf(-d2) - S * normal_cdf(-d1);
}

}  // namespace pint

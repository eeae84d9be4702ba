#include "models/two_asset_formulas.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "models/black_scholes_formula.hpp"

namespace pint {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kTwoPi = 2.0 * kPi;
constexpr double kSqrtTwoPi = 2.50662827463100050242;  // sqrt(2 pi)
constexpr double kInf = std::numeric_limits<double>::infinity();

// normal_cdf is 0.5 erfc(-x / sqrt(2)): erfc keeps full relative accuracy in the lower tail and
// full absolute accuracy everywhere, which is what the bivariate formulas below need.
double N(double x) {
  return normal_cdf(x);
}

/// P_n(t), and P_n'(t) into dp, by the three-term recurrence (k+1) P_{k+1} = (2k+1) t P_k - k P_{k-1}
/// and (t^2 - 1) P_n'(t) = n (t P_n(t) - P_{n-1}(t)).
double legendre(int n, double t, double& dp) {
  double p0 = 1.0, p1 = t;  // P_{k-1}, P_k
  for (int k = 1; k < n; ++k) {
    const double p2 = ((2.0 * k + 1.0) * t * p1 - k * p0) / (k + 1.0);
    p0 = p1;
    p1 = p2;
  }
  dp = n * (t * p1 - p0) / (t * t - 1.0);
  return p1;
}

/// The n-point Gauss-Legendre rule on [-1, 1] (exact for polynomials of degree 2n - 1), computed once
/// by Newton's method on P_n rather than typed in as a table of digits.
template <int n>
struct GaussLegendre {
  std::array<double, n> x{}, w{};
  GaussLegendre() {
    for (int i = 0; i < n; ++i) {
      // Tricomi's estimate of the i-th root: close enough for Newton to converge to that root.
      double t = std::cos(kPi * (i + 0.75) / (n + 0.5));
      double dp = 0.0;
      for (int it = 0; it < 100; ++it) {
        const double step = legendre(n, t, dp) / dp;
        t -= step;
        if (std::fabs(step) <= 1e-16) break;
      }
      legendre(n, t, dp);  // P_n' at the converged root, for the weight 2 / ((1 - t^2) P_n'(t)^2)
      x[i] = t;
      w[i] = 2.0 / ((1.0 - t * t) * dp * dp);
    }
  }
};

// 20 points: Genz (2004) reports double precision for both integrals below with this order; the unit
// tests measure the error against an independent quadrature (tests/test_two_asset_formulas.cpp).
constexpr int kNodes = 20;
const GaussLegendre<kNodes>& rule() {
  static const GaussLegendre<kNodes> r;  // thread-safe one-time initialisation (C++11 magic static)
  return r;
}

// Below this |rho| the Drezner-Wesolowsky integral over theta is used; above it the expansion around
// rho = +-1 (Genz 2004 uses the same switch point): the theta integrand's scale cos^2(theta) = 1 - rho^2
// stays >= 0.14 on the first, and the expansion variable x = sqrt(1 - rho^2) stays <= 0.38 on the second.
constexpr double kSwitchRho = 0.925;

/// Drezner-Wesolowsky (1990): with dM/drho = phi2(a, b; rho) (Plackett's identity) and rho = sin(theta),
///   M(a, b; rho) = N(a) N(b) + 1/(2 pi) int_0^{asin rho} exp(-(a^2 + b^2 - 2ab sin t) / (2 cos^2 t)) dt.
/// For |rho| < 0.925 the integrand is analytic and smooth on the interval (cos^2 t >= 0.14), so one
/// 20-point Gauss-Legendre panel resolves it to rounding.
double bvn_theta_integral(double a, double b, double rho) {
  const double theta = std::asin(rho);
  const double half = 0.5 * theta;
  const double hs = 0.5 * (a * a + b * b);
  const double ab = a * b;
  double sum = 0.0;
  for (int i = 0; i < kNodes; ++i) {
    const double sn = std::sin(half * (rule().x[i] + 1.0));
    sum += rule().w[i] * std::exp((ab * sn - hs) / (1.0 - sn * sn));
  }
  return N(a) * N(b) + sum * half / kTwoPi;
}

/// For 0.925 <= r < 1: T(h, k; r) = int_r^1 phi2(h, k; rho) d rho, so that M(h, k; r) = N(min(h, k)) - T
/// (M(h, k; 1) = N(min(h, k))). Substituting x = sqrt(1 - rho^2) removes the 1/sqrt(1 - rho^2)
/// singularity of phi2 at rho = 1 (Drezner-Wesolowsky 1990, Genz 2004):
///   T = 1/(2 pi) int_0^s exp(-b^2 / (2 x^2) - hk / 2) g(x) dx,   s = sqrt(1 - r^2), b = |h - k|,
///   g(x) = exp(-hk x^2 / (2 (1 + sqrt(1 - x^2))^2)) / sqrt(1 - x^2),
/// using h^2 - 2 rho hk + k^2 = (h - k)^2 + 2 (1 - rho) hk. The factor exp(-b^2 / (2 x^2)) has an
/// essential singularity at x = 0 that a polynomial rule cannot follow when b is small, so g is split
/// into its Taylor polynomial 1 + c x^2 + c d x^4, c = (4 - hk) / 8, d = (12 - hk) / 16, integrated in
/// closed form, plus a remainder g - (1 + c x^2 + c d x^4) = O(x^6) that vanishes where the singular
/// factor varies fastest and is integrated by Gauss-Legendre.
double bvn_near_one_tail(double h, double k, double r) {
  const double s2 = (1.0 - r) * (1.0 + r);  // 1 - r^2 without cancellation as r -> 1
  const double s = std::sqrt(s2);
  const double hk = h * k;
  const double b = std::fabs(h - k);
  const double bs = b * b;
  const double c = (4.0 - hk) / 8.0;
  const double d = (12.0 - hk) / 16.0;

  // Closed-form part: with E = exp(-b^2 / (2 s^2)) and P = sqrt(2 pi) N(-b / s) (verified by
  // differentiating in s; all vanish at s = 0),
  //   J0 = int_0^s exp(-b^2/(2x^2)) dx     = s E - b P
  //   J1 = int_0^s x^2 exp(-b^2/(2x^2)) dx = (s (s^2 - b^2) E + b^3 P) / 3
  //   J2 = int_0^s x^4 exp(-b^2/(2x^2)) dx = (s (3 s^4 - s^2 b^2 + b^4) E - b^5 P) / 15
  // and the Taylor part is exp(-hk/2) (J0 + c J1 + c d J2).
  double tail = 0.0;
  // exp(-hk/2) E as one exponential: b^2/s^2 + hk >= h^2 - hk + k^2 >= 0, so it cannot overflow.
  const double e_exponent = -0.5 * (bs / s2 + hk);
  tail += s * std::exp(e_exponent) * (1.0 + c * (s2 - bs) / 3.0 + c * d * (3.0 * s2 * s2 - s2 * bs + bs * bs) / 15.0);
  // The P term: exp(-hk/2) alone overflows for very negative hk. For hk < -100, b^2 >= 4|hk| and
  // s^2 <= 0.145 give exp(-hk/2) P <= exp(-(b^2/s^2 + hk)/2) <= exp(-1300): nothing to add.
  if (hk > -100.0 && b > 0.0) {
    tail -= std::exp(-0.5 * hk) * kSqrtTwoPi * N(-b / s) * b * (1.0 - c * bs / 3.0 + c * d * bs * bs / 15.0);
  }

  // Remainder, 20-point Gauss-Legendre on [0, s].
  const double half = 0.5 * s;
  double sum = 0.0;
  for (int i = 0; i < kNodes; ++i) {
    const double x = half * (rule().x[i] + 1.0);
    const double xs = x * x;
    const double exponent = -0.5 * (bs / xs + hk);
    if (exponent < -745.0) continue;  // exp underflows to 0 (the bracket below is bounded)
    const double rs = std::sqrt((1.0 - x) * (1.0 + x));
    const double g = std::exp(-hk * xs / (2.0 * (1.0 + rs) * (1.0 + rs))) / rs;
    sum += rule().w[i] * std::exp(exponent) * (g - (1.0 + c * xs * (1.0 + d * xs)));
  }
  tail += half * sum;
  return tail / kTwoPi;
}

[[noreturn]] void bad(const std::string& what) {
  throw std::invalid_argument("two-asset formulas: " + what);
}

void validate(const TwoAssetMarket& m) {
  if (!(m.s1 > 0.0) || !std::isfinite(m.s1)) bad("s1 must be a positive number");
  if (!(m.s2 > 0.0) || !std::isfinite(m.s2)) bad("s2 must be a positive number");
  if (!(m.sigma1 >= 0.0) || !std::isfinite(m.sigma1)) bad("sigma1 must be a non-negative number");
  if (!(m.sigma2 >= 0.0) || !std::isfinite(m.sigma2)) bad("sigma2 must be a non-negative number");
  if (!(m.rho >= -1.0 && m.rho <= 1.0)) bad("rho must be in [-1, 1]");
  if (!std::isfinite(m.r)) bad("r must be a finite number");
  if (!std::isfinite(m.q1) || !std::isfinite(m.q2)) bad("q1 and q2 must be finite numbers");
  if (!(m.tau >= 0.0) || !std::isfinite(m.tau)) bad("tau must be a non-negative number");
}

void validate_strike(double K) {
  if (!(K >= 0.0) || !std::isfinite(K)) bad("the strike must be a non-negative number");
}

/// (log_ratio + sd^2 / 2) / sd, the "d1" of a lognormal with log-standard-deviation sd. sd = 0 is the
/// limit sd -> 0+: +inf if log_ratio > 0, else -inf (at log_ratio = 0 the event it measures has
/// probability zero or one depending on a tie that does not change the price: the payoffs are continuous).
double d_plus(double log_ratio, double sd) {
  if (sd > 0.0) return log_ratio / sd + 0.5 * sd;
  return log_ratio > 0.0 ? kInf : -kInf;
}

/// The quantities shared by both Stulz formulas (notation of two_asset_formulas.hpp).
struct StulzTerms {
  double f1, f2, disc_k;  // F1, F2, D
  double v1, v2, v;       // sigma1 sqrt(tau), sigma2 sqrt(tau), sigma sqrt(tau)
  double y1, y2, d;
  double rho1, rho2;
};

StulzTerms stulz_terms(const TwoAssetMarket& m, double K) {
  StulzTerms t{};
  const double sqrt_tau = std::sqrt(m.tau);
  t.f1 = m.s1 * std::exp(-m.q1 * m.tau);
  t.f2 = m.s2 * std::exp(-m.q2 * m.tau);
  t.disc_k = K * std::exp(-m.r * m.tau);
  t.v1 = m.sigma1 * sqrt_tau;
  t.v2 = m.sigma2 * sqrt_tau;
  // sigma^2 written as (sigma1 - sigma2)^2 + 2 (1 - rho) sigma1 sigma2: a sum of non-negative terms,
  // so no cancellation when sigma1 ~ sigma2 and rho ~ 1.
  const double sigma =
      std::sqrt((m.sigma1 - m.sigma2) * (m.sigma1 - m.sigma2) + 2.0 * (1.0 - m.rho) * m.sigma1 * m.sigma2);
  t.v = sigma * sqrt_tau;
  // ln(S_i / K) + (r - q_i) tau = ln(F_i / D); K = 0 gives +inf (the call is then surely exercised).
  t.y1 = d_plus(std::log(t.f1 / t.disc_k), t.v1);
  t.y2 = d_plus(std::log(t.f2 / t.disc_k), t.v2);
  t.d = d_plus(std::log(t.f1 / t.f2), t.v);
  if (sigma > 0.0) {
    // rho1 = corr(W1, (sigma1 W1 - sigma2 W2) / sigma), a correlation: clamp the rounding excess.
    t.rho1 = std::clamp((m.sigma1 - m.rho * m.sigma2) / sigma, -1.0, 1.0);
    t.rho2 = std::clamp((m.sigma2 - m.rho * m.sigma1) / sigma, -1.0, 1.0);
  } else {
    // ln(S1 / S2) is deterministic: d = +-inf, and M(y, +-inf; any rho) no longer depends on rho.
    t.rho1 = t.rho2 = 0.0;
  }
  return t;
}

}  // namespace

double bivariate_normal_cdf(double a, double b, double rho) {
  if (!(rho >= -1.0 && rho <= 1.0)) throw std::invalid_argument("bivariate_normal_cdf: rho must be in [-1, 1]");
  if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<double>::quiet_NaN();
  // Infinite limits: a marginal, or an empty event. (Also keeps inf - inf out of the integrals.)
  if (a == -kInf || b == -kInf) return 0.0;
  if (a == kInf) return N(b);
  if (b == kInf) return N(a);
  // Beyond |x| = 40 the normal tail (N(-40) ~ 4e-350) is below the smallest double, so clamping changes
  // nothing, and it keeps squares and products of a and b finite in the integrals below.
  a = std::clamp(a, -40.0, 40.0);
  b = std::clamp(b, -40.0, 40.0);
  // Perfect correlation: Y = X or Y = -X.
  if (rho == 1.0) return N(std::min(a, b));
  if (rho == -1.0) return a > -b ? N(a) - N(-b) : 0.0;

  double value;
  if (std::fabs(rho) < kSwitchRho) {
    value = bvn_theta_integral(a, b, rho);
  } else if (rho > 0.0) {
    value = N(std::min(a, b)) - bvn_near_one_tail(a, b, rho);
  } else {
    // M(a, b; rho) = N(a) - M(a, -b; -rho) (P(X <= a) split on Y <= b), and -rho is near +1:
    // N(a) - N(min(a, -b)) + T(a, -b; -rho), whose first difference is 0 or N(a) - N(-b).
    value = (a > -b ? N(a) - N(-b) : 0.0) + bvn_near_one_tail(a, -b, -rho);
  }
  // The result is a probability; rounding can leave it a few ulps outside [0, 1].
  return std::clamp(value, 0.0, 1.0);
}

double black_scholes_call_with_yield(double S, double K, double r, double q, double sigma, double tau) {
  // A continuous yield only scales the asset: the call on S with yield q is the no-dividend call on
  // the prepaid forward S e^{-q tau} (same d1, same price).
  return black_scholes_price(OptionType::Call, S * std::exp(-q * tau), K, r, sigma, tau);
}

double margrabe_exchange_price(const TwoAssetMarket& m) {
  validate(m);
  if (m.tau == 0.0) return std::max(m.s1 - m.s2, 0.0);
  const double f1 = m.s1 * std::exp(-m.q1 * m.tau);
  const double f2 = m.s2 * std::exp(-m.q2 * m.tau);
  // Total variance of ln(S1(T) / S2(T)), cancellation-free form (see stulz_terms).
  const double var =
      ((m.sigma1 - m.sigma2) * (m.sigma1 - m.sigma2) + 2.0 * (1.0 - m.rho) * m.sigma1 * m.sigma2) * m.tau;
  // Deterministic ratio: S1(T) - S2(T) = S2(T) (F1 / F2 - 1), priced with asset 2 as numeraire.
  if (!(var > 0.0)) return std::max(f1 - f2, 0.0);
  const double sd = std::sqrt(var);
  const double d1 = std::log(f1 / f2) / sd + 0.5 * sd;
  return f1 * N(d1) - f2 * N(d1 - sd);
}

double stulz_max_call_price(const TwoAssetMarket& m, double K) {
  validate(m);
  validate_strike(K);
  if (m.tau == 0.0) return std::max(std::max(m.s1, m.s2) - K, 0.0);
  const StulzTerms t = stulz_terms(m, K);
  // Payoff = S1 1{S1 > S2, S1 > K} + S2 1{S2 > S1, S2 > K} - K 1{max > K}. Each asset term is a
  // probability under that asset's own measure (where ln S_i gains + sigma_i^2 tau): under measure 1,
  // P(S1 > K) = N(y1), P(S1 > S2) = N(d), and the two standardised variables have correlation rho1;
  // under measure 2 likewise with y2, sigma sqrt(tau) - d and rho2. The strike term uses
  // P(max > K) = 1 - P(S1 <= K, S2 <= K) under the risk-neutral measure.
  return t.f1 * bivariate_normal_cdf(t.y1, t.d, t.rho1) + t.f2 * bivariate_normal_cdf(t.y2, t.v - t.d, t.rho2) -
         t.disc_k * (1.0 - bivariate_normal_cdf(t.v1 - t.y1, t.v2 - t.y2, m.rho));
}

double stulz_min_call_price(const TwoAssetMarket& m, double K) {
  validate(m);
  validate_strike(K);
  if (m.tau == 0.0) return std::max(std::min(m.s1, m.s2) - K, 0.0);
  const StulzTerms t = stulz_terms(m, K);
  // Payoff = S1 1{S1 < S2, S1 > K} + S2 1{S2 < S1, S2 > K} - K 1{S1 > K, S2 > K}: the same events as
  // for the maximum with the asset-ratio event reversed (hence -d and -rho1, d - sigma sqrt(tau) and
  // -rho2), and P(S1 > K, S2 > K) = M(y1 - sigma1 sqrt(tau), y2 - sigma2 sqrt(tau); rho).
  return t.f1 * bivariate_normal_cdf(t.y1, -t.d, -t.rho1) + t.f2 * bivariate_normal_cdf(t.y2, t.d - t.v, -t.rho2) -
         t.disc_k * bivariate_normal_cdf(t.y1 - t.v1, t.y2 - t.v2, m.rho);
}

}  // namespace pint

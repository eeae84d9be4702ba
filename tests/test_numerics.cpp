// Numerics of the fine propagators, each checked against a reference that does not share their code:
// closed-form Black-Scholes prices, the exact (and the exact semi-discrete) heat solution, the
// stability functions of the four integrators, and a plain Thomas / dense elimination written here.
// Every tolerance is derived in a comment next to it from the size of the error it bounds; the
// measured values are printed ("[ measured ]") so that a drift shows long before a failure.
#include <gtest/gtest.h>

#include <Kokkos_Core.hpp>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/problem.hpp"
#include "models/black_scholes.hpp"
#include "models/black_scholes_formula.hpp"
#include "models/dahlquist.hpp"
#include "models/heat1d.hpp"
#include "models/integrator.hpp"
#include "models/make_propagator.hpp"
#include "models/theta_propagator.hpp"
#include "models/theta_step_solver.hpp"
#include "space_test_fixture.hpp"
#include "spaces/dispatch.hpp"

using namespace pint;

namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();  // 2.2e-16

void note(const std::string& what, double value) {
  std::printf("[ measured ] %s = %.3e\n", what.c_str(), value);
}

HostVector initial_values(const Problem& p) {
  HostVector u("u0", p.size());
  p.initial_condition(u);
  return u;
}

/// One propagate() call of a freshly made propagator: `in` at t0 -> result at t1.
HostVector solve(const std::shared_ptr<const Problem>& p, IntegratorConfig cfg, SpaceKind space, double t0, double t1,
                 const HostVector& in, int blocks = 0) {
  auto prop = make_propagator(p, cfg, space, blocks);
  HostVector out("out", p->size());
  prop->propagate(in, t0, t1, out);
  return out;
}

/// From the problem's initial condition over [t_start, t_end].
HostVector solve(const std::shared_ptr<const Problem>& p, IntegratorConfig cfg, SpaceKind space = SpaceKind::Serial,
                 int blocks = 0) {
  return solve(p, cfg, space, p->t_start(), p->t_end(), initial_values(*p), blocks);
}

IntegratorConfig config(Integrator m, int steps, int rannacher = 0) {
  return IntegratorConfig{m, steps, rannacher};
}

std::shared_ptr<BlackScholesProblem> black_scholes(OptionType type, double ds = 1.0, double s_max = 5000.0) {
  BlackScholesParams p;
  p.type = type;
  p.ds = ds;
  p.s_max = s_max;
  return std::make_shared<BlackScholesProblem>(p);
}

/// max |a - b| over the nodes with S in [lo, hi].
double max_diff_on(const Grid& g, const HostVector& a, const HostVector& b, double lo, double hi) {
  double m = 0.0;
  for (std::size_t i = 0; i < g.size(); ++i)
    if (g.x[i] >= lo - 1e-12 && g.x[i] <= hi + 1e-12) m = std::max(m, std::abs(a(i) - b(i)));
  return m;
}

double max_diff(const HostVector& a, const HostVector& b) {
  double m = 0.0;
  for (std::size_t i = 0; i < a.extent(0); ++i) m = std::max(m, std::abs(a(i) - b(i)));
  return m;
}

double max_abs(const HostVector& a) {
  double m = 0.0;
  for (std::size_t i = 0; i < a.extent(0); ++i) m = std::max(m, std::abs(a(i)));
  return m;
}

/// Closed-form prices on the grid of `p` at maturity.
HostVector closed_form(const BlackScholesProblem& p) {
  const auto& q = p.params();
  HostVector v("closed_form", p.size());
  for (std::size_t i = 0; i < p.size(); ++i)
    v(i) = black_scholes_price(q.type, p.grid()->x[i], q.strike, q.rate, q.sigma, q.maturity);
  return v;
}

// Domain of interest of the Black-Scholes tests: S in [K/2, 2K].
constexpr double kLo = 50.0, kHi = 200.0;

}  // namespace

// ------------------------------------------------------------------------------------------------
// Black-Scholes against the closed form.
// ------------------------------------------------------------------------------------------------

// Default parameters (S_max = 5000, dS = 1, K = 100, r = 0.03, sigma = 0.4, T = 1), Crank-Nicolson with
// 4 Rannacher half-steps and 1000 steps. The error on [K/2, 2K] has two parts, measured separately:
//  * space, O(dS^2): the same grid with 8000 steps (time error 64x smaller) is off the closed form by
//    1.176e-3 (call and put alike), largest at S = 94, just below the strike where V_SS peaks. It is
//    the centred-difference truncation: halving/doubling dS scales it by 4.00 (next test);
//  * time, O(dt^2): the 1000- and the 8000-step solutions differ by 1.6e-6.
// Total measured: 1.177e-3 for the call and for the put (the same over the whole grid). Both parts are
// truncation errors, the same on every platform up to round-off (~1e-11 here), so the bound only
// needs a modest margin: 1.5e-3, a safety factor 1.27. It fails on any change that adds >= 3e-4: a
// first-order time step (implicit Euler, 1000 steps: 3.3e-3), a convection coefficient 1% off on one
// diagonal (tried by hand: fails), a lost factor in the operator, a boundary value at the wrong time.
// (Without Rannacher the error at the nodes is the same, 1.175e-3: K is a node and dS = 1 is fine
// enough that Crank-Nicolson's undamped kink modes stay below the space error here; the start-up is
// checked by the time-order test below and by the Dahlquist start-up test.)
constexpr double kBsTol = 1.5e-3;

TEST(NumericsBlackScholes, CallMatchesClosedForm) {
  auto p = black_scholes(OptionType::Call);
  const HostVector v = solve(p, config(Integrator::CrankNicolson, 1000, 4));
  const double err = max_diff_on(*p->grid(), v, closed_form(*p), kLo, kHi);
  note("BS call CN 1000 steps, max error on [50,200]", err);
  EXPECT_LT(err, kBsTol);
}

TEST(NumericsBlackScholes, PutMatchesClosedForm) {
  auto p = black_scholes(OptionType::Put);
  const HostVector v = solve(p, config(Integrator::CrankNicolson, 1000, 4));
  const double err = max_diff_on(*p->grid(), v, closed_form(*p), kLo, kHi);
  note("BS put CN 1000 steps, max error on [50,200]", err);
  EXPECT_LT(err, kBsTol);
}

// With a coarser grid the error must grow as dS^2: if it were dominated by something else (the far
// boundary at S_max, the time step, a wrong coefficient) it would not. dS = 1, 2, 4 keep K = 100 and
// [50, 200] on grid nodes; 4000 time steps make the time part (~1e-7) negligible against the space
// part (1.2e-3 at dS = 1). Measured errors 1.176e-3, 4.705e-3, 1.882e-2: ratios 4.001 and 4.000.
// The window [3.8, 4.2] admits an O(dS^2) relative correction from the next truncation term of up
// to 5% and rejects first order (ratio 2) or an error floor (ratio 1).
TEST(NumericsBlackScholes, ErrorIsSecondOrderInSpace) {
  double err[3];
  const double ds[3] = {1.0, 2.0, 4.0};
  for (int k = 0; k < 3; ++k) {
    auto p = black_scholes(OptionType::Call, ds[k]);
    err[k] = max_diff_on(*p->grid(), solve(p, config(Integrator::CrankNicolson, 4000, 4)), closed_form(*p), kLo, kHi);
    note("BS call dS = " + std::to_string(ds[k]) + ", max error on [50,200]", err[k]);
  }
  for (int k = 0; k < 2; ++k) {
    const double ratio = err[k + 1] / err[k];
    note("BS error ratio dS doubled", ratio);
    EXPECT_GT(ratio, 3.8);
    EXPECT_LT(ratio, 4.2);
  }
}

// ------------------------------------------------------------------------------------------------
// Put-call parity.
// ------------------------------------------------------------------------------------------------
//
// Why it holds on the discrete solution, and to what. Payoffs: max(S-K,0) - max(K-S,0) = S - K,
// exactly also in floating point. For a vector linear in S, w_i = S_i - D, centred differences are
// exact: the diffusion term (w_{i+1} - 2 w_i + w_{i-1}) vanishes and the convection term gives r S_i,
// so (L w)_i = r D for every interior row. A theta step therefore maps S - D_n to S - D_{n+1} with
//   D_{n+1} = D_n (1 - (1 - theta) r dt) / (1 + theta r dt) = D_n R(-r dt),
// the integrator's stability function at z = -r dt, PROVIDED the Dirichlet values carry the same
// D_{n+1}. So the scheme reproduces parity exactly (up to round-off) with the *discrete* discount
// D_n = K prod R(-r dt_k), not with K exp(-r tau). With the exact discount in the boundary values (as
// BlackScholesProblem has it), the interior and the ends disagree by delta_n = D_n - K exp(-r tau_n),
// the time-discretisation error of the discount. It is dominated by the 4 implicit-Euler half-steps,
// each off by (r dt/2)^2 / 2 relative: delta_N ~ 97.04 * 4 * 1.125e-10 = 4.4e-8 for 1000 steps (the
// 998 CN steps add (r dt)^3 / 12 each: 2e-12 in total). That is far above round-off, so "C - P = S -
// K exp(-r tau) to round-off" is NOT a property of this scheme; the two tests below check what is.
//
// Round-off. One step computes B u (3 products per row) and solves with A; both work with terms of
// size |B||u| ~ (1 + dt sigma^2 i^2) |u_i| (the operator's entries grow as i^2), so one step's rounding
// at node i is ~ eps (1 + dt sigma^2 i^2) |u|, and the scheme does not amplify it (|R| <= 1), so N
// steps give at most N times that (all roundings of one sign):
//  * near S_max: (1 + 1e-3 * 0.16 * 5000^2) * 5000 = 2e7, so up to 1000 * eps * 2e7 = 4.4e-6;
//  * on [K/2, 2K]: (1 + 1e-3 * 0.16 * 200^2) * 200 = 1480, up to 1000 * eps * 1480 = 3.3e-10.
// (The naive "eps * S_max * N" = 1.1e-9 does hold on [K/2, 2K] but not near S_max, where the measured
// round-off, 2.5e-7 near S = 4000, exceeds it: it is the i^2 growth of the operator, not a bug.)
// Round-off generated near S_max stays there: it reaches S = 500 at 3e-10 and [K/2, 2K] not at all
// measurably (diffusion over T = 1 spans sigma sqrt(T) = 0.4 in log S, S_max / 2K = 25 is e^3.2).

namespace {

/// Black-Scholes with the Dirichlet values of the scheme's discrete discount for `steps` steps of
/// Crank-Nicolson with `half_steps` Rannacher half-steps over [0, T] (everything else delegated).
class DiscreteDiscountBlackScholes final : public Problem {
 public:
  DiscreteDiscountBlackScholes(std::shared_ptr<const BlackScholesProblem> bs, int steps, int half_steps)
      : bs_(std::move(bs)), dt_(bs_->t_end() / steps), half_(half_steps) {}
  std::string name() const override { return "bs-discrete-discount"; }
  std::shared_ptr<const Grid> grid() const override { return bs_->grid(); }
  double t_end() const override { return bs_->t_end(); }
  void initial_condition(HostVector u) const override { bs_->initial_condition(u); }
  Tridiagonal spatial_operator() const override { return bs_->spatial_operator(); }
  std::array<double, 2> boundary_values(double t) const override {
    const double d = discount(t);
    if (bs_->params().type == OptionType::Call) return {0.0, bs_->params().s_max - d};
    return {d, 0.0};
  }
  /// K times the product of the stability functions of the steps taken up to t (a step time).
  double discount(double t) const {
    const double r = bs_->params().rate;
    const long halves = std::lround(t / (0.5 * dt_));
    const long ie = std::min<long>(halves, half_), cn = (halves - ie) / 2;
    const double r_ie = 1.0 / (1.0 + r * 0.5 * dt_);                    // implicit Euler, z = -r dt/2
    const double r_cn = (1.0 - 0.5 * r * dt_) / (1.0 + 0.5 * r * dt_);  // Crank-Nicolson, z = -r dt
    return bs_->params().strike * std::pow(r_ie, static_cast<double>(ie)) * std::pow(r_cn, static_cast<double>(cn));
  }

 private:
  std::shared_ptr<const BlackScholesProblem> bs_;
  double dt_;
  int half_;
};

/// The round-off allowance derived above, 2 N eps max_i (1 + dt sigma^2 i^2) max(S_i, K) over the nodes
/// with S in [lo, hi]: the call is <= S and the put <= K, so max(S, K) bounds the values of either
/// run, and the factor 2 counts the two runs whose difference is taken.
double parity_round_off(const BlackScholesProblem& p, int steps, double lo, double hi) {
  const auto& q = p.params();
  const double dt = q.maturity / steps;
  double m = 0.0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double s = p.grid()->x[i];
    if (s < lo || s > hi) continue;
    const double idx = s / q.ds;
    m = std::max(m, (1.0 + dt * q.sigma * q.sigma * idx * idx) * std::max(s, q.strike));
  }
  return 2.0 * steps * kEps * m;
}

}  // namespace

// With the discrete discount on the boundary, C - P = S - D_N at every node up to round-off. Measured:
// 9.0e-12 on [K/2, 2K] (allowance 6.6e-10), 2.5e-7 over all nodes (allowance 8.9e-6, at S ~ 4000).
// A sign error in the convection term, a wrong reaction term or a boundary value applied at the wrong
// time would break the exact reproduction of S - D by O(r dt S) ~ 1e-2 or O(delta) = 4e-8 (in the
// domain of interest the allowance is 60x below delta, so even the latter is caught).
TEST(NumericsBlackScholes, PutCallParityHoldsToRoundOffWithTheDiscreteDiscount) {
  const int steps = 1000, half_steps = 4;
  auto bs_call = black_scholes(OptionType::Call);
  auto call = std::make_shared<DiscreteDiscountBlackScholes>(bs_call, steps, half_steps);
  auto put = std::make_shared<DiscreteDiscountBlackScholes>(black_scholes(OptionType::Put), steps, half_steps);
  const IntegratorConfig cfg = config(Integrator::CrankNicolson, steps, half_steps);
  const HostVector c = solve(call, cfg), p = solve(put, cfg);
  const double d = call->discount(1.0);
  const auto& x = call->grid()->x;
  double err_all = 0.0, err_interest = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double e = std::abs((c(i) - p(i)) - (x[i] - d));
    err_all = std::max(err_all, e);
    if (x[i] >= kLo && x[i] <= kHi) err_interest = std::max(err_interest, e);
  }
  note("parity with discrete discount, max over [50,200]", err_interest);
  note("parity with discrete discount, max over all nodes", err_all);
  EXPECT_LT(err_interest, parity_round_off(*bs_call, steps, kLo, kHi));
  EXPECT_LT(err_all, parity_round_off(*bs_call, steps, 0.0, 1e300));
  const auto& q = bs_call->params();
  EXPECT_LT(parity_round_off(*bs_call, steps, kLo, kHi), 0.1 * std::abs(d - q.strike * std::exp(-q.rate * q.maturity)))
      << "the allowance must be able to tell the discrete from the exact discount";
}

// The real problem (exact discount on the boundary). On [K/2, 2K]: C - P - (S - K e^{-rT}) = -delta_N
// + e, where e solves the scheme with zero initial data and boundary data delta_n; e comes only from
// the ends and does not reach the domain of interest (S = 0 is an outflow boundary of the convection
// r S V_S: measured e = 2.6e-9 at S = 1, 3e-10 at S = 2, round-off from S = 5 on). So there the parity
// error must be exactly -delta_N (computed from the stability functions, 4.34e-8) up to the round-off
// allowance (6.6e-10): measured |error + delta_N| = 9.1e-12. Over all nodes it is bounded by
// 2 max|delta_n| (the implicit-Euler half-steps obey a discrete maximum principle and Crank-Nicolson
// steps do not amplify) plus the round-off allowance: measured 2.3e-7 (round-off near S_max).
TEST(NumericsBlackScholes, PutCallParityWithTheExactDiscountIsOffByTheDiscountTimeError) {
  const int steps = 1000, half_steps = 4;
  auto call = black_scholes(OptionType::Call), put = black_scholes(OptionType::Put);
  const IntegratorConfig cfg = config(Integrator::CrankNicolson, steps, half_steps);
  const HostVector c = solve(call, cfg), p = solve(put, cfg);
  const auto& q = call->params();
  const DiscreteDiscountBlackScholes discrete(call, steps, half_steps);
  const double dt = q.maturity / steps;
  double delta_max = 0.0;
  for (int h = 1; h <= half_steps; ++h)
    delta_max =
        std::max(delta_max, std::abs(discrete.discount(0.5 * dt * h) - q.strike * std::exp(-q.rate * 0.5 * dt * h)));
  for (int s = half_steps / 2 + 1; s <= steps; ++s)
    delta_max = std::max(delta_max, std::abs(discrete.discount(dt * s) - q.strike * std::exp(-q.rate * dt * s)));
  const double exact_discount = q.strike * std::exp(-q.rate * q.maturity);
  const double delta_end = discrete.discount(q.maturity) - exact_discount;
  note("discount time error delta_N", delta_end);
  const auto& x = call->grid()->x;
  double err_all = 0.0, off_interest = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double e = (c(i) - p(i)) - (x[i] - exact_discount);
    err_all = std::max(err_all, std::abs(e));
    if (x[i] >= kLo && x[i] <= kHi) off_interest = std::max(off_interest, std::abs(e + delta_end));
  }
  note("parity with exact discount, max over all nodes", err_all);
  note("parity with exact discount on [50,200], max |error + delta_N|", off_interest);
  EXPECT_LT(off_interest, parity_round_off(*call, steps, kLo, kHi));
  EXPECT_LT(err_all, 2.0 * delta_max + parity_round_off(*call, steps, 0.0, 1e300));
}

// ------------------------------------------------------------------------------------------------
// Orders of convergence.
// ------------------------------------------------------------------------------------------------

namespace {

/// Observed orders log2(e_k / e_{k+1}) of errors at successively halved steps.
std::vector<double> observed_orders(const std::vector<double>& err) {
  std::vector<double> p;
  for (std::size_t k = 0; k + 1 < err.size(); ++k) p.push_back(std::log2(err[k] / err[k + 1]));
  return p;
}

std::shared_ptr<HeatProblem> heat(int intervals, double t_end = 0.1) {
  HeatParams h;
  h.intervals = intervals;
  h.t_end = t_end;
  return std::make_shared<HeatProblem>(h);
}

/// exp(-lambda_h t) sin(pi x): the exact solution of the semi-discrete heat problem (the sine mode is
/// an eigenvector of the centred second difference with eigenvalue -lambda_h).
HostVector heat_semi_discrete(const HeatProblem& p, double t) {
  HostVector u("semi_discrete", p.size());
  const double decay = std::exp(-p.discrete_decay_rate() * t);
  for (std::size_t i = 0; i < p.size(); ++i) u(i) = decay * std::sin(M_PI * p.grid()->x[i]);
  u(0) = u(p.size() - 1) = 0.0;
  return u;
}

HostVector heat_exact(const HeatProblem& p, double t) {
  HostVector u("exact", p.size());
  p.exact_solution(t, u);
  return u;
}

}  // namespace

// Time order on Black-Scholes (default grid), against a reference on the SAME grid with 32x more
// steps than the finest run, so the space error cancels and only the time error remains. Steps
// 50, 100, 200, 400 (dt = 0.02 .. 0.0025). Reference error relative to the finest run: 1/32 for
// implicit Euler (shifts its last observed order by log2((1-1/64)/(1-1/32)) = +0.02) and 1/1024 for
// Crank-Nicolson (negligible). Measured orders: implicit Euler 1.005, 1.011, 1.023; Crank-Nicolson with
// Rannacher 2.000, 2.000, 2.001. Windows [0.9, 1.1] and [1.9, 2.1] leave room for those pre-asymptotic
// and reference effects and still separate first from second order. (Replacing the implicit-Euler
// half-steps by undamped Crank-Nicolson half-steps, tried once by hand, makes this test fail: the
// payoff kink then spoils the order.)
TEST(NumericsOrder, TimeOrderOnBlackScholes) {
  auto p = black_scholes(OptionType::Call);
  const std::vector<int> steps = {50, 100, 200, 400};
  struct Case {
    Integrator m;
    int half;
    double lo, hi;
  };
  for (const Case& c : {Case{Integrator::ImplicitEuler, 0, 0.9, 1.1}, Case{Integrator::CrankNicolson, 4, 1.9, 2.1}}) {
    const HostVector ref = solve(p, config(c.m, 32 * steps.back(), c.half));
    std::vector<double> err;
    for (int n : steps) err.push_back(max_diff_on(*p->grid(), solve(p, config(c.m, n, c.half)), ref, kLo, kHi));
    for (double order : observed_orders(err)) {
      note("BS time order " + to_string(c.m), order);
      EXPECT_GE(order, c.lo);
      EXPECT_LE(order, c.hi);
    }
  }
}

// Time order on the heat equation against exp(-lambda_h t) sin(pi x), the exact solution of the
// semi-discrete problem: the error is purely the time error, no reference run needed. Steps 40..320
// over t = 0.1 (lambda_h dt = 0.025 .. 0.003, asymptotic regime). Measured: implicit Euler 0.993,
// 0.996, 0.998 (approaching 1 from below as lambda_h dt shrinks); Crank-Nicolson 2.000, 2.000, 2.000.
// Windows [0.95, 1.05] and [1.95, 2.05]: the next term of the error expansion is relatively
// O(lambda_h dt) <= 2.5%, so these windows follow from the theory.
TEST(NumericsOrder, TimeOrderOnHeatAgainstTheSemiDiscreteSolution) {
  auto p = heat(100);
  const HostVector ref = heat_semi_discrete(*p, p->t_end());
  const std::vector<int> steps = {40, 80, 160, 320};
  for (auto m : {Integrator::ImplicitEuler, Integrator::CrankNicolson}) {
    const double target = m == Integrator::ImplicitEuler ? 1.0 : 2.0;
    std::vector<double> err;
    for (int n : steps) err.push_back(max_diff(solve(p, config(m, n, 0)), ref));
    for (double order : observed_orders(err)) {
      note("heat time order " + to_string(m), order);
      EXPECT_NEAR(order, target, 0.05);
    }
  }
}

// Space order of centred differences on the heat equation against the exact PDE solution, 20, 40,
// 80, 160 intervals. Crank-Nicolson with 2000 steps: time error ~7e-10, 1e-4 of the smallest space
// error (1.2e-5). The space error is exp(-lambda_h t) - exp(-lambda t) with lambda - lambda_h =
// lambda (pi h)^2 / 12 + O(h^4): the observed order deviates from 2 by O(h^2) ~ 0.3% at h = 1/20.
// Measured errors 7.6e-4, 1.9e-4, 4.7e-5, 1.2e-5; orders 2.000, 2.000, 2.001. Window [1.95, 2.05].
TEST(NumericsOrder, SpaceOrderOnHeat) {
  std::vector<double> err;
  for (int m : {20, 40, 80, 160}) {
    auto p = heat(m);
    err.push_back(max_diff(solve(p, config(Integrator::CrankNicolson, 2000, 0)), heat_exact(*p, p->t_end())));
    note("heat space error, intervals = " + std::to_string(m), err.back());
  }
  for (double order : observed_orders(err)) {
    note("heat space order", order);
    EXPECT_NEAR(order, 2.0, 0.05);
  }
}

namespace {

/// Stability function R(z) of each integrator.
double stability_function(Integrator m, double z) {
  switch (m) {
    case Integrator::ExplicitEuler:
      return 1 + z;
    case Integrator::RK4:
      return 1 + z + z * z / 2 + z * z * z / 6 + z * z * z * z / 24;
    case Integrator::ImplicitEuler:
      return 1 / (1 - z);
    case Integrator::CrankNicolson:
      return (1 + z / 2) / (1 - z / 2);
    case Integrator::AdiDouglas:
    case Integrator::AdiPeacemanRachford:
    case Integrator::AdiCraigSneyd:
    case Integrator::AdiModifiedCraigSneyd:
    case Integrator::AdiHundsdorferVerwer:
    case Integrator::LodImplicitEuler:
    case Integrator::Sdc:
      break;  // ADI needs a split problem: no stability function of one scalar z
  }
  return 0.0;
}

}  // namespace

// The sine mode is an eigenvector of the discrete operator (eigenvalue -lambda_h), so N steps of any
// of the four integrators give exactly R(-lambda_h dt)^N sin(pi x_i). This checks the whole
// propagator (operator, Dirichlet rows, stages, solver) on a problem with many unknowns against a
// closed form. Round-off: a row of dt L u is dt c (u_{i-1} - 2 u_i + u_{i+1}), c = 1/h^2 = 1e4, whose
// terms (4 dt c |u| in all) cancel to dt lambda_h u ~ 10 dt u, so one evaluation rounds by up to
// ~ 4 eps dt c |u|, and N steps add up to ~ 4 eps c t = 8.9e-13 at t = 0.1 (worst case, all of one
// sign; the propagators do not amplify it, |R| <= 1). RK4 evaluates 4 stages with weights summing to
// 1 and the implicit methods add a solve of the same size, so ~2e-12 at most. Tolerance 5e-12 (the
// solution is O(1)). Measured: 3.2e-14 (explicit Euler), 1.1e-13 (RK4), 9.0e-14 (implicit Euler),
// 5.2e-14 (Crank-Nicolson). A wrong stage weight or operator entry changes the amplitude by >= 1e-6
// (tried by hand: RK4 with one stage weight 2 -> 1 fails this test and the next).
TEST(NumericsHeat, DiscreteSolutionIsTheStabilityFunctionTimesTheSineMode) {
  auto p = heat(100);
  const double t = p->t_end(), lam_h = p->discrete_decay_rate();
  struct Case {
    Integrator m;
    int steps;
  };
  // Explicit steps respect the stability limit dt < h^2 / 2 = 5e-5 (explicit Euler) with room.
  for (const Case& c : {Case{Integrator::ExplicitEuler, 4000}, Case{Integrator::RK4, 4000},
                        Case{Integrator::ImplicitEuler, 400}, Case{Integrator::CrankNicolson, 200}}) {
    const double amplitude = std::pow(stability_function(c.m, -lam_h * (t / c.steps)), c.steps);
    HostVector ref("ref", p->size());
    for (std::size_t i = 0; i < p->size(); ++i) ref(i) = amplitude * std::sin(M_PI * p->grid()->x[i]);
    ref(0) = ref(p->size() - 1) = 0.0;
    const double err = max_diff(solve(p, config(c.m, c.steps, 0)), ref);
    note("heat vs R^N sin, " + to_string(c.m), err);
    EXPECT_LT(err, 5e-12) << to_string(c.m);
  }
}

// Against the exact PDE solution exp(-pi^2 t) sin(pi x): with a time error negligible (Crank-Nicolson
// 2000 steps: ~2e-7 of the space error; RK4 4000 steps: less), the error is the space error
//   exp(-lambda_h t) - exp(-lambda t) = exp(-lambda t) t lambda (pi h)^2 / 12 (1 + O((pi h)^2, (lambda - lambda_h) t)),
// written here from the Taylor expansion of lambda_h = (4/h^2) sin^2(pi h / 2), not from
// discrete_decay_rate(). The neglected relative terms are ~1e-4 at h = 1/100, so the measured error
// must equal the estimate to within 2% (window [0.98, 1.02]; a wrong operator scaling or a mode off
// by one changes it by far more). Measured ratio: 0.9998 (Crank-Nicolson), 1.0000 (RK4).
TEST(NumericsHeat, MatchesTheExactSineModeDecay) {
  auto p = heat(100);
  const double t = p->t_end(), lam = M_PI * M_PI, h = 1.0 / 100;
  const double estimate = std::exp(-lam * t) * t * lam * (M_PI * h) * (M_PI * h) / 12.0;
  const std::pair<Integrator, int> cases[] = {{Integrator::CrankNicolson, 2000}, {Integrator::RK4, 4000}};
  for (const auto& c : cases) {
    const double err = max_diff(solve(p, config(c.first, c.second, 0)), heat_exact(*p, t));
    note("heat vs exact PDE / leading-order space estimate, " + to_string(c.first), err / estimate);
    EXPECT_GT(err, 0.98 * estimate);
    EXPECT_LT(err, 1.02 * estimate);
  }
}

// ------------------------------------------------------------------------------------------------
// Dahlquist: one step is the stability function.
// ------------------------------------------------------------------------------------------------

namespace {

// z = lambda dt with dt = 0.1 spans [-10, 0.3]: stiff decay, |z| ~ 1 (where R of explicit Euler crosses
// 0), and growth; z = 1 (implicit Euler) and z = 2 (Crank-Nicolson) would make A singular.
const std::vector<double> kLambdas = {-100, -30, -10, -3, -1, -0.3, -0.1, -0.03, -0.01, 0.01, 0.1, 1, 3};

/// Stability function R(z) and a scale for its rounding error: sum of |terms| (numerator) over
/// |denominator|, the magnitude the floating-point evaluation works with.
struct Stability {
  double r, scale;
};

Stability stability(Integrator m, double z) {
  const double az = std::abs(z);
  switch (m) {
    case Integrator::ExplicitEuler:
      return {1 + z, 1 + az};
    case Integrator::RK4:
      return {1 + z + z * z / 2 + z * z * z / 6 + z * z * z * z / 24,
              1 + az + az * az / 2 + az * az * az / 6 + az * az * az * az / 24};
    case Integrator::ImplicitEuler:
      return {1 / (1 - z), 1 / std::abs(1 - z)};
    case Integrator::CrankNicolson:
      return {(1 + z / 2) / (1 - z / 2), (1 + az / 2) / std::abs(1 - z / 2)};
    case Integrator::AdiDouglas:
    case Integrator::AdiPeacemanRachford:
    case Integrator::AdiCraigSneyd:
    case Integrator::AdiModifiedCraigSneyd:
    case Integrator::AdiHundsdorferVerwer:
    case Integrator::LodImplicitEuler:
    case Integrator::Sdc:
      break;  // ADI needs a split problem: no stability function of one scalar z
  }
  return {0, 0};
}

/// y(t1) of the Dahlquist problem started from y0 at t0.
HostVector dahlquist(IntegratorConfig cfg, double t0, double t1, double y0 = 1.0) {
  auto p = std::make_shared<DahlquistProblem>(kLambdas, y0, 10.0);
  HostVector in("y0", kLambdas.size());
  Kokkos::deep_copy(in, y0);
  return solve(p, cfg, SpaceKind::Serial, t0, t1, in);
}

}  // namespace

// One step of each integrator from y0 = 1 is R(lambda dt). Rounding: each integrator does at most
// ~20 floating-point operations per step on numbers of the size of the terms of R, each rounding by
// eps/2 relative, so |computed - R| <= ~10 eps * scale = 2.2e-15 * scale. We allow 1e-14 * scale
// (45 eps). Measured max |y - R| / scale: 0 (explicit and implicit Euler), 0.99 eps (RK4), 1.0 eps
// (Crank-Nicolson). A wrong coefficient in any stage changes y by >= 1e-4 relative for the z here
// (tried by hand: RK4 with one stage weight 2 -> 1 fails).
TEST(NumericsDahlquist, OneStepIsTheStabilityFunction) {
  const double dt = 0.1;
  for (auto m : {Integrator::ExplicitEuler, Integrator::RK4, Integrator::ImplicitEuler, Integrator::CrankNicolson}) {
    const HostVector y = dahlquist(config(m, 1, 0), 0.0, dt);
    double worst = 0.0;
    for (std::size_t i = 0; i < kLambdas.size(); ++i) {
      const Stability s = stability(m, kLambdas[i] * dt);
      const double e = std::abs(y(i) - s.r) / s.scale;
      worst = std::max(worst, e);
      EXPECT_LE(e, 1e-14) << to_string(m) << " lambda = " << kLambdas[i] << ": y = " << y(i) << ", R = " << s.r;
    }
    note("Dahlquist one step " + to_string(m) + ", max |y - R| / scale (in eps)", worst / kEps);
  }
}

// Crank-Nicolson with Rannacher start-up, from t_start = 0: each pair of implicit-Euler half-steps
// replaces one CN step. steps = 1, half = 2: y = (1/(1 - z/2))^2. steps = 3, half = 4: y = (1/(1 -
// z/2))^4 R_CN(z). From t0 != t_start, no start-up: y = R_CN(z)^3. Tolerance as above, times the
// number of steps (errors of successive steps add at most linearly, relative to the product scale).
TEST(NumericsDahlquist, RannacherStartUpIsImplicitEulerHalfSteps) {
  const double dt = 0.1;
  auto ie_half = [](double z) { return 1.0 / (1.0 - z / 2); };
  auto cn = [](double z) { return (1 + z / 2) / (1 - z / 2); };
  auto cn_scale = [](double z) { return (1 + std::abs(z) / 2) / std::abs(1 - z / 2); };
  {
    const HostVector y = dahlquist(config(Integrator::CrankNicolson, 1, 2), 0.0, dt);
    for (std::size_t i = 0; i < kLambdas.size(); ++i) {
      const double z = kLambdas[i] * dt, r = std::pow(ie_half(z), 2);
      EXPECT_LE(std::abs(y(i) - r), 2e-14 * std::abs(r)) << "lambda = " << kLambdas[i];
    }
  }
  {
    const HostVector y = dahlquist(config(Integrator::CrankNicolson, 3, 4), 0.0, 3 * dt);
    for (std::size_t i = 0; i < kLambdas.size(); ++i) {
      const double z = kLambdas[i] * (3 * dt / 3), r = std::pow(ie_half(z), 4) * cn(z);
      const double scale = std::pow(std::abs(ie_half(z)), 4) * cn_scale(z);
      EXPECT_LE(std::abs(y(i) - r), 5e-14 * scale) << "lambda = " << kLambdas[i];
    }
  }
  {
    const double t0 = 0.5, t1 = 0.8;  // t0 != t_start: plain Crank-Nicolson
    const HostVector y = dahlquist(config(Integrator::CrankNicolson, 3, 4), t0, t1);
    for (std::size_t i = 0; i < kLambdas.size(); ++i) {
      const double z = kLambdas[i] * ((t1 - t0) / 3), r = std::pow(cn(z), 3);
      EXPECT_LE(std::abs(y(i) - r), 3e-14 * std::pow(cn_scale(z), 3)) << "lambda = " << kLambdas[i];
    }
  }
}

// ------------------------------------------------------------------------------------------------
// The partitioned tridiagonal solver against independent references.
// ------------------------------------------------------------------------------------------------

namespace {

/// Textbook Thomas algorithm (no pivoting; the systems here are diagonally dominant).
std::vector<double> thomas(const std::vector<double>& lo, const std::vector<double>& di, const std::vector<double>& up,
                           std::vector<double> r) {
  const std::size_t n = di.size();
  if (n == 0) return r;
  std::vector<double> cp(n);
  double piv = di[0];
  cp[0] = n > 1 ? up[0] / piv : 0.0;
  r[0] /= piv;
  for (std::size_t i = 1; i < n; ++i) {
    piv = di[i] - lo[i] * cp[i - 1];
    cp[i] = i + 1 < n ? up[i] / piv : 0.0;
    r[i] = (r[i] - lo[i] * r[i - 1]) / piv;
  }
  for (std::size_t i = n - 1; i-- > 0;) r[i] -= cp[i] * r[i + 1];
  return r;
}

/// Dense Gaussian elimination with partial pivoting (n small).
std::vector<double> dense_solve(const std::vector<double>& lo, const std::vector<double>& di,
                                const std::vector<double>& up, std::vector<double> b) {
  const int n = static_cast<int>(di.size());
  std::vector<double> a(static_cast<std::size_t>(n) * n, 0.0);
  auto at = [&](int i, int j) -> double& { return a[static_cast<std::size_t>(i) * n + j]; };
  for (int i = 0; i < n; ++i) {
    at(i, i) = di[i];
    if (i > 0) at(i, i - 1) = lo[i];
    if (i + 1 < n) at(i, i + 1) = up[i];
  }
  for (int k = 0; k < n; ++k) {
    int piv = k;
    for (int i = k + 1; i < n; ++i)
      if (std::abs(at(i, k)) > std::abs(at(piv, k))) piv = i;
    for (int j = 0; j < n; ++j) std::swap(at(k, j), at(piv, j));
    std::swap(b[k], b[piv]);
    for (int i = k + 1; i < n; ++i) {
      const double f = at(i, k) / at(k, k);
      for (int j = k; j < n; ++j) at(i, j) -= f * at(k, j);
      b[i] -= f * b[k];
    }
  }
  for (int i = n - 1; i >= 0; --i) {
    for (int j = i + 1; j < n; ++j) b[i] -= at(i, j) * b[j];
    b[i] /= at(i, i);
  }
  return b;
}

/// One theta step written from its definition: (I - theta dt L) x = (I + (1 - theta) dt L) u, rows of
/// prescribed values replaced by x = g. Keeps the system for error bounds.
struct ThetaReference {
  std::vector<double> x;           // the solution
  std::vector<double> lo, di, up;  // A = I - theta dt L (identity rows where prescribed)
  std::vector<double> abs_rhs;     // |B| |u| (+ |g| on prescribed rows): the size of the right-hand side's terms
};

ThetaReference reference_theta_step(const Tridiagonal& L, bool dirichlet, double theta, double dt,
                                    const std::vector<double>& u, double g0, double g1) {
  const std::size_t n = u.size();
  ThetaReference ref{{},
                     std::vector<double>(n, 0.0),
                     std::vector<double>(n, 1.0),
                     std::vector<double>(n, 0.0),
                     std::vector<double>(n, 0.0)};
  std::vector<double> r(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (dirichlet && (i == 0 || i + 1 == n)) {
      r[i] = i == 0 ? g0 : g1;
      ref.abs_rhs[i] = std::abs(r[i]);
      continue;
    }
    const double e = (1 - theta) * dt;
    double lu = L.diag[i] * u[i], abs_bu = std::abs(1 + e * L.diag[i]) * std::abs(u[i]);
    if (i > 0) {
      lu += L.lower[i] * u[i - 1];
      abs_bu += std::abs(e * L.lower[i] * u[i - 1]);
    }
    if (i + 1 < n) {
      lu += L.upper[i] * u[i + 1];
      abs_bu += std::abs(e * L.upper[i] * u[i + 1]);
    }
    r[i] = u[i] + e * lu;
    ref.abs_rhs[i] = abs_bu;
    if (i > 0) ref.lo[i] = -theta * dt * L.lower[i];
    ref.di[i] = 1 - theta * dt * L.diag[i];
    if (i + 1 < n) ref.up[i] = -theta * dt * L.upper[i];
  }
  if (n <= 64) {
    // Cross-check the two references against each other where the dense one is affordable. Both are
    // backward stable here (dominant rows), so they agree to a few eps relative.
    const auto t = thomas(ref.lo, ref.di, ref.up, r), d = dense_solve(ref.lo, ref.di, ref.up, r);
    double scale = 0.0, diff = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      scale = std::max(scale, std::abs(d[i]));
      diff = std::max(diff, std::abs(t[i] - d[i]));
    }
    EXPECT_LE(diff, 1e-14 * scale) << "the two references disagree, n = " << n;
    ref.x = d;
  } else {
    ref.x = thomas(ref.lo, ref.di, ref.up, r);
  }
  return ref;
}

/// A random operator whose implicit matrix is strictly diagonally dominant for every theta dt >= 0:
/// diag(L) <= -(|lower| + |upper|) - 5.
Tridiagonal random_operator(int n, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> off(-1.0, 1.0), extra(0.1, 2.0);
  Tridiagonal L{std::vector<double>(n, 0.0), std::vector<double>(n, 0.0), std::vector<double>(n, 0.0)};
  for (int i = 0; i < n; ++i) {
    if (i > 0) L.lower[i] = off(rng) * 50.0;
    if (i + 1 < n) L.upper[i] = off(rng) * 50.0;
    L.diag[i] = -(std::abs(L.lower[i]) + std::abs(L.upper[i])) - extra(rng) * 50.0;
  }
  return L;
}

/// One step of the library's ThetaStepSolver with `blocks` on `space`.
std::vector<double> library_theta_step(SpaceKind space, const Tridiagonal& L, bool dirichlet, double theta, double dt,
                                       int blocks, const std::vector<double>& u0, double g0, double g1,
                                       int* blocks_used = nullptr) {
  return with_space(space, [&](auto exec) {
    using Exec = decltype(exec);
    ThetaStepSolver<Exec> solver(exec, L, dirichlet, theta, dt, blocks);
    if (blocks_used) *blocks_used = solver.blocks();
    typename ThetaStepSolver<Exec>::Vector u("u", u0.size()), work("work", u0.size());
    auto h = Kokkos::create_mirror_view(u);
    for (std::size_t i = 0; i < u0.size(); ++i) h(i) = u0[i];
    Kokkos::deep_copy(u, h);
    solver.step(u, work, g0, g1);
    exec.fence();
    Kokkos::deep_copy(h, u);
    return std::vector<double>(h.data(), h.data() + u0.size());
  });
}

double rel_max_diff(const std::vector<double>& a, const std::vector<double>& b) {
  double scale = 0.0, diff = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    scale = std::max(scale, std::abs(b[i]));
    diff = std::max(diff, std::abs(a[i] - b[i]));
  }
  return diff / scale;
}

}  // namespace

class PartitionSolver : public test::SpaceTest {};

// Random operators with off-diagonals in [-50, 50] and diagonal -(|lower| + |upper|) - [5, 100], so A =
// I - theta dt L (dt = 0.01) is strictly diagonally dominant by a margin >= 1: ||A^{-1}||_inf <= 1,
// ||A||_inf <= 5, cond_inf(A) <= 5, and |B||u| <= 5 |u|. Elimination without pivoting is backward
// stable on such matrices (no growth), the separator system of the partition method is a Schur
// complement of a dominant matrix and so dominant too. The library and the references then differ by
// at most ~ (a few tens of eps) x cond <= ~1e-14 relative. Tolerance 1e-13 relative (max norm).
// Measured: 4.7e-16. A wrong coupling vector, separator row or twist row gives O(1) differences.
// Sizes: tiny (n = 1, 2, 3, 5: one row per block and separators next to the ends), odd and even,
// more blocks asked for than rows allow (the solver then uses (n + 1) / 2, checked).
TEST_P(PartitionSolver, MatchesThomasAndDenseOnRandomDominantSystems) {
  std::mt19937_64 rng(20240611);
  std::uniform_real_distribution<double> val(-1.0, 1.0);
  double worst = 0.0;
  for (int n : {1, 2, 3, 5, 8, 17, 64, 257, 1000, 1001}) {
    const Tridiagonal L = random_operator(n, rng);
    std::vector<double> u(n);
    for (double& x : u) x = val(rng);
    for (bool dirichlet : {false, true}) {
      if (dirichlet && n < 2) continue;
      for (double theta : {0.5, 1.0}) {
        const double dt = 0.01, g0 = 0.7, g1 = -1.3;
        const auto ref = reference_theta_step(L, dirichlet, theta, dt, u, g0, g1);
        for (int blocks : {1, 2, 3, 7, 16}) {
          int used = 0;
          const auto got = library_theta_step(GetParam(), L, dirichlet, theta, dt, blocks, u, g0, g1, &used);
          const double e = rel_max_diff(got, ref.x);
          worst = std::max(worst, e);
          EXPECT_LE(e, 1e-13) << "n = " << n << ", blocks = " << blocks << " (used " << used
                              << "), dirichlet = " << dirichlet << ", theta = " << theta;
          EXPECT_EQ(used, std::min(blocks, (n + 1) / 2)) << "n = " << n;
        }
      }
    }
  }
  note("partition vs reference, random systems, max relative difference", worst);
}

// The Black-Scholes step (n = 5001, dt = 1e-3, from the payoff, exact-discount Dirichlet values), for
// Crank-Nicolson and the implicit-Euler half-step. Here the entries of A and B reach ~2e3 at S_max
// (theta dt sigma^2 i^2), so the plain relative difference is not the right yardstick: it is 4.2e-14
// (near S_max), not because of the partition (blocks = 1 shows the same) but because both
// computations round terms of size |A||x| and |B||u| ~ 1e7 near S_max. The componentwise bound is
// computable exactly here because A is an M-matrix (off-diagonals <= 0, strictly dominant; asserted),
// so A^{-1} >= 0 and |A^{-1}| v = A^{-1} v:
//   |x_lib - x_ref| <= c eps A^{-1} (|A| |x| + |B| |u|),
// with c ~ 2 x (3 for the 3-term rhs + ~4 for the LU solve, whose |L||U| = |A| for an M-matrix),
// plus a few for the partition's separator solve and correction: c = 20 allowed. Measured: c = 0.36.
// A lost separator or wrong coupling gives differences ~ |x| ~ 1e2..1e3 times bigger than the bound.
TEST_P(PartitionSolver, MatchesThomasOnBlackScholes) {
  auto p = black_scholes(OptionType::Call);
  const Tridiagonal L = p->spatial_operator();
  const HostVector payoff = initial_values(*p);
  const std::vector<double> u(payoff.data(), payoff.data() + payoff.extent(0));
  double worst = 0.0, worst_rel = 0.0;
  for (double theta : {0.5, 1.0}) {
    const double dt = 1e-3;
    const auto g = p->boundary_values(dt);
    const auto ref = reference_theta_step(L, true, theta, dt, u, g[0], g[1]);
    const std::size_t n = u.size();
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_TRUE(ref.lo[i] <= 0 && ref.up[i] <= 0 && ref.di[i] > std::abs(ref.lo[i]) + std::abs(ref.up[i]))
          << "A is not an M-matrix at row " << i << ": the bound below would not hold";
      v[i] = std::abs(ref.di[i] * ref.x[i]) + ref.abs_rhs[i];
      if (i > 0) v[i] += std::abs(ref.lo[i] * ref.x[i - 1]);
      if (i + 1 < n) v[i] += std::abs(ref.up[i] * ref.x[i + 1]);
    }
    const std::vector<double> bound = thomas(ref.lo, ref.di, ref.up, v);  // A^{-1} (|A||x| + |B||u|)
    for (int blocks : {1, 2, 3, 7, 16}) {
      const auto got = library_theta_step(GetParam(), L, true, theta, dt, blocks, u, g[0], g[1]);
      double c = 0.0;
      for (std::size_t i = 0; i < n; ++i) c = std::max(c, std::abs(got[i] - ref.x[i]) / (kEps * bound[i]));
      worst = std::max(worst, c);
      worst_rel = std::max(worst_rel, rel_max_diff(got, ref.x));
      EXPECT_LE(c, 20.0) << "blocks = " << blocks << ", theta = " << theta;
    }
  }
  note("partition vs Thomas, Black-Scholes, max |difference| / (eps A^-1 (|A||x| + |B||u|))", worst);
  note("partition vs Thomas, Black-Scholes, max relative difference", worst_rel);
}

PINT_INSTANTIATE_FOR_ALL_SPACES(PartitionSolver);

// ------------------------------------------------------------------------------------------------
// Every model gives the same numbers on every space.
// ------------------------------------------------------------------------------------------------

namespace {

struct ModelCase {
  std::string name;
  std::shared_ptr<const Problem> problem;
  IntegratorConfig cfg;
  double t0, t1;
};

std::vector<ModelCase> model_cases() {
  std::vector<ModelCase> cases;
  auto bs_call = black_scholes(OptionType::Call);  // n = 5001: several blocks on OpenMP
  auto bs_put = black_scholes(OptionType::Put);
  auto bs_small = black_scholes(OptionType::Call, 2.0, 400.0);  // n = 201 for the explicit methods
  auto h = heat(1000);                                          // n = 1001
  auto h_small = heat(100);
  std::vector<double> lambdas;
  for (int i = 0; i < 1000; ++i) lambdas.push_back(-100.0 * std::pow(10.0, -4.0 * i / 999.0));  // -100 .. -0.01
  auto dq = std::make_shared<DahlquistProblem>(lambdas, 1.0, 1.0);
  using I = Integrator;
  cases.push_back({"bs call cn", bs_call, config(I::CrankNicolson, 200, 4), 0.0, 1.0});
  cases.push_back({"bs put ie", bs_put, config(I::ImplicitEuler, 200), 0.0, 1.0});
  // Explicit: stable for dt < 2 / (sigma^2 i^2) = 3e-4 at i = 200; dt = 5e-5.
  cases.push_back({"bs ee", bs_small, config(I::ExplicitEuler, 200), 0.0, 0.01});
  cases.push_back({"bs rk4", bs_small, config(I::RK4, 200), 0.0, 0.01});
  cases.push_back({"heat cn", h, config(I::CrankNicolson, 100, 4), 0.0, 0.1});
  cases.push_back({"heat ie", h, config(I::ImplicitEuler, 100), 0.0, 0.1});
  cases.push_back({"heat ee", h_small, config(I::ExplicitEuler, 400), 0.0, 0.01});  // dt = 2.5e-5 < h^2/2
  cases.push_back({"heat rk4", h_small, config(I::RK4, 400), 0.0, 0.01});
  cases.push_back({"dahlquist cn", dq, config(I::CrankNicolson, 50, 4), 0.0, 1.0});
  cases.push_back({"dahlquist ie", dq, config(I::ImplicitEuler, 50), 0.0, 1.0});
  cases.push_back({"dahlquist ee", dq, config(I::ExplicitEuler, 100), 0.0, 0.01});
  cases.push_back({"dahlquist rk4", dq, config(I::RK4, 100), 0.0, 0.1});
  // A slice that does not start at t_start (no Rannacher start-up), from a non-trivial state.
  cases.push_back({"bs put cn later slice", bs_put, config(I::CrankNicolson, 50, 4), 0.25, 0.5});
  return cases;
}

}  // namespace

class EverySpace : public test::SpaceTest {};

namespace {
double max_row_sum(const Tridiagonal& L) {
  double m = 0.0;
  for (std::size_t i = 0; i < L.size(); ++i)
    m = std::max(m, std::abs(L.lower[i]) + std::abs(L.diag[i]) + std::abs(L.upper[i]));
  return m;
}
}  // namespace

// Serial solves each tridiagonal system as one block; OpenMP with 2 threads splits n >= 256 rows into
// 2 blocks (partition method), so the two differ by round-off. One step's difference is bounded as in
// the PartitionSolver tests by 20 eps A^{-1}(|A||x| + |B||u|), and with ||A^{-1}||_inf <= 1 (the
// implicit matrices here are dominant by a margin >= 1) that is <= 40 eps (1 + dt ||L||_inf) max|u|.
// The schemes do not amplify (|R| <= 1), so after N steps the difference is at most
//   tol = 40 eps N (1 + dt ||L||_inf)   relative to max|u| over the slice (input and output).
// A flat ~1e-12 would be right only for non-stiff steps: the heat case below (n = 1001, dt ||L||_inf
// = 4e3; Crank-Nicolson barely damps the high-frequency round-off) differs by 1.1e-12 relative.
// Measured on this machine (OpenMP, 2 threads, vs Serial): 1.1e-12 heat CN, 7.3e-13 heat IE, 2.7e-13
// Black-Scholes call CN, ~1e-24 the put (values ~0 where the entries are large), 1.2e-15 Dahlquist
// CN (separator rows scale their right-hand side after summing it); 0 (bitwise equal) for explicit
// Euler and RK4 (element-wise operations in the same order on every host space). A real
// disagreement (a block boundary off by one, a lost separator) is O(1e-3) or more relative. The
// Serial instance compares Serial with a second Serial run: it must be bitwise deterministic.
TEST_P(EverySpace, SameNumbersAsSerial) {
  const SpaceKind space = GetParam();
  for (const ModelCase& c : model_cases()) {
    HostVector in("in", c.problem->size());
    if (c.t0 == c.problem->t_start()) {
      c.problem->initial_condition(in);
    } else {  // state at t0 from a Serial run
      in = solve(c.problem, c.cfg, SpaceKind::Serial, c.problem->t_start(), c.t0, initial_values(*c.problem));
    }
    const HostVector serial = solve(c.problem, c.cfg, SpaceKind::Serial, c.t0, c.t1, in);
    const HostVector here = solve(c.problem, c.cfg, space, c.t0, c.t1, in);
    const double scale = std::max(max_abs(in), max_abs(serial));
    ASSERT_TRUE(std::isfinite(scale) && scale > 0) << c.name << ": the Serial run is not a usable reference";
    const double dt = (c.t1 - c.t0) / c.cfg.steps;
    const double tol = space == SpaceKind::Serial
                           ? 0.0
                           : 40 * kEps * c.cfg.steps * (1 + dt * max_row_sum(c.problem->spatial_operator()));
    const double e = max_diff(here, serial) / scale;
    std::printf("[ measured ] %s on %s vs serial: relative difference %.2e (allowed %.2e)\n", c.name.c_str(),
                to_string(space).c_str(), e, tol);
    EXPECT_LE(e, tol) << c.name << " on " << to_string(space);
  }
}

PINT_INSTANTIATE_FOR_ALL_SPACES(EverySpace);

// ------------------------------------------------------------------------------------------------
// No allocation on the hot path.
// ------------------------------------------------------------------------------------------------

namespace {

std::atomic<int> g_allocations{0};

void count_allocation(const Kokkos_Profiling_SpaceHandle, const char*, const void*, const uint64_t) {
  ++g_allocations;
}

/// Counts Kokkos allocations while alive; removes the hook again on destruction (also on failure).
class AllocationCounter {
 public:
  AllocationCounter() {
    g_allocations = 0;
    Kokkos::Tools::Experimental::set_allocate_data_callback(count_allocation);
  }
  ~AllocationCounter() { Kokkos::Tools::Experimental::set_allocate_data_callback(nullptr); }
  int count() const { return g_allocations.load(); }
};

}  // namespace

class NoAllocation : public test::SpaceTest {};

// The first call may allocate (factorisations); calls after it, of the same slice length, must not.
// The counter is first shown to work: a View made inside the counting window is counted.
TEST_P(NoAllocation, SecondAndLaterPropagateCallsAllocateNothing) {
  const SpaceKind space = GetParam();
  {
    AllocationCounter probe;
    HostVector v("probe", 10);
    ASSERT_EQ(probe.count(), 1) << "the allocation hook does not see Kokkos allocations";
  }
  auto bs = black_scholes(OptionType::Call);
  auto h = heat(100);
  struct Case {
    std::shared_ptr<const Problem> p;
    IntegratorConfig cfg;
    double t_slice;
  };
  using I = Integrator;
  for (const Case& c : {Case{bs, config(I::CrankNicolson, 20, 4), 0.25}, Case{bs, config(I::ImplicitEuler, 20), 0.25},
                        Case{h, config(I::ExplicitEuler, 20), 0.0005}, Case{h, config(I::RK4, 20), 0.0005}}) {
    auto prop = make_propagator(c.p, c.cfg, space);
    HostVector u = initial_values(*c.p), out("out", c.p->size());
    prop->propagate(u, 0.0, c.t_slice, out);  // first call: may factorise
    AllocationCounter counter;
    prop->propagate(u, 0.0, c.t_slice, out);            // again from t_start (Rannacher half-steps reuse theirs)
    prop->propagate(out, c.t_slice, 2 * c.t_slice, u);  // later slices of the same length
    prop->propagate(u, 2 * c.t_slice, 3 * c.t_slice, out);
    EXPECT_EQ(counter.count(), 0) << prop->name() << " allocated on a repeated propagate() call";
  }
}

PINT_INSTANTIATE_FOR_ALL_SPACES(NoAllocation);

// A parareal run cuts [0, T] into slices at t_k = k T / P, which are not exact binary fractions: the
// computed slice lengths differ by an ulp or two, and ThetaPropagator keys its factorisations on the
// exact dt (so that a slice gives the same bits whichever slice came first, on any rank). So the first
// sweep over the slices factorises once per DISTINCT dt value, counted here independently, and the
// next sweeps (parareal iterations) allocate nothing.
TEST_P(NoAllocation, LaterSweepsOverTheSameSlicesAllocateNothing) {
  auto bs = black_scholes(OptionType::Call);
  const int slices = 10, steps = 5;
  const double T = bs->t_end();
  std::vector<double> dts;
  for (int k = 0; k < slices; ++k) {
    const double dt = ((k + 1) * T / slices - k * T / slices) / steps;
    if (std::find(dts.begin(), dts.end(), dt) == dts.end()) dts.push_back(dt);
  }
  ASSERT_GT(dts.size(), 1u) << "the slice lengths all round alike; the test would not test anything";
  with_space(GetParam(), [&](auto exec) {
    using Exec = decltype(exec);
    for (auto m : {Integrator::CrankNicolson, Integrator::ImplicitEuler}) {
      ThetaPropagator<Exec> prop(bs, config(m, steps, 0), exec);
      HostVector u = initial_values(*bs), out("out", bs->size());
      auto sweep = [&] {
        for (int k = 0; k < slices; ++k) {
          prop.propagate(u, k * T / slices, (k + 1) * T / slices, out);
          std::swap(u, out);
        }
      };
      sweep();  // first sweep: factorises each distinct dt once
      EXPECT_EQ(prop.factorisations(), dts.size()) << prop.name();
      AllocationCounter counter;
      sweep();
      sweep();
      EXPECT_EQ(counter.count(), 0) << prop.name() << " allocated in a later sweep over the same slices";
    }
  });
}

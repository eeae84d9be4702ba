// Peer benchmark (issue 18, item 6): European options on two correlated assets, priced by QuantLib's 2-D
// finite-difference engine (Fd2dBlackScholesVanillaEngine) and by pint's 2-D Black-Scholes ADI solver
// (models/black_scholes_2d.hpp) side by side in this one process, one thread each. Market: S1 = S2 = 100,
// sigma1 = sigma2 = 0.3, rho = 0.5, r = 0.05, no dividends, T = 1. Cases: call on the maximum (K = 100, the
// issue's default), call on the minimum (K = 100), exchange max(S1 - S2, 0); every price is compared with its
// closed form (Stulz / Margrabe, models/two_asset_formulas.hpp). QuantLib's own closed forms (StulzEngine,
// AnalyticEuropeanMargrabeEngine, and the 1-D AnalyticEuropeanEngine against pint::black_scholes_price) are
// checked against pint's first, so that a mismatch in the set-up (dates, conventions) cannot hide in the errors.
//
// What each engine does per price:
//  - QuantLib builds a log-spot mesh per asset (FdmBlackScholesMesher: +-1.5 x the 1e-4 quantile of the
//    terminal distribution, concentrated at the spot with density 0.1), starts from the payoff's point values,
//    rolls back with the chosen ADI scheme (no damping steps: the engine's default) and reads the price by a
//    bicubic spline at the spot. xGrid, yGrid count nodes.
//  - pint builds its sinh mesh in S on [0, 800]^2 concentrated at the spot (density 0.2, a node on the spot),
//    starts from the payoff's cell averages, takes 4 Rannacher half-steps (Douglas, theta = 1) inside the step
//    count, and reads the price at the node. n1, n2 count intervals: n intervals = n + 1 nodes, the same as
//    QuantLib's xGrid = n + 1.
// A time per solve is the whole pricing for both: mesh, initial values, solve, read-out (pint's time for the
// propagation alone is reported too).
//
// Sections: (1) equal grids: the same nodes per axis (65, 129) and 64 time steps for both, every case and scheme;
// (2) equal accuracy at the spot: per engine and scheme, the cheapest grid of a refinement ladder (n = 32, 48,
// ..., 512 intervals, n / 2 time steps) whose relative error at the spot is <= 1e-3 and <= 1e-4 and stays so on
// the next rung, and the ratio QuantLib time / pint time (every scheme on the max-call; Hundsdorfer-Verwer and
// modified Craig-Sneyd on the other cases unless --all-ladders); (3) the line-solve kernel: pint's operator
// kernels (reached through the problem's operator on the serial space) and its whole Hundsdorfer-Verwer step, in
// ns per grid point, next to plain sequential Thomas loops on the same matrices.
//
// Timing: std::chrono::steady_clock, one warm-up, then the minimum and the median over --repeats runs; a
// configuration whose first run takes longer than --slow-seconds is timed by that run alone, and a ladder rung
// that only confirms the one below it is run once (the JSON has the number of timed runs of every figure).
// About 100 s on one core of this 2-core machine with the defaults.
//
// Usage: pint_bench_bs2d [--repeats N] [--max-n N] [--slow-seconds S] [--all-ladders] [--json FILE]
//        (Markdown on stdout, progress on stderr)
#include <Kokkos_Core.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <functional>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <ql/exercise.hpp>
#include <ql/experimental/exoticoptions/analyticeuropeanmargrabeengine.hpp>
#include <ql/experimental/exoticoptions/margrabeoption.hpp>
#include <ql/instruments/basketoption.hpp>
#include <ql/instruments/payoffs.hpp>
#include <ql/instruments/vanillaoption.hpp>
#include <ql/methods/finitedifferences/meshers/fdmblackscholesmesher.hpp>
#include <ql/methods/finitedifferences/solvers/fdmbackwardsolver.hpp>
#include <ql/pricingengines/basket/fd2dblackscholesvanillaengine.hpp>
#include <ql/pricingengines/basket/stulzengine.hpp>
#include <ql/pricingengines/vanilla/analyticeuropeanengine.hpp>
#include <ql/processes/blackscholesprocess.hpp>
#include <ql/quotes/simplequote.hpp>
#include <ql/settings.hpp>
#include <ql/termstructures/volatility/equityfx/blackconstantvol.hpp>
#include <ql/termstructures/yield/flatforward.hpp>
#include <ql/time/calendars/nullcalendar.hpp>
#include <ql/time/daycounters/actual365fixed.hpp>
#include <ql/version.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/problem_operator.hpp"
#include "models/black_scholes_2d.hpp"
#include "models/black_scholes_formula.hpp"
#include "models/integrator.hpp"
#include "models/make_propagator.hpp"
#include "models/two_asset_formulas.hpp"
#include "spaces/runtime.hpp"

namespace {

namespace ql = QuantLib;
// QuantLib's smart pointers (ql::ext::shared_ptr) are boost's in Debian's build, not std's.
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// ---------------------------------------------------------------------------------------------------------------
// The problem

/// The market (the default of pint's black-scholes-2d problem).
const pint::TwoAssetMarket kMarket{100.0, 100.0, 0.3, 0.3, 0.5, 0.05, 0.0, 0.0, 1.0};
// pint's far edges and mesh: the problem's defaults.
constexpr double kSMax = 800.0, kPintDensity = 0.2;
constexpr int kRannacherHalfSteps = 4;    // pint's default start-up
constexpr int kQuantLibDampingSteps = 0;  // the engine's default
// The closed forms of QuantLib and pint evaluate the same formulas with different normal (and bivariate normal)
// CDFs: far below any discretisation error here, but not round-off for the bivariate ones.
constexpr double kAnalytic1dTolerance = 1e-9, kAnalytic2dTolerance = 1e-6;

struct Case {
  std::string key, label;
  pint::TwoAssetPayoff payoff;
  double strike = 0.0;
  double closed_form = 0.0;
};

std::vector<Case> make_cases() {
  std::vector<Case> c = {
      {"max-call", "call on max(S1, S2), K = 100", pint::TwoAssetPayoff::MaxCall, 100.0, 0.0},
      {"min-call", "call on min(S1, S2), K = 100", pint::TwoAssetPayoff::MinCall, 100.0, 0.0},
      {"exchange", "exchange max(S1 - S2, 0)", pint::TwoAssetPayoff::Exchange, 0.0, 0.0},
  };
  c[0].closed_form = pint::stulz_max_call_price(kMarket, c[0].strike);
  c[1].closed_form = pint::stulz_min_call_price(kMarket, c[1].strike);
  c[2].closed_form = pint::margrabe_exchange_price(kMarket);
  return c;
}

/// The four ADI schemes both engines have, with the same theta and mu (In 't Hout and Foulon's defaults).
struct Scheme {
  std::string name;
  pint::Integrator pint;
  ql::FdmSchemeDesc (*quantlib)();
};

const std::vector<Scheme>& schemes() {
  static const std::vector<Scheme> s = {
      {"Douglas", pint::Integrator::AdiDouglas, &ql::FdmSchemeDesc::Douglas},
      {"Craig-Sneyd", pint::Integrator::AdiCraigSneyd, &ql::FdmSchemeDesc::CraigSneyd},
      {"modified Craig-Sneyd", pint::Integrator::AdiModifiedCraigSneyd, &ql::FdmSchemeDesc::ModifiedCraigSneyd},
      {"Hundsdorfer-Verwer", pint::Integrator::AdiHundsdorferVerwer, &ql::FdmSchemeDesc::Hundsdorfer},
  };
  return s;
}

// ---------------------------------------------------------------------------------------------------------------
// Timing

struct Timing {
  double min_s = 0.0, median_s = 0.0;
  int runs = 0;  // timed runs after the warm-up
};

Timing summarise(std::vector<double> t) {
  std::sort(t.begin(), t.end());
  const std::size_t n = t.size();
  return {t.front(), n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]), static_cast<int>(n)};
}

struct Measured {
  double price = 0.0;
  Timing total;  // the whole pricing
  Timing solve;  // pint: the propagation alone (runs = 0 where not measured)
};

/// run(solve_seconds) prices once and returns the price; it may set solve_seconds to the time of its solve
/// alone. One warm-up, then `repeats` timed runs; a first run longer than slow_s is the only timing (its
/// warm-up effects are a small part of it), so is the first run when repeats is 0.
template <class Run>
Measured measure(int repeats, double slow_s, Run&& run) {
  Measured m;
  double solve = -1.0;
  const auto w0 = Clock::now();
  m.price = run(solve);  // warm-up: page faults, caches, lazy initialisations
  const double first = seconds_since(w0);
  if (first > slow_s || repeats == 0) {
    m.total = {first, first, 1};
    if (solve >= 0.0) m.solve = {solve, solve, 1};
    return m;
  }
  std::vector<double> total, solve_only;
  for (int r = 0; r < repeats; ++r) {
    solve = -1.0;
    const auto t0 = Clock::now();
    const double p = run(solve);
    total.push_back(seconds_since(t0));
    if (solve >= 0.0) solve_only.push_back(solve);
    if (p != m.price) throw std::runtime_error("a repeated solve gave a different price");
  }
  m.total = summarise(total);
  if (!solve_only.empty()) m.solve = summarise(solve_only);
  return m;
}

// ---------------------------------------------------------------------------------------------------------------
// QuantLib

/// The market as QuantLib objects: flat continuously compounded curves and flat volatilities, Actual/365 Fixed,
/// maturity 365 days after a fixed evaluation date, so that QuantLib's time to maturity is exactly T = 1
/// (checked: Actual/365 Fixed counts days / 365 and ignores leap years).
class QuantLibMarket {
 public:
  QuantLibMarket() {
    if (kMarket.tau != 1.0) throw std::logic_error("the QuantLib set-up maps T to 365 days: it needs T = 1");
    const ql::Date today(3, ql::January, 2023);
    ql::Settings::instance().evaluationDate() = today;
    expiry_ = today + 365;
    p1_ = process(today, kMarket.s1, kMarket.q1, kMarket.sigma1);
    p2_ = process(today, kMarket.s2, kMarket.q2, kMarket.sigma2);
    for (const auto& p : {p1_, p2_}) {
      const double T = p->time(expiry_);
      if (std::abs(T - kMarket.tau) > 1e-14)
        throw std::runtime_error("QuantLib's time to maturity is " + std::to_string(T) + ", expected 1");
    }
    exercise_ = ql::ext::make_shared<ql::EuropeanExercise>(expiry_);
  }

  /// The basket option of a case (a new instrument: nothing cached between engines).
  ql::ext::shared_ptr<ql::BasketOption> option(const Case& c) const {
    const auto call = ql::ext::make_shared<ql::PlainVanillaPayoff>(ql::Option::Call, c.strike);
    ql::ext::shared_ptr<ql::BasketPayoff> payoff;
    switch (c.payoff) {
      case pint::TwoAssetPayoff::MaxCall:
        payoff = ql::ext::make_shared<ql::MaxBasketPayoff>(call);
        break;
      case pint::TwoAssetPayoff::MinCall:
        payoff = ql::ext::make_shared<ql::MinBasketPayoff>(call);
        break;
      case pint::TwoAssetPayoff::Exchange:  // S1 - S2 through a call struck at 0: max(S1 - S2, 0)
        payoff = ql::ext::make_shared<ql::SpreadBasketPayoff>(
            ql::ext::make_shared<ql::PlainVanillaPayoff>(ql::Option::Call, 0.0));
        break;
      default:
        throw std::logic_error("no QuantLib payoff for case " + c.key);
    }
    return ql::ext::make_shared<ql::BasketOption>(payoff, exercise_);
  }

  /// The FD engine's price of a case: `nodes` per axis, t_grid steps. Each call is one full solve.
  double fd_price(const Case& c, const Scheme& s, int nodes, int t_grid) const {
    auto opt = option(c);
    opt->setPricingEngine(ql::ext::make_shared<ql::Fd2dBlackScholesVanillaEngine>(
        p1_, p2_, kMarket.rho, nodes, nodes, t_grid, kQuantLibDampingSteps, s.quantlib()));
    return opt->NPV();
  }

  /// The S range and the node spacing at the spot of the engine's mesh for asset 1 (built as the engine
  /// builds it: FdmBlackScholesMesher(size, process, T, strike = spot, no constraints, eps 1e-4, scale 1.5,
  /// concentrated at the spot with density 0.1)).
  nlohmann::json mesh_info(int nodes) const {
    const ql::FdmBlackScholesMesher m(nodes, p1_, kMarket.tau, kMarket.s1, ql::Null<ql::Real>(), ql::Null<ql::Real>(),
                                      0.0001, 1.5, std::make_pair(kMarket.s1, 0.1));
    const std::vector<ql::Real>& x = m.locations();
    const double spot = std::log(kMarket.s1);
    std::size_t k = 0;
    while (k + 2 < x.size() && x[k + 1] < spot) ++k;
    double nearest = std::numeric_limits<double>::infinity();
    for (double v : x) nearest = std::min(nearest, std::abs(v - spot));
    return {{"nodes", nodes},
            {"s_min", std::exp(x.front())},
            {"s_max", std::exp(x.back())},
            {"ds_at_spot", std::exp(x[k + 1]) - std::exp(x[k])},
            {"spot_offset_from_nearest_node_in_log_s", nearest}};
  }

  double analytic_1d_call(double strike) const {
    ql::VanillaOption opt(ql::ext::make_shared<ql::PlainVanillaPayoff>(ql::Option::Call, strike), exercise_);
    opt.setPricingEngine(ql::ext::make_shared<ql::AnalyticEuropeanEngine>(p1_));
    return opt.NPV();
  }

  /// QuantLib's closed form of a case: StulzEngine (max / min call), AnalyticEuropeanMargrabeEngine (exchange).
  double analytic_2d(const Case& c) const {
    if (c.payoff == pint::TwoAssetPayoff::Exchange) {
      ql::MargrabeOption opt(1, 1, exercise_);
      opt.setPricingEngine(ql::ext::make_shared<ql::AnalyticEuropeanMargrabeEngine>(p1_, p2_, kMarket.rho));
      return opt.NPV();
    }
    auto opt = option(c);
    opt->setPricingEngine(ql::ext::make_shared<ql::StulzEngine>(p1_, p2_, kMarket.rho));
    return opt->NPV();
  }

 private:
  static ql::ext::shared_ptr<ql::GeneralizedBlackScholesProcess> process(const ql::Date& today, double spot, double q,
                                                                         double sigma) {
    const ql::Actual365Fixed dc;
    const ql::Handle<ql::Quote> s(ql::ext::make_shared<ql::SimpleQuote>(spot));
    const ql::Handle<ql::YieldTermStructure> rate(ql::ext::make_shared<ql::FlatForward>(today, kMarket.r, dc));
    const ql::Handle<ql::YieldTermStructure> div(ql::ext::make_shared<ql::FlatForward>(today, q, dc));
    const ql::Handle<ql::BlackVolTermStructure> vol(
        ql::ext::make_shared<ql::BlackConstantVol>(today, ql::NullCalendar(), sigma, dc));
    // The discretisation given explicitly (QuantLib's default): see bench_quantlib.cpp (hipcc).
    return ql::ext::make_shared<ql::BlackScholesMertonProcess>(
        s, div, rate, vol,
        ql::ext::shared_ptr<ql::StochasticProcess1D::discretization>(ql::ext::make_shared<ql::EulerDiscretization>()));
  }

  ql::Date expiry_;
  ql::ext::shared_ptr<ql::GeneralizedBlackScholesProcess> p1_, p2_;
  ql::ext::shared_ptr<ql::Exercise> exercise_;
};

// ---------------------------------------------------------------------------------------------------------------
// pint

pint::BlackScholes2dParams pint_params(const Case& c, int n) {
  pint::BlackScholes2dParams p;
  p.contract.payoff = c.payoff;
  p.contract.strike = c.strike;
  p.spot1 = kMarket.s1;
  p.spot2 = kMarket.s2;
  p.sigma1 = kMarket.sigma1;
  p.sigma2 = kMarket.sigma2;
  p.rho = kMarket.rho;
  p.rate = kMarket.r;
  p.q1 = kMarket.q1;
  p.q2 = kMarket.q2;
  p.maturity = kMarket.tau;
  p.n1 = p.n2 = n;
  p.s1_max = p.s2_max = kSMax;
  p.concentrated = true;
  p.density = kPintDensity;
  return p;
}

/// pint's mesh along S1 with n intervals: its range and the spacing at the spot (a node).
nlohmann::json pint_mesh_info(int n) {
  const pint::BlackScholes2dProblem probe(pint_params(Case{"", "", pint::TwoAssetPayoff::MaxCall, 100.0, 0.0}, n));
  const std::vector<double>& x = probe.grid()->x;
  std::size_t k = 0;
  while (k + 2 < x.size() && x[k] < kMarket.s1 * (1 - 1e-12)) ++k;
  return {{"nodes", n + 1}, {"s_min", x.front()}, {"s_max", x.back()}, {"ds_at_spot", x[k + 1] - x[k]}};
}

/// One whole pricing on the serial space: problem (mesh), initial state (cell averages), propagator, the
/// propagation (timed alone into solve_s), the value at the spot.
double pint_price(const Case& c, const Scheme& s, int n, int steps, double& solve_s) {
  const pint::BlackScholes2dParams p = pint_params(c, n);
  auto problem = std::make_shared<const pint::BlackScholes2dProblem>(p);
  auto prop = pint::make_propagator(problem, pint::IntegratorConfig{s.pint, steps, kRannacherHalfSteps},
                                    pint::SpaceKind::Serial);
  const pint::State u0 = problem->initial_state();
  pint::HostVector out("pint::bench_bs2d::out", problem->size());
  const auto t0 = Clock::now();
  prop->propagate(u0.values, problem->t_start(), p.maturity, out);
  solve_s = seconds_since(t0);
  return problem->value_at_spot(out);
}

// ---------------------------------------------------------------------------------------------------------------
// Rows

struct Solve {
  std::string case_key, engine, scheme;
  int intervals = 0, nodes = 0, steps = 0;
  double price = 0.0, error = 0.0, rel_error = 0.0;
  Timing total, solve;
  double ns_per_point_step = 0.0;  // total min / (nodes^2 steps)
};

struct Runner {
  const QuantLibMarket& ql_market;
  int repeats;
  double slow_s;

  /// single: one run, no warm-up (a rung that only confirms the one below it).
  Solve run(const Case& c, const std::string& engine, const Scheme& s, int n, int steps, bool single = false) const {
    Solve r;
    r.case_key = c.key;
    r.engine = engine;
    r.scheme = s.name;
    r.intervals = n;
    r.nodes = n + 1;
    r.steps = steps;
    Measured m;
    const int reps = single ? 0 : repeats;
    if (engine == "QuantLib")
      m = measure(reps, slow_s, [&](double&) { return ql_market.fd_price(c, s, n + 1, steps); });
    else
      m = measure(reps, slow_s, [&](double& solve) { return pint_price(c, s, n, steps, solve); });
    r.price = m.price;
    r.error = m.price - c.closed_form;
    r.rel_error = std::abs(r.error) / std::abs(c.closed_form);
    r.total = m.total;
    r.solve = m.solve;
    r.ns_per_point_step = 1e9 * m.total.min_s / (static_cast<double>(r.nodes) * r.nodes * steps);
    std::fprintf(stderr, "  %-9s %-8s %-21s n = %3d, %3d steps: price %.6f, rel. error %.2e, %.4f s (%d run%s)\n",
                 c.key.c_str(), engine.c_str(), s.name.c_str(), n, steps, r.price, r.rel_error, m.total.min_s,
                 m.total.runs, m.total.runs == 1 ? "" : "s");
    return r;
  }
};

nlohmann::json timing_json(const Timing& t) {
  return {{"min", t.min_s}, {"median", t.median_s}, {"runs", t.runs}};
}

nlohmann::json solve_json(const Solve& r) {
  nlohmann::json j = {{"case", r.case_key},
                      {"engine", r.engine},
                      {"scheme", r.scheme},
                      {"intervals", r.intervals},
                      {"nodes_per_axis", r.nodes},
                      {"time_steps", r.steps},
                      {"price", r.price},
                      {"error", r.error},
                      {"relative_error", r.rel_error},
                      {"seconds_per_solve", timing_json(r.total)},
                      {"ns_per_point_step", r.ns_per_point_step}};
  if (r.solve.runs > 0) j["seconds_propagation_only"] = timing_json(r.solve);
  return j;
}

// ---------------------------------------------------------------------------------------------------------------
// Equal accuracy: the refinement ladder

/// The rungs n (intervals per axis; time steps n / 2) and, per tolerance, the cheapest rung whose relative error
/// is within the tolerance and stays so on the next rung (a rung that is only lucky, an error crossing zero,
/// does not count); the last rung counts without a next one.
struct Ladder {
  std::string case_key, engine, scheme;
  std::vector<Solve> rungs;
  std::vector<int> found;  // per tolerance: index into rungs, or -1
};

const std::vector<double> kTolerances = {1e-3, 1e-4};

int steps_for(int n) {
  return std::max(8, n / 2);
}

void settle(Ladder& l) {
  l.found.assign(kTolerances.size(), -1);
  for (std::size_t t = 0; t < kTolerances.size(); ++t)
    for (std::size_t k = 0; k < l.rungs.size(); ++k) {
      const bool next_ok = k + 1 == l.rungs.size() || l.rungs[k + 1].rel_error <= kTolerances[t];
      if (l.rungs[k].rel_error <= kTolerances[t] && next_ok) {
        l.found[t] = static_cast<int>(k);
        break;
      }
    }
}

/// Runs rungs until the tightest tolerance is met and confirmed by the next rung, or the ladder ends.
Ladder climb(const Runner& run, const Case& c, const std::string& engine, const Scheme& s, const std::vector<int>& ns) {
  Ladder l{c.key, engine, s.name, {}, {}};
  const double tight = *std::min_element(kTolerances.begin(), kTolerances.end());
  for (std::size_t k = 0; k < ns.size(); ++k) {
    // A rung after one within the tightest tolerance only confirms it: its error counts, not its time.
    const bool confirming = !l.rungs.empty() && l.rungs.back().rel_error <= tight;
    l.rungs.push_back(run.run(c, engine, s, ns[k], steps_for(ns[k]), confirming));
    const std::size_t m = l.rungs.size();
    if (m >= 2 && l.rungs[m - 1].rel_error <= tight && l.rungs[m - 2].rel_error <= tight) break;
  }
  settle(l);
  return l;
}

// ---------------------------------------------------------------------------------------------------------------
// The line-solve kernel against plain loops

/// A tridiagonal system I - a A (A one direction's line matrix) factored once for every line, as pint does:
/// sub-diagonal, inverse pivots, multipliers of the back substitution.
struct PlainFactors {
  std::vector<double> low, inv, cp;
  PlainFactors(const pint::Tridiagonal& A, double a) {
    const std::size_t n = A.size();
    low.assign(n, 0.0);
    inv.assign(n, 0.0);
    cp.assign(n, 0.0);
    double prev = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const double l = -a * A.lower[i], d = 1.0 - a * A.diag[i], u = -a * A.upper[i];
      low[i] = l;
      inv[i] = 1.0 / (d - l * prev);
      cp[i] = u * inv[i];
      prev = cp[i];
    }
  }
};

/// Lines along S1 (stride ny), all lines side by side, row after row: the way to write it in plain C.
void plain_x_rows(const PlainFactors& F, int nx, int ny, const double* r, double* z) {
  for (int j = 0; j < ny; ++j) z[j] = r[j] * F.inv[0];
  for (int i = 1; i < nx; ++i) {
    const double l = F.low[i], w = F.inv[i];
    const double* zp = z + (i - 1) * ny;
    const double* ri = r + i * ny;
    double* zi = z + i * ny;
    for (int j = 0; j < ny; ++j) zi[j] = (ri[j] - l * zp[j]) * w;
  }
  for (int i = nx - 2; i >= 0; --i) {
    const double m = F.cp[i];
    const double* zn = z + (i + 1) * ny;
    double* zi = z + i * ny;
    for (int j = 0; j < ny; ++j) zi[j] -= m * zn[j];
  }
}

/// Lines along S1 one at a time (textbook Thomas on a strided line).
void plain_x_lines(const PlainFactors& F, int nx, int ny, const double* r, double* z) {
  for (int j = 0; j < ny; ++j) {
    z[j] = r[j] * F.inv[0];
    for (int i = 1; i < nx; ++i) z[i * ny + j] = (r[i * ny + j] - F.low[i] * z[(i - 1) * ny + j]) * F.inv[i];
    for (int i = nx - 2; i >= 0; --i) z[i * ny + j] -= F.cp[i] * z[(i + 1) * ny + j];
  }
}

/// Lines along S2 (contiguous), one at a time.
void plain_y_lines(const PlainFactors& F, int nx, int ny, const double* r, double* z) {
  for (int i = 0; i < nx; ++i) {
    const double* ri = r + i * ny;
    double* zi = z + i * ny;
    zi[0] = ri[0] * F.inv[0];
    for (int j = 1; j < ny; ++j) zi[j] = (ri[j] - F.low[j] * zi[j - 1]) * F.inv[j];
    for (int j = ny - 2; j >= 0; --j) zi[j] -= F.cp[j] * zi[j + 1];
  }
}

/// Lines along S2, 8 at a time side by side: the same arithmetic, 8 independent recurrences in flight instead
/// of one (the contiguous Thomas recurrence is bound by the latency of its multiply-add chain, not by memory).
void plain_y_lines_interleaved(const PlainFactors& F, int nx, int ny, const double* r, double* z) {
  constexpr int kB = 8;
  int i0 = 0;
  for (; i0 + kB <= nx; i0 += kB) {
    for (int b = 0; b < kB; ++b) z[(i0 + b) * ny] = r[(i0 + b) * ny] * F.inv[0];
    for (int j = 1; j < ny; ++j) {
      const double l = F.low[j], w = F.inv[j];
      for (int b = 0; b < kB; ++b) {
        const int k = (i0 + b) * ny + j;
        z[k] = (r[k] - l * z[k - 1]) * w;
      }
    }
    for (int j = ny - 2; j >= 0; --j) {
      const double m = F.cp[j];
      for (int b = 0; b < kB; ++b) {
        const int k = (i0 + b) * ny + j;
        z[k] -= m * z[k + 1];
      }
    }
  }
  if (i0 < nx) plain_y_lines(F, nx - i0, ny, r + i0 * ny, z + i0 * ny);
}

struct KernelRow {
  int intervals = 0;
  std::string kernel;
  double pint_ns = std::nan(""), plain_ns = std::nan("");  // per grid point per call
  double rel_diff = std::nan("");                          // pint against the plain loop (same arithmetic)
  std::string note;
};

/// Fastest of 7 batches of `calls` calls after one warm-up batch, in ns per point per call.
template <class F>
double ns_per_point(std::size_t points, int calls, F&& f) {
  double best = 1e300;
  for (int r = 0; r <= 7; ++r) {
    const auto t0 = Clock::now();
    for (int k = 0; k < calls; ++k) f();
    const double e = seconds_since(t0);
    if (r > 0) best = std::min(best, e);
  }
  return 1e9 * best / (static_cast<double>(points) * calls);
}

std::vector<KernelRow> kernel_rows(const Case& c, int n) {
  constexpr int kSteps = 64;
  using Serial = Kokkos::Serial;
  using Vec = pint::ProblemOperator<Serial>::Vector;
  const pint::BlackScholes2dParams p = pint_params(c, n);
  auto problem = std::make_shared<const pint::BlackScholes2dProblem>(p);
  auto op = pint::operator_cast<Serial>(problem->make_operator(pint::SpaceKind::Serial));
  const int nx = n + 1, ny = n + 1;
  const std::size_t points = problem->size();
  const pint::State u0 = problem->initial_state();
  Vec u("u", points), f("f", points), zp("zp", points);
  Kokkos::deep_copy(u, u0.values);
  std::vector<double> r(u0.values.data(), u0.values.data() + points), z(points);
  const double dt = p.maturity / kSteps;
  const double a = pint::adi_default_theta(pint::Integrator::AdiHundsdorferVerwer) * dt;
  const int calls = std::max(4, static_cast<int>(2e6 / static_cast<double>(points)));
  const std::vector<pint::StabilityOperator> lines = problem->stability_operators(u0.values);
  const PlainFactors fx(lines.at(0).op, a), fy(lines.at(1).op, a);

  auto rel_diff = [&](const Vec& v) {
    double d = 0.0, s = 0.0;
    for (std::size_t k = 0; k < points; ++k) {
      d = std::max(d, std::abs(v(k) - z[k]));
      s = std::max(s, std::abs(z[k]));
    }
    return d / s;
  };
  std::vector<KernelRow> rows;
  auto add = [&](const std::string& kernel, double pint_ns, double plain_ns, double diff, const std::string& note) {
    rows.push_back({n, kernel, pint_ns, plain_ns, diff, note});
  };

  // Line solves: pint's solve_part (its batched kernels; the factorisation is cached after the first call).
  const double px = ns_per_point(points, calls, [&] { op->solve_part(1, p.maturity, a, u, zp); });
  const double plain_rows = ns_per_point(points, calls, [&] { plain_x_rows(fx, nx, ny, r.data(), z.data()); });
  add("x-lines (along S1, stride n+1): Thomas, factorisation shared", px, plain_rows, rel_diff(zp),
      "plain: all lines side by side, row after row");
  const double plain_strided =
      ns_per_point(points, std::max(1, calls / 4), [&] { plain_x_lines(fx, nx, ny, r.data(), z.data()); });
  add("x-lines, plain: one line at a time (strided)", std::nan(""), plain_strided, rel_diff(zp),
      "the textbook loop order");
  const double py = ns_per_point(points, calls, [&] { op->solve_part(2, p.maturity, a, u, zp); });
  const double plain_y = ns_per_point(points, calls, [&] { plain_y_lines(fy, nx, ny, r.data(), z.data()); });
  add("y-lines (along S2, contiguous): Thomas, factorisation shared", py, plain_y, rel_diff(zp),
      "plain: one line at a time, as pint");
  const double plain_y8 =
      ns_per_point(points, calls, [&] { plain_y_lines_interleaved(fy, nx, ny, r.data(), z.data()); });
  add("y-lines, plain: 8 lines side by side", std::nan(""), plain_y8, rel_diff(zp),
      "8 recurrences in flight: what the latency costs");
  // The explicit parts, f_0 (mixed derivative, 9 points), f_1, f_2 (3 points each).
  const double f0 = ns_per_point(points, calls, [&] { op->rhs_part(0, 0.0, u, f); });
  const double f1 = ns_per_point(points, calls, [&] { op->rhs_part(1, 0.0, u, f); });
  const double f2 = ns_per_point(points, calls, [&] { op->rhs_part(2, 0.0, u, f); });
  add("f_0 (mixed derivative, 9 points) apply", f0, std::nan(""), std::nan(""), "");
  add("f_1 (S1 terms, 3 points) apply", f1, std::nan(""), std::nan(""), "");
  add("f_2 (S2 terms, 3 points) apply", f2, std::nan(""), std::nan(""), "");
  // A whole Hundsdorfer-Verwer step: the propagator without the Rannacher start-up, per point per step.
  auto prop = pint::make_propagator(problem, pint::IntegratorConfig{pint::Integrator::AdiHundsdorferVerwer, kSteps, 0},
                                    pint::SpaceKind::Serial);
  pint::HostVector out("out", points);
  const double step = ns_per_point(points, 1, [&] { prop->propagate(u0.values, 0.0, p.maturity, out); }) / kSteps;
  // Its kernels: f_0, f_1, f_2 twice (at u_n and at Y_2), two sweeps of x- and y-lines; the rest is vector passes.
  const double applies = 2.0 * (f0 + f1 + f2), sweeps = 2.0 * (px + py);
  add("whole Hundsdorfer-Verwer step (pint's general ADI integrator)", step, std::nan(""), std::nan(""),
      "one propagate() of 64 steps / 64");
  add("  of it: 2 x (f_0 + f_1 + f_2)", applies, std::nan(""), std::nan(""), "");
  add("  of it: 2 x (x-lines + y-lines)", sweeps, 2.0 * (plain_rows + plain_y), std::nan(""), "");
  add("  of it: the rest (copies, axpys, corrector passes)", step - applies - sweeps, std::nan(""), std::nan(""), "");
  return rows;
}

// ---------------------------------------------------------------------------------------------------------------
// Output

std::string grid_text(const Solve& r) {
  return std::to_string(r.nodes) + "^2 nodes x " + std::to_string(r.steps) + " steps";
}

/// A bad command line: main reports it with exit code 2.
struct UsageError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

void print_usage(std::FILE* to) {
  std::fprintf(to,
               "usage: pint_bench_bs2d [--repeats N (>= 1, default 3)] [--max-n N (the ladder's largest intervals per "
               "axis, default 512)] [--slow-seconds S (default 1)] [--all-ladders (every case with every scheme)] "
               "[--json FILE]\n");
}

int run(int argc, char** argv) {
  int repeats = 3, max_n = 512;
  double slow_s = 1.0;
  bool all_ladders = false;
  std::string json_path;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      print_usage(stdout);
      return 0;
    }
    if (a == "--all-ladders") {
      all_ladders = true;
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "pint_bench_bs2d: %s needs a value\n", a.c_str());
      print_usage(stderr);
      return 2;
    }
    const std::string v = argv[++i];
    auto number = [&](double lo) {
      std::size_t used = 0;
      double x = 0.0;
      try {
        x = std::stod(v, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != v.size() || !(x >= lo)) {
        char msg[200];
        std::snprintf(msg, sizeof msg, "%s needs a number >= %g, got %s", a.c_str(), lo, v.c_str());
        throw UsageError(msg);
      }
      return x;
    };
    if (a == "--repeats") {
      repeats = static_cast<int>(number(1));
    } else if (a == "--max-n") {
      max_n = static_cast<int>(number(16));
    } else if (a == "--slow-seconds") {
      slow_s = number(0);
    } else if (a == "--json") {
      json_path = v;
    } else {
      std::fprintf(stderr, "pint_bench_bs2d: unknown argument %s\n", a.c_str());
      print_usage(stderr);
      return 2;
    }
  }
  const auto started = Clock::now();
  const std::vector<Case> cases = make_cases();
  const QuantLibMarket market;

  // Sanity checks of the set-up: QuantLib's closed forms against pint's.
  const double ql_1d = market.analytic_1d_call(100.0);
  const double pint_1d =
      pint::black_scholes_price(pint::OptionType::Call, kMarket.s1, 100.0, kMarket.r, kMarket.sigma1, kMarket.tau);
  const double diff_1d = std::abs(ql_1d - pint_1d);
  nlohmann::json checks = {{"one_asset_call_K100",
                            {{"quantlib_analytic_european", ql_1d},
                             {"pint_black_scholes_price", pint_1d},
                             {"abs_diff", diff_1d},
                             {"tolerance", kAnalytic1dTolerance}}}};
  bool ok = diff_1d <= kAnalytic1dTolerance;
  std::printf("# Two-asset European options: QuantLib %s Fd2dBlackScholesVanillaEngine vs pint black-scholes-2d\n\n",
              QL_VERSION);
  std::printf(
      "S1 = S2 = %g, sigma1 = sigma2 = %g, rho = %g, r = %g, q1 = q2 = %g, T = %g. One thread each (QuantLib's engine "
      "is sequential; pint on the serial space).\n\n",
      kMarket.s1, kMarket.sigma1, kMarket.rho, kMarket.r, kMarket.q1, kMarket.tau);
  std::printf(
      "Set-up check: QuantLib AnalyticEuropeanEngine (1 asset, K = 100) %.12f vs pint::black_scholes_price "
      "%.12f, |diff| %.1e (%s).\n",
      ql_1d, pint_1d, diff_1d, diff_1d <= kAnalytic1dTolerance ? "agree" : "MISMATCH");
  for (const Case& c : cases) {
    const double q = market.analytic_2d(c);
    const double d = std::abs(q - c.closed_form);
    const bool agree = d <= kAnalytic2dTolerance * std::abs(c.closed_form);
    ok = ok && agree;
    std::printf("Closed form, %s: pint %.10f, QuantLib %s %.10f, |diff| %.1e (%s).\n", c.label.c_str(), c.closed_form,
                c.payoff == pint::TwoAssetPayoff::Exchange ? "AnalyticEuropeanMargrabeEngine" : "StulzEngine", q, d,
                agree ? "agree" : "MISMATCH");
    checks[c.key] = {{"pint_closed_form", c.closed_form},
                     {"quantlib_closed_form", q},
                     {"abs_diff", d},
                     {"relative_tolerance", kAnalytic2dTolerance}};
    // pint's own closed form at the spot is the same function of the same market.
    const pint::BlackScholes2dProblem probe(pint_params(c, 32));
    if (std::abs(probe.closed_form_at_spot(kMarket.tau).value() - c.closed_form) > 1e-12 * c.closed_form)
      throw std::logic_error("pint's black-scholes-2d closed form differs from the benchmark's market");
  }
  std::printf("\n");
  std::fflush(stdout);
  if (!ok) {
    std::fprintf(stderr, "pint_bench_bs2d: the closed forms disagree: the two set-ups price different options\n");
    return 1;
  }

  const Runner runner{market, repeats, slow_s};
  const std::vector<std::string> engines = {"QuantLib", "pint"};

  // (1) Equal grids: every case and scheme at n = 64, 128 intervals per axis, 64 time steps.
  std::fprintf(stderr, "pint_bench_bs2d: equal grids\n");
  const std::vector<int> equal_ns = {64, 128};
  constexpr int kEqualSteps = 64;
  std::vector<Solve> equal;
  for (const Case& c : cases)
    for (int n : equal_ns)
      for (const Scheme& s : schemes())
        for (const std::string& e : engines) equal.push_back(runner.run(c, e, s, n, kEqualSteps));

  std::printf("## Equal grids: the same nodes per axis and time steps\n\n");
  std::printf(
      "| case | grid | scheme | QuantLib price | QuantLib error | pint price | pint error | QuantLib [ms] min / med | "
      "pint [ms] min / med (propagation alone) | QuantLib / pint time | ns per point per step QuantLib / pint |\n");
  std::printf("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (std::size_t k = 0; k + 1 < equal.size(); k += 2) {
    const Solve &q = equal[k], &p = equal[k + 1];
    std::printf(
        "| %s | %s | %s | %.6f | %+.2e | %.6f | %+.2e | %.1f / %.1f | %.1f / %.1f (%.1f) | %.2f | %.0f / %.0f |\n",
        q.case_key.c_str(), grid_text(q).c_str(), q.scheme.c_str(), q.price, q.error, p.price, p.error,
        1e3 * q.total.min_s, 1e3 * q.total.median_s, 1e3 * p.total.min_s, 1e3 * p.total.median_s, 1e3 * p.solve.min_s,
        q.total.min_s / p.total.min_s, q.ns_per_point_step, p.ns_per_point_step);
  }
  std::printf("\nClosed forms: ");
  for (const Case& c : cases) std::printf("%s %.6f; ", c.key.c_str(), c.closed_form);
  std::printf(
      "errors are price - closed form. Times: the whole pricing, min / median of %d repeats after a warm-up "
      "(pint's propagation alone in brackets).\n\n",
      repeats);
  nlohmann::json meshes = nlohmann::json::array();
  std::printf(
      "Meshes along S1 (S2 alike): QuantLib's is uniform-ish in log S on a range from the distribution, "
      "pint's a sinh map in S on [0, ~%g]:\n\n",
      kSMax);
  std::printf("| nodes per axis | QuantLib S range | QuantLib dS at the spot | pint S range | pint dS at the spot |\n");
  std::printf("|---:|---|---:|---|---:|\n");
  for (int n : {64, 128, 256, 512}) {
    const nlohmann::json q = market.mesh_info(n + 1), pm = pint_mesh_info(n);
    meshes.push_back({{"quantlib", q}, {"pint", pm}});
    std::printf("| %d | [%.1f, %.1f] | %.3f | [%.0f, %.1f] | %.3f |\n", n + 1, q["s_min"].get<double>(),
                q["s_max"].get<double>(), q["ds_at_spot"].get<double>(), pm["s_min"].get<double>(),
                pm["s_max"].get<double>(), pm["ds_at_spot"].get<double>());
  }
  std::printf("\n");
  std::fflush(stdout);

  // (2) Equal accuracy: the ladder, per case, engine and scheme.
  std::fprintf(stderr, "pint_bench_bs2d: equal accuracy (ladders)\n");
  std::vector<int> ladder_ns;
  for (int n : {32, 48, 64, 96, 128, 192, 256, 384, 512})
    if (n <= max_n) ladder_ns.push_back(n);
  // Every scheme on the default (max-call); on the other cases Hundsdorfer-Verwer (QuantLib's default)
  // and modified Craig-Sneyd (pint's default fine scheme for black-scholes-2d), unless --all-ladders.
  std::vector<Ladder> ladders;
  for (const Case& c : cases)
    for (const Scheme& s : schemes()) {
      const bool default_case = &c == &cases.front();
      if (!all_ladders && !default_case && s.pint != pint::Integrator::AdiHundsdorferVerwer &&
          s.pint != pint::Integrator::AdiModifiedCraigSneyd)
        continue;
      for (const std::string& e : engines) ladders.push_back(climb(runner, c, e, s, ladder_ns));
    }

  std::printf("## Equal accuracy at the spot: the cheapest rung of the ladder n = ");
  for (std::size_t k = 0; k < ladder_ns.size(); ++k) std::printf("%s%d", k ? ", " : "", ladder_ns[k]);
  std::printf(" intervals per axis (n + 1 nodes), n / 2 time steps\n\n");
  std::printf(
      "| case | scheme | tolerance | QuantLib grid | QuantLib rel. error | QuantLib [ms] | pint grid | "
      "pint rel. error | pint [ms] (propagation alone) | QuantLib / pint time | QuantLib / pint propagation |\n");
  std::printf("|---|---|---:|---|---:|---:|---|---:|---:|---:|---:|\n");
  nlohmann::json ratios = nlohmann::json::array();
  for (std::size_t k = 0; k + 1 < ladders.size(); k += 2) {
    const Ladder &q = ladders[k], &p = ladders[k + 1];
    for (std::size_t t = 0; t < kTolerances.size(); ++t) {
      auto cell = [&](const Ladder& l, double& ms, double& solve_ms) {
        char buf[200];
        ms = solve_ms = std::nan("");
        if (l.found[t] < 0) {
          std::snprintf(buf, sizeof buf, "not reached (n <= %d) | %.1e | -", l.rungs.back().intervals,
                        l.rungs.back().rel_error);
          return std::string(buf);
        }
        const Solve& r = l.rungs[l.found[t]];
        ms = 1e3 * r.total.min_s;
        if (r.solve.runs > 0) {
          solve_ms = 1e3 * r.solve.min_s;
          std::snprintf(buf, sizeof buf, "%s | %.1e | %.1f (%.1f)", grid_text(r).c_str(), r.rel_error, ms, solve_ms);
        } else {
          std::snprintf(buf, sizeof buf, "%s | %.1e | %.1f", grid_text(r).c_str(), r.rel_error, ms);
        }
        return std::string(buf);
      };
      double qms = 0.0, pms = 0.0, unused = 0.0, psolve = 0.0;
      const std::string qc = cell(q, qms, unused), pc = cell(p, pms, psolve);
      const double ratio = qms / pms, ratio_solve = qms / psolve;
      auto fmt_ratio = [](double v) {
        char b[32];
        std::snprintf(b, sizeof b, "%.2f", v);
        return std::isnan(v) ? std::string("-") : std::string(b);
      };
      std::printf("| %s | %s | %.0e | %s | %s | %s | %s |\n", q.case_key.c_str(), q.scheme.c_str(), kTolerances[t],
                  qc.c_str(), pc.c_str(), fmt_ratio(ratio).c_str(), fmt_ratio(ratio_solve).c_str());
      ratios.push_back({{"case", q.case_key},
                        {"scheme", q.scheme},
                        {"relative_tolerance", kTolerances[t]},
                        {"quantlib", q.found[t] < 0 ? nlohmann::json() : solve_json(q.rungs[q.found[t]])},
                        {"pint", p.found[t] < 0 ? nlohmann::json() : solve_json(p.rungs[p.found[t]])},
                        {"quantlib_over_pint_time", std::isnan(ratio) ? nlohmann::json() : nlohmann::json(ratio)},
                        {"quantlib_over_pint_propagation_time",
                         std::isnan(ratio_solve) ? nlohmann::json() : nlohmann::json(ratio_solve)}});
    }
  }
  std::printf(
      "\nA rung counts when its relative error at the spot and the next rung's are within the tolerance (the largest "
      "rung counts alone). Times: minimum over the repeats of the whole pricing (pint: mesh, cell-averaged payoff, "
      "propagation, read-out; in brackets the propagation alone); a rung slower than %g s is timed by its one run, "
      "and a rung that only confirms the one below it is run once.\n\n",
      slow_s);

  std::printf("### Every rung (relative error at the spot, ms per solve)\n\n| case | engine | scheme |");
  for (int n : ladder_ns) std::printf(" n = %d |", n);
  std::printf("\n|---|---|---|");
  for (std::size_t k = 0; k < ladder_ns.size(); ++k) std::printf("---:|");
  std::printf("\n");
  for (const Ladder& l : ladders) {
    std::printf("| %s | %s | %s |", l.case_key.c_str(), l.engine.c_str(), l.scheme.c_str());
    for (std::size_t k = 0; k < ladder_ns.size(); ++k) {
      if (k < l.rungs.size())
        std::printf(" %.1e, %.1f |", l.rungs[k].rel_error, 1e3 * l.rungs[k].total.min_s);
      else
        std::printf(" |");
    }
    std::printf("\n");
  }
  std::printf("\n");
  std::fflush(stdout);

  // (3) The line-solve kernel against plain loops.
  std::fprintf(stderr, "pint_bench_bs2d: kernels\n");
  std::vector<KernelRow> krows;
  for (int n : {128, 256})
    for (const KernelRow& r : kernel_rows(cases[0], n)) krows.push_back(r);
  std::printf("## The line-solve kernel: ns per grid point per call, serial, one thread\n\n");
  std::printf("| grid | kernel | pint | plain loop | pint / plain | pint vs plain, max rel. diff | note |\n");
  std::printf("|---|---|---:|---:|---:|---:|---|\n");
  auto num = [](double v, const char* fmt) {
    if (std::isnan(v)) return std::string("-");
    char b[64];
    std::snprintf(b, sizeof b, fmt, v);
    return std::string(b);
  };
  for (const KernelRow& r : krows)
    std::printf("| %d^2 | %s | %s | %s | %s | %s | %s |\n", r.intervals + 1, r.kernel.c_str(),
                num(r.pint_ns, "%.2f").c_str(), num(r.plain_ns, "%.2f").c_str(),
                num(r.pint_ns / r.plain_ns, "%.2f").c_str(), num(r.rel_diff, "%.1e").c_str(), r.note.c_str());
  std::printf(
      "\nThe line solves are pint's operator kernels (solve_part, reached through the problem's operator on the "
      "serial space) and the plain loops solve the same matrices I - a A (a = theta dt, theta = 1/2 + sqrt(3)/6, dt "
      "= 1/64; A from the problem's stability_operators()). Fastest of 7 batches after a warm-up. A whole step is "
      "one propagate() of 64 steps / 64.\n");
  const double wall = seconds_since(started);
  std::printf("\nRun time of this benchmark: %.1f s.\n", wall);

  if (!json_path.empty()) {
    nlohmann::json jschemes = nlohmann::json::array();
    for (const Scheme& s : schemes()) {
      const ql::FdmSchemeDesc d = s.quantlib();
      jschemes.push_back({{"name", s.name},
                          {"pint", pint::to_string(s.pint)},
                          {"pint_theta", pint::adi_default_theta(s.pint)},
                          {"pint_mu", pint::adi_default_mu(s.pint)},
                          {"quantlib_theta", d.theta},
                          {"quantlib_mu", d.mu}});
    }
    nlohmann::json jcases = nlohmann::json::array();
    for (const Case& c : cases)
      jcases.push_back({{"key", c.key}, {"label", c.label}, {"strike", c.strike}, {"closed_form", c.closed_form}});
    nlohmann::json jequal = nlohmann::json::array();
    for (const Solve& r : equal) jequal.push_back(solve_json(r));
    nlohmann::json jladders = nlohmann::json::array();
    for (const Ladder& l : ladders) {
      nlohmann::json rungs = nlohmann::json::array(), found = nlohmann::json::object();
      for (const Solve& r : l.rungs) rungs.push_back(solve_json(r));
      for (std::size_t t = 0; t < kTolerances.size(); ++t)
        found[std::to_string(kTolerances[t])] =
            l.found[t] < 0 ? nlohmann::json() : nlohmann::json(l.rungs[l.found[t]].intervals);
      jladders.push_back({{"case", l.case_key},
                          {"engine", l.engine},
                          {"scheme", l.scheme},
                          {"rungs", rungs},
                          {"found_intervals", found}});
    }
    nlohmann::json jkernels = nlohmann::json::array();
    auto opt = [](double v) { return std::isnan(v) ? nlohmann::json() : nlohmann::json(v); };
    for (const KernelRow& r : krows)
      jkernels.push_back({{"nodes_per_axis", r.intervals + 1},
                          {"kernel", r.kernel},
                          {"pint_ns_per_point", opt(r.pint_ns)},
                          {"plain_ns_per_point", opt(r.plain_ns)},
                          {"max_relative_difference", opt(r.rel_diff)},
                          {"note", r.note}});
    const nlohmann::json doc = {
        {"benchmark", "bs2d"},
        {"quantlib_version", QL_VERSION},
        {"market",
         {{"s1", kMarket.s1},
          {"s2", kMarket.s2},
          {"sigma1", kMarket.sigma1},
          {"sigma2", kMarket.sigma2},
          {"rho", kMarket.rho},
          {"r", kMarket.r},
          {"q1", kMarket.q1},
          {"q2", kMarket.q2},
          {"maturity", kMarket.tau}}},
        {"cases", jcases},
        {"schemes", jschemes},
        {"settings",
         {{"repeats", repeats},
          {"slow_seconds", slow_s},
          {"threads", 1},
          {"pint_space", "serial"},
          {"pint_mesh", {{"kind", "sinh, concentrated at the spot"}, {"s_max", kSMax}, {"density", kPintDensity}}},
          {"pint_rannacher_half_steps", kRannacherHalfSteps},
          {"pint_initial_values", "payoff cell averages"},
          {"pint_price_read_out", "node on the spot"},
          {"quantlib_damping_steps", kQuantLibDampingSteps},
          {"quantlib_mesh", "FdmBlackScholesMesher: log S, eps 1e-4, scale 1.5, concentrated at the spot, density 0.1"},
          {"meshes_asset1", meshes},
          {"quantlib_initial_values", "payoff point values (FdmLogBasketInnerValue)"},
          {"quantlib_price_read_out", "bicubic spline in log S"},
          {"equal_grid_intervals", equal_ns},
          {"equal_grid_time_steps", kEqualSteps},
          {"ladder_intervals", ladder_ns},
          {"ladder_time_steps", "n / 2"},
          {"tolerances", kTolerances}}},
        {"closed_form_checks", checks},
        {"equal_grids", jequal},
        {"ladders", jladders},
        {"equal_accuracy", ratios},
        {"kernels", jkernels},
        {"wall_seconds", wall}};
    std::ofstream out(json_path);
    if (!out) throw std::runtime_error("cannot write '" + json_path + "'");
    out << doc.dump(2) << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // One thread: Kokkos' OpenMP pool is started with 1 thread unless the caller chose (pint runs on the serial
  // space here; the flag keeps an idle OpenMP pool from sharing the cores).
  std::vector<char*> args(argv, argv + argc);
  bool threads_given = false;
  for (int i = 1; i < argc; ++i) threads_given = threads_given || std::strncmp(argv[i], "--kokkos-threads", 16) == 0;
  static char one_thread[] = "--kokkos-threads=1";
  if (!threads_given) args.insert(args.begin() + 1, one_thread);
  int n = static_cast<int>(args.size());
  args.push_back(nullptr);
  char** av = args.data();
  pint::Runtime runtime(n, av);
  if (runtime.rank() != 0) return 0;  // one rank measures
  try {
    return run(n, av);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "pint_bench_bs2d: %s\n", e.what());
    print_usage(stderr);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pint_bench_bs2d: error: %s\n", e.what());
    return 1;
  }
}

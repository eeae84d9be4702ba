// Peer benchmark (issue 7, item 5): QuantLib's finite-difference Black-Scholes engine against pint's
// serial fine solver on pint's default problem (European call, K = 100, r = 0.03, sigma = 0.4, T = 1,
// no dividends), priced at the spots S = 50, 75, 100, 125, 150, 200. Every price is compared with the
// closed form pint::black_scholes_price; QuantLib's own closed form (AnalyticEuropeanEngine) is checked
// against it first, so that a mismatch in the set-up (dates, rate conventions) cannot hide in the errors.
//
// The two solvers answer different questions per solve, and the table says so:
//  - QuantLib's FdBlackScholesVanillaEngine builds a log-spot grid centred at the option's spot (and
//    concentrated at the strike) and returns the price at that one spot: 6 spots take 6 solves.
//  - pint solves once on S in [0, S_max] with dS = 1 and every grid point is a price: 6 spots, 1 solve.
// pint's run is the serial fine run of `pint run`: Crank-Nicolson with a Rannacher start-up, 16
// propagate() calls of 200 steps (pint::serial_fine), by default on the `serial` space.
//
// Timing: std::chrono::steady_clock, one warm-up, then the minimum and the median over the repeats. A
// QuantLib "time per solve" is the time for its 6 solves divided by 6.
//
// Usage: pint_bench_quantlib [--repeats N] [--space NAME] [--json FILE]   (Markdown table on stdout)
#include <Kokkos_Core.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <ql/exercise.hpp>
#include <ql/instruments/payoffs.hpp>
#include <ql/instruments/vanillaoption.hpp>
#include <ql/methods/finitedifferences/solvers/fdmbackwardsolver.hpp>
#include <ql/pricingengines/vanilla/analyticeuropeanengine.hpp>
#include <ql/pricingengines/vanilla/fdblackscholesvanillaengine.hpp>
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

#include "core/parareal.hpp"
#include "models/black_scholes.hpp"
#include "models/black_scholes_formula.hpp"
#include "models/make_propagator.hpp"
#include "spaces/registry.hpp"
#include "spaces/runtime.hpp"

namespace {

namespace ql = QuantLib;
// QuantLib's own smart pointers (ql::ext::shared_ptr) are boost's in Debian's build, not std's.
using Clock = std::chrono::steady_clock;

const std::vector<double> kSpots = {50.0, 75.0, 100.0, 125.0, 150.0, 200.0};
constexpr double kReportSpot = 100.0;  // at the money: where the payoff kink hurts most

// pint run's fine propagator and slicing (io/run_config.hpp, core/parareal.hpp defaults).
constexpr int kSlices = 16;
constexpr int kFineStepsPerSlice = 200;
constexpr int kRannacherHalfSteps = 4;

// The closed forms of QuantLib and pint evaluate the same formula with different normal CDFs; they
// agree to round-off of prices ~100, far below any discretisation error in the table.
constexpr double kAnalyticTolerance = 1e-9;

struct Timing {
  double min_s = 0.0, median_s = 0.0;
};

/// One warm-up call of `run`, then `repeats` timed calls: their minimum and median.
template <class Run>
Timing time_repeats(int repeats, Run&& run) {
  run();  // warm-up: page faults, caches, lazy initialisations
  std::vector<double> t;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = Clock::now();
    run();
    t.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  const std::size_t n = t.size();
  return {t.front(), n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2])};
}

struct Row {
  std::string engine;  // who solved
  std::string grid;    // the grid, in words
  int time_steps = 0, space_points = 0, solves_for_all_spots = 0;
  Timing per_solve, all_spots;
  std::vector<double> prices, errors;  // at kSpots; error = price - closed form
  double max_abs_error = 0.0, error_at_report_spot = 0.0;
};

void fill_errors(Row& row, const std::vector<double>& exact) {
  row.errors.clear();
  row.max_abs_error = 0.0;
  for (std::size_t k = 0; k < kSpots.size(); ++k) {
    const double e = row.prices[k] - exact[k];
    row.errors.push_back(e);
    row.max_abs_error = std::max(row.max_abs_error, std::abs(e));
    if (kSpots[k] == kReportSpot) row.error_at_report_spot = e;
  }
}

/// pint's Black-Scholes market as QuantLib objects: flat continuously compounded curves and a flat
/// volatility, Actual/365 Fixed with maturity 365 days after the evaluation date, so that QuantLib's
/// time to maturity is exactly T = 1 (checked in the constructor). The spot is a quote that each
/// price() call sets.
class QuantLibMarket {
 public:
  explicit QuantLibMarket(const pint::BlackScholesParams& p) {
    if (p.maturity != 1.0)
      throw std::invalid_argument("the QuantLib set-up maps T to 365 days: it needs maturity 1, got " +
                                  std::to_string(p.maturity));
    // A fixed date, so that a run does not depend on the day it runs (Actual/365 ignores leap years).
    const ql::Date today(3, ql::January, 2023);
    ql::Settings::instance().evaluationDate() = today;
    const ql::Date expiry = today + 365;
    const ql::Actual365Fixed dc;
    spot_ = ql::ext::make_shared<ql::SimpleQuote>(p.strike);
    const ql::Handle<ql::YieldTermStructure> rate(ql::ext::make_shared<ql::FlatForward>(today, p.rate, dc));
    const ql::Handle<ql::YieldTermStructure> dividends(ql::ext::make_shared<ql::FlatForward>(today, 0.0, dc));
    const ql::Handle<ql::BlackVolTermStructure> vol(
        ql::ext::make_shared<ql::BlackConstantVol>(today, ql::NullCalendar(), p.sigma, dc));
    // The discretisation given explicitly (it is QuantLib's default): under hipcc, the default argument's
    // `new EulerDiscretization` resolves to clang's device operator delete and does not compile.
    process_ = ql::ext::make_shared<ql::BlackScholesMertonProcess>(
        ql::Handle<ql::Quote>(spot_), dividends, rate, vol,
        ql::ext::shared_ptr<ql::StochasticProcess1D::discretization>(ql::ext::make_shared<ql::EulerDiscretization>()));
    const ql::Option::Type type = p.type == pint::OptionType::Call ? ql::Option::Call : ql::Option::Put;
    option_ = ql::ext::make_shared<ql::VanillaOption>(ql::ext::make_shared<ql::PlainVanillaPayoff>(type, p.strike),
                                                      ql::ext::make_shared<ql::EuropeanExercise>(expiry));
    const double T = process_->time(expiry);
    if (std::abs(T - p.maturity) > 1e-14)
      throw std::runtime_error("QuantLib's time to maturity is " + std::to_string(T) + ", expected " +
                               std::to_string(p.maturity));
  }

  void use(const ql::ext::shared_ptr<ql::PricingEngine>& engine) { option_->setPricingEngine(engine); }

  /// One pricing (for the FD engine: one full solve) at `spot`.
  double price(double spot) {
    spot_->setValue(spot);
    // recalculate(): solve even when the spot did not change (the instrument caches its NPV).
    option_->recalculate();
    return option_->NPV();
  }

  const ql::ext::shared_ptr<ql::GeneralizedBlackScholesProcess>& process() const { return process_; }

 private:
  ql::ext::shared_ptr<ql::SimpleQuote> spot_;
  ql::ext::shared_ptr<ql::GeneralizedBlackScholesProcess> process_;
  ql::ext::shared_ptr<ql::VanillaOption> option_;
};

Row quantlib_fd_row(QuantLibMarket& market, int t_grid, int x_grid, int repeats, const std::vector<double>& exact) {
  // Douglas (QuantLib's default) is Crank-Nicolson in one dimension; no damping steps (the default).
  market.use(ql::ext::make_shared<ql::FdBlackScholesVanillaEngine>(market.process(), t_grid, x_grid, 0,
                                                                   ql::FdmSchemeDesc::Douglas()));
  Row row;
  row.engine = "QuantLib FdBlackScholesVanillaEngine (Douglas = CN)";
  row.grid = std::to_string(t_grid) + " steps x " + std::to_string(x_grid) + " log-S points";
  row.time_steps = t_grid;
  row.space_points = x_grid;
  row.solves_for_all_spots = static_cast<int>(kSpots.size());
  row.prices.assign(kSpots.size(), 0.0);
  row.all_spots = time_repeats(repeats, [&] {
    for (std::size_t k = 0; k < kSpots.size(); ++k) row.prices[k] = market.price(kSpots[k]);
  });
  const double n = static_cast<double>(kSpots.size());
  row.per_solve = {row.all_spots.min_s / n, row.all_spots.median_s / n};
  fill_errors(row, exact);
  return row;
}

Row pint_serial_fine_row(const pint::BlackScholesParams& params, pint::SpaceKind space, int repeats,
                         const std::vector<double>& exact) {
  auto problem = std::make_shared<pint::BlackScholesProblem>(params);
  auto fine = pint::make_propagator(
      problem, pint::IntegratorConfig{pint::Integrator::CrankNicolson, kFineStepsPerSlice, kRannacherHalfSteps}, space);
  pint::HostVector u0("u0", problem->size());
  problem->initial_condition(u0);

  // Every spot must be a grid point S_i = i dS: pint's price there needs no interpolation.
  std::vector<std::size_t> index;
  for (double s : kSpots) {
    const double i = std::round(s / params.ds);
    if (std::abs(i * params.ds - s) > 1e-9 * s || i < 0 || i >= static_cast<double>(problem->size()))
      throw std::invalid_argument("spot " + std::to_string(s) + " is not a point of pint's grid (dS = " +
                                  std::to_string(params.ds) + ", S_max = " + std::to_string(params.s_max) + ")");
    index.push_back(static_cast<std::size_t>(i));
  }

  Row row;
  row.engine = "pint serial fine (CN + Rannacher) on " + pint::to_string(space);
  char grid[160];
  std::snprintf(grid, sizeof grid, "%d steps (%d IE half-steps first) x %zu S points, dS = %g",
                kSlices * kFineStepsPerSlice, kRannacherHalfSteps, problem->size(), params.ds);
  row.grid = grid;
  row.time_steps = kSlices * kFineStepsPerSlice;
  row.space_points = static_cast<int>(problem->size());
  row.solves_for_all_spots = 1;
  std::vector<pint::HostVector> states;
  row.all_spots = time_repeats(
      repeats, [&] { states = pint::serial_fine(*fine, u0, problem->t_start(), problem->t_end(), kSlices); });
  row.per_solve = row.all_spots;
  for (std::size_t i : index) row.prices.push_back(states.back()(i));
  fill_errors(row, exact);
  return row;
}

void print_usage(std::FILE* to) {
  std::fprintf(to,
               "usage: pint_bench_quantlib [--repeats N (>= 1, default 5)] [--space NAME (default serial)] "
               "[--json FILE]\n");
}

int run(int argc, char** argv) {
  int repeats = 5;
  std::string json_path, space_name = "serial";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      print_usage(stdout);
      return 0;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "pint_bench_quantlib: %s needs a value\n", a.c_str());
      print_usage(stderr);
      return 2;
    }
    const std::string v = argv[++i];
    if (a == "--repeats") {
      std::size_t used = 0;
      try {
        repeats = std::stoi(v, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != v.size() || repeats < 1) {
        std::fprintf(stderr, "pint_bench_quantlib: --repeats needs a whole number >= 1, got %s\n", v.c_str());
        return 2;
      }
    } else if (a == "--space") {
      space_name = v;
    } else if (a == "--json") {
      json_path = v;
    } else {
      std::fprintf(stderr, "pint_bench_quantlib: unknown argument %s\n", a.c_str());
      print_usage(stderr);
      return 2;
    }
  }
  const pint::SpaceKind space = pint::resolve_space(space_name);
  const pint::BlackScholesParams params{};  // pint's default problem

  std::vector<double> exact;
  for (double s : kSpots)
    exact.push_back(
        pint::black_scholes_price(params.type, s, params.strike, params.rate, params.sigma, params.maturity));

  // Sanity check: QuantLib's closed form against pint's, at every spot.
  QuantLibMarket market(params);
  market.use(ql::ext::make_shared<ql::AnalyticEuropeanEngine>(market.process()));
  double analytic_diff = 0.0;
  for (std::size_t k = 0; k < kSpots.size(); ++k)
    analytic_diff = std::max(analytic_diff, std::abs(market.price(kSpots[k]) - exact[k]));
  const bool analytic_ok = analytic_diff <= kAnalyticTolerance;

  std::printf("# QuantLib %s FdBlackScholesVanillaEngine vs pint, European %s K = %g, r = %g, sigma = %g, T = %g\n",
              QL_VERSION, params.type == pint::OptionType::Call ? "call" : "put", params.strike, params.rate,
              params.sigma, params.maturity);
  std::printf(
      "# sanity: QuantLib AnalyticEuropeanEngine vs pint::black_scholes_price, max |diff| over the spots = "
      "%.2e (%s)\n\n",
      analytic_diff, analytic_ok ? "agree" : "MISMATCH: the two set-ups price different options");
  std::fflush(stdout);
  if (!analytic_ok) return 1;

  // The first QuantLib grid matches pint's fine run in size (time steps x points); the smaller ones
  // show QuantLib's own accuracy / time trade-off.
  const std::vector<std::pair<int, int>> grids = {
      {kSlices * kFineStepsPerSlice, static_cast<int>(std::lround(params.s_max / params.ds)) + 1},
      {800, 800},
      {200, 200},
      {100, 100}};
  std::vector<Row> rows;
  rows.push_back(pint_serial_fine_row(params, space, repeats, exact));
  for (const auto& [t_grid, x_grid] : grids) rows.push_back(quantlib_fd_row(market, t_grid, x_grid, repeats, exact));

  std::printf(
      "| engine | grid (time steps x space points) | solves for %zu spots | time per solve, min / median [ms] | "
      "all %zu spots, min / median [ms] | max abs error over the spots | error at S = %g |\n",
      kSpots.size(), kSpots.size(), kReportSpot);
  std::printf("|---|---|---:|---:|---:|---:|---:|\n");
  for (const Row& r : rows)
    std::printf("| %s | %s | %d | %.3f / %.3f | %.3f / %.3f | %.2e | %+.2e |\n", r.engine.c_str(), r.grid.c_str(),
                r.solves_for_all_spots, 1e3 * r.per_solve.min_s, 1e3 * r.per_solve.median_s, 1e3 * r.all_spots.min_s,
                1e3 * r.all_spots.median_s, r.max_abs_error, r.error_at_report_spot);

  // The signed errors per spot: where each method loses its accuracy.
  std::printf("\n| engine | grid |");
  for (double s : kSpots) std::printf(" S = %g |", s);
  std::printf("\n|---|---|");
  for (std::size_t k = 0; k < kSpots.size(); ++k) std::printf("---:|");
  std::printf("\n| closed form (price) | |");
  for (double e : exact) std::printf(" %.6f |", e);
  std::printf("\n");
  for (const Row& r : rows) {
    std::printf("| %s | %s |", r.engine.c_str(), r.grid.c_str());
    for (double e : r.errors) std::printf(" %+.2e |", e);
    std::printf("\n");
  }
  std::printf(
      "\nErrors are price - closed form. Times: steady_clock, minimum / median of %d repeats after one warm-up; a\n"
      "QuantLib solve prices one spot (its log-S grid is centred there), one pint solve prices every point S = i dS,\n"
      "so QuantLib's time per solve is its %zu-spot time / %zu.\n",
      repeats, kSpots.size(), kSpots.size());

  if (!json_path.empty()) {
    nlohmann::json jrows = nlohmann::json::array();
    for (const Row& r : rows)
      jrows.push_back({{"engine", r.engine},
                       {"grid", r.grid},
                       {"time_steps", r.time_steps},
                       {"space_points", r.space_points},
                       {"solves_for_all_spots", r.solves_for_all_spots},
                       {"seconds_per_solve", {{"min", r.per_solve.min_s}, {"median", r.per_solve.median_s}}},
                       {"seconds_all_spots", {{"min", r.all_spots.min_s}, {"median", r.all_spots.median_s}}},
                       {"prices", r.prices},
                       {"errors", r.errors},
                       {"max_abs_error", r.max_abs_error},
                       {"error_at_S100", r.error_at_report_spot}});
    const nlohmann::json doc = {
        {"benchmark", "quantlib"},
        {"quantlib_version", QL_VERSION},
        {"problem",
         {{"option", params.type == pint::OptionType::Call ? "call" : "put"},
          {"strike", params.strike},
          {"rate", params.rate},
          {"sigma", params.sigma},
          {"maturity", params.maturity},
          {"s_max", params.s_max},
          {"ds", params.ds}}},
        {"spots", kSpots},
        {"closed_form", exact},
        {"analytic_check", {{"max_abs_diff", analytic_diff}, {"tolerance", kAnalyticTolerance}}},
        {"repeats", repeats},
        {"rows", jrows}};
    std::ofstream out(json_path);
    if (!out) throw std::runtime_error("cannot write '" + json_path + "'");
    out << doc.dump(2) << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  pint::Runtime runtime(argc, argv);
  if (runtime.rank() != 0) return 0;  // one rank measures; the others would only share its cores
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    // QuantLib reports its errors as exceptions too (ql::Error derives from std::exception).
    std::fprintf(stderr, "pint_bench_quantlib: error: %s\n", e.what());
    return 1;
  }
}

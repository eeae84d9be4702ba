// Two-asset Black-Scholes (models/black_scholes_2d): the discrete operator against the PDE applied to
// polynomials, prices at the spot against Margrabe and Stulz (models/two_asset_formulas, tested on their own
// against numerical integration), the far edges' distance, orders in space (against the closed form) and in
// time (against the same grid with 16 times more steps), every ADI scheme, and Parareal reaching the serial
// fine solution to round-off.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "core/parareal.hpp"
#include "core/problem_operator.hpp"
#include "models/black_scholes_2d.hpp"
#include "models/make_propagator.hpp"
#include "models/two_asset_formulas.hpp"
#include "parareal_test_util.hpp"

using namespace pint;
using test::orders;
using test::show;

namespace {

BlackScholes2dParams params(TwoAssetPayoff payoff, int n, bool concentrated = true, double s_max = 800.0) {
  BlackScholes2dParams p;  // the default market: K 100, S 100/100, r 0.05, sigma 0.3/0.3, rho 0.5, T 1
  p.contract.payoff = payoff;
  p.n1 = p.n2 = n;
  p.s1_max = p.s2_max = s_max;
  p.concentrated = concentrated;
  return p;
}

HostVector solve(const std::shared_ptr<const BlackScholes2dProblem>& p, IntegratorConfig cfg) {
  auto prop = make_propagator(p, cfg, SpaceKind::Serial);
  const State u0 = p->initial_state();
  HostVector out("out", p->size());
  prop->propagate(u0.values, 0.0, p->t_end(), out);
  return out;
}

double spot_value(const BlackScholes2dParams& bp, IntegratorConfig cfg) {
  auto p = std::make_shared<const BlackScholes2dProblem>(bp);
  return p->value_at_spot(solve(p, cfg));
}

/// u' = (l0 + l1 + l2) u split into three scalar parts, part 0 explicit (as the mixed derivative is): the ADI
/// schemes' orders against the exact exponential, free of any spatial error.
template <class ExecSpace>
class ScalarSplitOperator final : public ProblemOperator<ExecSpace> {
 public:
  using Base = ProblemOperator<ExecSpace>;
  using typename Base::ConstVector;
  using typename Base::Vector;
  static constexpr double l[3] = {-0.7, -1.0, -2.0};
  explicit ScalarSplitOperator(ExecSpace exec) : Base(exec) {}
  std::size_t size() const override { return 1; }
  bool linear() const override { return true; }
  int parts() const override { return 3; }
  bool explicit_part(int p) const override { return p == 0; }
  void prescribe(double, const Vector&) override {}
  void rhs(double, const ConstVector& u, const Vector& f) override { scale(u, f, l[0] + l[1] + l[2]); }
  void rhs_part(int p, double, const ConstVector& u, const Vector& f) override { scale(u, f, l[p]); }
  void solve(double, double a, const ConstVector& r, const Vector& u) override {
    scale(r, u, 1.0 / (1.0 - a * (l[0] + l[1] + l[2])));
  }
  void solve_part(int p, double, double a, const ConstVector& r, const Vector& u) override {
    scale(r, u, 1.0 / (1.0 - a * l[p]));
  }
  void scale(const ConstVector& x, const Vector& y, double c) {
    Kokkos::parallel_for(
        "test::scalar_split", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, 1),
        KOKKOS_LAMBDA(int) { y(0) = c * x(0); });
  }
};

class ScalarSplit final : public Problem {
 public:
  ScalarSplit() : grid_(std::make_shared<Grid>()) { grid_->x = {0.0}; }
  std::string name() const override { return "scalar-split"; }
  std::shared_ptr<const Grid> grid() const override { return grid_; }
  double t_end() const override { return 1.0; }
  void initial_condition(HostVector u) const override { u(0) = 1.0; }
  std::unique_ptr<ProblemOperatorBase> make_operator(SpaceKind space) const override {
    return make_operator_on<ScalarSplitOperator>(space);
  }

 private:
  std::shared_ptr<Grid> grid_;
};

}  // namespace

// Three-point differences are exact for quadratics on any mesh, and their product for x y: on a
// non-uniform mesh the operator applied to u = x y + x^2 + 3 y^2 - 2 x equals the PDE's right-hand side at
// every node not on a far edge, to round-off; and the parts add up to f.
TEST(BlackScholes2d, OperatorIsTheExactPdeOnQuadratics) {
  BlackScholes2dParams bp = params(TwoAssetPayoff::MaxCall, 24);
  bp.q1 = 0.02;
  bp.q2 = 0.07;
  bp.rho = -0.4;
  bp.sigma2 = 0.45;
  auto p = std::make_shared<const BlackScholes2dProblem>(bp);
  const Grid& g = *p->grid();
  const std::size_t nx = g.nx(), ny = g.ny();
  HostVector u("u", p->size()), f("f", p->size()), sum("sum", p->size()), part("part", p->size());
  for (std::size_t i = 0; i < nx; ++i)
    for (std::size_t j = 0; j < ny; ++j) {
      const double x = g.x[i], y = g.y[j];
      u(i * ny + j) = x * y + x * x + 3 * y * y - 2 * x;
    }
  auto op = operator_cast<Kokkos::Serial>(p->make_operator(SpaceKind::Serial));
  ASSERT_EQ(op->parts(), 3);
  EXPECT_TRUE(op->explicit_part(0));
  EXPECT_FALSE(op->explicit_part(1));
  op->rhs(0.0, u, f);
  Kokkos::deep_copy(sum, 0.0);
  for (int k = 0; k < 3; ++k) {
    op->rhs_part(k, 0.0, u, part);
    for (std::size_t i = 0; i < p->size(); ++i) sum(i) += part(i);
  }
  const double r = bp.rate, s1 = bp.sigma1, s2 = bp.sigma2;
  double worst = 0.0, scale = 0.0;
  for (std::size_t i = 0; i + 1 < nx; ++i)
    for (std::size_t j = 0; j + 1 < ny; ++j) {
      const double x = g.x[i], y = g.y[j];
      const double ux = y + 2 * x - 2, uy = x + 6 * y, uxx = 2, uyy = 6, uxy = 1;
      const double pde = 0.5 * s1 * s1 * x * x * uxx + 0.5 * s2 * s2 * y * y * uyy + bp.rho * s1 * s2 * x * y * uxy +
                         (r - bp.q1) * x * ux + (r - bp.q2) * y * uy - r * u(i * ny + j);
      worst = std::max(worst, std::abs(f(i * ny + j) - pde));
      scale = std::max(scale, std::abs(pde));
    }
  EXPECT_LE(worst, 1e-11 * scale) << "largest |f - PDE| " << worst << " of " << scale;
  double parts = 0.0;
  for (std::size_t i = 0; i < p->size(); ++i) parts = std::max(parts, std::abs(sum(i) - f(i)));
  EXPECT_LE(parts, 1e-12 * scale);
}

// A direction's batched line solve inverts I - a f_p on every line at once (checked by applying it back), and
// the full stage solve (BiCGStab) reaches its tolerance.
TEST(BlackScholes2d, LineSolvesAndStageSolveInvertTheirSystems) {
  auto p = std::make_shared<const BlackScholes2dProblem>(params(TwoAssetPayoff::Exchange, 40));
  auto op = operator_cast<Kokkos::Serial>(p->make_operator(SpaceKind::Serial));
  const std::size_t n = p->size();
  HostVector r("r", n), u("u", n), f("f", n);
  for (std::size_t k = 0; k < n; ++k) r(k) = std::sin(0.37 * k) + 0.01 * (k % 17);
  const double a = 0.05;
  for (int part : {1, 2, -1}) {
    Kokkos::deep_copy(u, 0.0);
    if (part < 0)
      op->solve(0.0, a, r, u);
    else
      op->solve_part(part, 0.0, a, r, u);
    if (part < 0)
      op->rhs(0.0, u, f);
    else
      op->rhs_part(part, 0.0, u, f);
    double res = 0.0, rn = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
      res += std::pow(u(k) - a * f(k) - r(k), 2);
      rn += r(k) * r(k);
    }
    EXPECT_LE(std::sqrt(res / rn), part < 0 ? 1e-11 : 1e-13) << "part " << part;
  }
}

// The default grid prices the default max-call, a min-call and an exchange option within 1e-3 (relative)
// of Stulz's and Margrabe's closed forms; with dividends too.
TEST(BlackScholes2d, PricesAtTheSpotMatchTheClosedForms) {
  const IntegratorConfig mcs{Integrator::AdiModifiedCraigSneyd, 128, 4};
  for (TwoAssetPayoff k : {TwoAssetPayoff::MaxCall, TwoAssetPayoff::MinCall, TwoAssetPayoff::Exchange}) {
    for (double q : {0.0, 0.03}) {
      BlackScholes2dParams bp = params(k, 128);
      bp.q1 = q;
      bp.q2 = 2 * q;
      auto p = std::make_shared<const BlackScholes2dProblem>(bp);
      const double v = p->value_at_spot(solve(p, mcs));
      const double c = *p->closed_form_at_spot(bp.maturity);
      EXPECT_LE(std::abs(v - c) / c, 1e-3)
          << two_asset_payoff_names()[int(k)] << " q " << q << ": " << v << " vs " << c;
      std::printf("%s q1 %.2f: pint %.8f, closed form %.8f, relative error %.2e\n",
                  two_asset_payoff_names()[int(k)].c_str(), q, v, c, std::abs(v - c) / c);
    }
  }
  // Basket and spread calls have no closed form: bounded by their payoff's convexity (Jensen) from below.
  for (TwoAssetPayoff k : {TwoAssetPayoff::BasketCall, TwoAssetPayoff::SpreadCall}) {
    BlackScholes2dParams bp = params(k, 96);
    bp.contract.strike = k == TwoAssetPayoff::SpreadCall ? 5.0 : 100.0;
    const double v = spot_value(bp, mcs);
    const double forward = k == TwoAssetPayoff::SpreadCall ? 100 - 100 - 5 * std::exp(-0.05)
                                                           : 0.5 * 100 + 0.5 * 100 - 100 * std::exp(-0.05);
    EXPECT_GT(v, std::max(forward, 0.0)) << two_asset_payoff_names()[int(k)];
    EXPECT_LT(v, 100.0);
  }
}

// The far edges do not show at the spot: the same uniform spacing on a domain twice as large changes the
// price there by less than 1e-7 (relative).
TEST(BlackScholes2d, FarEdgesDoNotShowAtTheSpot) {
  const IntegratorConfig hv{Integrator::AdiHundsdorferVerwer, 32, 4};
  for (TwoAssetPayoff k : {TwoAssetPayoff::MaxCall, TwoAssetPayoff::Exchange, TwoAssetPayoff::SpreadCall}) {
    BlackScholes2dParams near_p = params(k, 100, false, 500.0), far_p = params(k, 200, false, 1000.0);
    if (k == TwoAssetPayoff::SpreadCall) near_p.contract.strike = far_p.contract.strike = 5.0;  // in the money
    const double near = spot_value(near_p, hv);
    const double far = spot_value(far_p, hv);
    EXPECT_LE(std::abs(near - far) / std::abs(far), 1e-7)
        << two_asset_payoff_names()[int(k)] << ": " << near << " vs " << far;
    std::printf("%s: S_max 500 %.12f, S_max 1000 %.12f\n", two_asset_payoff_names()[int(k)].c_str(), near, far);
  }
}

// Second order in space: uniform meshes with the spot and the kinks on nodes (point values), time error kept
// far below (HV, steps growing with n), against the closed form. Then with the kinks between nodes (spot
// and strike off the mesh lines): the cell averages keep the orders from oscillating.
TEST(BlackScholes2d, SecondOrderInSpaceAgainstTheClosedForm) {
  for (TwoAssetPayoff k : {TwoAssetPayoff::MaxCall, TwoAssetPayoff::Exchange}) {
    std::vector<double> errors;
    for (int n : {32, 64, 128}) {
      BlackScholes2dParams bp = params(k, n, false, 400.0);
      if (k == TwoAssetPayoff::Exchange) {  // asymmetric: with equal assets the spot's error cancels to third order
        bp.sigma2 = 0.4;
        bp.q1 = 0.02;
      }
      auto p = std::make_shared<const BlackScholes2dProblem>(bp);
      const double v = p->value_at_spot(solve(p, {Integrator::AdiHundsdorferVerwer, 2 * n, 4}));
      errors.push_back(std::abs(v - *p->closed_form_at_spot(1.0)));
    }
    const auto o = orders(errors);
    std::printf("%s space: errors %s orders %s\n", two_asset_payoff_names()[int(k)].c_str(), show(errors).c_str(),
                show(o).c_str());
    EXPECT_NEAR(o.back(), 2.0, 0.25) << two_asset_payoff_names()[int(k)] << ": errors " << show(errors);
  }
  // K = 97 is on no mesh line (400 / n does not divide it): cell averages, and still second order.
  std::vector<double> errors;
  for (int n : {32, 64, 128, 256}) {
    BlackScholes2dParams bp = params(TwoAssetPayoff::MaxCall, n, false, 400.0);
    bp.contract.strike = 97.0;
    auto p = std::make_shared<const BlackScholes2dProblem>(bp);
    ASSERT_FALSE(p->payoff_point_values());
    const double v = p->value_at_spot(solve(p, {Integrator::AdiHundsdorferVerwer, n, 4}));
    errors.push_back(std::abs(v - *p->closed_form_at_spot(1.0)));
  }
  const auto o = orders(errors);
  std::printf("max-call K = 97 (cell averages) space: errors %s orders %s\n", show(errors).c_str(), show(o).c_str());
  for (double x : o) EXPECT_NEAR(x, 2.0, 0.3) << "errors " << show(errors);
}

// Orders in time on one grid, against the same grid with far more steps (so the spatial error cancels):
// 2 for Craig-Sneyd (theta 1/2), modified Craig-Sneyd and Hundsdorfer-Verwer, 1 for Douglas with rho != 0,
// 1 for LOD implicit Euler; all with the damping start (4 implicit-Euler half-steps).
TEST(BlackScholes2d, OrdersInTimeOfEveryAdiScheme) {
  auto p = std::make_shared<const BlackScholes2dProblem>(params(TwoAssetPayoff::MaxCall, 48));
  const HostVector ref = solve(p, {Integrator::AdiHundsdorferVerwer, 2048, 4});
  struct Case {
    Integrator m;
    double order;
  };
  for (Case c : {Case{Integrator::AdiDouglas, 1.0}, Case{Integrator::AdiCraigSneyd, 2.0},
                 Case{Integrator::AdiModifiedCraigSneyd, 2.0}, Case{Integrator::AdiHundsdorferVerwer, 2.0},
                 Case{Integrator::LodImplicitEuler, 1.0}}) {
    std::vector<double> errors;
    for (int steps : {32, 64, 128}) errors.push_back(test::rel_diff(solve(p, {c.m, steps, 4}), ref));
    const auto o = orders(errors);
    std::printf("%s: errors %s orders %s\n", to_string(c.m).c_str(), show(errors).c_str(), show(o).c_str());
    EXPECT_NEAR(o.back(), c.order, 0.25) << to_string(c.m) << ": errors " << show(errors);
  }
}

// The same orders on u' = (l0 + l1 + l2) u with scalar parts (part 0 explicit), against exp(t sum l): clean
// asymptotic orders with no spatial error and no damping start, so a scheme's missing corrector (e.g.
// Hundsdorfer-Verwer without its mu term) shows as first order.
TEST(BlackScholes2d, AdiSchemesHaveTheirOrdersOnAScalarSplitProblem) {
  auto p = std::make_shared<const ScalarSplit>();
  const double exact = std::exp(-3.7);
  struct Case {
    Integrator m;
    double order;
  };
  for (Case c : {Case{Integrator::AdiDouglas, 1.0}, Case{Integrator::AdiCraigSneyd, 2.0},
                 Case{Integrator::AdiModifiedCraigSneyd, 2.0}, Case{Integrator::AdiHundsdorferVerwer, 2.0},
                 Case{Integrator::LodImplicitEuler, 1.0}}) {
    std::vector<double> errors;
    for (int steps : {64, 128, 256}) {
      auto prop = make_propagator(p, {c.m, steps, 0}, SpaceKind::Serial);
      HostVector u0("u0", 1), out("out", 1);
      u0(0) = 1.0;
      prop->propagate(u0, 0.0, 1.0, out);
      errors.push_back(std::abs(out(0) - exact));
    }
    const auto o = orders(errors);
    std::printf("scalar split, %s: errors %s orders %s\n", to_string(c.m).c_str(), show(errors).c_str(),
                show(o).c_str());
    EXPECT_NEAR(o.back(), c.order, 0.1) << to_string(c.m) << ": errors " << show(errors);
  }
}

// Parareal with the ADI fine propagator and the LOD coarse one reaches the serial fine solution to round-off.
TEST(BlackScholes2d, PararealReachesTheSerialFineSolution) {
  auto p = std::make_shared<const BlackScholes2dProblem>(params(TwoAssetPayoff::MaxCall, 48));
  auto F = make_propagator(p, {Integrator::AdiModifiedCraigSneyd, 8, 4}, SpaceKind::Serial);
  auto G = make_propagator(p, {Integrator::LodImplicitEuler, 2, 0}, SpaceKind::Serial);
  const int N = 16;
  Parareal parareal(*F, *G, PararealConfig{N, N, 1e-12, true});
  const State u0 = p->initial_state();
  const PararealResult r = parareal.run(u0.values, 0.0, p->t_end());
  const auto serial = serial_fine(*F, u0.values, 0.0, p->t_end(), N);
  const double d = test::max_rel_diff(r.boundaries, serial);
  std::printf("black-scholes-2d Parareal: %d iterations, max relative difference %.3g\n", r.iterations, d);
  EXPECT_LE(d, 1e-10);
  EXPECT_LT(r.iterations, N);
  EXPECT_GT(test::max_rel_diff(r.history.front(), serial), 1e-6) << "the coarse guess is not already it";
}

// Bad input is a clear error naming the problem.
TEST(BlackScholes2d, BadInputIsRefusedWithTheReason) {
  auto refused = [](BlackScholes2dParams bp, const std::string& needle) {
    try {
      BlackScholes2dProblem p(bp);
      ADD_FAILURE() << "accepted; expected an error containing '" << needle << "'";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  BlackScholes2dParams bp = params(TwoAssetPayoff::MaxCall, 32);
  auto with = [&](auto change) {
    BlackScholes2dParams q = bp;
    change(q);
    return q;
  };
  refused(with([](auto& q) { q.rho = 1.5; }), "rho must be in [-1, 1]");
  refused(with([](auto& q) { q.sigma1 = -0.2; }), "volatilities");
  refused(with([](auto& q) { q.spot1 = 900; }), "must lie inside the grid");
  refused(with([](auto& q) {
            q.contract.payoff = TwoAssetPayoff::BasketCall;
            q.contract.weight1 = q.contract.weight2 = 0;
          }),
          "weights");
  refused(with([](auto& q) { q.n1 = 2; }), "at least 4 intervals");
}

// The SDC step as a propagator (Integrator::Sdc in models/general_propagator.hpp): orders on Dahlquist's
// oscillator y' = i y (as the real 2 x 2 rotation), the collocation limit, Parareal with an SDC fine propagator
// against the serial SDC solution, and the settings' errors.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "core/parareal.hpp"
#include "core/problem_operator.hpp"
#include "core/problem_registry.hpp"
#include "core/sdc_analysis.hpp"
#include "core/sdc_coefficients.hpp"
#include "models/builtin_problems.hpp"
#include "models/make_propagator.hpp"
#include "parareal_test_util.hpp"

using namespace pint;
using test::orders;
using test::show;

namespace {

/// y' = i y with y = y1 + i y2: (y1, y2)' = (-y2, y1), y(0) = (1, 0), y(t) = (cos t, sin t). Its stage solve
/// (I - a A) u = r is the 2 x 2 inverse [1 a; -a 1] / (1 + a^2).
template <class ExecSpace>
class RotationOperator final : public ProblemOperator<ExecSpace> {
 public:
  using Base = ProblemOperator<ExecSpace>;
  using typename Base::ConstVector;
  using typename Base::Vector;
  explicit RotationOperator(ExecSpace exec) : Base(exec) {}
  std::size_t size() const override { return 2; }
  bool linear() const override { return true; }
  void rhs(double, const ConstVector& u, const Vector& f) override {
    Kokkos::parallel_for(
        "test::rotation::rhs", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, 1), KOKKOS_LAMBDA(int) {
          const double a = u(0), b = u(1);
          f(0) = -b;
          f(1) = a;
        });
  }
  void prescribe(double, const Vector&) override {}
  void solve(double, double a, const ConstVector& r, const Vector& u) override {
    Kokkos::parallel_for(
        "test::rotation::solve", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, 1), KOKKOS_LAMBDA(int) {
          const double r0 = r(0), r1 = r(1), d = 1.0 + a * a;
          u(0) = (r0 - a * r1) / d;
          u(1) = (r1 + a * r0) / d;
        });
  }
};

class Rotation final : public Problem {
 public:
  Rotation() {
    auto g = std::make_shared<Grid>();
    g->x = {0.0};
    g->components = 2;
    grid_ = g;
  }
  std::string name() const override { return "rotation"; }
  std::shared_ptr<const Grid> grid() const override { return grid_; }
  double t_end() const override { return 1.0; }
  void initial_condition(HostVector u) const override {
    u(0) = 1.0;
    u(1) = 0.0;
  }
  std::unique_ptr<ProblemOperatorBase> make_operator(SpaceKind space) const override {
    return make_operator_on<RotationOperator>(space);
  }

 private:
  std::shared_ptr<Grid> grid_;
};

IntegratorConfig sdc(int M, const std::string& quadrature, const std::string& qdelta, int sweeps, int steps) {
  IntegratorConfig c{Integrator::Sdc, steps, 0};
  c.sdc.nodes = M;
  c.sdc.quadrature = quadrature;
  c.sdc.qdelta = qdelta;
  c.sdc.sweeps = sweeps;
  return c;
}

double rotation_error(const IntegratorConfig& c) {
  auto p = std::make_shared<const Rotation>();
  auto prop = make_propagator(p, c, SpaceKind::Serial);
  const State u0 = p->initial_state();
  HostVector out("out", 2);
  prop->propagate(u0.values, 0.0, 1.0, out);
  return std::hypot(out(0) - std::cos(1.0), out(1) - std::sin(1.0));
}

/// The order measured from the last pair of step counts whose errors are above round-off.
double measured_order(const IntegratorConfig& base, std::vector<double>* errors_out = nullptr) {
  std::vector<double> errors;
  for (int steps : {2, 4, 8, 16, 32}) {
    IntegratorConfig c = base;
    c.steps = steps;
    const double e = rotation_error(c);
    if (e < 1e-12) break;
    errors.push_back(e);
  }
  if (errors_out) *errors_out = errors;
  return errors.size() < 2 ? 0.0 : orders(errors).back();
}

}  // namespace

// Dahlquist, non-stiff (lambda = i): K sweeps of MIN-SR-NS on 4 Radau-right nodes, spreading the start value
// and taking the last node, have an order of at least K and at most 2M - 1 = 7.
TEST(SdcPropagator, MinSrNsOrderOnDahlquistIsBetweenKAnd2MMinus1) {
  const int M = 4;
  std::vector<double> found;
  for (int K = 1; K <= 2 * M - 1; ++K) {
    std::vector<double> errors;
    const double o = measured_order(sdc(M, "radau-right", "min-sr-ns", K, 1), &errors);
    found.push_back(o);
    std::printf("MIN-SR-NS, M = 4 radau-right, spread, last node, K = %d: errors %s order %.2f\n", K,
                show(errors).c_str(), o);
    EXPECT_GE(o, K - 0.3) << "K = " << K << ": errors " << show(errors);
    EXPECT_LE(o, 2 * M - 1 + 0.3) << "K = " << K << ": errors " << show(errors);
  }
  std::printf("orders for K = 1..7: %s\n", show(found).c_str());
}

// Enough sweeps reach the collocation solution: its order 2M - 1 for Radau-right, 2M for Gauss (collocation
// end value), whatever the preconditioner.
TEST(SdcPropagator, ManySweepsGiveTheCollocationOrder) {
  struct Case {
    std::string quadrature, qdelta;
    int M;
    double order;
  };
  for (const Case& c :
       {Case{"radau-right", "min-sr-s", 3, 5.0}, Case{"radau-right", "lu", 3, 5.0}, Case{"radau-right", "ie", 2, 3.0},
        Case{"gauss", "min-sr-flex", 2, 4.0}, Case{"lobatto", "min-sr-s", 3, 4.0}}) {
    std::vector<double> errors;
    const double o = measured_order(sdc(c.M, c.quadrature, c.qdelta, 30, 1), &errors);
    std::printf("%s M = %d %s, 30 sweeps: errors %s order %.2f\n", c.quadrature.c_str(), c.M, c.qdelta.c_str(),
                show(errors).c_str(), o);
    EXPECT_NEAR(o, c.order, 0.35) << c.quadrature << " " << c.qdelta << ": errors " << show(errors);
  }
}

// Parareal with an SDC fine propagator reaches the serial SDC solution to round-off: on heat and on the nonlinear
// diffusion-reaction problem (one batched Newton solve for the 4 nodes, each at its own time).
TEST(SdcPropagator, PararealReachesTheSerialSdcSolution) {
  register_builtin_problems();
  for (const std::string name : {"heat", "diffusion-reaction"}) {
    const ProblemEntry* e = find_problem(name);
    ProblemParameters params;
    if (name == "heat") {
      params.values = {{"alpha", 1.0}, {"length", 1.0}, {"intervals", 32}, {"mode", 1}, {"t_end", 0.1}};
    } else {
      params = parameters_from(*e, {{"intervals", 32}, {"t_end", 1.0}, {"newton_tolerance", 1e-15}}, "test");
    }
    auto p = e->make(params);
    auto F = make_propagator(p, sdc(4, "radau-right", "min-sr-flex", 4, 2), SpaceKind::Serial);
    auto G = make_propagator(p, {Integrator::ImplicitEuler, 2, 0}, SpaceKind::Serial);
    const int N = 16;
    Parareal parareal(*F, *G, PararealConfig{N, N, 1e-12, true});
    const State u0 = p->initial_state();
    const PararealResult r = parareal.run(u0.values, p->t_start(), p->t_end());
    const auto serial = serial_fine(*F, u0.values, p->t_start(), p->t_end(), N);
    const double d = test::max_rel_diff(r.boundaries, serial);
    std::printf("%s with SDC fine: %d iterations, max relative difference %.3g\n", name.c_str(), r.iterations, d);
    EXPECT_LE(d, 1e-12) << name;
    EXPECT_LT(r.iterations, N) << name;
  }
}

// Settings the SDC step cannot use are clear errors that list what is supported.
TEST(SdcPropagator, BadSettingsAreRefusedWithWhatIsSupported) {
  auto refused = [](IntegratorConfig c, const std::string& needle) {
    try {
      validate(c);
      ADD_FAILURE() << "accepted; expected an error containing '" << needle << "'";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  refused(sdc(9, "radau-right", "min-sr-s", 4, 1), "takes 1 to 8");
  refused(sdc(1, "lobatto", "min-sr-s", 4, 1), "takes 2 to 8");
  refused(sdc(4, "radau", "min-sr-s", 4, 1), "radau-right");
  refused(sdc(4, "radau-right", "min-sr", 4, 1), "min-sr-flex");
  refused(sdc(4, "radau-right", "min-sr-s", 0, 1), "sweeps");
  IntegratorConfig c = sdc(4, "gauss", "min-sr-s", 4, 1);
  c.sdc.end_value = "last-node";
  refused(c, "needs a last node at tau = 1");
  IntegratorConfig cn{Integrator::CrankNicolson, 4, 0};
  cn.sdc.nodes = 3;
  refused(cn, "SDC settings apply to the method sdc");
}

// The host analysis of `pint sdc` (core/sdc_analysis.cpp: complex arithmetic, LAPACK solves) and the propagator
// (real 2 x 2 rotation, the space's kernels) are separate implementations of one step: R(i dt) must be the
// propagator's step of y' = i y, for every predictor, end value and kind of Q_D.
TEST(SdcAnalysis, StabilityFunctionIsOnePropagatorStep) {
  struct Case {
    int M;
    std::string quadrature, qdelta, guess, end;
    int sweeps;
  };
  for (const Case& c :
       {Case{4, "radau-right", "min-sr-ns", "spread", "auto", 3},
        Case{3, "gauss", "min-sr-flex", "ie", "collocation", 4}, Case{4, "lobatto", "lu", "spread", "auto", 2},
        Case{3, "radau-left", "ie", "ie", "auto", 5}, Case{2, "radau-right", "min-sr-s", "spread", "collocation", 6}}) {
    IntegratorConfig cfg = sdc(c.M, c.quadrature, c.qdelta, c.sweeps, 1);
    cfg.sdc.initial_guess = c.guess;
    cfg.sdc.end_value = c.end;
    auto p = std::make_shared<const Rotation>();
    auto prop = make_propagator(p, cfg, SpaceKind::Serial);
    const State u0 = p->initial_state();
    HostVector out("out", 2);
    const double dt = 0.7;
    prop->propagate(u0.values, 0.0, dt, out);
    const std::complex<double> R = sdc_stability_function(make_sdc_scheme(cfg.sdc), {0.0, dt});
    EXPECT_NEAR(out(0), R.real(), 1e-14) << c.quadrature << " " << c.qdelta;
    EXPECT_NEAR(out(1), R.imag(), 1e-14) << c.quadrature << " " << c.qdelta;
  }
}

// IMEX SDC on Allen-Cahn (u_xx implicit, the reaction explicit): enough sweeps reach the same collocation solution
// as the fully implicit sweeps (the fixed point of every variant is the collocation solution of the whole f), with
// explicit Euler between the nodes (ee) and with the explicit part lagged by one sweep (lagged).
TEST(SdcPropagator, ImexSweepsReachTheFullyImplicitCollocationSolution) {
  register_builtin_problems();
  const ProblemEntry* e = find_problem("allen-cahn");
  auto p = e->make(parameters_from(*e, {{"intervals", 64}, {"newton_tolerance", 1e-15}}, "test"));
  const State u0 = p->initial_state();
  const int n = static_cast<int>(p->size());
  auto run = [&](const std::string& imex, int sweeps) {
    IntegratorConfig c = sdc(3, "radau-right", "min-sr-s", sweeps, 4);
    c.sdc.imex = imex;
    auto prop = make_propagator(p, c, SpaceKind::Serial);
    HostVector out("out", n);
    prop->propagate(u0.values, 0.0, 1e-3, out);  // dt = 2.5e-4: dt 2/eps^2 = 0.31, the explicit sweeps contract
    return out;
  };
  const auto implicit = run("off", 40);
  for (const std::string imex : {"ee", "lagged"}) {
    const auto few = run(imex, 2), many = run(imex, 40);
    const double d_many = test::rel_diff(many, implicit), d_few = test::rel_diff(few, implicit);
    std::printf("allen-cahn, imex %s: 2 sweeps %.3g, 40 sweeps %.3g from the implicit collocation solution\n",
                imex.c_str(), d_few, d_many);
    EXPECT_LE(d_many, 1e-12) << imex;
    EXPECT_GT(d_few, 1e3 * d_many) << imex << ": the sweeps must matter (else this test could not fail)";
  }
}

// IMEX needs a split into one implicit part and explicit parts: a problem without one is refused by name.
TEST(SdcPropagator, ImexOnAProblemWithoutSplitIsRefused) {
  register_builtin_problems();
  const ProblemEntry* e = find_problem("burgers");
  auto p = e->make(parameters_from(*e, {}, "test"));
  IntegratorConfig c = sdc(3, "radau-right", "min-sr-s", 3, 1);
  c.sdc.imex = "ee";
  try {
    make_propagator(p, c, SpaceKind::Serial);
    ADD_FAILURE() << "accepted";
  } catch (const std::invalid_argument& err) {
    EXPECT_NE(std::string(err.what()).find("no split"), std::string::npos) << err.what();
  }
  c.sdc.qdelta = "ee";
  EXPECT_THROW(validate(c), std::invalid_argument);  // explicit Euler as the implicit part's Q_D solves nothing
}

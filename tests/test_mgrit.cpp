// MGRIT (core/mgrit.hpp) against independent references: XBraid's printed residuals for its ex-01, pint's
// Parareal (two-level F-relaxation is Parareal on N / c slices), the serial fine solution (every
// configuration converges to it), and the hierarchy and schedule rules written out by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/algorithm_registry.hpp"
#include "core/algorithm_runner.hpp"
#include "core/mgrit.hpp"
#include "core/mgrit_schedule.hpp"
#include "models/black_scholes.hpp"
#include "models/dahlquist.hpp"
#include "models/heat1d.hpp"
#include "models/make_propagator.hpp"
#include "parareal_test_util.hpp"

using namespace pint;

namespace {

/// XBraid ex-01's step, written as ex-01 writes it: backward Euler for u' = -u,
/// u(t1) = 1 / (1 + t1 - t0) u(t0), so that the residuals can be compared to XBraid's to the last digits.
class Ex01Step final : public Propagator {
 public:
  std::string name() const override { return "xbraid-ex01"; }
  SpaceKind space() const override { return SpaceKind::Serial; }
  std::size_t size() const override { return 1; }

 private:
  void propagate_impl(ConstHostVector in, double t0, double t1, HostVector out) override {
    out(0) = 1. / (1. + t1 - t0) * in(0);
  }
};

MgritSettings ex01_settings() {
  MgritSettings s;
  s.slices = 10;
  s.mgrit.levels = 2;
  s.mgrit.cfactor = 2;
  s.mgrit.nu = 1;
  s.mgrit.skip = true;
  s.mgrit.initial_guess = 0.456;
  s.tolerance = 1e-6;
  s.max_iterations = 100;
  return s;
}

HostVector scalar(double v) {
  HostVector u("u0", 1);
  u(0) = v;
  return u;
}

}  // namespace

TEST(Mgrit, XBraidEx01CalibrationPoint) {
  // XBraid's ex-01 (10 steps of dt 0.5, two levels, cf 2, FCF, skip, tolerance 1e-6) prints 4
  // iterations with residuals 2.845538412744718e-02 and 8.621939109118011e-04, then 0.
  Ex01Step step;
  const PararealResult r = Mgrit(step, step, ex01_settings()).run(scalar(1.0), 0.0, 5.0);
  EXPECT_EQ(r.iterations, 4);
  EXPECT_TRUE(r.converged);
  ASSERT_EQ(r.log.size(), 4u);
  EXPECT_TRUE(std::isnan(r.log[0].residual));  // skip: the first iteration computes none
  // The same arithmetic in the same order as XBraid: equal to round-off of a few operations.
  EXPECT_NEAR(r.log[1].residual, 2.845538412744718e-02, 1e-16);
  EXPECT_NEAR(r.log[2].residual, 8.621939109118011e-04, 1e-17);
  EXPECT_EQ(r.log[3].residual, 0.0);
}

TEST(Mgrit, Ex01WithPintsDahlquistProblemAndImplicitEuler) {
  // The same problem as a pint problem with its own implicit-Euler propagator (one step per level step):
  // a different rounding, the same residuals to round-off amplified by the residual's cancellation.
  auto problem = std::make_shared<DahlquistProblem>(std::vector<double>{-1.0}, 1.0, 5.0);
  auto fine = make_propagator(problem, {Integrator::ImplicitEuler, 1, 0}, SpaceKind::Serial);
  auto coarse = make_propagator(problem, {Integrator::ImplicitEuler, 1, 0}, SpaceKind::Serial);
  const State u0 = problem->initial_state();
  const PararealResult r = Mgrit(*fine, *coarse, ex01_settings()).run(u0.values, 0.0, 5.0);
  EXPECT_EQ(r.iterations, 4);
  EXPECT_NEAR(r.log[1].residual, 2.845538412744718e-02, 1e-14);
  EXPECT_NEAR(r.log[2].residual, 8.621939109118011e-04, 1e-14);
  EXPECT_LT(r.log[3].residual, 1e-15);
}

TEST(Mgrit, HierarchyFollowsXBraidsRules) {
  MgritConfig c;
  c.cfactor = 2;
  MgritHierarchy h = build_hierarchy(10, c);  // 11 -> 6 -> 3 -> 2 points
  EXPECT_EQ(h.intervals, (std::vector<int>{10, 5, 2, 1}));
  EXPECT_EQ(h.strides, (std::vector<int>{1, 2, 4, 8}));
  c.min_coarse = 3;  // a grid of 2 points is now too small
  EXPECT_EQ(build_hierarchy(10, c).intervals, (std::vector<int>{10, 5, 2}));
  c.levels = 2;
  EXPECT_EQ(build_hierarchy(10, c).intervals, (std::vector<int>{10, 5}));
  c = {};
  c.cfactor0 = 4;
  c.cfactor = 3;
  h = build_hierarchy(64, c);  // 65 -> 17 -> 6 -> 2 points: cf0 on level 0 only
  EXPECT_EQ(h.intervals, (std::vector<int>{64, 16, 5, 1}));
  EXPECT_EQ(h.cfactors, (std::vector<int>{4, 3, 3, 0}));
  EXPECT_EQ(h.describe(), "65 -> 17 -> 6 -> 2 points (cf 4, 3, 3)");
}

TEST(Mgrit, BadSettingsAreClearErrors) {
  auto message = [](MgritConfig c, int slices) {
    try {
      build_hierarchy(slices, c);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  MgritConfig c;
  c.cfactor = 1;
  EXPECT_NE(message(c, 16).find("cfactor must be at least 2"), std::string::npos);
  c = {};
  c.levels = 1;
  EXPECT_NE(message(c, 16).find("levels must be at least 2"), std::string::npos);
  c = {};
  c.nu = -1;
  EXPECT_NE(message(c, 16).find("nu must be >= 0"), std::string::npos);
  c = {};
  c.min_coarse = 3;
  EXPECT_NE(message(c, 2).find("no coarse level can be built"), std::string::npos);
  c = {};
  c.cfactor0 = 1;
  EXPECT_NE(message(c, 16).find("cfactor0 must be at least 2"), std::string::npos);
}

TEST(Mgrit, TwoLevelFRelaxationIsPararealOnFewerSlices) {
  // Two-level MGRIT with F-relaxation, skip and cf0 = c on N slices with f fine steps per slice is pint's
  // Parareal on N / c slices with c f fine steps and the same coarse propagator per slice (tolerance 0:
  // no slice freezing). MGRIT's history row k (the state of its (k+1)-th residual) at its C-points is
  // Parareal's U^k.
  BlackScholesParams p;
  p.s_max = 400.0;
  p.ds = 4.0;
  auto problem = std::make_shared<BlackScholesProblem>(p);
  const int c = 3, f = 4, N = 12, K = 4;
  for (Integrator method : {Integrator::ImplicitEuler, Integrator::CrankNicolson}) {
    SCOPED_TRACE(to_string(method));
    auto fine = make_propagator(problem, {method, f, 2}, SpaceKind::Serial);
    auto fine_c = make_propagator(problem, {method, c * f, 2}, SpaceKind::Serial);
    auto coarse = make_propagator(problem, {Integrator::ImplicitEuler, 2, 0}, SpaceKind::Serial);
    const State u0 = problem->initial_state();
    MgritSettings s;
    s.slices = N;
    s.mgrit.levels = 2;
    s.mgrit.cfactor = c;
    s.mgrit.nu = 0;
    s.mgrit.skip = true;
    s.tolerance = 0.0;
    s.max_iterations = K + 2;
    s.keep_history = true;
    const PararealResult m = Mgrit(*fine, *coarse, s).run(u0.values, 0.0, 1.0);
    PararealConfig pc{N / c, K, 0.0, true};
    pc.keep_history = true;
    const PararealResult par = Parareal(*fine_c, *coarse, pc).run(u0.values, 0.0, 1.0);
    ASSERT_EQ(m.history.size(), static_cast<std::size_t>(K + 1));
    ASSERT_EQ(par.history.size(), static_cast<std::size_t>(K + 1));
    for (int k = 0; k <= K; ++k)
      for (int n = 0; n <= N / c; ++n)
        // c fine calls of f steps against one of c f steps: the same steps, times rounded differently.
        EXPECT_LT(test::rel_diff(m.history[k][n * c], par.history[k][n]), 1e-12) << "iterate " << k << " point " << n;
  }
}

TEST(Mgrit, EveryConfigurationConvergesToTheSerialFineSolution) {
  HeatParams hp;
  hp.intervals = 32;
  auto problem = std::make_shared<HeatProblem>(hp);
  auto fine = make_propagator(problem, {Integrator::ImplicitEuler, 2, 0}, SpaceKind::Serial);
  auto coarse = make_propagator(problem, {Integrator::ImplicitEuler, 1, 0}, SpaceKind::Serial);
  const State u0 = problem->initial_state();
  const int N = 37;  // not a multiple of any factor: F-points after the last C-point on every level
  const auto serial = serial_fine(*fine, u0.values, 0.0, problem->t_end(), N);
  for (int levels : {2, 3, 5})
    for (int nu : {0, 1, 2})
      for (MgritCycle cycle : {MgritCycle::V, MgritCycle::F})
        for (bool skip : {true, false}) {
          SCOPED_TRACE(testing::Message()
                       << levels << " levels, nu " << nu << ", " << to_string(cycle) << "-cycle, skip " << skip);
          MgritSettings s;
          s.slices = N;
          s.mgrit.levels = levels;
          s.mgrit.cfactor0 = 3;
          s.mgrit.cfactor = 2;
          s.mgrit.nu = nu;
          s.mgrit.cycle = cycle;
          s.mgrit.skip = skip;
          s.tolerance = 1e-11;
          s.max_iterations = N + 1;
          const PararealResult r = Mgrit(*fine, *coarse, s).run(u0.values, 0.0, problem->t_end());
          EXPECT_TRUE(r.converged);
          // The residual bounds the error: e(c) = sum of propagated residuals, |Phi| <= 1 here.
          EXPECT_LT(test::max_rel_diff(r.boundaries, serial), N * s.tolerance);
          // Residuals fall (MGRIT converges monotonically on this diffusive problem).
          for (std::size_t k = 2; k < r.log.size(); ++k) EXPECT_LT(r.log[k].residual, r.log[k - 1].residual);
        }
}

TEST(Mgrit, RelativeToleranceAndIterationCap) {
  Ex01Step step;
  MgritSettings s = ex01_settings();
  s.mgrit.relative = true;
  s.tolerance = 0.05;  // below 0.05 x 2.8455e-02 = 1.42e-03 after the second computed residual
  PararealResult r = Mgrit(step, step, s).run(scalar(1.0), 0.0, 5.0);
  EXPECT_EQ(r.iterations, 3);
  EXPECT_TRUE(r.converged);
  s = ex01_settings();
  s.max_iterations = 2;  // stops after the residual of iteration 1, not converged
  r = Mgrit(step, step, s).run(scalar(1.0), 0.0, 5.0);
  EXPECT_EQ(r.iterations, 2);
  EXPECT_FALSE(r.converged);
  EXPECT_NEAR(r.log[1].residual, 2.845538412744718e-02, 1e-16);
}

TEST(Mgrit, ScheduleModelCountsByHand) {
  // 16 slices, two levels, cf 4, F-relaxation (nu 0), skip, 3 iterations on 4 ranks:
  //   predictor: 4 coarse calls (the coarsest solve);
  //   iteration 1: F-relax max(3, ceil(12/4)) = 3 fine, residual max(1, ceil(4/4)) = 1 fine, FAS 1 coarse,
  //                coarsest 4 coarse;
  //   iteration 2: F-relax 3 + residual 1 fine (it stops there).
  MgritConfig c;
  c.levels = 2;
  c.cfactor = 4;
  c.nu = 0;
  const MgritHierarchy h = build_hierarchy(16, c);
  const MgritSchedule s = mgrit_schedule(h, c, 3, 4, 1.0, 0.1);
  ASSERT_EQ(s.calls_per_level.size(), 2u);
  EXPECT_DOUBLE_EQ(s.calls_per_level[0], 8.0);
  EXPECT_DOUBLE_EQ(s.calls_per_level[1], 9.0);
  EXPECT_DOUBLE_EQ(s.speedup, 16.0 / (8.0 + 0.9));
}

TEST(Mgrit, AlgorithmsAreRegisteredByName) {
  EXPECT_NE(find_algorithm("parareal"), nullptr);
  ASSERT_NE(find_algorithm("mgrit"), nullptr);
  EXPECT_FALSE(find_algorithm("mgrit")->checkpoints);
  EXPECT_EQ(find_algorithm("xbraid"), nullptr);
  EXPECT_EQ(algorithm_names_text(), "parareal|mgrit");
}

TEST(Mgrit, OneIterationWithSkipIsThePredictorWithItsFPointsRelaxed) {
  // max_iterations 1 with skip: the coarse sweep at the C-points (the level-1 step of ex-01 halves the
  // value: 1 / (1 + 1)), then one F-relaxation fills the F-points (1 / 1.5 of the C-point before).
  Ex01Step step;
  MgritSettings s = ex01_settings();
  s.mgrit.initial_guess.reset();  // the coarse sweep: C-points are the coarse values exactly
  s.max_iterations = 1;
  s.keep_history = true;
  const PararealResult r = Mgrit(step, step, s).run(scalar(1.0), 0.0, 5.0);
  EXPECT_EQ(r.iterations, 1);
  EXPECT_FALSE(r.converged);
  ASSERT_EQ(r.boundaries.size(), 11u);
  for (int i = 0; i <= 10; ++i) {
    const double c = std::pow(0.5, i / 2);
    EXPECT_DOUBLE_EQ(r.boundaries[i](0), i % 2 == 0 ? c : 1. / (1. + 0.5) * c) << "point " << i;
  }
  ASSERT_EQ(r.history.size(), 1u);  // the one stored state is the returned one
  EXPECT_EQ(test::max_rel_diff(r.history[0], r.boundaries), 0.0);
}

// The general core: problems through the interface of core/problem_operator.hpp, the integrators written
// once against it (models/general_propagator.hpp), and the new problems (heat 2-D, Allen-Cahn, Burgers,
// the Fisher-KPP example). Each order is measured against something independent: in space against the
// PDE's closed form, in time against the semi-discrete solution (a closed form for heat 2-D, else the same
// grid with RK4 at many more steps), so that neither error hides the other.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "core/parareal.hpp"
#include "core/problem_operator.hpp"
#include "core/problem_registry.hpp"
#include "models/allen_cahn.hpp"
#include "models/black_scholes.hpp"
#include "models/builtin_problems.hpp"
#include "models/burgers.hpp"
#include "models/diffusion_reaction.hpp"
#include "models/explicit_stability.hpp"
#include "models/heat1d.hpp"
#include "models/heat2d.hpp"
#include "models/make_propagator.hpp"
#include "models/tridiagonal_operator.hpp"
#include "parareal_test_util.hpp"
#include "space_test_fixture.hpp"

using namespace pint;
using test::max_rel_diff;
using test::orders;
using test::show;
using test::SpaceTest;

namespace {

HostVector run(const std::shared_ptr<const Problem>& p, IntegratorConfig cfg, SpaceKind space, double t1,
               bool general = true) {
  auto prop = general ? make_general_propagator(p, cfg, space) : make_propagator(p, cfg, space);
  const State u0 = p->initial_state();
  HostVector out("out", p->size());
  prop->propagate(u0.values, p->t_start(), t1, out);
  return out;
}

double max_err(const HostVector& a, const HostVector& b) {
  double e = 0;
  for (std::size_t i = 0; i < a.extent(0); ++i) e = std::max(e, std::abs(a(i) - b(i)));
  return e;
}

HostVector exact(const Problem& p, double t) {
  HostVector u("exact", p.size());
  p.exact_solution(t, u);
  return u;
}

std::shared_ptr<Heat2dProblem> heat2d(int nx, int ny, double t_end = 0.05) {
  Heat2dParams p;
  p.nx = nx;
  p.ny = ny;
  p.ly = 0.5;  // unequal directions: a transposition bug between x and y cannot cancel
  p.mode_y = 2;
  p.t_end = t_end;
  return std::make_shared<Heat2dProblem>(p);
}

std::shared_ptr<AllenCahnProblem> allen_cahn(int intervals, double t_end, NewtonSettings newton = {}) {
  AllenCahnParams p;
  p.intervals = intervals;
  p.t_end = t_end;
  p.newton = newton;
  return std::make_shared<AllenCahnProblem>(p);
}

std::shared_ptr<DiffusionReactionProblem> diffusion_reaction(int intervals, double t_end) {
  DiffusionReactionParams p;
  p.intervals = intervals;
  p.t_end = t_end;
  p.du = 0.02;  // larger than PDEBench's, so that diffusion (and the no-flux ends) matter over t_end
  p.dv = 0.05;
  return std::make_shared<DiffusionReactionProblem>(p);
}

std::shared_ptr<BurgersProblem> burgers(int intervals, double t_end) {
  BurgersParams p;
  p.intervals = intervals;
  p.t_end = t_end;
  return std::make_shared<BurgersProblem>(p);
}

/// Errors of `method` at steps, 2 steps, 4 steps, ... against `reference`.
std::vector<double> time_errors(const std::shared_ptr<const Problem>& p, Integrator method, int steps, int levels,
                                const HostVector& reference, SpaceKind space = SpaceKind::Serial) {
  std::vector<double> e;
  for (int l = 0; l < levels; ++l) e.push_back(max_err(run(p, {method, steps << l, 0}, space, p->t_end()), reference));
  return e;
}

void expect_order(const std::vector<double>& errors, double order, double slack, const std::string& what) {
  std::printf("%s: errors %s orders %s\n", what.c_str(), show(errors).c_str(), show(orders(errors)).c_str());
  for (double o : orders(errors)) {
    EXPECT_GT(o, order - slack) << what << ": errors " << show(errors) << " orders " << show(orders(errors));
    EXPECT_LT(o, order + slack) << what << ": errors " << show(errors) << " orders " << show(orders(errors));
  }
}

}  // namespace

// ------------------------------------------------------------------------------------------------
// The general integrators on the tridiagonal problems agree with the fused fast path. Both solve the same
// linear systems; they differ in the order of operations only, so by a few ulps of the solution per step
// accumulated over the steps: 1e-11 relative over <= 200 steps is ~ 50 x that.
// ------------------------------------------------------------------------------------------------
TEST_P(SpaceTest, GeneralIntegratorsMatchTheFastPathOnTridiagonalProblems) {
  BlackScholesParams bp;
  bp.s_max = 400;
  bp.ds = 2;
  const std::shared_ptr<const Problem> bs = std::make_shared<BlackScholesProblem>(bp);
  HeatParams hp;
  hp.intervals = 50;
  const std::shared_ptr<const Problem> heat = std::make_shared<HeatProblem>(hp);
  struct Case {
    std::shared_ptr<const Problem> p;
    IntegratorConfig cfg;
  };
  for (const Case& c : {Case{bs, {Integrator::CrankNicolson, 100, 4}}, Case{bs, {Integrator::ImplicitEuler, 50, 0}},
                        Case{heat, {Integrator::RK4, 2000, 0}}, Case{heat, {Integrator::ExplicitEuler, 4000, 0}},
                        Case{heat, {Integrator::CrankNicolson, 20, 0}}}) {
    const HostVector fast = run(c.p, c.cfg, GetParam(), c.p->t_end(), false);
    const HostVector general = run(c.p, c.cfg, GetParam(), c.p->t_end(), true);
    double scale = 0;
    for (std::size_t i = 0; i < fast.extent(0); ++i) scale = std::max(scale, std::abs(fast(i)));
    EXPECT_LE(max_err(fast, general), 1e-11 * scale) << c.p->name() << " " << to_string(c.cfg.method);
  }
}

// The batched stage solve equals one solve per system, each at its own time (Allen-Cahn's boundary values
// depend on it): for a linear problem the same arithmetic per system (1e-14 relative), for Newton each
// system to its tolerance (1e-12 relative: 1e-10 allowed).
TEST_P(SpaceTest, BatchedStageSolveEqualsOneSolvePerSystem) {
  auto check = [&](const std::shared_ptr<const Problem>& p, double tol) {
    with_space(GetParam(), [&](auto exec) {
      using Exec = decltype(exec);
      auto op = operator_cast<Exec>(make_problem_operator(p, GetParam()));
      using Op = ProblemOperator<Exec>;
      const int n = static_cast<int>(p->size());
      const std::vector<double> a{1e-4, 3e-3, 2e-2}, t{0.01, 0.02, 0.05};
      typename Op::Batch r("r", 3, n), u("u", 3, n);
      const State u0 = p->initial_state();
      auto r_h = Kokkos::create_mirror_view(r);
      for (int m = 0; m < 3; ++m)
        for (int i = 0; i < n; ++i) r_h(m, i) = u0.values(i) * (1.0 + 0.1 * m);
      Kokkos::deep_copy(r, r_h);
      Kokkos::deep_copy(u, r);
      op->solve_batch(t, a, r, u);
      auto u_h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace{}, u);
      for (int m = 0; m < 3; ++m) {
        typename Op::Vector rm("rm", n), um("um", n);
        Kokkos::deep_copy(rm, Kokkos::subview(r, m, Kokkos::ALL));
        Kokkos::deep_copy(um, rm);
        op->solve(t[m], a[m], rm, um);
        auto um_h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace{}, um);
        double d = 0, s = 1;
        for (int i = 0; i < n; ++i) {
          d = std::max(d, std::abs(um_h(i) - u_h(m, i)));
          s = std::max(s, std::abs(um_h(i)));
        }
        EXPECT_LE(d, tol * s) << p->name() << " system " << m;
      }
    });
  };
  BlackScholesParams bp;
  bp.s_max = 400;
  check(std::make_shared<BlackScholesProblem>(bp), 1e-14);
  check(allen_cahn(64, 0.01), 1e-10);
  check(burgers(64, 0.5), 1e-10);
  check(diffusion_reaction(64, 1.0), 1e-10);
}

// A stage solve's residual is what it claims: u - a f(u) = r to Newton's tolerance.
TEST(GeneralCore, NewtonStageSolveHasASmallResidual) {
  auto p = allen_cahn(64, 0.01);
  auto op = operator_cast<Kokkos::Serial>(make_problem_operator(p, SpaceKind::Serial));
  const int n = static_cast<int>(p->size());
  ProblemOperator<Kokkos::Serial>::Vector r("r", n), u("u", n), f("f", n);
  const State u0 = p->initial_state();
  Kokkos::deep_copy(r, u0.values);
  Kokkos::deep_copy(u, r);
  const double a = 1e-3, t = 1e-3;
  op->solve(t, a, r, u);
  op->rhs(t, u, f);
  double worst = 0;
  for (int i = 1; i + 1 < n; ++i) worst = std::max(worst, std::abs(u(i) - a * f(i) - r(i)));
  EXPECT_LE(worst, 2e-12);
  EXPECT_EQ(u(0), p->wave(p->grid()->x[0], t));  // prescribed values at the solve's time
}

// Newton converges quadratically only with the right Jacobian: a stage of a small step starts within
// ~1e-4 of its solution, so three iterations reach 1e-12 at a quadratic rate; a Jacobian that is off by
// a term (a sign, a missing factor) converges linearly and runs out of them.
TEST(GeneralCore, NewtonConvergesQuadraticallyWithTheProblemsJacobian) {
  const NewtonSettings three{1e-12, 3};
  AllenCahnParams ap;
  ap.intervals = 64;
  ap.t_end = 0.01;
  ap.newton = three;
  BurgersParams bp;
  bp.intervals = 64;
  bp.t_end = 0.2;
  bp.nu = 0.01;  // convection as strong as diffusion at this grid: its Jacobian terms matter
  bp.newton = three;
  for (const std::shared_ptr<const Problem>& p :
       {std::shared_ptr<const Problem>(std::make_shared<AllenCahnProblem>(ap)),
        std::shared_ptr<const Problem>(std::make_shared<BurgersProblem>(bp))})
    EXPECT_NO_THROW(run(p, {Integrator::CrankNicolson, 20, 0}, SpaceKind::Serial, p->t_end())) << p->name();
}

// ------------------------------------------------------------------------------------------------
// Heat 2-D. In time against the semi-discrete closed form (the grid's sine mode times exp(-lambda t)),
// so every digit of the error is the integrator's; in space against the PDE's closed form with a time
// error 1e3 below the space error.
// ------------------------------------------------------------------------------------------------
TEST_P(SpaceTest, Heat2dOrdersInTimeAgainstTheSemiDiscreteClosedForm) {
  auto p = heat2d(16, 12, 0.05);
  HostVector ref("ref", p->size());
  {
    // The grid's mode (initial condition) decays at the discrete rate.
    p->initial_condition(ref);
    const double d = std::exp(-p->discrete_decay_rate() * p->t_end());
    for (std::size_t i = 0; i < ref.extent(0); ++i) ref(i) *= d;
  }
  const SpaceKind s = GetParam();
  // Step counts past the pre-asymptotic range (there the stiff modes' error is not yet O(dt^p)).
  expect_order(time_errors(p, Integrator::ImplicitEuler, 160, 3, ref, s), 1.0, 0.1, "heat2d implicit-euler");
  expect_order(time_errors(p, Integrator::CrankNicolson, 40, 3, ref, s), 2.0, 0.1, "heat2d crank-nicolson");
  expect_order(time_errors(p, Integrator::AdiDouglas, 40, 3, ref, s), 2.0, 0.1, "heat2d adi-douglas");
  expect_order(time_errors(p, Integrator::AdiPeacemanRachford, 40, 3, ref, s), 2.0, 0.1, "heat2d peaceman-rachford");
  // RK4 inside its stability region (rate * dt <= 2.785: 200 steps at this rate ~ 2.4e3 x 0.05).
  expect_order(time_errors(p, Integrator::RK4, 60, 3, ref, s), 4.0, 0.2, "heat2d rk4");
}

TEST(GeneralCore, Heat2dSecondOrderInSpaceAgainstTheClosedForm) {
  std::vector<double> errors;
  for (int n : {16, 32, 64}) {
    auto p = heat2d(n, n, 0.05);
    // Peaceman-Rachford with dt = 1e-4: time error ~1e-8, space errors 1e-3 .. 1e-5.
    errors.push_back(max_err(run(p, {Integrator::AdiPeacemanRachford, 500, 0}, SpaceKind::Serial, p->t_end()),
                             exact(*p, p->t_end())));
  }
  expect_order(errors, 2.0, 0.1, "heat2d space");
}

// ------------------------------------------------------------------------------------------------
// Allen-Cahn and Burgers (nonlinear: Newton in every implicit stage).
// ------------------------------------------------------------------------------------------------
TEST(GeneralCore, AllenCahnOrdersInTimeAgainstASemiDiscreteReference) {
  auto p = allen_cahn(32, 0.02);
  // Reference: RK4 on the same grid at 8192 steps (stable: rate ~ 4.2e3, dt rate = 0.01); its error,
  // ~ (1/64)^4 of the coarsest RK4 run below, is far below every error measured.
  const HostVector ref = run(p, {Integrator::RK4, 8192, 0}, SpaceKind::Serial, p->t_end());
  expect_order(time_errors(p, Integrator::ImplicitEuler, 40, 3, ref), 1.0, 0.15, "allen-cahn implicit-euler");
  expect_order(time_errors(p, Integrator::CrankNicolson, 40, 3, ref), 2.0, 0.1, "allen-cahn crank-nicolson");
  // Two levels (96, 192): below 96 steps the stiff modes are pre-asymptotic (4.7 at 48 -> 96), and past 192 the
  // error (1e-13, 7e-15 at 384) meets round-off.
  expect_order(time_errors(p, Integrator::RK4, 96, 2, ref), 4.0, 0.3, "allen-cahn rk4");
}

TEST(GeneralCore, AllenCahnSecondOrderInSpaceAgainstTheTravellingWave) {
  std::vector<double> errors;
  for (int n : {64, 128, 256}) {
    auto p = allen_cahn(n, 0.02);
    errors.push_back(
        max_err(run(p, {Integrator::CrankNicolson, 400, 0}, SpaceKind::Serial, p->t_end()), exact(*p, p->t_end())));
  }
  expect_order(errors, 2.0, 0.15, "allen-cahn space");
}

TEST(GeneralCore, BurgersOrdersInTimeAgainstASemiDiscreteReference) {
  auto p = burgers(32, 0.5);
  const HostVector ref = run(p, {Integrator::RK4, 4096, 0}, SpaceKind::Serial, p->t_end());
  expect_order(time_errors(p, Integrator::ImplicitEuler, 20, 3, ref), 1.0, 0.15, "burgers implicit-euler");
  expect_order(time_errors(p, Integrator::CrankNicolson, 20, 3, ref), 2.0, 0.1, "burgers crank-nicolson");
  expect_order(time_errors(p, Integrator::RK4, 64, 3, ref), 4.0, 0.25, "burgers rk4");
}

TEST(GeneralCore, BurgersSecondOrderInSpaceAgainstColeHopf) {
  std::vector<double> errors;
  for (int n : {16, 32, 64}) {
    auto p = burgers(n, 0.5);
    errors.push_back(
        max_err(run(p, {Integrator::CrankNicolson, 200, 0}, SpaceKind::Serial, p->t_end()), exact(*p, p->t_end())));
  }
  expect_order(errors, 2.0, 0.15, "burgers space");
}

// The two-species diffusion-reaction system: its right-hand side against the PDE's applied to smooth fields
// that satisfy the no-flux condition (second order in h, the mirrored ends included), its block-tridiagonal
// Newton solve by its residual, and its integrators' orders in time against RK4 on the same grid.
TEST(GeneralCore, DiffusionReactionRightHandSideIsSecondOrderWithNoFluxEnds) {
  const double pi = std::acos(-1.0);
  std::vector<double> errors;
  for (int n : {32, 64, 128}) {
    auto p = diffusion_reaction(n, 1.0);
    auto op = operator_cast<Kokkos::Serial>(make_problem_operator(p, SpaceKind::Serial));
    const int m = static_cast<int>(p->size());
    ProblemOperator<Kokkos::Serial>::Vector u("u", m), f("f", m);
    const auto& x = p->grid()->x;
    const auto& q = p->params();
    double e = 0;
    for (int i = 0; i <= n; ++i) {
      u(2 * i) = std::cos(pi * x[i]);  // u_x = 0 and v_x = 0 at x = -1, 1
      u(2 * i + 1) = 0.5 * std::cos(2 * pi * x[i]);
    }
    op->rhs(0.0, u, f);
    for (int i = 0; i <= n; ++i) {
      const double U = u(2 * i), V = u(2 * i + 1);
      const double fu = -q.du * pi * pi * U + U - U * U * U - q.k - V;
      const double fv = -q.dv * 4 * pi * pi * V + U - V;
      e = std::max({e, std::abs(f(2 * i) - fu), std::abs(f(2 * i + 1) - fv)});
    }
    errors.push_back(e);
  }
  expect_order(errors, 2.0, 0.1, "diffusion-reaction rhs");
}

TEST(GeneralCore, DiffusionReactionNewtonSolveHasASmallResidual) {
  auto p = diffusion_reaction(64, 1.0);
  auto op = operator_cast<Kokkos::Serial>(make_problem_operator(p, SpaceKind::Serial));
  const int n = static_cast<int>(p->size());
  ProblemOperator<Kokkos::Serial>::Vector r("r", n), u("u", n), f("f", n);
  const State u0 = p->initial_state();
  Kokkos::deep_copy(r, u0.values);
  Kokkos::deep_copy(u, r);
  const double a = 0.2;  // a large stage: the cubic matters
  op->solve(0.0, a, r, u);
  op->rhs(0.0, u, f);
  double worst = 0, change = 0;
  for (int i = 0; i < n; ++i) {
    worst = std::max(worst, std::abs(u(i) - a * f(i) - r(i)));
    change = std::max(change, std::abs(u(i) - r(i)));
  }
  EXPECT_LE(worst, 2e-12);
  EXPECT_GT(change, 1e-2);  // the solve moved the state: the residual test is not trivially met
}

TEST(GeneralCore, DiffusionReactionOrdersInTimeAgainstASemiDiscreteReference) {
  auto p = diffusion_reaction(32, 1.0);
  const HostVector ref = run(p, {Integrator::RK4, 4096, 0}, SpaceKind::Serial, p->t_end());
  expect_order(time_errors(p, Integrator::ImplicitEuler, 20, 3, ref), 1.0, 0.15, "diffusion-reaction implicit-euler");
  expect_order(time_errors(p, Integrator::CrankNicolson, 20, 3, ref), 2.0, 0.1, "diffusion-reaction crank-nicolson");
  expect_order(time_errors(p, Integrator::RK4, 64, 3, ref), 4.0, 0.25, "diffusion-reaction rk4");
}

// ------------------------------------------------------------------------------------------------
// Parareal reaches the serial fine solution to round-off on every new problem.
// ------------------------------------------------------------------------------------------------
TEST_P(SpaceTest, PararealReachesTheSerialFineSolutionOnEveryNewProblem) {
  register_builtin_problems();
  struct Case {
    std::shared_ptr<const Problem> p;
    IntegratorConfig fine, coarse;
  };
  const std::vector<Case> cases = {
      {heat2d(24, 16, 0.05), {Integrator::AdiDouglas, 20, 0}, {Integrator::ImplicitEuler, 1, 0}},
      {heat2d(16, 16, 0.05), {Integrator::AdiPeacemanRachford, 20, 0}, {Integrator::AdiDouglas, 1, 0}},
      {allen_cahn(64, 0.05), {Integrator::CrankNicolson, 20, 0}, {Integrator::ImplicitEuler, 2, 0}},
      {burgers(64, 1.0), {Integrator::CrankNicolson, 20, 0}, {Integrator::ImplicitEuler, 2, 0}},
      {diffusion_reaction(32, 1.0), {Integrator::CrankNicolson, 20, 0}, {Integrator::ImplicitEuler, 2, 0}},
      {find_problem("fisher-kpp")->make(parameters_from(*find_problem("fisher-kpp"), {}, "test")),
       {Integrator::CrankNicolson, 20, 0},
       {Integrator::ImplicitEuler, 2, 0}},
  };
  for (const Case& c : cases) {
    auto F = make_propagator(c.p, c.fine, GetParam());
    auto G = make_propagator(c.p, c.coarse, GetParam());
    const int N = 16;
    Parareal parareal(*F, *G, PararealConfig{N, N, 1e-12, true});
    const State u0 = c.p->initial_state();
    const PararealResult r = parareal.run(u0.values, c.p->t_start(), c.p->t_end());
    const auto serial = serial_fine(*F, u0.values, c.p->t_start(), c.p->t_end(), N);
    EXPECT_LE(max_rel_diff(r.boundaries, serial), 1e-10) << c.p->name() << " after " << r.iterations;
    EXPECT_LT(r.iterations, N) << c.p->name() << ": converged before the trivial K = N";
    std::printf("%s: %d iterations, max relative difference to serial fine %.3g\n", c.p->name().c_str(), r.iterations,
                max_rel_diff(r.boundaries, serial));
    EXPECT_GT(max_rel_diff(r.history.front(), serial), 1e-6) << c.p->name() << ": the coarse guess is not already it";
  }
}

// A Newton failure is an error naming the slice, the time and the residual, never ignored.
TEST(GeneralCore, NewtonFailureNamesSliceTimeAndResidual) {
  auto p = allen_cahn(64, 0.05, NewtonSettings{1e-14, 1});
  auto F = make_propagator(p, {Integrator::CrankNicolson, 20, 0}, SpaceKind::Serial);
  auto G = make_propagator(p, {Integrator::ImplicitEuler, 1, 0}, SpaceKind::Serial);
  Parareal parareal(*F, *G, PararealConfig{4, 4, 1e-12, true});
  const State u0 = p->initial_state();
  try {
    parareal.run(u0.values, 0.0, p->t_end());
    FAIL() << "a Newton solve capped at 1 iteration with tolerance 1e-14 cannot converge";
  } catch (const PararealDivergence& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("slice 0"), std::string::npos) << what;
    EXPECT_NE(what.find("coarse propagator failed"), std::string::npos) << what;
    EXPECT_NE(what.find("Newton's method did not converge"), std::string::npos) << what;
    EXPECT_NE(what.find("at t = 0.0125"), std::string::npos) << what;
    EXPECT_NE(what.find("residual"), std::string::npos) << what;
    EXPECT_NE(what.find("newton_max_iterations"), std::string::npos) << what;
  }
}

// ------------------------------------------------------------------------------------------------
// The explicit-stability check on the new problems, and the registry.
// ------------------------------------------------------------------------------------------------
TEST(GeneralCore, StabilityCheckKnowsTheTwoDimensionalRate) {
  auto p = heat2d(16, 12, 0.05);
  const auto& q = p->params();
  // Largest eigenvalue magnitude of the 5-point Laplacian: the sum of the directions' largest.
  auto dir = [](int n, double len, double alpha) {
    const double h = len / n, s = std::sin((n - 1) * M_PI / (2.0 * n));
    return alpha * 4.0 / (h * h) * s * s;
  };
  const DecayRate r = largest_decay_rate(*p);
  EXPECT_TRUE(r.exact);
  EXPECT_NEAR(r.rate, dir(q.nx, q.lx, q.alpha) + dir(q.ny, q.ly, q.alpha), 1e-10 * r.rate);
  EXPECT_THROW(check_stability(*p, {Integrator::RK4, 10, 0}, 0.05, "fine"), std::invalid_argument);
  EXPECT_NO_THROW(check_stability(*p, {Integrator::RK4, 60, 0}, 0.05, "fine"));
  // Allen-Cahn at its initial state: the diffusion part dominates, 4/h^2.
  auto ac = allen_cahn(64, 0.05);
  EXPECT_GT(largest_decay_rate(*ac).rate, 4.0 * 64 * 64 * 0.9);
}

TEST(GeneralCore, RegistryNamesParametersAndRefusals) {
  register_builtin_problems();
  register_builtin_problems();  // idempotent
  for (const char* name : {"black-scholes", "heat", "dahlquist", "heat2d", "allen-cahn", "burgers", "fisher-kpp",
                           "xbraid-heat", "diffusion-reaction"})
    EXPECT_NE(find_problem(name), nullptr) << name;
  const ProblemEntry& e = *find_problem("heat2d");
  const ProblemParameters p = parameters_from(e, {{"nx", 40}}, "test");
  EXPECT_EQ(p.get_int("nx"), 40);
  EXPECT_EQ(p.get_int("ny"), 32);
  EXPECT_EQ(e.make(p)->size(), 41u * 33u);
  EXPECT_THROW(parameters_from(e, {{"nz", 4}}, "test"), std::invalid_argument);
  EXPECT_THROW(parameters_from(e, {{"nx", 4.5}}, "test"), std::invalid_argument);
  EXPECT_THROW(parameters_from(e, {{"nx", 1}}, "test"), std::invalid_argument);
  ProblemEntry dup = e;
  EXPECT_THROW(register_problem(dup), std::invalid_argument);
  // ADI on a problem without a split is refused by name.
  auto bs = std::make_shared<BlackScholesProblem>(BlackScholesParams{});
  EXPECT_THROW(make_propagator(bs, {Integrator::AdiDouglas, 10, 0}, SpaceKind::Serial), std::invalid_argument);
}

PINT_INSTANTIATE_FOR_ALL_SPACES(SpaceTest);

// Parareal in one process (the serial emulation): exactness of the first k slices after k
// iterations, the closed form on the Dahlquist equation, the default run's convergence, placement
// pairs, and divergence detection.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/parareal.hpp"
#include "models/black_scholes.hpp"
#include "models/dahlquist.hpp"
#include "models/make_propagator.hpp"
#include "parareal_test_util.hpp"
#include "spaces/registry.hpp"

using namespace pint;
using test::max_rel_diff;
using test::rel_diff;

namespace {

/// A smaller Black-Scholes call than the default (same physics, S_max 400, dS 1) to keep tests quick.
std::shared_ptr<BlackScholesProblem> small_call() {
  BlackScholesParams p;
  p.s_max = 400.0;
  p.ds = 1.0;
  return std::make_shared<BlackScholesProblem>(p);
}

IntegratorConfig fine_cn(int steps = 40) {
  return {Integrator::CrankNicolson, steps, 4};
}
IntegratorConfig coarse_ie(int steps = 4) {
  return {Integrator::ImplicitEuler, steps, 0};
}

}  // namespace

TEST(Parareal, FirstKSlicesEqualSerialFineExactlyAndKEqualsNGivesAll) {
  auto problem = small_call();
  auto F = make_propagator(problem, fine_cn(), SpaceKind::Serial);
  auto G = make_propagator(problem, coarse_ie(), SpaceKind::Serial);
  const int N = 8;
  PararealConfig pc{N, N, 0.0, true};  // tolerance 0: never stop early, never freeze a slice
  Parareal parareal(*F, *G, pc);
  const State u0 = problem->initial_state();
  const PararealResult r = parareal.run(u0.values, 0.0, 1.0);
  const auto serial = serial_fine(*F, u0.values, 0.0, 1.0, N);
  ASSERT_EQ(static_cast<int>(r.history.size()), r.iterations + 1);
  for (int k = 0; k <= r.iterations; ++k) {
    // U^k[n] for n <= k is F applied to an exact input: the engine takes F's value for the first
    // active slice (its correction is zero) and never recomputes the slices before it, so it is the
    // serial value bit for bit. (Computing that slice as G + F - G instead fails this test.)
    for (int n = 0; n <= std::min(k, N); ++n)
      EXPECT_EQ(rel_diff(r.history[k][n], serial[n]), 0.0) << "k = " << k << ", n = " << n;
  }
  // K = N: every slice is the serial fine solution. (The loop may stop at N-1 when the last
  // iteration changes nothing: then all are exact too.)
  EXPECT_EQ(max_rel_diff(r.boundaries, serial), 0.0);
  EXPECT_LE(r.iterations, N);
  // Before that, the iterate is not yet the fine solution (else the test above proves nothing).
  EXPECT_GT(max_rel_diff(r.history[1], serial), 1e-8);
}

TEST(Parareal, DahlquistIteratesEqualTheLinearClosedForm) {
  // For y' = lambda y, F and G are scalar amplification factors per slice, and Parareal's iterates are
  //   U_n^k = sum_{j <= min(k,n)} C(n, j) (F - G)^j G^(n - j) u0.
  const std::vector<double> lambdas{-0.5, -2.0, -9.0, 0.3};
  const double T = 2.0;
  const int N = 10, mf = 20, mg = 2;
  auto problem = std::make_shared<DahlquistProblem>(lambdas, 1.0, T);
  auto F = make_propagator(problem, {Integrator::CrankNicolson, mf, 0}, SpaceKind::Serial);
  auto G = make_propagator(problem, {Integrator::ImplicitEuler, mg, 0}, SpaceKind::Serial);
  Parareal parareal(*F, *G, PararealConfig{N, 5, 0.0, true});
  const State u0 = problem->initial_state();
  const PararealResult r = parareal.run(u0.values, 0.0, T);
  ASSERT_EQ(r.iterations, 5);
  const double dT = T / N;
  for (std::size_t i = 0; i < lambdas.size(); ++i) {
    const double zf = lambdas[i] * dT / mf, zg = lambdas[i] * dT / mg;
    const double f = std::pow((1 + zf / 2) / (1 - zf / 2), mf), g = std::pow(1 / (1 - zg), mg);
    for (int k = 0; k <= r.iterations; ++k) {
      for (int n = 0; n <= N; ++n) {
        double expected = 0.0, binom = 1.0;
        for (int j = 0; j <= std::min(k, n); ++j) {
          expected += binom * std::pow(f - g, j) * std::pow(g, n - j);
          binom = binom * (n - j) / (j + 1);
        }
        // Round-off: a few hundred operations on O(1) numbers, each 1.1e-16 relative; 1e-13 leaves
        // a margin of ~10 while any algorithmic slip (a wrong sign, a missed slice) is O(|f - g|).
        EXPECT_NEAR(r.history[k][n](i), expected, 1e-13 * std::max(1.0, std::abs(expected)))
            << "lambda " << lambdas[i] << " k " << k << " n " << n;
      }
    }
  }
}

TEST(Parareal, DefaultRunConvergesBelowFineDiscretisationErrorInThreeIterations) {
  // The flagship setup (seed 000): S_max 5000, dS 1, K 100, r 0.03, sigma 0.4, T 1, N 16,
  // fine CN 200 steps/slice, coarse IE 100 steps/slice.
  auto problem = std::make_shared<BlackScholesProblem>(BlackScholesParams{});
  auto F = make_propagator(problem, {Integrator::CrankNicolson, 200, 4}, SpaceKind::Serial);
  auto G = make_propagator(problem, {Integrator::ImplicitEuler, 100, 0}, SpaceKind::Serial);
  Parareal parareal(*F, *G, PararealConfig{16, 16, 1e-10, true});
  const State u0 = problem->initial_state();
  const PararealResult r = parareal.run(u0.values, 0.0, 1.0);
  const auto serial = serial_fine(*F, u0.values, 0.0, 1.0, 16);
  HostVector exact("exact", problem->size());
  problem->exact_solution(1.0, exact);
  double fine_error = 0.0;
  for (std::size_t i = 0; i < exact.extent(0); ++i)
    fine_error = std::max(fine_error, std::abs(serial[16](i) - exact(i)));
  EXPECT_TRUE(r.converged);
  EXPECT_LE(r.iterations, 3);
  ASSERT_GE(r.history.size(), 2u);
  // Absolute error of the iterate against the serial fine solution, over every slice.
  auto abs_err = [&](const std::vector<HostVector>& it) {
    double e = 0.0;
    for (int n = 0; n <= 16; ++n)
      for (std::size_t i = 0; i < exact.extent(0); ++i) e = std::max(e, std::abs(it[n](i) - serial[n](i)));
    return e;
  };
  EXPECT_LT(abs_err(r.boundaries), fine_error);
  EXPECT_LT(abs_err(r.boundaries), 1e-6 * fine_error);  // converged to (near) round-off of the fine solution
  // The error against the serial solution falls at every iteration.
  for (std::size_t k = 1; k < r.history.size(); ++k) EXPECT_LT(abs_err(r.history[k]), abs_err(r.history[k - 1]));
}

TEST(Parareal, AllPlacementPairsGiveTheSameNumbers) {
  auto problem = small_call();
  const State u0 = problem->initial_state();
  std::vector<HostVector> reference;
  for (SpaceKind fs : available_spaces()) {
    for (SpaceKind cs : available_spaces()) {
      auto F = make_propagator(problem, fine_cn(), fs);
      auto G = make_propagator(problem, coarse_ie(), cs);
      Parareal parareal(*F, *G, PararealConfig{8, 4, 0.0, false});
      const PararealResult r = parareal.run(u0.values, 0.0, 1.0);
      if (reference.empty()) {
        reference = r.boundaries;
        continue;
      }
      // Serial solves each tridiagonal system in one block, OpenMP with 2 threads in two blocks joined
      // through a separator (the partition method): the same matrix, a different order of operations.
      // The systems are diagonally dominant (condition ~ 1 + 4 sigma^2 S^2 dt / dS^2 ~ 1e3 here), so the
      // results differ by O(cond * eps) ~ 1e-13 relative; 1e-11 leaves room over 8 slices x 4 iterations.
      EXPECT_LT(max_rel_diff(r.boundaries, reference), 1e-11) << to_string(fs) << "/" << to_string(cs);
    }
  }
}

namespace {
/// Wraps a propagator and poisons its output with a NaN on one chosen call.
class PoisonOnCall final : public Propagator {
 public:
  PoisonOnCall(std::unique_ptr<Propagator> inner, int poisoned_call)
      : inner_(std::move(inner)), poisoned_(poisoned_call) {}
  std::string name() const override { return "poisoned " + inner_->name(); }
  SpaceKind space() const override { return inner_->space(); }
  std::size_t size() const override { return inner_->size(); }

 private:
  void propagate_impl(ConstHostVector in, double t0, double t1, HostVector out) override {
    inner_->propagate(in, t0, t1, out);
    if (calls_++ == poisoned_) out(out.extent(0) / 2) = std::numeric_limits<double>::quiet_NaN();
  }
  std::unique_ptr<Propagator> inner_;
  int poisoned_, calls_ = 0;
};
}  // namespace

TEST(Parareal, NaNStopsTheRunNamingSliceAndIteration) {
  auto problem = small_call();
  // Fine calls in iteration 1 are slices 0..7 in order; poison the 4th (slice 3).
  PoisonOnCall F(make_propagator(problem, fine_cn(), SpaceKind::Serial), 3);
  auto G = make_propagator(problem, coarse_ie(), SpaceKind::Serial);
  Parareal parareal(F, *G, PararealConfig{8, 8, 0.0, false});
  const State u0 = problem->initial_state();
  try {
    parareal.run(u0.values, 0.0, 1.0);
    FAIL() << "a NaN went unnoticed";
  } catch (const PararealDivergence& e) {
    EXPECT_EQ(e.slice(), 3);
    EXPECT_EQ(e.iteration(), 1);
    EXPECT_NE(std::string(e.what()).find("slice 3"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("iteration 1"), std::string::npos) << e.what();
  }
}

TEST(Parareal, RejectsImpossibleConfigurations) {
  auto problem = small_call();
  auto F = make_propagator(problem, fine_cn(), SpaceKind::Serial);
  auto G = make_propagator(problem, coarse_ie(), SpaceKind::Serial);
  EXPECT_THROW(Parareal(*F, *G, PararealConfig{0, 1, 0.0, false}), std::invalid_argument);
  EXPECT_THROW(Parareal(*F, *G, PararealConfig{4, -1, 0.0, false}), std::invalid_argument);
  EXPECT_THROW(Parareal(*F, *G, PararealConfig{4, 1, -1.0, false}), std::invalid_argument);
  auto other = std::make_shared<DahlquistProblem>(std::vector<double>{-1.0}, 1.0, 1.0);
  auto G_other = make_propagator(other, coarse_ie(), SpaceKind::Serial);
  EXPECT_THROW(Parareal(*F, *G_other, PararealConfig{}), std::invalid_argument);
}

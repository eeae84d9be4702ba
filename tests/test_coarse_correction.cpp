// The learned coarse corrections (core/coarse_correction.hpp): the Krylov-corrected coarse step is F on
// the span of the fine inputs (affine part included); the RandNet read-out reproduces the discrepancies
// it was fitted on; with either, Parareal keeps the first k slices exact and converges to the serial
// fine solution.
#include <gtest/gtest.h>

#include <cmath>
#include <tuple>

#include "core/coarse_correction.hpp"
#include "core/parareal.hpp"
#include "core/slice_values.hpp"
#include "models/black_scholes.hpp"
#include "models/burgers.hpp"
#include "models/make_propagator.hpp"
#include "parareal_test_util.hpp"

using namespace pint;

namespace {

std::shared_ptr<BlackScholesProblem> small_black_scholes() {
  BlackScholesParams p;
  p.s_max = 400.0;
  p.ds = 4.0;  // 101 nodes: the boundary term S_max - K e^{-r tau} makes F affine, different on every slice
  return std::make_shared<BlackScholesProblem>(p);
}

double max_abs(const HostVector& v) {
  double m = 0;
  for (std::size_t i = 0; i < v.extent(0); ++i) m = std::max(m, std::abs(v(i)));
  return m;
}

HostVector copy_of(ConstHostVector v) {
  HostVector out = host_vector(v.extent(0), "test::copy");
  Kokkos::deep_copy(out, v);
  return out;
}

/// Krylov with the Euclidean inner product and with the H1 one (--krylov-smoothness 10): either projects
/// onto the same span, so the corrected step is F on it either way; and with the propagators attached, as
/// Parareal attaches them, where the affine coarse propagator lets the step take u itself (G(u) + (W - C Q) c)
/// instead of the shifted input u - Q c: mode 0 not attached, 1 attached (C Q by coarse calls), 2 attached
/// and the pairs carrying G_n(x) and G_n(0) as Parareal's do (C Q from the pairs' coarse images).
class KrylovReproduces : public ::testing::TestWithParam<std::tuple<double, int>> {};

TEST_P(KrylovReproduces, FineOnTheSpanOfItsInputsAffinePartIncluded) {
  auto problem = small_black_scholes();
  auto F = make_propagator(problem, {Integrator::ImplicitEuler, 20, 0}, SpaceKind::Serial);
  auto G = make_propagator(problem, {Integrator::ImplicitEuler, 2, 0}, SpaceKind::Serial);
  const std::size_t M = problem->size();
  const int N = 8;
  auto t = [&](int n) { return Parareal::slice_time(0.0, 1.0, n, N); };
  // Inputs of slices 1..4: the exact prices at those times, made less smooth so that they are independent.
  std::vector<HostVector> x, fx, b, gx, g0;
  for (int n = 1; n <= 4; ++n) {
    HostVector in = host_vector(M, "x");
    problem->exact_solution(t(n), in);
    for (std::size_t i = 0; i < M; ++i) in(i) += 3.0 * std::sin(0.05 * n * static_cast<double>(i));
    HostVector out = host_vector(M, "fx"), zero = host_vector(M, "b");
    F->propagate(in, t(n), t(n + 1), out);
    Kokkos::deep_copy(zero, 0.0);
    F->propagate(zero, t(n), t(n + 1), zero);
    x.push_back(in);
    fx.push_back(out);
    b.push_back(zero);
    gx.push_back(host_vector(M, "gx"));
    g0.push_back(host_vector(M, "g0"));
    Kokkos::deep_copy(g0.back(), 0.0);
    G->propagate(in, t(n), t(n + 1), gx.back());
    G->propagate(g0.back(), t(n), t(n + 1), g0.back());
  }
  CorrectionConfig cfg;
  cfg.kind = "krylov";
  cfg.smoothness = std::get<0>(GetParam());
  cfg.coarse_powers = 0;
  const int mode = std::get<1>(GetParam());
  const bool attached = mode > 0;
  auto krylov = make_correction(cfg, M);
  if (attached)
    krylov->attach(SliceOperators{
        [&](int n, const std::vector<HostVector>& in, const std::vector<HostVector>& out) {
          for (std::size_t i = 0; i < in.size(); ++i) G->propagate(in[i], t(n), t(n + 1), out[i]);
        },
        [&](int n, const HostVector& in, const HostVector& out) { F->propagate(in, t(n), t(n + 1), out); }, N});
  std::vector<SlicePair> pairs;
  for (int j = 0; j < 4; ++j)
    pairs.push_back({j + 1, x[j], fx[j], mode == 2 ? gx[j] : HostVector(), b[j], mode == 2 ? g0[j] : HostVector()});
  krylov->learn(pairs, MPI_COMM_SELF);
  ASSERT_EQ(krylov->stats().model_size.back(), 4);
  EXPECT_EQ(krylov->stats().coarse_affine, attached ? 1 : -1);
  if (attached) {
    EXPECT_LT(krylov->stats().affine_error, 1e-12);
    // The check: G_1(0) and 3 more calls on slice 1, without the pairs' images 2 on each of slices 2, 4
    // and 7 and 4 for C Q.
    EXPECT_EQ(krylov->stats().extra_coarse_calls, mode == 2 ? 4 : 14);
  }

  // Slice 2 (index 1) from its anchor x[1] to u = x[1] + 0.7 x[0] - 0.4 x[3] (in S): the corrected step
  // F(a) + (G(u') - G(a)) + e must be F(u), on a slice other than those the inputs came from too (the
  // affine parts differ per slice).
  for (int n : {2, 6}) {
    HostVector a = copy_of(x[1]), u = host_vector(M, "u");
    for (std::size_t i = 0; i < M; ++i) u(i) = a(i) + 0.7 * x[0](i) - 0.4 * x[3](i);
    HostVector Fa = host_vector(M, "Fa"), Fu = host_vector(M, "Fu"), Ga = host_vector(M, "Ga"),
               Gu = host_vector(M, "Gu"), cin = host_vector(M, "cin"), e = host_vector(M, "e");
    F->propagate(a, t(n), t(n + 1), Fa);
    F->propagate(u, t(n), t(n + 1), Fu);
    G->propagate(a, t(n), t(n + 1), Ga);
    EXPECT_EQ(krylov->prepare(n, u, a, cin, e), attached);  // true: u' == u
    if (attached) {
      for (std::size_t i = 0; i < M; ++i) ASSERT_EQ(cin(i), u(i));
    }
    G->propagate(cin, t(n), t(n + 1), Gu);
    double err = 0, plain = 0;
    for (std::size_t i = 0; i < M; ++i) {
      err = std::max(err, std::abs(Fa(i) + ((Gu(i) - Ga(i)) + e(i)) - Fu(i)));
      plain = std::max(plain, std::abs(Fa(i) + (0.0) - Fu(i)));
    }
    // Round-off of values of size ~300 through a basis of 4 directions; G alone would be off by far more.
    EXPECT_LT(err, 1e-10 * max_abs(Fu)) << "slice " << n;
    HostVector Gplain = host_vector(M, "Gplain");
    G->propagate(u, t(n), t(n + 1), Gplain);
    double coarse_err = 0;
    for (std::size_t i = 0; i < M; ++i)
      coarse_err = std::max(coarse_err, std::abs(Fa(i) + (Gplain(i) - Ga(i)) - Fu(i)));
    EXPECT_GT(coarse_err, 1e3 * err) << "the test would pass without the correction";
  }
}

INSTANTIATE_TEST_SUITE_P(KrylovCorrection, KrylovReproduces,
                         ::testing::Combine(::testing::Values(0.0, 10.0), ::testing::Values(0, 1, 2)));

TEST(KrylovCorrection, AnUnchangedInputGivesTheCoarseInputItself) {
  auto problem = small_black_scholes();
  const std::size_t M = problem->size();
  CorrectionConfig cfg;
  cfg.kind = "krylov";
  auto krylov = make_correction(cfg, M);
  HostVector a = host_vector(M, "a"), cin = host_vector(M, "cin"), e = host_vector(M, "e");
  problem->initial_condition(a);
  EXPECT_TRUE(krylov->prepare(1, a, a, cin, e));
  for (std::size_t i = 0; i < M; ++i) {
    EXPECT_EQ(cin(i), a(i));
    EXPECT_EQ(e(i), 0.0);
  }
}

TEST(RandNetCorrection, ReproducesTheDiscrepanciesItWasFittedOn) {
  // Discrepancies of a known form d(x) = sin(x) elementwise at four inputs; with m = 4 neighbours and the
  // minimum-norm read-out, the increment from a stored input to another is the difference of their
  // discrepancies, to round-off.
  const std::size_t M = 32;
  std::vector<HostVector> x, fine, coarse;
  for (int j = 0; j < 4; ++j) {
    HostVector in = host_vector(M, "x"), f = host_vector(M, "f"), g = host_vector(M, "g");
    for (std::size_t i = 0; i < M; ++i) {
      in(i) = std::cos(0.3 * (j + 1) * static_cast<double>(i)) + 0.1 * j;
      g(i) = 2.0 * in(i);
      f(i) = g(i) + std::sin(in(i));
    }
    x.push_back(in);
    fine.push_back(f);
    coarse.push_back(g);
  }
  CorrectionConfig cfg;
  cfg.kind = "randnet";
  cfg.neurons = 40;
  cfg.neighbours = 4;
  auto randnet = make_correction(cfg, M);
  std::vector<SlicePair> pairs;
  for (int j = 0; j < 4; ++j) pairs.push_back({j + 1, x[j], fine[j], coarse[j], {}, {}});
  randnet->learn(pairs, MPI_COMM_SELF);
  HostVector cin = host_vector(M, "cin"), e = host_vector(M, "e");
  for (int q = 0; q < 4; ++q)
    for (int a = 0; a < 4; ++a) {
      if (q == a) continue;
      EXPECT_TRUE(randnet->prepare(1, x[q], x[a], cin, e));
      for (std::size_t i = 0; i < M; ++i) {
        EXPECT_EQ(cin(i), x[q](i));
        EXPECT_NEAR(e(i), std::sin(x[q](i)) - std::sin(x[a](i)), 1e-9) << "query " << q << ", anchor " << a;
      }
    }
}

/// Parareal with a correction: every iterate keeps the slices below k exact (equal to the serial fine
/// solution bit for bit) and the run converges to the serial fine solution.
void check_parareal(Propagator& F, Propagator& G, ConstHostVector u0, double t1, const std::string& kind,
                    int max_plain_iterations, int coarse_powers = 0) {
  const int N = 12;
  PararealConfig pc{N, N, 1e-11, true};
  CorrectionConfig cfg;
  cfg.kind = kind;
  cfg.coarse_powers = coarse_powers;
  auto correction = make_correction(cfg, u0.extent(0));
  const PararealResult r = Parareal(F, G, pc, MPI_COMM_SELF, correction.get()).run(u0, 0.0, t1);
  const std::vector<HostVector> serial = serial_fine(F, u0, 0.0, t1, N);
  ASSERT_TRUE(r.converged);
  for (std::size_t k = 0; k < r.history.size(); ++k)
    for (int n = 0; n <= std::min<int>(static_cast<int>(k), N); ++n)
      for (std::size_t i = 0; i < u0.extent(0); ++i)
        ASSERT_EQ(r.history[k][n](i), serial[n](i)) << kind << ": slice value " << n << " at iteration " << k;
  double err = 0, size = 0;
  for (int n = 0; n <= N; ++n)
    for (std::size_t i = 0; i < u0.extent(0); ++i) {
      err = std::max(err, std::abs(r.boundaries[n](i) - serial[n](i)));
      size = std::max(size, std::abs(serial[n](i)));
    }
  EXPECT_LT(err, 1e-9 * size) << kind;
  const PararealResult plain = Parareal(F, G, pc, MPI_COMM_SELF).run(u0, 0.0, t1);
  EXPECT_LE(r.iterations, plain.iterations) << kind;
  EXPECT_LE(plain.iterations, max_plain_iterations);
  EXPECT_EQ(r.correction.name, kind);
}

TEST(CorrectedParareal, KrylovOnBlackScholesConvergesToTheSerialFineSolution) {
  auto problem = small_black_scholes();
  auto F = make_propagator(problem, {Integrator::CrankNicolson, 16, 4}, SpaceKind::Serial);
  auto G = make_propagator(problem, {Integrator::ImplicitEuler, 1, 0}, SpaceKind::Serial);
  const State u0 = problem->initial_state();
  check_parareal(*F, *G, u0.values, 1.0, "krylov", 12);
}

/// Krylov's coarse powers: with Crank-Nicolson fine and implicit-Euler coarse on one grid A and C commute
/// (both rational functions of L), the check says so to round-off, and the widened span saves iterations
/// against the inputs' span alone. A coarse propagator of another volatility is another operator: the
/// check finds A C z != C A z, switches the powers off, and the run still converges to F's solution.
/// history: keep every iterate and run to tolerance 0, so that no slice is frozen at a converged but
/// inexact value (Parareal skips slices before the first unconverged one) and every slice n <= k of
/// iterate k must equal the serial fine solution bit for bit.
PararealResult krylov_run(Propagator& F, Propagator& G, ConstHostVector u0, int powers, bool history = false) {
  CorrectionConfig cfg;
  cfg.kind = "krylov";
  cfg.coarse_powers = powers;
  auto correction = make_correction(cfg, u0.extent(0));
  return Parareal(F, G, PararealConfig{12, 12, history ? 0.0 : 1e-11, history}, MPI_COMM_SELF, correction.get())
      .run(u0, 0.0, 1.0);
}

TEST(CorrectedParareal, KrylovCoarsePowersAreCheckedAndSaveIterationsWhereAAndCCommute) {
  auto problem = small_black_scholes();
  auto F = make_propagator(problem, {Integrator::CrankNicolson, 16, 4}, SpaceKind::Serial);
  auto G = make_propagator(problem, {Integrator::ImplicitEuler, 1, 0}, SpaceKind::Serial);
  const State u0 = problem->initial_state();
  const PararealResult none = krylov_run(*F, *G, u0.values, 0), four = krylov_run(*F, *G, u0.values, 4);
  ASSERT_TRUE(none.converged && four.converged);
  EXPECT_LT(four.correction.commutation_error, 1e-7);  // the weak directions' images carry rounding
  EXPECT_EQ(four.correction.extra_fine_calls, 2);
  EXPECT_EQ(none.correction.commutation_error, -1.0);  // not checked: no powers
  EXPECT_LT(four.iterations, none.iterations);
}

TEST(CorrectedParareal, KrylovCoarsePowersSwitchOffWhereAAndCDoNotCommute) {
  auto problem = small_black_scholes();
  BlackScholesParams other;
  other.s_max = 400.0;
  other.ds = 4.0;
  other.sigma = 0.8;
  auto F = make_propagator(problem, {Integrator::CrankNicolson, 16, 4}, SpaceKind::Serial);
  auto G = make_propagator(std::make_shared<BlackScholesProblem>(other), {Integrator::ImplicitEuler, 1, 0},
                           SpaceKind::Serial);
  const State u0 = problem->initial_state();
  const PararealResult r = krylov_run(*F, *G, u0.values, 4), none = krylov_run(*F, *G, u0.values, 0);
  EXPECT_GT(r.correction.commutation_error, 1e-6);
  EXPECT_EQ(r.correction.model_size, none.correction.model_size);  // switched off: the inputs' basis only
  ASSERT_TRUE(r.converged);
  const std::vector<HostVector> serial = serial_fine(*F, u0.values, 0.0, 1.0, 12);
  for (std::size_t i = 0; i < u0.values.extent(0); ++i)
    EXPECT_NEAR(r.boundaries[12](i), serial[12](i), 1e-8 * max_abs(serial[12]));
}

/// A coarse propagator that is not affine with one linear part C on every slice: the wrapped one plus a
/// small quadratic term, or scaled by a factor that grows with the slice's start time (a linear G whose
/// C changes from slice to slice).
class PerturbedCoarse final : public Propagator {
 public:
  PerturbedCoarse(Propagator& g, bool quadratic) : g_(g), quadratic_(quadratic) {}
  std::string name() const override { return "perturbed " + g_.name(); }
  SpaceKind space() const override { return g_.space(); }
  std::size_t size() const override { return g_.size(); }

 private:
  void propagate_impl(ConstHostVector in, double t0, double t1, HostVector out) override {
    const HostVector u = copy_of(in);  // `out` may be `in`
    g_.propagate(u, t0, t1, out);
    for (std::size_t i = 0; i < out.extent(0); ++i)
      out(i) = quadratic_ ? out(i) + 1e-6 * u(i) * u(i) : out(i) * (1.0 + 0.01 * t0);
  }
  Propagator& g_;
  bool quadratic_;
};

/// The affine form of the corrected call is used only where the check finds G affine with one C: with
/// implicit Euler it is (no anchor calls), with either perturbation it is not, and the run keeps the
/// shifted input (anchor calls) and still converges to F's solution.
TEST(CorrectedParareal, KrylovTakesTheUnshiftedInputOnlyWhereTheCoarsePropagatorIsAffine) {
  auto problem = small_black_scholes();
  auto F = make_propagator(problem, {Integrator::CrankNicolson, 16, 4}, SpaceKind::Serial);
  auto G = make_propagator(problem, {Integrator::ImplicitEuler, 1, 0}, SpaceKind::Serial);
  const State u0 = problem->initial_state();
  const PararealResult affine = krylov_run(*F, *G, u0.values, 0);
  ASSERT_TRUE(affine.converged);
  EXPECT_EQ(affine.correction.coarse_affine, 1);
  EXPECT_LT(affine.correction.affine_error, 1e-12);
  EXPECT_EQ(affine.anchor_coarse_calls, 11);  // G_n(0) of slices 1..11 once, no anchor renewed
  const std::vector<HostVector> serial = serial_fine(*F, u0.values, 0.0, 1.0, 12);
  for (bool quadratic : {true, false}) {
    PerturbedCoarse P(*G, quadratic);
    const PararealResult r = krylov_run(*F, P, u0.values, 0), h = krylov_run(*F, P, u0.values, 0, true);
    EXPECT_EQ(r.correction.coarse_affine, 0) << (quadratic ? "quadratic" : "time-dependent");
    EXPECT_GT(r.correction.affine_error, 1e-6);
    EXPECT_GT(r.anchor_coarse_calls, 11);
    ASSERT_TRUE(r.converged);
    EXPECT_EQ(h.correction.coarse_affine, 0);
    ASSERT_EQ(h.history.size(), 13u);
    for (std::size_t k = 0; k < h.history.size(); ++k)  // the first k slices exact, bit for bit
      for (int n = 0; n <= std::min<int>(static_cast<int>(k), 12); ++n)
        for (std::size_t i = 0; i < u0.values.extent(0); ++i)
          ASSERT_EQ(h.history[k][n](i), serial[n](i))
              << "slice " << n << ", iteration " << k << ", quadratic " << quadratic;
    for (std::size_t i = 0; i < u0.values.extent(0); ++i)
      EXPECT_NEAR(r.boundaries[12](i), serial[12](i), 1e-8 * max_abs(serial[12]));
  }
}

TEST(CorrectedParareal, KrylovWithCoarsePowersConvergesToTheSerialFineSolution) {
  auto problem = small_black_scholes();
  auto F = make_propagator(problem, {Integrator::CrankNicolson, 16, 4}, SpaceKind::Serial);
  auto G = make_propagator(problem, {Integrator::ImplicitEuler, 1, 0}, SpaceKind::Serial);
  const State u0 = problem->initial_state();
  check_parareal(*F, *G, u0.values, 1.0, "krylov", 12, 4);
}

TEST(CorrectedParareal, RandNetOnBurgersConvergesToTheSerialFineSolution) {
  BurgersParams p;
  p.intervals = 32;
  p.nu = 0.02;
  p.a = 1.1;
  auto problem = std::make_shared<BurgersProblem>(p);
  auto F = make_propagator(problem, {Integrator::CrankNicolson, 10, 0}, SpaceKind::Serial);
  auto G = make_propagator(problem, {Integrator::ImplicitEuler, 1, 0}, SpaceKind::Serial);
  const State u0 = problem->initial_state();
  check_parareal(*F, *G, u0.values, 1.0, "randnet", 12);
}

TEST(CorrectedParareal, ResumingWithACorrectionIsRefused) {
  auto problem = small_black_scholes();
  auto F = make_propagator(problem, {Integrator::ImplicitEuler, 4, 0}, SpaceKind::Serial);
  const State u0 = problem->initial_state();
  CorrectionConfig cfg;
  cfg.kind = "krylov";
  auto correction = make_correction(cfg, u0.values.extent(0));
  ResumeState rs;
  RunHooks hooks;
  hooks.resume = &rs;
  EXPECT_THROW(Parareal(*F, *F, PararealConfig{4, 4, 1e-10, false}, MPI_COMM_SELF, correction.get())
                   .run(u0.values, 0.0, 1.0, {}, hooks),
               std::invalid_argument);
}

TEST(CorrectionConfig, BadSettingsAreRefusedByName) {
  CorrectionConfig c;
  c.kind = "gaussian-process";
  EXPECT_THROW(validate(c), std::invalid_argument);
  c = {};
  c.basis_cap = 0;
  EXPECT_THROW(validate(c), std::invalid_argument);
  c = {};
  c.rank_tolerance = 0;
  EXPECT_THROW(validate(c), std::invalid_argument);
  c = {};
  c.coarse_powers = 9;
  EXPECT_THROW(validate(c), std::invalid_argument);
  c = {};
  c.coarse_powers = 4;
  c.smoothness = 3;  // the powers need the Euclidean product
  EXPECT_THROW(validate(c), std::invalid_argument);
  c.coarse_powers = 0;
  EXPECT_NO_THROW(validate(c));
  c = {};
  c.neighbours = 0;
  EXPECT_THROW(validate(c), std::invalid_argument);
  c = {};
  c.ridge = -1;
  EXPECT_THROW(validate(c), std::invalid_argument);
  EXPECT_EQ(make_correction(CorrectionConfig{}, 10), nullptr);
}

}  // namespace

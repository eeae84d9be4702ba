// The explicit-stability check (models/explicit_stability.hpp) against references it does not share
// code with: the heat operator's eigenvalues in closed form, LAPACK's dense nonsymmetric eigensolver
// (dgeev: Hessenberg QR, not dstebz's bisection), and the explicit propagators themselves, which must
// keep the stiffest mode bounded with the step count the check names and let it grow with one less.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <memory>
#include <string>
#include <vector>

#include "models/black_scholes.hpp"
#include "models/dahlquist.hpp"
#include "models/explicit_stability.hpp"
#include "models/heat1d.hpp"
#include "models/make_propagator.hpp"

extern "C" void dgeev_(const char* jobvl, const char* jobvr, const int* n, double* a, const int* lda, double* wr,
                       double* wi, double* vl, const int* ldvl, double* vr, const int* ldvr, double* work,
                       const int* lwork, int* info, std::size_t, std::size_t);

using namespace pint;

namespace {

/// Every eigenvalue of L restricted to the unknowns that are not prescribed, by dense QR.
std::vector<std::complex<double>> dense_eigenvalues(const Problem& p) {
  const Tridiagonal op = p.spatial_operator();
  const int first = p.grid()->dirichlet_ends ? 1 : 0;
  const int n = static_cast<int>(op.size()) - 2 * first;
  std::vector<double> a(static_cast<std::size_t>(n) * n, 0.0);  // column-major
  for (int j = 0; j < n; ++j) {
    const int i = first + j;
    a[j + j * n] = op.diag[i];
    if (j > 0) a[j + (j - 1) * n] = op.lower[i];
    if (j + 1 < n) a[j + (j + 1) * n] = op.upper[i];
  }
  std::vector<double> wr(n), wi(n), work(8 * n);
  const int one = 1, lwork = 8 * n;
  int info = 0;
  dgeev_("N", "N", &n, a.data(), &n, wr.data(), wi.data(), nullptr, &one, nullptr, &one, work.data(), &lwork, &info, 1,
         1);
  EXPECT_EQ(info, 0);
  std::vector<std::complex<double>> out;
  for (int j = 0; j < n; ++j) out.emplace_back(wr[j], wi[j]);
  return out;
}

double largest_dense_decay(const Problem& p) {
  double rate = 0.0;
  for (const auto& l : dense_eigenvalues(p)) rate = std::max(rate, -l.real());
  return rate;
}

HeatParams heat(int intervals) {
  HeatParams h;
  h.intervals = intervals;
  return h;
}

}  // namespace

TEST(ExplicitStability, HeatRateIsTheClosedFormEigenvalue) {
  // lambda_k = -4 alpha / h^2 sin^2(k pi h / (2 L)), largest at k = M - 1. dstebz bisects to about
  // 2 eps |T| = 2 eps 4 alpha / h^2 absolute: 1e-15 relative; 1e-13 leaves room.
  for (int M : {10, 100, 1000}) {
    const HeatProblem p(heat(M));
    const double h = 1.0 / M;
    const double exact = 4.0 / (h * h) * std::pow(std::sin((M - 1) * M_PI * h / 2.0), 2);
    const DecayRate r = largest_decay_rate(p);
    EXPECT_TRUE(r.exact);
    EXPECT_NEAR(r.rate, exact, 1e-13 * exact) << "M = " << M;
  }
}

TEST(ExplicitStability, BlackScholesRateMatchesDenseEigenvalues) {
  // The Black-Scholes operator is not symmetric; dstebz sees its symmetrized form, dgeev the matrix
  // itself. Its eigenvalues are real here (every off-diagonal pair has a positive product) and their
  // condition number is that of the diagonal similarity, about S_max / dS = 200: dgeev's relative
  // error is then at most ~200 eps |L| / |lambda| < 1e-12; 1e-10 is the bound.
  BlackScholesParams bs;
  bs.s_max = 200;
  const BlackScholesProblem p(bs);
  const DecayRate r = largest_decay_rate(p);
  EXPECT_TRUE(r.exact);
  const double dense = largest_dense_decay(p);
  EXPECT_NEAR(r.rate, dense, 1e-10 * dense);
  for (const auto& l : dense_eigenvalues(p)) EXPECT_LT(std::abs(l.imag()), 1e-9 * dense);
}

TEST(ExplicitStability, GershgorinBoundsTheRateWhereConvectionDominates) {
  // r / sigma^2 = 50: the first 50 rows have lower and upper of opposite signs, the eigenvalues may
  // be complex, and the check falls back to Gershgorin, which must bound every decay rate from above.
  BlackScholesParams bs;
  bs.s_max = 200;
  bs.rate = 0.5;
  bs.sigma = 0.1;
  const BlackScholesProblem p(bs);
  const DecayRate r = largest_decay_rate(p);
  EXPECT_FALSE(r.exact);
  EXPECT_GE(r.rate, largest_dense_decay(p));
}

TEST(ExplicitStability, DahlquistRateIsTheMostNegativeLambda) {
  EXPECT_DOUBLE_EQ(largest_decay_rate(DahlquistProblem({-1.0, -10.0, -100.0}, 1.0, 1.0)).rate, 100.0);
  EXPECT_DOUBLE_EQ(largest_decay_rate(DahlquistProblem({2.0, 0.5}, 1.0, 1.0)).rate, 0.0);  // growth is no instability
}

TEST(ExplicitStability, TheNamedStepCountIsSharpForTheStiffestMode) {
  // The sine mode k = M - 1 is an eigenvector of the discrete heat operator, so explicit Euler and
  // RK4 multiply it by R(-dt rho) per step: with the step count the check names it must not grow,
  // with one step less (dt rho beyond the stability limit) it must.
  const int M = 50;
  HeatParams hp = heat(M);
  hp.mode = M - 1;
  auto p = std::make_shared<HeatProblem>(hp);
  const double slice = 0.01;
  HostVector u0("u0", p->size());
  p->initial_condition(u0);
  double size0 = 0.0;
  for (std::size_t i = 0; i < p->size(); ++i) size0 = std::max(size0, std::abs(u0(i)));
  for (Integrator m : {Integrator::ExplicitEuler, Integrator::RK4}) {
    const long need = smallest_stable_steps(m, largest_decay_rate(*p).rate, slice);
    ASSERT_GT(need, 1);
    for (long steps : {need, need - 1}) {
      auto prop = make_propagator(p, {m, static_cast<int>(steps), 0}, SpaceKind::Serial);
      HostVector out("out", p->size());
      prop->propagate(u0, 0.0, slice, out);
      double size = 0.0;
      for (std::size_t i = 0; i < p->size(); ++i) size = std::max(size, std::abs(out(i)));
      if (steps == need)
        EXPECT_LE(size, size0 * (1 + 1e-9)) << to_string(m) << " with " << steps << " steps";
      else
        EXPECT_GT(size, size0) << to_string(m) << " with " << steps << " steps";
    }
  }
}

TEST(ExplicitStability, TheRefusalNamesTheSmallestStableStepsAndTheWayOut) {
  // The reproduction: heat, explicit Euler, 2 steps per slice, 100 intervals, 4 slices.
  const HeatProblem p(heat(100));
  const double slice = p.t_end() / 4;
  try {
    check_stability(p, {Integrator::ExplicitEuler, 2, 0}, slice, "fine");
    FAIL() << "an unstable configuration was accepted";
  } catch (const std::invalid_argument& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("--fine-steps 500 or more"), std::string::npos) << m;  // ceil(0.025 * 39990 / 2)
    EXPECT_NE(m.find("--allow-unstable"), std::string::npos) << m;
  }
  EXPECT_NO_THROW(check_stability(p, {Integrator::ExplicitEuler, 500, 0}, slice, "fine"));
  EXPECT_NO_THROW(check_stability(p, {Integrator::ImplicitEuler, 1, 0}, slice, "coarse"));
  EXPECT_NO_THROW(check_stability(p, {Integrator::CrankNicolson, 1, 0}, slice, "coarse"));
}

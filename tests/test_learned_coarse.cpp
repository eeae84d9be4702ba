// The learned coarse propagator G(u) = C(u) + N(t1) - C(N(t0)): shared Kokkos/torch buffers, the
// formula itself, its linear response (C', not 0 or I), Parareal with a TorchScript model built by
// Debian's python3-torch, and clear errors for bad model files.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "core/parareal.hpp"
#include "models/black_scholes.hpp"
#include "models/learned/learned_coarse_propagator.hpp"
#include "models/make_propagator.hpp"
#include "parareal_test_util.hpp"

using namespace pint;

namespace {

std::shared_ptr<BlackScholesProblem> small_call() {
  BlackScholesParams p;
  p.s_max = 400.0;
  return std::make_shared<BlackScholesProblem>(p);
}

/// A C++ surface (discounted intrinsic value) that also records which memory it was handed.
class RecordingSurface final : public SurfaceModel {
 public:
  void evaluate(double tau, const torch::Tensor& x, torch::Tensor& out) override {
    x_ptr = x.data_ptr<double>();
    out_ptr = out.data_ptr<double>();
    out.copy_(torch::clamp(x - 100.0 * std::exp(-0.03 * tau), 0.0));
  }
  std::string describe() const override { return "recording"; }
  const double* x_ptr = nullptr;
  const double* out_ptr = nullptr;
};

std::string module_dir() {
  const char* d = std::getenv("PINT_TEST_MODULES");
  return d ? d : "";
}

}  // namespace

TEST(LearnedCoarse, NetworkReadsAndWritesTheKokkosViewsInPlace) {
  auto surface = std::make_shared<RecordingSurface>();
  LearnedCoarsePropagator<Kokkos::DefaultHostExecutionSpace> G(small_call(), surface, 2);
  LearnedCoarsePropagator<Kokkos::DefaultHostExecutionSpace>::Vector out("out", G.size());
  G.evaluate_surface(0.5, out);
  EXPECT_EQ(surface->x_ptr, G.grid_view().data()) << "the network did not read the grid View itself";
  EXPECT_EQ(surface->out_ptr, out.data()) << "the network did not write into the output View itself";
  EXPECT_DOUBLE_EQ(out(300), 300.0 - 100.0 * std::exp(-0.03 * 0.5));
}

TEST(LearnedCoarse, IsCheapStepsPlusTheLearnedCorrection) {
  auto problem = small_call();
  auto surface = std::make_shared<RecordingSurface>();
  const int c_steps = 2;
  auto G = make_learned_coarse(problem, surface, c_steps, SpaceKind::Serial);
  auto C = make_propagator(problem, {Integrator::ImplicitEuler, c_steps, 0}, SpaceKind::Serial);
  const double t0 = 0.25, t1 = 0.3125;
  HostVector u("u", G->size()), g("g", G->size()), cu("cu", G->size()), n0("n0", G->size()), cn0("cn0", G->size());
  problem->exact_solution(t0, u);  // any state; a smooth one
  for (std::size_t i = 0; i < u.extent(0); ++i)
    n0(i) = std::max(problem->grid()->x[i] - 100.0 * std::exp(-0.03 * t0), 0.0);
  G->propagate(u, t0, t1, g);
  C->propagate(u, t0, t1, cu);
  C->propagate(n0, t0, t1, cn0);
  double worst = 0.0;
  for (std::size_t i = 1; i + 1 < u.extent(0); ++i) {
    const double n1 = std::max(problem->grid()->x[i] - 100.0 * std::exp(-0.03 * t1), 0.0);
    worst = std::max(worst, std::abs(g(i) - (cu(i) + n1 - cn0(i))));
  }
  // Same operations in a different order: round-off of values up to 300 (1e-13 absolute is ~1e-15 relative).
  EXPECT_LT(worst, 1e-11);
  EXPECT_EQ(g(0), problem->boundary_values(t1)[0]);  // prescribed ends are the problem's own
  EXPECT_EQ(g(u.extent(0) - 1), problem->boundary_values(t1)[1]);
}

TEST(LearnedCoarse, RespondsToItsInputLikeTheCheapSteps) {
  // G(u + d) - G(u) = C(d) - C(0): the linear response is that of C (damping), not 0 (a network of
  // (t, x) alone) and not the identity (the offset form u + N(t1) - N(t0)).
  auto problem = small_call();
  auto G = make_learned_coarse(problem, std::make_shared<RecordingSurface>(), 2, SpaceKind::Serial);
  auto C = make_propagator(problem, {Integrator::ImplicitEuler, 2, 0}, SpaceKind::Serial);
  const std::size_t n = G->size();
  HostVector u("u", n), ud("ud", n), d("d", n), zero("zero", n), gu("gu", n), gud("gud", n), cd("cd", n), c0("c0", n);
  problem->exact_solution(0.5, u);
  for (std::size_t i = 1; i + 1 < n; ++i) {
    d(i) = std::sin(0.37 * i) * (i % 2 ? 1.0 : -1.0);  // smooth and oscillating parts
    ud(i) = u(i) + d(i);
  }
  ud(0) = u(0);
  ud(n - 1) = u(n - 1);
  G->propagate(u, 0.5, 0.5625, gu);
  G->propagate(ud, 0.5, 0.5625, gud);
  C->propagate(d, 0.5, 0.5625, cd);
  C->propagate(zero, 0.5, 0.5625, c0);
  double worst = 0.0, size = 0.0, moved = 0.0;
  for (std::size_t i = 1; i + 1 < n; ++i) {
    worst = std::max(worst, std::abs((gud(i) - gu(i)) - (cd(i) - c0(i))));
    size = std::max(size, std::abs(d(i)));
    moved = std::max(moved, std::abs(gud(i) - gu(i)));
  }
  EXPECT_LT(worst, 1e-10 * (1 + size));
  EXPECT_GT(moved, 1e-3 * size) << "G ignores its input";
  EXPECT_LT(moved, 0.9 * size) << "G does not damp the perturbation";
}

TEST(LearnedCoarse, PararealWithATorchScriptModelReachesTheSerialFineSolution) {
  if (module_dir().empty()) GTEST_SKIP() << "PINT_TEST_MODULES not set (ctest sets it)";
  auto problem = small_call();
  std::shared_ptr<SurfaceModel> model = load_torchscript_surface(module_dir() + "/surface.pt");
  auto G = make_learned_coarse(problem, model, 2, SpaceKind::Serial);
  auto F = make_propagator(problem, {Integrator::CrankNicolson, 40, 4}, SpaceKind::Serial);
  const State u0 = problem->initial_state();
  // The model is crude (the discounted intrinsic value, off by ~15 near the strike), so the iteration
  // needs more sweeps than with the numerical coarse propagator: its rate is set by C (2 implicit-Euler
  // steps per slice), about 0.1 per iteration here; 16 slices leave room to show it converges early.
  const int N = 16;
  const PararealResult r = Parareal(*F, *G, PararealConfig{N, N, 1e-10, true}).run(u0.values, 0.0, 1.0);
  const auto serial = serial_fine(*F, u0.values, 0.0, 1.0, N);
  EXPECT_TRUE(r.converged);
  EXPECT_LT(r.iterations, N) << "no better than running F serially";
  EXPECT_LT(test::max_rel_diff(r.boundaries, serial), 1e-9);  // tolerance 1e-10 on the change, ~0.1 rate
  for (std::size_t k = 1; k < r.history.size(); ++k)
    EXPECT_LT(test::max_rel_diff(r.history[k], serial), test::max_rel_diff(r.history[k - 1], serial) + 1e-15)
        << "error against the serial solution grew at iteration " << k;
}

TEST(LearnedCoarse, WithTheExactSurfaceTheCoarseSweepIsTheClosedFormAndOnlyCLimitsTheIteration) {
  // N = the closed form (a TorchScript module): G returns N(t1) on the learned trajectory, so the serial
  // coarse sweep (iterate 0) is the closed form at every slice end, whatever C does. After that the
  // network cancels out of the update G(U^(k+1)) - G(U^k) and Parareal proceeds at C's rate (5
  // iterations on the default problem, README): it must still converge with the error falling every time.
  if (module_dir().empty()) GTEST_SKIP() << "PINT_TEST_MODULES not set (ctest sets it)";
  auto problem = small_call();
  auto G = make_learned_coarse(problem, load_torchscript_surface(module_dir() + "/exact.pt"), 2, SpaceKind::Serial);
  auto F = make_propagator(problem, {Integrator::CrankNicolson, 40, 4}, SpaceKind::Serial);
  const State u0 = problem->initial_state();
  const int N = 16;
  const PararealResult r = Parareal(*F, *G, PararealConfig{N, N, 1e-10, true}).run(u0.values, 0.0, 1.0);
  ASSERT_FALSE(r.history.empty());
  double worst = 0.0;
  HostVector exact("exact", G->size());
  for (int n = 1; n <= N; ++n) {
    problem->exact_solution(static_cast<double>(n) / N, exact);
    // Interior points: the ends are the problem's prescribed values (at S_max the far-field condition,
    // which differs from the closed form at S = 4 K by up to 4e-3).
    for (std::size_t i = 1; i + 1 < exact.extent(0); ++i)
      worst = std::max(worst, std::abs(r.history[0][n](i) - exact(i)));
  }
  // Two implementations of the normal CDF (torch's ndtr, pint's erfc) on prices up to 300: round-off.
  EXPECT_LT(worst, 1e-10) << "the coarse sweep with the exact surface is not the closed form";
  const auto serial = serial_fine(*F, u0.values, 0.0, 1.0, N);
  EXPECT_TRUE(r.converged);
  EXPECT_LT(r.iterations, N);
  for (std::size_t k = 1; k < r.history.size(); ++k)
    EXPECT_LT(test::max_rel_diff(r.history[k], serial), test::max_rel_diff(r.history[k - 1], serial) + 1e-15)
        << "error against the serial solution grew at iteration " << k;
}

TEST(LearnedCoarse, AtOtherParametersTheTrainedOperatorsDefectKeepsTheStartNearTheRunsSolution) {
  // The exact surface of sigma = 0.4 applied to a run at sigma = 1 (generalisation). With the run's C in
  // the learned term, G's sweep is the sigma = 0.4 surface, far from the run's solution; with the trained
  // problem's C it is the run's C nudged by C's (small) defect on the trained solution. Both must converge
  // to the serial fine solution; the second starts much closer and needs fewer iterations. At the training
  // parameters, passing the trained problem changes nothing (bit for bit).
  if (module_dir().empty()) GTEST_SKIP() << "PINT_TEST_MODULES not set (ctest sets it)";
  auto trained = small_call();
  BlackScholesParams q;
  q.s_max = 400.0;
  q.sigma = 1.0;
  auto run = std::make_shared<BlackScholesProblem>(q);
  auto exact = std::shared_ptr<SurfaceModel>(load_torchscript_surface(module_dir() + "/exact.pt"));
  auto F = make_propagator(run, {Integrator::CrankNicolson, 40, 4}, SpaceKind::Serial);
  const State u0 = run->initial_state();
  const int N = 16;
  const auto serial = serial_fine(*F, u0.values, 0.0, 1.0, N);
  auto G_run = make_learned_coarse(run, exact, 2, SpaceKind::Serial);
  auto G_trained = make_learned_coarse(run, exact, 2, SpaceKind::Serial, trained);
  const PararealConfig cfg{N, N, 1e-10, true};
  const PararealResult a = Parareal(*F, *G_run, cfg).run(u0.values, 0.0, 1.0);
  const PararealResult b = Parareal(*F, *G_trained, cfg).run(u0.values, 0.0, 1.0);
  ASSERT_TRUE(a.converged);
  ASSERT_TRUE(b.converged);
  const double start_run = test::max_rel_diff(a.history[0], serial);
  const double start_trained = test::max_rel_diff(b.history[0], serial);
  EXPECT_LT(start_trained, 0.1 * start_run) << "the trained operator's defect did not bring the start closer";
  EXPECT_LT(b.iterations, a.iterations);
  for (std::size_t k = 1; k < b.history.size(); ++k)
    EXPECT_LT(test::max_rel_diff(b.history[k], serial), test::max_rel_diff(b.history[k - 1], serial) + 1e-15)
        << "error against the serial solution grew at iteration " << k;

  // At the training parameters the trained problem is the run's: the same numbers.
  auto G_same = make_learned_coarse(trained, exact, 2, SpaceKind::Serial);
  auto G_same_trained = make_learned_coarse(trained, exact, 2, SpaceKind::Serial, small_call());
  HostVector x("x", G_same->size()), y1("y1", G_same->size()), y2("y2", G_same->size());
  trained->initial_condition(x);
  G_same->propagate(x, 0.25, 0.3125, y1);
  G_same_trained->propagate(x, 0.25, 0.3125, y2);
  for (std::size_t i = 0; i < x.extent(0); ++i) ASSERT_EQ(y1(i), y2(i)) << "at i = " << i;
  std::printf("[ measured ] sigma = 1 with the sigma = 0.4 surface: start %.3g -> %.3g, iterations %d -> %d\n",
              start_run, start_trained, a.iterations, b.iterations);
}

TEST(LearnedCoarse, BadModelFilesAreClearErrors) {
  if (module_dir().empty()) GTEST_SKIP() << "PINT_TEST_MODULES not set (ctest sets it)";
  auto problem = small_call();
  try {
    load_torchscript_surface(module_dir() + "/corrupt.pt");
    FAIL() << "a corrupt file was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("is not a TorchScript module"), std::string::npos) << e.what();
  }
  try {
    load_torchscript_surface(module_dir() + "/missing.pt");
    FAIL() << "a missing file was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
  }
  std::shared_ptr<SurfaceModel> wrong = load_torchscript_surface(module_dir() + "/wrong.pt");
  try {
    make_learned_coarse(problem, wrong, 2, SpaceKind::Serial);
    FAIL() << "a model with the wrong output length was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("returned 3 values for 401 grid points"), std::string::npos) << e.what();
  }
}

// The Black-Scholes PINN: hard constraints hold for any weights, training lowers the residual and is
// reproducible from its seed, saved models load back identically, and mismatched or corrupt model
// files are clear errors; as a coarse propagator it drives Parareal to the serial fine solution.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>

#include "core/parareal.hpp"
#include "models/learned/bs_pinn.hpp"
#include "models/learned/learned_coarse_propagator.hpp"
#include "models/make_propagator.hpp"
#include "parareal_test_util.hpp"

using namespace pint;

namespace {
BlackScholesParams params() {
  return BlackScholesParams{};
}  // the default problem
PinnArchitecture small_arch() {
  PinnArchitecture a;
  a.layers = 2;
  a.width = 8;
  return a;
}
PinnTraining short_training(std::uint64_t seed) {
  PinnTraining c;
  c.epochs = 60;
  c.batch = 256;
  c.lbfgs_iterations = 5;
  c.lbfgs_batch = 512;
  c.seed = seed;
  return c;
}
torch::Tensor lin(double a, double b, int n) {
  return torch::linspace(a, b, n, torch::kFloat64);
}
}  // namespace

TEST(Pinn, BoundaryAndExpiryHoldExactlyForAnyWeights) {
  BlackScholesPinn net(params(), small_arch());
  net->reset_weights(7);
  torch::NoGradGuard ng;
  const double K = 100, r = 0.03, L = small_arch().x_extent;
  const auto S = lin(0, 5000, 1001);
  const auto v0 = net->forward(torch::zeros_like(S), S);
  EXPECT_LT((v0 - torch::clamp(S - K, 0.0)).abs().max().item<double>(), 1e-9) << "expiry condition";
  const auto tau = lin(0.01, 1.0, 50);
  EXPECT_LT(net->forward(tau, torch::zeros_like(tau)).abs().max().item<double>(), 1e-9) << "V(tau, 0) = 0";
  const auto far = net->forward(tau, torch::full_like(tau, L * K));
  EXPECT_LT((far - (L * K - K * torch::exp(-r * tau))).abs().max().item<double>(), 1e-9) << "far field";
  // Round-off: values up to 5000 through erf/exp; 1e-9 absolute is ~1e-13 relative.
}

TEST(Pinn, TrainingLowersTheResidualAndIsReproducibleFromItsSeed) {
  BlackScholesPinn a(params(), small_arch()), b(params(), small_arch());
  torch::manual_seed(3);  // the trainer seeds itself; this must not matter
  const PinnTrainResult ra = train_pinn(a, short_training(11));
  torch::manual_seed(99);
  const PinnTrainResult rb = train_pinn(b, short_training(11));
  ASSERT_GE(ra.history.size(), 2u);
  EXPECT_LT(ra.final_loss.residual, 0.5 * ra.history.front().residual) << "training did not lower the residual";
  EXPECT_EQ(ra.final_loss.residual, rb.final_loss.residual) << "same seed, different training";
  const auto pa = a->parameters(), pb = b->parameters();
  for (std::size_t i = 0; i < pa.size(); ++i) EXPECT_TRUE(torch::equal(pa[i], pb[i]));
  EXPECT_LT(ra.final_loss.boundary, 1e-20);  // built in: measured, not trained
  EXPECT_LT(ra.final_loss.expiry, 1e-20);
}

TEST(Pinn, SavedModelLoadsBackAndMismatchesAreClearErrors) {
  const std::string path = testing::TempDir() + "pint_test_pinn.pt";
  BlackScholesPinn net(params(), small_arch());
  save_pinn(net, path);
  BlackScholesPinn back = load_pinn(path, params());
  torch::NoGradGuard ng;
  const auto S = lin(0, 400, 101), tau = torch::full_like(S, 0.5);
  EXPECT_TRUE(torch::equal(net->forward(tau, S), back->forward(tau, S)));
  BlackScholesParams other = params();
  other.sigma = 0.5;
  try {
    load_pinn(path, other);
    FAIL() << "a model trained for sigma 0.4 was accepted for sigma 0.5";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("trained for sigma = 0.4"), std::string::npos) << e.what();
  }
  const std::string bad = testing::TempDir() + "pint_test_corrupt.pt";
  std::ofstream(bad) << "not a model";
  EXPECT_THROW(load_pinn(bad, params()), std::invalid_argument);
  EXPECT_THROW(load_pinn(testing::TempDir() + "missing.pt", params()), std::invalid_argument);
  std::remove(path.c_str());
  std::remove(bad.c_str());
}

TEST(Pinn, AsCoarsePropagatorPararealReachesTheSerialFineSolution) {
  BlackScholesParams p = params();
  p.s_max = 1000;  // the network covers [0, 10 K]; beyond, the far field
  auto problem = std::make_shared<BlackScholesProblem>(p);
  BlackScholesPinn net(p, small_arch());
  train_pinn(net, short_training(5));
  auto G = make_learned_coarse(problem, pinn_surface(net, "pinn:test"), 2, SpaceKind::Serial);
  auto F = make_propagator(problem, {Integrator::CrankNicolson, 40, 4}, SpaceKind::Serial);
  const State u0 = problem->initial_state();
  const PararealResult r = Parareal(*F, *G, PararealConfig{16, 16, 1e-10, true}).run(u0.values, 0.0, 1.0);
  const auto serial = serial_fine(*F, u0.values, 0.0, 1.0, 16);
  EXPECT_TRUE(r.converged);
  EXPECT_LT(r.iterations, 16);
  for (std::size_t k = 1; k < r.history.size(); ++k)
    EXPECT_LT(test::max_rel_diff(r.history[k], serial), test::max_rel_diff(r.history[k - 1], serial))
        << "error against the serial fine solution did not fall at iteration " << k;
}

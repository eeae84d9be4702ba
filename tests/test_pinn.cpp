// The Black-Scholes PINN: hard constraints hold for any weights, training lowers the residual and is
// reproducible from its seed, saved models load back identically, and mismatched or corrupt model
// files are clear errors; as a coarse propagator it drives Parareal to the serial fine solution.
// The data-only network: its fine trajectory matches the closed form to the fine scheme's accuracy, its
// fit approaches that trajectory, and it is recorded (and reloaded) as data-trained.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>

#include "core/parareal.hpp"
#include "models/learned/bs_data_fit.hpp"
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

TEST(DataOnly, FineTrajectoryMatchesTheClosedFormToTheSchemesAccuracy) {
  const BlackScholesParams p = params();
  const FineTrajectory d = fine_trajectory(p, 1000.0);  // CN, 16 x 200 steps, every 10 steps
  ASSERT_EQ(d.values.size(0), 321);
  ASSERT_EQ(d.values.size(1), 1001);
  EXPECT_DOUBLE_EQ(d.dtau, 1.0 / 320);
  auto V = d.values.accessor<double, 2>();
  // At tau = 1/4, 1/2, 1 on S in [50, 200]: the default fine run's error against the closed form is
  // 1.2e-3 at T (README); 5e-3 bounds it at every tau, and a wrongly placed state (one snapshot off in
  // tau, dtau = 1/320) would miss by more (V_tau ~ 10 near the strike -> ~0.03).
  for (int j : {80, 160, 320}) {
    double err = 0;
    for (int i = 50; i <= 200; ++i)
      err = std::max(err, std::abs(V[j][i] - black_scholes_price(OptionType::Call, i, 100, 0.03, 0.4, j * d.dtau)));
    EXPECT_LT(err, 5e-3) << "tau = " << j * d.dtau;
  }
  FineTrajectoryConfig bad;
  bad.snapshot_steps = 7;  // does not divide 200
  EXPECT_THROW(fine_trajectory(p, 1000.0, bad), std::invalid_argument);
}

TEST(DataOnly, TrainingFitsTheTrajectoryAndTheModelRemembersHowItWasTrained) {
  const BlackScholesParams p = params();
  FineTrajectoryConfig cfg;
  cfg.snapshot_steps = 40;
  const FineTrajectory d = fine_trajectory(p, 1000.0, cfg);
  BlackScholesPinn net(p, small_arch());
  PinnTraining t = short_training(4);
  t.epochs = 300;
  const PinnTrainResult r = train_data_only(net, t, d);
  EXPECT_LT(r.final_loss.data, 0.2 * r.history.front().data) << "training did not lower the data loss";
  EXPECT_EQ(net->training(), SurfaceTraining::Data);
  // Independent check of the fit: the network against the stored fine values at tau = 1/2 on [50, 200],
  // relative to K. The initial net (hard-constrained smoothed ramp) misses by ~0.1 K; a fit brings the
  // mean squared misfit down (loss above), so the max misfit must at least fall below that start.
  {
    torch::NoGradGuard ng;
    const auto S = lin(50, 200, 151);
    const auto fit = net->forward(torch::full_like(S, 0.5), S);
    const auto ref = d.values[static_cast<int64_t>(0.5 / d.dtau + 0.5)].slice(0, 50, 201);
    BlackScholesPinn fresh(p, small_arch());
    fresh->reset_weights(4);
    const auto start = fresh->forward(torch::full_like(S, 0.5), S);
    EXPECT_LT((fit - ref).abs().max().item<double>(), (start - ref).abs().max().item<double>());
  }
  const std::string path = testing::TempDir() + "pint_test_data.pt";
  save_pinn(net, path);
  BlackScholesPinn back = load_pinn(path, p);
  EXPECT_EQ(back->training(), SurfaceTraining::Data);
  BlackScholesPinn pinn(p, small_arch());
  save_pinn(pinn, path);
  EXPECT_EQ(load_pinn(path, p)->training(), SurfaceTraining::Residual);
  std::remove(path.c_str());
}

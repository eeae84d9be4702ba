// pint's Black-Scholes PINN as a ParaFlow training problem (models/learned/bs_pinn_flow.hpp): the flat-weight
// network is the module's network, its loss is the loss Adam trains, its gradient is the loss's, ParaFlowS keeps
// Theorem 1 on it, and the trained weights land in the module that is saved.
#include <gtest/gtest.h>

#include <cmath>

#include "models/learned/bs_pinn_flow.hpp"

using namespace pint;

namespace {

PinnArchitecture small_net() {
  PinnArchitecture a;
  a.layers = 2;
  a.width = 8;
  return a;
}

}  // namespace

// The functional forward of the flattened weights is the module's forward, and the full loss is the mean squared
// residual that pinn_loss_terms reports (one definition of the residual, two ways of holding the weights).
TEST(BlackScholesPinnFlow, FlatWeightsAreTheModulesNetworkAndLoss) {
  at::set_num_threads(1);
  const BlackScholesParams p;
  const PinnArchitecture a = small_net();
  const BlackScholesPinnFlow problem(p, a, 64, 5);
  BlackScholesPinn net(p, a);
  net->reset_weights(9);
  const torch::Tensor W = flatten_weights(net);
  ASSERT_EQ(W.numel(), problem.weight_count());
  EXPECT_TRUE(torch::equal(problem.initial_weights(9), W));
  const torch::Tensor tau = problem.inputs().select(1, 0), S = problem.inputs().select(1, 1);
  const torch::Tensor V_module = net->forward(tau, S).detach(), V_flat = problem.value(W, tau, S).detach();
  EXPECT_LE((V_module - V_flat).abs().max().item<double>(), 1e-12 * (1.0 + V_module.abs().max().item<double>()));
  const double mean_r2 = pinn_loss_terms(net, tau, S).residual;
  EXPECT_NEAR(problem.full_loss(W), mean_r2, 1e-13 * mean_r2);
  // Per-sample losses r_i^2 / N: the loss of a subset is its share of the sum.
  const torch::Tensor half = torch::arange(32, torch::kInt64), rest = torch::arange(32, 64, torch::kInt64);
  EXPECT_NEAR(problem.loss(W, half).item<double>() + problem.loss(W, rest).item<double>(), mean_r2, 1e-13 * mean_r2);
  // A different W moves V (the flat forward really reads W).
  torch::Tensor W2 = W.clone();
  W2[W2.numel() - 1] += 0.1;  // the output bias
  EXPECT_GT((problem.value(W2, tau, S) - V_flat).abs().max().item<double>(), 1e-6);
}

// The gradient (backward through the residual's second derivatives) against central differences of the loss.
TEST(BlackScholesPinnFlow, GradientMatchesFiniteDifferences) {
  at::set_num_threads(1);
  const BlackScholesParams p;
  const BlackScholesPinnFlow problem(p, small_net(), 64, 5);
  const torch::Tensor W = problem.initial_weights(3);
  const torch::Tensor idx = torch::tensor({1L, 20L, 40L, 63L});
  const torch::Tensor g = problem.gradient(W, idx);
  for (int64_t k : {int64_t{0}, problem.weight_count() / 2, problem.weight_count() - 1}) {
    const double h = 1e-6;
    torch::Tensor wp = W.clone(), wm = W.clone();
    wp[k] += h;
    wm[k] -= h;
    const double fd = (problem.loss(wp, idx).item<double>() - problem.loss(wm, idx).item<double>()) / (2 * h);
    // Central differences: error h^2 |L'''| plus round-off 1e-16 L / h, both below 1e-7 for losses of order one.
    EXPECT_NEAR(g[k].item<double>(), fd, 1e-7 * (1.0 + std::abs(fd))) << "weight " << k;
  }
}

// ParaFlowS on the PINN: Theorem 1 per iteration, a lower loss than at the start, the weights written into the
// module (its loss is the run's final loss), and the same bits from the same seed. Adam on the fixed set lowers
// the loss too, and a wall-time limit that has already passed stops every optimiser before its first step.
TEST(BlackScholesPinnFlow, ParaflowsTrainsThePinnMonotonically) {
  at::set_num_threads(1);
  const BlackScholesParams p;
  const PinnArchitecture a = small_net();
  ParaflowSettings s;
  s.variant = "paraflows";
  s.batch = 32;
  s.eta = 0.2;
  s.nf = 10;
  s.budget = 3e4;
  BlackScholesPinn net(p, a);
  const ParaflowResult r = train_pinn_flow(net, s, 256);
  ASSERT_FALSE(r.steps.empty());
  for (const ParaflowsStep& st : r.steps) {
    EXPECT_LE(st.after, st.before);
    EXPECT_LE(st.after, st.f);
  }
  EXPECT_LT(r.final_loss, 0.5 * r.initial_loss);
  const BlackScholesPinnFlow problem(p, a, 256, s.seed);
  EXPECT_EQ(problem.full_loss(flatten_weights(net)), r.final_loss);
  BlackScholesPinn again(p, a);
  train_pinn_flow(again, s, 256);
  EXPECT_TRUE(torch::equal(flatten_weights(again), flatten_weights(net)));

  s.variant = "adam";
  s.eta = 1e-2;
  BlackScholesPinn adam(p, a);
  const ParaflowResult ra = train_pinn_flow(adam, s, 256);
  EXPECT_LT(ra.final_loss, 0.5 * ra.initial_loss);
  EXPECT_EQ(ra.gradients, std::floor(s.budget / s.batch) * s.batch);

  for (const std::string v : {"gd", "adam", "paraflows", "paraflow"}) {
    s.variant = v;
    s.max_seconds = 1e-12;
    BlackScholesPinn idle(p, a);
    const ParaflowResult rt = train_pinn_flow(idle, s, 256);
    EXPECT_EQ(rt.gradients, 0) << v;
    EXPECT_EQ(rt.final_loss, rt.initial_loss) << v;
  }
}

TEST(BlackScholesPinnFlow, BadSizesAreClearErrors) {
  const BlackScholesParams p;
  EXPECT_THROW(BlackScholesPinnFlow(p, small_net(), 0, 1), std::invalid_argument);
  BlackScholesPinn net(p, small_net());
  EXPECT_THROW(assign_weights(net, torch::zeros({5}, torch::kFloat64)), std::invalid_argument);
  ParaflowSettings s;
  s.batch = 300;  // more than the 256 points
  EXPECT_THROW(train_pinn_flow(net, s, 256), std::invalid_argument);
}

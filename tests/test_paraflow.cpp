// ParaFlow and ParaFlowS (models/learned/paraflow.hpp, seed 001): Theorem 1's monotonicity, bit-reproducibility
// from the seed, the paper's budget accounting, the gradients against finite differences, and bad settings.
#include <gtest/gtest.h>

#include <cmath>

#include "models/learned/paraflow.hpp"

using namespace pint;

namespace {

ParaflowSettings settings(const std::string& variant, int batch, double eta, int nf, double budget) {
  ParaflowSettings s;
  s.variant = variant;
  s.batch = batch;
  s.eta = eta;
  s.nf = nf;
  s.budget = budget;
  return s;
}

}  // namespace

// Theorem 1, to the last bit: every ParaFlowS iteration ends at a loss no larger than where it started and no
// larger than F's result, with a stochastic F (batch 1) and a deterministic one (full batch), also where the
// coarse steps are unstable (large eta_G = N_F eta: the inner loop stops at once).
TEST(Paraflow, ParaflowsNeverIncreasesTheLossAndBeatsFAlone) {
  at::set_num_threads(1);
  const auto problem = make_training_problem("classifier");
  int improved_beyond_f = 0;
  for (const auto& s : {settings("paraflows", 1, 0.1, 10, 3e4), settings("paraflows", 0, 0.5, 50, 3e4),
                        settings("paraflows", 2, 0.01, 100, 3e4), settings("paraflows", 0, 5.0, 100, 3e4)}) {
    const ParaflowResult r = run_paraflow(*problem, s);
    ASSERT_FALSE(r.steps.empty());
    for (const ParaflowsStep& st : r.steps) {
      EXPECT_LE(st.after, st.before);
      EXPECT_LE(st.after, st.f);
      improved_beyond_f += st.after < st.f;
    }
    for (std::size_t i = 1; i < r.history.size(); ++i) EXPECT_LE(r.history[i].loss, r.history[i - 1].loss);
    EXPECT_LE(r.final_loss, r.initial_loss);
    EXPECT_LE(r.gradients, s.budget);
  }
  EXPECT_GT(improved_beyond_f, 0) << "the coarse corrections never helped: the test could not tell F from ParaFlowS";
}

// The same seed gives the same bits; another seed other weights. ParaFlow's result does not depend on its threads.
TEST(Paraflow, RunsAreBitReproducibleFromTheSeed) {
  at::set_num_threads(1);
  const auto problem = make_training_problem("approximation");
  ParaflowSettings s = settings("paraflows", 3, 0.01, 20, 2e4);
  const ParaflowResult a = run_paraflow(*problem, s), b = run_paraflow(*problem, s);
  EXPECT_TRUE(torch::equal(a.weights, b.weights));
  ASSERT_EQ(a.history.size(), b.history.size());
  for (std::size_t i = 0; i < a.history.size(); ++i) EXPECT_EQ(a.history[i].loss, b.history[i].loss);
  s.seed = 2;
  EXPECT_FALSE(torch::equal(run_paraflow(*problem, s).weights, a.weights));
  ParaflowSettings p = settings("paraflow", 3, 0.01, 10, 2e4);
  p.ng = 4;
  const ParaflowResult one = run_paraflow(*problem, p);
  p.threads = 2;
  EXPECT_TRUE(torch::equal(run_paraflow(*problem, p).weights, one.weights));
  EXPECT_LE(one.final_loss, one.initial_loss);
}

// The paper's accounting: GD with batch b takes floor(budget / b) steps; a ParaFlowS run whose budget cannot pay
// for one fine propagation ("-" in the paper's tables) returns the initial weights; with a full-batch F of exactly
// the budget, ParaFlowS returns GD's result to the last bit (the paper's R = 1.0000 cells: its first candidate is
// F's result, and no coarse step fits).
TEST(Paraflow, BudgetIsCountedAsThePaperDoes) {
  at::set_num_threads(1);
  const auto problem = make_training_problem("classifier");
  const ParaflowResult gd = run_paraflow(*problem, settings("gd", 3, 0.1, 1, 1000));
  EXPECT_EQ(gd.iterations, 333);
  EXPECT_EQ(gd.gradients, 999);
  const ParaflowResult dash = run_paraflow(*problem, settings("paraflows", 10, 0.1, 2000, 1e4));
  EXPECT_FALSE(dash.completed_iteration);
  EXPECT_TRUE(torch::equal(dash.weights, problem->initial_weights(1)));
  const ParaflowResult full_gd = run_paraflow(*problem, settings("gd", 0, 0.1, 1, 1e4));
  const ParaflowResult one = run_paraflow(*problem, settings("paraflows", 0, 0.1, 1000, 1e4));
  EXPECT_TRUE(one.completed_iteration);
  EXPECT_EQ(one.gradients, 1e4);
  EXPECT_TRUE(torch::equal(one.weights, full_gd.weights));
  EXPECT_GT(one.loss_evaluations, 0);  // the tests' loss evaluations are counted, apart from the budget
  // What one iteration costs (the commands refuse a single run below it): b N_F for ParaFlowS, so the "-" run
  // above (10 x 2000 > 1e4) is one; for ParaFlow the coarse initial set, N N_G, plus the N_G fine propagations.
  EXPECT_EQ(one_iteration_cost(settings("paraflows", 10, 0.1, 2000, 1e4), 10), 2e4);
  EXPECT_EQ(one_iteration_cost(settings("gd", 3, 0.1, 2000, 1e4), 10), 3);
  ParaflowSettings window = settings("paraflow", 3, 0.1, 5, 99);
  window.ng = 4;
  EXPECT_EQ(one_iteration_cost(window, 10), 10 * 4 + 3 * 5 * 4);
  EXPECT_FALSE(run_paraflow(*problem, window).completed_iteration);
  window.budget = 100;
  EXPECT_TRUE(run_paraflow(*problem, window).completed_iteration);
  window.initial_set = "repeat";
  EXPECT_EQ(one_iteration_cost(window, 10), 10 + 3 * 5 * 4);
}

// Where N_F full-batch steps raise the loss (the classifier at eta 5: gradient descent there is not monotone),
// Alg. 2 keeps W_k, and with a deterministic F it keeps it for good: the stall behind pint's eta 0.1 row of Table 3.
// The --accept-fine diagnostic takes F's result instead: one iteration is then GD's N_F steps to the bit, at a
// larger loss (Theorem 1's monotonicity given up, as documented). Only ParaFlowS takes it.
TEST(Paraflow, AlgorithmTwoStaysWhereFRaisesTheLossAndAcceptFineTakesF) {
  at::set_num_threads(1);
  const auto problem = make_training_problem("classifier");
  const torch::Tensor W0 = problem->initial_weights(1);
  ParaflowSettings s = settings("paraflows", 0, 5.0, 10, 400);
  const ParaflowResult stays = run_paraflow(*problem, s);
  EXPECT_EQ(stays.iterations, 4);
  EXPECT_TRUE(torch::equal(stays.weights, W0));
  s.accept_fine = true;
  s.budget = 100;  // one F, no coarse step affordable
  const ParaflowResult moved = run_paraflow(*problem, s);
  const ParaflowResult gd = run_paraflow(*problem, settings("gd", 0, 5.0, 1, 100));
  EXPECT_TRUE(torch::equal(moved.weights, gd.weights));
  EXPECT_GT(moved.final_loss, moved.initial_loss);
  for (const std::string variant : {"gd", "paraflow", "adam"}) {
    ParaflowSettings bad = settings(variant, 0, 0.1, 10, 1000);
    bad.accept_fine = true;
    EXPECT_THROW(validate(bad, *problem), std::invalid_argument) << variant;
  }
}

// The gradient and the PINN's Laplacian (autograd through the inputs) against central differences.
TEST(Paraflow, GradientsMatchFiniteDifferences) {
  at::set_num_threads(1);
  for (const std::string name : {"classifier", "approximation", "poisson-l"}) {
    const auto p = make_training_problem(name);
    const torch::Tensor W = p->initial_weights(7);
    const torch::Tensor idx = name == "poisson-l" ? torch::tensor({3L, 500L, 1000L}) : torch::tensor({0L, 4L, 7L});
    const torch::Tensor g = p->gradient(W, idx);
    for (int64_t k : {int64_t{0}, p->weight_count() / 2, p->weight_count() - 1}) {
      const double h = 1e-5;
      torch::Tensor wp = W.clone(), wm = W.clone();
      wp[k] += h;
      wm[k] -= h;
      const double fd = (p->loss(wp, idx).item<double>() - p->loss(wm, idx).item<double>()) / (2 * h);
      EXPECT_NEAR(g[k].item<double>(), fd, 1e-6 * (1.0 + std::abs(fd))) << name << " weight " << k;
    }
  }
  // The PINN's per-sample losses from their definition: 1/2 u^2 at a boundary point, 1/2 (Laplace u + 1)^2 inside
  // with Laplace u by a 5-point stencil of the network (h = 1e-3: an error of order h^2 times u's fourth
  // derivatives, and 1e-16 / h^2 of round-off: both far below the 1e-5 allowed).
  const auto p = make_training_problem("poisson-l");
  const torch::Tensor W = p->initial_weights(3);
  const torch::Tensor X = p->inputs();
  ASSERT_EQ(X.size(0), 1440);
  auto u = [&](double x, double y) {
    return mlp_forward(W, p->layers(), torch::tensor({{x, y}}, torch::kFloat64), "tanh", "linear").item<double>();
  };
  for (int64_t i : {int64_t{0}, int64_t{37}, int64_t{119}}) {
    const double x = X[i][0].item<double>(), y = X[i][1].item<double>();
    const bool on_edge = x == -1 || y == -1 || (x == 1 && y <= 0) || (y == 1 && x <= 0) ||
                         (std::abs(y) < 1e-15 && x >= 0) || (std::abs(x) < 1e-15 && y >= 0);
    EXPECT_TRUE(on_edge) << "boundary point " << i << " (" << x << ", " << y << ")";
    EXPECT_NEAR(p->loss(W, torch::tensor({i})).item<double>(), 0.5 * u(x, y) * u(x, y), 1e-15);
  }
  for (int64_t i : {int64_t{120}, int64_t{700}, int64_t{1439}}) {
    const double x = X[i][0].item<double>(), y = X[i][1].item<double>(), h = 1e-3;
    EXPECT_TRUE(x > -1 && y > -1 && x < 1 && y < 1 && !(x >= 0 && y >= 0)) << "interior point " << i;
    const double lap = (u(x + h, y) + u(x - h, y) + u(x, y + h) + u(x, y - h) - 4 * u(x, y)) / (h * h);
    EXPECT_NEAR(p->loss(W, torch::tensor({i})).item<double>(), 0.5 * (lap + 1) * (lap + 1), 1e-5) << i;
  }
}

// DeepXDE's loss (--loss mean) is the per-component mean of the squared residuals the summed loss adds up with 1/2:
// the same points and the same network, so each mean is 2 / count times the matching part of the sum.
TEST(Paraflow, PinnMeanLossIsDeepXdesConvention) {
  at::set_num_threads(1);
  const auto sum = make_training_problem("poisson-l"), mean = make_training_problem("poisson-l", "mean");
  const torch::Tensor W = sum->initial_weights(4);
  const torch::Tensor boundary = torch::arange(120, torch::kInt64), inside = torch::arange(120, 1440, torch::kInt64);
  const double b = sum->loss(W, boundary).item<double>(), i = sum->loss(W, inside).item<double>();
  EXPECT_NEAR(mean->full_loss(W), 2.0 * b / 120 + 2.0 * i / 1320, 1e-13 * (b + i));
  const torch::Tensor some = torch::tensor({5L, 200L, 201L, 900L});
  const double b5 = sum->loss(W, torch::tensor({5L})).item<double>(),
               i3 = sum->loss(W, torch::tensor({200L, 201L, 900L})).item<double>();
  EXPECT_NEAR(mean->loss(W, some).item<double>(), 2.0 * b5 + 2.0 * i3 / 3, 1e-13 * (b5 + i3));
  EXPECT_EQ(mean->name(), "poisson-l (mean loss)");
  EXPECT_THROW(make_training_problem("classifier", "mean"), std::invalid_argument);
  EXPECT_THROW(make_training_problem("poisson-l", "median"), std::invalid_argument);
}

// Bad settings are refused with what to change.
TEST(Paraflow, BadSettingsAreClearErrors) {
  const auto problem = make_training_problem("classifier");
  auto refused = [&](const ParaflowSettings& s, const std::string& needle) {
    try {
      validate(s, *problem);
      ADD_FAILURE() << "accepted; expected '" << needle << "'";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  refused(settings("paraflows", 11, 0.1, 10, 1e4), "larger than the data");
  refused(settings("paraflows", 1, 0.0, 10, 1e4), "eta must be a finite number > 0");
  refused(settings("paraflows", 1, -1.0, 10, 1e4), "eta must be");
  refused(settings("paraflows", 1, 0.1, 0, 1e4), "N_F (--nf) must be at least 1");
  refused(settings("paraflows", 5, 0.1, 10, 4), "smaller than one step");
  refused(settings("sgd", 1, 0.1, 10, 1e4), "use gd, adam, paraflows or paraflow");
  ParaflowSettings late = settings("gd", 1, 0.1, 10, 1e4);
  late.max_seconds = -1;
  refused(late, "wall-time limit");
  EXPECT_THROW(make_training_problem("mnist"), std::invalid_argument);
}

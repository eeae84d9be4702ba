#pragma once
/// \file
/// Training as the gradient flow dW/dt = -grad L(W), accelerated by Parareal (seed 001): the fine propagator F is
/// N_F stochastic gradient steps of length eta on mini-batches of b samples, the coarse G one full-batch gradient
/// step of length eta_G = N_F eta.
///
///   gd         plain (stochastic) gradient descent with batch b: the baseline of the paper's tables;
///   adam       Adam with step length eta on mini-batches of b (a baseline for `pint train`'s comparison);
///   paraflows  Alg. 2 (ParaFlowS): from W_k, f0 = F(W_k), then W_(n+1) = f0 + (G(W_n) - g0), g0 = G(W_k), for
///              n = 0 .. N_G - 1 while the loss decreases; W_(k+1) is the last point that decreased it. The first
///              candidate is F's result exactly (f0 + (g0 - g0) = f0 in floating point, and needs no G call), so
///              L(W_(k+1)) <= min(L(W_k), L(F(W_k))) holds to the last bit (Theorem 1; a test);
///   paraflow   Alg. 1 (ParaFlow): a window of N_G sub-intervals from W_k, the initial set by the coarse sweep
///              (W_(n+1,0) = G(W_(n,0)), whose G values are also Alg. 1's g_n) or by repeating W_k; the N_G fine
///              solves run in parallel on `threads` threads (each slice its own random stream, so the result does
///              not depend on the thread count); one Parareal iteration W_(n+1,1) = f_n + (G(W_(n,1)) - g_n); the
///              next start is the point of least loss among W_(0,1) .. W_(N_G,1).
///
/// Budget (the paper's): gradient evaluations of single samples; a mini-batch of b costs b, a full batch N. A step
/// is taken only if its cost fits what is left. When it does not, the run stops there, also inside an iteration:
/// a fine propagation that cannot be completed is not started (its iteration is dropped and the run returns the
/// current iterate: the paper's "-" cells are the runs that cannot complete one F), and an iteration whose next
/// coarse step does not fit ends with the candidates it has (ParaFlowS: the last that decreased the loss;
/// ParaFlow: the least-loss point among those computed). GD stops after floor(budget / b) steps. The loss
/// evaluations of the tests (Alg. 2 line 8, Alg. 1 line 12) are not gradients: they are counted separately.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/learned/paraflow_problems.hpp"

namespace pint {

struct ParaflowSettings {
  std::string variant = "paraflows";   ///< gd | adam | paraflows | paraflow
  int batch = 0;                       ///< b; 0 = the full batch N
  double eta = 0.01;                   ///< eta_F = eta, eta_G = N_F eta
  int nf = 10;                         ///< N_F
  int ng = 10;                         ///< N_G: ParaFlowS's cap on its inner loop, ParaFlow's window
  double budget = 1e4;                 ///< gradient evaluations of single samples
  std::uint64_t seed = 1;              ///< initial weights and mini-batches
  std::string initial_set = "coarse";  ///< ParaFlow: coarse (the G sweep) | repeat (W_k everywhere)
  int threads = 1;                     ///< ParaFlow: threads for the N_G fine solves
  /// ParaFlowS only, a diagnostic and not Alg. 2: take F's result even where it raises the loss (Theorem 1's
  /// monotonicity is then lost). With a deterministic F, Alg. 2 stays at W_k for good once N_F steps from it raise
  /// the loss (gradient descent at the edge of stability does this); this shows what that stall costs.
  bool accept_fine = false;
  /// A wall-time limit in seconds (0 = none), checked before every step like the budget: for comparisons at equal
  /// wall time. A run it stops depends on the machine's speed, so it is not reproducible.
  double max_seconds = 0;
};

/// Throws std::invalid_argument naming the first bad setting for `problem` (batch larger than the data,
/// non-positive eta, N_F < 1, N_G < 1, a budget smaller than one step, ...).
void validate(const ParaflowSettings& s, const TrainingProblem& problem);

struct ParaflowRecord {
  double gradients = 0;  ///< budget spent so far
  double loss = 0;       ///< full loss of the current iterate
  double seconds = 0;    ///< wall time since the run started
};

/// The budget one iteration of the variant costs on `samples` samples (gd, adam: one step, b; paraflows: one fine
/// propagation, b N_F, the least an iteration that moves can spend; paraflow: the initial set plus N_G fine
/// propagations). A single run below it is refused by the commands (nothing would be trained); a sweep shows such a
/// cell as the paper's "-".
double one_iteration_cost(const ParaflowSettings& s, int samples);

/// One ParaFlowS iteration's losses (Theorem 1: after <= before and after <= f).
struct ParaflowsStep {
  double before = 0, f = 0, after = 0;
  int candidates = 0;  ///< candidates evaluated (1 = F's result only)
};

struct ParaflowResult {
  torch::Tensor weights;
  double initial_loss = 0, final_loss = 0;
  double gradients = 0;              ///< budget spent
  long long loss_evaluations = 0;    ///< full-loss evaluations of the tests (not gradients)
  long long iterations = 0;          ///< GD steps, or ParaFlow(S) iterations completed
  bool completed_iteration = false;  ///< false: the budget did not allow one whole fine propagation (the "-")
  std::vector<ParaflowRecord> history;
  std::vector<ParaflowsStep> steps;  ///< ParaFlowS only
  double seconds =
      0;  ///< the algorithm's wall time (GD's and Adam's history records, which it does not need, left out)
};

/// Runs the variant of `s` on `problem` until the budget is spent. `progress(spent, budget)` is called now and
/// then (may be empty).
ParaflowResult run_paraflow(const TrainingProblem& problem, const ParaflowSettings& s,
                            const std::function<void(double, double)>& progress = {});

}  // namespace pint

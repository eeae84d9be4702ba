#include "models/learned/paraflow.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <stdexcept>
#include <thread>

namespace pint {

namespace {

/// splitmix64: independent seeds for the random streams of (seed, iteration, slice).
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t a, std::uint64_t b) {
  return mix(mix(mix(seed) ^ a) ^ (b * 0x632be59bd9b4e019ULL));
}

/// b distinct indices out of N, uniformly (a partial Fisher-Yates shuffle on a kept permutation); the full batch
/// when b = N.
class Batcher {
 public:
  Batcher(const TrainingProblem& p, int b, std::uint64_t seed) : p_(p), b_(b), rng_(seed), perm_(p.samples()) {
    for (int i = 0; i < p.samples(); ++i) perm_[i] = i;
  }
  torch::Tensor next() {
    if (b_ == p_.samples()) return p_.all();
    std::vector<int64_t> pick(b_);
    const int n = p_.samples();
    for (int i = 0; i < b_; ++i) {
      std::uniform_int_distribution<int> d(i, n - 1);
      std::swap(perm_[i], perm_[d(rng_)]);
      pick[i] = perm_[i];
    }
    return torch::tensor(pick, torch::TensorOptions().dtype(torch::kInt64));
  }

 private:
  const TrainingProblem& p_;
  int b_;
  std::mt19937_64 rng_;
  std::vector<int64_t> perm_;
};

/// What is left of the budget, and what has been spent; with a wall-time limit, nothing is affordable once it
/// has passed.
struct Budget {
  double total, spent = 0;
  double max_seconds = 0;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  double bookkeeping = 0;  ///< seconds spent on history records the algorithm does not need (not on its clock)
  double elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() - bookkeeping;
  }
  bool afford(double cost) const { return spent + cost <= total && (max_seconds <= 0 || elapsed() < max_seconds); }
};

struct Run {
  const TrainingProblem& p;
  const ParaflowSettings& s;
  const std::function<void(double, double)>& progress;
  int b, N;
  Budget budget;
  ParaflowResult r;
  double next_report = 0;

  Run(const TrainingProblem& problem, const ParaflowSettings& settings, const std::function<void(double, double)>& cb)
      : p(problem),
        s(settings),
        progress(cb),
        b(settings.batch > 0 ? settings.batch : problem.samples()),
        N(problem.samples()),
        budget{settings.budget} {
    budget.max_seconds = settings.max_seconds;
  }

  double loss(const torch::Tensor& W) {
    ++r.loss_evaluations;
    return p.full_loss(W);
  }
  /// The full loss for the history of GD and Adam, which do not need it: neither a test's loss evaluation nor on
  /// the wall-time clock (so a comparison at equal wall time does not charge them for being watched).
  double watched_loss(const torch::Tensor& W) {
    const auto t = std::chrono::steady_clock::now();
    const double l = p.full_loss(W);
    budget.bookkeeping += std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    return l;
  }
  void report() {
    if (progress && budget.spent >= next_report) {
      progress(budget.spent, budget.total);
      next_report = budget.spent + budget.total / 200;
    }
  }
  void record(double l) {
    r.history.push_back({budget.spent, l, budget.elapsed()});
    report();
  }
  /// One (stochastic) gradient step of length eta on the batch `idx` (cost: its size).
  torch::Tensor step(const torch::Tensor& W, const torch::Tensor& idx, double eta) {
    budget.spent += static_cast<double>(idx.numel());
    return W - eta * p.gradient(W, idx);
  }
  /// F: N_F mini-batch steps of eta. Charges nothing (ParaFlow runs several at once on threads): the caller has
  /// checked the budget and charges b N_F per call.
  torch::Tensor fine(torch::Tensor W, Batcher& batches) const {
    for (int i = 0; i < s.nf; ++i) W = W - s.eta * p.gradient(W, batches.next());
    return W;
  }
  /// G: one full-batch step of N_F eta.
  torch::Tensor coarse(const torch::Tensor& W) { return step(W, p.all(), s.nf * s.eta); }

  void gd(torch::Tensor W) {
    Batcher batches(p, b, stream_seed(s.seed, 1, 0));
    const long long every = std::max<long long>(1, static_cast<long long>(s.budget / b) / 400);  // ~400 records
    while (budget.afford(b)) {
      W = step(W, batches.next(), s.eta);
      if (++r.iterations % every == 0) record(watched_loss(W));
    }
    r.completed_iteration = r.iterations > 0;
    r.weights = W;
  }

  /// Adam (Kingma and Ba; LibTorch's, default betas) with step length eta on mini-batches of b: a baseline.
  void adam(const torch::Tensor& W0) {
    Batcher batches(p, b, stream_seed(s.seed, 1, 0));
    torch::Tensor W = W0.clone().requires_grad_(true);
    torch::optim::Adam opt(std::vector<torch::Tensor>{W}, torch::optim::AdamOptions(s.eta));
    const long long every = std::max<long long>(1, static_cast<long long>(s.budget / b) / 400);
    while (budget.afford(b)) {
      const torch::Tensor idx = batches.next();
      budget.spent += static_cast<double>(idx.numel());
      W.mutable_grad() = p.gradient(W, idx);
      opt.step();
      if (++r.iterations % every == 0) record(watched_loss(W.detach()));
    }
    r.completed_iteration = r.iterations > 0;
    r.weights = W.detach().clone();
  }

  void paraflows(torch::Tensor W) {
    double L = loss(W);
    for (long long k = 0;; ++k) {
      if (!budget.afford(one_iteration_cost(s, N))) break;  // F cannot be completed: stop with W_k
      Batcher batches(p, b, stream_seed(s.seed, 2, static_cast<std::uint64_t>(k)));
      const torch::Tensor f0 = fine(W, batches);
      budget.spent += static_cast<double>(b) * s.nf;
      ParaflowsStep st;
      st.before = L;
      // Candidate 1 is f0 + (G(W_0) - g0) = f0: no G needed.
      const double Lf = loss(f0);
      st.f = Lf;
      st.candidates = 1;
      torch::Tensor Wn = W;
      double Ln = L;
      bool stop = false;
      if (Lf < Ln || s.accept_fine) {
        Wn = f0;
        Ln = Lf;
        torch::Tensor g0;
        for (int n = 1; n < s.ng; ++n) {
          const double cost = g0.defined() ? N : 2.0 * N;
          if (!budget.afford(cost)) {
            stop = true;
            break;
          }
          if (!g0.defined()) g0 = coarse(W);
          const torch::Tensor cand = f0 + (coarse(Wn) - g0);
          const double Lc = loss(cand);
          ++st.candidates;
          if (!(Lc < Ln)) break;  // Alg. 2 line 8 (a NaN loss stops too)
          Wn = cand;
          Ln = Lc;
        }
      }
      W = Wn;
      L = Ln;
      st.after = L;
      r.steps.push_back(st);
      r.iterations = k + 1;
      r.completed_iteration = true;
      record(L);
      if (stop) break;
    }
    r.weights = W;
  }

  void paraflow(torch::Tensor W) {
    const int G = s.ng;
    for (long long k = 0;; ++k) {
      // Initial set and its coarse values g_n = G(W_(n,0)).
      std::vector<torch::Tensor> w0(G + 1), g(G);
      w0[0] = W;
      const double fine_cost = static_cast<double>(b) * s.nf * G;
      if (!budget.afford(one_iteration_cost(s, N))) break;  // the initial set and the fine solves
      if (s.initial_set == "coarse") {
        for (int n = 0; n < G; ++n) {
          g[n] = coarse(w0[n]);
          w0[n + 1] = g[n];
        }
      } else {
        const torch::Tensor g0 = coarse(W);
        for (int n = 0; n < G; ++n) {
          w0[n + 1] = W;
          g[n] = g0;
        }
      }
      // The N_G fine solves, in parallel: slice n's random stream depends on (seed, k, n) only.
      std::vector<torch::Tensor> f(G);
      auto solve = [&](int n) {
        Batcher batches(p, b, stream_seed(s.seed, 3 + static_cast<std::uint64_t>(k), static_cast<std::uint64_t>(n)));
        f[n] = fine(w0[n], batches);
      };
      const int T = std::max(1, std::min(s.threads, G));
      if (T == 1) {
        for (int n = 0; n < G; ++n) solve(n);
      } else {
        std::vector<std::thread> pool;
        for (int t = 0; t < T; ++t)
          pool.emplace_back([&, t] {
            for (int n = t; n < G; n += T) solve(n);
          });
        for (auto& th : pool) th.join();
      }
      budget.spent += fine_cost;
      // One Parareal iteration, then the least-loss point of the window.
      std::vector<torch::Tensor> w1{W};
      torch::Tensor best = W;
      double best_loss = loss(W);
      for (int n = 0; n < G; ++n) {
        torch::Tensor gn;
        if (n == 0) {
          gn = g[0];  // W_(0,1) = W_(0,0): its coarse value is g_0
        } else {
          if (!budget.afford(N)) break;
          gn = coarse(w1[n]);
        }
        w1.push_back(f[n] + (gn - g[n]));
        const double l = loss(w1.back());
        if (l < best_loss) {
          best_loss = l;
          best = w1.back();
        }
      }
      W = best;
      r.iterations = k + 1;
      r.completed_iteration = true;
      record(best_loss);
    }
    r.weights = W;
  }
};

}  // namespace

void validate(const ParaflowSettings& s, const TrainingProblem& p) {
  const std::string where = "paraflow (" + p.name() + ", " + std::to_string(p.samples()) + " samples): ";
  if (s.variant != "gd" && s.variant != "adam" && s.variant != "paraflows" && s.variant != "paraflow")
    throw std::invalid_argument(where + "unknown variant '" + s.variant + "'; use gd, adam, paraflows or paraflow");
  if (!(s.max_seconds >= 0) || !std::isfinite(s.max_seconds))
    throw std::invalid_argument(where + "the wall-time limit must be a finite number of seconds >= 0 (0 = none)");
  if (s.batch < 0 || s.batch > p.samples())
    throw std::invalid_argument(where + "batch " + std::to_string(s.batch) + " is larger than the data (" +
                                std::to_string(p.samples()) + " samples); use 1 to " + std::to_string(p.samples()) +
                                " (0 = the full batch)");
  if (!(s.eta > 0) || !std::isfinite(s.eta))
    throw std::invalid_argument(where + "eta must be a finite number > 0 (got " + std::to_string(s.eta) + ")");
  if (s.nf < 1) throw std::invalid_argument(where + "N_F (--nf) must be at least 1");
  if (s.ng < 1) throw std::invalid_argument(where + "N_G (--ng) must be at least 1");
  if (s.accept_fine && s.variant != "paraflows")
    throw std::invalid_argument(where +
                                "accepting F's result unconditionally is a ParaFlowS diagnostic; use it with "
                                "--variant paraflows");
  if (s.threads < 1) throw std::invalid_argument(where + "--threads must be at least 1");
  if (s.initial_set != "coarse" && s.initial_set != "repeat")
    throw std::invalid_argument(where + "initial set '" + s.initial_set + "'; use coarse or repeat");
  const int b = s.batch > 0 ? s.batch : p.samples();
  if (!(s.budget >= b) || !std::isfinite(s.budget))
    throw std::invalid_argument(where + "a budget of " + std::to_string(s.budget) +
                                " gradient evaluations is smaller than one step of batch " + std::to_string(b) +
                                "; give at least " + std::to_string(b));
}

double one_iteration_cost(const ParaflowSettings& s, int samples) {
  const double N = samples;
  const double b = s.batch > 0 ? s.batch : N;
  if (s.variant == "paraflows") return b * s.nf;
  if (s.variant == "paraflow") return (s.initial_set == "coarse" ? N * s.ng : N) + b * s.nf * s.ng;
  return b;
}

ParaflowResult run_paraflow(const TrainingProblem& problem, const ParaflowSettings& s,
                            const std::function<void(double, double)>& progress) {
  validate(s, problem);
  Run run(problem, s, progress);
  const torch::Tensor W0 = problem.initial_weights(s.seed);
  run.r.initial_loss = problem.full_loss(W0);
  run.record(run.r.initial_loss);
  if (s.variant == "gd")
    run.gd(W0);
  else if (s.variant == "adam")
    run.adam(W0);
  else if (s.variant == "paraflows")
    run.paraflows(W0);
  else
    run.paraflow(W0);
  run.r.final_loss = problem.full_loss(run.r.weights);
  run.r.gradients = run.budget.spent;
  if (run.r.history.back().gradients != run.budget.spent)
    run.r.history.push_back({run.budget.spent, run.r.final_loss, run.budget.elapsed()});
  if (progress) progress(run.budget.spent, run.budget.total);
  run.r.seconds = run.budget.elapsed();  // the algorithm's time: GD's and Adam's history records left out
  return run.r;
}

}  // namespace pint

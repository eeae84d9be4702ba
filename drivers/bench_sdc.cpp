// Parallel SDC as a propagator (issue 19), measured in one run:
//
// 1. Allen-Cahn 1-D (the SISC paper's travelling front, pint's defaults: 128 intervals, eps = 0.04, d_w = -0.04,
//    T = 0.1): error at T against the step count and the number of stage (node) solves for serial SDC with 4
//    Radau-right nodes and 4 sweeps, Q_D = MIN-SR-NS, MIN-SR-S, MIN-SR-FLEX, LU, implicit Euler (and MIN-SR-FLEX
//    IMEX), against pint's Crank-Nicolson. The error is the time error: against the same semi-discrete problem
//    integrated by converged collocation (LU, 30 sweeps, 1024 steps; its own change from 512 steps is printed).
//    Stage solves are counted by an operator that forwards to the problem's and counts (a batched call of M
//    systems counts M).
// 2. The batched node solves of a diagonal Q_D at 1e5+ unknowns (Allen-Cahn, 2^17 intervals, Newton, the 4
//    MIN-SR-S node systems of one sweep): one solve_batch call against 4 solve calls one after another, on the
//    serial space (1 thread) and the OpenMP space (all its threads), fastest of 7 after a warm-up.
//
// Usage: pint_bench_sdc [--json FILE] [--quick]   (Markdown on stdout)
#include <Kokkos_Core.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/sdc_coefficients.hpp"
#include "models/allen_cahn.hpp"
#include "models/make_propagator.hpp"
#include "spaces/runtime.hpp"

namespace {

using namespace pint;
using Exec = Kokkos::DefaultHostExecutionSpace;

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

/// Forwards every call to the problem's own operator and counts the stage solves and f evaluations.
template <class ExecSpace>
class CountingOperator final : public ProblemOperator<ExecSpace> {
 public:
  using Base = ProblemOperator<ExecSpace>;
  using typename Base::Batch;
  using typename Base::ConstVector;
  using typename Base::Vector;
  CountingOperator(std::unique_ptr<Base> inner, long* solves, long* rhs)
      : Base(inner->exec()), in_(std::move(inner)), solves_(solves), rhs_(rhs) {}
  std::size_t size() const override { return in_->size(); }
  bool linear() const override { return in_->linear(); }
  void rhs(double t, const ConstVector& u, const Vector& f) override {
    ++*rhs_;
    in_->rhs(t, u, f);
  }
  void prescribe(double t, const Vector& u) override { in_->prescribe(t, u); }
  void solve(double t, double a, const ConstVector& r, const Vector& u) override {
    ++*solves_;
    in_->solve(t, a, r, u);
  }
  void solve_batch(const std::vector<double>& t, const std::vector<double>& a, const Batch& r,
                   const Batch& u) override {
    *solves_ += static_cast<long>(a.size());
    in_->solve_batch(t, a, r, u);
  }
  int parts() const override { return in_->parts(); }
  bool explicit_part(int p) const override { return in_->explicit_part(p); }
  void rhs_part(int p, double t, const ConstVector& u, const Vector& f) override {
    ++*rhs_;
    in_->rhs_part(p, t, u, f);
  }
  void solve_part(int p, double t, double a, const ConstVector& r, const Vector& u) override {
    ++*solves_;
    in_->solve_part(p, t, a, r, u);
  }

 private:
  std::unique_ptr<Base> in_;
  long *solves_, *rhs_;
};

/// Allen-Cahn whose operator counts (on the serial space).
class CountedAllenCahn final : public Problem {
 public:
  explicit CountedAllenCahn(AllenCahnParams p) : inner_(p) {}
  std::string name() const override { return inner_.name(); }
  std::shared_ptr<const Grid> grid() const override { return inner_.grid(); }
  double t_end() const override { return inner_.t_end(); }
  void initial_condition(HostVector u) const override { inner_.initial_condition(u); }
  bool has_exact_solution() const override { return true; }
  void exact_solution(double t, HostVector u) const override { inner_.exact_solution(t, u); }
  std::unique_ptr<ProblemOperatorBase> make_operator(SpaceKind space) const override {
    if (space != SpaceKind::Serial) throw std::logic_error("the counted problem runs on the serial space");
    return std::make_unique<CountingOperator<Kokkos::Serial>>(
        operator_cast<Kokkos::Serial>(inner_.make_operator(space)), &solves, &rhs);
  }
  mutable long solves = 0, rhs = 0;

 private:
  AllenCahnProblem inner_;
};

IntegratorConfig sdc_config(const std::string& qdelta, int sweeps, int steps, const std::string& imex = "off") {
  IntegratorConfig c{Integrator::Sdc, steps, 0};
  c.sdc.nodes = 4;
  c.sdc.quadrature = "radau-right";
  c.sdc.qdelta = qdelta;
  c.sdc.sweeps = sweeps;
  c.sdc.imex = imex;
  return c;
}

/// max_i |a_i - b_i|; NaN if any difference is NaN (std::max would drop it).
double max_abs_diff(const HostVector& a, const HostVector& b) {
  double d = 0.0;
  for (std::size_t i = 0; i < a.extent(0); ++i) {
    const double e = std::abs(a(i) - b(i));
    if (!(e <= d)) d = e;
  }
  return d;
}

nlohmann::json allen_cahn(bool quick) {
  AllenCahnParams p;
  auto problem = std::make_shared<CountedAllenCahn>(p);
  const State u0 = problem->initial_state();
  const std::size_t n = problem->size();
  auto integrate = [&](std::shared_ptr<const Problem> on, const IntegratorConfig& c, HostVector out) {
    auto prop = make_propagator(on, c, SpaceKind::Serial);
    prop->propagate(u0.values, 0.0, p.t_end, out);
  };
  // The reference's stage solves to 1e-14 (its steps are small enough for that: a 4 / h^2 < 1); the methods'
  // at the default 1e-12, which large steps can reach above round-off.
  AllenCahnParams tight = p;
  tight.newton.tolerance = 1e-14;
  const auto reference_problem = std::make_shared<AllenCahnProblem>(tight);
  HostVector ref("reference", n), ref_half("reference_half", n), exact("exact", n);
  integrate(reference_problem, sdc_config("lu", 30, 1024), ref);
  integrate(reference_problem, sdc_config("lu", 30, 512), ref_half);
  problem->exact_solution(p.t_end, exact);
  const double ref_change = max_abs_diff(ref, ref_half), space_error = max_abs_diff(ref, exact);
  std::printf("## Allen-Cahn 1-D: time error at T = %g against the step count and the stage solves\n\n", p.t_end);
  std::printf(
      "%zu unknowns, eps = %g, d_w = %g. Reference: converged collocation (LU, 30 sweeps, 1024 steps), which "
      "moves by %.1e from 512 steps; its distance to the exact travelling wave (the space error) is %.2e.\n"
      "SDC: 4 Radau-right nodes, 4 sweeps, spread start, last node. 'unstable': error above 1 or not a number; "
      "'Newton failed': a stage solve did not converge.\n\n",
      n, p.eps, p.dw, ref_change, space_error);
  struct Variant {
    std::string name;
    IntegratorConfig (*make)(int steps);
  };
  const std::vector<Variant> variants = {
      {"SDC MIN-SR-NS", [](int s) { return sdc_config("min-sr-ns", 4, s); }},
      {"SDC MIN-SR-S", [](int s) { return sdc_config("min-sr-s", 4, s); }},
      {"SDC MIN-SR-FLEX", [](int s) { return sdc_config("min-sr-flex", 4, s); }},
      {"SDC LU", [](int s) { return sdc_config("lu", 4, s); }},
      {"SDC IE", [](int s) { return sdc_config("ie", 4, s); }},
      {"SDC MIN-SR-FLEX IMEX (ee)", [](int s) { return sdc_config("min-sr-flex", 4, s, "ee"); }},
      {"Crank-Nicolson",
       [](int s) {
         return IntegratorConfig{Integrator::CrankNicolson, s, 0};
       }},
  };
  std::vector<int> steps_list =
      quick ? std::vector<int>{4, 16, 64} : std::vector<int>{2, 4, 8, 16, 32, 64, 128, 256, 512};
  nlohmann::json rows = nlohmann::json::array();
  // Orders from pairs of stable runs whose errors are both above this (the reference's own accuracy is ~1e-13).
  const double floor = 1e-10;
  std::printf("| method | steps: error (stage solves) ... | observed order (last pair above %.0e) |\n|---|---|---|\n",
              floor);
  for (const Variant& v : variants) {
    std::printf("| %s |", v.name.c_str());
    nlohmann::json points = nlohmann::json::array();
    double prev_err = -1, order = NAN;
    for (int steps : steps_list) {
      problem->solves = problem->rhs = 0;
      HostVector out("out", n);
      std::string status = "ok";
      double err = NAN;
      const double t0 = now();
      try {
        integrate(problem, v.make(steps), out);
        err = max_abs_diff(out, ref);
        if (!(err <= 1.0)) status = "unstable";
      } catch (const NewtonFailure&) {
        status = "Newton failed";
      } catch (const std::runtime_error&) {  // a zero pivot in a diverging run
        status = "unstable";
      }
      const double seconds = now() - t0;
      if (status == "ok") {
        std::printf(" %d: %.2e (%ld)", steps, err, problem->solves);
        if (prev_err > floor && err > floor) order = std::log2(prev_err / err);
        prev_err = err;
      } else {
        std::printf(" %d: %s", steps, status.c_str());
        prev_err = -1;
      }
      points.push_back({{"steps", steps},
                        {"error", status == "ok" ? nlohmann::json(err) : nlohmann::json(nullptr)},
                        {"status", status},
                        {"stage_solves", problem->solves},
                        {"f_evaluations", problem->rhs},
                        {"seconds", seconds}});
    }
    std::printf(" | %.2f |\n", order);
    rows.push_back({{"method", v.name},
                    {"points", points},
                    {"observed_order", std::isfinite(order) ? nlohmann::json(order) : nlohmann::json(nullptr)}});
  }
  return {{"problem", {{"unknowns", n}, {"eps", p.eps}, {"dw", p.dw}, {"t_end", p.t_end}}},
          {"reference_change_from_half_steps", ref_change},
          {"space_error_of_reference", space_error},
          {"methods", rows}};
}

/// Fastest of `repeats` runs of f after one warm-up.
template <class F>
double fastest(int repeats, F&& f) {
  double best = 1e300;
  for (int r = 0; r <= repeats; ++r) {
    const double s = now();
    f();
    const double e = now() - s;
    if (r > 0) best = std::min(best, e);
  }
  return best;
}

/// One sweep's node solves on `space`: batched, and one after another.
template <class ExecSpace>
std::pair<double, double> node_solves(const AllenCahnProblem& problem, const std::vector<double>& t,
                                      const std::vector<double>& a, const HostVector& start, int repeats,
                                      std::vector<double>* result) {
  using Op = ProblemOperator<ExecSpace>;
  auto op = operator_cast<ExecSpace>(problem.make_operator(kind_of<ExecSpace>()));
  const int M = static_cast<int>(a.size()), n = static_cast<int>(problem.size());
  typename Op::Batch r("r", M, n), u("u", M, n), guess("guess", M, n);
  typename Op::Vector f("f", n), s("s", n);
  Kokkos::deep_copy(s, start);
  op->rhs(t[0], s, f);
  const auto ex = op->exec();
  // r_m = u_n + 0.1 a_m f(u_n): a right-hand side near the start value, as a sweep's is.
  for (int m = 0; m < M; ++m) {
    const double w = 0.1 * a[m];
    Kokkos::parallel_for(
        "bench::sdc::rhs", Kokkos::RangePolicy<ExecSpace>(ex, 0, n), KOKKOS_LAMBDA(int i) {
          r(m, i) = s(i) + w * f(i);
          guess(m, i) = s(i);
        });
  }
  ex.fence();
  const double batched = fastest(repeats, [&] {
    Kokkos::deep_copy(ex, u, guess);
    op->solve_batch(t, a, r, u);
    ex.fence();
  });
  auto u_h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace{}, u);
  const double one_by_one = fastest(repeats, [&] {
    Kokkos::deep_copy(ex, u, guess);
    for (int m = 0; m < M; ++m)
      op->solve(t[m], a[m], Kokkos::subview(r, m, Kokkos::ALL), Kokkos::subview(u, m, Kokkos::ALL));
    ex.fence();
  });
  auto v_h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace{}, u);
  double d = 0.0;
  for (int m = 0; m < M; ++m)
    for (int i = 0; i < n; ++i) d = std::max(d, std::abs(u_h(m, i) - v_h(m, i)));
  result->push_back(d);
  return {batched, one_by_one};
}

nlohmann::json batched(bool quick) {
  AllenCahnParams p;
  p.intervals = quick ? 1 << 14 : 1 << 17;
  // The residual u - a f(u) cannot fall below round-off times a |f| ~ a 4 / h^2 ~ 1e7 here (about 1e-9): Newton
  // stops at 1e-7 relative, which its quadratic convergence passes with one iteration to spare.
  p.newton.tolerance = 1e-7;
  const AllenCahnProblem problem(p);
  const int M = 4, repeats = 7;
  const Collocation coll = make_collocation(M, SdcQuadrature::radau_right);
  const std::vector<double> qd = qdelta(coll, "min-sr-s");
  const double dt = 1e-3;
  std::vector<double> t(M), a(M);
  for (int m = 0; m < M; ++m) {
    t[m] = coll.nodes[m] * dt;
    a[m] = dt * qd[m * M + m];
  }
  const State u0 = problem.initial_state();
  std::vector<double> diffs;
  const auto serial = node_solves<Kokkos::Serial>(problem, t, a, u0.values, repeats, &diffs);
  int threads = 1;
  std::pair<double, double> omp{NAN, NAN};
#if defined(KOKKOS_ENABLE_OPENMP)
  threads = Kokkos::OpenMP().concurrency();
  omp = node_solves<Kokkos::OpenMP>(problem, t, a, u0.values, repeats, &diffs);
#endif
  double diff = 0.0;
  for (double d : diffs) diff = std::max(diff, d);
  const double goal_ratio = serial.second / omp.first;
  std::printf("\n## Batched node solves: %zu unknowns, %d MIN-SR-S nodes (Newton), fastest of %d\n\n", problem.size(),
              M, repeats);
  std::printf("| space | %d solves one after another [ms] | one batched call [ms] | ratio |\n|---|---|---|---|\n", M);
  std::printf("| serial (1 thread) | %.3f | %.3f | %.2f |\n", 1e3 * serial.second, 1e3 * serial.first,
              serial.second / serial.first);
  std::printf("| openmp (%d threads) | %.3f | %.3f | %.2f |\n", threads, 1e3 * omp.second, 1e3 * omp.first,
              omp.second / omp.first);
  std::printf(
      "\nBatched on %d threads against one after another on 1 thread: %.2f times faster (goal: 1.7 on 2 threads). "
      "Largest difference between the batched and the one-by-one solutions: %.1e.\n",
      threads, goal_ratio, diff);
  return {{"unknowns", problem.size()},
          {"nodes", M},
          {"threads", threads},
          {"serial_seconds", {{"one_by_one", serial.second}, {"batched", serial.first}}},
          {"openmp_seconds", {{"one_by_one", omp.second}, {"batched", omp.first}}},
          {"batched_threads_vs_one_by_one_serial", goal_ratio},
          {"max_difference", diff}};
}

}  // namespace

int main(int argc, char** argv) {
  Runtime runtime(argc, argv);
  std::string json_path;
  bool quick = false;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--json" && i + 1 < argc) json_path = argv[i + 1];
    if (std::string(argv[i]) == "--quick") quick = true;
  }
  nlohmann::json out;
  out["allen_cahn"] = allen_cahn(quick);
  out["batched_node_solves"] = batched(quick);
  if (!json_path.empty()) std::ofstream(json_path) << out.dump(1) << "\n";
  return 0;
}

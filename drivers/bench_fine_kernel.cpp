// Cost of the fine propagator's kernel: one Crank-Nicolson step of a Black-Scholes tridiagonal operator,
// in ns per grid point per step, on every compiled-in space, next to plain sequential C++ loops
// measured in the same run:
//   (a) textbook Thomas: factorise and solve every step (a division on the dependency chain),
//   (b) Thomas factorised once: forward and backward sweep with stored factors,
//   (c) factorised once, two elimination chains from both ends meeting in the middle (twisted).
// pint is measured twice: ThetaStepSolver::step called directly, and ThetaPropagator::propagate (which
// adds the staging copies in and out and the boundary values, per call of `kStepsPerCall` steps).
// Every timing is the minimum over several repeats of a loop of >= ~2e7 point-steps, after a warm-up.
// All variants run the same steps from the same data; their results are compared at the end.
//
// The memory limit: a STREAM-like triad (x = y + s z) measured in the same run, sequentially and on
// every space, over three arrays whose total size equals the step's working set (9 arrays of M + 1
// doubles), so the bandwidth is the one of the cache level the step actually runs from. A step moves at
// least 72 bytes per grid point (reads u, 4 coefficient arrays and 2 back-substitution arrays, writes
// the scratch and u, counted as STREAM counts: no write-allocate); with several blocks the correction
// pass adds 32 (reads u and the two coupling vectors, writes u). bytes / bandwidth is then the fastest
// a step could go if it were bound by memory traffic alone.
//
// Usage: pint_bench_fine_kernel [--json FILE] [--kokkos-threads=N]   (prints Markdown tables on stdout)
#include <Kokkos_Core.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/vector.hpp"
#include "models/black_scholes.hpp"
#include "models/integrator.hpp"
#include "models/theta_propagator.hpp"
#include "models/theta_step_solver.hpp"
#include "spaces/dispatch.hpp"
#include "spaces/registry.hpp"
#include "spaces/runtime.hpp"

namespace {

using Clock = std::chrono::steady_clock;

constexpr double kDt = 1e-3;               // 1000 steps per year, as in the default problem
constexpr double kTargetPointSteps = 2e7;  // per timed repeat
constexpr int kRepeats = 7;
constexpr int kStepsPerCall = 10;  // propagate() calls of this many steps (a short parareal slice)

/// The system of one Crank-Nicolson step, rows 0 and n-1 prescribed:
///   a_i x_{i-1} + b_i x_i + c_i x_{i+1} = ea_i u_{i-1} + eb_i u_i + ec_i u_{i+1} (+ g at the ends).
struct CnSystem {
  int n = 0;
  std::vector<double> a, b, c, ea, eb, ec;
  double g0 = 0.0, g1 = 0.0;
};

CnSystem make_system(const pint::Tridiagonal& L, double dt, double g0, double g1) {
  CnSystem s;
  s.n = static_cast<int>(L.size());
  const int n = s.n;
  s.a.assign(n, 0.0);
  s.b.assign(n, 1.0);
  s.c.assign(n, 0.0);
  s.ea.assign(n, 0.0);
  s.eb.assign(n, 0.0);
  s.ec.assign(n, 0.0);
  for (int i = 1; i + 1 < n; ++i) {
    s.a[i] = -0.5 * dt * L.lower[i];
    s.b[i] = 1.0 - 0.5 * dt * L.diag[i];
    s.c[i] = -0.5 * dt * L.upper[i];
    s.ea[i] = 0.5 * dt * L.lower[i];
    s.eb[i] = 1.0 + 0.5 * dt * L.diag[i];
    s.ec[i] = 0.5 * dt * L.upper[i];
  }
  s.g0 = g0;
  s.g1 = g1;
  return s;
}

// ---- (a) textbook Thomas, factorised every step. ----
struct Textbook {
  const CnSystem& s;
  std::vector<double> cp, d;
  explicit Textbook(const CnSystem& sys) : s(sys), cp(sys.n), d(sys.n) {}
  void step(std::vector<double>& u) {
    const int n = s.n;
    const double *a = s.a.data(), *b = s.b.data(), *c = s.c.data();
    const double *ea = s.ea.data(), *eb = s.eb.data(), *ec = s.ec.data();
    double *x = u.data(), *cpp = cp.data(), *dd = d.data();
    cpp[0] = 0.0;  // row 0 is the identity
    dd[0] = s.g0;
    for (int i = 1; i < n - 1; ++i) {
      const double r = ea[i] * x[i - 1] + eb[i] * x[i] + ec[i] * x[i + 1];
      const double m = 1.0 / (b[i] - a[i] * cpp[i - 1]);
      cpp[i] = c[i] * m;
      dd[i] = (r - a[i] * dd[i - 1]) * m;
    }
    dd[n - 1] = s.g1;
    x[n - 1] = dd[n - 1];
    for (int i = n - 2; i >= 0; --i) x[i] = dd[i] - cpp[i] * x[i + 1];
  }
};

// ---- (b) Thomas factorised once. ----
struct Factorised {
  const CnSystem& s;
  std::vector<double> inv, ainv, cp, d;  // 1/pivot, a/pivot, c/pivot
  explicit Factorised(const CnSystem& sys) : s(sys), inv(sys.n), ainv(sys.n), cp(sys.n), d(sys.n) {
    const int n = s.n;
    double prev = 0.0;
    for (int i = 0; i < n; ++i) {
      const double piv = s.b[i] - s.a[i] * prev;
      inv[i] = 1.0 / piv;
      ainv[i] = s.a[i] / piv;
      cp[i] = s.c[i] / piv;
      prev = cp[i];
    }
  }
  void step(std::vector<double>& u) {
    const int n = s.n;
    const double *ea = s.ea.data(), *eb = s.eb.data(), *ec = s.ec.data();
    const double *f = inv.data(), *fa = ainv.data(), *fc = cp.data();
    double *x = u.data(), *dd = d.data();
    dd[0] = s.g0;
    for (int i = 1; i < n - 1; ++i)
      dd[i] = f[i] * (ea[i] * x[i - 1] + eb[i] * x[i] + ec[i] * x[i + 1]) - fa[i] * dd[i - 1];
    dd[n - 1] = s.g1 * f[n - 1] - fa[n - 1] * dd[n - 2];
    x[n - 1] = dd[n - 1];
    for (int i = n - 2; i >= 0; --i) x[i] = dd[i] - fc[i] * x[i + 1];
  }
};

// ---- (c) factorised once, two chains from both ends meeting at the middle row p. ----
// The explicit rows are stored pre-multiplied by 1/pivot (one multiply less per row), and each chain
// carries its three u values in registers instead of reloading them (the loop is bound by loads and
// the two multiply-subtract dependency chains, not by memory).
struct TwoChains {
  const CnSystem& s;
  int p;
  std::vector<double> pa, pb, pc, f2, f3, d;  // (ea, eb, ec) / pivot; top rows: a/piv, c/piv; bottom: c/piv, a/piv
  double mid_inv = 0.0;
  explicit TwoChains(const CnSystem& sys)
      : s(sys), p(sys.n / 2), pa(sys.n), pb(sys.n), pc(sys.n), f2(sys.n), f3(sys.n), d(sys.n) {
    const int n = s.n;
    std::vector<double> f1(n);
    double prev = 0.0;
    for (int i = 0; i < p; ++i) {
      const double piv = s.b[i] - s.a[i] * prev;
      f1[i] = 1.0 / piv;
      f2[i] = s.a[i] / piv;
      f3[i] = s.c[i] / piv;
      prev = f3[i];
    }
    prev = 0.0;
    for (int i = n - 1; i > p; --i) {
      const double piv = s.b[i] - s.c[i] * prev;
      f1[i] = 1.0 / piv;
      f2[i] = s.c[i] / piv;
      f3[i] = s.a[i] / piv;
      prev = f3[i];
    }
    mid_inv = 1.0 / (s.b[p] - s.a[p] * f3[p - 1] - s.c[p] * f3[p + 1]);
    f1[p] = mid_inv;
    for (int i = 0; i < n; ++i) {
      pa[i] = s.ea[i] * f1[i];
      pb[i] = s.eb[i] * f1[i];
      pc[i] = s.ec[i] * f1[i];
    }
  }
  void step(std::vector<double>& u) {
    const int n = s.n;
    const double *A = pa.data(), *B = pb.data(), *C = pc.data(), *F2 = f2.data(), *F3 = f3.data();
    double *x = u.data(), *dd = d.data();
    // Ends: prescribed rows (pivot 1).
    double top = s.g0, bot = s.g1;
    dd[0] = top;
    dd[n - 1] = bot;
    const int both = std::min(p - 1, n - 2 - p);  // interior rows above / below p, pairwise
    double tm = x[0], tc = x[1], bm = x[n - 1], bc = x[n - 2];
    for (int j = 0; j < both; ++j) {
      const int i = 1 + j, k = n - 2 - j;
      const double tn = x[i + 1], bn = x[k - 1];
      top = (A[i] * tm + B[i] * tc + C[i] * tn) - F2[i] * top;
      bot = (A[k] * bn + B[k] * bc + C[k] * bm) - F2[k] * bot;
      tm = tc;
      tc = tn;
      bm = bc;
      bc = bn;
      dd[i] = top;
      dd[k] = bot;
    }
    for (int i = 1 + both; i < p; ++i) dd[i] = top = (A[i] * x[i - 1] + B[i] * x[i] + C[i] * x[i + 1]) - F2[i] * top;
    for (int k = n - 2 - both; k > p; --k)
      dd[k] = bot = (A[k] * x[k - 1] + B[k] * x[k] + C[k] * x[k + 1]) - F2[k] * bot;
    const double xp =
        (A[p] * x[p - 1] + B[p] * x[p] + C[p] * x[p + 1]) - (s.a[p] * dd[p - 1] + s.c[p] * dd[p + 1]) * mid_inv;
    x[p] = xp;
    double xt = xp, xb = xp;
    const int common = std::min(p, n - 1 - p);
    for (int j = 1; j <= common; ++j) {
      const int i = p - j, k = p + j;
      xt = dd[i] - F3[i] * xt;
      xb = dd[k] - F3[k] * xb;
      x[i] = xt;
      x[k] = xb;
    }
    for (int i = p - common - 1; i >= 0; --i) x[i] = xt = dd[i] - F3[i] * xt;
    for (int k = p + common + 1; k < n; ++k) x[k] = xb = dd[k] - F3[k] * xb;
  }
};

/// Minimum over repeats of the time per point per step (ns) of `run(steps)`; `reset()` restores the
/// initial data before each repeat (untimed).
template <class Run, class Reset>
double time_ns(int n, int steps, Run&& run, Reset&& reset) {
  reset();
  run(std::max(kStepsPerCall, steps / 10));  // warm-up (caches, page faults, thread pool, factorisation)
  double best = 1e300;
  for (int r = 0; r < kRepeats; ++r) {
    reset();
    const auto t0 = Clock::now();
    run(steps);
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    best = std::min(best, s);
  }
  return best * 1e9 / (static_cast<double>(n) * steps);
}

double rel_diff(const std::vector<double>& x, const std::vector<double>& y) {
  double d = 0.0, m = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    d = std::max(d, std::abs(x[i] - y[i]));
    m = std::max(m, std::abs(y[i]));
  }
  return d / m;
}

struct PintTimes {
  std::string space;
  double step_ns = 0.0, propagate_ns = 0.0;
  int blocks = 0;
  double triad_gbs = 0.0;  // the space's triad bandwidth at this working set
};

/// Bytes a theta step moves per grid point (see the file comment).
double step_bytes_per_point(int blocks) {
  return blocks > 1 ? 104.0 : 72.0;
}

/// Best-of-repeats triad bandwidth in GB/s (24 bytes per element, as STREAM counts) of `triad(sweeps)`,
/// which runs `sweeps` triads over arrays of `len` doubles.
template <class Triad>
double triad_bandwidth(std::size_t len, Triad&& triad) {
  const int sweeps = static_cast<int>(std::max<std::size_t>(1, static_cast<std::size_t>(2e8) / (3 * len)));
  triad(1);  // warm-up: first touch, thread pool
  double best = 1e300;
  for (int r = 0; r < kRepeats; ++r) {
    const auto t0 = Clock::now();
    triad(sweeps);
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  return 24.0 * static_cast<double>(len) * sweeps / best * 1e-9;
}

double sequential_triad_gbs(std::size_t len) {
  std::vector<double> x(len, 0.0), y(len, 1.0), z(len, 2.0);
  const double s = 0.5;
  const double gbs = triad_bandwidth(len, [&](int sweeps) {
    for (int k = 0; k < sweeps; ++k) {
      double* __restrict xp = x.data();
      const double* __restrict yp = y.data();
      const double* __restrict zp = z.data();
      for (std::size_t i = 0; i < len; ++i) xp[i] = yp[i] + s * zp[i];
      // Keep the compiler from collapsing the sweeps into one: each sweep reads what the last wrote.
      std::swap(x, y);
    }
  });
  if (!std::isfinite(x[len / 2])) std::printf("triad overflowed\n");  // uses the result: the loops stay
  return gbs;
}

template <class Exec>
double space_triad_gbs(Exec exec, std::size_t len) {
  using View = Kokkos::View<double*, typename Exec::memory_space>;
  View x("triad_x", len), y("triad_y", len), z("triad_z", len);
  Kokkos::deep_copy(exec, y, 1.0);
  Kokkos::deep_copy(exec, z, 2.0);
  const double s = 0.5;
  return triad_bandwidth(len, [&](int sweeps) {
    for (int k = 0; k < sweeps; ++k) {
      Kokkos::parallel_for(
          "pint::bench::triad", Kokkos::RangePolicy<Exec>(exec, 0, len),
          KOKKOS_LAMBDA(std::size_t i) { x(i) = y(i) + s * z(i); });
      std::swap(x, y);
    }
    exec.fence();
  });
}

}  // namespace

int main(int argc, char** argv) {
  pint::Runtime runtime(argc, argv);
  if (runtime.rank() != 0) return 0;  // one rank measures; the others would only share its cores
  std::string json_path;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--json" && i + 1 < argc) {
      json_path = argv[++i];
    } else {
      std::fprintf(stderr, "pint_bench_fine_kernel: unknown argument %s; usage: pint_bench_fine_kernel [--json FILE]\n",
                   a.c_str());
      return 2;
    }
  }

  // 1e7: a working set (720 MB) far beyond the last-level cache, where the memory limit is the DRAM one.
  const std::vector<int> sizes = {1000, 10000, 100000, 1000000, 10000000};
  const auto spaces = pint::available_spaces();
  std::printf(
      "# pint fine kernel: Crank-Nicolson step on a Black-Scholes operator (S_max = 5000, M intervals, dt = %g)\n",
      kDt);
  std::printf(
      "# ns per grid point per step, minimum of %d repeats of >= %.0e point-steps each; pint propagate: calls of %d "
      "steps.\n",
      kRepeats, kTargetPointSteps, kStepsPerCall);
  std::printf("# Kokkos: %s; OpenMP threads: %d\n\n", pint::available_space_names().c_str(),
#if defined(KOKKOS_ENABLE_OPENMP)
              Kokkos::OpenMP::concurrency()
#else
              1
#endif
  );

  struct Row {
    int m;
    double a, b, c;
    std::vector<PintTimes> pint;
    double max_diff, diff_bound;
    double seq_triad_gbs;
  };
  std::vector<Row> rows;

  for (int m : sizes) {
    pint::BlackScholesParams params;
    params.ds = params.s_max / m;
    const pint::BlackScholesProblem problem(params);
    const pint::Tridiagonal L = problem.spatial_operator();
    const int n = static_cast<int>(L.size());
    const auto g = problem.boundary_values(kDt);  // fixed end values: the cost does not depend on them
    const CnSystem sys = make_system(L, kDt, g[0], g[1]);
    std::vector<double> u0(n);
    {
      pint::HostVector h("u0", n);
      problem.initial_condition(h);
      for (int i = 0; i < n; ++i) u0[i] = h(i);
    }
    const int steps = std::max(kStepsPerCall, static_cast<int>(kTargetPointSteps / n) / kStepsPerCall * kStepsPerCall);

    // The variants round differently; with |R| <= 1 their results may drift apart by up to
    // ~ eps * steps * (1 + dt ||L||_inf) relative (the operator's entries grow as i^2: stiff for big M).
    double norm = 0.0;
    for (int i = 0; i < n; ++i)
      norm = std::max(norm, std::abs(L.lower[i]) + std::abs(L.diag[i]) + std::abs(L.upper[i]));
    // Three triad arrays of 3n doubles each: the same footprint as the step's nine arrays of n.
    const std::size_t triad_len = 3 * static_cast<std::size_t>(n);
    Row row{m, 0, 0, 0, {}, 0.0, 2.2e-16 * steps * (1.0 + kDt * norm), sequential_triad_gbs(triad_len)};
    std::vector<double> u(n), ua, ub, uc;
    auto reset = [&] { u = u0; };
    {
      Textbook t(sys);
      row.a = time_ns(
          n, steps,
          [&](int k) {
            for (int s = 0; s < k; ++s) t.step(u);
          },
          reset);
      ua = u;
    }
    {
      Factorised f(sys);
      row.b = time_ns(
          n, steps,
          [&](int k) {
            for (int s = 0; s < k; ++s) f.step(u);
          },
          reset);
      ub = u;
    }
    {
      TwoChains tc(sys);
      row.c = time_ns(
          n, steps,
          [&](int k) {
            for (int s = 0; s < k; ++s) tc.step(u);
          },
          reset);
      uc = u;
    }
    row.max_diff = std::max(rel_diff(ub, ua), rel_diff(uc, ua));

    for (pint::SpaceKind kind : spaces) {
      PintTimes pt;
      pt.space = pint::to_string(kind);
      pint::with_space(kind, [&](auto exec) {
        using Exec = decltype(exec);
        using Solver = pint::ThetaStepSolver<Exec>;
        // ThetaStepSolver::step directly.
        Solver solver(exec, L, true, 0.5, kDt);
        pt.blocks = solver.blocks();
        pt.triad_gbs = space_triad_gbs(exec, triad_len);
        typename Solver::Vector du("u", n), work("work", n);
        auto hu = Kokkos::create_mirror_view(du);
        auto reset_dev = [&] {
          for (int i = 0; i < n; ++i) hu(i) = u0[i];
          Kokkos::deep_copy(du, hu);
        };
        pt.step_ns = time_ns(
            n, steps,
            [&](int k) {
              for (int s = 0; s < k; ++s) solver.step(du, work, g[0], g[1]);
              exec.fence();
            },
            reset_dev);
        Kokkos::deep_copy(hu, du);
        std::vector<double> got(hu.data(), hu.data() + n);
        row.max_diff = std::max(row.max_diff, rel_diff(got, ua));

        // Through the propagator (staging copies + boundary values), slices not at t_start so
        // no Rannacher start-up: every step is the same Crank-Nicolson step as above.
        auto shared = std::make_shared<pint::BlackScholesProblem>(params);
        pint::ThetaPropagator<Exec> prop(
            shared, pint::IntegratorConfig{pint::Integrator::CrankNicolson, kStepsPerCall, 0}, exec);
        pint::HostVector hin("in", n), hout("out", n);
        auto reset_prop = [&] {
          for (int i = 0; i < n; ++i) hin(i) = u0[i];
        };
        const double slice = kDt * kStepsPerCall;
        pt.propagate_ns = time_ns(
            n, steps,
            [&](int k) {
              for (int c = 0; c < k / kStepsPerCall; ++c) {
                const double t0 = 1.0 + c * slice;  // away from t_start
                prop.propagate(hin, t0, t0 + slice, hout);
                std::swap(hin, hout);
              }
            },
            reset_prop);
      });
      row.pint.push_back(pt);
    }
    rows.push_back(row);
    std::fflush(stdout);
  }

  // The Markdown table.
  std::printf("| M | (a) textbook Thomas | (b) factorised once | (c) two chains |");
  for (const auto& p : rows[0].pint)
    std::printf(" pint step %s | pint propagate %s |", p.space.c_str(), p.space.c_str());
  for (const auto& p : rows[0].pint)
    std::printf(" step %s / best | propagate %s / best |", p.space.c_str(), p.space.c_str());
  std::printf(" results: max rel. diff (drift bound) |");
  std::printf("\n|---:|---:|---:|---:|");
  for (std::size_t k = 0; k < rows[0].pint.size(); ++k) std::printf("---:|---:|---:|---:|");
  std::printf("---:|");
  std::printf("\n");
  for (const Row& r : rows) {
    const double best = std::min({r.a, r.b, r.c});
    std::printf("| %.0e | %.2f | %.2f | %.2f |", static_cast<double>(r.m), r.a, r.b, r.c);
    for (const auto& p : r.pint) std::printf(" %.2f (%d blk) | %.2f |", p.step_ns, p.blocks, p.propagate_ns);
    for (const auto& p : r.pint) std::printf(" %.2f | %.2f |", p.step_ns / best, p.propagate_ns / best);
    std::printf(" %.1e (%.0e) |\n", r.max_diff, r.diff_bound);
  }

  // Against the memory limit.
  std::printf(
      "\n| M | working set [MB] | triad, plain loop [GB/s] | space | blocks | triad on space [GB/s] | "
      "pint step [Gupdates/s] | bytes/update | memory-bound limit [ns/pt] | pint step / limit |\n");
  std::printf("|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
  for (const Row& r : rows) {
    for (const auto& p : r.pint) {
      const double bytes = step_bytes_per_point(p.blocks);
      const double limit_ns = bytes / p.triad_gbs;  // bytes / (GB/s) = ns
      std::printf("| %.0e | %.1f | %.1f | %s | %d | %.1f | %.3f | %.0f | %.2f | %.1f |\n", static_cast<double>(r.m),
                  9.0 * 8.0 * (r.m + 1) * 1e-6, r.seq_triad_gbs, p.space.c_str(), p.blocks, p.triad_gbs,
                  1.0 / p.step_ns, bytes, limit_ns, p.step_ns / limit_ns);
    }
  }
  std::printf(
      "\nA ratio near 1 means the step runs at the bandwidth of the memory level its data sits in; well above 1,\n"
      "the step is bound by something else (the dependent multiply-add chains of the sweeps); below 1, part of\n"
      "the working set stays in a faster level than the triad's (e.g. the last-level cache between the two\n"
      "sweeps of a step).\n");

  bool ok = true;
  for (const Row& r : rows) ok = ok && r.max_diff <= r.diff_bound;

  if (!json_path.empty()) {
    nlohmann::json jrows = nlohmann::json::array();
    for (const Row& r : rows) {
      nlohmann::json jp = nlohmann::json::array();
      for (const auto& p : r.pint) {
        const double bytes = step_bytes_per_point(p.blocks);
        jp.push_back({{"space", p.space},
                      {"blocks", p.blocks},
                      {"step_ns_per_point", p.step_ns},
                      {"propagate_ns_per_point", p.propagate_ns},
                      {"triad_gbs", p.triad_gbs},
                      {"bytes_per_update", bytes},
                      {"memory_limit_ns_per_point", bytes / p.triad_gbs}});
      }
      jrows.push_back({{"m", r.m},
                       {"textbook_thomas_ns", r.a},
                       {"factorised_once_ns", r.b},
                       {"two_chains_ns", r.c},
                       {"sequential_triad_gbs", r.seq_triad_gbs},
                       {"max_rel_diff", r.max_diff},
                       {"drift_bound", r.diff_bound},
                       {"pint", jp}});
    }
    std::ofstream out(json_path);
    if (!out) {
      std::fprintf(stderr, "pint_bench_fine_kernel: cannot write '%s'\n", json_path.c_str());
      return 1;
    }
    out << nlohmann::json{{"benchmark", "fine_kernel"}, {"dt", kDt}, {"repeats", kRepeats}, {"rows", jrows}}.dump(2)
        << "\n";
  }
  std::printf(
      "\nThe last column compares the final states of (b), (c) and pint's step with (a) after the same steps%s.\n",
      ok ? "" : " -- ABOVE THE ROUND-OFF DRIFT BOUND: a variant computes something else");
  return ok ? 0 : 1;
}

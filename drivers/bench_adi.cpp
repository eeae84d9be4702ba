// The 2-D ADI step (Douglas, theta = 1/2) of heat 2-D through pint's general core, against a plain
// sequential loop doing the same arithmetic: the x- and y-parts of the 5-point Laplacian, the explicit
// predictor, and two sweeps of tridiagonal line solves (Thomas). Figures: ns per grid point per step, the
// fastest of 7 repeats after a warm-up, all measured side by side in this one run; and the relative
// difference of the results (same scheme, so round-off only).
//
// Usage: pint_bench_adi [--json FILE] [--kokkos-threads=N]   (Markdown on stdout)
#include <Kokkos_Core.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/heat2d.hpp"
#include "models/make_propagator.hpp"
#include "spaces/runtime.hpp"

namespace {

using namespace pint;
constexpr int kRepeats = 7, kSteps = 20;

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

/// The plain loop: u (nx*ny, x slowest), zero boundary, Douglas steps of dt. Like pint's heat 2-D it factorises
/// each direction's constant line matrix once (multipliers and inverse pivots shared by every line), then
/// a step is the predictor pass and one forward and one backward pass per direction.
struct PlainDouglas {
  int nx, ny;
  double cx, cy;
  std::vector<double> fx, fy, y, r, cpx, invx, cpy, invy;
  double dt_factored = -1;
  PlainDouglas(int nx_, int ny_, double cx_, double cy_)
      : nx(nx_),
        ny(ny_),
        cx(cx_),
        cy(cy_),
        fx(nx_ * ny_),
        fy(nx_ * ny_),
        y(nx_ * ny_),
        r(nx_ * ny_),
        cpx(nx_),
        invx(nx_),
        cpy(ny_),
        invy(ny_) {}

  static void factor(int n, double ac, std::vector<double>& cp, std::vector<double>& inv) {
    cp[0] = cp[n - 1] = 0.0;
    inv[0] = inv[n - 1] = 1.0;
    for (int i = 1; i + 1 < n; ++i) {
      inv[i] = 1.0 / (1.0 + 2.0 * ac + ac * cp[i - 1]);
      cp[i] = -ac * inv[i];
    }
  }

  void step(std::vector<double>& u, double dt) {
    const double th = 0.5 * dt, ax = th * cx, ay = th * cy;
    if (dt != dt_factored) {
      factor(nx, ax, cpx, invx);
      factor(ny, ay, cpy, invy);
      dt_factored = dt;
    }
    for (int i = 1; i < nx - 1; ++i)
      for (int j = 1; j < ny - 1; ++j) {
        const int k = i * ny + j;
        fx[k] = cx * (u[k - ny] - 2.0 * u[k] + u[k + ny]);
        fy[k] = cy * (u[k - 1] - 2.0 * u[k] + u[k + 1]);
        y[k] = u[k] + dt * (fx[k] + fy[k]);
      }
    // x-lines (for each j a system in i), swept row by row over all lines side by side.
    for (int i = 1; i < nx - 1; ++i)
      for (int j = 1; j < ny - 1; ++j) {
        const int k = i * ny + j;
        r[k] = (y[k] - th * fx[k] + ax * r[k - ny]) * invx[i];
      }
    for (int i = nx - 3; i >= 1; --i)
      for (int j = 1; j < ny - 1; ++j) r[i * ny + j] -= cpx[i] * r[(i + 1) * ny + j];
    // y-lines (for each i a contiguous system in j).
    for (int i = 1; i < nx - 1; ++i) {
      for (int j = 1; j < ny - 1; ++j) {
        const int k = i * ny + j;
        u[k] = (r[k] - th * fy[k] + ay * u[k - 1]) * invy[j];
      }
      for (int j = ny - 3; j >= 1; --j) u[i * ny + j] -= cpy[j] * u[i * ny + j + 1];
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  Runtime runtime(argc, argv);
  std::string json_path;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string(argv[i]) == "--json") json_path = argv[i + 1];
  nlohmann::json out;
  std::printf("## 2-D ADI step (Douglas, theta 1/2) on heat 2-D, %d steps per call, fastest of %d\n\n", kSteps,
              kRepeats);
  std::printf(
      "| grid | plain loop ns/point/step | pint serial | pint openmp (%d threads) | serial / plain | "
      "rel. difference |\n|---|---|---|---|---|---|\n",
#if defined(KOKKOS_ENABLE_OPENMP)
      Kokkos::OpenMP().concurrency()
#else
      1
#endif
  );
  for (int n : {128, 512}) {
    Heat2dParams p;
    p.nx = p.ny = n;
    p.t_end = 1e-3;
    auto problem = std::make_shared<Heat2dProblem>(p);
    const double dt = p.t_end / kSteps;
    const std::size_t points = problem->size();
    const State u0 = problem->initial_state();

    PlainDouglas plain(n + 1, n + 1, p.alpha * n * n / (p.lx * p.lx), p.alpha * n * n / (p.ly * p.ly));
    std::vector<double> u(u0.values.data(), u0.values.data() + points);
    double best_plain = 1e300;
    for (int r = 0; r <= kRepeats; ++r) {
      std::vector<double> v = u;
      const double s = now();
      for (int k = 0; k < kSteps; ++k) plain.step(v, dt);
      const double e = now() - s;
      if (r > 0) best_plain = std::min(best_plain, e);
      if (r == kRepeats) u = v;
    }
    auto time_pint = [&](SpaceKind space, HostVector& result) {
      auto prop = make_propagator(problem, {Integrator::AdiDouglas, kSteps, 0}, space);
      double best = 1e300;
      for (int r = 0; r <= kRepeats; ++r) {
        const double s = now();
        prop->propagate(u0.values, 0.0, p.t_end, result);
        const double e = now() - s;
        if (r > 0) best = std::min(best, e);
      }
      return best;
    };
    HostVector rs("serial", points), ro("openmp", points);
    const double best_serial = time_pint(SpaceKind::Serial, rs);
    double best_omp = best_serial;
#if defined(KOKKOS_ENABLE_OPENMP)
    best_omp = time_pint(SpaceKind::OpenMP, ro);
#endif
    double diff = 0, scale = 0;
    for (std::size_t k = 0; k < points; ++k) {
      diff = std::max(diff, std::abs(rs(k) - u[k]));
      scale = std::max(scale, std::abs(u[k]));
    }
    const double per = 1e9 / (static_cast<double>(points) * kSteps);
    std::printf("| %d x %d | %.2f | %.2f | %.2f | %.2f | %.1e |\n", n + 1, n + 1, best_plain * per, best_serial * per,
                best_omp * per, best_serial / best_plain, diff / scale);
    out["adi"].push_back({{"grid", n + 1},
                          {"plain_ns_per_point_step", best_plain * per},
                          {"pint_serial_ns_per_point_step", best_serial * per},
                          {"pint_openmp_ns_per_point_step", best_omp * per},
                          {"relative_difference", diff / scale}});
  }
  if (!json_path.empty()) std::ofstream(json_path) << out.dump(2) << "\n";
  return 0;
}

#include "models/heat2d.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "core/problem_operator.hpp"
#include "spaces/dispatch.hpp"

namespace pint {

namespace {

/// f = alpha (D_xx + D_yy) u on the interior, 0 on the boundary; parts 0 (x) and 1 (y).
template <class ExecSpace>
class Heat2dOperator final : public ProblemOperator<ExecSpace> {
 public:
  using Base = ProblemOperator<ExecSpace>;
  using typename Base::ConstVector;
  using typename Base::memory_space;
  using typename Base::Vector;

  Heat2dOperator(ExecSpace exec, const Heat2dParams& p)
      : Base(exec),
        nx_(p.nx + 1),
        ny_(p.ny + 1),
        cx_(p.alpha * p.nx * p.nx / (p.lx * p.lx)),
        cy_(p.alpha * p.ny * p.ny / (p.ly * p.ly)),
        cg_tol_(p.cg_tolerance) {}

  std::size_t size() const override { return static_cast<std::size_t>(nx_) * ny_; }
  bool linear() const override { return true; }
  int parts() const override { return 2; }

  void rhs(double, const ConstVector& u, const Vector& f) override { apply(u, f, cx_, cy_); }
  void rhs_part(int p, double t, const ConstVector& u, const Vector& f) override {
    if (p != 0 && p != 1) Base::rhs_part(p, t, u, f);
    apply(u, f, p == 0 ? cx_ : 0.0, p == 1 ? cy_ : 0.0);
  }
  void prescribe(double, const Vector& u) override {
    const int nx = nx_, ny = ny_;
    Kokkos::parallel_for(
        "pint::heat2d::prescribe", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, nx * ny), KOKKOS_LAMBDA(int k) {
          const int i = k / ny, j = k % ny;
          if (i == 0 || j == 0 || i == nx - 1 || j == ny - 1) u(k) = 0.0;
        });
  }

  /// y = (cx D_xx + cy D_yy) u (unscaled second differences) on the interior, 0 on the boundary. On a host
  /// space a thread takes whole grid rows (contiguous, vectorisable, no index division); on a GPU a thread
  /// takes one point (adjacent threads, adjacent memory).
  void apply(const ConstVector& u, const Vector& y, double cx, double cy) {
    const int nx = nx_, ny = ny_;
    if constexpr (runs_on_host<ExecSpace>()) {
      Kokkos::parallel_for(
          "pint::heat2d::laplacian_rows", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, nx), KOKKOS_LAMBDA(int i) {
            const int base = i * ny;
            if (i == 0 || i == nx - 1) {
              for (int j = 0; j < ny; ++j) y(base + j) = 0.0;
              return;
            }
            y(base) = 0.0;
            for (int j = 1; j < ny - 1; ++j) {
              const int k = base + j;
              y(k) = cx * (u(k - ny) - 2.0 * u(k) + u(k + ny)) + cy * (u(k - 1) - 2.0 * u(k) + u(k + 1));
            }
            y(base + ny - 1) = 0.0;
          });
    } else {
      Kokkos::parallel_for(
          "pint::heat2d::laplacian", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, nx * ny), KOKKOS_LAMBDA(int k) {
            const int i = k / ny, j = k % ny;
            if (i == 0 || j == 0 || i == nx - 1 || j == ny - 1) {
              y(k) = 0.0;
              return;
            }
            y(k) = cx * (u(k - ny) - 2.0 * u(k) + u(k + ny)) + cy * (u(k - 1) - 2.0 * u(k) + u(k + 1));
          });
    }
  }

  /// One direction's lines: u - a f_p(u) = r, one tridiagonal system per grid line, all lines in one kernel.
  /// Every line of a direction has the same constant matrix (rows: -ac, 1 + 2ac, -ac; the boundary rows
  /// prescribed), so its Thomas factorisation (the multipliers cp_i and inverse pivots) is computed once per
  /// step size and shared by all lines; a line's solve is then one forward and one backward pass over its
  /// right-hand side, read from r and written to u. x-lines (stride ny) run side by side in chunks of
  /// adjacent lines on a host core (SIMD lanes, contiguous rows), one line per thread on a GPU; y-lines
  /// are contiguous, one per thread.
  void solve_part(int p, double t, double a, const ConstVector& r, const Vector& u) override {
    if (p != 0 && p != 1) Base::solve_part(p, t, a, r, u);
    LineFactors& F = p == 0 ? x_factors_ : y_factors_;
    factor(F, p == 0 ? nx_ : ny_, a * (p == 0 ? cx_ : cy_));
    if (p == 0)
      x_lines(F, r, u);
    else
      y_lines(F, r, u);
  }

  struct LineFactors {
    Kokkos::View<double*, memory_space> cp, inv;
    double ac = -1.0;
  };

  /// The shared factorisation of the line matrix of `n` rows for ac (kept while ac is unchanged).
  void factor(LineFactors& F, int n, double ac) {
    if (F.ac == ac && static_cast<int>(F.cp.extent(0)) == n) return;
    F.cp = Kokkos::View<double*, memory_space>("pint::heat2d::line_cp", n);
    F.inv = Kokkos::View<double*, memory_space>("pint::heat2d::line_inv", n);
    auto cp = Kokkos::create_mirror_view(F.cp);
    auto inv = Kokkos::create_mirror_view(F.inv);
    cp(0) = 0.0;  // row 0 prescribed: the identity
    inv(0) = 1.0;
    for (int i = 1; i + 1 < n; ++i) {
      inv(i) = 1.0 / (1.0 + 2.0 * ac + ac * cp(i - 1));
      cp(i) = -ac * inv(i);
    }
    cp(n - 1) = 0.0;
    inv(n - 1) = 1.0;
    Kokkos::deep_copy(this->exec(), F.cp, cp);
    Kokkos::deep_copy(this->exec(), F.inv, inv);
    this->exec().fence();  // the host mirrors go out of scope
    F.ac = ac;
  }

  void x_lines(const LineFactors& F, const ConstVector& r, const Vector& u) {
    const int nx = nx_, ny = ny_;
    const double ac = F.ac;
    const auto cp = F.cp, inv = F.inv;
    const int chunk = runs_on_host<ExecSpace>() ? 64 : 1;
    const int chunks = (ny + chunk - 1) / chunk;
    Kokkos::parallel_for(
        "pint::heat2d::x_lines", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, chunks), KOKKOS_LAMBDA(int c) {
          const int j0 = c * chunk, j1 = j0 + chunk < ny ? j0 + chunk : ny;
          for (int j = j0; j < j1; ++j) u(j) = 0.0;  // row 0: prescribed
          // Lines 0 and ny-1 lie on the boundary (prescribed): solved as zero right-hand sides, which
          // leaves them zero and keeps the inner loop free of branches.
          const int a = j0 > 0 ? j0 : 1, b = j1 < ny - 1 ? j1 : ny - 1;
          for (int i = 1; i < nx - 1; ++i) {
            const double w = inv(i);
            if (j0 == 0) u(i * ny) = 0.0;
            if (j1 == ny) u(i * ny + ny - 1) = 0.0;
            for (int j = a; j < b; ++j) {
              const int k = i * ny + j;
              u(k) = (r(k) + ac * u(k - ny)) * w;
            }
          }
          for (int j = j0; j < j1; ++j) u((nx - 1) * ny + j) = 0.0;  // row nx-1: prescribed
          for (int i = nx - 2; i >= 1; --i) {
            const double m = cp(i);
            for (int j = j0; j < j1; ++j) u(i * ny + j) -= m * u((i + 1) * ny + j);
          }
        });
  }

  void y_lines(const LineFactors& F, const ConstVector& r, const Vector& u) {
    const int nx = nx_, ny = ny_;
    const double ac = F.ac;
    const auto cp = F.cp, inv = F.inv;
    Kokkos::parallel_for(
        "pint::heat2d::y_lines", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, nx), KOKKOS_LAMBDA(int i) {
          const int base = i * ny;
          if (i == 0 || i == nx - 1) {
            for (int j = 0; j < ny; ++j) u(base + j) = 0.0;
            return;
          }
          u(base) = 0.0;
          for (int j = 1; j < ny - 1; ++j) u(base + j) = (r(base + j) + ac * u(base + j - 1)) * inv(j);
          u(base + ny - 1) = 0.0;
          for (int j = ny - 2; j >= 1; --j) u(base + j) -= cp(j) * u(base + j + 1);
        });
  }

  /// u - a f(u) = r by conjugate gradients on the interior (I - a L is symmetric positive definite there).
  void solve(double t, double a, const ConstVector& r, const Vector& u) override {
    const int n = static_cast<int>(size());
    if (cg_r_.extent(0) != size())
      for (auto* v : {&cg_r_, &cg_p_, &cg_Ap_}) *v = Vector("pint::heat2d::cg", n);
    const Vector res = cg_r_, dir = cg_p_, Ap = cg_Ap_;
    prescribe(t, u);
    apply_system(a, u, Ap);
    axpy(res, r, -1.0, Ap);  // res = r - A u (0 on the boundary: r's boundary is ignored)
    zero_boundary(res);
    Kokkos::deep_copy(this->exec(), dir, res);
    double rr = dot(res, res);
    const double rnorm = std::sqrt(dot_interior(r));
    const double goal = cg_tol_ * (rnorm > 0 ? rnorm : 1.0);
    const int cap = 10 * n + 100;
    for (int it = 0; it < cap; ++it) {
      if (std::sqrt(rr) <= goal) return;
      apply_system(a, dir, Ap);
      const double alpha = rr / dot(dir, Ap);
      axpy(u, u, alpha, dir);
      axpy(res, res, -alpha, Ap);
      const double rr_new = dot(res, res);
      axpy(dir, res, rr_new / rr, dir);
      rr = rr_new;
    }
    std::ostringstream msg;
    msg << "heat2d: conjugate gradients did not reach the relative residual " << cg_tol_ << " at t = " << t
        << " (residual " << std::sqrt(rr) << " after " << cap << " iterations)";
    throw std::runtime_error(msg.str());
  }

  /// A v = v - a L v on the interior, 0 on the boundary (v's boundary is zero: homogeneous Dirichlet).
  void apply_system(double a, const Vector& v, const Vector& out) {
    apply(v, out, cx_, cy_);
    axpy(out, v, -a, out);
    zero_boundary(out);
  }
  void axpy(const Vector& y, const ConstVector& x, double c, const ConstVector& z) {
    Kokkos::parallel_for(
        "pint::heat2d::axpy", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, y.extent(0)),
        KOKKOS_LAMBDA(int k) { y(k) = x(k) + c * z(k); });
  }
  void zero_boundary(const Vector& v) { prescribe(0.0, v); }
  double dot(const ConstVector& x, const ConstVector& y) {
    double s = 0.0;
    Kokkos::parallel_reduce(
        "pint::heat2d::dot", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, x.extent(0)),
        KOKKOS_LAMBDA(int k, double& acc) { acc += x(k) * y(k); }, s);
    return s;
  }
  double dot_interior(const ConstVector& x) {
    const int nx = nx_, ny = ny_;
    double s = 0.0;
    Kokkos::parallel_reduce(
        "pint::heat2d::norm", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, x.extent(0)),
        KOKKOS_LAMBDA(int k, double& acc) {
          const int i = k / ny, j = k % ny;
          if (!(i == 0 || j == 0 || i == nx - 1 || j == ny - 1)) acc += x(k) * x(k);
        },
        s);
    return s;
  }

 private:
  int nx_, ny_;
  double cx_, cy_, cg_tol_;
  LineFactors x_factors_, y_factors_;
  Vector cg_r_, cg_p_, cg_Ap_;
};

void validate(const Heat2dParams& p) {
  auto positive = [](double v, const char* what) {
    if (!(v > 0) || !std::isfinite(v))
      throw std::invalid_argument(std::string("heat2d: ") + what + " must be positive");
  };
  positive(p.alpha, "alpha");
  positive(p.lx, "lx");
  positive(p.ly, "ly");
  positive(p.t_end, "t_end");
  positive(p.cg_tolerance, "cg_tolerance");
  if (p.nx < 2 || p.ny < 2) throw std::invalid_argument("heat2d: nx and ny must be at least 2 intervals");
  // Kernels index the grid with int: keep (nx + 1)(ny + 1) far below 2^31 (1e8 points is 0.8 GB per state).
  if (static_cast<double>(p.nx + 1) * (p.ny + 1) > 1e8)
    throw std::invalid_argument(
        "heat2d: (nx + 1)(ny + 1) = " + std::to_string(static_cast<long long>(p.nx + 1) * (p.ny + 1)) +
        " grid points is more than the 1e8 pint allows; lower nx or ny");
  if (p.mode_x < 1 || p.mode_x >= p.nx || p.mode_y < 1 || p.mode_y >= p.ny)
    throw std::invalid_argument("heat2d: mode_x must be in [1, nx) and mode_y in [1, ny)");
}

}  // namespace

Heat2dProblem::Heat2dProblem(Heat2dParams params) : p_(params) {
  validate(p_);
  auto g = std::make_shared<Grid>();
  g->x.resize(p_.nx + 1);
  g->y.resize(p_.ny + 1);
  for (int i = 0; i <= p_.nx; ++i) g->x[i] = p_.lx * i / p_.nx;
  for (int j = 0; j <= p_.ny; ++j) g->y[j] = p_.ly * j / p_.ny;
  g->prescribed.assign(g->size(), 0);
  for (int i = 0; i <= p_.nx; ++i)
    for (int j = 0; j <= p_.ny; ++j)
      if (i == 0 || j == 0 || i == p_.nx || j == p_.ny) g->prescribed[i * (p_.ny + 1) + j] = 1;
  grid_ = std::move(g);
}

void Heat2dProblem::mode(double amplitude, HostVector u) const {
  const double kx = p_.mode_x * M_PI / p_.lx, ky = p_.mode_y * M_PI / p_.ly;
  const std::size_t ny = grid_->ny();
  for (std::size_t i = 0; i < grid_->nx(); ++i)
    for (std::size_t j = 0; j < ny; ++j)
      u(i * ny + j) =
          grid_->prescribed[i * ny + j] ? 0.0 : amplitude * std::sin(kx * grid_->x[i]) * std::sin(ky * grid_->y[j]);
}

void Heat2dProblem::initial_condition(HostVector u) const {
  mode(1.0, u);
}

void Heat2dProblem::exact_solution(double t, HostVector u) const {
  const double kx = p_.mode_x * M_PI / p_.lx, ky = p_.mode_y * M_PI / p_.ly;
  mode(std::exp(-p_.alpha * (kx * kx + ky * ky) * t), u);
}

double Heat2dProblem::discrete_decay_rate() const {
  const double hx = p_.lx / p_.nx, hy = p_.ly / p_.ny;
  const double sx = std::sin(p_.mode_x * M_PI * hx / (2 * p_.lx)), sy = std::sin(p_.mode_y * M_PI * hy / (2 * p_.ly));
  return p_.alpha * (4.0 / (hx * hx) * sx * sx + 4.0 / (hy * hy) * sy * sy);
}

std::unique_ptr<ProblemOperatorBase> Heat2dProblem::make_operator(SpaceKind space) const {
  return make_operator_on<Heat2dOperator>(space, p_);
}

std::vector<StabilityOperator> Heat2dProblem::stability_operators(const HostVector&) const {
  // The 5-point Laplacian is the Kronecker sum of the two directions' 1-D operators.
  auto line = [](int intervals, double c) {
    const std::size_t n = intervals + 1;
    Tridiagonal L{std::vector<double>(n, c), std::vector<double>(n, -2.0 * c), std::vector<double>(n, c)};
    L.lower[0] = 0.0;
    L.upper[n - 1] = 0.0;
    return StabilityOperator{L, true};
  };
  return {line(p_.nx, p_.alpha * p_.nx * p_.nx / (p_.lx * p_.lx)),
          line(p_.ny, p_.alpha * p_.ny * p_.ny / (p_.ly * p_.ly))};
}

ProblemEntry Heat2dProblem::entry() {
  ProblemEntry e;
  e.name = "heat2d";
  e.table = "heat2d";
  e.summary = "u_t = alpha (u_xx + u_yy) on a rectangle, zero boundary, one sine mode (closed form)";
  const Heat2dParams d{};
  e.parameters = {
      {"alpha", d.alpha, "diffusivity", false, 1e-300, 1e300},
      {"lx", d.lx, "length in x", false, 1e-300, 1e300},
      {"ly", d.ly, "length in y", false, 1e-300, 1e300},
      {"nx", double(d.nx), "intervals in x", true, 2, 100000},
      {"ny", double(d.ny), "intervals in y", true, 2, 100000},
      {"mode_x", double(d.mode_x), "sine mode in x (1 <= mode_x < nx)", true, 1, 100000},
      {"mode_y", double(d.mode_y), "sine mode in y (1 <= mode_y < ny)", true, 1, 100000},
      {"t_end", d.t_end, "end time", false, 1e-300, 1e300},
      {"cg_tolerance", d.cg_tolerance, "relative residual of the conjugate-gradient stage solve", false, 1e-300, 1},
  };
  e.make = [](const ProblemParameters& p) -> std::shared_ptr<const Problem> {
    Heat2dParams h;
    h.alpha = p.get("alpha");
    h.lx = p.get("lx");
    h.ly = p.get("ly");
    h.nx = p.get_int("nx");
    h.ny = p.get_int("ny");
    h.mode_x = p.get_int("mode_x");
    h.mode_y = p.get_int("mode_y");
    h.t_end = p.get("t_end");
    h.cg_tolerance = p.get("cg_tolerance");
    return std::make_shared<Heat2dProblem>(h);
  };
  return e;
}

}  // namespace pint

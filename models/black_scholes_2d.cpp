#include "models/black_scholes_2d.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

#include "core/problem_operator.hpp"
#include "models/asset_mesh.hpp"
#include "models/two_asset_formulas.hpp"
#include "spaces/dispatch.hpp"

namespace pint {

namespace {

/// One axis' three-point stencils at every node: first difference (d1*), and the direction's part of f,
/// 1/2 s^2 x^2 D2 + mu x D1 - r/2 (a*). Node 0 (x = 0): only -r/2. The last node: D2 = 0, D1 one-sided.
struct AxisStencils {
  std::vector<double> d1l, d1d, d1u, al, ad, au;
};

AxisStencils axis_stencils(const std::vector<double>& x, double sigma, double mu, double r) {
  const std::size_t n = x.size();
  AxisStencils s;
  for (auto* v : {&s.d1l, &s.d1d, &s.d1u, &s.al, &s.ad, &s.au}) v->assign(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    s.ad[i] = -0.5 * r;
    if (i == 0) continue;  // x = 0: every other term has the factor x
    const double diff = 0.5 * sigma * sigma * x[i] * x[i], drift = mu * x[i];
    if (i + 1 == n) {  // far edge: u_xx = 0, one-sided first difference
      const double hm = x[i] - x[i - 1];
      s.d1l[i] = -1.0 / hm;
      s.d1d[i] = 1.0 / hm;
    } else {
      const double hm = x[i] - x[i - 1], hp = x[i + 1] - x[i];
      s.d1l[i] = -hp / (hm * (hm + hp));
      s.d1d[i] = (hp - hm) / (hm * hp);
      s.d1u[i] = hm / (hp * (hm + hp));
      s.al[i] += diff * 2.0 / (hm * (hm + hp));
      s.ad[i] += -diff * 2.0 / (hm * hp);
      s.au[i] += diff * 2.0 / (hp * (hm + hp));
    }
    s.al[i] += drift * s.d1l[i];
    s.ad[i] += drift * s.d1d[i];
    s.au[i] += drift * s.d1u[i];
  }
  return s;
}

template <class MemorySpace>
Kokkos::View<double*, MemorySpace> to_view(const std::vector<double>& v, const char* label) {
  Kokkos::View<double*, MemorySpace> out(std::string(label), v.size());
  auto h = Kokkos::create_mirror_view(out);
  for (std::size_t i = 0; i < v.size(); ++i) h(i) = v[i];
  Kokkos::deep_copy(out, h);
  return out;
}

/// The stencils on the operator's space, and f's parts at one point (copied into kernels by value).
template <class MemorySpace>
struct Stencils2d {
  using V = Kokkos::View<double*, MemorySpace>;
  V xd1l, xd1d, xd1u, xal, xad, xau;  // along S1 (index i, stride ny)
  V yd1l, yd1d, yd1u, yal, yad, yau;  // along S2 (index j, stride 1)
  V xs, ys;                           // coordinates
  int nx = 0, ny = 0;
  double mixed = 0.0;  // rho s1 s2

  /// The parts selected by (m, px, py) at point (i, j): mixed, S1 and S2.
  template <class U>
  KOKKOS_INLINE_FUNCTION double at(const U& u, int i, int j, bool m, bool px, bool py) const {
    const int k = i * ny + j;
    double f = 0.0;
    if (px) {
      f += xad(i) * u(k);
      if (i > 0) f += xal(i) * u(k - ny);
      if (i + 1 < nx) f += xau(i) * u(k + ny);
    }
    if (py) {
      f += yad(j) * u(k);
      if (j > 0) f += yal(j) * u(k - 1);
      if (j + 1 < ny) f += yau(j) * u(k + 1);
    }
    if (m && i > 0 && j > 0) {
      // D1x (D1y u): the y-differences on rows i-1, i, i+1 (a missing neighbour has weight 0).
      auto row = [&](int ii) {
        const int b = ii * ny + j;
        double d = yd1d(j) * u(b) + yd1l(j) * u(b - 1);
        if (j + 1 < ny) d += yd1u(j) * u(b + 1);
        return d;
      };
      double d = xd1d(i) * row(i) + xd1l(i) * row(i - 1);
      if (i + 1 < nx) d += xd1u(i) * row(i + 1);
      f += mixed * xs(i) * ys(j) * d;
    }
    return f;
  }
};

/// f, its three parts (0 mixed, explicit; 1 along S1; 2 along S2), their line solves and the full stage solve.
template <class ExecSpace>
class BlackScholes2dOperator final : public ProblemOperator<ExecSpace> {
 public:
  using Base = ProblemOperator<ExecSpace>;
  using typename Base::ConstVector;
  using typename Base::memory_space;
  using typename Base::Vector;
  using V = Kokkos::View<double*, memory_space>;

  BlackScholes2dOperator(ExecSpace exec, const BlackScholes2dParams& p, const Grid& g)
      : Base(exec), nx_(static_cast<int>(g.nx())), ny_(static_cast<int>(g.ny())), tol_(p.solve_tolerance) {
    const AxisStencils sx = axis_stencils(g.x, p.sigma1, p.rate - p.q1, p.rate);
    const AxisStencils sy = axis_stencils(g.y, p.sigma2, p.rate - p.q2, p.rate);
    auto& s = st_;
    s.nx = nx_;
    s.ny = ny_;
    s.mixed = p.rho * p.sigma1 * p.sigma2;
    s.xd1l = to_view<memory_space>(sx.d1l, "pint::bs2d::x");
    s.xd1d = to_view<memory_space>(sx.d1d, "pint::bs2d::x");
    s.xd1u = to_view<memory_space>(sx.d1u, "pint::bs2d::x");
    s.xal = to_view<memory_space>(sx.al, "pint::bs2d::x");
    s.xad = to_view<memory_space>(sx.ad, "pint::bs2d::x");
    s.xau = to_view<memory_space>(sx.au, "pint::bs2d::x");
    s.yd1l = to_view<memory_space>(sy.d1l, "pint::bs2d::y");
    s.yd1d = to_view<memory_space>(sy.d1d, "pint::bs2d::y");
    s.yd1u = to_view<memory_space>(sy.d1u, "pint::bs2d::y");
    s.yal = to_view<memory_space>(sy.al, "pint::bs2d::y");
    s.yad = to_view<memory_space>(sy.ad, "pint::bs2d::y");
    s.yau = to_view<memory_space>(sy.au, "pint::bs2d::y");
    s.xs = to_view<memory_space>(g.x, "pint::bs2d::xs");
    s.ys = to_view<memory_space>(g.y, "pint::bs2d::ys");
    host_x_ = sx;
    host_y_ = sy;
  }

  std::size_t size() const override { return static_cast<std::size_t>(nx_) * ny_; }
  bool linear() const override { return true; }
  int parts() const override { return 3; }
  bool explicit_part(int p) const override { return p == 0; }
  void prescribe(double, const Vector&) override {}  // nothing is prescribed (see the header)

  void rhs(double, const ConstVector& u, const Vector& f) override { apply(u, f, true, true, true); }
  void rhs_part(int p, double t, const ConstVector& u, const Vector& f) override {
    if (p < 0 || p > 2) Base::rhs_part(p, t, u, f);
    apply(u, f, p == 0, p == 1, p == 2);
  }

  /// f's selected parts. Host: a thread per grid row (contiguous); GPU: a thread per point.
  template <class In>
  void apply(const In& u, const Vector& f, bool m, bool px, bool py) {
    const Stencils2d<memory_space> s = st_;
    const int nx = nx_, ny = ny_;
    if constexpr (runs_on_host<ExecSpace>()) {
      Kokkos::parallel_for(
          "pint::bs2d::rhs_rows", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, nx), KOKKOS_LAMBDA(int i) {
            for (int j = 0; j < ny; ++j) f(i * ny + j) = s.at(u, i, j, m, px, py);
          });
    } else {
      Kokkos::parallel_for(
          "pint::bs2d::rhs", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, nx * ny),
          KOKKOS_LAMBDA(int k) { f(k) = s.at(u, k / ny, k % ny, m, px, py); });
    }
  }

  /// A direction's shared Thomas factorisation of I - a A_dir: sub-diagonal, inverse pivots, multipliers.
  struct LineFactors {
    V low, inv, cp;
    double a = -1.0;
  };

  void factor(LineFactors& F, const AxisStencils& s, double a) {
    if (F.a == a) return;
    const int n = static_cast<int>(s.ad.size());
    F.low = V("pint::bs2d::line_low", n);
    F.inv = V("pint::bs2d::line_inv", n);
    F.cp = V("pint::bs2d::line_cp", n);
    auto low = Kokkos::create_mirror_view(F.low);
    auto inv = Kokkos::create_mirror_view(F.inv);
    auto cp = Kokkos::create_mirror_view(F.cp);
    double prev = 0.0;
    for (int i = 0; i < n; ++i) {
      const double l = -a * s.al[i], d = 1.0 - a * s.ad[i], u = -a * s.au[i];
      const double pivot = d - l * prev;
      if (!(std::abs(pivot) > 1e-300))
        throw std::runtime_error("black-scholes-2d: a line matrix is singular at this time step (" + std::to_string(a) +
                                 "); take more time steps");
      low(i) = l;
      inv(i) = 1.0 / pivot;
      cp(i) = u * inv(i);
      prev = cp(i);
    }
    Kokkos::deep_copy(this->exec(), F.low, low);
    Kokkos::deep_copy(this->exec(), F.inv, inv);
    Kokkos::deep_copy(this->exec(), F.cp, cp);
    this->exec().fence();  // the host mirrors go out of scope
    F.a = a;
  }

  void solve_part(int p, double t, double a, const ConstVector& r, const Vector& u) override {
    if (p != 1 && p != 2) Base::solve_part(p, t, a, r, u);
    if (p == 1) {
      factor(xf_, host_x_, a);
      x_lines(xf_, r, u);
    } else {
      factor(yf_, host_y_, a);
      y_lines(yf_, r, u);
    }
  }

  /// Lines along S1 (stride ny): on a host core a chunk of adjacent lines side by side (contiguous rows,
  /// SIMD lanes), on a GPU one line per thread.
  template <class In>
  void x_lines(const LineFactors& F, const In& r, const Vector& u) {
    const int nx = nx_, ny = ny_;
    const V low = F.low, inv = F.inv, cp = F.cp;
    const int chunk = runs_on_host<ExecSpace>() ? 64 : 1;
    const int chunks = (ny + chunk - 1) / chunk;
    Kokkos::parallel_for(
        "pint::bs2d::x_lines", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, chunks), KOKKOS_LAMBDA(int c) {
          const int j0 = c * chunk, j1 = j0 + chunk < ny ? j0 + chunk : ny;
          for (int j = j0; j < j1; ++j) u(j) = r(j) * inv(0);
          for (int i = 1; i < nx; ++i) {
            const double l = low(i), w = inv(i);
            for (int j = j0; j < j1; ++j) u(i * ny + j) = (r(i * ny + j) - l * u((i - 1) * ny + j)) * w;
          }
          for (int i = nx - 2; i >= 0; --i) {
            const double m = cp(i);
            for (int j = j0; j < j1; ++j) u(i * ny + j) -= m * u((i + 1) * ny + j);
          }
        });
  }

  /// Lines along S2 (contiguous). On a host core 8 lines side by side (one Thomas recurrence is bound by its
  /// latency, not by memory: 8 in flight cost 1.2 instead of 3.8 ns per point, measured in pint bench bs2d);
  /// on a GPU one line per thread. Each line's arithmetic is the same either way.
  template <class In>
  void y_lines(const LineFactors& F, const In& r, const Vector& u) {
    const int nx = nx_, ny = ny_;
    const V low = F.low, inv = F.inv, cp = F.cp;
    const int lanes = runs_on_host<ExecSpace>() ? 8 : 1;
    const int chunks = (nx + lanes - 1) / lanes;
    Kokkos::parallel_for(
        "pint::bs2d::y_lines", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, chunks), KOKKOS_LAMBDA(int c) {
          const int i0 = c * lanes, i1 = i0 + lanes < nx ? i0 + lanes : nx;
          for (int i = i0; i < i1; ++i) u(i * ny) = r(i * ny) * inv(0);
          for (int j = 1; j < ny; ++j) {
            const double l = low(j), w = inv(j);
            for (int i = i0; i < i1; ++i) u(i * ny + j) = (r(i * ny + j) - l * u(i * ny + j - 1)) * w;
          }
          for (int j = ny - 2; j >= 0; --j) {
            const double m = cp(j);
            for (int i = i0; i < i1; ++i) u(i * ny + j) -= m * u(i * ny + j + 1);
          }
        });
  }

  /// z = (I - a A_2)^-1 (I - a A_1)^-1 v: the approximate factorisation of I - a f (what a Douglas step with
  /// theta = 1 inverts), as BiCGStab's right preconditioner.
  void precondition(double a, const Vector& v, const Vector& z) {
    factor(xf_, host_x_, a);
    factor(yf_, host_y_, a);
    x_lines(xf_, v, pre_);
    y_lines(yf_, pre_, z);
  }

  /// out = v - a f(v).
  void apply_system(double a, const Vector& v, const Vector& out) {
    apply(v, out, true, true, true);
    axpby(out, 1.0, v, -a, out);
  }

  /// u - a f(u) = r: right-preconditioned BiCGStab from the initial guess u, to |residual| <= tol |r|.
  void solve(double t, double a, const ConstVector& r, const Vector& u) override {
    const int n = static_cast<int>(size());
    if (res_.extent(0) != size())
      for (auto* v : {&res_, &rhat_, &p_, &v_, &s_, &t_, &ph_, &sh_, &pre_}) *v = Vector("pint::bs2d::bicgstab", n);
    apply_system(a, u, t_);
    axpby(res_, 1.0, r, -1.0, t_);
    Kokkos::deep_copy(this->exec(), rhat_, res_);
    const double rnorm = std::sqrt(dot(r, r));
    const double goal = tol_ * (rnorm > 0 ? rnorm : 1.0);
    double rho = 1.0, alpha = 1.0, omega = 1.0, rr = dot(res_, res_);
    Kokkos::deep_copy(this->exec(), p_, 0.0);
    Kokkos::deep_copy(this->exec(), v_, 0.0);
    const int cap = 1000;
    for (int it = 0; it < cap; ++it) {
      if (std::sqrt(rr) <= goal) return;
      const double rho_new = dot(rhat_, res_);
      if (rho_new == 0.0 || omega == 0.0) break;  // breakdown: restart below
      const double beta = (rho_new / rho) * (alpha / omega);
      rho = rho_new;
      // p = res + beta (p - omega v)
      const Vector P = p_, R = res_, Vv = v_;
      Kokkos::parallel_for(
          "pint::bs2d::bicgstab_p", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, n),
          KOKKOS_LAMBDA(int k) { P(k) = R(k) + beta * (P(k) - omega * Vv(k)); });
      precondition(a, p_, ph_);
      apply_system(a, ph_, v_);
      alpha = rho / dot(rhat_, v_);
      axpby(s_, 1.0, res_, -alpha, v_);
      axpby(u, 1.0, u, alpha, ph_);
      if (std::sqrt(dot(s_, s_)) <= goal) return;
      precondition(a, s_, sh_);
      apply_system(a, sh_, t_);
      const double tt = dot(t_, t_);
      omega = tt > 0 ? dot(t_, s_) / tt : 0.0;
      axpby(u, 1.0, u, omega, sh_);
      axpby(res_, 1.0, s_, -omega, t_);
      rr = dot(res_, res_);
    }
    std::ostringstream msg;
    msg << "black-scholes-2d: the stage solve (BiCGStab) did not reach the relative residual " << tol_
        << " at t = " << t << " (residual " << std::sqrt(rr) / (rnorm > 0 ? rnorm : 1.0)
        << "); raise solve_tolerance or take more time steps";
    throw std::runtime_error(msg.str());
  }

  // (public: CUDA's extended lambdas may not live in private member functions)
  template <class X, class Y>
  void axpby(const Vector& out, double a, const X& x, double b, const Y& y) {
    Kokkos::parallel_for(
        "pint::bs2d::axpby", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, out.extent(0)),
        KOKKOS_LAMBDA(int k) { out(k) = a * x(k) + b * y(k); });
  }
  template <class X, class Y>
  double dot(const X& x, const Y& y) {
    double s = 0.0;
    Kokkos::parallel_reduce(
        "pint::bs2d::dot", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, x.extent(0)),
        KOKKOS_LAMBDA(int k, double& acc) { acc += x(k) * y(k); }, s);
    return s;
  }

 private:
  int nx_, ny_;
  double tol_;
  Stencils2d<memory_space> st_;
  AxisStencils host_x_, host_y_;
  LineFactors xf_, yf_;
  Vector res_, rhat_, p_, v_, s_, t_, ph_, sh_, pre_;
};

void validate(const BlackScholes2dParams& p) {
  auto fail = [](const std::string& what) { throw std::invalid_argument("black-scholes-2d: " + what); };
  auto finite = [](double v) { return std::isfinite(v); };
  if (!(p.sigma1 > 0 && finite(p.sigma1)) || !(p.sigma2 > 0 && finite(p.sigma2)))
    fail("volatilities sigma1 and sigma2 must be positive (got " + std::to_string(p.sigma1) + ", " +
         std::to_string(p.sigma2) + ")");
  if (!(p.rho >= -1.0 && p.rho <= 1.0))
    fail("the correlation rho must be in [-1, 1] (got " + std::to_string(p.rho) + ")");
  if (!finite(p.rate) || !finite(p.q1) || !finite(p.q2)) fail("rate, q1 and q2 must be finite numbers");
  if (!(p.maturity > 0 && finite(p.maturity))) fail("the maturity must be positive");
  if (!(p.s1_max > 0 && finite(p.s1_max)) || !(p.s2_max > 0 && finite(p.s2_max)))
    fail("s1_max and s2_max must be positive");
  if (!(p.spot1 > 0 && p.spot1 < p.s1_max) || !(p.spot2 > 0 && p.spot2 < p.s2_max))
    fail("the spot (" + std::to_string(p.spot1) + ", " + std::to_string(p.spot2) + ") must lie inside the grid (0, " +
         std::to_string(p.s1_max) + ") x (0, " + std::to_string(p.s2_max) + "); raise s1_max / s2_max");
  if (p.n1 < 4 || p.n2 < 4) fail("n1 and n2 must be at least 4 intervals");
  if (static_cast<double>(p.n1 + 1) * (p.n2 + 1) > 1e8)
    fail("(n1 + 1)(n2 + 1) grid points is more than the 1e8 pint allows; lower n1 or n2");
  if (!(p.density > 0 && finite(p.density))) fail("the mesh density must be positive");
  if (!(p.solve_tolerance > 0 && p.solve_tolerance < 1)) fail("solve_tolerance must be in (0, 1)");
  const TwoAssetPayoff k = p.contract.payoff;
  if (k != TwoAssetPayoff::Exchange && !(p.contract.strike >= 0 && finite(p.contract.strike)))
    fail("the strike must be a number >= 0");
  if (k == TwoAssetPayoff::BasketCall &&
      !(p.contract.weight1 >= 0 && p.contract.weight2 >= 0 && p.contract.weight1 + p.contract.weight2 > 0))
    fail("a basket call needs weights weight1, weight2 >= 0, not both 0");
}

}  // namespace

BlackScholes2dProblem::BlackScholes2dProblem(BlackScholes2dParams params) : p_(params) {
  validate(p_);
  auto g = std::make_shared<Grid>();
  g->x = p_.concentrated ? concentrated_asset_mesh(p_.s1_max, p_.n1, p_.spot1, p_.density)
                         : uniform_asset_mesh(p_.s1_max, p_.n1);
  g->y = p_.concentrated ? concentrated_asset_mesh(p_.s2_max, p_.n2, p_.spot2, p_.density)
                         : uniform_asset_mesh(p_.s2_max, p_.n2);
  grid_ = std::move(g);
}

bool BlackScholes2dProblem::kinks_on_nodes() const {
  const auto& x = grid_->x;
  const auto& y = grid_->y;
  auto has = [](const std::vector<double>& v, double s) {
    const auto it = std::lower_bound(v.begin(), v.end(), s * (1 - 1e-13));
    return it != v.end() && std::abs(*it - s) <= 1e-13 * std::max(1.0, s);
  };
  const bool same_meshes = x == y;
  const double K = p_.contract.strike;
  switch (p_.contract.payoff) {
    case TwoAssetPayoff::Exchange:  // kink S1 = S2
      return same_meshes;
    case TwoAssetPayoff::MaxCall:  // kinks S1 = K, S2 = K, S1 = S2
    case TwoAssetPayoff::MinCall:
      return same_meshes && has(x, K);
    default:  // basket and spread: oblique kink lines that cross cells
      return false;
  }
}

bool BlackScholes2dProblem::payoff_point_values() const {
  return p_.smoothing == PayoffSmoothing::Point || (p_.smoothing == PayoffSmoothing::Auto && kinks_on_nodes());
}

void BlackScholes2dProblem::initial_condition(HostVector u) const {
  const auto& x = grid_->x;
  const auto& y = grid_->y;
  const std::size_t nx = x.size(), ny = y.size();
  auto lo = [](const std::vector<double>& v, std::size_t i) { return i == 0 ? v[0] : 0.5 * (v[i - 1] + v[i]); };
  auto hi = [](const std::vector<double>& v, std::size_t i) {
    return i + 1 == v.size() ? v[i] : 0.5 * (v[i] + v[i + 1]);
  };
  const bool point = payoff_point_values();
  for (std::size_t i = 0; i < nx; ++i)
    for (std::size_t j = 0; j < ny; ++j)
      u(i * ny + j) = point ? two_asset_payoff(p_.contract, x[i], y[j])
                            : two_asset_payoff_cell_average(p_.contract, lo(x, i), hi(x, i), lo(y, j), hi(y, j));
}

std::unique_ptr<ProblemOperatorBase> BlackScholes2dProblem::make_operator(SpaceKind space) const {
  return make_operator_on<BlackScholes2dOperator>(space, p_, *grid_);
}

std::vector<StabilityOperator> BlackScholes2dProblem::stability_operators(const HostVector&) const {
  auto line = [&](const std::vector<double>& x, double sigma, double q) {
    const AxisStencils s = axis_stencils(x, sigma, p_.rate - q, p_.rate);
    return StabilityOperator{Tridiagonal{s.al, s.ad, s.au}, false};
  };
  return {line(grid_->x, p_.sigma1, p_.q1), line(grid_->y, p_.sigma2, p_.q2)};
}

bool BlackScholes2dProblem::has_exact_solution() const {
  const TwoAssetPayoff k = p_.contract.payoff;
  return k == TwoAssetPayoff::Exchange || k == TwoAssetPayoff::MaxCall || k == TwoAssetPayoff::MinCall;
}

namespace {
double closed_form(const BlackScholes2dParams& p, double s1, double s2, double tau) {
  const TwoAssetMarket m{s1, s2, p.sigma1, p.sigma2, p.rho, p.rate, p.q1, p.q2, tau};
  switch (p.contract.payoff) {
    case TwoAssetPayoff::Exchange:
      return margrabe_exchange_price(m);
    case TwoAssetPayoff::MaxCall:
      return stulz_max_call_price(m, p.contract.strike);
    case TwoAssetPayoff::MinCall:
      return stulz_min_call_price(m, p.contract.strike);
    default:
      throw std::logic_error("black-scholes-2d: no closed form for the " +
                             two_asset_payoff_names()[static_cast<int>(p.contract.payoff)] + " payoff");
  }
}
}  // namespace

void BlackScholes2dProblem::exact_solution(double t, HostVector u) const {
  if (!has_exact_solution()) Problem::exact_solution(t, u);
  const std::size_t ny = grid_->ny();
  for (std::size_t i = 0; i < grid_->nx(); ++i)
    for (std::size_t j = 0; j < ny; ++j) {
      const double s1 = grid_->x[i], s2 = grid_->y[j];
      // On the axes the closed forms reach their limits (one asset worthless): a tiny price gives them.
      u(i * ny + j) = closed_form(p_, std::max(s1, 1e-300), std::max(s2, 1e-300), t);
    }
}

double BlackScholes2dProblem::value_at_spot(const HostVector& u) const {
  const auto& x = grid_->x;
  const auto& y = grid_->y;
  const std::size_t ny = y.size();
  auto cell = [](const std::vector<double>& v, double s) {
    const std::size_t i = std::upper_bound(v.begin(), v.end(), s) - v.begin();
    return std::min<std::size_t>(std::max<std::size_t>(i, 1), v.size() - 1) - 1;
  };
  const std::size_t i = cell(x, p_.spot1), j = cell(y, p_.spot2);
  const double wx = (p_.spot1 - x[i]) / (x[i + 1] - x[i]), wy = (p_.spot2 - y[j]) / (y[j + 1] - y[j]);
  return (1 - wx) * ((1 - wy) * u(i * ny + j) + wy * u(i * ny + j + 1)) +
         wx * ((1 - wy) * u((i + 1) * ny + j) + wy * u((i + 1) * ny + j + 1));
}

std::optional<double> BlackScholes2dProblem::closed_form_at_spot(double tau) const {
  if (!has_exact_solution()) return std::nullopt;
  return closed_form(p_, p_.spot1, p_.spot2, tau);
}

std::vector<NamedValue> BlackScholes2dProblem::report(double t, const HostVector& u) const {
  std::vector<NamedValue> out{{"value_at_spot", value_at_spot(u)}};
  if (auto c = closed_form_at_spot(t)) {
    out.push_back({"closed_form_at_spot", *c});
    out.push_back({"error_at_spot", out[0].value - *c});
    out.push_back({"relative_error_at_spot", std::abs(out[0].value - *c) / std::abs(*c)});
  }
  out.push_back({"payoff_point_values", payoff_point_values() ? 1.0 : 0.0});
  out.push_back({"s1_max_effective", grid_->x.back()});
  out.push_back({"s2_max_effective", grid_->y.back()});
  return out;
}

ProblemEntry BlackScholes2dProblem::entry() {
  ProblemEntry e;
  e.name = "black-scholes-2d";
  e.table = "black_scholes_2d";
  e.summary =
      "European option on two correlated assets (exchange, max-call, min-call, basket-call, spread-call) under "
      "Black-Scholes, ADI (Margrabe / Stulz closed forms)";
  const BlackScholes2dParams d{};
  e.parameters = {
      {"payoff", double(static_cast<int>(d.contract.payoff)), "payoff", true, 0, 4, two_asset_payoff_names(),
       "--payoff"},
      {"spot1", d.spot1, "spot S1 (where the price is reported)", false, 1e-300, 1e300, {}, "--spot1"},
      {"spot2", d.spot2, "spot S2", false, 1e-300, 1e300, {}, "--spot2"},
      {"strike", d.contract.strike, "strike K", false, 0, 1e300, {}, "--strike"},
      {"sigma1", d.sigma1, "volatility of S1", false, 1e-300, 1e300, {}, "--sigma1"},
      {"sigma2", d.sigma2, "volatility of S2", false, 1e-300, 1e300, {}, "--sigma2"},
      {"rho", d.rho, "correlation of the two assets' Brownian motions", false, -1, 1, {}, "--rho"},
      {"rate", d.rate, "interest rate r", false, -1e300, 1e300, {}, "--rate"},
      {"q1", d.q1, "dividend yield of S1", false, -1e300, 1e300, {}, "--q1"},
      {"q2", d.q2, "dividend yield of S2", false, -1e300, 1e300, {}, "--q2"},
      {"maturity", d.maturity, "maturity T", false, 1e-300, 1e300, {}, "--maturity"},
      {"weight1", d.contract.weight1, "basket call: weight of S1", false, 0, 1e300, {}, "--weight1"},
      {"weight2", d.contract.weight2, "basket call: weight of S2", false, 0, 1e300, {}, "--weight2"},
      {"n1", double(d.n1), "intervals along S1", true, 4, 100000, {}, "--n1"},
      {"n2", double(d.n2), "intervals along S2", true, 4, 100000, {}, "--n2"},
      {"s1_max", d.s1_max, "far edge of S1", false, 1e-300, 1e300, {}, "--s1-max"},
      {"s2_max", d.s2_max, "far edge of S2", false, 1e-300, 1e300, {}, "--s2-max"},
      {"mesh", d.concentrated ? 1.0 : 0.0, "mesh", true, 0, 1, {"uniform", "concentrated"}, "--mesh"},
      {"density",
       d.density,
       "concentrated mesh: d / spot of the sinh map (smaller: more concentrated)",
       false,
       1e-300,
       1e300,
       {},
       "--mesh-density"},
      {"payoff_smoothing",
       double(static_cast<int>(d.smoothing)),
       "start values: auto (point values where every kink of the payoff lies on mesh lines, else cell averages), "
       "cell-average or point",
       true,
       0,
       2,
       {"auto", "cell-average", "point"},
       "--payoff-smoothing"},
      {"solve_tolerance",
       d.solve_tolerance,
       "relative residual of the full stage solve (BiCGStab)",
       false,
       1e-300,
       1,
       {},
       ""},
  };
  e.default_fine = {"adi-modified-craig-sneyd", 8, 4};
  e.default_coarse = {"lod-implicit-euler", 2, 0, 0.0};
  e.make = [](const ProblemParameters& p) -> std::shared_ptr<const Problem> {
    BlackScholes2dParams b;
    b.contract.payoff = static_cast<TwoAssetPayoff>(p.get_int("payoff"));
    b.contract.strike = p.get("strike");
    b.contract.weight1 = p.get("weight1");
    b.contract.weight2 = p.get("weight2");
    b.spot1 = p.get("spot1");
    b.spot2 = p.get("spot2");
    b.sigma1 = p.get("sigma1");
    b.sigma2 = p.get("sigma2");
    b.rho = p.get("rho");
    b.rate = p.get("rate");
    b.q1 = p.get("q1");
    b.q2 = p.get("q2");
    b.maturity = p.get("maturity");
    b.n1 = p.get_int("n1");
    b.n2 = p.get_int("n2");
    b.s1_max = p.get("s1_max");
    b.s2_max = p.get("s2_max");
    b.concentrated = p.get_int("mesh") == 1;
    b.density = p.get("density");
    b.solve_tolerance = p.get("solve_tolerance");
    b.smoothing = static_cast<PayoffSmoothing>(p.get_int("payoff_smoothing"));
    return std::make_shared<BlackScholes2dProblem>(b);
  };
  return e;
}

}  // namespace pint

#include "models/diffusion_reaction.hpp"

#include <cmath>
#include <stdexcept>

#include "models/newton_parameters.hpp"

namespace pint {

namespace {

/// The pointwise model: f at point i of a state stored as (system j, unknown 2 i + c), with mirrored
/// ghost points at both ends (no flux), and the 2 x 2 blocks of I - a J.
struct FitzHughNagumo {
  double du, dv, k, inv_h2;
  int n;  // points

  template <class U>
  KOKKOS_INLINE_FUNCTION void f(const U& u, int j, int i, double& fu, double& fv) const {
    const int im = i > 0 ? i - 1 : 1, ip = i + 1 < n ? i + 1 : n - 2;  // mirrored ghosts
    const double ui = u(j, 2 * i), vi = u(j, 2 * i + 1);
    fu = du * inv_h2 * (u(j, 2 * im) - 2.0 * ui + u(j, 2 * ip)) + ui - ui * ui * ui - k - vi;
    fv = dv * inv_h2 * (u(j, 2 * im + 1) - 2.0 * vi + u(j, 2 * ip + 1)) + ui - vi;
  }
  /// The weight of the neighbour below / above point i in the second difference (2 where it is the mirror).
  KOKKOS_INLINE_FUNCTION double below(int i) const { return i == n - 1 ? 2.0 : 1.0; }
  KOKKOS_INLINE_FUNCTION double above(int i) const { return i == 0 ? 2.0 : 1.0; }
};

template <class ExecSpace>
class DiffusionReactionOperator final : public ProblemOperator<ExecSpace> {
 public:
  using Base = ProblemOperator<ExecSpace>;
  using typename Base::Batch;
  using typename Base::ConstVector;
  using typename Base::memory_space;
  using typename Base::Vector;
  using Scratch = Kokkos::View<double***, Kokkos::LayoutRight, memory_space>;
  using ConstBatch = Kokkos::View<const double**, Kokkos::LayoutRight, memory_space>;

  DiffusionReactionOperator(ExecSpace exec, const DiffusionReactionParams& p) : Base(exec), newton_(p.newton) {
    const int n = p.intervals + 1;
    const double h = 2.0 / p.intervals;
    m_ = {p.du, p.dv, p.k, 1.0 / (h * h), n};
  }

  std::size_t size() const override { return 2 * static_cast<std::size_t>(m_.n); }
  bool linear() const override { return false; }

  void rhs(double, const ConstVector& u, const Vector& f) override {
    const FitzHughNagumo m = m_;
    const ConstBatch U(u.data(), 1, size());
    Kokkos::parallel_for(
        "pint::diffusion_reaction::rhs", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, m.n), KOKKOS_LAMBDA(int i) {
          double fu = 0, fv = 0;
          m.f(U, 0, i, fu, fv);
          f(2 * i) = fu;
          f(2 * i + 1) = fv;
        });
  }

  void prescribe(double, const Vector&) override {}  // no prescribed unknowns (no-flux ends)

  void solve(double t, double a, const ConstVector& r, const Vector& u) override {
    solve_systems(t, std::vector<double>{a}, ConstBatch(r.data(), 1, size()), Batch(u.data(), 1, size()));
  }

  void solve_batch(const std::vector<double>& t, const std::vector<double>& a, const Batch& r,
                   const Batch& u) override {
    this->check_batch(t, a, r, u);
    solve_systems(t.back(), a, ConstBatch(r), u);  // f does not depend on t: t names a failure only
  }

  /// Newton on every system at once: residuals in one kernel, then one block-Thomas sweep per system (the
  /// systems in parallel), until every system has converged. Public only because device lambdas may not
  /// live in private members.
  void solve_systems(double t, const std::vector<double>& a, const ConstBatch& r, const Batch& u) {
    const int m = static_cast<int>(a.size()), n = m_.n;
    if (static_cast<int>(a_.extent(0)) < m) {
      a_ = Kokkos::View<double*, memory_space>("pint::diffusion_reaction::a", m);
      res_ = Scratch("pint::diffusion_reaction::res", m, n, 2);
      inv_ = Scratch("pint::diffusion_reaction::inv", m, n, 4);
      dp_ = Scratch("pint::diffusion_reaction::dp", m, n, 2);
    }
    auto a_h = Kokkos::create_mirror_view(a_);
    for (int j = 0; j < m; ++j) a_h(j) = a[j];
    Kokkos::deep_copy(this->exec(), a_, a_h);
    this->exec().fence();
    double rmax = 0.0;
    Kokkos::parallel_reduce(
        "pint::diffusion_reaction::rmax", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, m * 2 * n),
        KOKKOS_LAMBDA(int idx, double& w) {
          const double v = r(idx / (2 * n), idx % (2 * n));
          const double av = v < 0 ? -v : v;
          if (!(av <= w)) w = av;
        },
        Kokkos::Max<double>(rmax));
    const double scale = 1.0 + rmax;
    for (int it = 0;; ++it) {
      const double res = residual(m, r, u);
      if (res <= newton_.tolerance * scale) return;
      if (it >= newton_.max_iterations || !std::isfinite(res))
        throw NewtonFailure::not_converged(t, res, it, newton_, scale);
      newton_step(m, u);
    }
  }

  /// res = u - a f(u) - r per system and point; returns its largest magnitude.
  double residual(int m, const ConstBatch& r, const Batch& u) {
    const FitzHughNagumo fm = m_;
    const int n = fm.n;
    const auto av = a_;
    const Scratch R = res_;
    double worst = 0.0;
    Kokkos::parallel_reduce(
        "pint::diffusion_reaction::residual", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, m * n),
        KOKKOS_LAMBDA(int idx, double& w) {
          const int j = idx / n, i = idx % n;
          double fu = 0, fv = 0;
          fm.f(u, j, i, fu, fv);
          const double ru = u(j, 2 * i) - av(j) * fu - r(j, 2 * i), rv = u(j, 2 * i + 1) - av(j) * fv - r(j, 2 * i + 1);
          R(j, i, 0) = ru;
          R(j, i, 1) = rv;
          const double au = ru < 0 ? -ru : ru, avv = rv < 0 ? -rv : rv;
          if (!(au <= w)) w = au;  // NaN propagates
          if (!(avv <= w)) w = avv;
        },
        Kokkos::Max<double>(worst));
    return worst;
  }

  /// u += the solution of (I - a J) x = -res, J block tridiagonal with 2 x 2 blocks: the block Thomas
  /// algorithm, one system per thread (its off-diagonal blocks are diagonal: the diffusion couples each
  /// species only to itself).
  void newton_step(int m, const Batch& u) {
    const FitzHughNagumo fm = m_;
    const int n = fm.n;
    const auto av = a_;
    const Scratch R = res_, Inv = inv_, Dp = dp_;
    Kokkos::parallel_for(
        "pint::diffusion_reaction::block_thomas", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, m),
        KOKKOS_LAMBDA(int j) {
          const double a = av(j), cu = -a * fm.du * fm.inv_h2, cv = -a * fm.dv * fm.inv_h2;
          for (int i = 0; i < n; ++i) {
            const double ui = u(j, 2 * i);
            double b00 = 1.0 - a * (-2.0 * fm.du * fm.inv_h2 + 1.0 - 3.0 * ui * ui), b01 = a;
            double b10 = -a, b11 = 1.0 - a * (-2.0 * fm.dv * fm.inv_h2 - 1.0);
            double d0 = -R(j, i, 0), d1 = -R(j, i, 1);
            if (i > 0) {
              // lower block diag(lu, lv); M = lower * inv(B'_{i-1}); B' -= M C_{i-1}; d' -= M d'_{i-1}
              const double lu = cu * fm.below(i), lv = cv * fm.below(i);
              const double uu = cu * fm.above(i - 1), uv = cv * fm.above(i - 1);
              const double m00 = lu * Inv(j, i - 1, 0), m01 = lu * Inv(j, i - 1, 1);
              const double m10 = lv * Inv(j, i - 1, 2), m11 = lv * Inv(j, i - 1, 3);
              b00 -= m00 * uu;
              b01 -= m01 * uv;
              b10 -= m10 * uu;
              b11 -= m11 * uv;
              d0 -= m00 * Dp(j, i - 1, 0) + m01 * Dp(j, i - 1, 1);
              d1 -= m10 * Dp(j, i - 1, 0) + m11 * Dp(j, i - 1, 1);
            }
            const double det = b00 * b11 - b01 * b10;
            Inv(j, i, 0) = b11 / det;
            Inv(j, i, 1) = -b01 / det;
            Inv(j, i, 2) = -b10 / det;
            Inv(j, i, 3) = b00 / det;
            Dp(j, i, 0) = d0;
            Dp(j, i, 1) = d1;
          }
          double x0 = 0, x1 = 0;  // x_{i+1}
          for (int i = n - 1; i >= 0; --i) {
            double y0 = Dp(j, i, 0), y1 = Dp(j, i, 1);
            if (i < n - 1) {
              y0 -= cu * fm.above(i) * x0;
              y1 -= cv * fm.above(i) * x1;
            }
            const double n0 = Inv(j, i, 0) * y0 + Inv(j, i, 1) * y1, n1 = Inv(j, i, 2) * y0 + Inv(j, i, 3) * y1;
            u(j, 2 * i) += n0;
            u(j, 2 * i + 1) += n1;
            x0 = n0;
            x1 = n1;
          }
        });
  }

 private:
  FitzHughNagumo m_{};
  NewtonSettings newton_;
  Kokkos::View<double*, memory_space> a_;
  Scratch res_, inv_, dp_;
};

}  // namespace

DiffusionReactionProblem::DiffusionReactionProblem(DiffusionReactionParams params) : p_(params) {
  auto bad = [](const std::string& what) { throw std::invalid_argument("diffusion-reaction: " + what); };
  if (p_.intervals < 2) bad("need at least 2 intervals");
  if (!(p_.du >= 0) || !(p_.dv >= 0) || !std::isfinite(p_.du) || !std::isfinite(p_.dv))
    bad("du and dv must be finite numbers >= 0");
  if (!std::isfinite(p_.k)) bad("k must be a finite number");
  if (!(p_.t_end > 0) || !std::isfinite(p_.t_end)) bad("t_end must be positive");
  check_newton(p_.newton, "diffusion-reaction");
  auto g = std::make_shared<Grid>();
  g->x.resize(p_.intervals + 1);
  for (int i = 0; i <= p_.intervals; ++i) g->x[i] = -1.0 + 2.0 * i / p_.intervals;
  g->components = 2;
  grid_ = std::move(g);
}

void DiffusionReactionProblem::initial_condition(HostVector u) const {
  const double pi = std::acos(-1.0);
  for (std::size_t i = 0; i < grid_->nx(); ++i) {
    const double x = grid_->x[i];
    u(2 * i) = 0.6 * std::cos(pi * x) + 0.3 * std::cos(3 * pi * x);
    u(2 * i + 1) = 0.0;
  }
}

std::unique_ptr<ProblemOperatorBase> DiffusionReactionProblem::make_operator(SpaceKind space) const {
  return make_operator_on<DiffusionReactionOperator>(space, p_);
}

std::vector<StabilityOperator> DiffusionReactionProblem::stability_operators(const HostVector& u) const {
  // Each species' own block of the Jacobian at u (diffusion with the mirrored ends, and its reaction's
  // diagonal); their decay rates are added, which bounds the whole Jacobian's up to the u-v coupling's
  // 1 (small next to d / h^2 at any useful grid).
  const std::size_t n = grid_->nx();
  const double inv_h2 = 1.0 / std::pow(2.0 / p_.intervals, 2);
  std::vector<StabilityOperator> out;
  for (int c = 0; c < 2; ++c) {
    const double d = (c == 0 ? p_.du : p_.dv) * inv_h2;
    Tridiagonal J{std::vector<double>(n, d), std::vector<double>(n, 0.0), std::vector<double>(n, d)};
    J.lower[0] = 0.0;
    J.upper[n - 1] = 0.0;
    J.upper[0] = 2.0 * d;      // mirrored ghost at x = -1
    J.lower[n - 1] = 2.0 * d;  // and at x = 1
    for (std::size_t i = 0; i < n; ++i) J.diag[i] = -2.0 * d + (c == 0 ? 1.0 - 3.0 * u(2 * i) * u(2 * i) : -1.0);
    out.push_back({J, false});
  }
  return out;
}

ProblemEntry DiffusionReactionProblem::entry() {
  ProblemEntry e;
  e.name = "diffusion-reaction";
  e.table = "diffusion_reaction";
  e.summary =
      "two-species FitzHugh-Nagumo u_t = du u_xx + u - u^3 - k - v, v_t = dv v_xx + u - v on [-1, 1], no flux "
      "(RandNet-Parareal's test)";
  const DiffusionReactionParams d{};
  e.parameters = {
      {"intervals", double(d.intervals), "grid intervals (intervals + 1 points, 2 values each)", true, 2, 10000000},
      {"du", d.du, "diffusivity of u", false, 0, 1e300},
      {"dv", d.dv, "diffusivity of v", false, 0, 1e300},
      {"k", d.k, "constant of the u reaction", false, -1e300, 1e300},
      {"t_end", d.t_end, "end time", false, 1e-300, 1e300},
  };
  for (auto& n : newton_parameters(d.newton)) e.parameters.push_back(n);
  e.make = [](const ProblemParameters& p) -> std::shared_ptr<const Problem> {
    DiffusionReactionParams q;
    q.intervals = p.get_int("intervals");
    q.du = p.get("du");
    q.dv = p.get("dv");
    q.k = p.get("k");
    q.t_end = p.get("t_end");
    q.newton = newton_settings(p);
    return std::make_shared<DiffusionReactionProblem>(q);
  };
  return e;
}

}  // namespace pint

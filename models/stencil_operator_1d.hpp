#pragma once
/// \file
/// The operator of a scalar problem on a 1-D grid whose right-hand side is a three-point stencil,
///   f_i = S.f(t, i, u_{i-1}, u_i, u_{i+1}),
/// possibly nonlinear, with the first and last unknown prescribed (S.ends(t)) or not. A problem of this
/// kind writes only its stencil, pointwise, and the stencil's derivatives (S.jacobian: d f_i / d u_{i-1},
/// d u_i, d u_{i+1}); everything else is here, once, on every space:
///
///  - rhs and prescribe as one kernel each;
///  - the stage solve u - a f(t, u) = r: one tridiagonal solve for a linear stencil, Newton otherwise
///    (the Jacobian I - a J is tridiagonal), with NewtonSettings and a NewtonFailure naming the time,
///    the residual and the iteration;
///  - the batched stage solve of several (t_m, a_m, r_m): every system's Newton step in one batched
///    tridiagonal kernel (models/batched_tridiagonal.hpp), Newton iterating until every system has
///    converged.
///
/// Stencil requirements (a copyable struct, its members usable in kernels):
///   static constexpr bool linear;   // f affine in u
///   KOKKOS_INLINE_FUNCTION double f(double t, int i, double um, double u, double up) const;
///   KOKKOS_INLINE_FUNCTION void jacobian(double t, int i, double um, double u, double up,
///                                        double& dm, double& d, double& dp) const;
///   std::array<double, 2> ends(double t) const;   // host: the prescribed values
/// Neighbours outside the grid are passed as 0 (where the ends are not prescribed).
///
/// An IMEX split f = f_I + f_E (SDC's imex, the ADI family's explicit parts) is offered where the stencil declares
///   static constexpr bool split = true;  static constexpr bool implicit_linear;   // f_I affine in u
///   KOKKOS_INLINE_FUNCTION double f_implicit(t, i, um, u, up) const;  jacobian_implicit(...) as above
///   KOKKOS_INLINE_FUNCTION double f_explicit(t, i, um, u, up) const;
/// as part 0 (implicit, solved for) and part 1 (explicit).

#include <Kokkos_Core.hpp>
#include <array>
#include <cmath>
#include <type_traits>
#include <vector>

#include "core/problem_operator.hpp"
#include "models/batched_tridiagonal.hpp"

namespace pint {

/// Whether a stencil offers the IMEX split (declares split = true).
template <class S, class = void>
struct stencil_has_split : std::false_type {};
template <class S>
struct stencil_has_split<S, std::void_t<decltype(S::split)>> : std::bool_constant<S::split> {};

/// The stencil's whole f (Part = 0) or, of a split stencil, its implicit part (Part = 1, f and jacobian: what the
/// stage solve works on) or its explicit part (Part = 2, f only).
template <class Stencil, int Part>
struct StencilPart {
  Stencil s;
  KOKKOS_INLINE_FUNCTION double f(double t, int i, double um, double u, double up) const {
    if constexpr (Part == 0)
      return s.f(t, i, um, u, up);
    else if constexpr (Part == 1)
      return s.f_implicit(t, i, um, u, up);
    else
      return s.f_explicit(t, i, um, u, up);
  }
  KOKKOS_INLINE_FUNCTION void jacobian(double t, int i, double um, double u, double up, double& dm, double& d,
                                       double& dp) const {
    if constexpr (Part == 0)
      s.jacobian(t, i, um, u, up, dm, d, dp);
    else
      s.jacobian_implicit(t, i, um, u, up, dm, d, dp);
  }
};

template <class ExecSpace, class Stencil>
class StencilOperator1D : public ProblemOperator<ExecSpace> {
 public:
  using Base = ProblemOperator<ExecSpace>;
  using typename Base::Batch;
  using typename Base::ConstVector;
  using typename Base::memory_space;
  using typename Base::Vector;
  /// (row, system) coefficient storage of the batched tridiagonal kernel, [row][system] in memory.
  using Coef = Kokkos::View<double**, Kokkos::LayoutRight, memory_space>;

  StencilOperator1D(ExecSpace exec, Stencil stencil, int n, bool dirichlet, NewtonSettings newton = {})
      : Base(exec), s_(stencil), n_(n), dirichlet_(dirichlet), newton_(newton) {}

  std::size_t size() const override { return static_cast<std::size_t>(n_); }
  bool linear() const override { return Stencil::linear; }

  void rhs(double t, const ConstVector& u, const Vector& f) override { apply(StencilPart<Stencil, 0>{s_}, t, u, f); }

  int parts() const override { return stencil_has_split<Stencil>::value ? 2 : 0; }
  bool explicit_part(int p) const override { return p == 1; }
  void rhs_part(int p, double t, const ConstVector& u, const Vector& f) override {
    if constexpr (stencil_has_split<Stencil>::value) {
      if (p == 0) return apply(StencilPart<Stencil, 1>{s_}, t, u, f);
      if (p == 1) return apply(StencilPart<Stencil, 2>{s_}, t, u, f);
    }
    Base::rhs_part(p, t, u, f);
  }
  void solve_part(int p, double t, double a, const ConstVector& r, const Vector& u) override {
    if constexpr (stencil_has_split<Stencil>::value) {
      if (p == 0) {
        using ConstBatch = Kokkos::View<const double**, Kokkos::LayoutRight, memory_space>;
        return solve_systems(StencilPart<Stencil, 1>{s_}, Stencil::implicit_linear, {t}, {a},
                             ConstBatch(r.data(), 1, n_), Batch(u.data(), 1, n_));
      }
      if (p == 1) throw std::logic_error("the explicit part of a split stencil is never solved for");
    }
    Base::solve_part(p, t, a, r, u);
  }

  /// f = the pointwise function P.f at the unknowns that are not prescribed, 0 at the prescribed ones.
  template <class P>
  void apply(const P& part, double t, const ConstVector& u, const Vector& f) {
    const int n = n_;
    const bool dir = dirichlet_;
    Kokkos::parallel_for(
        "pint::stencil1d::rhs", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, n), KOKKOS_LAMBDA(int i) {
          if (dir && (i == 0 || i == n - 1)) {
            f(i) = 0.0;
            return;
          }
          f(i) = part.f(t, i, i > 0 ? u(i - 1) : 0.0, u(i), i + 1 < n ? u(i + 1) : 0.0);
        });
  }

  void prescribe(double t, const Vector& u) override {
    if (!dirichlet_) return;
    const auto g = s_.ends(t);
    const double g0 = g[0], g1 = g[1];
    const int n = n_;
    Kokkos::parallel_for(
        "pint::stencil1d::prescribe", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, 1), KOKKOS_LAMBDA(int) {
          u(0) = g0;
          u(n - 1) = g1;
        });
  }

  void solve(double t, double a, const ConstVector& r, const Vector& u) override {
    using ConstBatch = Kokkos::View<const double**, Kokkos::LayoutRight, memory_space>;
    solve_systems(StencilPart<Stencil, 0>{s_}, Stencil::linear, {t}, {a}, ConstBatch(r.data(), 1, n_),
                  Batch(u.data(), 1, n_));
  }

  void solve_batch(const std::vector<double>& t, const std::vector<double>& a, const Batch& r,
                   const Batch& u) override {
    this->check_batch(t, a, r, u);
    using ConstBatch = Kokkos::View<const double**, Kokkos::LayoutRight, memory_space>;
    solve_systems(StencilPart<Stencil, 0>{s_}, Stencil::linear, t, a, ConstBatch(r), u);
  }

  /// The stage solves behind solve(), solve_batch() and solve_part(0) for the function `part`: a linear one in one
  /// batched solve, a nonlinear one by Newton. Public only because device lambdas may not live in private members.
  template <class P, class ConstBatch>
  void solve_systems(const P& part, bool linear, const std::vector<double>& t, const std::vector<double>& a,
                     const ConstBatch& r, const Batch& u) {
    const int m = static_cast<int>(a.size());
    reserve(m);
    auto a_h = Kokkos::create_mirror_view(a_);
    auto t_h = Kokkos::create_mirror_view(t_);
    for (int j = 0; j < m; ++j) {
      a_h(j) = a[j];
      t_h(j) = t[j];
    }
    Kokkos::deep_copy(this->exec(), a_, a_h);
    Kokkos::deep_copy(this->exec(), t_, t_h);
    this->exec().fence();  // a_h may be a_ itself (host space) or be freed: the copy must be done
    for (int j = 0; j < m; ++j)
      set_ends(Kokkos::subview(u, j, Kokkos::ALL), dirichlet_ ? s_.ends(t[j]) : std::array<double, 2>{0.0, 0.0});
    if (linear) {  // f affine: one Newton step from any guess is the solution (to round-off)
      assemble(part, m, r, u);
      batched_tridiagonal_solve(this->exec(), sub(lo_, m), sub(di_, m), sub(up_, m), sub(rhs_, m), sub(cp_, m));
      scatter(m, u);
      return;
    }
    const double scale = 1.0 + max_abs(r, m);
    for (int it = 0;; ++it) {
      const double res = assemble(part, m, r, u);
      if (res <= newton_.tolerance * scale) return;
      if (it >= newton_.max_iterations || !std::isfinite(res))  // named by the last system's time (the step's end)
        throw NewtonFailure::not_converged(t.back(), res, it, newton_, scale);
      batched_tridiagonal_solve(this->exec(), sub(lo_, m), sub(di_, m), sub(up_, m), sub(rhs_, m), sub(cp_, m));
      scatter(m, u);
    }
  }

  /// Fills Newton's systems at u: I - a_j J, right-hand side minus the residual u - a_j f(t_j, u) - r; returns the
  /// largest residual. Prescribed rows are identities with a zero update (u holds their values).
  template <class P, class ConstBatch>
  double assemble(const P& s, int m, const ConstBatch& r, const Batch& u) {
    const int n = n_;
    const bool dir = dirichlet_;
    const auto av = a_, tv = t_;
    const Coef lo = lo_, di = di_, up = up_, rhs = rhs_;
    double res = 0.0;
    Kokkos::parallel_reduce(
        "pint::stencil1d::assemble", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, n * m),
        KOKKOS_LAMBDA(int idx, double& worst) {
          const int i = idx / m, j = idx % m;
          if (dir && (i == 0 || i == n - 1)) {
            lo(i, j) = 0.0;
            di(i, j) = 1.0;
            up(i, j) = 0.0;
            rhs(i, j) = 0.0;
            return;
          }
          const double um = i > 0 ? u(j, i - 1) : 0.0, ui = u(j, i), up1 = i + 1 < n ? u(j, i + 1) : 0.0;
          double dm = 0.0, d = 0.0, dp = 0.0;
          const double t = tv(j);
          s.jacobian(t, i, um, ui, up1, dm, d, dp);
          const double aj = av(j);
          lo(i, j) = -aj * dm;
          di(i, j) = 1.0 - aj * d;
          up(i, j) = -aj * dp;
          const double R = ui - aj * s.f(t, i, um, ui, up1) - r(j, i);
          rhs(i, j) = -R;
          const double absr = R < 0 ? -R : R;
          if (!(absr <= worst)) worst = absr;  // NaN propagates
        },
        Kokkos::Max<double>(res));
    return res;
  }

  /// u(j, i) += the Newton update.
  void scatter(int m, const Batch& u) {
    const Coef x = rhs_;
    Kokkos::parallel_for(
        "pint::stencil1d::scatter", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, n_ * m), KOKKOS_LAMBDA(int idx) {
          const int i = idx / m, j = idx % m;
          u(j, i) += x(i, j);
        });
  }

  template <class V>
  void set_ends(const V& u, std::array<double, 2> g) {
    if (!dirichlet_) return;
    const double g0 = g[0], g1 = g[1];
    const int n = n_;
    Kokkos::parallel_for(
        "pint::stencil1d::ends", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, 1), KOKKOS_LAMBDA(int) {
          u(0) = g0;
          u(n - 1) = g1;
        });
  }

  template <class ConstBatch>
  double max_abs(const ConstBatch& r, int m) {
    double out = 0.0;
    const int n = n_;
    Kokkos::parallel_reduce(
        "pint::stencil1d::max_abs", Kokkos::RangePolicy<ExecSpace>(this->exec(), 0, n * m),
        KOKKOS_LAMBDA(int idx, double& w) {
          const double v = r(idx / n, idx % n);
          const double av = v < 0 ? -v : v;
          if (av > w) w = av;
        },
        Kokkos::Max<double>(out));
    return out;
  }

 private:
  /// Scratch for m systems (kept and grown).
  void reserve(int m) {
    if (static_cast<int>(a_.extent(0)) >= m) return;
    a_ = Kokkos::View<double*, memory_space>("pint::stencil1d::a", m);
    t_ = Kokkos::View<double*, memory_space>("pint::stencil1d::t", m);
    lo_ = Coef("pint::stencil1d::lower", n_, m);
    di_ = Coef("pint::stencil1d::diag", n_, m);
    up_ = Coef("pint::stencil1d::upper", n_, m);
    rhs_ = Coef("pint::stencil1d::rhs", n_, m);
    cp_ = Coef("pint::stencil1d::scratch", n_, m);
  }
  /// The first m systems of a scratch array: the solver takes (rows, systems) Views of exactly m systems.
  Kokkos::View<double**, Kokkos::LayoutStride, memory_space> sub(const Coef& c, int m) const {
    return Kokkos::subview(c, Kokkos::ALL, std::make_pair(0, m));
  }

  Stencil s_;
  int n_;
  bool dirichlet_;
  NewtonSettings newton_;
  Kokkos::View<double*, memory_space> a_, t_;  ///< each system's a and time
  Coef lo_, di_, up_, rhs_, cp_;
};

}  // namespace pint

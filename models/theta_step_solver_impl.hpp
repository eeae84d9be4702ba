#pragma once
// Implementation of ThetaStepSolver (included by theta_step_solver.hpp).

#include <cmath>
#include <stdexcept>
#include <string>

namespace pint {

namespace detail {

inline void require_pivot(double pivot, int row) {
  if (!(std::abs(pivot) > 1e-300) || !std::isfinite(pivot))
    throw std::runtime_error("theta-step solver: zero or non-finite pivot at row " + std::to_string(row) +
                             " (the implicit matrix is singular for this time step)");
}

/// A device View holding a copy of `host` (double or int).
template <class View, class T>
View to_device(const char* label, const std::vector<T>& host) {
  View d(Kokkos::view_alloc(Kokkos::WithoutInitializing, std::string(label)), host.size());
  auto h = Kokkos::create_mirror_view(d);
  for (std::size_t i = 0; i < host.size(); ++i) h(i) = host[i];
  Kokkos::deep_copy(d, h);
  return d;
}

}  // namespace detail

template <class ExecSpace>
ThetaStepSolver<ExecSpace>::ThetaStepSolver(const ExecSpace& exec, const Tridiagonal& L, bool dirichlet, double theta,
                                            double dt, int blocks)
    : exec_(exec), theta_(theta), dt_(dt), n_(static_cast<int>(L.size())), dirichlet_(dirichlet) {
  const int n = n_;
  if (n < 1) throw std::invalid_argument("theta-step solver: empty operator");
  if (!(dt > 0) || !(theta >= 0 && theta <= 1))
    throw std::invalid_argument("theta-step solver: need dt > 0 and 0 <= theta <= 1");
  nblocks_ = blocks > 0 ? blocks : default_block_count(exec, n);
  nblocks_ = std::max(1, std::min(nblocks_, (n + 1) / 2));  // each block keeps at least one row

  // Rows of the implicit matrix A = I - theta dt L and the explicit one B = I + (1 - theta) dt L.
  std::vector<double> a(n), b(n), c(n), ea(n), eb(n), ec(n);
  for (int i = 0; i < n; ++i) {
    const bool fixed = dirichlet && (i == 0 || i == n - 1);
    const double l = i > 0 ? L.lower[i] : 0.0, u = i < n - 1 ? L.upper[i] : 0.0;
    a[i] = fixed ? 0.0 : -theta * dt * l;
    b[i] = fixed ? 1.0 : 1.0 - theta * dt * L.diag[i];
    c[i] = fixed ? 0.0 : -theta * dt * u;
    ea[i] = fixed ? 0.0 : (1.0 - theta) * dt * l;
    eb[i] = fixed ? 0.0 : 1.0 + (1.0 - theta) * dt * L.diag[i];
    ec[i] = fixed ? 0.0 : (1.0 - theta) * dt * u;
  }

  // Blocks and separators: P blocks, P - 1 single separator rows between them.
  const int P = nblocks_;
  std::vector<int> bs(P), be(P), bp(P), sep(std::max(0, P - 1));
  const int inner = n - (P - 1);
  for (int k = 0, row = 0; k < P; ++k) {
    const int len = inner / P + (k < inner % P ? 1 : 0);
    bs[k] = row;
    be[k] = row + len - 1;
    bp[k] = bs[k] + len / 2;
    row += len;
    if (k < P - 1) sep[k] = row++;
  }

  // Twisted factorisation of each block (outside couplings a[s], c[e] left out).
  std::vector<double> f1(n, 0.0), f2(n, 0.0), f3(n, 0.0), mid(P);
  for (int k = 0; k < P; ++k) {
    const int s = bs[k], e = be[k], p = bp[k];
    double cp = 0.0;
    for (int i = s; i < p; ++i) {
      const double piv = b[i] - (i > s ? a[i] * cp : 0.0);
      detail::require_pivot(piv, i);
      f1[i] = 1.0 / piv;
      f2[i] = i > s ? a[i] / piv : 0.0;
      f3[i] = c[i] / piv;
      cp = f3[i];
    }
    double aq = 0.0;
    for (int i = e; i > p; --i) {
      const double piv = b[i] - (i < e ? c[i] * aq : 0.0);
      detail::require_pivot(piv, i);
      f1[i] = 1.0 / piv;
      f2[i] = i < e ? c[i] / piv : 0.0;
      f3[i] = a[i] / piv;
      aq = f3[i];
    }
    const double piv = b[p] - (p > s ? a[p] * f3[p - 1] : 0.0) - (p < e ? c[p] * f3[p + 1] : 0.0);
    detail::require_pivot(piv, p);
    mid[k] = 1.0 / piv;
  }

  // Coupling vectors: block solution = y - x_left_sep * v - x_right_sep * w.
  std::vector<double> v(n, 0.0), w(n, 0.0), scratch(n);
  for (int k = 0; k < P; ++k) {
    const int s = bs[k], e = be[k], p = bp[k];
    if (k > 0) {
      auto unit = [&](int i) { return i == s ? a[s] : 0.0; };
      detail::solve_block(f1.data(), f2.data(), f3.data(), a.data(), c.data(), mid[k], s, e, p, unit, scratch.data(),
                          v.data());
    }
    if (k < P - 1) {
      auto unit = [&](int i) { return i == e ? c[e] : 0.0; };
      detail::solve_block(f1.data(), f2.data(), f3.data(), a.data(), c.data(), mid[k], s, e, p, unit, scratch.data(),
                          w.data());
    }
  }

  // The separators' own tridiagonal system, factorised for a plain Thomas sweep.
  const int m = P - 1;
  std::vector<double> sg(m), slg(m), scp(m);
  double prev_cp = 0.0;
  for (int k = 0; k < m; ++k) {
    const int q = sep[k], eL = be[k], sR = bs[k + 1];
    const double lo = -a[q] * v[eL];
    const double di = b[q] - a[q] * w[eL] - c[q] * v[sR];
    const double up = -c[q] * w[sR];
    const double piv = di - (k > 0 ? lo * prev_cp : 0.0);
    detail::require_pivot(piv, q);
    sg[k] = 1.0 / piv;
    slg[k] = k > 0 ? lo / piv : 0.0;
    scp[k] = up / piv;
    prev_cp = scp[k];
  }

  // The explicit rows as the step uses them: row i times the factor its forward sweep applies to the
  // right-hand side (f1 = 1/pivot; the block's 1/pivot on twist rows; 1 on separator rows, whose
  // right-hand side enters the separator system unscaled).
  std::vector<double> scale(n, 1.0);
  for (int k = 0; k < P; ++k) {
    for (int i = bs[k]; i <= be[k]; ++i) scale[i] = f1[i];
    scale[bp[k]] = mid[k];
  }
  for (int i = 0; i < n; ++i) {
    ea[i] *= scale[i];
    eb[i] *= scale[i];
    ec[i] *= scale[i];
  }
  scale_first_ = scale[0];
  scale_last_ = scale[n - 1];
  sa_ = detail::to_device<Vector>("pint::theta::sa", ea);
  sb_ = detail::to_device<Vector>("pint::theta::sb", eb);
  sc_ = detail::to_device<Vector>("pint::theta::sc", ec);
  a_ = detail::to_device<Vector>("pint::theta::a", a);
  c_ = detail::to_device<Vector>("pint::theta::c", c);
  f2_ = detail::to_device<Vector>("pint::theta::f2", f2);
  f3_ = detail::to_device<Vector>("pint::theta::f3", f3);
  v_ = detail::to_device<Vector>("pint::theta::v", v);
  w_ = detail::to_device<Vector>("pint::theta::w", w);
  bs_ = detail::to_device<IndexVector>("pint::theta::bs", bs);
  be_ = detail::to_device<IndexVector>("pint::theta::be", be);
  bp_ = detail::to_device<IndexVector>("pint::theta::bp", bp);
  mid_inv_ = detail::to_device<Vector>("pint::theta::mid", mid);
  sep_ = detail::to_device<IndexVector>("pint::theta::sep", sep);
  sep_g_ = detail::to_device<Vector>("pint::theta::sep_g", sg);
  sep_lg_ = detail::to_device<Vector>("pint::theta::sep_lg", slg);
  sep_cp_ = detail::to_device<Vector>("pint::theta::sep_cp", scp);
  sep_rhs_ = Vector("pint::theta::sep_rhs", m);
  sep_x_ = Vector("pint::theta::sep_x", m);
}

template <class ExecSpace>
ThetaFactors ThetaStepSolver<ExecSpace>::factors() const {
  ThetaFactors F;
  F.sa = sa_.data(), F.sb = sb_.data(), F.sc = sc_.data(), F.a = a_.data(), F.c = c_.data();
  F.f2 = f2_.data(), F.f3 = f3_.data(), F.v = v_.data(), F.w = w_.data(), F.mid = mid_inv_.data();
  F.sep_g = sep_g_.data(), F.sep_lg = sep_lg_.data(), F.sep_cp = sep_cp_.data();
  F.bs = bs_.data(), F.be = be_.data(), F.bp = bp_.data(), F.sep = sep_.data();
  F.n = n_, F.blocks = nblocks_, F.dirichlet = dirichlet_;
  F.scale_first = scale_first_, F.scale_last = scale_last_;
  return F;
}

template <class ExecSpace>
void ThetaStepSolver<ExecSpace>::step(const Vector& u, const Vector& work, double g_first, double g_last) const {
  const int P = nblocks_;
  if (!dirichlet_) g_first = g_last = 0.0;
  const ThetaFactors F = factors();  // plain pointers for the lambdas (no `this` on a device)
  double *srhs = sep_rhs_.data(), *sx = sep_x_.data();
  double *x = u.data(), *scratch = work.data();
  const double gs0 = g_first * scale_first_, ge_last = g_last * scale_last_;

  if (P == 1) {
    Kokkos::parallel_for(
        "pint::theta_step", Kokkos::RangePolicy<ExecSpace>(exec_, 0, 1),
        KOKKOS_LAMBDA(int) { detail::theta_block_k(F, 0, x, scratch, gs0, ge_last); });
    return;
  }
  Kokkos::parallel_for(
      "pint::theta_step::separator_rhs", Kokkos::RangePolicy<ExecSpace>(exec_, 0, P - 1),
      KOKKOS_LAMBDA(int k) { detail::theta_separator_rhs(F, k, x, srhs); });
  Kokkos::parallel_for(
      "pint::theta_step::blocks", Kokkos::RangePolicy<ExecSpace>(exec_, 0, P),
      KOKKOS_LAMBDA(int k) { detail::theta_block_k(F, k, x, scratch, gs0, ge_last); });
  Kokkos::parallel_for(
      "pint::theta_step::separators", Kokkos::RangePolicy<ExecSpace>(exec_, 0, 1),
      KOKKOS_LAMBDA(int) { detail::theta_separators(F, x, srhs, sx); });
  Kokkos::parallel_for(
      "pint::theta_step::correct", Kokkos::RangePolicy<ExecSpace>(exec_, 0, P),
      KOKKOS_LAMBDA(int k) { detail::theta_correct(F, k, x, sx); });
}

}  // namespace pint

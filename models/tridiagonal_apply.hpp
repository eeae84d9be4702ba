#pragma once
/// \file
/// y = L x for a tridiagonal L on ExecSpace, with prescribed (Dirichlet) rows giving y = 0 there.

#include <Kokkos_Core.hpp>

namespace pint {

template <class ExecSpace, class Vector>
void apply_tridiagonal(const ExecSpace& exec, const Vector& lower, const Vector& diag, const Vector& upper,
                       bool dirichlet, const Vector& x, const Vector& y) {
  const int n = static_cast<int>(x.extent(0));
  Kokkos::parallel_for(
      "pint::apply_tridiagonal", Kokkos::RangePolicy<ExecSpace>(exec, 0, n), KOKKOS_LAMBDA(int i) {
        if (dirichlet && (i == 0 || i == n - 1)) {
          y(i) = 0.0;
          return;
        }
        double s = diag(i) * x(i);
        if (i > 0) s += lower(i) * x(i - 1);
        if (i < n - 1) s += upper(i) * x(i + 1);
        y(i) = s;
      });
}

/// Sets the prescribed end values of x (a no-op without Dirichlet ends).
template <class ExecSpace, class Vector>
void set_ends(const ExecSpace& exec, bool dirichlet, const Vector& x, double g_first, double g_last) {
  if (!dirichlet) return;
  const int n = static_cast<int>(x.extent(0));
  Kokkos::parallel_for(
      "pint::set_ends", Kokkos::RangePolicy<ExecSpace>(exec, 0, 1), KOKKOS_LAMBDA(int) {
        x(0) = g_first;
        x(n - 1) = g_last;
      });
}

}  // namespace pint

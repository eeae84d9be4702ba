#pragma once
/// \file
/// Many independent tridiagonal systems solved in one kernel, each with its own coefficients: the
/// building block for line solves (ADI sweeps solve one system per grid line) and node solves (parallel
/// SDC solves one system per collocation node), where the systems are many and each is short to
/// moderate. System j, rows i = 0..n-1:
///
///   a(i, j) x(i-1, j) + b(i, j) x(i, j) + c(i, j) x(i+1, j) = d(i, j)     (a(0, j), c(n-1, j) unused)
///
/// Gaussian elimination without pivoting (the Thomas algorithm), one thread per system: stable for
/// the diagonally dominant or M-matrix systems implicit steps of parabolic problems produce; a zero
/// or non-finite pivot is reported, never divided by.
///
/// The Views are indexed (row, system) and any layout works. With LayoutRight the i-th rows of all
/// systems are adjacent, [row][system]: the threads of a GPU warp (consecutive systems) read adjacent
/// memory, and on a host space a thread runs up to 8 adjacent systems' eliminations side by side, row by row
/// (several dependency chains and SIMD lanes at once). With LayoutLeft each system is contiguous and a
/// thread solves one after another. Both give the same bits. (pint bench fine-phase measures both.)

#include <Kokkos_Core.hpp>
#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "spaces/dispatch.hpp"

namespace pint {

/// Solves every system; d is overwritten with the solutions, cp (the shape of d) is scratch. Throws
/// std::runtime_error naming the first system and row (lowest system, then row) whose pivot is zero or
/// not finite. Fences `exec` (the verdict is needed on the host).
template <class ExecSpace, class CoefView, class View>
void batched_tridiagonal_solve(const ExecSpace& exec, const CoefView& a, const CoefView& b, const CoefView& c,
                               const View& d, const View& cp) {
  static_assert(CoefView::rank == 2 && View::rank == 2, "batched_tridiagonal_solve takes (row, system) Views");
  const int n = static_cast<int>(d.extent(0)), m = static_cast<int>(d.extent(1));
  if (a.extent(0) != d.extent(0) || a.extent(1) != d.extent(1) || b.extent(0) != d.extent(0) ||
      b.extent(1) != d.extent(1) || c.extent(0) != d.extent(0) || c.extent(1) != d.extent(1) ||
      cp.extent(0) != d.extent(0) || cp.extent(1) != d.extent(1))
    throw std::invalid_argument(
        "batched_tridiagonal_solve: a, b, c, d and the scratch must all be (rows, systems) = (" + std::to_string(n) +
        ", " + std::to_string(m) + ")");
  if (n == 0 || m == 0) return;
  const int64_t none = INT64_MAX;
  int64_t first_bad = none;  // system * n + row of the first bad pivot
  if constexpr (runs_on_host<ExecSpace>() && std::is_same_v<typename View::array_layout, Kokkos::LayoutRight> &&
                std::is_same_v<typename CoefView::array_layout, Kokkos::LayoutRight>) {
    // [row][system] on a host core: a thread takes kLanes adjacent systems and runs their eliminations
    // side by side, row by row (independent chains the core overlaps, adjacent memory, SIMD lanes),
    // with each system's arithmetic exactly as below, so the results have the same bits.
    // At most kLanes per thread, fewer where the systems are few (SDC's M node solves): every thread gets work.
    constexpr int kLanes = 8;
    const int width = std::max(1, std::min(kLanes, m / std::max(1, static_cast<int>(exec.concurrency()))));
    Kokkos::parallel_reduce(
        "pint::batched_tridiagonal_interleaved", Kokkos::RangePolicy<ExecSpace>(exec, 0, (m + width - 1) / width),
        [=](int chunk, int64_t& bad) {
          const int j0 = chunk * width, lanes = std::min(width, m - j0);
          double cprev[kLanes] = {}, dprev[kLanes] = {};
          int failed_at[kLanes];
          for (int l = 0; l < kLanes; ++l) failed_at[l] = -1;
          for (int i = 0; i < n; ++i) {
            for (int l = 0; l < lanes; ++l) {
              const int j = j0 + l;
              const double ai = i > 0 ? a(i, j) : 0.0;
              const double piv = b(i, j) - ai * cprev[l];
              if ((piv == 0.0 || !(piv - piv == 0.0)) && failed_at[l] < 0) failed_at[l] = i;
              const double inv = 1.0 / piv;
              cprev[l] = i + 1 < n ? c(i, j) * inv : 0.0;
              dprev[l] = (d(i, j) - ai * dprev[l]) * inv;
              cp(i, j) = cprev[l];
              d(i, j) = dprev[l];
            }
          }
          for (int l = 0; l < lanes; ++l) {
            cprev[l] = d(n - 1, j0 + l);
            if (failed_at[l] >= 0) bad = std::min(bad, static_cast<int64_t>(j0 + l) * n + failed_at[l]);
          }
          for (int i = n - 2; i >= 0; --i)
            for (int l = 0; l < lanes; ++l) {
              cprev[l] = d(i, j0 + l) - cp(i, j0 + l) * cprev[l];
              d(i, j0 + l) = cprev[l];
            }
        },
        Kokkos::Min<int64_t>(first_bad));
  } else {
    Kokkos::parallel_reduce(
        "pint::batched_tridiagonal", Kokkos::RangePolicy<ExecSpace>(exec, 0, m),
        KOKKOS_LAMBDA(int j, int64_t& bad) {
          // Forward elimination: cp(i) = c(i) / piv(i), d(i) = (d(i) - a(i) d(i-1)) / piv(i).
          double cprev = 0.0, dprev = 0.0;
          for (int i = 0; i < n; ++i) {
            const double ai = i > 0 ? a(i, j) : 0.0;
            const double piv = b(i, j) - ai * cprev;
            if (piv == 0.0 || !(piv - piv == 0.0)) {  // zero, or inf/NaN (x - x is NaN for those)
              const int64_t key = static_cast<int64_t>(j) * n + i;
              if (key < bad) bad = key;
              return;
            }
            const double inv = 1.0 / piv;
            cprev = i + 1 < n ? c(i, j) * inv : 0.0;
            dprev = (d(i, j) - ai * dprev) * inv;
            cp(i, j) = cprev;
            d(i, j) = dprev;
          }
          // Back substitution.
          double xnext = d(n - 1, j);
          for (int i = n - 2; i >= 0; --i) {
            xnext = d(i, j) - cp(i, j) * xnext;
            d(i, j) = xnext;
          }
        },
        Kokkos::Min<int64_t>(first_bad));
  }
  if (first_bad != none)
    throw std::runtime_error("batched tridiagonal solve: zero or non-finite pivot in system " +
                             std::to_string(first_bad / n) + " at row " + std::to_string(first_bad % n) +
                             " (the matrix is singular, or not diagonally dominant enough to solve without pivoting)");
}

}  // namespace pint

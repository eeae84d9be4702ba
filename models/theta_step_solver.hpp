#pragma once
/// \file
/// One theta-method step for du/dt = L u with L tridiagonal:
///   (I - theta dt L) u_new = (I + (1 - theta) dt L) u_old   (+ prescribed end values),
/// factorised once per (theta, dt) and applied any number of times without allocating.
///
/// Algorithm. The rows are cut into blocks separated by single "separator" rows (the partition
/// method): each block is solved independently with the separators' values unknown, the small
/// tridiagonal system of the separators is solved, and each block is corrected. With one block (the
/// Serial space) this is a plain factorised solve. Inside a block the elimination runs from both ends
/// towards a twist row in the middle: two independent dependency chains, which a superscalar core
/// overlaps, so a step costs about one multiply-add latency per row instead of two. The explicit
/// right-hand side is computed on the fly inside the forward sweep, so u is read once and written once;
/// its rows are stored pre-multiplied by the row's 1/pivot (one multiply less on each chain), and each
/// chain carries the three u values a row needs from one row to the next instead of reloading them.

#include <Kokkos_Core.hpp>
#include <vector>

#include "core/problem.hpp"

namespace pint {

namespace detail {

/// The back substitution all block solvers share: from the twist row's value xp outwards to both
/// ends of block [s, e] (nbot rows each way, plus row s when the top half is one row longer).
KOKKOS_INLINE_FUNCTION void back_substitute(const double* f3, int s, int p, int nbot, bool extra_top, double xp,
                                            const double* w, double* x) {
  x[p] = xp;
  double xt = xp, xb = xp;
  for (int j = 0; j < nbot; ++j) {
    const int i = p - 1 - j, k = p + 1 + j;
    xt = w[i] - f3[i] * xt;
    xb = w[k] - f3[k] * xb;
    x[i] = xt;
    x[k] = xb;
  }
  if (extra_top) x[s] = w[s] - f3[s] * xt;
}

/// The forward/backward sweeps of one block [s, e] with twist row p, for any right-hand side: used on
/// the host to build the coupling vectors (the step itself runs theta_block below, the same sweeps
/// specialised to the theta right-hand side). `rhs(i)` gives row i of the right-hand side and must only
/// read data that no row of this block writes.
/// f1, f2, f3: per-row factors (top rows: 1/pivot, a/pivot, c/pivot; bottom rows: 1/pivot, c/pivot,
/// a/pivot). Writes the solution to x[s..e], using w[s..e] as scratch.
template <class Rhs>
inline void solve_block(const double* f1, const double* f2, const double* f3, const double* a, const double* c,
                        double mid_inv, int s, int e, int p, const Rhs& rhs, double* w, double* x) {
  const int ntop = p - s;
  const int nbot = e - p;  // ntop == nbot or ntop == nbot + 1
  double dtop = 0.0, dbot = 0.0;
  for (int j = 0; j < nbot; ++j) {
    const int i = s + j, k = e - j;
    dtop = f1[i] * rhs(i) - f2[i] * dtop;
    dbot = f1[k] * rhs(k) - f2[k] * dbot;
    w[i] = dtop;
    w[k] = dbot;
  }
  if (ntop > nbot) {
    const int i = p - 1;
    dtop = f1[i] * rhs(i) - f2[i] * dtop;
    w[i] = dtop;
  }
  const double xp = (rhs(p) - a[p] * dtop - c[p] * dbot) * mid_inv;
  back_substitute(f3, s, p, nbot, ntop > nbot, xp, w, x);
}

/// One block of a theta step (the hot loop): as solve_block with rhs(i) = row i of B u, but with B's
/// rows pre-scaled by the pivot factors: row i of (sa, sb, sc) is f1[i] * row i of B inside the block
/// (mid_inv on the twist row p). The values u[s-1] and u[e+1] are passed in (0 where a block ends the
/// grid: the matching coefficient is 0 there), and gs, ge are the scaled prescribed values that rows s
/// and e add. Reads u[s..e] in the forward sweeps only, so x may be u.
KOKKOS_INLINE_FUNCTION void theta_block(const double* sa, const double* sb, const double* sc, const double* f2,
                                        const double* f3, const double* a, const double* c, double mid_inv, int s,
                                        int e, int p, const double* u, double u_before, double u_after, double gs,
                                        double ge, double* w, double* x) {
  const int ntop = p - s;
  const int nbot = e - p;  // ntop == nbot or ntop == nbot + 1
  double dtop = 0.0, dbot = 0.0;
  // Carried values: before top row i, (tm, tc) = (u[i-1], u[i]); before bottom row k, (bn, bc) = (u[k+1], u[k]).
  double tm = u_before, tc = u[s], bn = u_after, bc = u[e];
  if (nbot > 0) {  // rows s and e, with the prescribed values (f2 is 0 on a block's first rows)
    const double tx = u[s + 1], bx = u[e - 1];
    dtop = sa[s] * tm + sb[s] * tc + sc[s] * tx + gs;
    dbot = sa[e] * bx + sb[e] * bc + sc[e] * bn + ge;
    w[s] = dtop;
    w[e] = dbot;
    tm = tc;
    tc = tx;
    bn = bc;
    bc = bx;
  }
  for (int j = 1; j < nbot; ++j) {
    const int i = s + j, k = e - j;
    const double tx = u[i + 1], bx = u[k - 1];
    dtop = (sa[i] * tm + sb[i] * tc + sc[i] * tx) - f2[i] * dtop;
    dbot = (sa[k] * bx + sb[k] * bc + sc[k] * bn) - f2[k] * dbot;
    w[i] = dtop;
    w[k] = dbot;
    tm = tc;
    tc = tx;
    bn = bc;
    bc = bx;
  }
  if (ntop > nbot) {
    const int i = p - 1;
    const double tx = u[p];
    double r = sa[i] * tm + sb[i] * tc + sc[i] * tx;
    if (nbot == 0) r += gs;  // i == s
    dtop = r - f2[i] * dtop;
    w[i] = dtop;
    tm = tc;
    tc = tx;
  }
  // Twist row: (tm, tc, bn) = (u[p-1], u[p], u[p+1]), with u_before / u_after where p is an end.
  double rp = sa[p] * tm + sb[p] * tc + sc[p] * bn;
  if (p == s) rp += gs;
  if (p == e) rp += ge;
  const double xp = rp - (a[p] * dtop + c[p] * dbot) * mid_inv;
  back_substitute(f3, s, p, nbot, ntop > nbot, xp, w, x);
}

}  // namespace detail

/// A factorised theta step as plain device pointers: what a kernel needs of a ThetaStepSolver (no
/// `this` on a device), and what a batched kernel keeps one of per system and step. The separator
/// work vectors (P - 1 values each) are not in it: every system of a batch needs its own.
struct ThetaFactors {
  const double *sa = nullptr, *sb = nullptr, *sc = nullptr, *a = nullptr, *c = nullptr;
  const double *f2 = nullptr, *f3 = nullptr, *v = nullptr, *w = nullptr, *mid = nullptr;
  const double *sep_g = nullptr, *sep_lg = nullptr, *sep_cp = nullptr;
  const int *bs = nullptr, *be = nullptr, *bp = nullptr, *sep = nullptr;
  int n = 0, blocks = 1;
  bool dirichlet = false;
  double scale_first = 1, scale_last = 1;
};

namespace detail {

/// The four phases of a theta step on x (n rows; scratch of n rows), as the solver's kernels and the
/// batched kernel run them; gs0 and ge_last are the scaled prescribed end values.
/// 1. Right-hand side of separator k (unscaled row), from x before any block overwrites it.
KOKKOS_INLINE_FUNCTION void theta_separator_rhs(const ThetaFactors& F, int k, const double* x, double* srhs) {
  const int q = F.sep[k];
  srhs[k] = F.sa[q] * x[q - 1] + F.sb[q] * x[q] + F.sc[q] * x[q + 1];
}
/// 2. Block k on its own, separators taken as zero (blocks only read, never write, them).
KOKKOS_INLINE_FUNCTION void theta_block_k(const ThetaFactors& F, int k, double* x, double* scratch, double gs0,
                                          double ge_last) {
  const int P = F.blocks, s = F.bs[k], e = F.be[k];
  theta_block(F.sa, F.sb, F.sc, F.f2, F.f3, F.a, F.c, F.mid[k], s, e, F.bp[k], x, k > 0 ? x[s - 1] : 0.0,
              k < P - 1 ? x[e + 1] : 0.0, k == 0 ? gs0 : 0.0, k == P - 1 ? ge_last : 0.0, scratch, x);
}
/// 3. The separators' small system (P - 1 rows), one sequential sweep; writes the separator rows of x.
KOKKOS_INLINE_FUNCTION void theta_separators(const ThetaFactors& F, double* x, const double* srhs, double* sx) {
  const int P = F.blocks;
  double z = 0.0;
  for (int k = 0; k < P - 1; ++k) {
    const int q = F.sep[k];
    const double r = srhs[k] - F.a[q] * x[F.be[k]] - F.c[q] * x[F.bs[k + 1]];
    z = F.sep_g[k] * r - F.sep_lg[k] * z;
    sx[k] = z;
  }
  double xn = 0.0;
  for (int k = P - 2; k >= 0; --k) {
    xn = sx[k] - F.sep_cp[k] * xn;
    sx[k] = xn;
    x[F.sep[k]] = xn;
  }
}
/// 4. Block k corrected with its separators' values.
KOKKOS_INLINE_FUNCTION void theta_correct(const ThetaFactors& F, int k, double* x, const double* sx) {
  const int P = F.blocks;
  const double xl = k > 0 ? sx[k - 1] : 0.0;
  const double xr = k < P - 1 ? sx[k] : 0.0;
  for (int i = F.bs[k]; i <= F.be[k]; ++i) x[i] -= xl * F.v[i] + xr * F.w[i];
}

}  // namespace detail

template <class ExecSpace>
class ThetaStepSolver {
 public:
  using device_type = Kokkos::Device<ExecSpace, typename ExecSpace::memory_space>;
  using Vector = Kokkos::View<double*, Kokkos::LayoutRight, device_type>;
  using IndexVector = Kokkos::View<int*, Kokkos::LayoutRight, device_type>;

  /// Factorises I - theta dt L. `dirichlet`: the first and last rows are prescribed values.
  /// `blocks` <= 0 picks a count suited to the space (1 on a single-thread space).
  ThetaStepSolver(const ExecSpace& exec, const Tridiagonal& L, bool dirichlet, double theta, double dt, int blocks = 0);

  /// u <- one theta step of u; g_first/g_last are the prescribed end values at the new time (ignored
  /// without Dirichlet ends). `work` is scratch of the same size. Asynchronous on the space.
  void step(const Vector& u, const Vector& work, double g_first, double g_last) const;

  double theta() const { return theta_; }
  double dt() const { return dt_; }
  int blocks() const { return nblocks_; }
  /// The factorisation as device pointers (valid while this solver lives).
  ThetaFactors factors() const;

 private:
  ExecSpace exec_;
  double theta_, dt_;
  int n_, nblocks_;
  bool dirichlet_;
  Vector sa_, sb_, sc_;                      // explicit operator rows, scaled by the row's 1/pivot (1 on separators)
  double scale_first_ = 1, scale_last_ = 1;  // the scales of rows 0 and n-1 (for the prescribed values)
  Vector a_, c_;                             // implicit off-diagonals
  Vector f2_, f3_;                           // twisted factors
  Vector v_, w_;                             // per-row coupling to the left/right separator
  IndexVector bs_, be_, bp_;                 // block start, end, twist row
  Vector mid_inv_;                           // per block
  IndexVector sep_;                          // separator rows
  Vector sep_g_, sep_lg_, sep_cp_;           // factorised separator system
  Vector sep_rhs_, sep_x_;
};

/// Number of blocks the solver uses on `exec` for n rows when not told.
template <class ExecSpace>
int default_block_count(const ExecSpace& exec, int n) {
  const int conc = exec.concurrency();
#if defined(KOKKOS_ENABLE_CUDA) || defined(KOKKOS_ENABLE_HIP) || defined(KOKKOS_ENABLE_SYCL)
  if constexpr (!std::is_same_v<typename ExecSpace::memory_space, Kokkos::HostSpace>) {
    // GPU: one thread per block of about 128 rows, enough blocks to fill the device.
    return std::max(1, std::min(n / 128, 65536));
  }
#endif
  // Host: below a few thousand rows the extra passes and launches of the partition method cost more
  // than a second thread gains (measured on 2 cores: OpenMP 2.5x slower than Serial at 1e3 rows,
  // 1.3x faster at 1e4).
  if (conc <= 1 || n < 4096) return 1;
  return std::min(conc, n / 128);
}

}  // namespace pint

#include "models/theta_step_solver_impl.hpp"

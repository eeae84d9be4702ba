/// \file
/// Krylov-subspace-enhanced Parareal (Gander and Petcu, 2008) as a correction of any coarse propagator.
///
/// For a linear fine propagator F_n(u) = A u + b_n (A the same on every slice, b_n = F_n(0) carrying
/// the slice's boundary data and sources) the run computes A on every fine input x = U_n^j: A x =
/// F_n(x) - b_n. The span S of those inputs, kept as an orthonormal basis Q with the images W = A Q,
/// gives the coarse increment of slice n from its anchor a:
///
///   G_S(u) - G_S(a) = (G_n(u - Q c) - G_n(a)) + W c,   c = Q^T (u - a),
///
/// F's response on the part of u - a in S and G's on the rest. On vectors of S the corrected step is
/// F itself (its affine part included, since U_(n+1) = F_n(a) + ... starts from the slice's own fine
/// result); in exact arithmetic this is the textbook G((I - P) u) + F(P u).
///
/// Where the coarse propagator is affine with one linear part C on every slice (checked once, see
/// subtract_coarse()), G_n(u - Q c) = G_n(u) - C Q c and the increment is
///
///   G_S(u) - G_S(a) = (G_n(u) - G_n(a)) + (W - C Q) c:
///
/// the coarse call takes u itself, W - C Q is stored in place of W, and a corrected call reads the basis
/// twice instead of three times (measured on the default problem: README, learned corrections). Where
/// it is not (a nonlinear G), u' = u - Q c as above.
///
/// The basis is rebuilt after every fine phase by an SVD of [Q diag(s) | new inputs] (the principal
/// components of everything seen, so the SVD costs O(M (r + p)^2) however long the run): directions
/// with singular values below rank_tolerance times the largest are dropped (their images would be
/// mostly rounding: W = images V diag(1/s)), and at most basis_cap are kept. Rank 0 computes it from
/// the gathered pairs and broadcasts Q and W, so the iterates are the same for any number of ranks.
///
/// Coarse powers (coarse_powers = p > 0): the span is widened by C z, C^2 z, ..., C^p z for z in S with
/// its prescribed unknowns zeroed, C the coarse propagator's linear part (C v = G_1(v) - G_1(0)), and
/// their images taken as C^j (A z), without a fine solve. That is exact where A and C commute, as two
/// time steppers of one autonomous operator do (Crank-Nicolson and implicit Euler on the same grid are
/// both rational functions of L) on vectors that vanish where the unknowns are prescribed (there F and
/// C read their inputs differently: C overwrites them, Crank-Nicolson's half step reads them). Why it
/// pays: the inputs' span holds what the run's iterates are made of; with a learned coarse propagator
/// the first ones are the network's surface, whose errors are no polynomial in L of the solution, while
/// the exact solution is close to a rational Krylov space of L, which the powers of C add. The property
/// is checked, not assumed: the first time, one fine solve of C z is compared with C (A z); above
/// 1e-6 relative the powers are switched off for the run (Parareal still converges to F: only G changes).

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "core/coarse_correction.hpp"
#include "core/dense_linear_algebra.hpp"
#include "core/pair_exchange.hpp"
#include "core/slice_values.hpp"

namespace pint {

namespace {

class KrylovCorrection final : public CoarseCorrection {
 public:
  KrylovCorrection(const CorrectionConfig& c, std::size_t size)
      : cap_(c.basis_cap),
        powers_(c.coarse_powers),
        tol_(c.rank_tolerance),
        ell_(c.smoothness),
        M_(size),
        Mr_(c.smoothness > 0 && size > 1 ? 2 * size - 1 : size),
        delta_(host_vector(size, "pint::krylov::delta")),
        rdelta_(host_vector(Mr_, "pint::krylov::rdelta")) {
    stats_.name = "krylov";
    stats_.pair_bytes = 8.0 * 3 * size;  // input and its images under A and C, gathered on rank 0
  }

  std::string name() const override { return "krylov"; }
  bool needs_affine_parts() const override { return true; }
  void attach(const SliceOperators& ops) override { ops_ = ops; }

  void learn(const std::vector<SlicePair>& pairs, MPI_Comm comm) override {
    const double start = steady_seconds();
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    const std::size_t M = M_;
    for (const SlicePair& p : pairs)
      if (p.affine.extent(0) != M) throw std::logic_error("krylov: a pair without its slice's affine part F_n(0)");
    // Per pair x, A x = F_n(x) - F_n(0) and C x = G_n(x) - G_n(0) (the coarse linear part's image, which
    // makes W - C Q free of coarse calls; NaN where the pair does not carry G_n(x) and G_n(0)).
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<double> local = pack_pairs(
        pairs, M, [](const SlicePair& p, std::size_t i) { return p.fine(i) - p.affine(i); },
        [&](const SlicePair& p, std::size_t i) {
          const bool coarse = p.coarse.extent(0) == M && p.coarse_affine.extent(0) == M;
          return coarse ? p.coarse(i) - p.coarse_affine(i) : nan;
        });
    const double t_ex = steady_seconds();
    const std::vector<double> all = collect_pairs(local, static_cast<int>(3 * M), false, comm);
    stats_.exchange_seconds += steady_seconds() - t_ex;
    stats_.exchanged_doubles += static_cast<long long>(local.size() + all.size());

    int head[2] = {0, 0};  // basis size; whether W_ holds W - C Q
    if (rank == 0) {
      const int base = rebuild(all);
      head[0] = extend(base);
      head[1] = subtract_coarse(base, head[0]) ? 1 : 0;
      scratch_in_.clear();  // working memory of this rebuild only
      scratch_out_.clear();
    }
    const double t_bc = steady_seconds();
    MPI_Bcast(head, 2, MPI_INT, 0, comm);
    const int r = head[0];
    defect_ = head[1] == 1;
    if (rank != 0) {
      Q_ = dense_matrix(M, r, "pint::krylov::Q");
      W_ = dense_matrix(M, r, "pint::krylov::W");
      RQ_ = dense_matrix(Mr_ == M ? 0 : Mr_, r, "pint::krylov::RQ");
    }
    if (r > 0) {
      MPI_Bcast(Q_.data(), static_cast<int>(M * r), MPI_DOUBLE, 0, comm);
      MPI_Bcast(W_.data(), static_cast<int>(M * r), MPI_DOUBLE, 0, comm);
      if (RQ_.extent(0) > 0) MPI_Bcast(RQ_.data(), static_cast<int>(Mr_ * r), MPI_DOUBLE, 0, comm);
    }
    stats_.exchange_seconds += steady_seconds() - t_bc;
    stats_.exchanged_doubles += static_cast<long long>(2 * M + RQ_.extent(0)) * r;
    coef_ = host_vector(r, "pint::krylov::c");
    stats_.model_size.push_back(r);
    // Q and W on every rank; rank 0 also the principal components the next rebuild starts from, with
    // their fine and coarse images (at the inputs' rank: the coarse powers widen Q and W only).
    stats_.model_bytes =
        8.0 * static_cast<double>(Q_.size() + W_.size() + RQ_.size() +
                                  (rank == 0 ? Bx_.size() + By_.size() + Bc_.size() + g_zero_.size() : 0));
    stats_.learn_seconds += steady_seconds() - start;
  }

  bool prepare(int, ConstHostVector u, ConstHostVector a, HostVector cin, HostVector extra) override {
    const double start = steady_seconds();
    // Two simple passes (the difference vectorises; memcmp stops at the first difference) instead of one
    // loop with a running test: the corrected call's cost is what the correction is judged by.
    const double *pu = u.data(), *pa = a.data();
    double* pd = delta_.data();
    for (std::size_t i = 0; i < M_; ++i) pd[i] = pu[i] - pa[i];
    const bool same = std::memcmp(pu, pa, M_ * sizeof(double)) == 0;  // u == a bit for bit
    Kokkos::deep_copy(cin, u);
    if (same || Q_.extent(1) == 0) {
      Kokkos::deep_copy(extra, 0.0);
    } else {
      if (Mr_ == M_) {
        dense_gemv("T", 1.0, Q_, delta_, 0.0, coef_);  // Euclidean: R Q = Q, c = Q^T (u - a)
      } else {
        apply_weight(delta_, rdelta_);
        dense_gemv("T", 1.0, RQ_, rdelta_, 0.0, coef_);  // c = (R Q)^T R (u - a): R-orthogonal projection
      }
      if (!defect_) dense_gemv("N", -1.0, Q_, coef_, 1.0, cin);  // u' = u - Q c
      dense_gemv("N", 1.0, W_, coef_, 0.0, extra);               // e = A Q c, or (A - C) Q c with u' = u
    }
    ++stats_.applications;
    stats_.apply_seconds += steady_seconds() - start;
    return same || Q_.extent(1) == 0 || defect_;
  }

  CorrectionStats stats() const override { return stats_; }

 private:
  /// Rank 0: the new basis from the kept components and the gathered pairs; returns its size.
  int rebuild(const std::vector<double>& all) {
    const std::size_t M = M_;
    const std::size_t p = all.size() / (3 * M), r0 = Bx_.extent(1), q = r0 + p;
    for (std::size_t j = 0; j < p; ++j) coarse_images_ = coarse_images_ && !std::isnan(all[j * 3 * M + 2 * M]);
    if (q == 0) {  // nothing learned yet: an empty basis, as every other rank will hold
      Q_ = W_ = Bx_ = By_ = Bc_ = CQ_ = dense_matrix(M, 0, "pint::krylov::empty");
      RQ_ = dense_matrix(0, 0, "pint::krylov::empty");
      return 0;
    }
    DenseMatrix X = dense_matrix(M, q, "pint::krylov::X"), Y = dense_matrix(M, q, "pint::krylov::Y");
    DenseMatrix Yc = dense_matrix(M, coarse_images_ ? q : 0, "pint::krylov::Yc");
    for (std::size_t j = 0; j < r0; ++j)
      for (std::size_t i = 0; i < M; ++i) {
        X(i, j) = Bx_(i, j);
        Y(i, j) = By_(i, j);
        if (coarse_images_) Yc(i, j) = Bc_(i, j);
      }
    for (std::size_t j = 0; j < p; ++j)
      for (std::size_t i = 0; i < M; ++i) {
        X(i, r0 + j) = all[j * 3 * M + i];
        Y(i, r0 + j) = all[j * 3 * M + M + i];
        if (coarse_images_) Yc(i, r0 + j) = all[j * 3 * M + 2 * M + i];
      }
    // The SVD in the chosen inner product: of R X, whose left singular vectors are R Q.
    DenseMatrix RX = X;
    if (Mr_ != M) {
      RX = dense_matrix(Mr_, q, "pint::krylov::RX");
      for (std::size_t j = 0; j < q; ++j)
        apply_weight(Kokkos::subview(X, Kokkos::ALL, j), Kokkos::subview(RX, Kokkos::ALL, j));
    }
    const ThinSvd svd = thin_svd(RX);
    int r = 0;
    const double largest = svd.s.empty() ? 0.0 : svd.s[0];
    while (r < static_cast<int>(svd.s.size()) && r < cap_ && largest > 0 && svd.s[r] > tol_ * largest) ++r;
    // Principal components X V_r and their images Y V_r; Q = X V_r / s_r, W = Y V_r / s_r, R Q = U_r.
    DenseMatrix Vr = dense_matrix(q, r, "pint::krylov::Vr");
    for (int k = 0; k < r; ++k)
      for (std::size_t j = 0; j < q; ++j) Vr(j, k) = svd.Vt(k, j);
    By_ = dense_matrix(M, r, "pint::krylov::By");
    Bx_ = dense_matrix(M, r, "pint::krylov::Bx");
    Bc_ = dense_matrix(M, coarse_images_ ? r : 0, "pint::krylov::Bc");
    const bool euclidean = Mr_ == M;
    if (r > 0) {
      dense_gemm("N", "N", 1.0, Y, Vr, 0.0, By_);
      if (coarse_images_) dense_gemm("N", "N", 1.0, Yc, Vr, 0.0, Bc_);
      // Euclidean: X V_r = U_r diag(s_r), taken from the SVD (orthonormal to round-off, where X V_r / s_r
      // would carry the rounding of X amplified by 1 / s_r).
      if (!euclidean) dense_gemm("N", "N", 1.0, X, Vr, 0.0, Bx_);
    }
    Q_ = dense_matrix(M, r, "pint::krylov::Q");
    W_ = dense_matrix(M, r, "pint::krylov::W");
    CQ_ = dense_matrix(M, coarse_images_ ? r : 0, "pint::krylov::CQ");  // C Q, as W = A Q
    RQ_ = dense_matrix(Mr_ == M ? 0 : Mr_, r, "pint::krylov::RQ");      // Euclidean: R Q = Q, not stored twice
    for (int k = 0; k < r; ++k) {
      for (std::size_t i = 0; i < M; ++i) {
        if (euclidean) Bx_(i, k) = svd.U(i, k) * svd.s[k];
        Q_(i, k) = euclidean ? svd.U(i, k) : Bx_(i, k) / svd.s[k];
        W_(i, k) = By_(i, k) / svd.s[k];
        if (coarse_images_) CQ_(i, k) = Bc_(i, k) / svd.s[k];
      }
      for (std::size_t i = 0; i < RQ_.extent(0); ++i) RQ_(i, k) = svd.U(i, k);
    }
    return r;
  }

  /// R x = [x; ell D x] with D the differences of neighbouring unknowns (ell = 0: R = I).
  template <class In, class Out>
  void apply_weight(const In& x, const Out& y) const {
    for (std::size_t i = 0; i < M_; ++i) y(i) = x(i);
    if (Mr_ == M_) return;
    for (std::size_t i = 0; i + 1 < M_; ++i) y(M_ + i) = ell_ * (x(i + 1) - x(i));
  }

  /// Widens the basis by the coarse powers (rank 0, after rebuild()); returns the new size.
  int extend(int r) {
    const std::size_t M = M_;
    if (powers_ == 0 || !ops_.coarse || !ops_.fine || off_ || r == 0 || Mr_ != M) return r;
    const double start = steady_seconds();
    // Sources: every basis direction, as a unit vector of Q with its image W.
    const int rs = r;
    // The unknowns F overwrites: rows where every image is exactly zero (A x there is g(t) - g(t)).
    std::vector<std::size_t> fixed;
    for (std::size_t i = 0; i < M; ++i) {
      bool zero = true;
      for (int k = 0; k < r && zero; ++k) zero = By_(i, k) == 0.0;
      if (zero) fixed.push_back(i);
    }
    // Z0 = Q_s (I - U U^T), Y0 = W_s (I - U U^T) with U spanning the rows of Q_s at those unknowns: the
    // part of the sources that vanishes there, and its images.
    DenseMatrix Z = dense_matrix(M, rs, "pint::krylov::Z"), Y = dense_matrix(M, rs, "pint::krylov::Yz");
    for (int k = 0; k < rs; ++k)
      for (std::size_t i = 0; i < M; ++i) {
        Z(i, k) = Q_(i, k);
        Y(i, k) = W_(i, k);
      }
    if (!fixed.empty()) {
      DenseMatrix BQt = dense_matrix(rs, fixed.size(), "pint::krylov::BQt");
      for (std::size_t f = 0; f < fixed.size(); ++f)
        for (int k = 0; k < rs; ++k) BQt(k, f) = Z(fixed[f], k);
      const ThinSvd b = thin_svd(BQt);
      int kb = 0;
      while (kb < static_cast<int>(b.s.size()) && b.s[kb] > 1e-13 * std::max(b.s[0], 1e-300)) ++kb;
      if (kb > 0) {
        DenseMatrix Ub = dense_matrix(rs, kb, "pint::krylov::Ub"), T = dense_matrix(M, kb, "pint::krylov::T");
        for (int k = 0; k < kb; ++k)
          for (int j = 0; j < rs; ++j) Ub(j, k) = b.U(j, k);
        DenseMatrix Z1 = dense_matrix(M, rs, "pint::krylov::Z1"), Y1 = dense_matrix(M, rs, "pint::krylov::Y1");
        Kokkos::deep_copy(Z1, Z);
        Kokkos::deep_copy(Y1, Y);
        dense_gemm("N", "N", 1.0, Z1, Ub, 0.0, T);
        dense_gemm("N", "T", -1.0, T, Ub, 1.0, Z);
        dense_gemm("N", "N", 1.0, Y1, Ub, 0.0, T);
        dense_gemm("N", "T", -1.0, T, Ub, 1.0, Y);
      }
      for (std::size_t f : fixed)
        for (int k = 0; k < rs; ++k) Z(f, k) = 0.0;
    }
    // One batched coarse call per power for the 2 rs columns [sources | images] (coarse_linear()).
    const std::size_t q = static_cast<std::size_t>(rs) * powers_;
    DenseMatrix E = dense_matrix(M, q, "pint::krylov::E"), EY = dense_matrix(M, q, "pint::krylov::EY");
    DenseMatrix cur = dense_matrix(M, 2 * rs, "pint::krylov::Cj"), next = dense_matrix(M, 2 * rs, "pint::krylov::Cj1");
    for (int k = 0; k < rs; ++k)
      for (std::size_t i = 0; i < M; ++i) {
        cur(i, k) = Z(i, k);
        cur(i, rs + k) = Y(i, k);
      }
    const ConstHostVector g0 = coarse_at_zero(1);
    for (int j = 1; j <= powers_; ++j) {
      coarse_linear(1, cur, next, g0);
      for (int k = 0; k < rs; ++k)
        for (std::size_t i = 0; i < M; ++i) {
          E(i, static_cast<std::size_t>(j - 1) * rs + k) = next(i, k);
          EY(i, static_cast<std::size_t>(j - 1) * rs + k) = next(i, rs + k);
        }
      std::swap(cur, next);
    }
    HostVector in = host_vector(M, "pint::krylov::in"), out = host_vector(M, "pint::krylov::out");
    if (!checked_) {  // one fine solve: A (C z) against C (A z) for the largest C z
      checked_ = true;
      std::size_t best = 0;
      double nb = -1;
      for (std::size_t k = 0; k < static_cast<std::size_t>(rs); ++k) {
        double n2 = 0;
        for (std::size_t i = 0; i < M; ++i) n2 += E(i, k) * E(i, k);
        if (n2 > nb) nb = n2, best = k;
      }
      HostVector f0 = host_vector(M, "pint::krylov::F0");
      Kokkos::deep_copy(in, 0.0);
      ops_.fine(1, in, f0);
      double v = 0;
      for (std::size_t i = 0; i < M; ++i) v = std::max(v, std::abs(E(i, best)));
      const double scale = v > 0 ? 1.0 / v : 1.0;
      for (std::size_t i = 0; i < M; ++i) in(i) = scale * E(i, best);
      ops_.fine(1, in, out);
      stats_.extra_fine_calls += 2;
      double d2 = 0, a2 = 0;
      for (std::size_t i = 0; i < M; ++i) {
        const double az = (out(i) - f0(i)) / scale;
        d2 += (az - EY(i, best)) * (az - EY(i, best));
        a2 += az * az;
      }
      stats_.commutation_error = a2 > 0 ? std::sqrt(d2 / a2) : 0.0;
      off_ = !(stats_.commutation_error <= 1e-6);
    }
    if (off_) {
      stats_.learn_seconds_powers += steady_seconds() - start;
      return r;
    }
    // The new directions: E's part orthogonal to Q (E - Q Q^T E, images EY - W Q^T E), by an SVD; kept
    // where its singular value is at least keep_tol = 1e-4 (E's columns are at most of unit size: C
    // contracts). The images of weak basis directions carry rounding (W = Y V / s), and a direction
    // nearly in S divides it by its small singular value: measured on the default problem, 1e-6 let the
    // implicit-Euler coarse propagator (C close to A, so C z close to S) need 3 iterations instead of 2,
    // 1e-4 keeps it at 2 and still gives the learned one its gain (README: coarse powers).
    constexpr double keep_tol = 1e-4;
    DenseMatrix QtE = dense_matrix(r, q, "pint::krylov::QtE");
    dense_gemm("T", "N", 1.0, Q_, E, 0.0, QtE);
    dense_gemm("N", "N", -1.0, Q_, QtE, 1.0, E);
    dense_gemm("N", "N", -1.0, W_, QtE, 1.0, EY);
    const ThinSvd svd = thin_svd(E);
    int re = 0;
    while (re < static_cast<int>(svd.s.size()) && r + re < cap_ && svd.s[re] > keep_tol) ++re;
    if (re > 0) {
      DenseMatrix Vr = dense_matrix(q, re, "pint::krylov::Vr2"), YV = dense_matrix(M, re, "pint::krylov::YV");
      for (int k = 0; k < re; ++k)
        for (std::size_t j = 0; j < q; ++j) Vr(j, k) = svd.Vt(k, j);
      dense_gemm("N", "N", 1.0, EY, Vr, 0.0, YV);
      DenseMatrix Q2 = dense_matrix(M, r + re, "pint::krylov::Q"), W2 = dense_matrix(M, r + re, "pint::krylov::W");
      for (int k = 0; k < r + re; ++k)
        for (std::size_t i = 0; i < M; ++i) {
          Q2(i, k) = k < r ? Q_(i, k) : svd.U(i, k - r);
          W2(i, k) = k < r ? W_(i, k) : YV(i, k - r) / svd.s[k - r];
        }
      Q_ = Q2;
      W_ = W2;
    }
    stats_.learn_seconds_powers += steady_seconds() - start;
    return r + re;
  }

  /// G_slice(0), the coarse propagator's affine part: slice 1's is computed once and kept.
  ConstHostVector coarse_at_zero(int slice) {
    if (slice == 1 && g_zero_.extent(0) == M_) return g_zero_;
    HostVector in = host_vector(M_, "pint::krylov::zero"), out = host_vector(M_, "pint::krylov::G0");
    Kokkos::deep_copy(in, 0.0);
    ops_.coarse(slice, {in}, {out});
    ++stats_.extra_coarse_calls;
    if (slice == 1) g_zero_ = out;
    return out;
  }

  /// dst(:, k) = C src(:, k) for every column, C the linear part of the coarse step of `slice` whose
  /// affine part is g0: C v = (G(lambda v) - G(0)) / lambda, as one batched coarse call. lambda scales v
  /// to the size of G(0), so that the difference cancels no more digits than v has (a unit v against a
  /// G(0) of 5e3 would keep only 12 of them).
  void coarse_linear(int slice, const DenseMatrix& src, const DenseMatrix& dst, ConstHostVector g0) {
    const std::size_t M = M_, n = src.extent(1);
    double gmax = 0;
    for (std::size_t i = 0; i < M; ++i) gmax = std::max(gmax, std::abs(g0(i)));
    if (n == 0) return;
    // The coarse calls' buffers are kept for the rebuild (the powers make p calls), freed after it.
    while (scratch_in_.size() < n) {
      scratch_in_.push_back(host_vector(M, "pint::krylov::in"));
      scratch_out_.push_back(host_vector(M, "pint::krylov::out"));
    }
    const std::vector<HostVector> ins(scratch_in_.begin(), scratch_in_.begin() + n),
        outs(scratch_out_.begin(), scratch_out_.begin() + n);
    std::vector<double> lambda(n, 1.0);
    for (std::size_t k = 0; k < n; ++k) {
      double v = 0;
      for (std::size_t i = 0; i < M; ++i) v = std::max(v, std::abs(src(i, k)));
      lambda[k] = v > 0 && gmax > v ? gmax / v : 1.0;
      for (std::size_t i = 0; i < M; ++i) ins[k](i) = lambda[k] * src(i, k);
    }
    ops_.coarse(slice, ins, outs);
    stats_.extra_coarse_calls += static_cast<int>(n);
    for (std::size_t k = 0; k < n; ++k)
      for (std::size_t i = 0; i < M; ++i) dst(i, k) = (outs[k](i) - g0(i)) / lambda[k];
  }

  /// Rank 0, after extend(): where the coarse propagator is affine with one linear part C on every slice,
  /// W_ becomes W - C Q and the corrected call needs no shifted input: G_n(u - Q c) = G_n(u) - C Q c, so
  ///
  ///   G_S(u) - G_S(a) = (G_n(u) - G_n(a)) + (W - C Q) c,
  ///
  /// one product with the basis less, and G_n(u) itself is the next anchor's coarse value (no anchor
  /// calls). C Q costs no coarse call where the pairs bring C x = G_n(x) - G_n(0) (Parareal computes
  /// G_n(0) once per slice, with F_n(0)): it is then the SVD's combination of those images, as W is of
  /// the fine ones; the coarse powers' directions take one coarse call each. The property is checked
  /// once, not assumed (4 coarse calls on slice 1): G_1 additive on two basis directions, and one C on
  /// every slice: C Q's first column, made of the images C_n x_n of every slice's inputs, equal to C_1
  /// applied to it (a coefficient that changes with time makes them differ). Without the pairs' images
  /// C_n z = C_1 z is checked on slices 2, N/2 and N - 1 instead. Returns whether W_ is W - C Q.
  bool subtract_coarse(int base, int r) {
    if (r == 0 || !ops_.coarse) return false;
    const std::size_t M = M_;
    if (!affine_checked_) {
      affine_checked_ = true;
      double err = ops_.slices >= 2 ? 0.0 : std::numeric_limits<double>::infinity();
      if (ops_.slices >= 2) {
        const std::size_t k2 = r > 1 ? 1 : 0;
        DenseMatrix Z = dense_matrix(M, 3, "pint::krylov::Zc"), CZ = dense_matrix(M, 3, "pint::krylov::CZc");
        for (std::size_t i = 0; i < M; ++i) {
          Z(i, 0) = Q_(i, 0);
          Z(i, 1) = 0.5 * Q_(i, k2);
          Z(i, 2) = Z(i, 0) + Z(i, 1);
        }
        coarse_linear(1, Z, CZ, coarse_at_zero(1));
        double d = 0, size = 0;
        for (std::size_t i = 0; i < M; ++i) {
          d = std::max(d, std::abs(CZ(i, 2) - CZ(i, 0) - CZ(i, 1)));
          size = std::max(size, std::abs(CZ(i, 0)) + std::abs(CZ(i, 1)));
        }
        err = size > 0 ? d / size : 0.0;
        double c1 = 0;
        for (std::size_t i = 0; i < M; ++i) c1 = std::max(c1, std::abs(CZ(i, 0)));
        if (coarse_images_ && CQ_.extent(1) == static_cast<std::size_t>(base) && base > 0) {
          // One C on every slice: C Q's first column, combined from the images C_n x_n of the inputs of
          // all slices, against C_1 applied to it (Z's first column is Q's). No further coarse call.
          double dn = 0;
          for (std::size_t i = 0; i < M; ++i) dn = std::max(dn, std::abs(CQ_(i, 0) - CZ(i, 0)));
          err = std::max(err, c1 > 0 ? dn / c1 : dn);
        } else {  // without the pairs' images: C_n z = C_1 z on slices 2, N/2 and N - 1
          DenseMatrix z = dense_matrix(M, 1, "pint::krylov::z"), cz = dense_matrix(M, 1, "pint::krylov::cz");
          for (std::size_t i = 0; i < M; ++i) z(i, 0) = Z(i, 0);
          std::vector<int> others = {2, ops_.slices / 2, ops_.slices - 1};
          others.erase(std::unique(others.begin(), others.end()), others.end());
          for (int n : others) {
            if (n < 2 || n >= ops_.slices || err > kAffineTolerance) continue;
            coarse_linear(n, z, cz, coarse_at_zero(n));
            double dn = 0;
            for (std::size_t i = 0; i < M; ++i) dn = std::max(dn, std::abs(cz(i, 0) - CZ(i, 0)));
            err = std::max(err, c1 > 0 ? dn / c1 : dn);
          }
        }
      }
      stats_.affine_error = err;
      affine_ = err <= kAffineTolerance;
      stats_.coarse_affine = affine_ ? 1 : 0;
    }
    if (!affine_) return false;
    // C Q: from the pairs' coarse images for the rebuilt basis where every pair brought them, by coarse
    // calls for the rest (the coarse powers' directions).
    const int from = coarse_images_ && CQ_.extent(1) == static_cast<std::size_t>(base) ? base : 0;
    for (int k = 0; k < from; ++k)
      for (std::size_t i = 0; i < M; ++i) W_(i, k) -= CQ_(i, k);
    if (from < r) {
      DenseMatrix Qr = dense_matrix(M, r - from, "pint::krylov::Qr"),
                  CQ = dense_matrix(M, r - from, "pint::krylov::CQr");
      for (int k = from; k < r; ++k)
        for (std::size_t i = 0; i < M; ++i) Qr(i, k - from) = Q_(i, k);
      coarse_linear(1, Qr, CQ, coarse_at_zero(1));
      for (int k = from; k < r; ++k)
        for (std::size_t i = 0; i < M; ++i) W_(i, k) -= CQ(i, k - from);
    }
    CQ_ = dense_matrix(M, 0, "pint::krylov::empty");
    return true;
  }

  /// Relative deviation from affinity (and from one linear part on every slice) below which the coarse
  /// propagator counts as affine: rounding of the differences is about 1e-13 on the default problem; a
  /// nonlinear G (Burgers) deviates by orders of magnitude more.
  static constexpr double kAffineTolerance = 1e-9;

  int cap_, powers_;
  bool checked_ = false, off_ = false;
  bool affine_checked_ = false, affine_ = false;  ///< rank 0: the check of subtract_coarse() and its verdict
  bool defect_ = false;                           ///< every rank: W_ holds W - C Q (the corrected call's u' = u)
  SliceOperators ops_;
  HostVector g_zero_;
  std::vector<HostVector> scratch_in_, scratch_out_;  ///< rank 0, during a rebuild: coarse_linear()'s buffers
  double tol_, ell_;
  std::size_t M_, Mr_;
  /// Every rank: the basis of S (orthonormal in the R inner product) and A Q, or A Q - C Q where defect_.
  DenseMatrix Q_, W_;
  DenseMatrix RQ_;             ///< R Q (orthonormal columns): the projection's coefficients are (R Q)^T R d
  DenseMatrix Bx_, By_;        ///< rank 0: principal components U_r diag(s_r) and their images
  DenseMatrix Bc_, CQ_;        ///< rank 0: the components' coarse images C Bx and C Q (where coarse_images_)
  bool coarse_images_ = true;  ///< rank 0: every pair so far brought C x = G_n(x) - G_n(0)
  HostVector delta_, rdelta_, coef_;
  CorrectionStats stats_;
};

}  // namespace

std::unique_ptr<CoarseCorrection> make_krylov_correction(const CorrectionConfig& config, std::size_t size) {
  return std::make_unique<KrylovCorrection>(config, size);
}

}  // namespace pint

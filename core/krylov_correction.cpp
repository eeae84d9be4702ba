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
    stats_.pair_bytes = 8.0 * 2 * size;  // input and image, gathered on rank 0
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
    const std::vector<double> local =
        pack_pairs(pairs, M, [](const SlicePair& p, std::size_t i) { return p.fine(i) - p.affine(i); });  // A x
    const double t_ex = steady_seconds();
    const std::vector<double> all = collect_pairs(local, static_cast<int>(2 * M), false, comm);
    stats_.exchange_seconds += steady_seconds() - t_ex;
    stats_.exchanged_doubles += static_cast<long long>(local.size() + all.size());

    int r = 0;
    if (rank == 0) r = extend(rebuild(all));
    const double t_bc = steady_seconds();
    MPI_Bcast(&r, 1, MPI_INT, 0, comm);
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
    // Q and W on every rank; rank 0 also the principal components the next rebuild starts from.
    stats_.model_bytes = 8.0 * r * (2 * M + RQ_.extent(0) + (rank == 0 ? 2 * M : 0));
    stats_.learn_seconds += steady_seconds() - start;
  }

  bool prepare(int, ConstHostVector u, ConstHostVector a, HostVector cin, HostVector extra) override {
    const double start = steady_seconds();
    bool same = true;
    for (std::size_t i = 0; i < M_; ++i) {
      delta_(i) = u(i) - a(i);
      same = same && delta_(i) == 0.0;
    }
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
      dense_gemv("N", -1.0, Q_, coef_, 1.0, cin);   // u' = u - Q c
      dense_gemv("N", 1.0, W_, coef_, 0.0, extra);  // e = A Q c
    }
    ++stats_.applications;
    stats_.apply_seconds += steady_seconds() - start;
    return same || Q_.extent(1) == 0;
  }

  CorrectionStats stats() const override { return stats_; }

 private:
  /// Rank 0: the new basis from the kept components and the gathered pairs; returns its size.
  int rebuild(const std::vector<double>& all) {
    const std::size_t M = M_;
    const std::size_t p = all.size() / (2 * M), r0 = Bx_.extent(1), q = r0 + p;
    if (q == 0) {  // nothing learned yet: an empty basis, as every other rank will hold
      Q_ = W_ = Bx_ = By_ = dense_matrix(M, 0, "pint::krylov::empty");
      RQ_ = dense_matrix(0, 0, "pint::krylov::empty");
      return 0;
    }
    DenseMatrix X = dense_matrix(M, q, "pint::krylov::X"), Y = dense_matrix(M, q, "pint::krylov::Y");
    for (std::size_t j = 0; j < r0; ++j)
      for (std::size_t i = 0; i < M; ++i) {
        X(i, j) = Bx_(i, j);
        Y(i, j) = By_(i, j);
      }
    for (std::size_t j = 0; j < p; ++j)
      for (std::size_t i = 0; i < M; ++i) {
        X(i, r0 + j) = all[j * 2 * M + i];
        Y(i, r0 + j) = all[j * 2 * M + M + i];
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
    const bool euclidean = Mr_ == M;
    if (r > 0) {
      dense_gemm("N", "N", 1.0, Y, Vr, 0.0, By_);
      // Euclidean: X V_r = U_r diag(s_r), taken from the SVD (orthonormal to round-off, where X V_r / s_r
      // would carry the rounding of X amplified by 1 / s_r).
      if (!euclidean) dense_gemm("N", "N", 1.0, X, Vr, 0.0, Bx_);
    }
    Q_ = dense_matrix(M, r, "pint::krylov::Q");
    W_ = dense_matrix(M, r, "pint::krylov::W");
    RQ_ = dense_matrix(Mr_ == M ? 0 : Mr_, r, "pint::krylov::RQ");  // Euclidean: R Q = Q, not stored twice
    for (int k = 0; k < r; ++k) {
      for (std::size_t i = 0; i < M; ++i) {
        if (euclidean) Bx_(i, k) = svd.U(i, k) * svd.s[k];
        Q_(i, k) = euclidean ? svd.U(i, k) : Bx_(i, k) / svd.s[k];
        W_(i, k) = By_(i, k) / svd.s[k];
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
    HostVector in = host_vector(M, "pint::krylov::in"), out = host_vector(M, "pint::krylov::out");
    if (g_zero_.extent(0) != M) {
      g_zero_ = host_vector(M, "pint::krylov::G0");
      Kokkos::deep_copy(in, 0.0);
      ops_.coarse(1, {in}, {g_zero_});
      ++stats_.extra_coarse_calls;
    }
    // C v = (G_1(lambda v) - G_1(0)) / lambda, lambda scaling v to the size of G_1(0): the difference then
    // cancels no more digits than v has (a unit v against G_1(0) of 5e3 would keep only 12 of them). One
    // batched coarse call per power for the 2 rs columns (sources and their images).
    double g0 = 0;
    for (std::size_t i = 0; i < M; ++i) g0 = std::max(g0, std::abs(g_zero_(i)));
    const std::size_t q = static_cast<std::size_t>(rs) * powers_;
    DenseMatrix E = dense_matrix(M, q, "pint::krylov::E"), EY = dense_matrix(M, q, "pint::krylov::EY");
    std::vector<HostVector> ins, outs;
    for (int k = 0; k < 2 * rs; ++k) {
      ins.push_back(host_vector(M, "pint::krylov::in"));
      outs.push_back(host_vector(M, "pint::krylov::out"));
    }
    std::vector<double> lambda(2 * rs, 1.0);
    for (int j = 1; j <= powers_; ++j) {
      for (int k = 0; k < 2 * rs; ++k) {  // column k of [Z Y] (j = 1) or of the previous power's [E EY]
        const bool image = k >= rs;
        const int c = image ? k - rs : k;
        const DenseMatrix& src = j == 1 ? (image ? Y : Z) : (image ? EY : E);
        const std::size_t col = j == 1 ? static_cast<std::size_t>(c) : static_cast<std::size_t>(j - 2) * rs + c;
        double v = 0;
        for (std::size_t i = 0; i < M; ++i) v = std::max(v, std::abs(src(i, col)));
        lambda[k] = v > 0 && g0 > v ? g0 / v : 1.0;
        for (std::size_t i = 0; i < M; ++i) ins[k](i) = lambda[k] * src(i, col);
      }
      ops_.coarse(1, ins, outs);
      stats_.extra_coarse_calls += 2 * rs;
      for (int k = 0; k < 2 * rs; ++k) {
        const bool image = k >= rs;
        const std::size_t to = static_cast<std::size_t>(j - 1) * rs + (image ? k - rs : k);
        const DenseMatrix& dst = image ? EY : E;
        for (std::size_t i = 0; i < M; ++i) dst(i, to) = (outs[k](i) - g_zero_(i)) / lambda[k];
      }
    }
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

  int cap_, powers_;
  bool checked_ = false, off_ = false;
  SliceOperators ops_;
  HostVector g_zero_;
  double tol_, ell_;
  std::size_t M_, Mr_;
  DenseMatrix Q_, W_;    ///< basis of S (orthonormal in the R inner product) and A Q (every rank)
  DenseMatrix RQ_;       ///< R Q (orthonormal columns): the projection's coefficients are (R Q)^T R d
  DenseMatrix Bx_, By_;  ///< rank 0: principal components U_r diag(s_r) and their images
  HostVector delta_, rdelta_, coef_;
  CorrectionStats stats_;
};

}  // namespace

std::unique_ptr<CoarseCorrection> make_krylov_correction(const CorrectionConfig& config, std::size_t size) {
  return std::make_unique<KrylovCorrection>(config, size);
}

}  // namespace pint

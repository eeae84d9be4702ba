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
    if (rank == 0) r = rebuild(all);
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

  int cap_;
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

/// \file
/// RandNet-Parareal (Gattiglio, Grigoryeva and Tamborrino, NeurIPS 2024) as a correction of any coarse
/// propagator, for nonlinear problems.
///
/// Every fine result gives a sample of the discrepancy d(x) = F_n(x) - G_n(x) at x = U_n^j. A random
/// network models it: fixed hidden weights A (neurons x M) and biases z, drawn uniformly from [-1, 1]
/// with the configured seed, features h(x) = max(0, A x + z), and a linear read-out fitted by least
/// squares on the m stored inputs nearest (Euclidean) to the query u. With m samples and more neurons
/// than samples the read-out is underdetermined: pint takes the ridge solution
/// D (H^T H + ridge I)^+ H^T, which for ridge = 0 is the minimum-norm one (singular values of H at or
/// below 1e-12 times the largest are dropped, so repeated samples cannot blow it up).
///
/// The published update is U_(n+1)^k = G_n(u) + f(u). Written as a correction of the increment from the
/// anchor a (core/coarse_correction.hpp) it becomes F_n(a) + (G_n(u) - G_n(a)) + (f(u) - f(a)) with one
/// read-out for both points: the same where the fit interpolates the anchor's sample (minimum norm, the
/// anchor among the neighbours), and a slice whose input did not change gets F_n(a) exactly.
///
/// Every rank stores every pair (gathered after each fine phase), so any rank answers any query and the
/// iterates do not depend on the number of ranks.

#include <algorithm>
#include <numeric>
#include <random>
#include <stdexcept>

#include "core/coarse_correction.hpp"
#include "core/dense_linear_algebra.hpp"
#include "core/pair_exchange.hpp"
#include "core/slice_values.hpp"

namespace pint {

namespace {

/// Uniform in [-1, 1] from 53 random bits: the same numbers on every platform for a seed.
double uniform_pm1(std::mt19937_64& g) {
  return 2.0 * (static_cast<double>(g() >> 11) * 0x1.0p-53) - 1.0;
}

class RandNetCorrection final : public CoarseCorrection {
 public:
  RandNetCorrection(const CorrectionConfig& c, std::size_t size)
      : d_(c.neurons),
        m_(c.neighbours),
        ridge_(c.ridge),
        M_(size),
        A_(dense_matrix(c.neurons, size, "pint::randnet::A")),
        z_(host_vector(c.neurons, "pint::randnet::z")),
        hu_(host_vector(c.neurons, "pint::randnet::hu")),
        ha_(host_vector(c.neurons, "pint::randnet::ha")) {
    std::mt19937_64 g(static_cast<std::uint64_t>(c.seed));
    for (std::size_t j = 0; j < size; ++j)
      for (int i = 0; i < d_; ++i) A_(i, j) = uniform_pm1(g);
    for (int i = 0; i < d_; ++i) z_(i) = uniform_pm1(g);
    stats_.name = "randnet";
    stats_.pair_bytes = 8.0 * (2 * size + c.neurons);  // input, discrepancy and features, kept on every rank
  }

  std::string name() const override { return "randnet"; }

  void learn(const std::vector<SlicePair>& pairs, MPI_Comm comm) override {
    const double start = steady_seconds();
    const std::size_t M = M_;
    for (const SlicePair& p : pairs)
      if (p.coarse.extent(0) != M) throw std::logic_error("randnet: a pair without the plain coarse value G_n(x)");
    const std::vector<double> local =
        pack_pairs(pairs, M, [](const SlicePair& p, std::size_t i) { return p.fine(i) - p.coarse(i); });  // F - G
    const double t_ex = steady_seconds();
    const std::vector<double> all = collect_pairs(local, static_cast<int>(2 * M), true, comm);
    stats_.exchange_seconds += steady_seconds() - t_ex;
    stats_.exchanged_doubles += static_cast<long long>(local.size() + all.size());
    const std::size_t p = all.size() / (2 * M);
    for (std::size_t j = 0; j < p; ++j) {
      HostVector x = host_vector(M, "pint::randnet::x"), d = host_vector(M, "pint::randnet::d");
      HostVector h = host_vector(d_, "pint::randnet::h");
      for (std::size_t i = 0; i < M; ++i) {
        x(i) = all[j * 2 * M + i];
        d(i) = all[j * 2 * M + M + i];
      }
      features(x, h);
      X_.push_back(x);
      D_.push_back(d);
      H_.push_back(h);
    }
    stats_.model_size.push_back(static_cast<int>(X_.size()));
    stats_.model_bytes = 8.0 * (X_.size() * (2 * M + d_) + static_cast<double>(d_) * (M + 3));
    stats_.learn_seconds += steady_seconds() - start;
  }

  bool prepare(int, ConstHostVector u, ConstHostVector a, HostVector cin, HostVector extra) override {
    const double start = steady_seconds();
    Kokkos::deep_copy(cin, u);
    Kokkos::deep_copy(extra, 0.0);
    bool same = true;
    for (std::size_t i = 0; i < M_ && same; ++i) same = u(i) == a(i);
    if (!same && !X_.empty()) {
      const std::vector<std::size_t> near = nearest(u);
      const int m = static_cast<int>(near.size());
      features(u, hu_);
      features(a, ha_);
      // The read-out W minimises |W H - D|^2 + ridge |W|^2 over the neighbours' features H (neurons x m) and
      // discrepancies D (M x m): W = D V diag(s / (s^2 + ridge)) U^T with H = U diag(s) V^T. Through the SVD
      // of H, not the normal equations: the neighbours of a converging iterate are its own earlier iterates,
      // nearly parallel, and the secant information lies in singular values ~1e-8 of the largest, which
      // H^T H would square below round-off.
      if (static_cast<int>(H_near_.extent(1)) != m) {  // m is the neighbour count once enough pairs are stored
        H_near_ = dense_matrix(d_, m, "pint::randnet::H");
        D_near_ = dense_matrix(M_, m, "pint::randnet::D");
        coef_ = host_vector(m, "pint::randnet::c");
      }
      for (int p = 0; p < m; ++p) {
        for (int i = 0; i < d_; ++i) H_near_(i, p) = H_[near[p]](i);
        for (std::size_t i = 0; i < M_; ++i) D_near_(i, p) = D_[near[p]](i);
      }
      for (int i = 0; i < d_; ++i) hu_(i) -= ha_(i);
      const ThinSvd svd = thin_svd(H_near_);
      const int q = static_cast<int>(svd.s.size());
      HostVector proj = host_vector(q, "pint::randnet::proj");
      dense_gemv("T", 1.0, svd.U, hu_, 0.0, proj);  // U^T (h(u) - h(a))
      const double largest = q > 0 ? svd.s[0] : 0.0;
      for (int k = 0; k < q; ++k) {
        const double sk = svd.s[k];
        proj(k) = (sk > 1e-12 * largest && sk > 0) ? proj(k) * sk / (sk * sk + ridge_) : 0.0;
      }
      dense_gemv("T", 1.0, svd.Vt, proj, 0.0, coef_);  // c = V diag(s / (s^2 + ridge)) U^T (h(u) - h(a))
      dense_gemv("N", 1.0, D_near_, coef_, 0.0, extra);
    }
    ++stats_.applications;
    stats_.apply_seconds += steady_seconds() - start;
    return true;
  }

  CorrectionStats stats() const override { return stats_; }

 private:
  /// h = max(0, A x + z).
  void features(ConstHostVector x, HostVector h) const {
    Kokkos::deep_copy(h, z_);
    dense_gemv("N", 1.0, A_, x, 1.0, h);
    for (int i = 0; i < d_; ++i) h(i) = std::max(0.0, h(i));
  }

  /// Indices of the m stored inputs nearest to u (ties: the earlier sample).
  std::vector<std::size_t> nearest(ConstHostVector u) const {
    std::vector<double> dist(X_.size(), 0.0);
    for (std::size_t j = 0; j < X_.size(); ++j) {
      double s = 0;
      for (std::size_t i = 0; i < M_; ++i) s += (u(i) - X_[j](i)) * (u(i) - X_[j](i));
      dist[j] = s;
    }
    std::vector<std::size_t> idx(X_.size());
    std::iota(idx.begin(), idx.end(), 0);
    const std::size_t m = std::min<std::size_t>(m_, idx.size());
    std::partial_sort(idx.begin(), idx.begin() + m, idx.end(),
                      [&](std::size_t p, std::size_t q) { return dist[p] < dist[q] || (dist[p] == dist[q] && p < q); });
    idx.resize(m);
    return idx;
  }

  int d_, m_;
  double ridge_;
  std::size_t M_;
  DenseMatrix A_;
  HostVector z_, hu_, ha_;
  std::vector<HostVector> X_, D_, H_;  ///< stored inputs, discrepancies and their features
  DenseMatrix H_near_, D_near_;        ///< the query's neighbours' features and discrepancies (scratch)
  HostVector coef_;
  CorrectionStats stats_;
};

}  // namespace

std::unique_ptr<CoarseCorrection> make_randnet_correction(const CorrectionConfig& config, std::size_t size) {
  return std::make_unique<RandNetCorrection>(config, size);
}

}  // namespace pint

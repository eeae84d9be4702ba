#include "core/sdc_analysis.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace pint {

extern "C" {
void zgemm_(const char* ta, const char* tb, const int* m, const int* n, const int* k, const std::complex<double>* alpha,
            const std::complex<double>* a, const int* lda, const std::complex<double>* b, const int* ldb,
            const std::complex<double>* beta, std::complex<double>* c, const int* ldc);
void zgesv_(const int* n, const int* nrhs, std::complex<double>* a, const int* lda, int* ipiv, std::complex<double>* b,
            const int* ldb, int* info);
void zgeev_(const char* jobvl, const char* jobvr, const int* n, std::complex<double>* a, const int* lda,
            std::complex<double>* w, std::complex<double>* vl, const int* ldvl, std::complex<double>* vr,
            const int* ldvr, std::complex<double>* work, const int* lwork, double* rwork, int* info);
}

namespace {

using cplx = std::complex<double>;

/// Column-major n x n complex matrix (LAPACK's layout).
struct CMatrix {
  int n;
  std::vector<cplx> a;
  explicit CMatrix(int size) : n(size), a(static_cast<std::size_t>(size * size), 0.0) {}
  cplx& operator()(int i, int j) { return a[static_cast<std::size_t>(j * n + i)]; }
};

/// C = alpha A B (column-major n x n, B with nrhs columns).
std::vector<cplx> product(cplx alpha, const CMatrix& A, const std::vector<cplx>& B, int nrhs) {
  const int n = A.n;
  const cplx zero = 0.0;
  std::vector<cplx> C(static_cast<std::size_t>(n * nrhs));
  const char no = 'N';
  zgemm_(&no, &no, &n, &nrhs, &n, &alpha, A.a.data(), &n, B.data(), &n, &zero, C.data(), &n);
  return C;
}

/// Q - Q_D (both row-major) as a column-major complex matrix.
CMatrix correction(const Collocation& c, const std::vector<double>& qd) {
  CMatrix A(c.M);
  for (int i = 0; i < c.M; ++i)
    for (int j = 0; j < c.M; ++j) A(i, j) = c.q(i, j) - qd[static_cast<std::size_t>(i * c.M + j)];
  return A;
}

/// I - z Q_D (Q_D row-major).
CMatrix shifted(const std::vector<double>& qd, int M, cplx z) {
  CMatrix A(M);
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < M; ++j) A(i, j) = (i == j ? 1.0 : 0.0) - z * qd[static_cast<std::size_t>(i * M + j)];
  return A;
}

/// Solves A X = B in place of B (B column-major, M x nrhs); false where A is singular.
bool solve_in_place(CMatrix A, std::vector<cplx>& B, int nrhs) {
  const int n = A.n;
  std::vector<int> ipiv(static_cast<std::size_t>(n));
  int info = 0;
  zgesv_(&n, &nrhs, A.a.data(), &n, ipiv.data(), B.data(), &n, &info);
  if (info < 0) throw std::logic_error("sdc analysis: zgesv argument " + std::to_string(-info) + " is invalid");
  return info == 0;
}

double spectral_radius(CMatrix A) {
  const int n = A.n, one = 1;
  std::vector<cplx> w(static_cast<std::size_t>(n)), work(static_cast<std::size_t>(4 * n));
  std::vector<double> rwork(static_cast<std::size_t>(2 * n));
  const int lwork = static_cast<int>(work.size());
  cplx dummy;
  int info = 0;
  const char no = 'N';
  zgeev_(&no, &no, &n, A.a.data(), &n, w.data(), &dummy, &one, &dummy, &one, work.data(), &lwork, rwork.data(), &info);
  if (info != 0)
    throw std::runtime_error("sdc analysis: LAPACK zgeev did not converge (info " + std::to_string(info) + ")");
  double r = 0.0;
  for (const cplx& l : w) r = std::max(r, std::abs(l));
  return r;
}

}  // namespace

SdcScheme make_sdc_scheme(const SdcSettings& settings) {
  validate(settings);
  SdcScheme s;
  s.coll = make_collocation(settings.nodes, parse_sdc_quadrature(settings.quadrature),
                            parse_sdc_distribution(settings.distribution));
  for (int k = 1; k <= settings.sweeps; ++k) s.qdelta.push_back(qdelta(s.coll, settings.qdelta, k));
  s.ie_guess = settings.initial_guess == "ie";
  s.last_node = sdc_ends_at_last_node(settings);
  return s;
}

cplx sdc_stability_function(const SdcScheme& scheme, cplx z) {
  const Collocation& c = scheme.coll;
  const int M = c.M;
  std::vector<cplx> y(static_cast<std::size_t>(M), 1.0);
  if (scheme.ie_guess) {
    cplx prev = 1.0;
    for (int m = 0; m < M; ++m) {
      const double h = c.nodes[m] - (m ? c.nodes[m - 1] : 0.0);
      prev = h > 0 ? prev / (1.0 - z * h) : prev;
      y[m] = prev;
    }
  }
  for (const auto& qd : scheme.qdelta) {
    std::vector<cplx> rhs = product(z, correction(c, qd), y, 1);  // z (Q - Q_D) Y^(k-1)
    for (cplx& r : rhs) r += 1.0;
    if (!solve_in_place(shifted(qd, M, z), rhs, 1)) return std::numeric_limits<double>::infinity();
    y = rhs;
  }
  if (scheme.last_node) return y[M - 1];
  cplx acc = 0.0;
  for (int j = 0; j < M; ++j) acc += c.weights[j] * y[j];
  return 1.0 + z * acc;
}

double sdc_contraction_factor(const SdcScheme& scheme, cplx z) {
  const Collocation& c = scheme.coll;
  const int M = c.M;
  CMatrix P(M);  // the product K_k ... K_1, built up from the identity
  for (int i = 0; i < M; ++i) P(i, i) = 1.0;
  for (const auto& qd : scheme.qdelta) {
    // K_k P = z (I - z Q_D)^-1 (Q - Q_D) P: multiply, then solve with M right-hand sides.
    std::vector<cplx> B = product(z, correction(c, qd), P.a, M);
    if (!solve_in_place(shifted(qd, M, z), B, M)) return std::numeric_limits<double>::infinity();
    P.a = B;
  }
  return std::pow(spectral_radius(P), 1.0 / scheme.sweeps());
}

double sdc_dahlquist_error(const SdcScheme& scheme, cplx lambda, double t_end, int steps) {
  if (steps < 1 || !(t_end > 0)) throw std::invalid_argument("sdc_dahlquist_error: steps >= 1 and t_end > 0 needed");
  const cplx R = sdc_stability_function(scheme, lambda * (t_end / steps));
  cplx y = 1.0;
  for (int n = 0; n < steps; ++n) y *= R;
  return std::abs(y - std::exp(lambda * t_end));
}

}  // namespace pint

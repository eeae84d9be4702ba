#include "core/dense_linear_algebra.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <stdexcept>
#include <string>

extern "C" {
void dgesvd_(const char* jobu, const char* jobvt, const int* m, const int* n, double* a, const int* lda, double* s,
             double* u, const int* ldu, double* vt, const int* ldvt, double* work, const int* lwork, int* info);
void dgemv_(const char* trans, const int* m, const int* n, const double* alpha, const double* a, const int* lda,
            const double* x, const int* incx, const double* beta, double* y, const int* incy);
void dgemm_(const char* ta, const char* tb, const int* m, const int* n, const int* k, const double* alpha,
            const double* a, const int* lda, const double* b, const int* ldb, const double* beta, double* c,
            const int* ldc);
}

namespace pint {

namespace {
/// The factorisations here are small (a few dozen columns); Kokkos' OpenMP threads already hold the
/// cores, and a second (OpenBLAS) thread pool beside them oversubscribes the cores and made an SVD 4
/// times slower on the 2-core CI machine. Where LAPACK is OpenBLAS's, it is asked for one thread.
void one_blas_thread() {
  static const bool done = [] {
    using SetThreads = void (*)(int);
    if (auto f = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) f(1);
    return true;
  }();
  (void)done;
}
}  // namespace

DenseMatrix dense_matrix(std::size_t rows, std::size_t cols, const char* label) {
  return DenseMatrix(std::string(label), rows, cols);
}

void dense_gemv(const char* trans, double alpha, const DenseMatrix& A, ConstHostVector x, double beta, HostVector y) {
  // BLAS as for dense_gemm: a corrected coarse call reads its basis three times (about 3 x 8 M r bytes),
  // and Kokkos-Kernels 3.4's host gemv made a corrected call four times slower than BLAS's on one thread.
  one_blas_thread();
  const bool t = trans[0] == 'T' || trans[0] == 't';
  const int m = static_cast<int>(A.extent(0)), n = static_cast<int>(A.extent(1));
  if (x.extent(0) != static_cast<std::size_t>(t ? m : n) || y.extent(0) != static_cast<std::size_t>(t ? n : m))
    throw std::invalid_argument("dense_gemv: sizes do not match");
  if (y.extent(0) == 0) return;
  if (m == 0 || n == 0) {  // y = beta y
    for (std::size_t i = 0; i < y.extent(0); ++i) y(i) = beta == 0.0 ? 0.0 : beta * y(i);
    return;
  }
  const int lda = std::max(1, m), one = 1;
  dgemv_(trans, &m, &n, &alpha, A.data(), &lda, x.data(), &one, &beta, y.data(), &one);
}

void dense_gemm(const char* ta, const char* tb, double alpha, const DenseMatrix& A, const DenseMatrix& B, double beta,
                const DenseMatrix& C) {
  // BLAS (Debian's, behind LAPACK): Kokkos-Kernels 3.4's host gemm ran these tall-skinny products (5001 x 40
  // by 40 x 27) at a third of BLAS's speed, and they sit on the serial path between fine phase and sweep.
  one_blas_thread();
  const bool tA = ta[0] == 'T' || ta[0] == 't', tB = tb[0] == 'T' || tb[0] == 't';
  const int m = static_cast<int>(C.extent(0)), n = static_cast<int>(C.extent(1));
  const int k = static_cast<int>(tA ? A.extent(0) : A.extent(1));
  if ((tA ? A.extent(1) : A.extent(0)) != C.extent(0) || (tB ? B.extent(0) : B.extent(1)) != C.extent(1) ||
      (tB ? B.extent(1) : B.extent(0)) != static_cast<std::size_t>(k))
    throw std::invalid_argument("dense_gemm: sizes do not match");
  if (m == 0 || n == 0) return;
  if (k == 0) {  // C = beta C
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < m; ++i) C(i, j) = beta == 0.0 ? 0.0 : beta * C(i, j);
    return;
  }
  // Contiguous column-major Views: the leading dimension is the row count as stored.
  const int lda = std::max(1, static_cast<int>(A.extent(0))), ldb = std::max(1, static_cast<int>(B.extent(0))),
            ldc = std::max(1, static_cast<int>(C.extent(0)));
  dgemm_(ta, tb, &m, &n, &k, &alpha, A.data(), &lda, B.data(), &ldb, &beta, C.data(), &ldc);
}

ThinSvd thin_svd(const DenseMatrix& A_in) {
  one_blas_thread();
  const int m = static_cast<int>(A_in.extent(0)), n = static_cast<int>(A_in.extent(1));
  const int q = std::min(m, n);
  ThinSvd r;
  r.s.assign(q, 0.0);
  r.U = dense_matrix(m, q, "pint::svd::U");
  r.Vt = dense_matrix(q, n, "pint::svd::Vt");
  if (q == 0) return r;
  DenseMatrix A = dense_matrix(m, n, "pint::svd::A");  // dgesvd destroys its input
  Kokkos::deep_copy(A, A_in);
  const char job = 'S';
  int lda = std::max(1, m), ldu = std::max(1, m), ldvt = std::max(1, q), info = 0, lwork = -1;
  double query = 0;
  dgesvd_(&job, &job, &m, &n, A.data(), &lda, r.s.data(), r.U.data(), &ldu, r.Vt.data(), &ldvt, &query, &lwork, &info);
  lwork = std::max(1, static_cast<int>(query));
  std::vector<double> work(lwork);
  dgesvd_(&job, &job, &m, &n, A.data(), &lda, r.s.data(), r.U.data(), &ldu, r.Vt.data(), &ldvt, work.data(), &lwork,
          &info);
  if (info != 0) throw std::runtime_error("LAPACK dgesvd failed (info " + std::to_string(info) + ")");
  return r;
}

}  // namespace pint

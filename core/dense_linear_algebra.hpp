#pragma once
/// \file
/// The dense linear algebra of the learned corrections, on the host, through Debian's BLAS and LAPACK
/// (products and the SVD): the sizes are small (M x a few dozen) and on the serial path of Parareal,
/// where Kokkos-Kernels 3.4's host gemv and gemm measured 4 and 3 times slower than BLAS on one thread. Matrices are
/// column-major (LayoutLeft), as LAPACK wants them.

#include <Kokkos_Core.hpp>
#include <vector>

#include "core/vector.hpp"

namespace pint {

using DenseMatrix = Kokkos::View<double**, Kokkos::LayoutLeft, Kokkos::HostSpace>;
using DenseVector = Kokkos::View<double*, Kokkos::LayoutLeft, Kokkos::HostSpace>;

/// A zero-initialised rows x cols matrix.
DenseMatrix dense_matrix(std::size_t rows, std::size_t cols, const char* label);

/// y = alpha op(A) x + beta y with op = "N" or "T" (BLAS dgemv). x and y may be HostVectors.
void dense_gemv(const char* trans, double alpha, const DenseMatrix& A, ConstHostVector x, double beta, HostVector y);
/// C = alpha op(A) op(B) + beta C (BLAS dgemm).
void dense_gemm(const char* ta, const char* tb, double alpha, const DenseMatrix& A, const DenseMatrix& B, double beta,
                const DenseMatrix& C);

/// A = U diag(s) Vt with U (m x q), Vt (q x q), q = min(m, n), s descending (LAPACK dgesvd). Throws
/// std::runtime_error if it does not converge.
struct ThinSvd {
  DenseMatrix U, Vt;
  std::vector<double> s;
};
ThinSvd thin_svd(const DenseMatrix& A);

}  // namespace pint

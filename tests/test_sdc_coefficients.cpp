// SDC coefficients (core/sdc_coefficients.hpp):
//  - collocation nodes, Q and weights against published rules (Gauss-Legendre, Radau IIA / IA, Lobatto IIIA
//    tableaux, closed-form Chebyshev nodes) and against exactness: the weights integrate polynomials to the rule's
//    degree (Gauss 2M-1, Radau 2M-2, Lobatto 2M-3 for Legendre nodes, M-1 for the others) and Q integrates the
//    polynomials of degree < M exactly (Q 1 = tau, Q tau^k = tau^(k+1) / (k+1));
//  - the preconditioners against their defining properties: IE / EE structure, LU's Q_D^-1 Q unit upper triangular,
//    (Q - Q_D)^M ~ 0 for MIN-SR-NS, (I - Q_D^-1 Q)^M ~ 0 and increasing order for MIN-SR-S, and the product over
//    k = 1..M of (I - Q_D,k^-1 Q) ~ 0 for MIN-SR-FLEX, for every node type and M = 2..8 (properties with Q_D^-1 on
//    the non-zero nodes);
//  - MIN-SR-S against closed forms derived by hand for two non-zero nodes and against values computed independently
//    at 40 digits with mpmath by re-running qmat's procedure (no published table was found).
// Measured worst cases are printed ("[ measured ]") so that a drift shows long before a failure.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/sdc_coefficients.hpp"

using namespace pint;

namespace {

using Matrix = std::vector<double>;  // row-major n x n

constexpr double kPi = 3.14159265358979323846;

const SdcQuadrature kQuadratures[] = {SdcQuadrature::gauss, SdcQuadrature::radau_right, SdcQuadrature::radau_left,
                                      SdcQuadrature::lobatto};
const SdcNodeDistribution kDistributions[] = {SdcNodeDistribution::legendre,    SdcNodeDistribution::chebyshev_1,
                                              SdcNodeDistribution::chebyshev_2, SdcNodeDistribution::chebyshev_3,
                                              SdcNodeDistribution::chebyshev_4, SdcNodeDistribution::equidistant};

int fewest_nodes(SdcQuadrature q) {
  return q == SdcQuadrature::radau_left || q == SdcQuadrature::lobatto ? 2 : 1;
}

/// Every supported rule with at least `from` nodes.
std::vector<Collocation> all_rules(int from = 1) {
  std::vector<Collocation> rules;
  for (auto d : kDistributions)
    for (auto q : kQuadratures)
      for (int M = std::max(from, fewest_nodes(q)); M <= kSdcMaxNodes; ++M) rules.push_back(make_collocation(M, q, d));
  return rules;
}

std::string label(const Collocation& c) {
  return std::to_string(c.M) + " " + to_string(c.distribution) + " " + to_string(c.quadrature);
}

Matrix multiply(const Matrix& A, const Matrix& B, int n) {
  Matrix C(std::size_t(n) * n, 0.0);
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < n; ++k)
      for (int j = 0; j < n; ++j) C[i * n + j] += A[i * n + k] * B[k * n + j];
  return C;
}

Matrix identity(int n) {
  Matrix I(std::size_t(n) * n, 0.0);
  for (int i = 0; i < n; ++i) I[i * n + i] = 1.0;
  return I;
}

Matrix power(const Matrix& A, int n, int p) {
  Matrix P = identity(n);
  for (int k = 0; k < p; ++k) P = multiply(P, A, n);
  return P;
}

double norm_inf(const Matrix& A, int n) {
  double m = 0.0;
  for (int i = 0; i < n; ++i) {
    double s = 0.0;
    for (int j = 0; j < n; ++j) s += std::abs(A[i * n + j]);
    m = std::max(m, s);
  }
  return m;
}

/// The number of non-zero nodes and the block of a row-major M x M matrix on them.
int nonzero_count(const Collocation& c) {
  return c.M - (c.starts_at_zero() ? 1 : 0);
}
Matrix nonzero_block(const Collocation& c, const Matrix& A) {
  const int off = c.starts_at_zero() ? 1 : 0, n = c.M - off;
  Matrix B(std::size_t(n) * n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) B[i * n + j] = A[(i + off) * c.M + j + off];
  return B;
}

/// Q_D^-1 Q on the non-zero nodes, for a lower-triangular Q_D (forward substitution, column by column).
Matrix qdelta_inverse_times_q(const Collocation& c, const Matrix& QD) {
  const int n = nonzero_count(c);
  const Matrix D = nonzero_block(c, QD), Q = nonzero_block(c, c.Q);
  Matrix X(std::size_t(n) * n, 0.0);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) {
      double s = Q[i * n + j];
      for (int k = 0; k < i; ++k) s -= D[i * n + k] * X[k * n + j];
      X[i * n + j] = s / D[i * n + i];
    }
  return X;
}

/// The stiff limit I - Q_D^-1 Q on the non-zero nodes.
Matrix stiff_limit(const Collocation& c, const Matrix& QD) {
  const int n = nonzero_count(c);
  Matrix K = qdelta_inverse_times_q(c, QD);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) K[i * n + j] = (i == j ? 1.0 : 0.0) - K[i * n + j];
  return K;
}

/// Round-off in the nilpotency residuals grows about 8-fold per node (M = 8: up to 8e-11 measured for Legendre and
/// Chebyshev nodes); equidistant nodes, whose Lagrange basis grows fastest, get 1000 times more (2e-7 measured).
double nilpotency_tolerance(const Collocation& c) {
  const double tol = 4e-15 * std::pow(8.0, c.M - 2);
  return c.distribution == SdcNodeDistribution::equidistant ? 1000 * tol : tol;
}

/// Polynomial degree the weights integrate exactly.
int exactness_degree(const Collocation& c) {
  if (c.distribution != SdcNodeDistribution::legendre) return c.M - 1;  // interpolatory
  switch (c.quadrature) {
    case SdcQuadrature::gauss:
      return 2 * c.M - 1;
    case SdcQuadrature::radau_right:
    case SdcQuadrature::radau_left:
      return 2 * c.M - 2;
    case SdcQuadrature::lobatto:
      return 2 * c.M - 3;
  }
  return 0;
}

void expect_vector_near(const std::vector<double>& got, const std::vector<double>& want, double tol,
                        const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], tol) << what << " [" << i << "]";
}

}  // namespace

// ---- collocation ----

TEST(SdcCollocation, PublishedLegendreRules) {
  const double s3 = std::sqrt(3.0), s5 = std::sqrt(5.0), s6 = std::sqrt(6.0), s15 = std::sqrt(15.0);
  const double tol = 2e-16 * 8;
  {  // Gauss-Legendre, 2 nodes (Hammer-Hollingsworth tableau)
    const auto c = make_collocation(2, SdcQuadrature::gauss);
    expect_vector_near(c.nodes, {0.5 - s3 / 6, 0.5 + s3 / 6}, tol, "gauss 2 nodes");
    expect_vector_near(c.Q, {0.25, 0.25 - s3 / 6, 0.25 + s3 / 6, 0.25}, tol, "gauss 2 Q");
    expect_vector_near(c.weights, {0.5, 0.5}, tol, "gauss 2 weights");
  }
  {  // Gauss-Legendre, 3 nodes (Kuntzmann-Butcher)
    const auto c = make_collocation(3, SdcQuadrature::gauss);
    expect_vector_near(c.nodes, {0.5 - s15 / 10, 0.5, 0.5 + s15 / 10}, tol, "gauss 3 nodes");
    expect_vector_near(c.weights, {5.0 / 18, 8.0 / 18, 5.0 / 18}, tol, "gauss 3 weights");
  }
  {  // Gauss-Legendre, 8 nodes: the positive nodes on [-1, 1] of Abramowitz & Stegun, Table 25.4
    const double x[] = {0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363};
    std::vector<double> want;
    for (int i = 3; i >= 0; --i) want.push_back(0.5 * (1 - x[i]));
    for (int i = 0; i < 4; ++i) want.push_back(0.5 * (1 + x[i]));
    expect_vector_near(make_collocation(8, SdcQuadrature::gauss).nodes, want, tol, "gauss 8 nodes");
  }
  {  // Radau IIA, 2 and 3 stages (Hairer & Wanner, Solving ODEs II, Table IV.5.5 and 5.6)
    const auto c2 = make_collocation(2, SdcQuadrature::radau_right);
    expect_vector_near(c2.nodes, {1.0 / 3, 1.0}, tol, "radau-right 2 nodes");
    expect_vector_near(c2.Q, {5.0 / 12, -1.0 / 12, 3.0 / 4, 1.0 / 4}, tol, "radau-right 2 Q");
    const auto c3 = make_collocation(3, SdcQuadrature::radau_right);
    expect_vector_near(c3.nodes, {(4 - s6) / 10, (4 + s6) / 10, 1.0}, tol, "radau-right 3 nodes");
    expect_vector_near(c3.Q,
                       {(88 - 7 * s6) / 360, (296 - 169 * s6) / 1800, (-2 + 3 * s6) / 225, (296 + 169 * s6) / 1800,
                        (88 + 7 * s6) / 360, (-2 - 3 * s6) / 225, (16 - s6) / 36, (16 + s6) / 36, 1.0 / 9},
                       tol, "radau-right 3 Q");
    expect_vector_near(c3.weights, {(16 - s6) / 36, (16 + s6) / 36, 1.0 / 9}, tol, "radau-right 3 weights");
  }
  {  // Radau IA nodes and weights (left end point), 3 nodes
    const auto c = make_collocation(3, SdcQuadrature::radau_left);
    expect_vector_near(c.nodes, {0.0, (6 - s6) / 10, (6 + s6) / 10}, tol, "radau-left 3 nodes");
    expect_vector_near(c.weights, {1.0 / 9, (16 + s6) / 36, (16 - s6) / 36}, tol, "radau-left 3 weights");
  }
  {  // Lobatto IIIA, 3 stages; Lobatto nodes and weights, 4 nodes
    const auto c3 = make_collocation(3, SdcQuadrature::lobatto);
    expect_vector_near(c3.nodes, {0.0, 0.5, 1.0}, tol, "lobatto 3 nodes");
    expect_vector_near(c3.Q, {0, 0, 0, 5.0 / 24, 1.0 / 3, -1.0 / 24, 1.0 / 6, 2.0 / 3, 1.0 / 6}, tol, "lobatto 3 Q");
    const auto c4 = make_collocation(4, SdcQuadrature::lobatto);
    expect_vector_near(c4.nodes, {0.0, (5 - s5) / 10, (5 + s5) / 10, 1.0}, tol, "lobatto 4 nodes");
    expect_vector_near(c4.weights, {1.0 / 12, 5.0 / 12, 5.0 / 12, 1.0 / 12}, tol, "lobatto 4 weights");
  }
}

TEST(SdcCollocation, ChebyshevAndEquidistantNodesInClosedForm) {
  // On [-1, 1]: Chebyshev-1 Gauss cos((2i-1) pi / 2M), Lobatto (extrema) cos(i pi / (M-1)), Radau with -1 among
  // them -cos(2 i pi / (2M-1)); Chebyshev-2 Gauss cos(i pi / (M+1)); the zeros of V_M (third kind)
  // cos((i - 1/2) pi / (M + 1/2)) and of W_M (fourth kind) cos(i pi / (M + 1/2)) (Mason & Handscomb, ch. 1-2).
  // tau = (1 + x) / 2, ascending.
  const double tol = 2e-16 * 8;
  for (int M = 1; M <= kSdcMaxNodes; ++M) {
    std::vector<double> g1, g2, g3, g4, eq;
    for (int i = M; i >= 1; --i) {
      g1.push_back(0.5 * (1 + std::cos((2 * i - 1) * kPi / (2 * M))));
      g2.push_back(0.5 * (1 + std::cos(i * kPi / (M + 1))));
      g3.push_back(0.5 * (1 + std::cos((i - 0.5) * kPi / (M + 0.5))));
      g4.push_back(0.5 * (1 + std::cos(i * kPi / (M + 0.5))));
    }
    for (int i = 1; i <= M; ++i) eq.push_back(double(i) / (M + 1));
    const std::string m = " M=" + std::to_string(M);
    expect_vector_near(make_collocation(M, SdcQuadrature::gauss, SdcNodeDistribution::chebyshev_1).nodes, g1, tol,
                       "chebyshev-1 gauss" + m);
    expect_vector_near(make_collocation(M, SdcQuadrature::gauss, SdcNodeDistribution::chebyshev_2).nodes, g2, tol,
                       "chebyshev-2 gauss" + m);
    expect_vector_near(make_collocation(M, SdcQuadrature::gauss, SdcNodeDistribution::chebyshev_3).nodes, g3, tol,
                       "chebyshev-3 gauss" + m);
    expect_vector_near(make_collocation(M, SdcQuadrature::gauss, SdcNodeDistribution::chebyshev_4).nodes, g4, tol,
                       "chebyshev-4 gauss" + m);
    expect_vector_near(make_collocation(M, SdcQuadrature::gauss, SdcNodeDistribution::equidistant).nodes, eq, tol,
                       "equidistant gauss" + m);
    if (M < 2) continue;
    std::vector<double> lob, left, right;
    for (int i = 0; i < M; ++i) {
      lob.push_back(0.5 * (1 - std::cos(i * kPi / (M - 1))));
      left.push_back(0.5 * (1 - std::cos(2 * i * kPi / (2 * M - 1))));
    }
    for (int i = M - 1; i >= 0; --i) right.push_back(0.5 * (1 + std::cos(2 * i * kPi / (2 * M - 1))));
    expect_vector_near(make_collocation(M, SdcQuadrature::lobatto, SdcNodeDistribution::chebyshev_1).nodes, lob, tol,
                       "chebyshev-1 lobatto" + m);
    expect_vector_near(make_collocation(M, SdcQuadrature::radau_left, SdcNodeDistribution::chebyshev_1).nodes, left,
                       tol, "chebyshev-1 radau-left" + m);
    expect_vector_near(make_collocation(M, SdcQuadrature::radau_right, SdcNodeDistribution::chebyshev_1).nodes, right,
                       tol, "chebyshev-1 radau-right" + m);
  }
}

TEST(SdcCollocation, ExactIntegrationOfPolynomials) {
  double worst_weights = 0, worst_Q = 0;
  for (const auto& c : all_rules()) {
    const int M = c.M;
    ASSERT_EQ(int(c.nodes.size()), M);
    for (int i = 1; i < M; ++i) EXPECT_GT(c.nodes[i], c.nodes[i - 1]) << label(c);
    EXPECT_GE(c.nodes.front(), 0.0) << label(c);
    EXPECT_LE(c.nodes.back(), 1.0) << label(c);
    EXPECT_EQ(c.nodes.front() == 0.0, c.starts_at_zero()) << label(c);
    EXPECT_EQ(c.nodes.back() == 1.0,
              c.quadrature == SdcQuadrature::radau_right || c.quadrature == SdcQuadrature::lobatto)
        << label(c);
    // Weights: sum_j b_j tau_j^k = 1 / (k + 1) up to the rule's degree, and (Legendre) not one degree beyond.
    const int degree = exactness_degree(c);
    for (int k = 0; k <= degree + 1; ++k) {
      double s = 0.0;
      for (int j = 0; j < M; ++j) s += c.weights[j] * std::pow(c.nodes[j], k);
      const double err = std::abs(s - 1.0 / (k + 1));
      if (k <= degree) {
        EXPECT_LT(err, 2e-14) << label(c) << ", degree " << k;
        worst_weights = std::max(worst_weights, err);
      } else if (c.distribution == SdcNodeDistribution::legendre) {
        EXPECT_GT(err, 1e-11) << label(c) << " integrates degree " << k << ": not the rule asked for";
      }
    }
    // Q: (Q tau^k)_m = tau_m^(k+1) / (k + 1) for k < M (k = 0: Q 1 = tau); the zero node's row is exactly zero.
    for (int k = 0; k < M; ++k)
      for (int m = 0; m < M; ++m) {
        double s = 0.0;
        for (int j = 0; j < M; ++j) s += c.q(m, j) * std::pow(c.nodes[j], k);
        const double err = std::abs(s - std::pow(c.nodes[m], k + 1) / (k + 1));
        EXPECT_LT(err, 2e-14) << label(c) << ", row " << m << ", degree " << k;
        worst_Q = std::max(worst_Q, err);
      }
    if (c.starts_at_zero()) {
      for (int j = 0; j < M; ++j) EXPECT_EQ(c.q(0, j), 0.0) << label(c);
    }
  }
  std::printf("[ measured ] worst weight error %.1e, worst Q tau^k error %.1e\n", worst_weights, worst_Q);
}

// ---- preconditioners ----

TEST(SdcQdelta, EulerSteps) {
  const auto c = make_collocation(3, SdcQuadrature::radau_right);
  const double t1 = c.nodes[0], t2 = c.nodes[1];
  // Seed 002's matrices: IE has the spacings (tau_0 = 0) on and below the diagonal, EE the next spacing below it.
  expect_vector_near(qdelta(c, "ie"), {t1, 0, 0, t1, t2 - t1, 0, t1, t2 - t1, 1 - t2}, 0.0, "ie");
  expect_vector_near(qdelta(c, "ee"), {0, 0, 0, t2 - t1, 0, 0, t2 - t1, 1 - t2, 0}, 0.0, "ee");
  EXPECT_EQ(qdelta(c, "BE"), qdelta(c, "ie"));  // qmat's names
  EXPECT_EQ(qdelta(c, "FE"), qdelta(c, "ee"));
  for (const auto& r : all_rules(2)) {
    const Matrix ie = qdelta(r, "ie"), ee = qdelta(r, "ee");
    const int M = r.M;
    for (int m = 0; m < M; ++m) {
      double sum_ie = 0, sum_ee = 0;
      for (int j = 0; j < M; ++j) {
        if (j > m) {
          EXPECT_EQ(ie[m * M + j], 0.0) << label(r);
        }
        if (j >= m) {
          EXPECT_EQ(ee[m * M + j], 0.0) << label(r);
        }
        sum_ie += ie[m * M + j];
        sum_ee += ee[m * M + j];
      }
      EXPECT_NEAR(sum_ie, r.nodes[m], 1e-15) << label(r);
      EXPECT_NEAR(sum_ee, r.nodes[m] - r.nodes[0], 1e-15) << label(r);
    }
    if (r.starts_at_zero()) {
      for (int j = 0; j < M; ++j) EXPECT_EQ(ie[j], 0.0) << label(r);
    }
  }
}

TEST(SdcQdelta, LuTrick) {
  {  // Radau IIA, 2 nodes, by hand: Q^T = [[5/12, 3/4], [-1/12, 1/4]] = L U, U = [[5/12, 3/4], [0, 2/5]].
    const auto c = make_collocation(2, SdcQuadrature::radau_right);
    expect_vector_near(qdelta(c, "lu"), {5.0 / 12, 0, 3.0 / 4, 2.0 / 5}, 1e-15, "lu radau-right 2");
  }
  double worst = 0;
  for (const auto& c : all_rules(2)) {
    const int M = c.M, n = nonzero_count(c);
    const Matrix QD = qdelta(c, "lu");
    for (int m = 0; m < M; ++m)
      for (int j = m + 1; j < M; ++j) EXPECT_EQ(QD[m * M + j], 0.0) << label(c);
    // Q^T = L U with L unit lower triangular and Q_D = U^T  <=>  Q_D^-1 Q = L^T unit upper triangular (on the
    // non-zero nodes), which makes the stiff limit I - Q_D^-1 Q strictly upper triangular.
    const Matrix X = qdelta_inverse_times_q(c, QD);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j <= i; ++j) {
        const double err = std::abs(X[i * n + j] - (i == j ? 1.0 : 0.0));
        EXPECT_LT(err, c.distribution == SdcNodeDistribution::equidistant ? 1e-12 : 1e-13) << label(c);
        worst = std::max(worst, err);
      }
    if (c.starts_at_zero())  // zero row; the zero node's column of Q_D is Q's (U's first row is Q^T's)
      for (int j = 0; j < M; ++j) {
        EXPECT_EQ(QD[j], 0.0) << label(c);
        EXPECT_NEAR(QD[j * M], c.q(j, 0), 1e-15) << label(c);
      }
    // qmat factors with scipy.linalg.lu, whose partial pivoting would choose the same pivots (no row swap) for
    // Legendre and Chebyshev nodes, so both give the same U. (For equidistant Gauss and Radau-right nodes from 4 on
    // it would swap rows; pint keeps Weiser's unpivoted factorisation there.)
    if (c.distribution == SdcNodeDistribution::equidistant) continue;
    Matrix A(std::size_t(M) * M);
    for (int i = 0; i < M; ++i)
      for (int j = 0; j < M; ++j) A[i * M + j] = c.q(j, i);
    for (int k = 0; k < M; ++k) {
      for (int i = k + 1; i < M; ++i) EXPECT_GE(std::abs(A[k * M + k]), std::abs(A[i * M + k])) << label(c);
      if (A[k * M + k] == 0.0) continue;
      for (int i = k + 1; i < M; ++i) {
        const double l = A[i * M + k] / A[k * M + k];
        for (int j = k; j < M; ++j) A[i * M + j] -= l * A[k * M + j];
      }
    }
  }
  std::printf("[ measured ] LU: worst deviation of Q_D^-1 Q from unit upper triangular %.1e\n", worst);
}

TEST(SdcQdelta, SimpleDiagonals) {
  for (const auto& name : sdc_qdelta_names())
    EXPECT_EQ(sdc_qdelta_is_diagonal(name), name != "ie" && name != "ee" && name != "lu") << name;
  for (const auto& c : all_rules()) {
    const int M = c.M;
    const Matrix qpar = qdelta(c, "qpar"), iepar = qdelta(c, "iepar"), ns = qdelta(c, "min-sr-ns");
    std::vector<Matrix> flex;
    for (int k = 1; k <= M; ++k) flex.push_back(qdelta(c, "min-sr-flex", k));
    for (int m = 0; m < M; ++m)
      for (int j = 0; j < M; ++j) {
        const bool diag = m == j;
        EXPECT_EQ(qpar[m * M + j], diag ? c.q(m, m) : 0.0) << label(c);
        EXPECT_EQ(iepar[m * M + j], diag ? c.nodes[m] : 0.0) << label(c);
        // The zero node counts in M (qmat: nodes / nodes.size), for MIN-SR-FLEX's k <= M too.
        EXPECT_EQ(ns[m * M + j], diag ? c.nodes[m] / M : 0.0) << label(c);
        for (int k = 1; k <= M; ++k)
          EXPECT_EQ(flex[k - 1][m * M + j], diag ? c.nodes[m] / k : 0.0) << label(c) << ", k=" << k;
      }
  }
}

TEST(SdcQdelta, MinSrNsNilpotentNonStiffLimit) {
  double worst = 0;
  for (const auto& c : all_rules(2)) {
    const int M = c.M;
    Matrix K = c.Q;
    const Matrix QD = qdelta(c, "min-sr-ns");
    for (std::size_t i = 0; i < K.size(); ++i) K[i] -= QD[i];
    const double r = norm_inf(power(K, M, M), M);
    EXPECT_LT(r, nilpotency_tolerance(c)) << label(c);
    if (M == kSdcMaxNodes) worst = std::max(worst, r);
  }
  std::printf("[ measured ] MIN-SR-NS: worst ||(Q - Q_D)^M|| at M = %d: %.1e\n", kSdcMaxNodes, worst);
}

TEST(SdcQdelta, MinSrSNilpotentStiffLimitAndOrdered) {
  double worst_legendre = 0, worst = 0;
  for (const auto& c : all_rules(2)) {
    const std::vector<double> d = min_sr_s_diagonal(c);
    const Matrix QD = qdelta(c, "min-sr-s");
    const int M = c.M, n = nonzero_count(c), off = M - n;
    for (int m = 0; m < M; ++m)
      for (int j = 0; j < M; ++j) EXPECT_EQ(QD[m * M + j], m == j ? d[m] : 0.0) << label(c);
    if (off == 1) {
      EXPECT_EQ(d[0], 0.0) << label(c);  // the zero node's entry
    }
    EXPECT_GT(d[off], 0.0) << label(c);
    for (int m = off + 1; m < M; ++m) EXPECT_GT(d[m], d[m - 1]) << label(c) << ": not increasingly ordered";
    const double r = norm_inf(power(stiff_limit(c, QD), n, n), n);
    EXPECT_LT(r, nilpotency_tolerance(c)) << label(c);
    if (M == kSdcMaxNodes) {
      worst = std::max(worst, r);
      if (c.distribution == SdcNodeDistribution::legendre) worst_legendre = std::max(worst_legendre, r);
    }
  }
  std::printf("[ measured ] MIN-SR-S: worst ||(I - Q_D^-1 Q)^M|| at M = %d: %.1e (Legendre), %.1e (all)\n",
              kSdcMaxNodes, worst_legendre, worst);
}

TEST(SdcQdelta, MinSrFlexNilpotentProduct) {
  double worst_legendre = 0, worst = 0;
  for (const auto& c : all_rules(2)) {
    const int M = c.M, n = nonzero_count(c);
    Matrix P = identity(n);
    for (int k = 1; k <= M; ++k) P = multiply(stiff_limit(c, qdelta(c, "min-sr-flex", k)), P, n);
    const double r = norm_inf(P, n);
    EXPECT_LT(r, nilpotency_tolerance(c)) << label(c);
    if (M == kSdcMaxNodes) {
      worst = std::max(worst, r);
      if (c.distribution == SdcNodeDistribution::legendre) worst_legendre = std::max(worst_legendre, r);
    }
    EXPECT_EQ(qdelta(c, "min-sr-flex", M + 1), qdelta(c, "min-sr-s")) << label(c);
    EXPECT_EQ(qdelta(c, "min-sr-flex", M + 5), qdelta(c, "min-sr-s")) << label(c);
  }
  std::printf("[ measured ] MIN-SR-FLEX: worst ||prod_k (I - Q_D,k^-1 Q)|| at M = %d: %.1e (Legendre), %.1e (all)\n",
              kSdcMaxNodes, worst_legendre, worst);
}

TEST(SdcQdelta, MinSrSValues) {
  const double s3 = std::sqrt(3.0), s6 = std::sqrt(6.0);
  // Two non-zero nodes, by hand: nilpotency of I - D^-1 Q' <=> trace(D^-1 Q') = 2 and det(D^-1 Q') = 1; of the two
  // roots of the resulting quadratic the increasing one.
  expect_vector_near(min_sr_s_diagonal(make_collocation(2, SdcQuadrature::gauss)), {1.0 / 6, 0.5}, 1e-15, "gauss 2");
  expect_vector_near(min_sr_s_diagonal(make_collocation(2, SdcQuadrature::radau_right)), {(4 - s6) / 6, (4 + s6) / 10},
                     1e-15, "radau-right 2");
  expect_vector_near(min_sr_s_diagonal(make_collocation(3, SdcQuadrature::lobatto)), {0.0, (3 - s3) / 6, (3 + s3) / 12},
                     1e-15, "lobatto 3");
  // Computed independently with mpmath at 40 digits: the conditions solved by Newton from qmat's guesses (the
  // power-law continuation over the node count), with nodes and Q of 40 digits. The extended-precision residuals
  // make pint's values agree to round-off (3e-16 measured; double-precision residuals left 1.5e-13 at 8 nodes).
  const double tol = 1e-15;
  expect_vector_near(min_sr_s_diagonal(make_collocation(3, SdcQuadrature::radau_right)),
                     {0.10404994025001670111, 0.33281274542850665328, 0.48129014021009242181}, tol, "radau-right 3");
  expect_vector_near(min_sr_s_diagonal(make_collocation(4, SdcQuadrature::radau_right)),
                     {0.053635876650204697223, 0.18297727526950875824, 0.31493338359264151722, 0.38516735854603858244},
                     tol, "radau-right 4");
  expect_vector_near(min_sr_s_diagonal(make_collocation(4, SdcQuadrature::lobatto)),
                     {0.0, 0.10443338887022183844, 0.24453431351393015723, 0.3263169056637962376}, tol, "lobatto 4");
  expect_vector_near(min_sr_s_diagonal(make_collocation(8, SdcQuadrature::radau_right)),
                     {0.010622041747465433731, 0.037161561260978166602, 0.072380801965965961382, 0.11154444620225970315,
                      0.14979182069028519892, 0.18239956929635992562, 0.2053133782462870474, 0.21558992942063926959},
                     tol, "radau-right 8");
  // A rule with several increasingly ordered solutions (3 Chebyshev-1 Gauss nodes: three): qmat's path picks this.
  expect_vector_near(min_sr_s_diagonal(make_collocation(3, SdcQuadrature::gauss, SdcNodeDistribution::chebyshev_1)),
                     {0.048333808848117024, 0.25159649515775404, 0.42829515760019251}, 1e-15, "chebyshev-1 gauss 3");
}

// ---- names and bad input ----

TEST(SdcCoefficients, NamesAndBadInput) {
  EXPECT_EQ(parse_sdc_quadrature("RADAU-RIGHT"), SdcQuadrature::radau_right);
  EXPECT_EQ(parse_sdc_distribution("CHEBY-1"), SdcNodeDistribution::chebyshev_1);
  EXPECT_EQ(parse_sdc_distribution("equid"), SdcNodeDistribution::equidistant);
  for (auto q : kQuadratures) EXPECT_EQ(parse_sdc_quadrature(to_string(q)), q);
  for (auto d : kDistributions) EXPECT_EQ(parse_sdc_distribution(to_string(d)), d);

  const auto message = [](auto&& f) -> std::string {
    try {
      f();
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "(no std::invalid_argument)";
  };
  const auto has = [](const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  };
  EXPECT_TRUE(has(message([] { make_collocation(0, SdcQuadrature::gauss); }), "supported: 1 to 8"));
  EXPECT_TRUE(has(message([] { make_collocation(9, SdcQuadrature::radau_right); }), "supported: 1 to 8"));
  EXPECT_TRUE(has(message([] { make_collocation(1, SdcQuadrature::lobatto); }), "2 to 8 for radau-left and lobatto"));
  EXPECT_TRUE(
      has(message([] { make_collocation(1, SdcQuadrature::radau_left); }), "2 to 8 for radau-left and lobatto"));
  EXPECT_TRUE(has(message([] { parse_sdc_quadrature("radau"); }), "gauss, radau-right, radau-left, lobatto"));
  EXPECT_TRUE(has(message([] { parse_sdc_distribution("hermite"); }),
                  "legendre, chebyshev-1, chebyshev-2, chebyshev-3, chebyshev-4, equidistant"));
  const auto c = make_collocation(4, SdcQuadrature::radau_right);
  EXPECT_TRUE(has(message([&] { qdelta(c, "min-sr"); }), "ie, ee, lu, qpar, iepar, min-sr-ns, min-sr-s, min-sr-flex"));
  EXPECT_TRUE(has(message([&] { sdc_qdelta_is_diagonal("gs"); }), "supported:"));
  EXPECT_TRUE(has(message([&] { qdelta(c, "min-sr-flex", 0); }), "sweeps count from 1"));
  EXPECT_TRUE(has(message([&] { qdelta(c, "ie", -1); }), "sweeps count from 1"));
}

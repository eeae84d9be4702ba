#pragma once
/// \file
/// Coefficients of spectral deferred corrections (SDC), computed by pint: collocation nodes, the collocation matrix Q
/// and its weights, and the preconditioners Q_D of the sweep
///
///   Y^(k+1) - dt Q_D F(Y^(k+1)) = Y0 + dt (Q - Q_D) F(Y^k).
///
/// Conventions (those of the qmat library, github.com/Parallel-in-Time/qmat, read in qmat/nodes.py,
/// qmat/qcoeff/collocation.py, qmat/qdelta/{timestepping,algebraic,min}.py and its tests):
/// - nodes tau_1 < ... < tau_M lie in [0, 1]; Q[m, j] = integral from 0 to tau_m of the j-th Lagrange polynomial of
///   the nodes, weights b_j = its integral over [0, 1]. Matrices are row-major M x M vectors, Q[m * M + j].
///   Nodes, Q and weights are round-off accurate (qmat rounds its nodes to 14 decimals; pint does not).
/// - quadrature types: gauss (interior nodes only), radau-right (contains tau = 1), radau-left (contains tau = 0),
///   lobatto (contains both); radau-left and lobatto need M >= 2.
/// - node distributions: the nodes of the Gauss, Gauss-Radau or Gauss-Lobatto rule of the weight function of
///   Legendre (1), Chebyshev of the first to fourth kind ((1-x^2)^(-1/2), (1-x^2)^(1/2), ((1+x)/(1-x))^(1/2),
///   ((1-x)/(1+x))^(1/2)) on [-1, 1], mapped to [0, 1]; or equidistant nodes. Every combination is defined.
///   Chebyshev-1 Gauss nodes are the classical (1 + cos((2i-1) pi / 2M)) / 2; its Lobatto nodes are the Chebyshev
///   extrema (1 + cos(i pi / (M-1))) / 2.
/// - node sets containing 0 (lobatto, radau-left): the value there is the start value; the rows of Q and of every
///   Q_D at that node are zero, and the diagonal of MIN-SR-S is computed on the non-zero nodes (qmat's rule).
#include <cstddef>
#include <string>
#include <vector>

namespace pint {

enum class SdcQuadrature { gauss, radau_right, radau_left, lobatto };
enum class SdcNodeDistribution { legendre, chebyshev_1, chebyshev_2, chebyshev_3, chebyshev_4, equidistant };

/// Supported numbers of nodes: 1 .. kSdcMaxNodes (2 .. kSdcMaxNodes for radau-left and lobatto). The coefficients
/// are round-off accurate and MIN-SR-S is solved for every node type in this range.
inline constexpr int kSdcMaxNodes = 8;

/// Names: "gauss", "radau-right", "radau-left", "lobatto" (case-insensitive). Throws std::invalid_argument listing
/// them for anything else.
SdcQuadrature parse_sdc_quadrature(const std::string& name);
/// Names: "legendre", "chebyshev-1" .. "chebyshev-4", "equidistant" (case-insensitive; qmat's "cheby-1" .. "cheby-4"
/// and "equid" are accepted too). Throws std::invalid_argument listing them for anything else.
SdcNodeDistribution parse_sdc_distribution(const std::string& name);
std::string to_string(SdcQuadrature quadrature);
std::string to_string(SdcNodeDistribution distribution);

/// The preconditioner names qdelta() accepts (canonical spellings):
///   "ie"          implicit Euler, Q_D[m, j] = tau_j - tau_(j-1) for j <= m (tau_0 := 0); qmat "BE"/"IE"
///   "ee"          explicit Euler, Q_D[m, j] = tau_(j+1) - tau_j for j < m (strictly lower); qmat "FE"/"EE"
///                 (offered for every rule, as in qmat; the step from 0 to tau_1 is not in Q_D: qmat's dTau = tau_1,
///                 an explicit start step the caller takes where tau_1 > 0)
///   "lu"          Weiser's LU trick, Q_D = U^T for Q^T = L U (L unit lower triangular, no pivoting)
///                 (qmat factors with scipy.linalg.lu, whose partial pivoting swaps no rows for Legendre and
///                 Chebyshev nodes, but does for equidistant gauss and radau-right nodes from M = 4 on)
///   "qpar"        diag(Q)
///   "iepar"       diag(tau)
///   "min-sr-ns"   diag(tau) / M, M the number of nodes (zero node included, as in qmat)
///   "min-sr-s"    the diagonal making I - Q_D^-1 Q nilpotent (on the non-zero nodes), increasingly ordered
///   "min-sr-flex" diag(tau) / k at sweep k <= M, MIN-SR-S after
std::vector<std::string> sdc_qdelta_names();
/// The canonical spelling of a preconditioner name or alias (qmat's "BE" -> "ie"); throws listing the names.
std::string sdc_canonical_qdelta(const std::string& name);
/// Whether the named preconditioner is diagonal (its node solves are independent). Throws for unknown names.
bool sdc_qdelta_is_diagonal(const std::string& name);

struct Collocation {
  int M = 0;
  SdcQuadrature quadrature = SdcQuadrature::radau_right;
  SdcNodeDistribution distribution = SdcNodeDistribution::legendre;
  std::vector<double> nodes;    ///< tau_1 < ... < tau_M in [0, 1]
  std::vector<double> weights;  ///< b_j, sum b_j = 1
  std::vector<double> Q;        ///< row-major M x M
  double q(int m, int j) const { return Q[static_cast<std::size_t>(m * M + j)]; }
  /// Whether tau_1 = 0 (radau-left, lobatto): then row 0 of Q and of every Q_D is zero.
  bool starts_at_zero() const {
    return quadrature == SdcQuadrature::radau_left || quadrature == SdcQuadrature::lobatto;
  }
};

/// The collocation rule with M nodes. Throws std::invalid_argument for M outside the supported range.
Collocation make_collocation(int M, SdcQuadrature quadrature,
                             SdcNodeDistribution distribution = SdcNodeDistribution::legendre);

/// Q_D (row-major M x M) of the named preconditioner for sweep k = sweep >= 1 (only "min-sr-flex" depends on it).
/// Throws std::invalid_argument for an unknown name or sweep < 1, std::runtime_error if MIN-SR-S cannot be solved
/// (not the case for any supported rule: the tests solve all of them).
std::vector<double> qdelta(const Collocation& coll, const std::string& name, int sweep = 1);

/// The MIN-SR-S diagonal (M values, 0 at a zero node). Solved as described in sdc_coefficients.cpp.
std::vector<double> min_sr_s_diagonal(const Collocation& coll);

}  // namespace pint

#include "core/sdc_coefficients.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>
#include <tuple>
#include <utility>

extern "C" {
void dstev_(const char* jobz, const int* n, double* d, double* e, double* z, const int* ldz, double* work, int* info);
}

namespace pint {

namespace {

// ---- small dense helpers (n <= kSdcMaxNodes) ----

/// Determinant by Gaussian elimination with partial pivoting, in extended precision (long double: a 64-bit mantissa
/// on x86-64 Linux, quad precision on aarch64 Linux). The MIN-SR-S residuals det(...) - 1 are then accurate beyond
/// double, and the solved coefficients round-off accurate: at 8 Radau-right nodes they agree with 40-digit values to
/// 3e-16 (1.5e-13 with double residuals) and ||(I - Q_D^-1 Q)^8|| is 2e-12 (3e-9). a is destroyed.
long double determinant(std::vector<long double>& a, int n) {
  long double det = 1.0L;
  for (int k = 0; k < n; ++k) {
    int p = k;
    for (int i = k + 1; i < n; ++i)
      if (std::fabs(a[i * n + k]) > std::fabs(a[p * n + k])) p = i;
    if (a[p * n + k] == 0.0L) return 0.0L;
    if (p != k) {
      for (int j = 0; j < n; ++j) std::swap(a[k * n + j], a[p * n + j]);
      det = -det;
    }
    det *= a[k * n + k];
    for (int i = k + 1; i < n; ++i) {
      const long double l = a[i * n + k] / a[k * n + k];
      for (int j = k + 1; j < n; ++j) a[i * n + j] -= l * a[k * n + j];
    }
  }
  return det;
}

/// Solves A x = b (A n x n row-major, destroyed) with partial pivoting; false if A is singular.
bool solve_dense(std::vector<double>& a, std::vector<double>& b, int n) {
  for (int k = 0; k < n; ++k) {
    int p = k;
    for (int i = k + 1; i < n; ++i)
      if (std::abs(a[i * n + k]) > std::abs(a[p * n + k])) p = i;
    if (a[p * n + k] == 0.0 || !std::isfinite(a[p * n + k])) return false;
    if (p != k) {
      for (int j = 0; j < n; ++j) std::swap(a[k * n + j], a[p * n + j]);
      std::swap(b[k], b[p]);
    }
    for (int i = k + 1; i < n; ++i) {
      const double l = a[i * n + k] / a[k * n + k];
      for (int j = k + 1; j < n; ++j) a[i * n + j] -= l * a[k * n + j];
      b[i] -= l * b[k];
    }
  }
  for (int k = n - 1; k >= 0; --k) {
    double s = b[k];
    for (int j = k + 1; j < n; ++j) s -= a[k * n + j] * b[j];
    b[k] = s / a[k * n + k];
  }
  return true;
}

// ---- nodes ----

/// Three-term recurrence pi_(k+1)(x) = (x - alpha_k) pi_k(x) - beta_k pi_(k-1)(x) of the monic orthogonal
/// polynomials of a weight on [-1, 1]; beta_0 is the weight's integral. Published closed forms (e.g. W. Gautschi,
/// "Orthogonal Polynomials: Computation and Approximation", 2004, ch. 1; J. C. Mason & D. C. Handscomb, "Chebyshev
/// Polynomials", 2003, for the third and fourth kind).
struct Recurrence {
  std::vector<double> alpha, beta;
};

Recurrence recurrence(SdcNodeDistribution dist, int n) {
  const double pi = std::acos(-1.0);
  Recurrence r{std::vector<double>(n, 0.0), std::vector<double>(n, 0.25)};
  switch (dist) {
    case SdcNodeDistribution::legendre:
      r.beta[0] = 2.0;
      for (int k = 1; k < n; ++k) r.beta[k] = double(k) * k / (4.0 * k * k - 1.0);
      break;
    case SdcNodeDistribution::chebyshev_1:  // T_k, weight (1 - x^2)^(-1/2)
      r.beta[0] = pi;
      if (n > 1) r.beta[1] = 0.5;
      break;
    case SdcNodeDistribution::chebyshev_2:  // U_k, weight (1 - x^2)^(1/2)
      r.beta[0] = pi / 2;
      break;
    case SdcNodeDistribution::chebyshev_3:  // V_k, weight ((1 + x) / (1 - x))^(1/2)
      r.alpha[0] = 0.5;
      r.beta[0] = pi;
      break;
    case SdcNodeDistribution::chebyshev_4:  // W_k, weight ((1 - x) / (1 + x))^(1/2)
      r.alpha[0] = -0.5;
      r.beta[0] = pi;
      break;
    case SdcNodeDistribution::equidistant:
      throw std::logic_error("equidistant nodes have no recurrence");
  }
  return r;
}

/// (pi_n(x), pi_(n-1)(x)) from the first n recurrence coefficients.
std::pair<double, double> monic_pair(double x, const Recurrence& r, int n) {
  double prev = 0.0, cur = 1.0;
  for (int k = 0; k < n; ++k) {
    const double next = (x - r.alpha[k]) * cur - (k > 0 ? r.beta[k] * prev : 0.0);
    prev = cur;
    cur = next;
  }
  return {cur, prev};
}

/// Eigenvalues (ascending) and, if wanted, first eigenvector components of the symmetric tridiagonal matrix with
/// diagonal alpha and off-diagonal sqrt(beta_1 .. beta_(n-1)) (LAPACK dstev).
std::vector<double> jacobi_eigen(const Recurrence& r, int n, std::vector<double>* first_components) {
  std::vector<double> d(r.alpha.begin(), r.alpha.begin() + n), e(std::max(n - 1, 1), 0.0);
  for (int k = 1; k < n; ++k) e[k - 1] = std::sqrt(r.beta[k]);
  const char jobz = first_components ? 'V' : 'N';
  std::vector<double> z(first_components ? std::size_t(n) * n : 1), work(std::max(2 * n - 2, 1));
  int info = 0;
  const int ldz = first_components ? n : 1;
  dstev_(&jobz, &n, d.data(), e.data(), z.data(), &ldz, work.data(), &info);
  if (info != 0) throw std::runtime_error("SDC nodes: LAPACK dstev failed (info " + std::to_string(info) + ")");
  if (first_components) {
    first_components->resize(n);
    for (int i = 0; i < n; ++i) (*first_components)[i] = z[std::size_t(i) * n];  // column-major: z(0, i)
  }
  return d;
}

/// Gauss-Legendre rule with n points on [-1, 1] (Golub-Welsch): for the integrals of the Lagrange polynomials.
void gauss_legendre(int n, std::vector<double>& x, std::vector<double>& w) {
  const Recurrence r = recurrence(SdcNodeDistribution::legendre, n);
  std::vector<double> v;
  x = jacobi_eigen(r, n, &v);
  w.resize(n);
  for (int i = 0; i < n; ++i) w[i] = r.beta[0] * v[i] * v[i];
}

/// Nodes on [-1, 1] of the Gauss, Gauss-Radau or Gauss-Lobatto rule of the distribution's weight (Golub-Welsch with
/// Golub's modification of the last recurrence coefficients, G. H. Golub, SIAM Review 15 (1973) 318-334: the
/// modified Jacobi matrix has the fixed end points among its eigenvalues). The fixed end points are then set
/// exactly, as qmat does.
std::vector<double> reference_nodes(int M, SdcQuadrature quad, SdcNodeDistribution dist) {
  std::vector<double> x(M);
  if (dist == SdcNodeDistribution::equidistant) {
    // qmat: linspace(-1, 1, M + 2) without its ends (gauss), linspace(-1, 1, M) (lobatto), linspace(-1, 1, M + 1)
    // without its first (radau-right) or last (radau-left) point.
    for (int i = 0; i < M; ++i) {
      switch (quad) {
        case SdcQuadrature::gauss:
          x[i] = -1.0 + 2.0 * (i + 1) / (M + 1);
          break;
        case SdcQuadrature::lobatto:
          x[i] = -1.0 + 2.0 * i / (M - 1);
          break;
        case SdcQuadrature::radau_right:
          x[i] = -1.0 + 2.0 * (i + 1) / M;
          break;
        case SdcQuadrature::radau_left:
          x[i] = -1.0 + 2.0 * i / M;
          break;
      }
    }
    return x;
  }
  Recurrence r = recurrence(dist, M);
  const int n = M;
  if (quad == SdcQuadrature::radau_right || quad == SdcQuadrature::radau_left) {
    const double a = quad == SdcQuadrature::radau_right ? 1.0 : -1.0;
    const auto [p1, p2] = monic_pair(a, r, n - 1);  // pi_(n-1)(a), pi_(n-2)(a)
    r.alpha[n - 1] = a - (n > 1 ? r.beta[n - 1] * p2 / p1 : 0.0);
  } else if (quad == SdcQuadrature::lobatto) {
    // alpha' pi_(n-1)(c) + beta' pi_(n-2)(c) = c pi_(n-1)(c) at c = -1 and c = 1.
    const auto [pa1, pa2] = monic_pair(-1.0, r, n - 1);
    const auto [pb1, pb2] = monic_pair(1.0, r, n - 1);
    const double det = pa1 * pb2 - pa2 * pb1;
    r.alpha[n - 1] = (-pa1 * pb2 - pa2 * pb1) / det;
    r.beta[n - 1] = 2.0 * pa1 * pb1 / det;
  }
  x = jacobi_eigen(r, n, nullptr);
  if (quad == SdcQuadrature::radau_right || quad == SdcQuadrature::lobatto) x[M - 1] = 1.0;
  if (quad == SdcQuadrature::radau_left || quad == SdcQuadrature::lobatto) x[0] = -1.0;
  return x;
}

void check_nodes(int M, SdcQuadrature quad) {
  const int fewest = (quad == SdcQuadrature::radau_left || quad == SdcQuadrature::lobatto) ? 2 : 1;
  if (M < fewest || M > kSdcMaxNodes) {
    const std::string most = std::to_string(kSdcMaxNodes);
    throw std::invalid_argument("SDC: " + std::to_string(M) + " " + to_string(quad) +
                                " nodes not supported; supported: 1 to " + most +
                                " nodes for gauss and radau-right, 2 to " + most + " for radau-left and lobatto");
  }
}

// ---- MIN-SR-S ----

/// The stiff-limit conditions of seed 002 / Caklovic et al. (SISC 2025, arXiv 2403.18641), on the n non-zero nodes
/// z_i with the matching n x n block Qr of Q, in the unknowns e = 1 / d:
///   F_i(e) = det((1 - z_i) I + z_i diag(e) Qr) - 1 = 0,  i = 1..n.
/// det((1 - t) I + t A) = prod_k (1 + t (lambda_k - 1)) is a polynomial of degree n in t equal to 1 at t = 0; being
/// 1 at n further distinct t as well makes it 1 identically, so every eigenvalue of A = diag(e) Qr is 1 and
/// I - diag(d)^-1 Qr is nilpotent. Each F_i is affine in every e_k (e_k scales row k), so the Jacobian is exact:
/// dF_i/de_k = det of the same matrix with row k replaced by z_i Qr[k, :].
class StiffConditions {
 public:
  StiffConditions(std::vector<double> Qr, std::vector<double> z)
      : Qr_(std::move(Qr)), z_(std::move(z)), n_(int(z_.size())) {}

  /// Returns max |F_i(e)|; fills F and, if J is given, the Jacobian (row-major).
  double evaluate(const std::vector<double>& e, std::vector<double>& F, std::vector<double>* J) const {
    const int n = n_;
    std::vector<long double> K(std::size_t(n) * n), work;
    F.assign(n, 0.0);
    if (J) J->assign(std::size_t(n) * n, 0.0);
    double norm = 0.0;
    for (int i = 0; i < n; ++i) {
      const double t = z_[i];
      for (int r = 0; r < n; ++r)
        for (int c = 0; c < n; ++c)
          K[r * n + c] = (r == c ? 1.0L - t : 0.0L) + static_cast<long double>(t) * e[r] * Qr_[r * n + c];
      work = K;
      F[i] = static_cast<double>(determinant(work, n) - 1.0L);
      norm = std::max(norm, std::abs(F[i]));
      if (J) {
        for (int k = 0; k < n; ++k) {
          work = K;
          for (int c = 0; c < n; ++c) work[k * n + c] = static_cast<long double>(t) * Qr_[k * n + c];
          (*J)[i * n + k] = static_cast<double>(determinant(work, n));
        }
      }
    }
    return std::isfinite(norm) ? norm : HUGE_VAL;
  }

  /// Damped Newton in e from d (replaced by the solution). True if it converges (max |F| <= kTolerance); it
  /// iterates until round-off stops max |F| from decreasing.
  bool solve(std::vector<double>& d) const {
    const int n = n_;
    std::vector<double> e(n), F, J, Fn, step, trial(n);
    for (int k = 0; k < n; ++k) {
      if (d[k] == 0.0 || !std::isfinite(d[k])) return false;
      e[k] = 1.0 / d[k];
    }
    double norm = evaluate(e, F, &J);
    for (int it = 0; it < 100 && norm > 0.0; ++it) {
      step.assign(F.begin(), F.end());
      for (double& s : step) s = -s;
      if (!solve_dense(J, step, n)) break;
      // Backtracking on max |F|; stop where round-off keeps it from decreasing.
      bool accepted = false;
      for (double lambda = 1.0; lambda >= 1.0 / 1024; lambda /= 2) {
        for (int k = 0; k < n; ++k) trial[k] = e[k] + lambda * step[k];
        const double trial_norm = evaluate(trial, Fn, nullptr);
        if (trial_norm < (1.0 - 1e-4 * lambda) * norm) {
          e = trial;
          norm = trial_norm;
          accepted = true;
          break;
        }
      }
      if (!accepted) break;
      norm = evaluate(e, F, &J);
    }
    if (!(norm <= kTolerance)) return false;
    for (int k = 0; k < n; ++k) d[k] = 1.0 / e[k];
    return true;
  }

  // At the root the extended-precision residuals are about 1e-18; away from one they are O(1).
  static constexpr double kTolerance = 1e-12;

 private:
  std::vector<double> Qr_, z_;
  int n_;
};

bool increasing(const std::vector<double>& d) {
  for (std::size_t k = 1; k < d.size(); ++k)
    if (!(d[k] > d[k - 1])) return false;
  return true;
}

/// Least-squares fit c ~ a z^b, minimising sum (a z_i^b - c_i)^2 as qmat does (with Nelder-Mead) to guess the next
/// node count's coefficients. For fixed b the best a is sum c z^b / sum z^2b, which leaves a one-dimensional
/// minimisation over b, done by golden-section search around the log-linear fit's b.
std::pair<double, double> power_law_fit(const std::vector<double>& z, const std::vector<double>& c) {
  const std::size_t n = z.size();
  bool positive = true;
  for (std::size_t i = 0; i < n; ++i) positive = positive && z[i] > 0 && c[i] > 0;
  if (!positive) return {1.0, 1.0};
  if (n == 1) return {c[0] / z[0], 1.0};  // qmat's search starts at (1, 1), which then fits exactly
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mx += std::log(z[i]) / n;
    my += std::log(c[i]) / n;
  }
  double sxy = 0, sxx = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sxy += (std::log(z[i]) - mx) * (std::log(c[i]) - my);
    sxx += (std::log(z[i]) - mx) * (std::log(z[i]) - mx);
  }
  const double b_log = sxx > 0 ? sxy / sxx : 1.0;
  const auto best_a = [&](double b) {
    double num = 0, den = 0;
    for (std::size_t i = 0; i < n; ++i) {
      num += c[i] * std::pow(z[i], b);
      den += std::pow(z[i], 2 * b);
    }
    return num / den;
  };
  const auto misfit = [&](double b) {
    const double a = best_a(b);
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) s += (a * std::pow(z[i], b) - c[i]) * (a * std::pow(z[i], b) - c[i]);
    return s;
  };
  const double g = 0.5 * (std::sqrt(5.0) - 1.0);
  double lo = b_log - 1.0, hi = b_log + 1.0;
  double x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo), f1 = misfit(x1), f2 = misfit(x2);
  while (hi - lo > 1e-10) {
    if (f1 < f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - g * (hi - lo);
      f1 = misfit(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + g * (hi - lo);
      f2 = misfit(x2);
    }
  }
  const double b = 0.5 * (lo + hi);
  return {best_a(b), b};
}

}  // namespace

Collocation make_collocation(int M, SdcQuadrature quadrature, SdcNodeDistribution distribution) {
  check_nodes(M, quadrature);
  Collocation c;
  c.M = M;
  c.quadrature = quadrature;
  c.distribution = distribution;
  const std::vector<double> x = reference_nodes(M, quadrature, distribution);
  c.nodes.resize(M);
  for (int i = 0; i < M; ++i) c.nodes[i] = 0.5 * (1.0 + x[i]);
  if (c.starts_at_zero()) c.nodes[0] = 0.0;

  // Lagrange polynomial l_j(s) = prod_(k != j) (s - tau_k) / (tau_j - tau_k), evaluated in product form (round-off
  // accurate for these few nodes), integrated by an M-point Gauss-Legendre rule (exact to degree 2M - 1 >= M - 1).
  std::vector<double> denom(M, 1.0);
  for (int j = 0; j < M; ++j)
    for (int k = 0; k < M; ++k)
      if (k != j) denom[j] *= c.nodes[j] - c.nodes[k];
  const auto lagrange = [&](int j, double s) {
    double p = 1.0;
    for (int k = 0; k < M; ++k)
      if (k != j) p *= s - c.nodes[k];
    return p / denom[j];
  };
  std::vector<double> gx, gw;
  gauss_legendre(M, gx, gw);
  const auto integral = [&](int j, double upper) {  // integral from 0 to upper of l_j
    double s = 0.0;
    for (int q = 0; q < M; ++q) s += gw[q] * lagrange(j, 0.5 * upper * (1.0 + gx[q]));
    return 0.5 * upper * s;
  };
  c.Q.assign(std::size_t(M) * M, 0.0);
  c.weights.assign(M, 0.0);
  for (int j = 0; j < M; ++j) {
    for (int m = 0; m < M; ++m) c.Q[m * M + j] = integral(j, c.nodes[m]);
    c.weights[j] = integral(j, 1.0);
  }
  return c;
}

std::vector<double> min_sr_s_diagonal(const Collocation& coll) {
  // qmat (qmat/qdelta/min.py, MIN_SR_S) solves the conditions for m = 1 (2 with a zero node) .. M nodes in turn,
  // each from the power law a tau^b / m least-squares fitted to the previous m's coefficients times m (from tau / m
  // at first), with scipy's fsolve; we follow the same path with the damped Newton method above. The conditions have
  // many real solutions (3000 random starts found 2, 4, 8, 12 and 18 for 2 to 6 Gauss-Legendre nodes). This path
  // ends at an increasingly ordered one for every supported rule (the tests check all of them). For Legendre nodes the
  // random starts found no other increasingly ordered solution; for some Chebyshev and equidistant rules they found
  // several (3 for 3 Chebyshev-1 Gauss nodes), and the path picks the one qmat's path picks (an independent 30-digit
  // re-run of qmat's procedure agreed on each of those we checked). A path ending at an unordered solution is
  // reported as an error, not replaced by another choice.
  const bool zero = coll.starts_at_zero();
  const int off = zero ? 1 : 0;
  std::vector<double> d;
  double a = 1, b = 1;
  bool have_fit = false;
  for (int m = 1 + off; m <= coll.M; ++m) {
    const Collocation c = m == coll.M ? coll : make_collocation(m, coll.quadrature, coll.distribution);
    const int n = m - off;
    const std::vector<double> z(c.nodes.begin() + off, c.nodes.end());
    std::vector<double> Qr(std::size_t(n) * n);
    for (int r = 0; r < n; ++r)
      for (int k = 0; k < n; ++k) Qr[r * n + k] = c.q(r + off, k + off);
    if (n == 1) {
      d = {Qr[0]};  // 1 - q / d = 0
    } else {
      d.resize(n);
      for (int i = 0; i < n; ++i) d[i] = have_fit ? a * std::pow(z[i], b) / m : z[i] / m;
      if (!StiffConditions(Qr, z).solve(d) || !increasing(d))
        throw std::runtime_error("MIN-SR-S: no increasingly ordered solution found for " + std::to_string(m) + " " +
                                 to_string(coll.distribution) + " " + to_string(coll.quadrature) + " nodes");
    }
    if (m > 1) {
      std::vector<double> scaled(d);
      for (double& v : scaled) v *= m;
      std::tie(a, b) = power_law_fit(z, scaled);
      have_fit = true;
    }
  }
  if (zero) d.insert(d.begin(), 0.0);
  return d;
}

std::vector<double> qdelta(const Collocation& coll, const std::string& name, int sweep) {
  const std::string q = sdc_canonical_qdelta(name);
  if (sweep < 1)
    throw std::invalid_argument("SDC preconditioner '" + name + "': sweep " + std::to_string(sweep) +
                                " not supported; sweeps count from 1");
  const int M = coll.M;
  const std::vector<double>& tau = coll.nodes;
  std::vector<double> QD(std::size_t(M) * M, 0.0);
  const auto set_diagonal = [&](const std::vector<double>& diag) {
    for (int m = 0; m < M; ++m) QD[m * M + m] = diag[m];
  };
  // Node spacings as in qmat's TimeStepping: delta_0 = tau_0 - 0, delta_j = tau_j - tau_(j-1).
  std::vector<double> delta(M);
  for (int j = 0; j < M; ++j) delta[j] = tau[j] - (j ? tau[j - 1] : 0.0);
  if (q == "ie") {
    for (int m = 0; m < M; ++m)
      for (int j = 0; j <= m; ++j) QD[m * M + j] = delta[j];
  } else if (q == "ee") {
    // Strictly lower: row m sums to tau_m - tau_0. The step from 0 to tau_0 is not part of Q_D (qmat adds it as
    // the explicit start step, its dTau = tau_0); nothing is left out where tau_0 = 0.
    for (int m = 0; m < M; ++m)
      for (int j = 0; j < m; ++j) QD[m * M + j] = delta[j + 1];
  } else if (q == "lu") {
    // Doolittle elimination of A = Q^T without pivoting; Q_D = U^T. A zero pivot with a zero column below it (the
    // zero node's column of Q^T) is skipped, as LAPACK's getrf does; qmat uses scipy.linalg.lu(Q.T), whose partial
    // pivoting swaps no rows for these matrices (checked in the tests).
    std::vector<double> A(std::size_t(M) * M);
    for (int r = 0; r < M; ++r)
      for (int k = 0; k < M; ++k) A[r * M + k] = coll.q(k, r);
    for (int k = 0; k < M; ++k) {
      const double pivot = A[k * M + k];
      for (int i = k + 1; i < M; ++i) {
        if (pivot == 0.0) {
          if (A[i * M + k] != 0.0) throw std::runtime_error("SDC LU preconditioner: zero pivot without pivoting");
          continue;
        }
        const double l = A[i * M + k] / pivot;
        for (int j = k; j < M; ++j) A[i * M + j] -= l * A[k * M + j];
      }
    }
    for (int m = 0; m < M; ++m)
      for (int j = 0; j <= m; ++j) QD[m * M + j] = A[j * M + m];
  } else if (q == "qpar") {
    for (int m = 0; m < M; ++m) QD[m * M + m] = coll.q(m, m);
  } else if (q == "iepar") {
    set_diagonal(tau);
  } else if (q == "min-sr-ns" || (q == "min-sr-flex" && sweep <= M)) {
    // qmat: diag(nodes) / nodes.size for MIN-SR-NS, diag(nodes) / k for MIN-SR-FLEX at k <= nodes.size, the zero
    // node counted in both: Q - diag(tau) / M maps t^k to (1/(k+1) - 1/M) t^(k+1) on the polynomials of degree < M,
    // so it is nilpotent on all M nodes.
    const double divisor = q == "min-sr-ns" ? M : sweep;
    for (int m = 0; m < M; ++m) QD[m * M + m] = tau[m] / divisor;
  } else {  // min-sr-s, min-sr-flex after M sweeps
    set_diagonal(min_sr_s_diagonal(coll));
  }
  return QD;
}

}  // namespace pint

#include "models/explicit_stability.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

extern "C" {
// LAPACK: selected eigenvalues of a symmetric tridiagonal matrix by bisection (Fortran interface;
// the two trailing arguments are the lengths of the character arguments).
void dstebz_(const char* range, const char* order, const int* n, const double* vl, const double* vu, const int* il,
             const int* iu, const double* abstol, const double* d, const double* e, int* m, int* nsplit, double* w,
             int* iblock, int* isplit, double* work, int* iwork, int* info, std::size_t range_len,
             std::size_t order_len);
}

namespace pint {

DecayRate largest_decay_rate(const Problem& problem) {
  const std::vector<StabilityOperator> parts = problem.stability_operators(problem.initial_state().values);
  // The rates of the parts add up: exactly for a Kronecker sum (a 2-D Laplacian's directions), as a bound
  // (Weyl) for any sum of symmetric parts.
  DecayRate total{0.0, !parts.empty()};
  for (const StabilityOperator& p : parts) {
    const DecayRate r = largest_decay_rate(p.op, p.dirichlet_ends);
    total.rate += r.rate;
    total.exact = total.exact && r.exact;
  }
  return total;
}

DecayRate largest_decay_rate(const Tridiagonal& op, bool dirichlet_ends) {
  const std::size_t n = op.size();
  // Prescribed (Dirichlet) end values are not unknowns of the time integration: drop their rows.
  const std::size_t first = dirichlet_ends ? 1 : 0;
  const std::size_t last = dirichlet_ends ? n - 1 : n;  // exclusive
  if (last <= first) return {0.0, true};
  const int m = static_cast<int>(last - first);
  std::vector<double> d(m), e(std::max(1, m - 1));
  bool symmetrizable = true;
  for (int j = 0; j < m; ++j) {
    d[j] = op.diag[first + j];
    if (j + 1 < m) {
      const double p = op.upper[first + j] * op.lower[first + j + 1];
      if (p < 0) symmetrizable = false;
      e[j] = std::sqrt(std::max(0.0, p));
    }
  }
  if (symmetrizable) {
    // D^-1 L D with D = diag(prod sqrt(u/l)) is symmetric with off-diagonals sqrt(u_j l_{j+1}).
    const char range = 'I', order = 'E';
    const int il = 1, iu = 1;
    const double vl = 0, vu = 0, abstol = 0;  // abstol 0: dstebz's default, eps times |T|
    int found = 0, nsplit = 0, info = 0;
    std::vector<double> w(m), work(4 * m);
    std::vector<int> iblock(m), isplit(m), iwork(3 * m);
    dstebz_(&range, &order, &m, &vl, &vu, &il, &iu, &abstol, d.data(), e.data(), &found, &nsplit, w.data(),
            iblock.data(), isplit.data(), work.data(), iwork.data(), &info, 1, 1);
    if (info == 0 && found == 1) return {std::max(0.0, -w[0]), true};
  }
  double bound = 0.0;
  for (int j = 0; j < m; ++j) {
    const std::size_t i = first + j;
    double radius = 0.0;
    if (j > 0) radius += std::abs(op.lower[i]);
    if (j + 1 < m) radius += std::abs(op.upper[i]);
    bound = std::max(bound, std::abs(op.diag[i]) + radius);
  }
  return {bound, false};
}

double stability_limit(Integrator method) {
  switch (method) {
    case Integrator::ExplicitEuler:
      return 2.0;  // |1 + z| <= 1 on the negative real axis
    case Integrator::RK4:
      return 2.785293563405282;  // root of |1 + z + z^2/2 + z^3/6 + z^4/24| = 1 on the negative axis
    default:
      return std::numeric_limits<double>::infinity();
  }
}

long smallest_stable_steps(Integrator method, double rate, double slice_length) {
  const double limit = stability_limit(method);
  if (!std::isfinite(limit) || rate <= 0) return 1;
  const double need = std::ceil(slice_length * rate / limit);
  if (!(need < 1e15)) return -1;  // no step count an int can hold
  long steps = std::max(1L, static_cast<long>(need));
  while (slice_length / static_cast<double>(steps) * rate > limit) ++steps;  // rounding of the division
  return steps;
}

void check_stability(const Problem& problem, const IntegratorConfig& config, double slice_length,
                     const std::string& role, const std::string& per) {
  const double limit = stability_limit(config.method);
  if (!std::isfinite(limit)) return;
  const DecayRate r = largest_decay_rate(problem);
  const double dt = slice_length / config.steps;
  if (dt * r.rate <= limit) return;
  const std::string method = to_string(config.method);
  const long need = smallest_stable_steps(config.method, r.rate, slice_length);
  const std::string steps_fix =
      need > 0 && need <= std::numeric_limits<int>::max() ? fmt::format("use --{}-steps {} or more, ", role, need) : "";
  throw std::invalid_argument(fmt::format(
      "{} propagator: {} with {} step(s) per {} is unstable for this problem: dt = {:.4g} times the "
      "operator's largest decay rate {:.4g}{} is {:.4g}, and {} is stable only up to {:.4g}; {}an implicit method "
      "(--{}-method implicit-euler or crank-nicolson), or --allow-unstable to run it anyway",
      role, method, config.steps, per, dt, r.rate,
      r.exact ? "" : " (a Gershgorin bound: the operator is not symmetrizable)", dt * r.rate, method, limit, steps_fix,
      role));
}

}  // namespace pint

#include "models/allen_cahn.hpp"

#include <cmath>
#include <stdexcept>

#include "models/newton_parameters.hpp"
#include "models/stencil_operator_1d.hpp"

namespace pint {

namespace {

struct AllenCahnStencil {
  static constexpr bool linear = false;
  // IMEX split (as in pySDC's semi-implicit front problem): diffusion implicit, the reaction terms explicit.
  static constexpr bool split = true, implicit_linear = true;
  double inv_h2, reaction, drive;  // 1/h^2, 2/eps^2, 6 d_w
  double x_min, x_max, eps, v;     // for the ends (host)

  KOKKOS_INLINE_FUNCTION double f(double, int, double um, double u, double up) const {
    return inv_h2 * (um - 2.0 * u + up) - reaction * u * (1.0 - u) * (1.0 - 2.0 * u) - drive * u * (1.0 - u);
  }
  KOKKOS_INLINE_FUNCTION void jacobian(double, int, double, double u, double, double& dm, double& d, double& dp) const {
    dm = inv_h2;
    dp = inv_h2;
    d = -2.0 * inv_h2 - reaction * (1.0 - 6.0 * u + 6.0 * u * u) - drive * (1.0 - 2.0 * u);
  }
  KOKKOS_INLINE_FUNCTION double f_implicit(double, int, double um, double u, double up) const {
    return inv_h2 * (um - 2.0 * u + up);
  }
  KOKKOS_INLINE_FUNCTION void jacobian_implicit(double, int, double, double, double, double& dm, double& d,
                                                double& dp) const {
    dm = inv_h2;
    dp = inv_h2;
    d = -2.0 * inv_h2;
  }
  KOKKOS_INLINE_FUNCTION double f_explicit(double, int, double, double u, double) const {
    return -reaction * u * (1.0 - u) * (1.0 - 2.0 * u) - drive * u * (1.0 - u);
  }
  double wave(double x, double t) const { return 0.5 * (1.0 + std::tanh((x - v * t) / (std::sqrt(2.0) * eps))); }
  std::array<double, 2> ends(double t) const { return {wave(x_min, t), wave(x_max, t)}; }
};

AllenCahnStencil stencil_of(const AllenCahnParams& p) {
  const double h = (p.x_max - p.x_min) / p.intervals;
  return {
      1.0 / (h * h), 2.0 / (p.eps * p.eps), 6.0 * p.dw, p.x_min, p.x_max, p.eps, 3.0 * std::sqrt(2.0) * p.eps * p.dw};
}

template <class ExecSpace>
class AllenCahnOperator final : public StencilOperator1D<ExecSpace, AllenCahnStencil> {
 public:
  AllenCahnOperator(ExecSpace exec, const AllenCahnParams& p)
      : StencilOperator1D<ExecSpace, AllenCahnStencil>(exec, stencil_of(p), p.intervals + 1, true, p.newton) {}
};

}  // namespace

AllenCahnProblem::AllenCahnProblem(AllenCahnParams params) : p_(params) {
  if (!(p_.x_max > p_.x_min) || !std::isfinite(p_.x_min) || !std::isfinite(p_.x_max))
    throw std::invalid_argument("allen-cahn: x_max must be greater than x_min");
  if (p_.intervals < 2) throw std::invalid_argument("allen-cahn: need at least 2 intervals");
  if (!(p_.eps > 0) || !std::isfinite(p_.eps)) throw std::invalid_argument("allen-cahn: eps must be positive");
  if (!std::isfinite(p_.dw)) throw std::invalid_argument("allen-cahn: dw must be a finite number");
  if (!(p_.t_end > 0) || !std::isfinite(p_.t_end)) throw std::invalid_argument("allen-cahn: t_end must be positive");
  check_newton(p_.newton, "allen-cahn");
  auto g = std::make_shared<Grid>();
  g->x.resize(p_.intervals + 1);
  for (int i = 0; i <= p_.intervals; ++i) g->x[i] = p_.x_min + (p_.x_max - p_.x_min) * i / p_.intervals;
  g->dirichlet_ends = true;
  grid_ = std::move(g);
}

double AllenCahnProblem::wave(double x, double t) const {
  return stencil_of(p_).wave(x, t);
}

void AllenCahnProblem::exact_solution(double t, HostVector u) const {
  for (std::size_t i = 0; i < grid_->size(); ++i) u(i) = wave(grid_->x[i], t);
}

std::unique_ptr<ProblemOperatorBase> AllenCahnProblem::make_operator(SpaceKind space) const {
  return make_operator_on<AllenCahnOperator>(space, p_);
}

std::vector<StabilityOperator> AllenCahnProblem::stability_operators(const HostVector& u) const {
  // The Jacobian at u: symmetric tridiagonal, so its eigenvalues are exact to round-off (dstebz).
  const AllenCahnStencil s = stencil_of(p_);
  const std::size_t n = grid_->size();
  Tridiagonal J{std::vector<double>(n, 0.0), std::vector<double>(n, 0.0), std::vector<double>(n, 0.0)};
  for (std::size_t i = 1; i + 1 < n; ++i)
    s.jacobian(0.0, static_cast<int>(i), 0, u(i), 0, J.lower[i], J.diag[i], J.upper[i]);
  return {{J, true}};
}

ProblemEntry AllenCahnProblem::entry() {
  ProblemEntry e;
  e.name = "allen-cahn";
  e.table = "allen_cahn";
  e.summary = "Allen-Cahn travelling front u_t = u_xx - 2/eps^2 u(1-u)(1-2u) - 6 dw u(1-u) (closed form)";
  const AllenCahnParams d{};
  e.parameters = {
      {"x_min", d.x_min, "left end of the interval", false, -1e300, 1e300},
      {"x_max", d.x_max, "right end of the interval", false, -1e300, 1e300},
      {"intervals", double(d.intervals), "grid intervals", true, 2, 10000000},
      {"eps", d.eps, "interface width", false, 1e-300, 1e300},
      {"dw", d.dw, "driving force", false, -1e300, 1e300},
      {"t_end", d.t_end, "end time", false, 1e-300, 1e300},
  };
  for (auto& n : newton_parameters(d.newton)) e.parameters.push_back(n);
  e.make = [](const ProblemParameters& p) -> std::shared_ptr<const Problem> {
    AllenCahnParams a;
    a.x_min = p.get("x_min");
    a.x_max = p.get("x_max");
    a.intervals = p.get_int("intervals");
    a.eps = p.get("eps");
    a.dw = p.get("dw");
    a.t_end = p.get("t_end");
    a.newton = newton_settings(p);
    return std::make_shared<AllenCahnProblem>(a);
  };
  return e;
}

}  // namespace pint

#include "models/burgers.hpp"

#include <cmath>
#include <stdexcept>

#include "models/newton_parameters.hpp"
#include "models/stencil_operator_1d.hpp"

namespace pint {

namespace {

struct BurgersStencil {
  static constexpr bool linear = false;
  double inv_4h, nu_h2;  // 1/(4h), nu/h^2

  KOKKOS_INLINE_FUNCTION double f(double, int, double um, double u, double up) const {
    return -inv_4h * (up * up - um * um) + nu_h2 * (um - 2.0 * u + up);
  }
  KOKKOS_INLINE_FUNCTION void jacobian(double, int, double um, double, double up, double& dm, double& d,
                                       double& dp) const {
    dm = 2.0 * inv_4h * um + nu_h2;
    d = -2.0 * nu_h2;
    dp = -2.0 * inv_4h * up + nu_h2;
  }
  std::array<double, 2> ends(double) const { return {0.0, 0.0}; }
};

BurgersStencil stencil_of(const BurgersParams& p) {
  const double h = 1.0 / p.intervals;
  return {1.0 / (4.0 * h), p.nu / (h * h)};
}

template <class ExecSpace>
class BurgersOperator final : public StencilOperator1D<ExecSpace, BurgersStencil> {
 public:
  BurgersOperator(ExecSpace exec, const BurgersParams& p)
      : StencilOperator1D<ExecSpace, BurgersStencil>(exec, stencil_of(p), p.intervals + 1, true, p.newton) {}
};

}  // namespace

BurgersProblem::BurgersProblem(BurgersParams params) : p_(params) {
  if (!(p_.nu > 0) || !std::isfinite(p_.nu)) throw std::invalid_argument("burgers: nu must be positive");
  if (!(p_.a > 1) || !std::isfinite(p_.a))
    throw std::invalid_argument("burgers: a must be greater than 1 (the Cole-Hopf phi must stay positive)");
  if (p_.intervals < 2) throw std::invalid_argument("burgers: need at least 2 intervals");
  if (!(p_.t_end > 0) || !std::isfinite(p_.t_end)) throw std::invalid_argument("burgers: t_end must be positive");
  check_newton(p_.newton, "burgers");
  auto g = std::make_shared<Grid>();
  g->x.resize(p_.intervals + 1);
  for (int i = 0; i <= p_.intervals; ++i) g->x[i] = static_cast<double>(i) / p_.intervals;
  g->dirichlet_ends = true;
  grid_ = std::move(g);
}

void BurgersProblem::exact_solution(double t, HostVector u) const {
  const double e = std::exp(-M_PI * M_PI * p_.nu * t);
  for (std::size_t i = 0; i < grid_->size(); ++i) {
    const double x = grid_->x[i];
    u(i) = 2.0 * M_PI * p_.nu * e * std::sin(M_PI * x) / (p_.a + e * std::cos(M_PI * x));
  }
  u(0) = 0.0;
  u(grid_->size() - 1) = 0.0;
}

std::unique_ptr<ProblemOperatorBase> BurgersProblem::make_operator(SpaceKind space) const {
  return make_operator_on<BurgersOperator>(space, p_);
}

std::vector<StabilityOperator> BurgersProblem::stability_operators(const HostVector& u) const {
  // The Jacobian at u; where convection makes it non-symmetrizable the check falls back to Gershgorin.
  const BurgersStencil s = stencil_of(p_);
  const std::size_t n = grid_->size();
  Tridiagonal J{std::vector<double>(n, 0.0), std::vector<double>(n, 0.0), std::vector<double>(n, 0.0)};
  for (std::size_t i = 1; i + 1 < n; ++i)
    s.jacobian(0.0, static_cast<int>(i), u(i - 1), u(i), u(i + 1), J.lower[i], J.diag[i], J.upper[i]);
  return {{J, true}};
}

ProblemEntry BurgersProblem::entry() {
  ProblemEntry e;
  e.name = "burgers";
  e.table = "burgers";
  e.summary = "viscous Burgers u_t + u u_x = nu u_xx on [0, 1] (Cole-Hopf closed form)";
  const BurgersParams d{};
  e.parameters = {
      {"nu", d.nu, "viscosity", false, 1e-300, 1e300},
      {"a", d.a, "Cole-Hopf offset (> 1)", false, 1, 1e300},
      {"intervals", double(d.intervals), "grid intervals", true, 2, 10000000},
      {"t_end", d.t_end, "end time", false, 1e-300, 1e300},
  };
  for (auto& n : newton_parameters(d.newton)) e.parameters.push_back(n);
  e.make = [](const ProblemParameters& p) -> std::shared_ptr<const Problem> {
    BurgersParams b;
    b.nu = p.get("nu");
    b.a = p.get("a");
    b.intervals = p.get_int("intervals");
    b.t_end = p.get("t_end");
    b.newton = newton_settings(p);
    return std::make_shared<BurgersProblem>(b);
  };
  return e;
}

}  // namespace pint

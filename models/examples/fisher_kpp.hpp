#pragma once
/// \file
/// An example of a problem in one file, registered exactly as a user registers theirs (README, "Your
/// own problem"): Fisher-KPP u_t = u_xx + u (1 - u) on [x_min, x_max] with the exact travelling wave of
/// Ablowitz and Zeppetella (1979), u(x, t) = 1 / (1 + exp((x - c t) / sqrt(6)))^2, c = 5 / sqrt(6), which
/// also gives the Dirichlet values at both ends. Only the pointwise stencil and its derivatives are
/// written here; Newton, the batched solves and every integrator come from pint.

#include <cmath>
#include <memory>

#include "core/problem.hpp"
#include "core/problem_registry.hpp"
#include "models/stencil_operator_1d.hpp"

namespace pint::examples {

struct FisherStencil {
  static constexpr bool linear = false;
  double inv_h2 = 0, x_min = 0, x_max = 0;
  KOKKOS_INLINE_FUNCTION double f(double, int, double um, double u, double up) const {
    return inv_h2 * (um - 2 * u + up) + u * (1 - u);
  }
  KOKKOS_INLINE_FUNCTION void jacobian(double, int, double, double u, double, double& dm, double& d, double& dp) const {
    dm = dp = inv_h2;
    d = -2 * inv_h2 + 1 - 2 * u;
  }
  static double wave(double x, double t) {
    const double e = 1 + std::exp((x - 5 / std::sqrt(6.0) * t) / std::sqrt(6.0));
    return 1 / (e * e);
  }
  std::array<double, 2> ends(double t) const { return {wave(x_min, t), wave(x_max, t)}; }
};

template <class ExecSpace>
struct FisherOperator : StencilOperator1D<ExecSpace, FisherStencil> {
  FisherOperator(ExecSpace exec, FisherStencil s, int n)
      : StencilOperator1D<ExecSpace, FisherStencil>(exec, s, n, true) {}
};

class FisherKppProblem final : public Problem {
 public:
  FisherKppProblem(double x_min, double x_max, int intervals, double t_end) : t_end_(t_end) {
    auto g = std::make_shared<Grid>();
    for (int i = 0; i <= intervals; ++i) g->x.push_back(x_min + (x_max - x_min) * i / intervals);
    g->dirichlet_ends = true;
    grid_ = g;
    const double h = (x_max - x_min) / intervals;
    s_ = {1 / (h * h), x_min, x_max};
  }
  std::string name() const override { return "fisher-kpp"; }
  std::shared_ptr<const Grid> grid() const override { return grid_; }
  double t_end() const override { return t_end_; }
  void initial_condition(HostVector u) const override { exact_solution(0.0, u); }
  bool has_exact_solution() const override { return true; }
  void exact_solution(double t, HostVector u) const override {
    for (std::size_t i = 0; i < grid_->size(); ++i) u(i) = FisherStencil::wave(grid_->x[i], t);
  }
  std::unique_ptr<ProblemOperatorBase> make_operator(SpaceKind space) const override {
    return make_operator_on<FisherOperator>(space, s_, static_cast<int>(grid_->size()));
  }

 private:
  double t_end_;
  std::shared_ptr<Grid> grid_;
  FisherStencil s_;
};

/// Its registration: the name, the configuration table, the parameters with defaults, the factory.
inline ProblemEntry fisher_kpp_entry() {
  return {"fisher-kpp",
          "fisher_kpp",
          "example: Fisher-KPP travelling wave u_t = u_xx + u (1 - u) (closed form)",
          {{"x_min", -10, "left end"},
           {"x_max", 30, "right end"},
           {"intervals", 200, "grid intervals", true, 2, 1e7},
           {"t_end", 2, "end time", false, 1e-300, 1e300}},
          [](const ProblemParameters& p) -> std::shared_ptr<const Problem> {
            if (!(p.get("x_max") > p.get("x_min"))) throw std::invalid_argument("fisher-kpp: x_max must exceed x_min");
            return std::make_shared<FisherKppProblem>(p.get("x_min"), p.get("x_max"), p.get_int("intervals"),
                                                      p.get("t_end"));
          }};
}

}  // namespace pint::examples

#pragma once
/// \file
/// XBraid's ex-02, as a pint problem: u_t = u_xx + F on [0, pi], F = -sin x sin t + sin x cos t, exact
/// solution u = sin x cos t, which also gives the Dirichlet values at both ends (set at the new time of
/// every step, as ex-02 does). With pint's implicit Euler, one step per level step, it is ex-02's
/// backward Euler with the source at the new time. Defaults: 33 nodes, t in [0, 2 pi] (ex-02's).

#include <cmath>
#include <memory>

#include "core/problem.hpp"
#include "core/problem_registry.hpp"
#include "models/stencil_operator_1d.hpp"

namespace pint {

struct XBraidHeatStencil {
  static constexpr bool linear = true;
  double inv_h2 = 0, h = 0;
  KOKKOS_INLINE_FUNCTION double f(double t, int i, double um, double u, double up) const {
    const double s = sin(i * h);
    return inv_h2 * (um - 2 * u + up) + (-s * sin(t) + s * cos(t));
  }
  KOKKOS_INLINE_FUNCTION void jacobian(double, int, double, double, double, double& dm, double& d, double& dp) const {
    dm = dp = inv_h2;
    d = -2 * inv_h2;
  }
  double x_max = 0;
  std::array<double, 2> ends(double t) const { return {std::sin(0.0) * std::cos(t), std::sin(x_max) * std::cos(t)}; }
};

template <class ExecSpace>
struct XBraidHeatOperator : StencilOperator1D<ExecSpace, XBraidHeatStencil> {
  XBraidHeatOperator(ExecSpace exec, XBraidHeatStencil s, int n)
      : StencilOperator1D<ExecSpace, XBraidHeatStencil>(exec, s, n, true) {}
};

class XBraidHeatProblem final : public Problem {
 public:
  XBraidHeatProblem(int intervals, double t_end) : t_end_(t_end) {
    const double pi = std::acos(-1.0);
    auto g = std::make_shared<Grid>();
    const double h = pi / intervals;
    for (int i = 0; i <= intervals; ++i) g->x.push_back(i * h);
    g->dirichlet_ends = true;
    grid_ = g;
    s_.inv_h2 = 1 / (h * h);
    s_.h = h;
    s_.x_max = g->x.back();
  }
  std::string name() const override { return "xbraid-heat"; }
  std::shared_ptr<const Grid> grid() const override { return grid_; }
  double t_end() const override { return t_end_; }
  void initial_condition(HostVector u) const override { exact_solution(0.0, u); }
  bool has_exact_solution() const override { return true; }
  void exact_solution(double t, HostVector u) const override {
    for (std::size_t i = 0; i < grid_->size(); ++i) u(i) = std::sin(grid_->x[i]) * std::cos(t);
  }
  std::unique_ptr<ProblemOperatorBase> make_operator(SpaceKind space) const override {
    return make_operator_on<XBraidHeatOperator>(space, s_, static_cast<int>(grid_->size()));
  }

 private:
  double t_end_;
  std::shared_ptr<Grid> grid_;
  XBraidHeatStencil s_;
};

inline ProblemEntry xbraid_heat_entry() {
  return {"xbraid-heat",
          "xbraid_heat",
          "XBraid's ex-02: u_t = u_xx - sin x sin t + sin x cos t on [0, pi], u = sin x cos t (closed form)",
          {{"intervals", 32, "grid intervals (ex-02: 33 nodes)", true, 2, 1e7},
           {"t_end", 2 * std::acos(-1.0), "end time (ex-02: 2 pi)", false, 1e-300, 1e300}},
          [](const ProblemParameters& p) -> std::shared_ptr<const Problem> {
            return std::make_shared<XBraidHeatProblem>(p.get_int("intervals"), p.get("t_end"));
          }};
}

}  // namespace pint

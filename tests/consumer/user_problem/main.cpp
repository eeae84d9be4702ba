// A user's own problem, outside pint's tree, against the installed package: defined in this one file,
// registered by name, made through the registry, and solved by Parareal to the serial fine solution on
// every compiled-in space. The problem: u_t = d u_xx - u^3 on [0, 1], u = 0 at both ends, u(0) = sin(pi x).
#include <cmath>
#include <cstdio>

#include "core/parareal.hpp"
#include "core/problem_registry.hpp"
#include "models/make_propagator.hpp"
#include "models/stencil_operator_1d.hpp"
#include "spaces/registry.hpp"
#include "spaces/runtime.hpp"

struct CubicStencil {
  static constexpr bool linear = false;
  double d_h2;  // d / h^2
  KOKKOS_INLINE_FUNCTION double f(double, int, double um, double u, double up) const {
    return d_h2 * (um - 2 * u + up) - u * u * u;
  }
  KOKKOS_INLINE_FUNCTION void jacobian(double, int, double, double u, double, double& dm, double& dd,
                                       double& dp) const {
    dm = dp = d_h2;
    dd = -2 * d_h2 - 3 * u * u;
  }
  std::array<double, 2> ends(double) const { return {0.0, 0.0}; }
};

template <class ExecSpace>
struct CubicOperator : pint::StencilOperator1D<ExecSpace, CubicStencil> {
  CubicOperator(ExecSpace e, CubicStencil s, int n) : pint::StencilOperator1D<ExecSpace, CubicStencil>(e, s, n, true) {}
};

class CubicProblem final : public pint::Problem {
 public:
  CubicProblem(double d, int intervals) : grid_(std::make_shared<pint::Grid>()) {
    for (int i = 0; i <= intervals; ++i) grid_->x.push_back(double(i) / intervals);
    grid_->dirichlet_ends = true;
    s_ = {d * intervals * intervals};
  }
  std::string name() const override { return "cubic-decay"; }
  std::shared_ptr<const pint::Grid> grid() const override { return grid_; }
  double t_end() const override { return 0.5; }
  void initial_condition(pint::HostVector u) const override {
    for (std::size_t i = 0; i < grid_->size(); ++i) u(i) = std::sin(M_PI * grid_->x[i]);
  }
  std::unique_ptr<pint::ProblemOperatorBase> make_operator(pint::SpaceKind space) const override {
    return pint::make_operator_on<CubicOperator>(space, s_, int(grid_->size()));
  }

 private:
  std::shared_ptr<pint::Grid> grid_;
  CubicStencil s_;
};

int main(int argc, char** argv) {
  pint::Runtime runtime(argc, argv);
  pint::register_problem({"cubic-decay",
                          "cubic_decay",
                          "u_t = d u_xx - u^3",
                          {{"d", 0.1, "diffusivity"}, {"intervals", 64, "grid intervals", true, 2, 1e6}},
                          [](const pint::ProblemParameters& p) -> std::shared_ptr<const pint::Problem> {
                            return std::make_shared<CubicProblem>(p.get("d"), p.get_int("intervals"));
                          }});
  const pint::ProblemEntry* entry = pint::find_problem("cubic-decay");
  auto problem = entry->make(pint::parameters_from(*entry, {{"intervals", 80}}, "user"));
  int failures = 0;
  for (pint::SpaceKind space : pint::available_spaces()) {
    auto F = pint::make_propagator(problem, {pint::Integrator::CrankNicolson, 20, 0}, space);
    auto G = pint::make_propagator(problem, {pint::Integrator::ImplicitEuler, 4, 0}, space);
    const pint::State u0 = problem->initial_state();
    const int N = 16;
    const auto r = pint::Parareal(*F, *G, pint::PararealConfig{N, N, 1e-12, true}).run(u0.values, 0.0, 0.5);
    const auto serial = pint::serial_fine(*F, u0.values, 0.0, 0.5, N);
    double err = 0, scale = 0;
    for (int n = 0; n <= N; ++n)
      for (std::size_t i = 0; i < problem->size(); ++i) {
        err = std::max(err, std::abs(r.boundaries[n](i) - serial[n](i)));
        scale = std::max(scale, std::abs(serial[n](i)));
      }
    std::printf("user problem on %s: %d iterations, max relative difference to serial fine %.3g, u(0.5, 0.5) = %.6f\n",
                pint::to_string(space).c_str(), r.iterations, err / scale, serial[N](40));
    // The cubic decay makes the solution smaller than pure diffusion's exp(-d pi^2 t) sin(pi x).
    const bool ok = err <= 1e-10 * scale && r.iterations < N && serial[N](40) < std::exp(-0.1 * M_PI * M_PI * 0.5);
    failures += ok ? 0 : 1;
  }
  return failures == 0 ? 0 : 1;
}

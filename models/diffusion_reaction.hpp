#pragma once
/// \file
/// A two-species diffusion-reaction system, the FitzHugh-Nagumo model of RandNet-Parareal's and PDEBench's
/// "diffusion-reaction" test, in one space dimension:
///   u_t = d_u u_xx + u - u^3 - k - v,    v_t = d_v v_xx + u - v    on [-1, 1], no flux at both ends,
/// with u(x, 0) = 0.6 cos(pi x) + 0.3 cos(3 pi x), v(x, 0) = 0 (PDEBench draws random data; a fixed profile
/// keeps runs reproducible). Two values per grid point (Grid::components = 2, point-major), centred second
/// differences with mirrored ghost points at the ends. The stage solve is Newton on the block-tridiagonal
/// (2 x 2 blocks) Jacobian, one block-Thomas sweep per system, systems in parallel.
/// Defaults: 127 intervals (128 points, 256 unknowns), d_u = 1e-3, d_v = 5e-3, k = 5e-3 (PDEBench's values),
/// t_end = 5.

#include "core/problem.hpp"
#include "core/problem_operator.hpp"
#include "core/problem_registry.hpp"

namespace pint {

struct DiffusionReactionParams {
  int intervals = 127;
  double du = 1e-3, dv = 5e-3, k = 5e-3;
  double t_end = 5.0;
  NewtonSettings newton;
};

class DiffusionReactionProblem final : public Problem {
 public:
  explicit DiffusionReactionProblem(DiffusionReactionParams params);
  std::string name() const override { return "diffusion-reaction"; }
  std::shared_ptr<const Grid> grid() const override { return grid_; }
  double t_end() const override { return p_.t_end; }
  void initial_condition(HostVector u) const override;
  std::unique_ptr<ProblemOperatorBase> make_operator(SpaceKind space) const override;
  std::vector<StabilityOperator> stability_operators(const HostVector& u) const override;
  const DiffusionReactionParams& params() const { return p_; }

  static ProblemEntry entry();

 private:
  DiffusionReactionParams p_;
  std::shared_ptr<Grid> grid_;
};

}  // namespace pint

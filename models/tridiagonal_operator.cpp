#include "models/tridiagonal_operator.hpp"

#include <stdexcept>

#include "models/stencil_operator_1d.hpp"
#include "models/theta_step_solver.hpp"

namespace pint {

namespace {

/// f_i = lower_i u_{i-1} + diag_i u_i + upper_i u_{i+1}; the problem (kept alive by the operator) gives the ends.
template <class MemorySpace>
struct ConstantTridiagonalStencil {
  static constexpr bool linear = true;
  Kokkos::View<const double*, Kokkos::LayoutRight, MemorySpace> lower, diag, upper;
  const Problem* problem = nullptr;  // host only (kept alive by the operator); a raw pointer keeps the stencil
                                     // trivially copyable into kernels

  KOKKOS_INLINE_FUNCTION double f(double, int i, double um, double u, double up) const {
    return lower(i) * um + diag(i) * u + upper(i) * up;
  }
  KOKKOS_INLINE_FUNCTION void jacobian(double, int i, double, double, double, double& dm, double& d, double& dp) const {
    dm = lower(i);
    d = diag(i);
    dp = upper(i);
  }
  std::array<double, 2> ends(double t) const { return problem->boundary_values(t); }
};

template <class ExecSpace>
class TridiagonalFormOperator final
    : public StencilOperator1D<ExecSpace, ConstantTridiagonalStencil<typename ExecSpace::memory_space>> {
 public:
  using Stencil = ConstantTridiagonalStencil<typename ExecSpace::memory_space>;
  TridiagonalFormOperator(ExecSpace exec, std::shared_ptr<const Problem> problem)
      : StencilOperator1D<ExecSpace, Stencil>(exec, stencil_of(*problem), static_cast<int>(problem->size()),
                                              problem->grid()->dirichlet_ends),
        owner_(std::move(problem)) {}

 private:
  static Stencil stencil_of(const Problem& p) {
    using V = Kokkos::View<double*, Kokkos::LayoutRight, typename ExecSpace::memory_space>;
    const Tridiagonal L = p.spatial_operator();
    Stencil s;
    s.lower = detail::to_device<V>("pint::tridiagonal_form::lower", L.lower);
    s.diag = detail::to_device<V>("pint::tridiagonal_form::diag", L.diag);
    s.upper = detail::to_device<V>("pint::tridiagonal_form::upper", L.upper);
    s.problem = &p;
    return s;
  }
  std::shared_ptr<const Problem> owner_;
};

}  // namespace

std::unique_ptr<ProblemOperatorBase> make_tridiagonal_operator(std::shared_ptr<const Problem> problem,
                                                               SpaceKind space) {
  if (!problem->tridiagonal())
    throw std::invalid_argument("problem '" + problem->name() + "' is not of the constant tridiagonal form");
  return make_operator_on<TridiagonalFormOperator>(space, problem);
}

std::unique_ptr<ProblemOperatorBase> make_problem_operator(std::shared_ptr<const Problem> problem, SpaceKind space) {
  if (problem->tridiagonal()) return make_tridiagonal_operator(problem, space);
  return problem->make_operator(space);
}

}  // namespace pint

#include "models/make_propagator.hpp"

#include "models/explicit_propagator.hpp"
#include "models/general_propagator.hpp"
#include "models/theta_propagator.hpp"
#include "models/tridiagonal_operator.hpp"
#include "spaces/dispatch.hpp"

namespace pint {

std::unique_ptr<Propagator> make_propagator(std::shared_ptr<const Problem> problem, const IntegratorConfig& config,
                                            SpaceKind space, int blocks, MPI_Comm node_comm) {
  validate(config);
  if (!problem->tridiagonal() || needs_split(config.method) || config.method == Integrator::Sdc)
    return make_general_propagator(problem, config, space, node_comm);
  return with_space(space, [&](auto exec) -> std::unique_ptr<Propagator> {
    using Exec = decltype(exec);
    if (config.method == Integrator::ImplicitEuler || config.method == Integrator::CrankNicolson)
      return std::make_unique<ThetaPropagator<Exec>>(problem, config, exec, blocks);
    return std::make_unique<ExplicitPropagator<Exec>>(problem, config, exec);
  });
}

std::unique_ptr<Propagator> make_general_propagator(std::shared_ptr<const Problem> problem,
                                                    const IntegratorConfig& config, SpaceKind space,
                                                    MPI_Comm node_comm) {
  validate(config);
  return with_space(space, [&](auto exec) -> std::unique_ptr<Propagator> {
    using Exec = decltype(exec);
    return std::make_unique<GeneralPropagator<Exec>>(
        problem, operator_cast<Exec>(make_problem_operator(problem, space)), config, node_comm);
  });
}

}  // namespace pint

#include "models/learned/learned_coarse_propagator.hpp"

namespace pint {

std::unique_ptr<Propagator> make_learned_coarse(std::shared_ptr<const Problem> problem,
                                                std::shared_ptr<SurfaceModel> model, int c_steps, SpaceKind space,
                                                std::shared_ptr<const Problem> trained) {
  return with_space(space, [&](auto exec) -> std::unique_ptr<Propagator> {
    return std::make_unique<LearnedCoarsePropagator<decltype(exec)>>(problem, model, c_steps, exec, trained);
  });
}

}  // namespace pint

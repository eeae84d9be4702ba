#include <stdexcept>

#include "core/coarse_correction.hpp"

namespace pint {

void register_builtin_corrections() {
  static const bool done = [] {
    register_correction({"none", "the coarse propagator as it is", nullptr});
    register_correction({"krylov",
                         "Krylov-subspace Parareal (Gander-Petcu): F's response on the span of the fine inputs so "
                         "far, G's on the rest; for linear problems (--krylov-basis-cap, --krylov-rank-tolerance)",
                         &make_krylov_correction});
    register_correction({"randnet",
                         "RandNet-Parareal (Gattiglio et al.): a random ReLU network fitted to F - G on the nearest "
                         "fine inputs; for nonlinear problems (--randnet-neurons, --randnet-neighbours, "
                         "--randnet-ridge, --randnet-seed)",
                         &make_randnet_correction});
    return true;
  }();
  (void)done;
}

std::unique_ptr<CoarseCorrection> make_correction(const CorrectionConfig& config, std::size_t size) {
  validate(config);
  const CorrectionEntry* e = find_correction(config.kind);
  if (!e || !e->make) return nullptr;
  return e->make(config, size);
}

}  // namespace pint

#include "spaces/torch_bridge.hpp"

#include <torch/cuda.h>

namespace pint {

void sync_before_kokkos(const torch::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize(device.index());
}

}  // namespace pint

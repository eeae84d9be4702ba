#include "spaces/torch_bridge.hpp"

#include "spaces/torch_headers.hpp"

namespace pint {

void sync_before_kokkos(const torch::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize(device.index());
}

}  // namespace pint

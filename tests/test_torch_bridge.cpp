// The View-to-tensor bridge shares memory: same data pointer, and writes on either side are seen by
// the other without any copy.
#include <gtest/gtest.h>

#include <Kokkos_Core.hpp>

#include "spaces/torch_bridge.hpp"

namespace {
/// v(i) = i by a Kokkos kernel (outside the test body: nvcc allows no device lambda in a private member).
void fill_iota(const Kokkos::View<double*, Kokkos::LayoutRight, Kokkos::HostSpace>& v) {
  Kokkos::parallel_for(
      "fill", Kokkos::RangePolicy<Kokkos::DefaultHostExecutionSpace>(0, static_cast<int>(v.extent(0))),
      KOKKOS_LAMBDA(int i) { v(i) = i; });
}
}  // namespace

TEST(TorchBridge, TensorAliasesTheViewMemory) {
  Kokkos::View<double*, Kokkos::LayoutRight, Kokkos::HostSpace> v("v", 17);
  fill_iota(v);
  pint::fence_before_torch(Kokkos::DefaultHostExecutionSpace{});
  torch::Tensor t = pint::view_as_tensor(v);
  EXPECT_EQ(t.data_ptr<double>(), v.data());
  EXPECT_EQ(t.dtype(), torch::kFloat64);
  EXPECT_TRUE(t.device().is_cpu());
  EXPECT_EQ(t.size(0), 17);
  EXPECT_DOUBLE_EQ(t.sum().item<double>(), 136.0);
  t.mul_(2.0);  // torch writes in place ...
  pint::sync_before_kokkos(t.device());
  EXPECT_DOUBLE_EQ(v(5), 10.0);  // ... and Kokkos sees it
}

TEST(TorchBridge, Rank2LayoutRightKeepsShapeAndStrides) {
  Kokkos::View<double**, Kokkos::LayoutRight, Kokkos::HostSpace> v("v2", 3, 4);
  v(2, 1) = 7.0;
  torch::Tensor t = pint::view_as_tensor(v);
  EXPECT_EQ(t.data_ptr<double>(), v.data());
  EXPECT_EQ(t.size(0), 3);
  EXPECT_EQ(t.size(1), 4);
  EXPECT_EQ(t.stride(0), 4);
  EXPECT_DOUBLE_EQ(t[2][1].item<double>(), 7.0);
}

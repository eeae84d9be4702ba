// Placement is real: a kernel dispatched through the registry runs on the Kokkos space that was asked
// for. Two independent witnesses, neither of them a string pint echoes back:
//  1. Kokkos' profiling hook for parallel_for reports the device id of the space that launched it;
//  2. inside the kernel, OpenMP itself says whether the body runs in an OpenMP parallel region.
#include <gtest/gtest.h>
#if defined(KOKKOS_ENABLE_OPENMP)
#include <omp.h>
#endif

#include <Kokkos_Core.hpp>
#include <atomic>
#include <string>

#include "space_test_fixture.hpp"
#include "spaces/dispatch.hpp"

using namespace pint;
namespace kt = Kokkos::Tools::Experimental;

namespace {
std::atomic<uint32_t> last_device_id{0xffffffffu};
std::string last_kernel;

void on_begin_parallel_for(const char* name, uint32_t device_id, uint64_t* kernel_id) {
  last_device_id = device_id;
  last_kernel = name;
  *kernel_id = 0;
}

kt::DeviceType device_type_of_id(uint32_t id) {
  return static_cast<kt::DeviceType>(id >> kt::instance_bits);
}

/// Runs a probe kernel on `exec`; returns how many iterations ran inside an OpenMP parallel region.
/// (A named function, not inside with_space's generic lambda: nvcc allows no device lambda there.)
template <class Exec>
int probe_on(const Exec& exec, int n) {
  Kokkos::View<int*, typename Exec::memory_space> in_parallel("in_parallel", n);
  Kokkos::parallel_for(
      "pint::placement_probe", Kokkos::RangePolicy<Exec>(exec, 0, n), KOKKOS_LAMBDA(int i) {
#if defined(KOKKOS_ENABLE_OPENMP) && !defined(__CUDA_ARCH__) && !defined(__HIP_DEVICE_COMPILE__)
        in_parallel(i) = omp_in_parallel() ? 1 : 0;
#else
        in_parallel(i) = 0;
#endif
      });
  exec.fence();
  int count = 0;
  auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace{}, in_parallel);
  for (int i = 0; i < n; ++i) count += h(i);
  return count;
}

/// Runs the probe on `space`.
int run_probe(SpaceKind space, int n) {
  return with_space(space, [n](auto exec) { return probe_on(exec, n); });
}
}  // namespace

class Placement : public test::SpaceTest {};

TEST_P(Placement, KernelRunsOnTheRequestedSpace) {
  const SpaceKind asked = GetParam();
  kt::set_begin_parallel_for_callback(on_begin_parallel_for);
  last_device_id = 0xffffffffu;
  const int n = 1000;
  const int in_omp = run_probe(resolve_space(to_string(asked)), n);
  kt::set_begin_parallel_for_callback(nullptr);

  ASSERT_NE(last_device_id.load(), 0xffffffffu) << "the profiling hook saw no kernel";
  EXPECT_EQ(last_kernel, "pint::placement_probe");
  const kt::DeviceType seen = device_type_of_id(last_device_id);
  switch (asked) {
    case SpaceKind::Serial:
      EXPECT_EQ(seen, kt::DeviceType::Serial);
      EXPECT_EQ(in_omp, 0) << "a Serial kernel ran inside an OpenMP parallel region";
      break;
#if defined(KOKKOS_ENABLE_OPENMP)
    case SpaceKind::OpenMP:
      EXPECT_EQ(seen, kt::DeviceType::OpenMP);
      if (Kokkos::OpenMP::concurrency() > 1) {
        EXPECT_EQ(in_omp, n) << "an OpenMP kernel ran outside an OpenMP parallel region";
      }
      break;
#endif
    default:
      GTEST_SKIP() << "no in-kernel witness for " << to_string(asked);
  }
}

PINT_INSTANTIATE_FOR_ALL_SPACES(Placement);

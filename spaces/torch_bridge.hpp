#pragma once
/// \file
/// Zero-copy bridge from a Kokkos View to a LibTorch tensor: the tensor aliases the View's memory
/// (torch::from_blob), on the torch device that matches the View's memory space, so a network can
/// read and write the very buffers the Kokkos kernels use.
///
/// Rules (as in LAMMPS' pair_allegro): the View must outlive the tensor; call
/// `fence_before_torch(exec)` before torch reads memory Kokkos wrote, and `sync_before_kokkos(device)`
/// before Kokkos reads memory torch wrote.

#include <Kokkos_Core.hpp>
#include <type_traits>

#include "spaces/torch_headers.hpp"

namespace pint {

template <class T>
constexpr torch::Dtype torch_dtype() {
  if constexpr (std::is_same_v<T, double>)
    return torch::kFloat64;
  else if constexpr (std::is_same_v<T, float>)
    return torch::kFloat32;
  else if constexpr (std::is_same_v<T, int>)
    return torch::kInt32;
  else if constexpr (std::is_same_v<T, long>)
    return torch::kInt64;
  else
    static_assert(!sizeof(T*), "no torch dtype for this value type");
}

/// The torch device that addresses memory of `MemSpace`. HostSpace is torch's CPU; CudaSpace is CUDA
/// on Kokkos' device; HIPSpace is also torch's "cuda" device (a ROCm build of PyTorch uses it for HIP).
template <class MemSpace>
torch::Device torch_device_of() {
  if constexpr (std::is_same_v<MemSpace, Kokkos::HostSpace>) {
    return torch::Device(torch::kCPU);
  }
#if defined(KOKKOS_ENABLE_CUDA)
  else if constexpr (std::is_same_v<MemSpace, Kokkos::CudaSpace> || std::is_same_v<MemSpace, Kokkos::CudaUVMSpace>) {
    return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(Kokkos::Cuda().cuda_device()));
  }
#endif
#if defined(KOKKOS_ENABLE_HIP)
#if KOKKOS_VERSION >= 40000
  else if constexpr (std::is_same_v<MemSpace, Kokkos::HIPSpace>) {
    return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(Kokkos::HIP().hip_device()));
  }
#else
  else if constexpr (std::is_same_v<MemSpace, Kokkos::Experimental::HIPSpace>) {
    return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(Kokkos::Experimental::HIP().hip_device()));
  }
#endif
#endif
  else {
    static_assert(!sizeof(MemSpace*), "no torch device for this Kokkos memory space");
  }
}

/// A tensor over the View's memory: same data pointer, shape and strides, no copy.
/// Rank 1 and 2 Views with contiguous (LayoutRight) or strided rows are accepted.
template <class ViewT>
torch::Tensor view_as_tensor(const ViewT& v) {
  static_assert(Kokkos::is_view<ViewT>::value, "view_as_tensor takes a Kokkos::View");
  using value_type = std::remove_const_t<typename ViewT::value_type>;
  static_assert(ViewT::rank == 1 || ViewT::rank == 2, "view_as_tensor supports rank 1 and 2");
  const auto options =
      torch::TensorOptions().dtype(torch_dtype<value_type>()).device(torch_device_of<typename ViewT::memory_space>());
  auto* data = const_cast<value_type*>(v.data());
  if constexpr (ViewT::rank == 1) {
    return torch::from_blob(data, {static_cast<int64_t>(v.extent(0))}, {static_cast<int64_t>(v.stride(0))}, options);
  } else {
    return torch::from_blob(data, {static_cast<int64_t>(v.extent(0)), static_cast<int64_t>(v.extent(1))},
                            {static_cast<int64_t>(v.stride(0)), static_cast<int64_t>(v.stride(1))}, options);
  }
}

/// Waits for Kokkos work queued on `exec` so torch sees finished data.
template <class ExecSpace>
void fence_before_torch(const ExecSpace& exec) {
  exec.fence();
}

/// Waits for torch work on `device` so Kokkos sees finished data (no-op on the CPU, where torch ops
/// are synchronous).
void sync_before_kokkos(const torch::Device& device);

}  // namespace pint

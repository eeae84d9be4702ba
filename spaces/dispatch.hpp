#pragma once
/// \file
/// Calls a generic functor with an instance of the execution space chosen at run time. Code that
/// needs to run on "whatever space the user asked for" is written once as a template over the space
/// and dispatched here once (at construction of a propagator, say), never per kernel launch.

#include <Kokkos_Core.hpp>
#include <type_traits>
#include <utility>

#include "spaces/registry.hpp"

namespace pint {

#if defined(KOKKOS_ENABLE_HIP)
#if KOKKOS_VERSION >= 40000
using HipExec = Kokkos::HIP;
#else
using HipExec = Kokkos::Experimental::HIP;
#endif
#endif
#if defined(KOKKOS_ENABLE_SYCL)
#if KOKKOS_VERSION >= 40500
using SyclExec = Kokkos::SYCL;
#else
using SyclExec = Kokkos::Experimental::SYCL;
#endif
#endif

/// `f(ExecSpace{})` for the space `kind`; every branch must return the same type.
/// Throws SpaceError if `kind` was not compiled in.
template <class F>
decltype(auto) with_space(SpaceKind kind, F&& f) {
  switch (kind) {
#if defined(KOKKOS_ENABLE_SERIAL)
    case SpaceKind::Serial:
      return std::forward<F>(f)(Kokkos::Serial{});
#endif
#if defined(KOKKOS_ENABLE_OPENMP)
    case SpaceKind::OpenMP:
      return std::forward<F>(f)(Kokkos::OpenMP{});
#endif
#if defined(KOKKOS_ENABLE_THREADS)
    case SpaceKind::Threads:
      return std::forward<F>(f)(Kokkos::Threads{});
#endif
#if defined(KOKKOS_ENABLE_CUDA)
    case SpaceKind::Cuda:
      return std::forward<F>(f)(Kokkos::Cuda{});
#endif
#if defined(KOKKOS_ENABLE_HIP)
    case SpaceKind::HIP:
      return std::forward<F>(f)(HipExec{});
#endif
#if defined(KOKKOS_ENABLE_SYCL)
    case SpaceKind::SYCL:
      return std::forward<F>(f)(SyclExec{});
#endif
    default:
      break;
  }
  throw SpaceError("execution space '" + to_string(kind) +
                   "' is not compiled into this build; available: " + available_space_names());
}

template <class>
inline constexpr bool unknown_space_v = false;

/// Whether ExecSpace runs on the host: its memory is host memory (Serial, OpenMP, Threads).
template <class ExecSpace>
constexpr bool runs_on_host() {
  return Kokkos::SpaceAccessibility<Kokkos::HostSpace, typename ExecSpace::memory_space>::accessible;
}

/// The SpaceKind of a Kokkos execution-space type (the inverse of with_space).
template <class ExecSpace>
constexpr SpaceKind kind_of() {
  if constexpr (false) {
  }
#if defined(KOKKOS_ENABLE_SERIAL)
  else if constexpr (std::is_same_v<ExecSpace, Kokkos::Serial>)
    return SpaceKind::Serial;
#endif
#if defined(KOKKOS_ENABLE_OPENMP)
  else if constexpr (std::is_same_v<ExecSpace, Kokkos::OpenMP>)
    return SpaceKind::OpenMP;
#endif
#if defined(KOKKOS_ENABLE_THREADS)
  else if constexpr (std::is_same_v<ExecSpace, Kokkos::Threads>)
    return SpaceKind::Threads;
#endif
#if defined(KOKKOS_ENABLE_CUDA)
  else if constexpr (std::is_same_v<ExecSpace, Kokkos::Cuda>)
    return SpaceKind::Cuda;
#endif
#if defined(KOKKOS_ENABLE_HIP)
  else if constexpr (std::is_same_v<ExecSpace, HipExec>)
    return SpaceKind::HIP;
#endif
#if defined(KOKKOS_ENABLE_SYCL)
  else if constexpr (std::is_same_v<ExecSpace, SyclExec>)
    return SpaceKind::SYCL;
#endif
  else
    static_assert(unknown_space_v<ExecSpace>, "pint does not know this execution space");
}

}  // namespace pint

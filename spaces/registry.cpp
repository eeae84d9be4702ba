#include "spaces/registry.hpp"

#include <Kokkos_Core.hpp>
#include <algorithm>
#include <cctype>

#include "spaces/dispatch.hpp"

namespace pint {

std::string to_string(SpaceKind kind) {
  switch (kind) {
    case SpaceKind::Serial:
      return "serial";
    case SpaceKind::OpenMP:
      return "openmp";
    case SpaceKind::Threads:
      return "threads";
    case SpaceKind::Cuda:
      return "cuda";
    case SpaceKind::HIP:
      return "hip";
    case SpaceKind::SYCL:
      return "sycl";
  }
  return "unknown";
}

std::vector<SpaceKind> available_spaces() {
  std::vector<SpaceKind> out;
#if defined(KOKKOS_ENABLE_SERIAL)
  out.push_back(SpaceKind::Serial);
#endif
#if defined(KOKKOS_ENABLE_OPENMP)
  out.push_back(SpaceKind::OpenMP);
#endif
#if defined(KOKKOS_ENABLE_THREADS)
  out.push_back(SpaceKind::Threads);
#endif
#if defined(KOKKOS_ENABLE_CUDA)
  out.push_back(SpaceKind::Cuda);
#endif
#if defined(KOKKOS_ENABLE_HIP)
  out.push_back(SpaceKind::HIP);
#endif
#if defined(KOKKOS_ENABLE_SYCL)
  out.push_back(SpaceKind::SYCL);
#endif
  return out;
}

std::string available_space_names() {
  std::string s;
  for (SpaceKind k : available_spaces()) s += (s.empty() ? "" : ", ") + to_string(k);
  return s + " (aliases: host = " + to_string(default_host_space()) +
         ", device = " + to_string(default_device_space()) + ")";
}

bool is_available(SpaceKind kind) {
  const auto all = available_spaces();
  return std::find(all.begin(), all.end(), kind) != all.end();
}

SpaceKind default_host_space() {
  return kind_of<Kokkos::DefaultHostExecutionSpace>();
}
SpaceKind default_device_space() {
  return kind_of<Kokkos::DefaultExecutionSpace>();
}

SpaceKind resolve_space(const std::string& raw) {
  std::string name = raw;
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  if (name == "host") return default_host_space();
  if (name == "device") return default_device_space();
  for (SpaceKind k :
       {SpaceKind::Serial, SpaceKind::OpenMP, SpaceKind::Threads, SpaceKind::Cuda, SpaceKind::HIP, SpaceKind::SYCL}) {
    if (name == to_string(k)) {
      if (!is_available(k))
        throw SpaceError("execution space '" + raw +
                         "' is not compiled into this build of Kokkos; available: " + available_space_names() +
                         ". To use it, build Kokkos with it and configure pint with -DKokkos_ROOT=<that install>.");
      return k;
    }
  }
  throw SpaceError("unknown execution space '" + raw + "'; available: " + available_space_names());
}

}  // namespace pint

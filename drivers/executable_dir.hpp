#pragma once
/// \file
/// The directory of the running `pint` (also from inside the learned module, which runs in pint's process): what an
/// installed pint finds its module, models and scripts from, wherever its prefix was moved.
#include <limits.h>
#include <unistd.h>

#include <string>

namespace pint {

inline std::string executable_dir() {
  char buf[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  const std::string path(buf, static_cast<std::size_t>(n));
  return path.substr(0, path.find_last_of('/'));
}

}  // namespace pint

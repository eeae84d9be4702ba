#include "io/run_metadata.hpp"

#include <hdf5.h>

#include <string>

#ifndef PINT_GIT_REVISION
#define PINT_GIT_REVISION "unknown"
#endif

namespace pint {
const char* pint_version() {
  return "0.1.0";
}
const char* pint_git_revision() {
  return PINT_GIT_REVISION;
}
const char* hdf5_version() {
  static const std::string v = std::to_string(H5_VERS_MAJOR) + "." + std::to_string(H5_VERS_MINOR) + "." +
                               std::to_string(H5_VERS_RELEASE) +
#ifdef H5_HAVE_PARALLEL
                               " (parallel)";
#else
                               " (serial)";
#endif
  return v.c_str();
}
}  // namespace pint

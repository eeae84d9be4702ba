#include "io/run_metadata.hpp"

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
}  // namespace pint

#pragma once
// `pint run`: Parareal on the configured problem, with the summary printed (rank 0) and optionally
// written as JSON.
#include "io/run_config.hpp"

namespace pint {
/// Returns the process exit code. Throws on configuration errors (before any collective work).
int run_command(const RunConfig& config);
}  // namespace pint

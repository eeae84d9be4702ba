#pragma once
// Builds the Problem a RunConfig names.
#include <memory>

#include "core/problem.hpp"
#include "io/run_config.hpp"

namespace pint {
std::shared_ptr<const Problem> make_problem(const RunConfig& config);
}  // namespace pint

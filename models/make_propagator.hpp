#pragma once
/// \file
/// Builds a numerical propagator for a problem on the execution space chosen at run time.

#include <memory>

#include "core/problem.hpp"
#include "core/propagator.hpp"
#include "models/integrator.hpp"
#include "spaces/space_kind.hpp"

namespace pint {

/// `blocks` > 0 forces the tridiagonal solver's block count (tests); 0 lets the space decide.
std::unique_ptr<Propagator> make_propagator(std::shared_ptr<const Problem> problem, const IntegratorConfig& config,
                                            SpaceKind space, int blocks = 0);

}  // namespace pint

#pragma once
/// \file
/// The general operator of a problem of the tridiagonal form (f = L u, L constant and tridiagonal, ends
/// from boundary_values): what the general integrators (ADI excepted: no split) and SDC's batched node
/// solves use on Black-Scholes, heat 1-D and Dahlquist. The fused theta step stays their fast path
/// (models/theta_propagator.hpp); this one makes them available to every algorithm written against the
/// general interface, and lets tests compare the two paths.

#include <memory>

#include "core/problem.hpp"
#include "core/problem_operator.hpp"

namespace pint {

/// The operator of `problem` (which must be of the tridiagonal form) on `space`.
std::unique_ptr<ProblemOperatorBase> make_tridiagonal_operator(std::shared_ptr<const Problem> problem, SpaceKind space);

/// Any problem's operator: the generic one above for the tridiagonal form, else the problem's own.
std::unique_ptr<ProblemOperatorBase> make_problem_operator(std::shared_ptr<const Problem> problem, SpaceKind space);

}  // namespace pint

#pragma once
/// \file
/// Newton's two settings as declared parameters of a registered problem (newton_tolerance,
/// newton_max_iterations in its config table and --param), read back and checked: one definition for
/// every nonlinear problem.

#include <stdexcept>
#include <string>
#include <vector>

#include "core/problem_operator.hpp"
#include "core/problem_registry.hpp"

namespace pint {

/// The declarations, with `defaults` as default values.
inline std::vector<ProblemParameter> newton_parameters(const NewtonSettings& defaults) {
  return {{"newton_tolerance", defaults.tolerance, "Newton's relative residual", false, 1e-300, 1},
          {"newton_max_iterations", double(defaults.max_iterations), "Newton's iteration cap", true, 1, 1000000}};
}

/// The settings from a problem's parameters.
inline NewtonSettings newton_settings(const ProblemParameters& p) {
  return {p.get("newton_tolerance"), p.get_int("newton_max_iterations")};
}

/// Throws std::invalid_argument naming `problem` for settings Newton cannot run with.
inline void check_newton(const NewtonSettings& s, const std::string& problem) {
  if (!(s.tolerance > 0) || s.max_iterations < 1)
    throw std::invalid_argument(problem + ": newton_tolerance must be positive and newton_max_iterations >= 1");
}

}  // namespace pint

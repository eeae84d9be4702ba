#pragma once
/// \file
/// Is an explicit integrator stable on a problem? Explicit Euler and RK4 are stable on du/dt = L u
/// only while dt |lambda| stays inside their stability interval on the negative real axis ([-2, 0]
/// for explicit Euler, [-2.785, 0] for RK4) for every decaying eigenvalue lambda of L. pint refuses
/// an unstable explicit configuration up front, with the smallest step count that is stable, instead
/// of producing garbage that is finite and returning success.

#include <string>

#include "core/problem.hpp"
#include "models/integrator.hpp"

namespace pint {

struct DecayRate {
  double rate = 0.0;   ///< max(0, -lambda_min) over L restricted to the unknowns that are not prescribed
  bool exact = false;  ///< true: an eigenvalue computed to round-off; false: a Gershgorin bound
};

/// The largest decay rate of the problem's operator: the sum of those of its stability_operators() at the
/// initial state (for a nonlinear problem: of its Jacobian there; one per direction of a 2-D grid). Each is
/// tridiagonal: where the products of its
/// off-diagonal pairs are >= 0 it is similar to a symmetric tridiagonal matrix, whose smallest
/// eigenvalue LAPACK's dstebz finds by bisection to round-off (exact = true). Otherwise (convection
/// dominating diffusion somewhere) the eigenvalues may be complex, and the Gershgorin bound
/// max |d_i| + |l_i| + |u_i| is used instead: an overestimate, so the check errs on the safe side.
DecayRate largest_decay_rate(const Problem& problem);
/// The same for one tridiagonal matrix, its first and last rows dropped where `dirichlet_ends`.
DecayRate largest_decay_rate(const Tridiagonal& op, bool dirichlet_ends);

/// dt times the decay rate may be at most this for `method`: 2 (explicit Euler), 2.7853 (RK4), and
/// infinity for the implicit methods.
double stability_limit(Integrator method);

/// Smallest number of steps per slice of `slice_length` that keeps `method` stable for `rate`.
long smallest_stable_steps(Integrator method, double rate, double slice_length);

/// Throws std::invalid_argument if `config` is an explicit method that is unstable on `problem` for
/// slices of `slice_length`. `role` is "fine" or "coarse": the message names --ROLE-steps and
/// --ROLE-method, the smallest stable step count, and --allow-unstable.
/// `per` names what one call covers in the message ("slice"; MGRIT's coarse levels: "step of the coarsest
/// level (4 slices)").
void check_stability(const Problem& problem, const IntegratorConfig& config, double slice_length,
                     const std::string& role, const std::string& per = "slice");

}  // namespace pint

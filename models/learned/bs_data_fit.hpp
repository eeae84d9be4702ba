#pragma once
/// \file
/// The data-only network of seed 000's Fig. 3: the same network form as the PINN (bs_pinn.hpp, with its
/// built-in expiry and boundary values), trained instead to match a serial fine-solver trajectory of the
/// problem. Keeping the form and the training schedule identical makes the PINN / data-only comparison one
/// of the training signal alone: the PDE residual everywhere, or fine-solver values on the grid.
///
/// The data: the fine propagator pint runs by default (Crank-Nicolson with a Rannacher start, 3200 steps
/// over T, the problem's grid), every `snapshot_steps` steps, on the grid points inside the network's
/// extent. A batch draws points from the PINN's collocation distribution and snaps each to the nearest
/// stored (tau, S): the fit sees the same regions, weighted the same way.

#include "models/integrator.hpp"
#include "models/learned/bs_pinn.hpp"
#include "spaces/torch_headers.hpp"

namespace pint {

struct FineTrajectory {
  double dtau = 0, ds = 0;  ///< spacing of the stored times and grid points
  torch::Tensor values;     ///< V[j][i] at tau = j dtau, S = i ds; float64 [times, points]
};

struct FineTrajectoryConfig {
  IntegratorConfig fine{Integrator::CrankNicolson, 200, 4};  ///< per slice, as `pint run`'s fine default
  int slices = 16;
  int snapshot_steps = 10;  ///< fine steps between stored states (must divide fine.steps)
};

/// Runs the serial fine solver of `p` (host space) and keeps the states on S in [0, s_limit].
/// Throws std::invalid_argument for a snapshot interval that does not divide the steps per slice.
FineTrajectory fine_trajectory(const BlackScholesParams& p, double s_limit, const FineTrajectoryConfig& cfg = {});

/// Trains `net` (reset from cfg.seed) to match `data`: loss mean ((V - V_fine) / K)^2.
PinnTrainResult train_data_only(BlackScholesPinn& net, const PinnTraining& cfg, const FineTrajectory& data,
                                const TrainingProgress& progress = {});

}  // namespace pint

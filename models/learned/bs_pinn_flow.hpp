#pragma once
/// \file
/// pint's Black-Scholes PINN (models/learned/bs_pinn.hpp) as a training problem of the ParaFlow optimisers
/// (models/learned/paraflow.hpp): the network's weights as one flat float64 vector W (the module's parameters in
/// their registration order: each layer's weight [out, in], then its bias), a FIXED collocation set of N points
/// drawn once from the seed, and per-sample losses r_i^2 / N, so that the full loss is the mean squared residual
/// `pint train` reports for Adam (the same number, on the same scale) and a mini-batch of b points costs b
/// gradient evaluations, the ParaFlow budget's unit. Used by `pint train --optimizer gd|paraflows|paraflow`.
#include <cstdint>

#include "models/learned/bs_pinn.hpp"
#include "models/learned/paraflow.hpp"
#include "models/learned/paraflow_problems.hpp"

namespace pint {

class BlackScholesPinnFlow final : public TrainingProblem {
 public:
  /// `points` collocation points from sample_collocation (seeded by `point_seed`).
  BlackScholesPinnFlow(const BlackScholesParams& problem, const PinnArchitecture& arch, int points,
                       std::uint64_t point_seed);
  std::string name() const override { return "black-scholes-pinn"; }
  int samples() const override { return static_cast<int>(tau_.size(0)); }
  const std::vector<int64_t>& layers() const override { return layers_; }
  const torch::Tensor& inputs() const override { return inputs_; }
  /// The weights BlackScholesPinnImpl::reset_weights(seed) gives (Xavier-normal, zero biases), flattened: every
  /// optimiser starts where Adam's `pint train` starts.
  torch::Tensor initial_weights(std::uint64_t seed) const override;
  torch::Tensor loss(const torch::Tensor& W, const torch::Tensor& idx) const override;
  /// V at (tau, S) for the weights W (no module involved).
  torch::Tensor value(const torch::Tensor& W, const torch::Tensor& tau, const torch::Tensor& S) const;

 private:
  BlackScholesParams p_;
  PinnArchitecture arch_;
  std::vector<int64_t> layers_;
  torch::Tensor tau_, S_, inputs_;
};

/// The module's parameters as one flat vector (copies).
torch::Tensor flatten_weights(BlackScholesPinn& net);
/// Writes W into the module's parameters; throws std::invalid_argument if the length does not fit.
void assign_weights(BlackScholesPinn& net, const torch::Tensor& W);

}  // namespace pint

namespace pint {

/// Trains `net` with a ParaFlow-family optimiser (`s.variant`: gd, adam, paraflows, paraflow) on a fixed
/// collocation set of `points` points drawn from `s.seed`, starting from the weights Adam's `pint train` starts
/// from (reset_weights(s.seed)); the final weights are written into `net`. Throws std::invalid_argument for bad
/// settings (before training) and std::runtime_error if the weights end non-finite (no model to save).
ParaflowResult train_pinn_flow(BlackScholesPinn& net, const ParaflowSettings& s, int points,
                               const std::function<void(double, double)>& progress = {});

}  // namespace pint

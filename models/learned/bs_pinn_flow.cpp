#include "models/learned/bs_pinn_flow.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace pint {

BlackScholesPinnFlow::BlackScholesPinnFlow(const BlackScholesParams& problem, const PinnArchitecture& arch, int points,
                                           std::uint64_t point_seed)
    : p_(problem), arch_(arch) {
  if (points < 1) throw std::invalid_argument("the PINN's collocation set needs at least 1 point");
  BlackScholesPinn probe(problem, arch);  // checks the architecture and the problem as training does
  layers_.push_back(3);
  for (int l = 0; l < arch.layers; ++l) layers_.push_back(arch.width);
  layers_.push_back(1);
  auto gen = torch::make_generator<torch::CPUGeneratorImpl>(point_seed);
  const TrainingBatch b = sample_collocation(problem, arch.x_extent, points, gen);
  tau_ = b.tau;
  S_ = b.S;
  inputs_ = torch::stack({tau_, S_}, 1);
  set_samples(points);
}

torch::Tensor BlackScholesPinnFlow::initial_weights(std::uint64_t seed) const {
  BlackScholesPinn net(p_, arch_);
  net->reset_weights(seed);
  return flatten_weights(net);
}

torch::Tensor BlackScholesPinnFlow::value(const torch::Tensor& W, const torch::Tensor& tau,
                                          const torch::Tensor& S) const {
  return pinn_value(p_, arch_, tau, S, [&](const torch::Tensor& features) {
    return mlp_forward(W, layers_, features, arch_.activation, "linear");
  });
}

torch::Tensor BlackScholesPinnFlow::loss(const torch::Tensor& W, const torch::Tensor& idx) const {
  const torch::Tensor r =
      pinn_residual(p_, tau_.index_select(0, idx), S_.index_select(0, idx),
                    [&](const torch::Tensor& tau, const torch::Tensor& S) { return value(W, tau, S); });
  return r.pow(2).sum() / static_cast<double>(samples());
}

torch::Tensor flatten_weights(BlackScholesPinn& net) {
  std::vector<torch::Tensor> parts;
  for (const auto& p : net->parameters()) parts.push_back(p.detach().reshape({-1}));
  return torch::cat(parts).clone();
}

void assign_weights(BlackScholesPinn& net, const torch::Tensor& W) {
  int64_t total = 0;
  for (const auto& p : net->parameters()) total += p.numel();
  if (W.dim() != 1 || W.numel() != total)
    throw std::invalid_argument("a weight vector of " + std::to_string(W.numel()) +
                                " entries does not fit a network of " + std::to_string(total) + " weights");
  torch::NoGradGuard ng;
  int64_t at = 0;
  for (auto& p : net->parameters()) {
    p.copy_(W.narrow(0, at, p.numel()).view(p.sizes()));
    at += p.numel();
  }
}

ParaflowResult train_pinn_flow(BlackScholesPinn& net, const ParaflowSettings& s, int points,
                               const std::function<void(double, double)>& progress) {
  const BlackScholesPinnFlow problem(net->problem(), net->architecture(), points, s.seed);
  ParaflowResult r = run_paraflow(problem, s, progress);
  // A loss that is not finite, or above the untrained network's, means the step length is beyond the stable
  // one (GD, Adam; ParaFlowS never increases the loss): such weights are never saved.
  if (!torch::isfinite(r.weights).all().item<bool>() || !std::isfinite(r.final_loss) || r.final_loss > r.initial_loss) {
    std::ostringstream m;
    m << "training diverged: the loss went from " << r.initial_loss << " to " << r.final_loss
      << "; no model was written. Lower --eta (now " << s.eta << ") and train again";
    throw std::runtime_error(m.str());
  }
  assign_weights(net, r.weights);
  net->set_training(SurfaceTraining::Residual);
  return r;
}

}  // namespace pint

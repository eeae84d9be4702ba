#include "models/learned/bs_data_fit.hpp"

#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>

#include "models/make_propagator.hpp"
#include "spaces/registry.hpp"

namespace pint {

FineTrajectory fine_trajectory(const BlackScholesParams& p, double s_limit, const FineTrajectoryConfig& cfg) {
  validate(cfg.fine);
  if (cfg.slices < 1 || cfg.snapshot_steps < 1 || cfg.fine.steps % cfg.snapshot_steps != 0)
    throw std::invalid_argument("fine trajectory: snapshot_steps (" + std::to_string(cfg.snapshot_steps) +
                                ") must divide the fine steps per slice (" + std::to_string(cfg.fine.steps) + ")");
  auto problem = std::make_shared<BlackScholesProblem>(p);
  IntegratorConfig per_call = cfg.fine;
  per_call.steps = cfg.snapshot_steps;
  // Calls of snapshot_steps steps take the same steps as calls of a whole slice: only the first call
  // starts at tau = 0, so the Rannacher start happens once, as in the serial fine run.
  auto F = make_propagator(problem, per_call, SpaceKind::Serial);
  const int calls = cfg.slices * (cfg.fine.steps / cfg.snapshot_steps);
  const double dtau = p.maturity / calls;
  const auto n_keep = static_cast<int64_t>(
      std::min<double>(static_cast<double>(problem->size()), std::floor(s_limit / p.ds + 1e-9) + 1.0));
  FineTrajectory out;
  out.dtau = dtau;
  out.ds = p.ds;
  out.values = torch::empty({calls + 1, n_keep}, torch::kFloat64);
  auto V = out.values.accessor<double, 2>();
  HostVector u("u", problem->size()), next("next", problem->size());
  problem->initial_condition(u);
  for (int j = 0;; ++j) {
    for (int64_t i = 0; i < n_keep; ++i) V[j][i] = u(i);
    if (j == calls) break;
    F->propagate(u, j * dtau, (j + 1) * dtau, next);
    std::swap(u, next);
  }
  return out;
}

PinnTrainResult train_data_only(BlackScholesPinn& net, const PinnTraining& cfg, const FineTrajectory& data,
                                const TrainingProgress& progress) {
  const BlackScholesParams p = net->problem();
  const double L = net->architecture().x_extent, K = p.strike;
  const int64_t nt = data.values.size(0), ns = data.values.size(1);
  const auto flat = data.values.reshape({-1});
  net->set_training(SurfaceTraining::Data);
  auto sample = [&](int n, torch::Generator& gen) {
    TrainingBatch b = sample_collocation(p, L, n, gen);
    const auto j = torch::clamp(torch::round(b.tau / data.dtau), 0, static_cast<double>(nt - 1)).to(torch::kInt64);
    const auto i = torch::clamp(torch::round(b.S / data.ds), 0, static_cast<double>(ns - 1)).to(torch::kInt64);
    b.tau = j.to(torch::kFloat64) * data.dtau;
    b.S = i.to(torch::kFloat64) * data.ds;
    b.target = flat.index_select(0, j * ns + i);
    return b;
  };
  auto loss = [K](BlackScholesPinn& nn, const TrainingBatch& b, PinnLoss& terms) {
    const torch::Tensor l = ((nn->forward(b.tau, b.S) - b.target) / K).pow(2).mean();
    terms.data = l.item<double>();
    return l;
  };
  return train_network(net, cfg, sample, loss, progress);
}

}  // namespace pint

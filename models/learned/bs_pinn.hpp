#pragma once
/// \file
/// A physics-informed network for the Black-Scholes call in time to maturity (seed 000 eq. (11)-(14)),
/// trained by pint itself (`pint train`), and its use as the learned surface of a coarse propagator.
///
/// Form (x = S / K, t = tau / T, L = x-extent of the network, v = V / K):
///   v = B(tau, x) + t * 2 x (L - x) / ((1 + x) L) * NN(2 sqrt(t) - 1, 2 x / L - 1, z),
///   z = tanh((x - e^{-r tau}) / (sigma sqrt(tau) + 0.02)),
///   B = R(x) - (1 - x/L) R(0) - (x/L) (R(L) - L + e^{-r tau}),
///   R(xi) = (xi - e^{-r tau}) Phi((xi - e^{-r tau}) / eps) + eps phi((xi - e^{-r tau}) / eps), eps = sigma sqrt(tau),
/// and V = S - K e^{-r tau} beyond S = L K. R is the payoff ramp smoothed by a heat kernel of width
/// sigma sqrt(tau) (not the Black-Scholes formula): it carries the kink, whose sqrt(tau)-wide layer a
/// network of plain (tau, S) cannot resolve (with max(S - K e^{-r tau}, 0) as base the residual vanishes
/// away from the kink and training stalls at the base's error). Expiry (tau = 0), S = 0 and the far
/// field at S = L K hold exactly by construction (hard constraints): the loss is the PDE residual alone,
/// and the boundary and expiry terms on the progress bar are measured, not trained (0 to round-off).
/// Inputs are of order one and the residual is written for v and t,
///   v_t - T (1/2 sigma^2 x^2 v_xx + r x v_x - r v),
/// so it starts near 1, not 1e3 as in the paper. The activation is smooth (tanh by default): ReLU has a
/// zero second derivative and loses the diffusion term. Recipe from a study (16 slices, 3 min on one
/// thread): max error 0.03 to 0.2 on S in [K/2, 2K], against 2.5e-3 to 1e-2 for 100 implicit-Euler steps.

#include <functional>
#include <string>
#include <vector>

#include "models/black_scholes.hpp"
#include "models/learned/surface_model.hpp"
#include "spaces/torch_headers.hpp"

namespace pint {

struct PinnArchitecture {
  int layers = 4;                   ///< hidden layers
  int width = 40;                   ///< neurons per hidden layer
  std::string activation = "tanh";  ///< tanh | silu
  double x_extent = 10.0;           ///< L: the network covers S in [0, L K]
};

struct PinnTraining {
  int epochs = 2500;  ///< Adam steps (one mini-batch each)
  int batch = 2048;   ///< collocation points per step (half uniform, half near the kink)
  double learning_rate = 2e-3;
  double lr_decay = 0.01;      ///< learning rate multiplied by this over the whole run (exponential)
  int lbfgs_iterations = 150;  ///< L-BFGS iterations on a fixed batch after Adam (0 = none)
  int lbfgs_batch = 8192;
  std::uint64_t seed = 1;
  /// A wall-time limit in seconds (0 = none): no Adam step or L-BFGS iteration starts after it (for comparisons
  /// at equal wall time; a run it stops is not reproducible).
  double max_seconds = 0;
};

struct PinnLoss {
  double residual = 0, boundary = 0, expiry = 0;
  double data = 0;  ///< data-only training: mean ((V - V_fine) / K)^2 on the batch (0 for the PINN)
};

/// What a network was trained on, recorded in its model file: the PDE residual (the PINN) or the
/// values of a fine-solver trajectory (the data-only network of seed 000 Fig. 3, models/learned/bs_data_fit.hpp).
enum class SurfaceTraining { Residual, Data };
std::string to_string(SurfaceTraining t);

class BlackScholesPinnImpl : public torch::nn::Module {
 public:
  BlackScholesPinnImpl(const BlackScholesParams& problem, const PinnArchitecture& arch);
  /// V at (tau, S) (1-D float64 tensors of equal length).
  torch::Tensor forward(const torch::Tensor& tau, const torch::Tensor& S);
  /// Fresh weights (Xavier-normal, zero biases) from `seed`: training starts from here, so a model is
  /// reproducible from its seed whatever the global random state was.
  void reset_weights(std::uint64_t seed);
  const BlackScholesParams& problem() const { return p_; }
  const PinnArchitecture& architecture() const { return arch_; }
  double s_scale() const { return s_scale_; }
  SurfaceTraining training() const { return training_; }
  void set_training(SurfaceTraining t) { training_ = t; }

 private:
  BlackScholesParams p_;
  PinnArchitecture arch_;
  SurfaceTraining training_ = SurfaceTraining::Residual;
  double s_scale_;
  torch::nn::Sequential net_{nullptr};
};
TORCH_MODULE(BlackScholesPinn);

/// The network part of the PINN: features [n, 3] -> [n, 1] (the module's layers, or a functional forward of a flat
/// weight vector for optimisers that work on one, models/learned/bs_pinn_flow.hpp).
using PinnNetwork = std::function<torch::Tensor(const torch::Tensor& features)>;

/// V at (tau, S): the hard-constrained form above around `network`. BlackScholesPinnImpl::forward is this with
/// its own layers.
torch::Tensor pinn_value(const BlackScholesParams& p, const PinnArchitecture& arch, const torch::Tensor& tau,
                         const torch::Tensor& S, const PinnNetwork& network);

/// The PDE residual of `value` at each point (tau, S), scaled by T / K (see above), differentiable in whatever
/// `value` depends on besides (tau, S).
torch::Tensor pinn_residual(const BlackScholesParams& p, const torch::Tensor& tau, const torch::Tensor& S,
                            const std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&)>& value);

/// The scaled PDE residual and the (hard-constrained, so measured) boundary and expiry errors on a batch.
PinnLoss pinn_loss_terms(BlackScholesPinn& net, const torch::Tensor& tau, const torch::Tensor& S,
                         torch::Tensor* residual_loss = nullptr);

struct PinnTrainResult {
  std::vector<PinnLoss> history;  ///< per logged step
  std::vector<int> history_step;
  std::vector<double> history_seconds;    ///< wall time at each record
  std::vector<double> history_gradients;  ///< gradient evaluations of single points at each record
  PinnLoss final_loss;
  double seconds = 0;
  double gradients = 0;  ///< Adam: steps x batch; L-BFGS: each loss-and-gradient evaluation x its batch
};

using TrainingProgress = std::function<void(int, int, const PinnLoss&)>;

/// Trains `net` on its problem; `progress(step, total, loss)` is called every few steps.
PinnTrainResult train_pinn(BlackScholesPinn& net, const PinnTraining& cfg, const TrainingProgress& progress = {});

/// One batch of training points (tau, S); `target` holds data values where the loss needs them.
struct TrainingBatch {
  torch::Tensor tau, S, target;
};
using BatchSampler = std::function<TrainingBatch(int n, torch::Generator& gen)>;
/// The loss on a batch (a differentiable scalar); fills the terms shown on the progress bar.
using BatchLoss = std::function<torch::Tensor(BlackScholesPinn& net, const TrainingBatch& batch, PinnLoss& terms)>;

/// The training schedule shared by every loss: Adam on a fresh batch per step with an exponentially
/// decaying learning rate, then L-BFGS on one fixed batch. Resets the weights from cfg.seed first.
PinnTrainResult train_network(BlackScholesPinn& net, const PinnTraining& cfg, const BatchSampler& sample,
                              const BatchLoss& loss, const TrainingProgress& progress = {});

/// Collocation points (tau, S) as the PINN samples them: half uniform over the network's extent, half
/// concentrated around the strike at small tau, where the solution varies fastest.
TrainingBatch sample_collocation(const BlackScholesParams& p, double x_extent, int n, torch::Generator& gen);

/// Saves weights and a metadata record (problem, architecture) that load_pinn checks.
void save_pinn(BlackScholesPinn& net, const std::string& path);
/// Loads a model for `problem`; throws std::invalid_argument naming a mismatch (problem parameters,
/// architecture) or a corrupt file.
BlackScholesPinn load_pinn(const std::string& path, const BlackScholesParams& problem);
/// Loads a model with the parameters it was trained for, whatever the run's (for generalisation
/// studies: the network then describes another problem than the one F solves); `trained` receives them.
BlackScholesPinn load_pinn_as_trained(const std::string& path, BlackScholesParams* trained = nullptr);

/// The trained network as the learned surface of a coarse propagator.
std::shared_ptr<SurfaceModel> pinn_surface(BlackScholesPinn net, const std::string& description);

}  // namespace pint

#pragma once
/// \file
/// The three training problems of seed 001 (Bellezza, Ciaramella, Macchini, Mazzieri, Verani: ParaFlow), each a
/// network whose weights are one flat float64 vector W and a loss that is a SUM over samples of per-sample losses,
/// so that the gradient of a mini-batch of b samples costs b "gradient evaluations of single samples" (the
/// paper's budget unit). Decisions the paper leaves open (stated here and in the README):
///   - loss: sum over samples of 1/2 |y - a|^2 (Table 1's GD values of 2.5 and 5.0 are sums over 10 samples, not
///     eq. (1)'s mean); for the PINN the per-sample losses 1/2 (Laplace u + 1)^2 inside and 1/2 u^2 on the boundary;
///   - classifier [2, 3, 3, 2]: sigmoid in every layer, the output included (Higham and Higham's network), weights
///     and biases drawn from N(0, 0.5^2) as in their code; approximation [1, 16, 16, 1]: sigmoid hidden layers, a
///     linear output (e^-x sin x is negative on (pi, 2 pi): a sigmoid output cannot reach it), Glorot-normal
///     weights and zero biases; PINN [2, 50, 50, 50, 50, 1]: tanh (DeepXDE's default activation for this example;
///     a PINN needs a second derivative, which ReLU lacks), Glorot-normal weights, zero biases;
///   - PINN points: 120 on the boundary of the L-shape, equispaced along its perimeter of length 8 (1/15 apart,
///     from (-1, -1)), and 1320 inside, uniform by rejection from a fixed seed (1440 in all: the paper's 1448 does
///     not match its own 120 + 1320, and pint uses what it states);
///   - every random number (initial weights, PINN points, mini-batches) comes from std::mt19937_64 streams of
///     pint's own, so that runs are bit-reproducible from the seed whatever LibTorch's generators do.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "spaces/torch_headers.hpp"

namespace pint {

class TrainingProblem {
 public:
  virtual ~TrainingProblem() = default;
  virtual std::string name() const = 0;
  /// N: the full batch.
  virtual int samples() const = 0;
  /// Layer widths, input first: [2, 3, 3, 2] etc.
  virtual const std::vector<int64_t>& layers() const = 0;
  /// Number of weights (the length of W).
  int64_t weight_count() const;
  /// The seeded initial weights.
  virtual torch::Tensor initial_weights(std::uint64_t seed) const = 0;
  /// The sum over the samples `idx` (int64 indices into 0..N-1) of the per-sample losses, differentiable in W.
  virtual torch::Tensor loss(const torch::Tensor& W, const torch::Tensor& idx) const = 0;
  /// The full loss at W (no gradient).
  double full_loss(const torch::Tensor& W) const;
  /// d loss(W, idx) / dW.
  torch::Tensor gradient(const torch::Tensor& W, const torch::Tensor& idx) const;
  /// All indices 0..N-1.
  const torch::Tensor& all() const { return all_; }
  /// The samples' inputs [N, layers[0]] (the PINN: boundary points first).
  virtual const torch::Tensor& inputs() const = 0;

 protected:
  void set_samples(int n);

 private:
  torch::Tensor all_;
};

/// "classifier", "approximation", "poisson-l"; throws std::invalid_argument listing them. `loss`: "sum" (the
/// decision above) or, for poisson-l only, "mean": DeepXDE's loss, the mean squared residual over the batch's
/// interior points plus the mean squared value over its boundary points (what the paper's PINN, built with
/// DeepXDE, most likely minimised: its Table 3 GD values and step lengths fit it, not the sum).
std::unique_ptr<TrainingProblem> make_training_problem(const std::string& name, const std::string& loss = "sum");
std::vector<std::string> training_problem_names();

/// The network's output for inputs x [batch, layers[0]]: dense layers with `hidden` after each hidden layer and
/// `output` after the last (each "sigmoid", "tanh", "silu" or "linear"). W holds each layer's weight [out, in] then
/// bias [out].
torch::Tensor mlp_forward(const torch::Tensor& W, const std::vector<int64_t>& layers, const torch::Tensor& x,
                          const std::string& hidden, const std::string& output);

}  // namespace pint

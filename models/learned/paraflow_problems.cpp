#include "models/learned/paraflow_problems.hpp"

#include <cmath>
#include <random>
#include <stdexcept>

namespace pint {

namespace {

const auto kF64 = torch::TensorOptions().dtype(torch::kFloat64);

torch::Tensor activate(const torch::Tensor& z, const std::string& name) {
  if (name == "sigmoid") return torch::sigmoid(z);
  if (name == "tanh") return torch::tanh(z);
  if (name == "silu") return torch::silu(z);
  if (name == "linear") return z;
  throw std::invalid_argument("unknown activation '" + name + "'; use sigmoid, tanh, silu or linear");
}

/// Fills W layer by layer: weights from N(0, std(layer)^2), biases from N(0, bias_std^2).
torch::Tensor normal_weights(const std::vector<int64_t>& layers, std::uint64_t seed, bool glorot, double fixed_std) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> w;
  for (std::size_t l = 0; l + 1 < layers.size(); ++l) {
    const int64_t in = layers[l], out = layers[l + 1];
    const double s = glorot ? std::sqrt(2.0 / static_cast<double>(in + out)) : fixed_std;
    for (int64_t i = 0; i < in * out; ++i) w.push_back(s * normal(rng));
    for (int64_t i = 0; i < out; ++i) w.push_back(glorot ? 0.0 : fixed_std * normal(rng));
  }
  return torch::tensor(w, kF64);
}

/// Fitting the network to data (x_i, y_i): per-sample loss 1/2 |y_i - a(x_i)|^2.
class DataFit final : public TrainingProblem {
 public:
  DataFit(std::string name, std::vector<int64_t> layers, torch::Tensor x, torch::Tensor y, std::string output,
          bool glorot, double init_std)
      : name_(std::move(name)),
        layers_(std::move(layers)),
        x_(std::move(x)),
        y_(std::move(y)),
        output_(std::move(output)),
        glorot_(glorot),
        init_std_(init_std) {
    set_samples(static_cast<int>(x_.size(0)));
  }
  std::string name() const override { return name_; }
  int samples() const override { return static_cast<int>(x_.size(0)); }
  const std::vector<int64_t>& layers() const override { return layers_; }
  const torch::Tensor& inputs() const override { return x_; }
  torch::Tensor initial_weights(std::uint64_t seed) const override {
    return normal_weights(layers_, seed, glorot_, init_std_);
  }
  torch::Tensor loss(const torch::Tensor& W, const torch::Tensor& idx) const override {
    const torch::Tensor a = mlp_forward(W, layers_, x_.index_select(0, idx), "sigmoid", output_);
    return 0.5 * (y_.index_select(0, idx) - a).pow(2).sum();
  }

 private:
  std::string name_;
  std::vector<int64_t> layers_;
  torch::Tensor x_, y_;
  std::string output_;
  bool glorot_;
  double init_std_;
};

/// Higham and Higham's 10 points (SIAM Review 2019), first five class A (1, 0), last five class B (0, 1); sigmoid
/// everywhere, weights and biases N(0, 0.5^2).
std::unique_ptr<TrainingProblem> classifier() {
  const std::vector<double> x1{0.1, 0.3, 0.1, 0.6, 0.4, 0.6, 0.5, 0.9, 0.4, 0.7},
      x2{0.1, 0.4, 0.5, 0.9, 0.2, 0.3, 0.6, 0.2, 0.4, 0.6};
  torch::Tensor y = torch::zeros({10, 2}, kF64);
  for (int i = 0; i < 10; ++i) y[i][i < 5 ? 0 : 1] = 1.0;
  return std::make_unique<DataFit>("classifier", std::vector<int64_t>{2, 3, 3, 2},
                                   torch::stack({torch::tensor(x1, kF64), torch::tensor(x2, kF64)}, 1), y, "sigmoid",
                                   false, 0.5);
}

/// e^-x sin x on 30 equispaced points of [0, 10]; a linear output, Glorot-normal weights.
std::unique_ptr<TrainingProblem> approximation() {
  const torch::Tensor x = torch::linspace(0.0, 10.0, 30, kF64).unsqueeze(1);
  return std::make_unique<DataFit>("approximation", std::vector<int64_t>{1, 16, 16, 1}, x,
                                   torch::exp(-x) * torch::sin(x), "linear", true, 0.0);
}

/// -Laplace u = 1 on [-1, 1]^2 minus [0, 1]^2, u = 0 on the boundary: samples 0..119 on the boundary, then 1320
/// inside.
class PoissonL final : public TrainingProblem {
 public:
  static constexpr int kBoundary = 120, kInterior = 1320;
  /// `mean`: DeepXDE's loss, mean over the batch's interior points of (Laplace u + 1)^2 plus mean over its boundary
  /// points of u^2 (no 1/2); otherwise the sum of the per-sample losses 1/2 r^2.
  explicit PoissonL(bool mean) : mean_(mean) {
    std::vector<double> px, py;
    // The perimeter from (-1, -1) counter-clockwise: corners of the L in order, 8 units long.
    const double cx[] = {-1, 1, 1, 0, 0, -1, -1}, cy[] = {-1, -1, 0, 0, 1, 1, -1};
    for (int k = 0; k < kBoundary; ++k) {
      double s = 8.0 * k / kBoundary;
      int e = 0;
      for (;; ++e) {
        const double len = std::hypot(cx[e + 1] - cx[e], cy[e + 1] - cy[e]);
        if (s < len || e == 5) {
          px.push_back(cx[e] + (cx[e + 1] - cx[e]) * s / len);
          py.push_back(cy[e] + (cy[e + 1] - cy[e]) * s / len);
          break;
        }
        s -= len;
      }
    }
    std::mt19937_64 rng(20250101);  // the points are data: fixed, whatever the run's seed
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    while (static_cast<int>(px.size()) < kBoundary + kInterior) {
      const double x = u(rng), y = u(rng);
      if (x > 0.0 && y > 0.0) continue;                                // the removed quadrant
      if (x <= -1.0 || y <= -1.0 || (x >= 0.0 && y >= 0.0)) continue;  // strictly inside
      px.push_back(x);
      py.push_back(y);
    }
    x_ = torch::stack({torch::tensor(px, kF64), torch::tensor(py, kF64)}, 1);
    set_samples(kBoundary + kInterior);
  }
  std::string name() const override { return mean_ ? "poisson-l (mean loss)" : "poisson-l"; }
  int samples() const override { return kBoundary + kInterior; }
  const std::vector<int64_t>& layers() const override { return layers_; }
  const torch::Tensor& inputs() const override { return x_; }
  torch::Tensor initial_weights(std::uint64_t seed) const override { return normal_weights(layers_, seed, true, 0.0); }
  torch::Tensor loss(const torch::Tensor& W, const torch::Tensor& idx) const override {
    const torch::Tensor inside = idx.ge(kBoundary);
    const torch::Tensor bi = idx.masked_select(inside.logical_not()), ii = idx.masked_select(inside);
    torch::Tensor total = torch::zeros({}, kF64);
    if (bi.numel() > 0) {
      const torch::Tensor u = mlp_forward(W, layers_, x_.index_select(0, bi), "tanh", "linear");
      total = total + (mean_ ? u.pow(2).mean() : 0.5 * u.pow(2).sum());
    }
    if (ii.numel() > 0) {
      const torch::Tensor x = x_.index_select(0, ii).detach().requires_grad_(true);
      const torch::Tensor u = mlp_forward(W, layers_, x, "tanh", "linear");
      const torch::Tensor g = torch::autograd::grad({u.sum()}, {x}, {}, true, true)[0];
      const torch::Tensor uxx = torch::autograd::grad({g.select(1, 0).sum()}, {x}, {}, true, true)[0].select(1, 0);
      const torch::Tensor uyy = torch::autograd::grad({g.select(1, 1).sum()}, {x}, {}, true, true)[0].select(1, 1);
      const torch::Tensor r2 = (uxx + uyy + 1.0).pow(2);
      total = total + (mean_ ? r2.mean() : 0.5 * r2.sum());
    }
    return total;
  }

 private:
  std::vector<int64_t> layers_{2, 50, 50, 50, 50, 1};
  torch::Tensor x_;
  bool mean_;
};

}  // namespace

int64_t TrainingProblem::weight_count() const {
  int64_t n = 0;
  const auto& l = layers();
  for (std::size_t i = 0; i + 1 < l.size(); ++i) n += l[i] * l[i + 1] + l[i + 1];
  return n;
}

void TrainingProblem::set_samples(int n) {
  all_ = torch::arange(n, torch::TensorOptions().dtype(torch::kInt64));
}

double TrainingProblem::full_loss(const torch::Tensor& W) const {
  // The PINN's loss differentiates with respect to the inputs: autograd stays on, W is detached.
  return loss(W.detach(), all_).item<double>();
}

torch::Tensor TrainingProblem::gradient(const torch::Tensor& W, const torch::Tensor& idx) const {
  const torch::Tensor w = W.detach().requires_grad_(true);
  const torch::Tensor l = loss(w, idx);
  return torch::autograd::grad({l}, {w})[0];
}

torch::Tensor mlp_forward(const torch::Tensor& W, const std::vector<int64_t>& layers, const torch::Tensor& x,
                          const std::string& hidden, const std::string& output) {
  torch::Tensor a = x;
  int64_t at = 0;
  for (std::size_t l = 0; l + 1 < layers.size(); ++l) {
    const int64_t in = layers[l], out = layers[l + 1];
    const torch::Tensor w = W.narrow(0, at, in * out).view({out, in});
    at += in * out;
    const torch::Tensor b = W.narrow(0, at, out);
    at += out;
    a = torch::addmm(b, a, w.t());
    a = activate(a, l + 2 == layers.size() ? output : hidden);
  }
  return a;
}

std::vector<std::string> training_problem_names() {
  return {"classifier", "approximation", "poisson-l"};
}

std::unique_ptr<TrainingProblem> make_training_problem(const std::string& name, const std::string& loss) {
  if (loss != "sum" && loss != "mean")
    throw std::invalid_argument("unknown loss convention '" + loss + "'; use sum or mean");
  if (name == "poisson-l") return std::make_unique<PoissonL>(loss == "mean");
  if (loss == "mean")
    throw std::invalid_argument("--loss mean is DeepXDE's convention for the PINN (poisson-l); " + name +
                                " uses the sum, which Table 1's and Table 2's values imply");
  if (name == "classifier") return classifier();
  if (name == "approximation") return approximation();
  throw std::invalid_argument("unknown training problem '" + name + "'; use classifier, approximation or poisson-l");
}

}  // namespace pint

#include "models/learned/bs_pinn.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace pint {

namespace {

torch::nn::AnyModule activation(const std::string& name) {
  if (name == "tanh") return torch::nn::AnyModule(torch::nn::Tanh());
  if (name == "silu") return torch::nn::AnyModule(torch::nn::SiLU());
  throw std::invalid_argument("PINN activation '" + name +
                              "' is unknown; use tanh or silu (smooth: ReLU would drop "
                              "the diffusion term, its second derivative is 0)");
}

std::string metadata(const BlackScholesParams& p, const PinnArchitecture& a, SurfaceTraining training) {
  std::ostringstream m;
  m.precision(17);
  m << "pint-bs-pinn v1 option=" << (p.type == OptionType::Call ? "call" : "put") << " s_max=" << p.s_max
    << " strike=" << p.strike << " rate=" << p.rate << " sigma=" << p.sigma << " maturity=" << p.maturity
    << " layers=" << a.layers << " width=" << a.width << " activation=" << a.activation << " x_extent=" << a.x_extent
    << " training=" << to_string(training);
  return m.str();
}

std::string field(const std::string& meta, const std::string& key) {
  const auto pos = meta.find(" " + key + "=");
  if (pos == std::string::npos) return "";
  const auto start = pos + key.size() + 2;
  return meta.substr(start, meta.find(' ', start) - start);
}

}  // namespace

std::string to_string(SurfaceTraining t) {
  return t == SurfaceTraining::Data ? "data" : "residual";
}

BlackScholesPinnImpl::BlackScholesPinnImpl(const BlackScholesParams& problem, const PinnArchitecture& arch)
    : p_(problem), arch_(arch), s_scale_(problem.strike) {
  if (p_.type != OptionType::Call) throw std::invalid_argument("the PINN is built for the call (its hard constraints)");
  if (arch_.layers < 1 || arch_.width < 1) throw std::invalid_argument("PINN needs at least 1 layer of 1 neuron");
  if (!(arch_.x_extent > 1.0)) throw std::invalid_argument("PINN x_extent must exceed 1 (the strike)");
  net_ = torch::nn::Sequential();
  int in = 3;
  for (int l = 0; l < arch_.layers; ++l) {
    net_->push_back(torch::nn::Linear(in, arch_.width));
    net_->push_back(activation(arch_.activation));
    in = arch_.width;
  }
  net_->push_back(torch::nn::Linear(in, 1));
  register_module("net", net_);
  to(torch::kFloat64);
  reset_weights(0);
}

void BlackScholesPinnImpl::reset_weights(std::uint64_t seed) {
  torch::manual_seed(seed);
  torch::NoGradGuard ng;
  for (auto& m : net_->modules(false))
    if (auto* lin = m->as<torch::nn::Linear>()) {
      torch::nn::init::xavier_normal_(lin->weight);
      torch::nn::init::zeros_(lin->bias);
    }
}

namespace {
/// The payoff ramp (xi - d)^+ smoothed by a Gaussian of width eps: (xi - d) Phi + eps phi.
torch::Tensor smoothed_ramp(const torch::Tensor& xi, const torch::Tensor& d, const torch::Tensor& eps) {
  const torch::Tensor y = xi - d;
  const torch::Tensor u = y / eps;
  return y * 0.5 * (1.0 + torch::erf(u / std::sqrt(2.0))) + eps * torch::exp(-0.5 * u * u) / std::sqrt(2.0 * M_PI);
}
}  // namespace

torch::Tensor pinn_value(const BlackScholesParams& p, const PinnArchitecture& arch, const torch::Tensor& tau,
                         const torch::Tensor& S, const PinnNetwork& network) {
  const double K = p.strike, L = arch.x_extent;
  const torch::Tensor x = S / K;
  const torch::Tensor t = tau / p.maturity;
  const torch::Tensor d = torch::exp(-p.rate * tau);
  const torch::Tensor sq = torch::sqrt(tau);
  const torch::Tensor eps = p.sigma * sq + 1e-30;
  const torch::Tensor z = torch::tanh((x - d) / (p.sigma * sq + 0.02));
  const torch::Tensor features = torch::stack({2.0 * torch::sqrt(t) - 1.0, 2.0 * x / L - 1.0, z}, 1);
  const torch::Tensor nn = network(features).squeeze(1);
  const torch::Tensor R0 = smoothed_ramp(torch::zeros_like(x), d, eps);
  const torch::Tensor RL = smoothed_ramp(torch::full_like(x, L), d, eps);
  const torch::Tensor base = smoothed_ramp(x, d, eps) - (1.0 - x / L) * R0 - (x / L) * (RL - L + d);
  const torch::Tensor v = base + t * 2.0 * x * (L - x) / ((1.0 + x) * L) * nn;
  // Beyond the network's extent the far field V = S - K e^{-r tau} (the put value there is ~0).
  return torch::where(x < L, K * v, S - K * d);
}

torch::Tensor BlackScholesPinnImpl::forward(const torch::Tensor& tau, const torch::Tensor& S) {
  return pinn_value(p_, arch_, tau, S, [this](const torch::Tensor& f) { return net_->forward(f); });
}

torch::Tensor pinn_residual(const BlackScholesParams& p, const torch::Tensor& tau_in, const torch::Tensor& S_in,
                            const std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&)>& value) {
  const double K = p.strike, T = p.maturity;
  torch::Tensor tau = tau_in.detach().requires_grad_(true);
  torch::Tensor S = S_in.detach().requires_grad_(true);
  const torch::Tensor V = value(tau, S);
  const torch::Tensor ones = torch::ones_like(V);
  const auto g = torch::autograd::grad({V}, {tau, S}, {ones}, true, true);
  const torch::Tensor V_tau = g[0], V_S = g[1];
  const torch::Tensor V_SS = torch::autograd::grad({V_S}, {S}, {ones}, true, true)[0];
  // Scaled by T / K: the residual of v = V / K in t = tau / T (S V_S = x v_x K, S^2 V_SS = x^2 v_xx K).
  return (V_tau - (0.5 * p.sigma * p.sigma * S * S * V_SS + p.rate * S * V_S - p.rate * V)) * (T / K);
}

PinnLoss pinn_loss_terms(BlackScholesPinn& net, const torch::Tensor& tau_in, const torch::Tensor& S_in,
                         torch::Tensor* residual_loss) {
  const auto& p = net->problem();
  const double K = p.strike;
  const torch::Tensor r = pinn_residual(
      p, tau_in, S_in, [&net](const torch::Tensor& tau, const torch::Tensor& S) { return net->forward(tau, S); });
  const torch::Tensor loss = r.pow(2).mean();
  if (residual_loss) *residual_loss = loss;
  PinnLoss out;
  out.residual = loss.item<double>();
  {
    torch::NoGradGuard ng;
    const torch::Tensor tb = tau_in.detach();
    const torch::Tensor v0 = net->forward(tb, torch::zeros_like(tb));
    const torch::Tensor vm = net->forward(tb, torch::full_like(tb, p.s_max));
    const torch::Tensor gm = p.s_max - K * torch::exp(-p.rate * tb);
    out.boundary = ((v0.pow(2) + (vm - gm).pow(2)) / (K * K)).mean().item<double>();
    const torch::Tensor Se = S_in.detach();
    const torch::Tensor ve = net->forward(torch::zeros_like(Se), Se);
    out.expiry = ((ve - torch::clamp(Se - K, 0.0)).pow(2) / (K * K)).mean().item<double>();
  }
  return out;
}

/// Collocation points (x = S / K, t = tau / T): half uniform on (0, 1] x [0, L]; a quarter near the
/// kink, t = U^2 and x = 1 + (0.1 + 1.5 sqrt(t)) N(0, 1); a quarter with t = U^2, x uniform in [0.3, 3].
TrainingBatch sample_collocation(const BlackScholesParams& p, double L, int n, torch::Generator& gen) {
  const auto opts = torch::TensorOptions().dtype(torch::kFloat64);
  const int n1 = n / 2, n2 = n / 4, n3 = n - n1 - n2;
  const torch::Tensor t1 = 1e-6 + (1.0 - 1e-6) * torch::rand({n1}, gen, opts);
  const torch::Tensor x1 = L * torch::rand({n1}, gen, opts);
  const torch::Tensor t2 = torch::rand({n2}, gen, opts).pow(2) + 1e-6;
  const torch::Tensor x2 =
      torch::clamp(1.0 + (0.1 + 1.5 * torch::sqrt(t2)) * torch::randn({n2}, gen, opts), 1e-3, L - 1e-3);
  const torch::Tensor t3 = torch::rand({n3}, gen, opts).pow(2) + 1e-6;
  const torch::Tensor x3 = 0.3 + 2.7 * torch::rand({n3}, gen, opts);
  return {torch::cat({t1, t2, t3}) * p.maturity, torch::cat({x1, x2, x3}) * p.strike, {}};
}

namespace {
/// A non-finite loss means the weights are garbage from here on: stop at once, say where and why,
/// and never let such a network be saved.
void check_finite(const PinnLoss& l, int step, const PinnTraining& c) {
  if (std::isfinite(l.residual) && std::isfinite(l.boundary) && std::isfinite(l.expiry) && std::isfinite(l.data))
    return;
  std::ostringstream m;
  m << "training diverged at step " << step << ": the loss is not finite (residual " << l.residual << ", boundary "
    << l.boundary << ", expiry " << l.expiry << ", data " << l.data << "); no model was written. Lower --lr (now "
    << c.learning_rate << ")" << (c.lbfgs_iterations > 0 ? " or --lbfgs" : "") << " and train again";
  throw std::runtime_error(m.str());
}
}  // namespace

PinnTrainResult train_network(BlackScholesPinn& net, const PinnTraining& c, const BatchSampler& sample,
                              const BatchLoss& batch_loss, const TrainingProgress& progress) {
  if (c.epochs < 0 || c.batch < 1 || !(c.learning_rate > 0) || !(c.lr_decay > 0) || c.lbfgs_iterations < 0)
    throw std::invalid_argument("training: epochs >= 0, batch >= 1, learning rate > 0, lr decay > 0 needed");
  net->reset_weights(c.seed);
  auto gen = torch::make_generator<torch::CPUGeneratorImpl>(c.seed);
  PinnTrainResult out;
  const auto t0 = std::chrono::steady_clock::now();
  torch::optim::Adam adam(net->parameters(), torch::optim::AdamOptions(c.learning_rate));
  const double gamma = c.epochs > 0 ? std::pow(c.lr_decay, 1.0 / c.epochs) : 1.0;
  const int total = c.epochs + c.lbfgs_iterations;
  const int log_every = std::max(1, total / 200);
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  auto out_of_time = [&] { return c.max_seconds > 0 && elapsed() >= c.max_seconds; };
  auto log = [&](int step, const PinnLoss& l) {
    out.history.push_back(l);
    out.history_step.push_back(step);
    out.history_seconds.push_back(elapsed());
    out.history_gradients.push_back(out.gradients);
  };
  int e = 0;
  for (; e < c.epochs && !out_of_time(); ++e) {
    const TrainingBatch batch = sample(c.batch, gen);
    adam.zero_grad();
    PinnLoss l;
    torch::Tensor loss = batch_loss(net, batch, l);
    check_finite(l, e + 1, c);
    loss.backward();
    adam.step();
    out.gradients += c.batch;
    for (auto& group : adam.param_groups())
      static_cast<torch::optim::AdamOptions&>(group.options()).lr(c.learning_rate * std::pow(gamma, e + 1));
    if (e % log_every == 0 || e + 1 == c.epochs) {
      log(e, l);
      if (progress) progress(e + 1, total, l);
    }
    out.final_loss = l;
  }
  if (e < c.epochs && e > 0 && (out.history_step.empty() || out.history_step.back() != e - 1))
    log(e - 1, out.final_loss);
  if (c.lbfgs_iterations > 0 && !out_of_time()) {
    const TrainingBatch batch = sample(c.lbfgs_batch, gen);
    torch::optim::LBFGS lbfgs(net->parameters(), torch::optim::LBFGSOptions(1.0)
                                                     .max_iter(1)
                                                     .history_size(50)
                                                     .tolerance_grad(1e-12)
                                                     .tolerance_change(1e-16)
                                                     .line_search_fn("strong_wolfe"));
    for (int it = 0; it < c.lbfgs_iterations && !out_of_time(); ++it) {
      auto closure = [&]() {
        lbfgs.zero_grad();
        PinnLoss seen;
        torch::Tensor loss = batch_loss(net, batch, seen);
        check_finite(seen, c.epochs + it + 1, c);
        loss.backward();
        out.gradients += c.lbfgs_batch;
        return loss;
      };
      lbfgs.step(closure);
      if (it % log_every == 0 || it + 1 == c.lbfgs_iterations) {
        PinnLoss l;
        batch_loss(net, batch, l);
        check_finite(l, c.epochs + it + 1, c);
        log(c.epochs + it, l);
        out.final_loss = l;
        if (progress) progress(c.epochs + it + 1, total, l);
      }
    }
  }
  // The last Adam step's loss was taken before its update: check the weights it left behind.
  {
    const TrainingBatch batch = sample(std::min(c.batch, 256), gen);
    PinnLoss l;
    batch_loss(net, batch, l);
    check_finite(l, total, c);
  }
  for (const auto& p : net->parameters())
    if (!torch::isfinite(p).all().item<bool>())
      throw std::runtime_error(
          "training diverged: the network's weights are not finite; no model was written. "
          "Lower --lr (now " +
          std::to_string(c.learning_rate) + ") and train again");
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

PinnTrainResult train_pinn(BlackScholesPinn& net, const PinnTraining& c, const TrainingProgress& progress) {
  const BlackScholesParams p = net->problem();
  const double L = net->architecture().x_extent;
  net->set_training(SurfaceTraining::Residual);
  return train_network(
      net, c, [&](int n, torch::Generator& gen) { return sample_collocation(p, L, n, gen); },
      [](BlackScholesPinn& nn, const TrainingBatch& b, PinnLoss& terms) {
        torch::Tensor loss;
        terms = pinn_loss_terms(nn, b.tau, b.S, &loss);
        return loss;
      },
      progress);
}

void save_pinn(BlackScholesPinn& net, const std::string& path) {
  torch::serialize::OutputArchive archive;
  net->save(archive);
  archive.write("pint_metadata", torch::tensor(std::vector<int64_t>{0}));  // marks the archive as pint's
  const std::string meta = metadata(net->problem(), net->architecture(), net->training());
  std::vector<int64_t> bytes(meta.begin(), meta.end());
  archive.write("pint_metadata_text", torch::tensor(bytes));
  // Through FILE.tmp and a rename: a failed write leaves neither a half model nor the temporary.
  const std::string tmp = path + ".tmp";
  try {
    archive.save_to(tmp);
  } catch (const std::exception& e) {
    std::remove(tmp.c_str());
    throw std::runtime_error("cannot write the model to '" + path + "': " + e.what());
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw std::runtime_error("cannot move the model into place at '" + path + "'");
  }
}

namespace {
/// A recorded number as a person writes it (0.4, not 0.40000000000000002); other text as it is.
std::string shortest(const std::string& v) {
  try {
    std::size_t used = 0;
    const double d = std::stod(v, &used);
    if (used == v.size()) {
      std::ostringstream o;
      o << std::setprecision(15) << d;  // 15 digits: exact for every value typed with up to 15
      return o.str();
    }
  } catch (const std::exception&) {
  }
  return v;
}

std::string read_metadata(const std::string& path, torch::serialize::InputArchive& archive) {
  require_model_file(path, "PINN model");
  if (!std::ifstream(path).good()) throw std::invalid_argument("PINN model '" + path + "' does not exist");
  try {
    archive.load_from(path);
  } catch (const c10::Error& e) {
    throw std::invalid_argument("PINN model '" + path +
                                "' is corrupt or not a pint model file: " + e.what_without_backtrace());
  }
  torch::Tensor text;
  if (!archive.try_read("pint_metadata_text", text))
    throw std::invalid_argument("'" + path + "' is a torch archive but not a pint PINN model (no metadata)");
  std::string meta;
  for (int64_t i = 0; i < text.numel(); ++i) meta.push_back(static_cast<char>(text[i].item<int64_t>()));
  return meta;
}
}  // namespace

BlackScholesPinn load_pinn_as_trained(const std::string& path, BlackScholesParams* trained) {
  torch::serialize::InputArchive archive;
  const std::string meta = read_metadata(path, archive);
  BlackScholesParams p;
  p.type = field(meta, "option") == "put" ? OptionType::Put : OptionType::Call;
  p.s_max = std::stod(field(meta, "s_max"));
  p.strike = std::stod(field(meta, "strike"));
  p.rate = std::stod(field(meta, "rate"));
  p.sigma = std::stod(field(meta, "sigma"));
  p.maturity = std::stod(field(meta, "maturity"));
  if (trained) *trained = p;
  return load_pinn(path, p);
}

BlackScholesPinn load_pinn(const std::string& path, const BlackScholesParams& problem) {
  torch::serialize::InputArchive archive;
  const std::string meta = read_metadata(path, archive);
  const std::string want = metadata(problem, {}, SurfaceTraining::Residual);
  // (s_max is recorded but not checked: the network covers [0, x_extent K] and is S_max-independent.)
  for (const char* key : {"option", "strike", "rate", "sigma", "maturity"}) {
    if (field(meta, key) != field(want, key))
      throw std::invalid_argument("PINN model '" + path + "' was trained for " + key + " = " +
                                  shortest(field(meta, key)) + ", this run has " + key + " = " +
                                  shortest(field(want, key)) +
                                  " (train one with pint train, or use the numerical coarse propagator)");
  }
  PinnArchitecture arch;
  arch.layers = std::stoi(field(meta, "layers"));
  arch.width = std::stoi(field(meta, "width"));
  arch.activation = field(meta, "activation");
  arch.x_extent = std::stod(field(meta, "x_extent"));
  BlackScholesPinn net(problem, arch);
  // Files written before the field existed hold PINNs.
  net->set_training(field(meta, "training") == "data" ? SurfaceTraining::Data : SurfaceTraining::Residual);
  try {
    net->load(archive);
  } catch (const c10::Error& e) {
    throw std::invalid_argument("PINN model '" + path + "': weights do not fit the recorded architecture (" +
                                std::to_string(arch.layers) + " x " + std::to_string(arch.width) +
                                "): " + e.what_without_backtrace());
  }
  net->eval();
  return net;
}

namespace {
class PinnSurface final : public SurfaceModel {
 public:
  PinnSurface(BlackScholesPinn net, std::string desc) : net_(std::move(net)), desc_(std::move(desc)) {}
  void evaluate(double tau, const torch::Tensor& x, torch::Tensor& out) override {
    torch::NoGradGuard ng;
    out.copy_(net_->forward(torch::full_like(x, tau), x));
  }
  std::string describe() const override { return desc_; }

 private:
  BlackScholesPinn net_;
  std::string desc_;
};
}  // namespace

std::shared_ptr<SurfaceModel> pinn_surface(BlackScholesPinn net, const std::string& description) {
  return std::make_shared<PinnSurface>(std::move(net), description);
}

}  // namespace pint

#include "models/learned/surface_model.hpp"

#include <torch/script.h>

#include <fstream>
#include <sstream>

namespace pint {

namespace {

constexpr const char* kSignature =
    "forward(tau: Tensor, x: Tensor) -> Tensor with float64 1-D inputs of the grid's length and a float64 "
    "result of the same length";

class TorchScriptSurface final : public SurfaceModel {
 public:
  TorchScriptSurface(torch::jit::Module module, std::string path) : module_(std::move(module)), path_(std::move(path)) {
    module_.eval();
  }
  void evaluate(double tau, const torch::Tensor& x, torch::Tensor& out) override {
    torch::NoGradGuard no_grad;
    const torch::Tensor t = torch::full_like(x, tau);
    torch::Tensor v;
    try {
      v = module_.forward({t, x}).toTensor();
    } catch (const c10::Error& e) {
      throw std::invalid_argument("TorchScript model '" + path_ + "' failed on the grid; it must provide " +
                                  kSignature + ". Torch said: " + e.what_without_backtrace());
    }
    if (v.numel() != x.numel())
      throw std::invalid_argument("TorchScript model '" + path_ + "' returned " + std::to_string(v.numel()) +
                                  " values for " + std::to_string(x.numel()) + " grid points; it must provide " +
                                  kSignature);
    out.copy_(v.reshape({x.numel()}).to(out.options()));
  }
  std::string describe() const override { return "torchscript:" + path_; }

 private:
  torch::jit::Module module_;
  std::string path_;
};

}  // namespace

std::unique_ptr<SurfaceModel> load_torchscript_surface(const std::string& path) {
  if (!std::ifstream(path).good())
    throw std::invalid_argument("TorchScript model '" + path + "' does not exist or cannot be read");
  try {
    torch::jit::Module module = torch::jit::load(path);
    if (!module.find_method("forward")) {
      // A `pint train` model is a torch archive too, of weights and pint's metadata, with no methods.
      if (module.hasattr("pint_metadata_text"))
        throw std::invalid_argument("'" + path +
                                    "' is a pint train model, not a TorchScript module: use --coarse pinn:" + path);
      throw std::invalid_argument("TorchScript module '" + path + "' has no forward method; it must provide " +
                                  std::string(kSignature));
    }
    return std::make_unique<TorchScriptSurface>(std::move(module), path);
  } catch (const c10::Error& e) {
    throw std::invalid_argument("'" + path +
                                "' is not a TorchScript module (corrupt, truncated, or saved with torch.save "
                                "instead of torch.jit.save): " +
                                e.what_without_backtrace());
  }
}

void check_surface_model(SurfaceModel& model, const torch::Tensor& x, double tau) {
  torch::Tensor out = torch::empty_like(x);
  model.evaluate(tau, x, out);
  if (!torch::isfinite(out).all().item<bool>())
    throw std::invalid_argument("model " + model.describe() +
                                " gives non-finite values on the grid at tau = " + std::to_string(tau));
}

}  // namespace pint

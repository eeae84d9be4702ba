#include "models/learned/surface_model.hpp"

#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "spaces/torch_headers.hpp"

namespace pint {

namespace {

constexpr const char* kSignature =
    "forward(tau: Tensor, x: Tensor) -> Tensor with float64 1-D inputs of the grid's length and a float64 "
    "result of the same length";

/// The end of a TorchScript error: its message without the interpreter's traceback above it.
std::string last_lines(const std::string& text, int keep = 2) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at <= text.size()) {
    const auto nl = text.find('\n', at);
    const std::string line = text.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
    if (line.find_first_not_of(" \t") != std::string::npos) lines.push_back(line);
    if (nl == std::string::npos) break;
    at = nl + 1;
  }
  std::string out;
  for (std::size_t i = lines.size() > static_cast<std::size_t>(keep) ? lines.size() - keep : 0; i < lines.size(); ++i)
    out += (out.empty() ? "" : " / ") + lines[i].substr(lines[i].find_first_not_of(" \t"));
  return out;
}

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
                                  kSignature + ". Torch said: " + last_lines(e.what_without_backtrace()));
    } catch (const std::exception& e) {  // a `raise` inside the module (torch::jit::JITException)
      throw std::invalid_argument("TorchScript model '" + path_ + "' raised an error on the grid: " +
                                  last_lines(e.what()) + " (it must provide " + kSignature + ")");
    }
    if (v.scalar_type() != torch::kFloat64)
      throw std::invalid_argument("TorchScript model '" + path_ + "' returned " +
                                  std::string(c10::toString(v.scalar_type())) + " values; it must return float64 (" +
                                  kSignature + ")");
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

void require_model_file(const std::string& path, const std::string& what) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return;
  const std::string noun = what.find("TorchScript") != std::string::npos ? "module" : "model";
  if (S_ISDIR(st.st_mode))
    throw std::invalid_argument(what + " '" + path + "' is a directory; give the " + noun + "'s file");
  if (!S_ISREG(st.st_mode)) throw std::invalid_argument(what + " '" + path + "' is not a regular file");
}

std::unique_ptr<SurfaceModel> load_torchscript_surface(const std::string& path) {
  require_model_file(path, "TorchScript model");
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

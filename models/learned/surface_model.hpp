#pragma once
/// \file
/// A learned solution surface V(tau, x) evaluated on a grid, the learned part of a coarse propagator.
///
/// TorchScript signature (for `--coarse torchscript:FILE`, e.g. a network trained in PyTorch):
///   forward(tau: Tensor, x: Tensor) -> Tensor
/// tau and x are float64 1-D tensors of the grid's length M (tau holds one value, repeated), on the
/// device of the space the coarse propagator runs on; the result is V at those points, float64 of
/// shape [M] (any shape with M elements is accepted and flattened).

#include <memory>
#include <string>

#include "spaces/torch_headers.hpp"

namespace pint {

class SurfaceModel {
 public:
  virtual ~SurfaceModel() = default;
  /// Writes V(tau, x_i) into `out` (same length and device as x). `out` is usually a tensor over a
  /// Kokkos View: implementations write into it (copy_) rather than returning a new tensor.
  virtual void evaluate(double tau, const torch::Tensor& x, torch::Tensor& out) = 0;
  virtual std::string describe() const = 0;
};

/// Refuses, naming `what` ("PINN model", "TorchScript model"), a path that is a directory or not a
/// regular file (opening a FIFO without a writer would block for ever). A missing path is left to the
/// loader, which says so itself.
void require_model_file(const std::string& path, const std::string& what);

/// Loads a TorchScript module from `path`. Throws std::invalid_argument with a clear message for a
/// missing or corrupt file; the signature is checked on first use (see check_surface_model).
std::unique_ptr<SurfaceModel> load_torchscript_surface(const std::string& path);

/// Evaluates the model once on `x` and checks the result (shape, dtype, finite values); throws
/// std::invalid_argument naming what is wrong and the expected signature.
void check_surface_model(SurfaceModel& model, const torch::Tensor& x, double tau);

}  // namespace pint

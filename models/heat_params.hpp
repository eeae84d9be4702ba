#pragma once
/// \file
/// The parameters of the heat problem, without Kokkos (read by the configuration parser, which a GPU
/// build compiles with the host compiler alone).

namespace pint {

struct HeatParams {
  double alpha = 1.0;
  double length = 1.0;
  int intervals = 100;
  int mode = 1;
  double t_end = 0.1;
};

void validate(const HeatParams& p);

}  // namespace pint

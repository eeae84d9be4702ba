#pragma once
/// \file
/// The parameters of the one-asset Black-Scholes problem, without Kokkos (read by the configuration
/// parser, which a GPU build compiles with the host compiler alone).

#include "models/black_scholes_formula.hpp"

namespace pint {

struct BlackScholesParams {
  OptionType type = OptionType::Call;
  double s_max = 5000.0;
  double ds = 1.0;
  double strike = 100.0;
  double rate = 0.03;
  double sigma = 0.4;
  double maturity = 1.0;
};

/// Throws std::invalid_argument naming the bad parameter.
void validate(const BlackScholesParams& p);

}  // namespace pint

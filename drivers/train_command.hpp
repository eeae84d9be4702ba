#pragma once
// `pint train`: trains the Black-Scholes PINN (models/learned/bs_pinn.hpp) and saves it.
namespace pint {
int train_command(int argc, char** argv);  ///< argv[0] is "train"
}  // namespace pint

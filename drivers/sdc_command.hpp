#pragma once
// `pint sdc coefficients|stability|order`: SDC's coefficients and its analysis on Dahlquist's equation
// (core/sdc_analysis.hpp), as JSON and, for stability and order, a PNG drawn by drivers/pint_sdc_plot.py.
#include <string>
#include <vector>

namespace pint {
int sdc_command(const std::vector<std::string>& args);
}  // namespace pint

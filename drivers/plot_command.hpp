#pragma once
// `pint plot FILE.h5 ...`: runs drivers/pint_plot.py (Python with Debian's h5py and matplotlib).
#include <string>
#include <vector>

namespace pint {
int plot_command(const std::vector<std::string>& args);
}  // namespace pint

#pragma once
// `pint plot FILE.h5 ...` and `pint bench ...`: run drivers/pint_plot.py and drivers/pint_bench.py
// (Python with Debian's h5py and matplotlib).
#include <string>
#include <vector>

namespace pint {
int plot_command(const std::vector<std::string>& args);
/// `pint bench WHAT [--out-dir DIR]`: the benchmark suite, run against this pint's build directory.
int bench_command(const std::vector<std::string>& args, const std::string& build_dir);
}  // namespace pint

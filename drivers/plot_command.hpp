#pragma once
// `pint plot FILE.h5 ...` and `pint bench ...`: run drivers/pint_plot.py and drivers/pint_bench.py
// (Python with Debian's h5py and matplotlib); `pint sdc` draws with drivers/pint_sdc_plot.py.
#include <string>
#include <vector>

namespace pint {
int plot_command(const std::vector<std::string>& args);
/// `pint bench WHAT [--out-dir DIR]`: the benchmark suite, run against this pint's build directory.
int bench_command(const std::vector<std::string>& args, const std::string& build_dir);
/// Runs `python3 SCRIPT ARGS...` (Debian's interpreter first) and returns its exit code.
int run_python_script(const std::string& script, const std::vector<std::string>& args);
/// pint_sdc_plot.py: the installed one in share/pint next to the running pint's bin/, else the sources'.
std::string sdc_plot_script();
/// pint_paraflow_plot.py, likewise.
std::string paraflow_plot_script();
}  // namespace pint

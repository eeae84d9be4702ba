#include "plot_command.hpp"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "executable_dir.hpp"

// The scripts in the sources (a build tree's pint), and the installed share/pint relative to the installed bin/.
#ifndef PINT_PLOT_SCRIPT_BUILD
#define PINT_PLOT_SCRIPT_BUILD ""
#endif
#ifndef PINT_BENCH_SCRIPT_BUILD
#define PINT_BENCH_SCRIPT_BUILD ""
#endif
#ifndef PINT_SDC_PLOT_SCRIPT_BUILD
#define PINT_SDC_PLOT_SCRIPT_BUILD ""
#endif
#ifndef PINT_PARAFLOW_PLOT_SCRIPT_BUILD
#define PINT_PARAFLOW_PLOT_SCRIPT_BUILD ""
#endif
#ifndef PINT_SHARE_FROM_BIN
#define PINT_SHARE_FROM_BIN ""
#endif

namespace pint {

namespace {
bool is_file(const char* p) {
  struct stat st {};
  return p[0] != '\0' && stat(p, &st) == 0 && S_ISREG(st.st_mode);
}
}  // namespace

namespace {
int run_python(const char* script, const std::vector<std::string>& args);
}  // namespace

int run_python_script(const std::string& script, const std::vector<std::string>& args) {
  if (!is_file(script.c_str())) {
    std::fprintf(stderr, "pint: cannot find the script '%s'\n", script.c_str());
    return 2;
  }
  return run_python(script.c_str(), args);
}

namespace {
/// `name` from the installed share/pint next to the running pint's bin/, else `build_path`.
std::string find_script(const char* name, const char* build_path) {
  // The installed copy first (next to the running pint, so a moved prefix still finds its own), then the sources.
  if (std::string(PINT_SHARE_FROM_BIN).size()) {
    const std::string installed = executable_dir() + "/" + PINT_SHARE_FROM_BIN + "/" + name;
    if (is_file(installed.c_str())) return installed;
  }
  return build_path;
}
}  // namespace

std::string sdc_plot_script() {
  return find_script("pint_sdc_plot.py", PINT_SDC_PLOT_SCRIPT_BUILD);
}

std::string paraflow_plot_script() {
  return find_script("pint_paraflow_plot.py", PINT_PARAFLOW_PLOT_SCRIPT_BUILD);
}

int plot_command(const std::vector<std::string>& args) {
  const std::string script = find_script("pint_plot.py", PINT_PLOT_SCRIPT_BUILD);
  if (!is_file(script.c_str())) {
    std::fprintf(stderr, "pint plot: cannot find pint_plot.py (looked in %s/%s and at %s)\n", executable_dir().c_str(),
                 PINT_SHARE_FROM_BIN, PINT_PLOT_SCRIPT_BUILD);
    return 2;
  }
  return run_python(script.c_str(), args);
}

int bench_command(const std::vector<std::string>& args, const std::string& build_dir) {
  if (!is_file(PINT_BENCH_SCRIPT_BUILD)) {
    std::fprintf(stderr, "pint bench: cannot find %s (pint bench runs from a build tree)\n", PINT_BENCH_SCRIPT_BUILD);
    return 2;
  }
  std::vector<std::string> all = args;
  all.push_back("--build-dir");
  all.push_back(build_dir);
  return run_python(PINT_BENCH_SCRIPT_BUILD, all);
}

namespace {
int run_python(const char* script, const std::vector<std::string>& args) {
  // Debian's interpreter: h5py and matplotlib come from python3-h5py / python3-matplotlib, which a
  // python3 earlier on PATH (a pyenv, a venv) does not see.
  const char* python = is_file("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  std::vector<char*> argv{const_cast<char*>(python), const_cast<char*>(script)};
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid == 0) {
    execvp(python, argv.data());
    std::perror("pint plot: cannot start python3");
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
}  // namespace

}  // namespace pint

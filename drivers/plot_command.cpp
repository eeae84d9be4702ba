#include "plot_command.hpp"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

#ifndef PINT_PLOT_SCRIPT_BUILD
#define PINT_PLOT_SCRIPT_BUILD ""
#endif
#ifndef PINT_BENCH_SCRIPT_BUILD
#define PINT_BENCH_SCRIPT_BUILD ""
#endif
#ifndef PINT_PLOT_SCRIPT_INSTALL
#define PINT_PLOT_SCRIPT_INSTALL ""
#endif
#ifndef PINT_SDC_PLOT_SCRIPT_BUILD
#define PINT_SDC_PLOT_SCRIPT_BUILD ""
#endif
#ifndef PINT_SDC_PLOT_SCRIPT_INSTALL
#define PINT_SDC_PLOT_SCRIPT_INSTALL ""
#endif
#ifndef PINT_PARAFLOW_PLOT_SCRIPT_BUILD
#define PINT_PARAFLOW_PLOT_SCRIPT_BUILD ""
#endif
#ifndef PINT_PARAFLOW_PLOT_SCRIPT_INSTALL
#define PINT_PARAFLOW_PLOT_SCRIPT_INSTALL ""
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

int run_python_script(const char* script, const std::vector<std::string>& args) {
  if (!is_file(script)) {
    std::fprintf(stderr, "pint: cannot find the script '%s'\n", script);
    return 2;
  }
  return run_python(script, args);
}

const char* sdc_plot_script() {
  return is_file(PINT_SDC_PLOT_SCRIPT_INSTALL) ? PINT_SDC_PLOT_SCRIPT_INSTALL : PINT_SDC_PLOT_SCRIPT_BUILD;
}

const char* paraflow_plot_script() {
  return is_file(PINT_PARAFLOW_PLOT_SCRIPT_INSTALL) ? PINT_PARAFLOW_PLOT_SCRIPT_INSTALL
                                                    : PINT_PARAFLOW_PLOT_SCRIPT_BUILD;
}

int plot_command(const std::vector<std::string>& args) {
  const char* script = is_file(PINT_PLOT_SCRIPT_INSTALL) ? PINT_PLOT_SCRIPT_INSTALL : PINT_PLOT_SCRIPT_BUILD;
  if (!is_file(script)) {
    std::fprintf(stderr, "pint plot: cannot find pint_plot.py (looked at %s and %s)\n", PINT_PLOT_SCRIPT_INSTALL,
                 PINT_PLOT_SCRIPT_BUILD);
    return 2;
  }
  return run_python(script, args);
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

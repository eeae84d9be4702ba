#include "plot_command.hpp"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

#ifndef PINT_PLOT_SCRIPT_BUILD
#define PINT_PLOT_SCRIPT_BUILD ""
#endif
#ifndef PINT_PLOT_SCRIPT_INSTALL
#define PINT_PLOT_SCRIPT_INSTALL ""
#endif

namespace pint {

namespace {
bool is_file(const char* p) {
  struct stat st {};
  return p[0] != '\0' && stat(p, &st) == 0 && S_ISREG(st.st_mode);
}
}  // namespace

int plot_command(const std::vector<std::string>& args) {
  const char* script = is_file(PINT_PLOT_SCRIPT_INSTALL) ? PINT_PLOT_SCRIPT_INSTALL : PINT_PLOT_SCRIPT_BUILD;
  if (!is_file(script)) {
    std::fprintf(stderr, "pint plot: cannot find pint_plot.py (looked at %s and %s)\n", PINT_PLOT_SCRIPT_INSTALL,
                 PINT_PLOT_SCRIPT_BUILD);
    return 2;
  }
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

}  // namespace pint

#pragma once
/// \file
/// The progress bar of the long training commands (`pint train`, `pint paraflow`): redrawn in place on a terminal,
/// one line per tenth otherwise, so that a log or a pipe keeps about ten lines instead of hundreds.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace pint {

/// "[#########.....................]": `fraction` of the 30 cells filled.
inline std::string progress_cells(double fraction) {
  const int filled = std::clamp(static_cast<int>(30 * fraction), 0, 30);
  return "[" + std::string(filled, '#') + std::string(30 - filled, '.') + "]";
}

class ProgressBar {
 public:
  ProgressBar() : tty_(isatty(fileno(stdout)) != 0) {}

  /// Shows `fraction` (0 to 1) done, then `what`. The first call at 1 closes the bar; later calls are ignored.
  void show(double fraction, const std::string& what = "") {
    if (closed_) return;
    fraction = std::clamp(fraction, 0.0, 1.0);
    const std::string line =
        fmt::format("{} {:3.0f}%{}{}", progress_cells(fraction), 100 * fraction, what.empty() ? "" : " ", what);
    const int tenth = static_cast<int>(10 * fraction);
    closed_ = fraction >= 1.0;
    if (tty_)
      fmt::print("\r{}{}", line, closed_ ? "\n" : "");
    else if (tenth != last_tenth_)
      fmt::print("{}\n", line);
    last_tenth_ = tenth;
    std::fflush(stdout);
  }

 private:
  bool tty_;
  bool closed_ = false;
  int last_tenth_ = -1;
};

}  // namespace pint

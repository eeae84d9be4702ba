#pragma once
// The flags of `pint [run]`: parsed into a RunConfig over the embedded default and an optional
// --config file (embedded default < --config FILE < flags). No MPI or Kokkos needed.
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/run_config.hpp"

namespace pint {

/// Thrown by RunFlags::parse for --help / --help-all: what() is the help text to print (exit 0).
class HelpRequested : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class RunFlags {
 public:
  RunFlags();
  ~RunFlags();
  /// Parses the arguments after the program name (and after `run`). Throws HelpRequested, or
  /// ConfigError with a message naming the flag or key and the fix.
  RunConfig parse(const std::vector<std::string>& args);
  bool version() const;       ///< --version was given
  bool print_config() const;  ///< --print-config was given

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pint

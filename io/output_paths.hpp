#pragma once
/// \file
/// Every file a command will write is checked before the work starts, all together: its directory
/// exists and is writable, the path is not a directory, two outputs are never the same file, and an
/// existing file is replaced only with --overwrite. Files are then written atomically (FILE.tmp,
/// renamed when complete), and a failed write never leaves FILE.tmp behind.

#include <string>
#include <vector>

namespace pint {

struct OutputFile {
  std::string path;
  std::string flag;  ///< how the user named it, for messages: "--json", "the XDMF sidecar of --output"
  /// An existing file that this output may replace without --overwrite (a checkpoint that the run
  /// resumes from and keeps updating).
  std::string may_replace;
};

/// Throws ConfigError (io/run_config.hpp) naming the output, the problem and the fix. Empty paths are
/// skipped. `inputs` are files the command reads (--restart): an output that is one of them is refused
/// unless it is that output's `may_replace`.
void check_outputs(const std::vector<OutputFile>& outputs, bool overwrite, const std::vector<OutputFile>& inputs = {});

/// True if both paths name the same file (same directory and name after resolving links, or the
/// same inode when both exist).
bool same_file(const std::string& a, const std::string& b);

/// Writes `text` to `path` through `path`.tmp and a rename; on failure removes the temporary file
/// and throws std::runtime_error naming `what`.
void write_text_atomically(const std::string& path, const std::string& text, const std::string& what);

/// Removes `path`.tmp if it exists (after a failed collective write, say); never throws.
void remove_temporary(const std::string& path) noexcept;

}  // namespace pint

#include "io/output_paths.hpp"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "io/run_config.hpp"

namespace pint {

namespace {

std::string directory_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string name_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

/// The directory resolved (links, "..") plus the file name: equal for two spellings of one file.
std::string canonical(const std::string& path) {
  char buf[PATH_MAX];
  const std::string dir = directory_of(path);
  if (realpath(dir.c_str(), buf) == nullptr) return path;
  return std::string(buf) + "/" + name_of(path);
}

void check_one(const OutputFile& o, bool overwrite) {
  const std::string& p = o.path;
  const std::string who = o.flag + " '" + p + "'";
  if (!p.empty() && p.back() == '/') throw ConfigError(who + " names a directory; give a file name");
  const std::string dir = directory_of(p);
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0)
    throw ConfigError(who + ": directory '" + dir + "' does not exist; create it or choose another path");
  if (!S_ISDIR(st.st_mode)) throw ConfigError(who + ": '" + dir + "' is not a directory; choose another path");
  if (access(dir.c_str(), W_OK | X_OK) != 0)
    throw ConfigError(who + ": directory '" + dir + "' is not writable (" + std::strerror(errno) +
                      "); choose another path");
  if (stat(p.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) throw ConfigError(who + " is a directory; give a file name");
    const bool replaces_input = !o.may_replace.empty() && same_file(p, o.may_replace);
    if (!overwrite && !replaces_input)
      throw ConfigError(who + " exists; choose another path or pass --overwrite to replace it");
  }
  struct stat tst {};
  const std::string tmp = p + ".tmp";
  if (stat(tmp.c_str(), &tst) == 0 && S_ISDIR(tst.st_mode))
    throw ConfigError(who + ": its temporary file '" + tmp + "' is a directory; remove it");
}

}  // namespace

bool same_file(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return false;
  struct stat sa {
  }, sb{};
  if (stat(a.c_str(), &sa) == 0 && stat(b.c_str(), &sb) == 0) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  return canonical(a) == canonical(b);
}

void check_outputs(const std::vector<OutputFile>& outputs, bool overwrite, const std::vector<OutputFile>& inputs) {
  std::vector<const OutputFile*> given;
  for (const auto& o : outputs)
    if (!o.path.empty()) given.push_back(&o);
  for (std::size_t i = 0; i < given.size(); ++i)
    for (std::size_t j = i + 1; j < given.size(); ++j)
      if (same_file(given[i]->path, given[j]->path))
        throw ConfigError(given[i]->flag + " and " + given[j]->flag + " name the same file '" + given[i]->path +
                          "'; give each its own path");
  for (const auto* o : given)
    for (const auto& in : inputs)
      if (!in.path.empty() && same_file(o->path, in.path) && !(same_file(o->may_replace, in.path)))
        throw ConfigError(o->flag + " '" + o->path + "' is the file given to " + in.flag +
                          ", which this run reads; give " + o->flag + " another path");
  for (const auto* o : given) check_one(*o, overwrite);
}

void write_text_atomically(const std::string& path, const std::string& text, const std::string& what) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (out) out << text;
    out.close();
    if (!out) {
      remove_temporary(path);
      throw std::runtime_error("cannot write " + what + " to '" + path + "' (" + std::strerror(errno) + ")");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    remove_temporary(path);
    throw std::runtime_error("cannot move " + what + " into place at '" + path + "' (" + std::strerror(err) + ")");
  }
}

void remove_temporary(const std::string& path) noexcept {
  if (path.empty()) return;
  const std::string tmp = path + ".tmp";
  struct stat st {};
  if (stat(tmp.c_str(), &st) == 0 && S_ISREG(st.st_mode)) std::remove(tmp.c_str());
}

}  // namespace pint

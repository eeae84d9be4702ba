#include "spaces/rank_agreement.hpp"

#include <sys/stat.h>

#include <climits>
#include <cstdio>
#include <fstream>
#include <vector>

namespace pint {

std::string StartupError::report(const std::string& program) const {
  if (ranks_ <= 1) return program + ": error: " + what();
  std::string s = program + ": error on rank " + std::to_string(rank_) + ": " + what();
  if (failed_ > 1) s += " (" + std::to_string(failed_ - 1) + " other rank(s) failed too; this is the first)";
  return s;
}

void agree(MPI_Comm comm, const std::function<void()>& step) {
  std::string message;
  bool failed = false;
  try {
    step();
  } catch (const std::exception& e) {
    failed = true;
    message = e.what();
  } catch (...) {
    failed = true;
    message = "unknown error (an exception that is not a std::exception)";
  }
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  int counts[2] = {failed ? rank : INT_MAX, failed ? 1 : 0};
  int first = INT_MAX, nfailed = 0;
  MPI_Allreduce(&counts[0], &first, 1, MPI_INT, MPI_MIN, comm);
  MPI_Allreduce(&counts[1], &nfailed, 1, MPI_INT, MPI_SUM, comm);
  if (nfailed == 0) return;
  int length = static_cast<int>(message.size());
  MPI_Bcast(&length, 1, MPI_INT, first, comm);
  std::vector<char> buf(message.begin(), message.end());
  buf.resize(static_cast<std::size_t>(length));
  if (length > 0) MPI_Bcast(buf.data(), length, MPI_CHAR, first, comm);
  throw StartupError(std::string(buf.begin(), buf.end()), first, nfailed, size);
}

std::uint64_t fnv1a(const std::string& text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

bool same_on_all_ranks(MPI_Comm comm, const std::string& text) {
  const std::uint64_t h = fnv1a(text);
  std::uint64_t lo = 0, hi = 0;
  MPI_Allreduce(&h, &lo, 1, MPI_UINT64_T, MPI_MIN, comm);
  MPI_Allreduce(&h, &hi, 1, MPI_UINT64_T, MPI_MAX, comm);
  return lo == hi;
}

std::string file_fingerprint(const std::string& path) {
  // Only a regular file is opened: opening a FIFO without a writer would block for ever.
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return "missing";
  if (!S_ISREG(st.st_mode)) return "not a regular file";
  std::ifstream in(path, std::ios::binary);
  if (!in) return "unreadable";
  std::uint64_t h = 1469598103934665603ULL;
  long size = 0;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    for (std::streamsize i = 0; i < in.gcount(); ++i) {
      h ^= static_cast<unsigned char>(buf[i]);
      h *= 1099511628211ULL;
    }
    size += static_cast<long>(in.gcount());
    if (in.eof()) break;
  }
  if (in.bad()) return "unreadable";
  char out[64];
  std::snprintf(out, sizeof out, "fnv1a:%016llx (%ld bytes)", static_cast<unsigned long long>(h), size);
  return out;
}

std::string text_of_rank0(MPI_Comm comm, const std::string& text) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  long length = static_cast<long>(text.size());
  MPI_Bcast(&length, 1, MPI_LONG, 0, comm);
  std::string out = rank == 0 ? text : std::string(static_cast<std::size_t>(length), '\0');
  if (length > 0) MPI_Bcast(out.data(), static_cast<int>(length), MPI_CHAR, 0, comm);
  return out;
}

}  // namespace pint

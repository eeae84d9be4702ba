#pragma once
/// \file
/// Start-up steps that can fail (parsing, file checks, loading a model or a checkpoint) end in a
/// verdict all ranks agree on, so that an error seen by one rank stops every rank with that rank's
/// message instead of leaving the others waiting in a collective call that never completes.

#include <mpi.h>

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

namespace pint {

/// Thrown on every rank when a start-up step failed on at least one rank. what() is the message of
/// the lowest failing rank; rank() is that rank and failed_ranks() how many ranks failed.
class StartupError : public std::runtime_error {
 public:
  StartupError(const std::string& message, int rank, int failed_ranks, int ranks)
      : std::runtime_error(message), rank_(rank), failed_(failed_ranks), ranks_(ranks) {}
  int rank() const { return rank_; }
  int failed_ranks() const { return failed_; }
  int ranks() const { return ranks_; }
  /// "pint: error: MESSAGE" on one rank, "pint: error on rank R: MESSAGE" (plus how many others
  /// failed) on several.
  std::string report(const std::string& program = "pint") const;

 private:
  int rank_, failed_, ranks_;
};

/// Runs `step` on this rank and agrees with every rank of `comm` on the outcome. Collective: every
/// rank calls it, in the same order. If `step` threw on any rank, every rank throws StartupError
/// carrying the lowest failing rank's message.
void agree(MPI_Comm comm, const std::function<void()>& step);

/// 64-bit FNV-1a of `text`: equal texts on all ranks give equal hashes.
std::uint64_t fnv1a(const std::string& text);

/// True if `text` is the same on every rank of comm (compares hashes: one reduction).
bool same_on_all_ranks(MPI_Comm comm, const std::string& text);

/// A fingerprint of a file's bytes ("fnv1a:<hex> (<size> bytes)"), or "unreadable": ranks that read
/// "the same" file through a node-local path compare what they actually read.
std::string file_fingerprint(const std::string& path);

/// Rank 0's `text`, broadcast to every rank.
std::string text_of_rank0(MPI_Comm comm, const std::string& text);

}  // namespace pint

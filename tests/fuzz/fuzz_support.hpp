#pragma once
/// \file
/// What the fuzzers share: MPI and Kokkos start-up inside a libFuzzer process, one valid
/// checkpoint written by pint itself (Parareal on a small Black-Scholes problem, checkpointed through
/// write_checkpoint on MPI_COMM_SELF), the RunMetadata a restart of that run expects, and the
/// invariants every ResumeState that read_checkpoint returns must satisfy.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/parareal.hpp"
#include "core/problem.hpp"
#include "io/run_config.hpp"
#include "io/run_metadata.hpp"

namespace pint::fuzz {

/// MPI_Init_thread (if `with_mpi` and not done yet) and Kokkos::initialize with one thread; both
/// finalized at exit. Sets OMP_NUM_THREADS=1 and OMP_PROC_BIND=false first (no pinning, no Kokkos
/// warning).
void init_runtime(bool with_mpi);

struct CheckpointFixture {
  RunConfig config;
  std::shared_ptr<const Problem> problem;
  RunMetadata meta;           ///< what a restart of this run expects (built as drivers/run_command.cpp does)
  std::vector<uint8_t> file;  ///< the checkpoint's bytes, as pint wrote them
  int iteration = 0;          ///< the iteration the checkpoint was taken after
  long slices = 0, unknowns = 0;
};

/// Runs Parareal (Crank-Nicolson 20 steps fine, implicit Euler 2 steps coarse, Serial space, tolerance
/// 0) on a Black-Scholes call with grid [0, s_max], dS = 1, and keeps the checkpoint written after
/// iteration `iteration`. Throws if anything fails (the fuzzer's set-up, not a finding).
CheckpointFixture make_checkpoint_fixture(double s_max, double strike, int slices, int iteration);

/// Writes the fixture's valid checkpoint to $PINT_FUZZ_WRITE_CHECKPOINT, if set (for inspection, or as
/// the seed of the raw-bytes experiment).
void write_fixture_if_asked(const CheckpointFixture& fx);

/// The first invariant of a ResumeState read for `fx` that does not hold, or "" if all hold:
/// 0 <= iteration <= N, 0 <= active <= N; U: N+1 rows of M finite values, U[0] = u0; G: N rows of M
/// finite values; slice_change: N values, none NaN or negative (+inf is what iteration 0 leaves);
/// log: iteration + 1 records, record k has iteration k, 0 <= first_active_slice <= N, calls >= 0,
/// change not NaN and >= 0, seconds finite and >= 0; history: empty or iteration + 1 rows, each N+1
/// vectors of M finite values starting with u0.
std::string violated_invariant(const ResumeState& rs, const CheckpointFixture& fx);

/// PINT_FUZZ_IGNORE="text1,text2": a finding whose message contains one of these texts is not reported.
/// Only for local runs that look past a known, not yet fixed finding; never in CI.
bool ignored(const std::string& finding);

/// A file that the fuzzers rewrite for every input: /dev/shm/NAME-PID (or in TMPDIR), removed at exit.
class ScratchFile {
 public:
  explicit ScratchFile(const char* name);
  ~ScratchFile();  ///< closes and removes the file (libFuzzer's exit does not always run atexit handlers)
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  void write(const void* data, std::size_t size);
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

}  // namespace pint::fuzz

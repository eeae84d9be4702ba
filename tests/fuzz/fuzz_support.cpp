#include "fuzz_support.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <mpi.h>
#include <unistd.h>

#include <Kokkos_Core.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "core/parareal.hpp"
#include "io/checkpoint.hpp"
#include "models/black_scholes.hpp"
#include "models/make_propagator.hpp"

namespace pint::fuzz {

namespace {
bool owns_mpi = false;
void finalize_runtime() {
  if (Kokkos::is_initialized()) Kokkos::finalize();
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (owns_mpi && !finalized) MPI_Finalize();
}
}  // namespace

void init_runtime(bool with_mpi) {
  setenv("OMP_NUM_THREADS", "1", 1);
  setenv("OMP_PROC_BIND", "false", 1);
  // Open MPI installs handlers for SIGABRT, SIGBUS, SIGFPE and SIGSEGV in MPI_Init (a stack trace, then
  // exit); libFuzzer, which sets up its own after LLVMFuzzerInitialize, then leaves those signals to
  // them, and an abort() would end the run without a crash artifact. No Open MPI handlers here.
  setenv("OMPI_MCA_opal_signal", "", 1);
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (with_mpi && !initialized) {
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    owns_mpi = true;
  }
  Kokkos::InitArguments args;
  args.num_threads = 1;
  args.disable_warnings = true;
  Kokkos::initialize(args);
  std::atexit(finalize_runtime);
}

bool ignored(const std::string& finding) {
  static const std::vector<std::string> words = [] {
    std::vector<std::string> w;
    const char* env = std::getenv("PINT_FUZZ_IGNORE");
    const std::string s = env ? env : "";
    for (std::size_t a = 0; a < s.size();) {
      const std::size_t b = std::min(s.find(',', a), s.size());
      if (b > a) w.push_back(s.substr(a, b - a));
      a = b + 1;
    }
    return w;
  }();
  for (const auto& w : words)
    if (finding.find(w) != std::string::npos) return true;
  return false;
}

ScratchFile::ScratchFile(const char* name) {
  // A named file: HDF5 resolves the path it is given (realpath), so /proc/self/fd/N of a memfd does not
  // open. In /dev/shm (memory) if there is one; removed at exit (a crash leaves it: it is small).
  const char* dir =
      access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp");
  path_ = fmt::format("{}/{}-{}", dir, name, getpid());
  fd_ = open(path_.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd_ < 0) throw std::runtime_error("cannot create the scratch file " + path_);
  static std::vector<std::string> to_remove;
  if (to_remove.empty())
    std::atexit([] {
      for (const auto& p : to_remove) unlink(p.c_str());
    });
  to_remove.push_back(path_);
}

ScratchFile::~ScratchFile() {
  if (fd_ >= 0) close(fd_);
  unlink(path_.c_str());
}

void ScratchFile::write(const void* data, std::size_t size) {
  if (ftruncate(fd_, 0) != 0) std::abort();
  const auto* p = static_cast<const char*>(data);
  std::size_t done = 0;
  while (done < size) {
    const ssize_t w = pwrite(fd_, p + done, size - done, static_cast<off_t>(done));
    if (w <= 0) std::abort();
    done += static_cast<std::size_t>(w);
  }
}

void write_fixture_if_asked(const CheckpointFixture& fx) {
  const char* out = std::getenv("PINT_FUZZ_WRITE_CHECKPOINT");
  if (!out) return;
  if (FILE* fp = std::fopen(out, "wb")) {
    std::fwrite(fx.file.data(), 1, fx.file.size(), fp);
    std::fclose(fp);
  }
}

CheckpointFixture make_checkpoint_fixture(double s_max, double strike, int slices, int iteration) {
  CheckpointFixture fx;
  RunConfig& c = fx.config;
  c.black_scholes.s_max = s_max;
  c.black_scholes.ds = 1.0;
  c.black_scholes.strike = strike;
  c.fine = {{Integrator::CrankNicolson, 20, 4}, "serial"};
  c.coarse = {{Integrator::ImplicitEuler, 2, 0}, "serial"};
  c.parareal = {slices, slices, 0.0, true};
  validate(c);
  auto problem = std::make_shared<BlackScholesProblem>(c.black_scholes);
  fx.problem = problem;
  auto fine = make_propagator(problem, c.fine.integrator, SpaceKind::Serial);
  auto coarse = make_propagator(problem, c.coarse.integrator, SpaceKind::Serial);

  // The metadata as `pint run` makes it for --checkpoint / --restart (io/run_metadata.hpp).
  RunMetadata& meta = fx.meta;
  meta = make_run_metadata(c, *problem, *fine, *coarse, 1);
  fx.slices = slices;
  fx.unknowns = meta.unknowns;
  fx.iteration = iteration;

  const std::string path = fmt::format("/dev/shm/pint-fuzz-seed-{}.h5", getpid());
  RunHooks hooks;
  bool written = false;
  hooks.on_iteration = [&](const IterationState& st) {
    if (st.iteration != iteration) return;
    write_checkpoint(path, MPI_COMM_SELF, meta, *problem, st);
    written = true;
  };
  Parareal parareal(*fine, *coarse, c.parareal, MPI_COMM_SELF);
  const State u0 = problem->initial_state();
  parareal.run(u0.values, meta.t0, meta.t1, {}, hooks);
  if (!written) throw std::runtime_error("fuzz fixture: Parareal stopped before the checkpoint iteration");
  std::ifstream in(path, std::ios::binary);
  fx.file.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  std::remove(path.c_str());
  if (fx.file.empty()) throw std::runtime_error("fuzz fixture: the checkpoint is empty");
  // The unmodified file must read back and satisfy every invariant, or the harness is broken.
  ScratchFile scratch("pint-fuzz-fixture");
  scratch.write(fx.file.data(), fx.file.size());
  const ResumeState rs = read_checkpoint(scratch.path(), meta, *problem);
  const std::string bad = violated_invariant(rs, fx);
  if (!bad.empty()) throw std::runtime_error("fuzz fixture: the valid checkpoint fails an invariant: " + bad);
  return fx;
}

std::string violated_invariant(const ResumeState& rs, const CheckpointFixture& fx) {
  const long N = fx.slices, M = fx.unknowns;
  HostVector u0("u0", static_cast<std::size_t>(M));
  fx.problem->initial_condition(u0);
  auto rows_ok = [&](const std::vector<HostVector>& v, long count, const char* what,
                     bool starts_with_u0) -> std::string {
    if (static_cast<long>(v.size()) != count) return fmt::format("{} has {} rows, not {}", what, v.size(), count);
    for (long n = 0; n < count; ++n) {
      if (static_cast<long>(v[n].extent(0)) != M)
        return fmt::format("{} row {} has {} values, not {}", what, n, v[n].extent(0), M);
      for (long i = 0; i < M; ++i)
        if (!std::isfinite(v[n](i))) return fmt::format("{}[{}][{}] is {} (not finite)", what, n, i, v[n](i));
    }
    if (starts_with_u0 && count > 0)
      for (long i = 0; i < M; ++i)
        if (v[0](i) != u0(i))
          return fmt::format("{}[0][{}] is {} but the initial value there is {}", what, i, v[0](i), u0(i));
    return "";
  };
  if (rs.iteration < 0 || rs.iteration > N) return fmt::format("iteration {} is outside [0, N = {}]", rs.iteration, N);
  if (rs.active < 0 || rs.active > N) return fmt::format("active {} is outside [0, N = {}]", rs.active, N);
  if (auto e = rows_ok(rs.U, N + 1, "U", true); !e.empty()) return e;
  if (auto e = rows_ok(rs.G, N, "G", false); !e.empty()) return e;
  if (static_cast<long>(rs.slice_change.size()) != N)
    return fmt::format("slice_change has {} values, not {}", rs.slice_change.size(), N);
  for (long n = 0; n < N; ++n)
    if (std::isnan(rs.slice_change[n]) || rs.slice_change[n] < 0)
      return fmt::format("slice_change[{}] is {}", n, rs.slice_change[n]);
  if (static_cast<long>(rs.log.size()) != rs.iteration + 1L)
    return fmt::format("log has {} records for iteration {}", rs.log.size(), rs.iteration);
  for (std::size_t k = 0; k < rs.log.size(); ++k) {
    const IterationRecord& r = rs.log[k];
    if (r.iteration != static_cast<int>(k)) return fmt::format("log record {} says iteration {}", k, r.iteration);
    if (r.first_active_slice < 0 || r.first_active_slice > N)
      return fmt::format("log record {}: first_active_slice {} is outside [0, {}]", k, r.first_active_slice, N);
    if (r.fine_calls < 0 || r.coarse_calls < 0)
      return fmt::format("log record {}: negative calls ({} fine, {} coarse)", k, r.fine_calls, r.coarse_calls);
    if (std::isnan(r.change) || r.change < 0) return fmt::format("log record {}: change is {}", k, r.change);
    if (!std::isfinite(r.seconds) || r.seconds < 0) return fmt::format("log record {}: seconds is {}", k, r.seconds);
  }
  if (!rs.history.empty() && static_cast<long>(rs.history.size()) != rs.iteration + 1L)
    return fmt::format("history has {} iterates for iteration {} (want 0 or {})", rs.history.size(), rs.iteration,
                       rs.iteration + 1);
  for (std::size_t k = 0; k < rs.history.size(); ++k)
    if (auto e = rows_ok(rs.history[k], N + 1, ("history[" + std::to_string(k) + "]").c_str(), true); !e.empty())
      return e;
  return "";
}

}  // namespace pint::fuzz

#include "spaces/runtime.hpp"

#include <mpi.h>
#include <unistd.h>

#include <Kokkos_Core.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "spaces/rank_agreement.hpp"

#if defined(KOKKOS_ENABLE_CUDA)
#include <cuda_runtime.h>
#endif
#if defined(KOKKOS_ENABLE_HIP)
#include <hip/hip_runtime.h>
#endif

namespace pint {

namespace {

/// Parses N of FLAG=N as a whole number >= lo; throws naming the flag and what it needs.
int whole_number(const std::string& arg, const std::string& flag, const std::string& value, int lo) {
  std::size_t used = 0;
  long v = 0;
  try {
    v = std::stol(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (value.empty() || used != value.size() || v < lo || v > 1 << 20)
    throw std::invalid_argument("'" + arg + "': " + flag + " needs a whole number >= " + std::to_string(lo) +
                                " (e.g. " + flag + "=2)");
  return static_cast<int>(v);
}

/// The private session directory of a launcher-less run (empty when Open MPI's default is used).
std::string private_session_base;

/// Removes the private session directory; Open MPI has emptied it at MPI_Finalize. Registered with
/// atexit, so every way out of the process (std::exit(2) of a start-up error too) removes it.
void remove_private_session_base() {
  if (!private_session_base.empty()) rmdir(private_session_base.c_str());
}

/// Gives a launcher-less run a session directory of its own. Isolated Open MPI singletons all use
/// <tmp>/ompi.<host>.<uid>/jf.0/1: one that finishes removes it while another one creates it, and the
/// second dies in orte_init ("A call to mkdir was unable to create the desired directory"), which two
/// pint runs or two tests started at the same moment hit about once in a hundred. A user's setting wins.
void use_private_session_directory() {
  if (std::getenv("OMPI_MCA_orte_tmpdir_base")) return;
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/pint-mpi-XXXXXX";
  std::vector<char> name(templ.begin(), templ.end());
  name.push_back('\0');
  if (!mkdtemp(name.data())) return;  // Open MPI's default then; it reports its own problem if any
  private_session_base = name.data();
  setenv("OMPI_MCA_orte_tmpdir_base", private_session_base.c_str(), 1);
  std::atexit(remove_private_session_base);
}

/// A GPU build of Kokkos starts its GPU backend inside Kokkos::initialize whatever space a run asks
/// for, and Kokkos 3.4 then throws (no device) or aborts (kernels built for another architecture).
/// Asked first, the runtime gives the reason in words, and the run stops like any start-up error.
void require_gpu_device() {
  const std::string host_build =
      "; run it on a machine with such a GPU and its driver, or use a host build "
      "(bash cmake/bootstrap.sh build)";
#if defined(KOKKOS_ENABLE_CUDA)
  int count = 0;
  const cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess || count < 1)
    throw std::runtime_error(std::string("no CUDA device was found (cudaGetDeviceCount: ") +
                             (err != cudaSuccess ? cudaGetErrorString(err) : "0 devices") +
                             "). This pint is a CUDA build, which starts CUDA for every run" + host_build);
  cudaDeviceProp prop{};
  if (cudaGetDeviceProperties(&prop, 0) == cudaSuccess) {
#if defined(KOKKOS_ARCH_HOPPER90)
    const int built = 9;
#elif defined(KOKKOS_ARCH_AMPERE80) || defined(KOKKOS_ARCH_AMPERE86)
    const int built = 8;
#else
    const int built = prop.major;  // an architecture this check does not know: Kokkos' own check decides
#endif
    if (prop.major != built)
      throw std::runtime_error("this CUDA build of pint has kernels for compute capability " + std::to_string(built) +
                               ".x, but the GPU (" + prop.name + ") is " + std::to_string(prop.major) + "." +
                               std::to_string(prop.minor) + ", which Kokkos 3.4 refuses; build for it (bash " +
                               "cmake/bootstrap.sh build --backend cuda --cuda-arch " +
                               (prop.major >= 9 ? "HOPPER90" : "AMPERE80") + ")");
  }
#endif
#if defined(KOKKOS_ENABLE_HIP)
  int count = 0;
  const hipError_t err = hipGetDeviceCount(&count);
  if (err != hipSuccess || count < 1)
    throw std::runtime_error(std::string("no HIP device was found (hipGetDeviceCount: ") +
                             (err != hipSuccess ? hipGetErrorString(err) : "0 devices") +
                             "). This pint is a HIP build, which starts HIP for every run" + host_build);
#endif
}

}  // namespace

int launcher_rank() {
  for (const char* v : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID"})
    if (const char* r = std::getenv(v)) return std::atoi(r);
  return -1;
}

void check_kokkos_arguments(const std::vector<std::string>& args) {
  for (const std::string& a : args) {
    const auto eq = a.find('=');
    const std::string flag = a.substr(0, eq), value = eq == std::string::npos ? "" : a.substr(eq + 1);
    if (flag == "--kokkos-threads" || flag == "--kokkos-numa") {
      whole_number(a, flag, value, 1);
    } else if (flag == "--kokkos-device-id" || flag == "--kokkos-device") {
      whole_number(a, flag, value, 0);
    } else if (flag == "--kokkos-num-devices" || flag == "--kokkos-ndevices") {
      const auto comma = value.find(',');
      whole_number(a, flag, value.substr(0, comma), 1);
      if (comma != std::string::npos) whole_number(a, flag + " (device to skip)", value.substr(comma + 1), 0);
    } else if (flag == "--kokkos-tools-library" || flag == "--kokkos-tools-args") {
      if (value.empty()) throw std::invalid_argument("'" + a + "': " + flag + " needs a value (" + flag + "=...)");
    } else if (a != "--kokkos-disable-warnings" && a != "--kokkos-tune-internals" && a != "--kokkos-tools-help" &&
               a != "--kokkos-help") {
      throw std::invalid_argument("unknown Kokkos flag '" + a +
                                  "'; Kokkos 3.4 knows --kokkos-threads=N, --kokkos-numa=N, --kokkos-device-id=N, "
                                  "--kokkos-num-devices=N[,SKIP], --kokkos-disable-warnings, --kokkos-tune-internals, "
                                  "--kokkos-tools-library=LIB, --kokkos-tools-args=ARGS, --kokkos-help");
    }
  }
}

Runtime::Runtime(int& argc, char**& argv) {
  int already = 0;
  MPI_Initialized(&already);
  if (!already) {
    // A process that no launcher started is a one-rank job: Open MPI would otherwise fork an `orted`
    // daemon for it (about 0.1 s of every start-up). Harmless for other MPIs; a user's own setting wins.
    // It also needs no network transport: probing them (PSM's InfiniPath library) costs 0.2 s more.
    if (launcher_rank() < 0) {
      setenv("OMPI_MCA_ess_singleton_isolated", "1", 0);
      setenv("OMPI_MCA_pml", "ob1", 0);
      use_private_session_directory();
    }
    // FUNNELED: only the main thread calls MPI; OpenMP threads live inside Kokkos kernels.
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    owns_mpi_ = true;
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  // Kokkos gets only its own --kokkos-* arguments: Kokkos 3.4 also reads bare --help, --threads,
  // --numa, --device ... as its own (and throws on a value it does not expect), which would take those
  // names away from the programs. The --kokkos-* arguments are then removed from argv.
  std::vector<char*> kokkos_args{argv[0]};
  std::vector<std::string> kokkos_strings;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]).rfind("--kokkos-", 0) == 0) {
      kokkos_args.push_back(argv[i]);
      kokkos_strings.emplace_back(argv[i]);
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  argv[argc] = nullptr;
  int kargc = static_cast<int>(kokkos_args.size());
  kokkos_args.push_back(nullptr);
  try {
    agree(MPI_COMM_WORLD, [&] {
      check_kokkos_arguments(kokkos_strings);
      require_gpu_device();
      // Kokkos prints its start-up warnings (OMP_PROC_BIND not set, ...) with printf on stdout, where
      // they would mix with a program's output (`pint --print-config > my.toml`): send them to stderr.
      std::fflush(stdout);
      std::cout.flush();
      const int saved = dup(STDOUT_FILENO);
      if (saved >= 0) dup2(STDERR_FILENO, STDOUT_FILENO);
      try {
        Kokkos::initialize(kargc, kokkos_args.data());
      } catch (...) {
        std::fflush(stdout);
        if (saved >= 0) dup2(saved, STDOUT_FILENO), close(saved);
        throw;
      }
      std::fflush(stdout);
      std::cout.flush();
      if (saved >= 0) dup2(saved, STDOUT_FILENO), close(saved);
    });
  } catch (const StartupError& e) {
    const StartupError named(std::string("Kokkos could not start: ") + e.what(), e.rank(), e.failed_ranks(), e.ranks());
    if (rank_ == 0) std::fprintf(stderr, "%s\n", named.report().c_str());
    if (Kokkos::is_initialized()) Kokkos::finalize();
    if (owns_mpi_) MPI_Finalize();
    std::exit(2);
  }
}

Runtime::~Runtime() {
  Kokkos::finalize();
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (owns_mpi_ && !finalized) MPI_Finalize();
}

void abort_all_ranks(const char* message, int code) {
  std::fprintf(stderr, "%s\n", message);
  std::fflush(stderr);
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (initialized && !finalized) MPI_Abort(MPI_COMM_WORLD, code);
  std::exit(code);
}

}  // namespace pint

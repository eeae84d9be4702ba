// pint's device check: the kernel tests, the placement check and the fine-phase benchmarks, on every
// execution space compiled in, in one program that links only Kokkos and pint's kernels (no MPI, HDF5
// or LibTorch), so that it can be carried to a GPU machine (tests/device/build_bundle.sh) and run there
// (tests/device/run_bundle.sh). In the host build it runs as the test `device.check` on Serial/OpenMP.
//
// Checks (each space against the Serial space's results, which the host test suite verifies against
// closed forms and LAPACK):
//   kernel       20 Crank-Nicolson steps of the default Black-Scholes problem (5001 unknowns), one solve;
//   batched      the fine phase of 16 slices as one batched call;
//   tridiagonal  the general batched tridiagonal solve, 64 systems x 1025 rows, own coefficients each;
//   placement    a kernel launched on the space ran there: device code on a GPU space, inside an OpenMP
//                parallel region on OpenMP, on the calling thread on Serial.
// Figures: the fine kernel in ns per unknown and step (one solve of 200 steps), and the fine phase of
// N = 16 and N = 128 slices, slice by slice against batched, in ms.
// Exit status: 0 when every check passes, 1 otherwise.
#include <Kokkos_Core.hpp>
#include <cmath>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <vector>
#if defined(KOKKOS_ENABLE_OPENMP)
#include <omp.h>
#endif

#include "drivers/fine_phase_timing.hpp"
#include "models/batched_tridiagonal.hpp"

namespace {

using namespace pint;
int failures = 0, passes = 0;
#if defined(KOKKOS_ENABLE_HIP) && KOKKOS_VERSION >= 40000
using HipSpace = Kokkos::HIP;
#elif defined(KOKKOS_ENABLE_HIP)
using HipSpace = Kokkos::Experimental::HIP;
#endif

void report(const char* space, const char* check, double difference, double bound) {
  const bool ok = difference <= bound;
  ++(ok ? passes : failures);
  std::printf("| %s | %s | %.2e | %.0e | %s |\n", space, check, difference, bound, ok ? "pass" : "FAIL");
}

/// Where a kernel on ExecSpace ran: 2 = device code, 1 = inside an OpenMP parallel region, 0 = neither.
template <class ExecSpace>
int placement() {
  Kokkos::View<int*, typename ExecSpace::memory_space> where("where", 1);
  Kokkos::parallel_for(
      "pint::device_check::placement", Kokkos::RangePolicy<ExecSpace>(0, 1), KOKKOS_LAMBDA(int) {
#if defined(__CUDA_ARCH__) || defined(__HIP_DEVICE_COMPILE__)
        where(0) = 2;
#elif defined(KOKKOS_ENABLE_OPENMP)
        where(0) = omp_in_parallel() ? 1 : 0;
#else
        where(0) = 0;
#endif
      });
  auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), where);
  return h(0);
}

/// The batched tridiagonal solve of random-ish systems on ExecSpace, copied to the host.
template <class ExecSpace>
std::vector<double> tridiagonal_solution() {
  const int n = 1025, m = 64;
  using V = Kokkos::View<double**, Kokkos::LayoutRight, typename ExecSpace::memory_space>;
  V a("a", n, m), b("b", n, m), c("c", n, m), d("d", n, m), cp("cp", n, m);
  auto ha = Kokkos::create_mirror_view(a), hb = Kokkos::create_mirror_view(b);
  auto hc = Kokkos::create_mirror_view(c), hd = Kokkos::create_mirror_view(d);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < m; ++j) {
      ha(i, j) = -0.3 - 0.001 * ((i * 7 + j) % 13);
      hc(i, j) = -0.6 + 0.002 * ((i + 3 * j) % 11);
      hb(i, j) = 1.5 + 0.01 * j + 0.001 * (i % 5);
      hd(i, j) = std::sin(0.01 * i + j);
    }
  Kokkos::deep_copy(a, ha), Kokkos::deep_copy(b, hb), Kokkos::deep_copy(c, hc), Kokkos::deep_copy(d, hd);
  batched_tridiagonal_solve(ExecSpace(), a, b, c, d, cp);
  Kokkos::deep_copy(hd, d);
  return std::vector<double>(hd.data(), hd.data() + n * m);
}

double max_relative(const std::vector<double>& x, const std::vector<double>& y) {
  double d = 0, s = 0;
  for (std::size_t i = 0; i < x.size(); ++i) d = std::max(d, std::abs(x[i] - y[i])), s = std::max(s, std::abs(y[i]));
  return d / s;
}

struct Reference {
  std::shared_ptr<const Problem> problem = std::make_shared<BlackScholesProblem>(BlackScholesParams{});
  bench::FinePhaseResult kernel, batched;
  std::vector<double> tridiagonal;
};

template <class ExecSpace>
void check_space(const char* name, const Reference& ref, int expected_place) {
  // Bounds: a GPU contracts multiply-adds into FMAs and the GPU solver uses the partition method, so its
  // results differ from the host's one-block solve by round-off; 1e-11 relative is far below any real
  // error (a wrong coupling or boundary term is of the size of a step's change, > 1e-4).
  const auto k = bench::time_fine_phase<ExecSpace>(ref.problem, bench::default_fine(20), 1, false, 1);
  report(name, "kernel: 20 CN steps", bench::relative_difference(k.outputs, ref.kernel.outputs), 1e-11);
  const auto b = bench::time_fine_phase<ExecSpace>(ref.problem, bench::default_fine(20), 16, true, 1);
  report(name, "batched: 16 slices", bench::relative_difference(b.outputs, ref.batched.outputs), 1e-11);
  report(name, "tridiagonal: 64 systems", max_relative(tridiagonal_solution<ExecSpace>(), ref.tridiagonal), 1e-12);
  const int where = placement<ExecSpace>();
  report(name,
         where == 2   ? "placement: device code"
         : where == 1 ? "placement: OpenMP region"
                      : "placement: host thread",
         where == expected_place ? 0.0 : 1.0, 0.0);
}

template <class ExecSpace>
void figures(const char* name, const std::shared_ptr<const Problem>& problem) {
  const auto one = bench::time_fine_phase<ExecSpace>(problem, bench::default_fine(200), 1, false, 5);
  const double ns = one.best_seconds / (200.0 * problem->size()) * 1e9;
  for (int slices : {16, 128}) {
    const auto loop = bench::time_fine_phase<ExecSpace>(problem, bench::default_fine(200), slices, false, 3);
    const auto batch = bench::time_fine_phase<ExecSpace>(problem, bench::default_fine(200), slices, true, 3);
    std::printf("| %s | %.2f | %d | %.2f | %.2f | %.2fx |\n", name, ns, slices, loop.best_seconds * 1e3,
                batch.best_seconds * 1e3, loop.best_seconds / batch.best_seconds);
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    Kokkos::initialize(argc, argv);  // a GPU build throws here where there is no GPU
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pint_device_check: Kokkos could not start (is there a GPU and its driver?): %s\n", e.what());
    return 2;
  }
  {
    std::printf("# pint device check (Kokkos %d)\n\n", KOKKOS_VERSION);
    Kokkos::print_configuration(std::cout);
    Reference ref;
    ref.kernel = bench::time_fine_phase<Kokkos::Serial>(ref.problem, bench::default_fine(20), 1, false, 1);
    ref.batched = bench::time_fine_phase<Kokkos::Serial>(ref.problem, bench::default_fine(20), 16, false, 1);
    ref.tridiagonal = tridiagonal_solution<Kokkos::Serial>();
    std::printf(
        "\n## Checks against the Serial space\n\n| space | check | rel. difference | bound | |\n"
        "|---|---|---|---|---|\n");
    check_space<Kokkos::Serial>("serial", ref, 0);
#if defined(KOKKOS_ENABLE_OPENMP)
    check_space<Kokkos::OpenMP>("openmp", ref, Kokkos::OpenMP().concurrency() > 1 ? 1 : 0);
#endif
#if defined(KOKKOS_ENABLE_CUDA)
    check_space<Kokkos::Cuda>("cuda", ref, 2);
#endif
#if defined(KOKKOS_ENABLE_HIP)
    check_space<HipSpace>("hip", ref, 2);
#endif
    std::printf(
        "\n## Figures (fastest of the repeats)\n\n| space | fine kernel ns/unknown/step | slices | "
        "slice by slice ms | batched ms | batched speed-up |\n|---|---|---|---|---|---|\n");
    figures<Kokkos::Serial>("serial", ref.problem);
#if defined(KOKKOS_ENABLE_OPENMP)
    figures<Kokkos::OpenMP>("openmp", ref.problem);
#endif
#if defined(KOKKOS_ENABLE_CUDA)
    figures<Kokkos::Cuda>("cuda", ref.problem);
#endif
#if defined(KOKKOS_ENABLE_HIP)
    figures<HipSpace>("hip", ref.problem);
#endif
    std::printf("\n%d passed, %d failed\n", passes, failures);
  }
  Kokkos::finalize();
  return failures == 0 ? 0 : 1;
}

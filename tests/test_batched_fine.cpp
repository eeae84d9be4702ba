// The batched fine phase: the general batched tridiagonal solve against LAPACK, the batched theta
// propagate against the slice-by-slice one, and Parareal with and without batching.
#include <gtest/gtest.h>

#include <Kokkos_Core.hpp>
#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <vector>

#include "core/parareal.hpp"
#include "core/propagator.hpp"
#include "models/batched_tridiagonal.hpp"
#include "models/black_scholes.hpp"
#include "models/make_propagator.hpp"
#include "space_test_fixture.hpp"
#include "spaces/dispatch.hpp"

extern "C" void dgtsv_(const int* n, const int* nrhs, double* dl, double* d, double* du, double* b, const int* ldb,
                       int* info);

using namespace pint;

class BatchedSpace : public test::SpaceTest {};

namespace {

/// Random systems, each its own: |b| >= |a| + |c| + 0.5 (so the reference needs no pivoting either).
struct RandomSystems {
  int n, m;
  std::vector<double> a, b, c, d;  // (row, system), row-major
  RandomSystems(int rows, int systems, unsigned seed) : n(rows), m(systems), a(n * m), b(n * m), c(n * m), d(n * m) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    for (int k = 0; k < n * m; ++k) {
      a[k] = u(gen), c[k] = u(gen), d[k] = 10 * u(gen);
      b[k] = (u(gen) < 0 ? -1 : 1) * (std::abs(a[k]) + std::abs(c[k]) + 0.5 + std::abs(u(gen)));
    }
  }
  /// LAPACK's dgtsv (partial pivoting) on system j: an independent reference.
  std::vector<double> reference(int j) const {
    std::vector<double> dl(n - 1), dd(n), du(n - 1), x(n);
    for (int i = 0; i < n; ++i) {
      dd[i] = b[i * m + j];
      x[i] = d[i * m + j];
      if (i > 0) dl[i - 1] = a[i * m + j];
      if (i + 1 < n) du[i] = c[i * m + j];
    }
    int nrhs = 1, info = 0, nn = n;
    dgtsv_(&nn, &nrhs, dl.data(), dd.data(), du.data(), x.data(), &nn, &info);
    EXPECT_EQ(info, 0);
    return x;
  }
};

/// The batched solve of `s` in `Layout` on `space`: the solutions, (row, system) row-major.
template <class Layout>
std::vector<double> batched_solution(SpaceKind space, const RandomSystems& s) {
  return with_space(space, [&](auto exec) {
    using Exec = decltype(exec);
    using V = Kokkos::View<double**, Layout, typename Exec::memory_space>;
    V a("a", s.n, s.m), b("b", s.n, s.m), c("c", s.n, s.m), d("d", s.n, s.m), cp("cp", s.n, s.m);
    auto ha = Kokkos::create_mirror_view(a), hb = Kokkos::create_mirror_view(b);
    auto hc = Kokkos::create_mirror_view(c), hd = Kokkos::create_mirror_view(d);
    for (int i = 0; i < s.n; ++i)
      for (int j = 0; j < s.m; ++j) {
        ha(i, j) = s.a[i * s.m + j], hb(i, j) = s.b[i * s.m + j];
        hc(i, j) = s.c[i * s.m + j], hd(i, j) = s.d[i * s.m + j];
      }
    Kokkos::deep_copy(a, ha), Kokkos::deep_copy(b, hb), Kokkos::deep_copy(c, hc), Kokkos::deep_copy(d, hd);
    batched_tridiagonal_solve(exec, a, b, c, d, cp);
    Kokkos::deep_copy(hd, d);
    std::vector<double> out(s.n * s.m);
    for (int i = 0; i < s.n; ++i)
      for (int j = 0; j < s.m; ++j) out[i * s.m + j] = hd(i, j);
    return out;
  });
}

template <class Layout>
double batched_solve_error(SpaceKind space, const RandomSystems& s) {
  const auto x = batched_solution<Layout>(space, s);
  double err = 0.0;
  for (int j = 0; j < s.m; ++j) {
    const auto ref = s.reference(j);
    double scale = 0.0;
    for (int i = 0; i < s.n; ++i) scale = std::max(scale, std::abs(ref[i]));
    for (int i = 0; i < s.n; ++i) err = std::max(err, std::abs(x[i * s.m + j] - ref[i]) / scale);
  }
  return err;
}

std::shared_ptr<BlackScholesProblem> default_call() {
  return std::make_shared<BlackScholesProblem>(BlackScholesParams{});  // 5001 unknowns, as pint's default run
}

IntegratorConfig crank_nicolson(int steps) {
  IntegratorConfig c;
  c.method = Integrator::CrankNicolson;
  c.steps = steps;
  c.rannacher_half_steps = 4;
  return c;
}

/// The fine results of `slices` slices from the payoff-like inputs U_n = u0 (a fine phase's shape).
std::vector<HostVector> fine_phase(Propagator& p, const Problem& problem, int slices, bool batched) {
  const std::size_t n = problem.size();
  HostVector u0("u0", n);
  problem.initial_condition(u0);
  std::vector<HostVector> out(slices);
  std::vector<PropagationTask> tasks;
  for (int k = 0; k < slices; ++k) {
    out[k] = HostVector("out", n);
    tasks.push_back({u0, Parareal::slice_time(0, 1, k, slices), Parareal::slice_time(0, 1, k + 1, slices), out[k]});
  }
  if (batched)
    p.propagate_batch(tasks);
  else
    for (const auto& t : tasks) p.propagate(t.in, t.t0, t.t1, t.out);
  return out;
}

double max_difference(const std::vector<HostVector>& x, const std::vector<HostVector>& y) {
  double e = 0.0;
  for (std::size_t k = 0; k < x.size(); ++k)
    for (std::size_t i = 0; i < x[k].extent(0); ++i) e = std::max(e, std::abs(x[k](i) - y[k](i)));
  return e;
}

}  // namespace

// The Thomas solve of every system agrees with LAPACK's pivoting solver to round-off: these systems
// are diagonally dominant by at least 0.5, so both are backward stable with a condition number of a
// few units; 1e-13 relative is ~500 ulps.
TEST_P(BatchedSpace, BatchedTridiagonalMatchesLapackForEverySystemInBothLayouts) {
  const RandomSystems s(257, 37, 11u);
  EXPECT_LT(batched_solve_error<Kokkos::LayoutRight>(GetParam(), s), 1e-13);
  EXPECT_LT(batched_solve_error<Kokkos::LayoutLeft>(GetParam(), s), 1e-13);
  // The host's interleaved [row][system] path (LayoutRight) and the system-after-system one (LayoutLeft)
  // do the same arithmetic per system: the same bits, also for a last chunk of fewer than 8 systems.
  EXPECT_EQ(batched_solution<Kokkos::LayoutRight>(GetParam(), s), batched_solution<Kokkos::LayoutLeft>(GetParam(), s));
  const RandomSystems one_row(1, 3, 5u);
  EXPECT_LT(batched_solve_error<Kokkos::LayoutRight>(GetParam(), one_row), 1e-15);
}

TEST_P(BatchedSpace, BatchedTridiagonalNamesTheSystemAndRowOfAZeroPivot) {
  with_space(GetParam(), [](auto exec) {
    using V = Kokkos::View<double**, Kokkos::LayoutRight, typename decltype(exec)::memory_space>;
    V a("a", 4, 3), b("b", 4, 3), c("c", 4, 3), d("d", 4, 3), cp("cp", 4, 3);
    auto hb = Kokkos::create_mirror_view(b);
    for (int i = 0; i < 4; ++i)
      for (int j = 0; j < 3; ++j) hb(i, j) = (j == 2 && i == 2) ? 0.0 : 2.0;  // system 2, row 2 is singular
    Kokkos::deep_copy(b, hb);
    try {
      batched_tridiagonal_solve(exec, a, b, c, d, cp);
      ADD_FAILURE() << "a zero pivot went unnoticed";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("system 2 at row 2"), std::string::npos) << e.what();
    }
  });
}

// A batched fine phase gives each slice the bits of the one-block solver step by step: the Serial
// space's slice-by-slice propagate, whatever space the batch runs on and whatever else is in it
// (each system is solved by one thread with the same arithmetic).
TEST_P(BatchedSpace, BatchedFinePhaseHasTheBitsOfTheOneBlockSolver) {
  const auto problem = default_call();
  auto batched = make_propagator(problem, crank_nicolson(20), GetParam());
  auto reference = make_propagator(problem, crank_nicolson(20), SpaceKind::Serial);
  ASSERT_TRUE(batched->batches());
  const auto all = fine_phase(*batched, *problem, 6, true);
  EXPECT_EQ(max_difference(all, fine_phase(*reference, *problem, 6, false)), 0.0);
  // A slice alone in its batch, or second in a smaller one: the same bits again.
  const auto fewer = fine_phase(*batched, *problem, 3, true);
  EXPECT_EQ(max_difference(fewer, fine_phase(*reference, *problem, 3, false)), 0.0);
}

// Against the partition method (2 blocks, as a 2-thread host space runs a single solve) the batched
// results differ by round-off only: the two are different eliminations of the same systems. Bound:
// 1e-11 of the solution's size after 20 steps (measured: about 1e-13; a wrong coupling or boundary term
// would be of the size of the solution's change per step, > 1e-3).
TEST(BatchedFinePhase, AgreesWithThePartitionMethodToRoundOff) {
  const auto problem = default_call();
  auto batched = make_propagator(problem, crank_nicolson(20), SpaceKind::Serial, 1);
  auto partition = make_propagator(problem, crank_nicolson(20), SpaceKind::Serial, 2);
  const auto x = fine_phase(*batched, *problem, 4, true), y = fine_phase(*partition, *problem, 4, false);
  double size = 0.0;
  for (const auto& v : y)
    for (std::size_t i = 0; i < v.extent(0); ++i) size = std::max(size, std::abs(v(i)));
  const double d = max_difference(x, y);
  EXPECT_LT(d, 1e-11 * size);
  RecordProperty("relative_difference", std::to_string(d / size));
}

TEST(BatchedFinePhase, RefusesATaskThatWritesAnotherTasksInput) {
  const auto problem = default_call();
  auto p = make_propagator(problem, crank_nicolson(2), SpaceKind::Serial);
  HostVector u("u", problem->size()), v("v", problem->size());
  problem->initial_condition(u);
  std::vector<PropagationTask> tasks{{u, 0.0, 0.5, v}, {v, 0.5, 1.0, u}};
  EXPECT_THROW(p->propagate_batch(tasks), std::invalid_argument);
}

// Parareal with the batched fine phase: the same iteration count and the same iterates as slice by
// slice, to round-off (the default problem, 16 slices, fine on the space under test).
TEST_P(BatchedSpace, PararealIteratesDoNotChangeWithBatching) {
  const auto problem = default_call();
  auto fine = make_propagator(problem, crank_nicolson(50), GetParam());
  IntegratorConfig ie;
  ie.method = Integrator::ImplicitEuler;
  ie.steps = 5;
  auto coarse = make_propagator(problem, ie, GetParam());
  HostVector u0("u0", problem->size());
  problem->initial_condition(u0);
  PararealConfig pc;
  pc.slices = 16;
  pc.tolerance = 1e-10;
  pc.keep_history = true;
  pc.batch_fine = true;
  const auto with = Parareal(*fine, *coarse, pc, MPI_COMM_WORLD).run(u0, 0.0, 1.0);
  pc.batch_fine = false;
  const auto without = Parareal(*fine, *coarse, pc, MPI_COMM_WORLD).run(u0, 0.0, 1.0);
  ASSERT_EQ(with.iterations, without.iterations);
  EXPECT_TRUE(with.converged && without.converged);
  ASSERT_EQ(with.history.size(), without.history.size());
  double size = 0.0;
  for (std::size_t i = 0; i < u0.extent(0); ++i) size = std::max(size, std::abs(u0(i)));
  for (std::size_t k = 0; k < with.history.size(); ++k)
    EXPECT_LT(max_difference(with.history[k], without.history[k]), 1e-11 * size) << "iteration " << k;
}

PINT_INSTANTIATE_FOR_ALL_SPACES(BatchedSpace);

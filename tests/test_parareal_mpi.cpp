// Parareal over MPI_COMM_WORLD (run by ctest at 1, 2 and 4 ranks) gives the same iterates as the
// serial emulation (the same code on MPI_COMM_SELF), for N = P and N != P.
#include <gtest/gtest.h>
#include <mpi.h>

#include "core/parareal.hpp"
#include "core/problem_registry.hpp"
#include "core/rank_grid.hpp"
#include "models/black_scholes.hpp"
#include "models/builtin_problems.hpp"
#include "models/burgers.hpp"
#include "models/make_propagator.hpp"
#include "parareal_test_util.hpp"

using namespace pint;

namespace {
void compare_with_serial_emulation(int slices, int max_iterations, double tolerance) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (size > slices) GTEST_SKIP() << "more ranks than slices";
  BlackScholesParams p;
  p.s_max = 600.0;
  auto problem = std::make_shared<BlackScholesProblem>(p);
  auto F = make_propagator(problem, {Integrator::CrankNicolson, 30, 4}, SpaceKind::Serial);
  auto G = make_propagator(problem, {Integrator::ImplicitEuler, 3, 0}, SpaceKind::Serial);
  const State u0 = problem->initial_state();
  PararealConfig pc{slices, max_iterations, tolerance, true};
  const PararealResult par = Parareal(*F, *G, pc, MPI_COMM_WORLD).run(u0.values, 0.0, 1.0);
  if (rank != 0) return;  // gathered results live on rank 0
  const PararealResult ser = Parareal(*F, *G, pc, MPI_COMM_SELF).run(u0.values, 0.0, 1.0);
  ASSERT_EQ(par.iterations, ser.iterations);
  ASSERT_EQ(par.history.size(), ser.history.size());
  // Every slice runs the same arithmetic on the same inputs whatever P is, so the iterates agree to
  // the last bit; "to round-off" is the requirement, the test asks for exact equality because
  // anything else would mean a message carried a stale or wrong value.
  for (std::size_t k = 0; k < ser.history.size(); ++k)
    for (std::size_t n = 0; n < ser.history[k].size(); ++n)
      EXPECT_EQ(test::rel_diff(par.history[k][n], ser.history[k][n]), 0.0)
          << "iteration " << k << ", slice value " << n << " on " << size << " ranks";
  EXPECT_EQ(test::max_rel_diff(par.boundaries, ser.boundaries), 0.0);
  ASSERT_EQ(par.log.size(), ser.log.size());
  for (std::size_t k = 0; k < ser.log.size(); ++k) {
    EXPECT_EQ(par.log[k].first_active_slice, ser.log[k].first_active_slice);
    if (k > 0) {
      EXPECT_EQ(par.log[k].change, ser.log[k].change);
    }
  }
}
}  // namespace

TEST(PararealMPI, SameIteratesAsSerialEmulationOneSlicePerRank) {
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  compare_with_serial_emulation(size, size, 0.0);
}

TEST(PararealMPI, SameIteratesAsSerialEmulationUnevenSlices) {
  compare_with_serial_emulation(7, 5, 0.0);
}

TEST(PararealMPI, SameIteratesWithToleranceStopAndFrozenSlices) {
  compare_with_serial_emulation(16, 16, 1e-9);
}

// A learned coarse correction gathers every rank's new pairs after each fine phase (Krylov: to rank 0,
// which broadcasts the basis; RandNet: to every rank): the iterates are the same to the last bit on any
// number of ranks.
namespace {
void same_iterates_with_correction(Propagator& F, Propagator& G, ConstHostVector u0, const std::string& kind,
                                   int coarse_powers = 0) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const int N = 10;  // uneven blocks on 4 ranks
  PararealConfig pc{N, N, 1e-11, true};
  CorrectionConfig cfg;
  cfg.kind = kind;
  cfg.coarse_powers = coarse_powers;
  auto c_world = make_correction(cfg, u0.extent(0));
  const PararealResult par = Parareal(F, G, pc, MPI_COMM_WORLD, c_world.get()).run(u0, 0.0, 1.0);
  if (rank != 0) return;
  auto c_self = make_correction(cfg, u0.extent(0));
  const PararealResult ser = Parareal(F, G, pc, MPI_COMM_SELF, c_self.get()).run(u0, 0.0, 1.0);
  ASSERT_EQ(par.iterations, ser.iterations) << kind;
  ASSERT_EQ(par.history.size(), ser.history.size());
  for (std::size_t k = 0; k < ser.history.size(); ++k)
    for (int n = 0; n <= N; ++n)
      for (std::size_t i = 0; i < u0.extent(0); ++i)
        ASSERT_EQ(par.history[k][n](i), ser.history[k][n](i))
            << kind << ": iteration " << k << ", slice value " << n << " on " << size << " ranks";
  EXPECT_EQ(par.correction.model_size, ser.correction.model_size);
}
}  // namespace

TEST(PararealMPI, SameIteratesWithKrylovCorrection) {
  BlackScholesParams p;
  p.s_max = 400.0;
  p.ds = 4.0;
  auto problem = std::make_shared<BlackScholesProblem>(p);
  auto F = make_propagator(problem, {Integrator::CrankNicolson, 12, 4}, SpaceKind::Serial);
  auto G = make_propagator(problem, {Integrator::ImplicitEuler, 1, 0}, SpaceKind::Serial);
  const State u0 = problem->initial_state();
  same_iterates_with_correction(*F, *G, u0.values, "krylov");
  same_iterates_with_correction(*F, *G, u0.values, "krylov", 4);  // the powers: rank 0 computes them
}

TEST(PararealMPI, SameIteratesWithRandNetCorrection) {
  BurgersParams p;
  p.intervals = 32;
  p.nu = 0.02;
  p.a = 1.1;
  auto problem = std::make_shared<BurgersProblem>(p);
  auto F = make_propagator(problem, {Integrator::CrankNicolson, 8, 0}, SpaceKind::Serial);
  auto G = make_propagator(problem, {Integrator::ImplicitEuler, 1, 0}, SpaceKind::Serial);
  const State u0 = problem->initial_state();
  same_iterates_with_correction(*F, *G, u0.values, "randnet");
}

// Parallel SDC across the method composed with Parareal across time: P ranks as P / R time ranks x R node ranks
// (core/rank_grid.hpp), every R that divides P and is at most M = 4. The iterates equal those of the serial
// emulation with all nodes on one rank: bit for bit on heat (linear: one solve per node, the same arithmetic
// wherever it runs); on Allen-Cahn (Newton) to the solver's tolerance, since a batch of fewer systems may stop
// Newton one iteration earlier.
TEST(PararealMPI, SdcNodeRanksGiveTheSameIterates) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  register_builtin_problems();
  for (const std::string name : {"heat", "allen-cahn"}) {
    const ProblemEntry* e = find_problem(name);
    ProblemParameters params;
    if (name == "heat")
      params.values = {{"alpha", 1.0}, {"length", 1.0}, {"intervals", 32}, {"mode", 1}, {"t_end", 0.1}};
    else
      params = parameters_from(*e, {{"intervals", 32}}, "test");
    auto problem = e->make(params);
    IntegratorConfig fine{Integrator::Sdc, 2, 0};
    fine.sdc.qdelta = "min-sr-s";
    if (name == "allen-cahn") {  // the node-by-node path too; small steps: the reaction (2 / eps^2) is explicit
      fine.sdc.imex = "lagged";
      fine.steps = 64;
    }
    auto G = make_propagator(problem, {Integrator::ImplicitEuler, 1, 0}, SpaceKind::Serial);
    const State u0 = problem->initial_state();
    const double t1 = problem->t_end();
    const int N = 8;
    PararealConfig pc{N, N, 1e-13, true};
    const PararealResult ser =
        Parareal(*make_propagator(problem, fine, SpaceKind::Serial), *G, pc, MPI_COMM_SELF).run(u0.values, 0.0, t1);
    for (int R : {1, 2, 4}) {
      if (size % R != 0 || size / R > N) continue;
      RankGrid grid(MPI_COMM_WORLD, R);
      fine.sdc.node_ranks = R;
      auto F = make_propagator(problem, fine, SpaceKind::Serial, 0, grid.node_comm());
      const PararealResult par = Parareal(*F, *G, pc, grid.time_comm()).run(u0.values, 0.0, t1);
      int time_rank = 0;
      MPI_Comm_rank(grid.time_comm(), &time_rank);
      if (time_rank != 0) continue;  // results are gathered on time rank 0 of every copy
      ASSERT_EQ(par.iterations, ser.iterations) << name << " R = " << R;
      const double d = test::max_rel_diff(par.boundaries, ser.boundaries);
      if (name == "heat")
        EXPECT_EQ(d, 0.0) << name << ": " << size / R << " time x " << R << " node ranks";
      else
        EXPECT_LE(d, 1e-11) << name << ": " << size / R << " time x " << R << " node ranks";
    }
  }
}

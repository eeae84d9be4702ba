// MGRIT over MPI_COMM_WORLD (run by ctest at 1, 2 and 4 ranks) gives the same iterates, residuals and
// results as on MPI_COMM_SELF, for hierarchies where some ranks own no point of a coarse level (their
// messages are forwarded), uneven blocks, F-cycles, FCFCF-relaxation and both kinds of initial guess.
#include <gtest/gtest.h>
#include <mpi.h>

#include "core/mgrit.hpp"
#include "models/black_scholes.hpp"
#include "models/make_propagator.hpp"
#include "parareal_test_util.hpp"

using namespace pint;

namespace {

struct Case {
  int slices, levels, cfactor0, cfactor, nu;
  MgritCycle cycle;
  bool skip;
  std::optional<double> guess;
};

void compare_with_one_rank(const Case& c) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (size > c.slices) GTEST_SKIP() << "more ranks than slices";
  BlackScholesParams p;
  p.s_max = 600.0;
  p.ds = 2.0;
  auto problem = std::make_shared<BlackScholesProblem>(p);
  auto F = make_propagator(problem, {Integrator::CrankNicolson, 8, 4}, SpaceKind::Serial);
  auto G = make_propagator(problem, {Integrator::ImplicitEuler, 2, 0}, SpaceKind::Serial);
  const State u0 = problem->initial_state();
  MgritSettings s;
  s.slices = c.slices;
  s.mgrit.levels = c.levels;
  s.mgrit.cfactor0 = c.cfactor0;
  s.mgrit.cfactor = c.cfactor;
  s.mgrit.nu = c.nu;
  s.mgrit.cycle = c.cycle;
  s.mgrit.skip = c.skip;
  s.mgrit.initial_guess = c.guess;
  s.tolerance = 1e-9;
  s.max_iterations = 12;
  s.keep_history = true;
  const PararealResult par = Mgrit(*F, *G, s, MPI_COMM_WORLD).run(u0.values, 0.0, 1.0);
  if (rank != 0) return;  // gathered results live on rank 0
  const PararealResult ser = Mgrit(*F, *G, s, MPI_COMM_SELF).run(u0.values, 0.0, 1.0);
  ASSERT_EQ(par.iterations, ser.iterations);
  ASSERT_EQ(par.log.size(), ser.log.size());
  // The same arithmetic on the same inputs for every P: equal to the last bit (a difference would mean
  // a message carried a stale or wrong value).
  for (std::size_t k = 0; k < ser.log.size(); ++k) {
    if (std::isnan(ser.log[k].residual)) {
      EXPECT_TRUE(std::isnan(par.log[k].residual));
    } else {
      EXPECT_EQ(par.log[k].residual, ser.log[k].residual) << "iteration " << k << " on " << size << " ranks";
    }
    EXPECT_EQ(par.log[k].fine_calls, ser.log[k].fine_calls) << "iteration " << k;
    EXPECT_EQ(par.log[k].coarse_calls, ser.log[k].coarse_calls) << "iteration " << k;
  }
  ASSERT_EQ(par.history.size(), ser.history.size());
  for (std::size_t k = 0; k < ser.history.size(); ++k)
    for (std::size_t n = 0; n < ser.history[k].size(); ++n)
      EXPECT_EQ(test::rel_diff(par.history[k][n], ser.history[k][n]), 0.0) << "row " << k << ", point " << n;
  EXPECT_EQ(test::max_rel_diff(par.boundaries, ser.boundaries), 0.0);
}

}  // namespace

TEST(MgritMPI, TwoLevelsFcf) {
  compare_with_one_rank({16, 2, 0, 2, 1, MgritCycle::V, true, std::nullopt});
}

TEST(MgritMPI, AllLevelsSomeRanksEmptyOnCoarseLevels) {
  // 10 slices, cf 2: 11 -> 6 -> 3 -> 2 points; on 4 ranks two own no point of the coarsest level.
  compare_with_one_rank({10, 30, 0, 2, 1, MgritCycle::V, true, 0.456});
}

TEST(MgritMPI, FCycleUnevenBlocksNoSkip) {
  compare_with_one_rank({23, 4, 3, 2, 2, MgritCycle::F, false, std::nullopt});
}

TEST(MgritMPI, FRelaxationConstantGuessNoSkip) {
  compare_with_one_rank({9, 3, 0, 3, 0, MgritCycle::V, false, 0.0});
}

TEST(MgritMPI, BlocksShorterThanAnInterval) {
  // 8 slices, cf0 4, on 4 ranks: rank 2 owns points 5 and 6 only, both F-points, and passes its F-relaxed
  // point 6 on to rank 3 (a value that must wait for rank 1's point 4: a chain through the ranks).
  compare_with_one_rank({8, 2, 4, 2, 1, MgritCycle::V, true, std::nullopt});
}

// Parareal over MPI_COMM_WORLD (run by ctest at 1, 2 and 4 ranks) gives the same iterates as the
// serial emulation (the same code on MPI_COMM_SELF), for N = P and N != P.
#include <gtest/gtest.h>
#include <mpi.h>

#include "core/parareal.hpp"
#include "models/black_scholes.hpp"
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
void same_iterates_with_correction(Propagator& F, Propagator& G, ConstHostVector u0, const std::string& kind) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const int N = 10;  // uneven blocks on 4 ranks
  PararealConfig pc{N, N, 1e-11, true};
  CorrectionConfig cfg;
  cfg.kind = kind;
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

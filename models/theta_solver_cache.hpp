#pragma once
/// \file
/// The theta-step factorisations a propagator has built, one per (theta, dt), made on first use and
/// kept. The key is the exact dt: slices of one run differ in length by an ulp or two
/// (t_n = t0 + n T / N), and sharing one factorisation between them would make the result depend on
/// which slice came first, so that the same slice would give other bits on another MPI rank. There are
/// only a few distinct values per run.

#include <memory>
#include <vector>

#include "core/problem.hpp"
#include "models/theta_step_solver.hpp"

namespace pint {

template <class ExecSpace>
class ThetaSolverCache {
 public:
  using Solver = ThetaStepSolver<ExecSpace>;

  ThetaSolverCache(const ExecSpace& exec, Tridiagonal op, bool dirichlet, int blocks = 0)
      : exec_(exec), op_(std::move(op)), dirichlet_(dirichlet), blocks_(blocks) {}

  const Solver& get(double theta, double dt) {
    for (const auto& s : solvers_)
      if (s->theta() == theta && s->dt() == dt) return *s;
    solvers_.push_back(std::make_unique<Solver>(exec_, op_, dirichlet_, theta, dt, blocks_));
    return *solvers_.back();
  }
  std::size_t size() const { return solvers_.size(); }
  std::size_t rows() const { return op_.size(); }

 private:
  ExecSpace exec_;
  Tridiagonal op_;
  bool dirichlet_;
  int blocks_;
  std::vector<std::unique_ptr<Solver>> solvers_;
};

}  // namespace pint

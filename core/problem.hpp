#pragma once
/// \file
/// A linear semi-discrete problem du/dt = L u on a 1D grid, L tridiagonal, with optional prescribed
/// (Dirichlet) values at both ends. Heat, Black-Scholes and Dahlquist are all of this form, which
/// lets one set of kernels (models/) integrate any of them.

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "core/state.hpp"
#include "core/vector.hpp"

namespace pint {

/// Row i of L: lower[i]*u[i-1] + diag[i]*u[i] + upper[i]*u[i+1]; lower[0] and upper[n-1] are 0.
struct Tridiagonal {
  std::vector<double> lower, diag, upper;
  std::size_t size() const { return diag.size(); }
};

class Problem {
 public:
  virtual ~Problem() = default;

  virtual std::string name() const = 0;
  /// Grid of the unknowns; shared so that States can point at it.
  virtual std::shared_ptr<const Grid> grid() const = 0;
  std::size_t size() const { return grid()->size(); }
  virtual double t_start() const { return 0.0; }
  virtual double t_end() const = 0;

  virtual void initial_condition(HostVector u) const = 0;
  /// Values of the first and last unknown at time t, used when grid()->dirichlet_ends.
  virtual std::array<double, 2> boundary_values(double t) const = 0;
  /// The spatial operator L (rows of prescribed unknowns are ignored).
  virtual Tridiagonal spatial_operator() const = 0;

  virtual bool has_exact_solution() const { return false; }
  /// The exact solution of the PDE (not of its discretisation) at time t; throws if there is none.
  virtual void exact_solution(double t, HostVector u) const;

  /// The initial condition as a State at t_start().
  State initial_state() const;
};

}  // namespace pint

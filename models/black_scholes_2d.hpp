#pragma once
/// \file
/// European options on two correlated assets under Black-Scholes (seed 002's two-asset test), in time to
/// maturity tau = T - t:
///
///   u_tau = 1/2 s1^2 x^2 u_xx + 1/2 s2^2 y^2 u_yy + rho s1 s2 x y u_xy + (r - q1) x u_x + (r - q2) y u_y - r u
///
/// on [0, S1max] x [0, S2max] (x = S1, y = S2), u(0) = the payoff at the nodes where its kinks lie on mesh
/// lines, else its cell averages (two_asset_payoff.hpp; PayoffSmoothing below).
/// Second-order finite differences on tensor meshes (uniform or sinh-concentrated at the spots,
/// asset_mesh.hpp): three-point first and second differences for non-uniform nodes, the mixed derivative
/// as the product of the two first differences (a 9-point stencil).
///
/// Boundaries, and why no data is prescribed anywhere: on S1 = 0 every x-term has the factor x and vanishes,
/// so the PDE there is the 1-D Black-Scholes equation of S2 (and at the corner u_tau = -r u): these lines are
/// solved as part of the grid, with no boundary data to get wrong. At the far edges S1max, S2max every payoff
/// here is asymptotically linear in the asset (or independent of it), so u_xx = 0 there (the homogeneous
/// second derivative, as QuantLib's operators have at their edges), the drift term uses the one-sided
/// difference into the grid and the mixed term the same one-sided difference times the centred one
/// along the edge. No payoff-specific asymptotics are needed; the edges are far enough when moving them
/// out does not change the price at the spot (tests/test_black_scholes_2d.cpp measures it).
///
/// The split for ADI: f_0 = the mixed derivative (explicit in every scheme), f_1 = the S1 terms - r/2 u,
/// f_2 = the S2 terms - r/2 u. Each of f_1, f_2 is one tridiagonal matrix, the same for every grid line of
/// its direction, so a direction's solve is one Thomas factorisation shared by all lines and one batched
/// kernel over the lines. The full stage solve u - a f(u) = r (implicit Euler, Crank-Nicolson: the
/// Rannacher start-up and the coarse propagator) is BiCGStab preconditioned by the approximate
/// factorisation (I - a f_1)^-1 (I - a f_2)^-1 (two line sweeps), to a relative residual of
/// solve_tolerance.

#include <optional>

#include "core/problem.hpp"
#include "core/problem_registry.hpp"
#include "models/two_asset_payoff.hpp"

namespace pint {

/// How the payoff becomes start values (see two_asset_payoff.hpp): point values are exact where the kinks lie
/// on mesh lines (then a cell average would move the kink's node by O(h) for nothing: measured, it doubles
/// the error at the spot); elsewhere a kink between nodes needs the cell average, or measured orders jitter.
enum class PayoffSmoothing { Auto, CellAverage, Point };

struct BlackScholes2dParams {
  TwoAssetContract contract;  ///< payoff, K, basket weights
  double spot1 = 100.0, spot2 = 100.0;
  double sigma1 = 0.3, sigma2 = 0.3, rho = 0.5;
  double rate = 0.05, q1 = 0.0, q2 = 0.0;
  double maturity = 1.0;
  int n1 = 128, n2 = 128;                 ///< intervals per axis
  double s1_max = 800.0, s2_max = 800.0;  ///< far edges (concentrated mesh: moved slightly to put a node on the spot)
  bool concentrated = true;               ///< sinh mesh concentrated at the spots, else uniform
  double density = 0.2;                   ///< concentration d / spot of the sinh mesh
  double solve_tolerance = 1e-12;         ///< relative residual of the full stage solve (BiCGStab)
  PayoffSmoothing smoothing = PayoffSmoothing::Auto;
};

class BlackScholes2dProblem final : public Problem {
 public:
  explicit BlackScholes2dProblem(BlackScholes2dParams params);
  std::string name() const override { return "black-scholes-2d"; }
  std::shared_ptr<const Grid> grid() const override { return grid_; }
  double t_end() const override { return p_.maturity; }
  void initial_condition(HostVector u) const override;
  std::unique_ptr<ProblemOperatorBase> make_operator(SpaceKind space) const override;
  std::vector<StabilityOperator> stability_operators(const HostVector& u) const override;
  bool has_exact_solution() const override;
  /// Margrabe (exchange) or Stulz (max-call, min-call) at every node; throws for the other payoffs.
  void exact_solution(double t, HostVector u) const override;
  std::vector<NamedValue> report(double t, const HostVector& u) const override;

  /// The price at (spot1, spot2) of a state: bilinear interpolation (exact where the spot is a node, as the
  /// concentrated mesh makes it).
  double value_at_spot(const HostVector& u) const;
  /// Whether every kink of the payoff lies on mesh lines (exchange: identical meshes; max / min calls: also K
  /// a node; basket and spread calls: never, their kink lines are oblique).
  bool kinks_on_nodes() const;
  /// Whether the start values are point values (else cell averages).
  bool payoff_point_values() const;
  /// The closed form at the spot at time to maturity tau, where there is one.
  std::optional<double> closed_form_at_spot(double tau) const;
  const BlackScholes2dParams& params() const { return p_; }

  static ProblemEntry entry();

 private:
  BlackScholes2dParams p_;
  std::shared_ptr<Grid> grid_;
};

}  // namespace pint

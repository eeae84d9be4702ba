#pragma once
/// \file
/// Every integrator pint has, written once against the problem interface (core/problem_operator.hpp):
/// explicit Euler, classical RK4, implicit Euler, Crank-Nicolson with the Rannacher start-up, the ADI schemes
/// (Douglas, Craig-Sneyd, modified Craig-Sneyd, Hundsdorfer-Verwer, Peaceman-Rachford) and LOD implicit Euler
/// for split problems f = f_0 + ... + f_{k-1}, and spectral deferred corrections.
/// It runs any problem, nonlinear, 2-D or a user's own, on the space its operator was made for.
/// (Problems of the constant tridiagonal form get the fused kernels instead: models/make_propagator.)
///
/// A step from t_n to t_{n+1} = t_n + dt:
///   explicit Euler      u += dt f(t_n, u)
///   RK4                 the classical four stages, prescribed values at each stage's time
///   theta (IE: 1, CN: 1/2)   u - theta dt f(t_{n+1}, u) = u_n + (1 - theta) dt f(t_n, u_n)
///   Douglas             Y_0 = u_n + dt f(t_n, u_n);
///                       Y_j - theta dt f_j(t_{n+1}, Y_j) = Y_{j-1} - theta dt f_j(t_n, u_n),  j = 1..k
///                       u_{n+1} = Y_k  (second order with theta = 1/2 when no part is a mixed derivative)
///   The ADI family of In 't Hout and Foulon (2010) for f = A_0 + A_1 + ... with A_0 the explicit parts (a
///   mixed derivative; explicit_part()), the j above running over the implicit ones, Y_k the Douglas result:
///   Craig-Sneyd         Z_0 = Y_0 + 1/2 dt (A_0(Y_k) - A_0(u_n)), then the Douglas sweep from Z_0
///   modified C.-S.      Z_0 = Y_0 + theta dt (A_0(Y_k) - A_0(u_n)) + (1/2 - theta) dt (f(Y_k) - f(u_n)),
///                       then the Douglas sweep from Z_0
///   Hundsdorfer-Verwer  Z_0 = Y_0 + mu dt (f(Y_k) - f(u_n)),
///                       Z_j - theta dt f_j(Z_j) = Z_{j-1} - theta dt f_j(Y_k), u_{n+1} = Z_k
///   (time arguments as in Douglas: explicit terms at their stage's time, solves at t_{n+1}). Second order:
///   Craig-Sneyd with theta = 1/2, modified Craig-Sneyd and Hundsdorfer-Verwer for any theta, also with a
///   mixed derivative; Douglas is then first order.
///   Peaceman-Rachford   u* - dt/2 f_0(t_{n+1/2}, u*) = u_n + dt/2 f_1(t_n, u_n)
///                       u_{n+1} - dt/2 f_1(t_{n+1}, u_{n+1}) = u* + dt/2 f_0(t_{n+1/2}, u*)
///   SDC                 M collocation nodes tau_m, K sweeps (core/sdc_coefficients.hpp): from Y^0 (the start value
///                       at every node, or implicit-Euler steps between the nodes), each sweep solves
///                       Y_m - dt Q_D[m,m] f(t_m, Y_m) = u_n + dt sum_j (Q - Q_D)[m,j] F_j^k + dt sum_(j<m) Q_D[m,j]
///                       F_j^(k+1) (a diagonal Q_D: the M node solves are independent, one batched solve_batch call,
///                       each system at its node's time); u_(n+1) = Y_M (last node, tau_M = 1) or u_n + dt sum_j b_j
///                       F_j. IMEX (a split into one implicit part f_I and explicit parts f_E): Q_D acts on f_I only,
///                       Q_E (explicit Euler, or 0 = lagged) on f_E: Y_m - dt Q_D[m,m] f_I(Y_m) = u_n + dt sum_j ((Q -
///                       Q_D)[m,j] F_I,j^k + (Q - Q_E)[m,j] F_E,j^k) + dt sum_(j<m) (Q_D[m,j] F_I,j + Q_E[m,j]
///                       F_E,j)^(k+1).
///   LOD implicit Euler  Y_0 = u_n + dt A_0(t_n, u_n), Y_j - dt f_j(t_{n+1}, Y_j) = Y_{j-1}, u_{n+1} = Y_k
/// Rannacher start-up (a call starting at the problem's t_start): the first steps are replaced by pairs of
/// implicit-Euler half-steps (for ADI: Douglas half-steps with theta = 1, each direction implicit Euler).

#include <mpi.h>

#include <Kokkos_Core.hpp>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

#include "core/problem.hpp"
#include "core/problem_operator.hpp"
#include "core/propagator.hpp"
#include "core/sdc_analysis.hpp"
#include "core/sdc_coefficients.hpp"
#include "models/integrator.hpp"

namespace pint {

/// y = x + c z (any of them may alias), on ExecSpace.
template <class ExecSpace, class V, class C>
void axpy_into(const ExecSpace& exec, const V& y, const C& x, double c, const C& z) {
  Kokkos::parallel_for(
      "pint::general::axpy", Kokkos::RangePolicy<ExecSpace>(exec, 0, y.extent(0)),
      KOKKOS_LAMBDA(int i) { y(i) = x(i) + c * z(i); });
}

template <class ExecSpace>
class GeneralPropagator final : public Propagator {
 public:
  using Op = ProblemOperator<ExecSpace>;
  using Vector = typename Op::Vector;

  /// `node_comm`: the ranks that share SDC's node solves (config.sdc.node_ranks of them; core/rank_grid.hpp).
  GeneralPropagator(std::shared_ptr<const Problem> problem, std::unique_ptr<Op> op, IntegratorConfig config,
                    MPI_Comm node_comm = MPI_COMM_SELF)
      : problem_(std::move(problem)), op_(std::move(op)), config_(config), n_(op_->size()), node_comm_(node_comm) {
    validate(config_);
    if (n_ != problem_->size())
      throw std::logic_error("the operator of problem '" + problem_->name() + "' has " + std::to_string(n_) +
                             " unknowns where its grid has " + std::to_string(problem_->size()));
    if (needs_split(config_.method) && op_->parts() < 2)
      throw std::invalid_argument(to_string(config_.method) + " needs a problem split into directions or parts; '" +
                                  problem_->name() + "' has " + (op_->parts() ? "only one part" : "no split") +
                                  ": choose implicit-euler, crank-nicolson, explicit-euler or rk4");
    if (config_.method == Integrator::AdiPeacemanRachford && op_->parts() != 2)
      throw std::invalid_argument("adi-peaceman-rachford takes exactly two parts; '" + problem_->name() + "' has " +
                                  std::to_string(op_->parts()) + ": use adi-douglas");
    for (auto* v : {&u_, &r_, &k_, &y_, &acc_}) *v = Vector("pint::general::work", n_);
    if (config_.method == Integrator::Sdc) setup_sdc();
    parts_.resize(op_->parts());
    for (auto& v : parts_) v = Vector("pint::general::part", n_);
    if (config_.method == Integrator::AdiPeacemanRachford && (op_->explicit_part(0) || op_->explicit_part(1)))
      throw std::invalid_argument("adi-peaceman-rachford solves for both parts, and '" + problem_->name() +
                                  "' has an explicit part (a mixed derivative): use adi-craig-sneyd, "
                                  "adi-modified-craig-sneyd or adi-hundsdorfer-verwer");
    if (needs_split(config_.method)) {
      bool any_implicit = false;
      for (int p = 0; p < op_->parts(); ++p) any_implicit = any_implicit || !op_->explicit_part(p);
      if (!any_implicit) throw std::logic_error("problem '" + problem_->name() + "' has no implicit part to solve");
    }
    theta_ = config_.adi_theta > 0 ? config_.adi_theta : adi_default_theta(config_.method);
    mu_ = config_.adi_mu > 0 ? config_.adi_mu : adi_default_mu(config_.method);
    const bool two_stage = config_.method == Integrator::AdiCraigSneyd ||
                           config_.method == Integrator::AdiModifiedCraigSneyd ||
                           config_.method == Integrator::AdiHundsdorferVerwer;
    if (two_stage) {
      y0_ = Vector("pint::general::adi_y0", n_);
      parts_k_.resize(op_->parts());
      for (auto& v : parts_k_) v = Vector("pint::general::adi_part", n_);
    }
  }

  std::string name() const override { return to_string(config_.method) + "@" + to_string(space()); }
  SpaceKind space() const override { return kind_of<ExecSpace>(); }
  std::size_t size() const override { return n_; }

  /// The time loop on the space's own Views (public for the device lambdas; propagate_impl stages in/out).
  void advance(double t0, double t1) {
    const int steps = config_.steps;
    const double dt = (t1 - t0) / steps;
    int first = 0;
    const bool starts = config_.method == Integrator::CrankNicolson || needs_split(config_.method);
    if (starts && config_.rannacher_half_steps > 0 && t0 == problem_->t_start()) {
      for (int h = 0; h < config_.rannacher_half_steps; ++h) {
        const double ta = t0 + 0.5 * dt * h, tb = t0 + 0.5 * dt * (h + 1);
        if (needs_split(config_.method))
          douglas_step(ta, tb, 1.0);
        else
          theta_step(ta, tb, 1.0);
      }
      first = config_.rannacher_half_steps / 2;
    }
    for (int s = first; s < steps; ++s) {
      const double ta = t0 + s * dt, tb = (s + 1 == steps) ? t1 : t0 + (s + 1) * dt;
      switch (config_.method) {
        case Integrator::ExplicitEuler:
          euler_step(ta, tb);
          break;
        case Integrator::RK4:
          rk4_step(ta, tb);
          break;
        case Integrator::ImplicitEuler:
          theta_step(ta, tb, 1.0);
          break;
        case Integrator::CrankNicolson:
          theta_step(ta, tb, 0.5);
          break;
        case Integrator::AdiDouglas:
          douglas_step(ta, tb, theta_);
          break;
        case Integrator::AdiCraigSneyd:
        case Integrator::AdiModifiedCraigSneyd:
        case Integrator::AdiHundsdorferVerwer:
          two_stage_adi_step(ta, tb);
          break;
        case Integrator::AdiPeacemanRachford:
          peaceman_rachford_step(ta, tb);
          break;
        case Integrator::LodImplicitEuler:
          lod_step(ta, tb);
          break;
        case Integrator::Sdc:
          sdc_step(ta, tb);
          break;
      }
    }
  }

  void euler_step(double ta, double tb) {
    op_->rhs(ta, u_, k_);
    axpy_into(op_->exec(), u_, u_, tb - ta, k_);
    op_->prescribe(tb, u_);
  }

  void rk4_step(double ta, double tb) {
    const double dt = tb - ta, th = ta + 0.5 * dt;
    const auto& e = op_->exec();
    op_->rhs(ta, u_, k_);  // k1
    axpy_into(e, acc_, k_, 0.0, k_);
    axpy_into(e, y_, u_, 0.5 * dt, k_);
    op_->prescribe(th, y_);
    op_->rhs(th, y_, k_);  // k2
    axpy_into(e, acc_, acc_, 2.0, k_);
    axpy_into(e, y_, u_, 0.5 * dt, k_);
    op_->prescribe(th, y_);
    op_->rhs(th, y_, k_);  // k3
    axpy_into(e, acc_, acc_, 2.0, k_);
    axpy_into(e, y_, u_, dt, k_);
    op_->prescribe(tb, y_);
    op_->rhs(tb, y_, k_);  // k4
    axpy_into(e, acc_, acc_, 1.0, k_);
    axpy_into(e, u_, u_, dt / 6.0, acc_);
    op_->prescribe(tb, u_);
  }

  void theta_step(double ta, double tb, double theta) {
    const double dt = tb - ta;
    if (theta < 1.0) {
      op_->rhs(ta, u_, k_);
      axpy_into(op_->exec(), r_, u_, (1.0 - theta) * dt, k_);
    } else {
      Kokkos::deep_copy(op_->exec(), r_, u_);
    }
    op_->solve(tb, theta * dt, r_, u_);  // u_ is Newton's initial guess
  }

  /// Y_0 = u_n + dt sum_p f_p(t_n, u_n) into y_, with every part's f_p(t_n, u_n) in parts_.
  void douglas_predictor(double ta, double dt) {
    const auto& e = op_->exec();
    const int k = op_->parts();
    for (int p = 0; p < k; ++p) op_->rhs_part(p, ta, u_, parts_[p]);
    // One pass for two parts (the 2-D directions), else part by part.
    if (k == 2) {
      const Vector y = y_, u = u_, f0 = parts_[0], f1 = parts_[1];
      Kokkos::parallel_for(
          "pint::general::douglas_predictor", Kokkos::RangePolicy<ExecSpace>(e, 0, n_),
          KOKKOS_LAMBDA(int i) { y(i) = u(i) + dt * (f0(i) + f1(i)); });
    } else {
      Kokkos::deep_copy(e, y_, u_);
      for (int p = 0; p < k; ++p) axpy_into(e, y_, y_, dt, parts_[p]);
    }
  }

  /// The implicit sweep from y_ in place: y - a f_p(tb, y) = y_prev - a g_p for every implicit part p, with
  /// a = theta dt and g_p the part at the scheme's reference point.
  void douglas_sweep(double tb, double a, const std::vector<Vector>& g) {
    for (int p = 0; p < op_->parts(); ++p) {
      if (op_->explicit_part(p)) continue;
      axpy_into(op_->exec(), r_, y_, -a, g[p]);
      op_->solve_part(p, tb, a, r_, y_);
    }
  }

  void douglas_step(double ta, double tb, double theta) {
    const double dt = tb - ta;
    douglas_predictor(ta, dt);
    douglas_sweep(tb, theta * dt, parts_);
    std::swap(u_, y_);  // u_{n+1} = Y_k: the buffers trade roles, nothing is copied
  }

  /// Craig-Sneyd, modified Craig-Sneyd, Hundsdorfer-Verwer: a Douglas step, then a corrector from Y_0 with
  /// the parts at the Douglas result Y_k, then a second implicit sweep.
  void two_stage_adi_step(double ta, double tb) {
    const double dt = tb - ta, theta = theta_;
    const auto& e = op_->exec();
    const int k = op_->parts();
    douglas_predictor(ta, dt);
    Kokkos::deep_copy(e, y0_, y_);
    douglas_sweep(tb, theta * dt, parts_);
    for (int p = 0; p < k; ++p) op_->rhs_part(p, tb, y_, parts_k_[p]);  // the parts at Y_k
    // Z_0 = Y_0 + sum_p c_p dt (f_p(Y_k) - f_p(u_n)), c_p by scheme and by whether part p is explicit.
    Kokkos::deep_copy(e, y_, y0_);
    for (int p = 0; p < k; ++p) {
      const bool ex = op_->explicit_part(p);
      double c = 0.0;
      switch (config_.method) {
        case Integrator::AdiCraigSneyd:
          c = ex ? 0.5 : 0.0;
          break;
        case Integrator::AdiModifiedCraigSneyd:
          c = (ex ? theta : 0.0) + (0.5 - theta);
          break;
        default:  // Hundsdorfer-Verwer
          c = mu_;
          break;
      }
      if (c == 0.0) continue;
      const Vector y = y_, fk = parts_k_[p], fn = parts_[p];
      const double w = c * dt;
      Kokkos::parallel_for(
          "pint::general::adi_corrector", Kokkos::RangePolicy<ExecSpace>(e, 0, n_),
          KOKKOS_LAMBDA(int i) { y(i) += w * (fk(i) - fn(i)); });
    }
    douglas_sweep(tb, theta * dt, config_.method == Integrator::AdiHundsdorferVerwer ? parts_k_ : parts_);
    std::swap(u_, y_);
  }

  /// Yanenko's LOD implicit Euler: Y = u_n + dt sum of the explicit parts at u_n, then for every implicit
  /// part Y <- (I - dt f_p)^-1 Y.
  void lod_step(double ta, double tb) {
    const double dt = tb - ta;
    const auto& e = op_->exec();
    Kokkos::deep_copy(e, y_, u_);
    for (int p = 0; p < op_->parts(); ++p)
      if (op_->explicit_part(p)) {
        op_->rhs_part(p, ta, u_, k_);
        axpy_into(e, y_, y_, dt, k_);
      }
    for (int p = 0; p < op_->parts(); ++p) {
      if (op_->explicit_part(p)) continue;
      Kokkos::deep_copy(e, r_, y_);
      op_->solve_part(p, tb, dt, r_, y_);
    }
    std::swap(u_, y_);
  }

  /// The scheme (rule, every sweep's Q_D, predictor, end value), C_k = Q - Q_D,k on the space, the node storage;
  /// for IMEX the implicit part and Q - Q_E.
  void setup_sdc() {
    const SdcSettings& c = config_.sdc;
    sdc_ = make_sdc_scheme(c);
    const int M = sdc_.coll.M;
    diagonal_ = sdc_qdelta_is_diagonal(c.qdelta);
    imex_ = c.imex != "off";
    imex_ee_ = c.imex == "ee";
    if (imex_) {
      int implicit = 0;
      for (int p = 0; p < op_->parts(); ++p)
        if (!op_->explicit_part(p)) {
          ++implicit;
          implicit_part_ = p;
        }
      if (op_->parts() == 0 || implicit != 1 || implicit == op_->parts())
        throw std::invalid_argument(
            "SDC imex " + c.imex + " needs a problem split into one implicit part and explicit parts; '" +
            problem_->name() + "' has " +
            (op_->parts() ? std::to_string(op_->parts()) + " parts, " + std::to_string(implicit) + " of them implicit"
                          : std::string("no split")) +
            ": use --sdc-imex off (allen-cahn offers the split)");
      // Q_E: explicit Euler between the nodes (ee) or none (lagged: the explicit parts from the previous sweep).
      const std::vector<double> qe = c.imex == "ee" ? qdelta(sdc_.coll, "ee") : std::vector<double>(M * M, 0.0);
      qe_ = qe;
      ce_ = on_space(difference(sdc_.coll.Q, qe, M), M, "pint::sdc::ce");
      fe_ = typename Op::Batch("pint::sdc::fe", M, n_);
    }
    for (const auto& qd : sdc_.qdelta) c_.push_back(on_space(difference(sdc_.coll.Q, qd, M), M, "pint::sdc::c"));
    yb_ = typename Op::Batch("pint::sdc::y", M, n_);
    fb_ = typename Op::Batch("pint::sdc::f", M, n_);
    rb_ = typename Op::Batch("pint::sdc::r", M, n_);
    // Parallel across the method: node rank j solves the nodes [j M / R, (j + 1) M / R).
    const int R = c.node_ranks;
    int ranks = 1, j = 0;
    MPI_Comm_size(node_comm_, &ranks);
    MPI_Comm_rank(node_comm_, &j);
    if (ranks != R)
      throw std::logic_error("SDC with " + std::to_string(R) + " node rank(s) was given a node communicator of " +
                             std::to_string(ranks) + " rank(s)");
    node_lo_ = j * M / R;
    node_hi_ = (j + 1) * M / R;
    for (int q = 0; q < R; ++q) {
      node_displs_.push_back(q * M / R * static_cast<int>(n_));
      node_counts_.push_back(((q + 1) * M / R - q * M / R) * static_cast<int>(n_));
    }
    if (R > 1) {
      fb_host_ = Kokkos::create_mirror_view(fb_);
      if (imex_) fe_host_ = Kokkos::create_mirror_view(fe_);
      last_host_ = Kokkos::create_mirror_view(row(yb_, M - 1));
    }
  }

  /// After a sweep's node solves: every node rank gets every node's f (and explicit part) from its owner.
  void share_nodes() {
    if (config_.sdc.node_ranks == 1) return;
    op_->exec().fence();
    auto gather = [&](const typename Op::Batch& d, const typename Op::Batch::HostMirror& h) {
      Kokkos::deep_copy(h, d);  // nothing to copy where the space's memory is the host's (the same View)
      MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, h.data(), node_counts_.data(), node_displs_.data(), MPI_DOUBLE,
                     node_comm_);
      Kokkos::deep_copy(d, h);
    };
    gather(fb_, fb_host_);
    if (imex_) gather(fe_, fe_host_);
  }

  static std::vector<double> difference(const std::vector<double>& a, const std::vector<double>& b, int M) {
    std::vector<double> d(static_cast<std::size_t>(M * M));
    for (int i = 0; i < M * M; ++i) d[i] = a[i] - b[i];
    return d;
  }

  /// A row-major M x M matrix as a Batch on the space.
  static typename Op::Batch on_space(const std::vector<double>& a, int M, const char* label) {
    Kokkos::View<double**, Kokkos::LayoutRight, Kokkos::HostSpace> h(std::string(label), M, M);
    for (int i = 0; i < M; ++i)
      for (int j = 0; j < M; ++j) h(i, j) = a[static_cast<std::size_t>(i * M + j)];
    typename Op::Batch d(std::string(label), M, M);
    Kokkos::deep_copy(d, h);
    return d;
  }

  /// Row m of a node batch as a vector.
  static Vector row(const typename Op::Batch& b, int m) { return Kokkos::subview(b, m, Kokkos::ALL); }

  /// F_m at node m: f (fb_), or for IMEX the implicit part (fb_) and the sum of the explicit parts (fe_).
  void node_rhs(double t, int m) {
    const Vector y = row(yb_, m);
    if (!imex_) return op_->rhs(t, y, row(fb_, m));
    op_->rhs_part(implicit_part_, t, y, row(fb_, m));
    bool first = true;
    for (int p = 0; p < op_->parts(); ++p) {
      if (!op_->explicit_part(p)) continue;
      op_->rhs_part(p, t, y, first ? row(fe_, m) : k_);
      if (!first) axpy_into(op_->exec(), row(fe_, m), row(fe_, m), 1.0, k_);
      first = false;
    }
  }

  void sdc_step(double ta, double tb) {
    const double dt = tb - ta;
    const Collocation& coll = sdc_.coll;
    const int M = coll.M, n = static_cast<int>(n_);
    const auto& e = op_->exec();
    std::vector<double> tm(M);
    for (int m = 0; m < M; ++m) tm[m] = ta + coll.nodes[m] * dt;
    // Y^0: the start value at every node, or implicit-Euler steps from node to node.
    for (int m = 0; m < M; ++m) {
      const Vector y = row(yb_, m);
      if (sdc_.ie_guess) {
        const double h = (coll.nodes[m] - (m ? coll.nodes[m - 1] : 0.0)) * dt;
        Kokkos::deep_copy(e, r_, m ? row(yb_, m - 1) : u_);
        Kokkos::deep_copy(e, y, r_);
        if (h > 0)
          op_->solve(tm[m], h, r_, y);
        else
          op_->prescribe(tm[m], y);
      } else {
        Kokkos::deep_copy(e, y, u_);
        op_->prescribe(tm[m], y);
      }
      node_rhs(tm[m], m);
    }
    const bool imex = imex_, ee = imex_ee_;
    for (std::size_t k = 0; k < c_.size(); ++k) {
      // R_m = u_n + dt sum_j (C_k[m, j] F_j + C_E[m, j] F_E,j) for every node at once, from the previous sweep.
      const auto C = c_[k], CE = ce_;
      const auto R = rb_, F = fb_, FE = fe_;
      const Vector u0 = u_;
      Kokkos::parallel_for(
          "pint::sdc::rhs", Kokkos::RangePolicy<ExecSpace>(e, 0, n), KOKKOS_LAMBDA(int i) {
            for (int m = 0; m < M; ++m) {
              double acc = 0.0;
              for (int j = 0; j < M; ++j) acc += C(m, j) * F(j, i);
              if (imex)
                for (int j = 0; j < M; ++j) acc += CE(m, j) * FE(j, i);
              R(m, i) = u0(i) + dt * acc;
            }
          });
      const std::vector<double>& qd = sdc_.qdelta[k];
      const int lo = node_lo_, hi = node_hi_;  // this rank's nodes (all of them without node ranks)
      if (diagonal_ && !imex) {                // this rank's node solves in one batched call
        std::vector<double> t(tm.begin() + lo, tm.begin() + hi), a(hi - lo);
        for (int m = lo; m < hi; ++m) a[m - lo] = dt * qd[m * M + m];
        const typename Op::Batch r = Kokkos::subview(rb_, std::make_pair(lo, hi), Kokkos::ALL),
                                 y = Kokkos::subview(yb_, std::make_pair(lo, hi), Kokkos::ALL);
        op_->solve_batch(t, a, r, y);
        for (int m = lo; m < hi; ++m) node_rhs(tm[m], m);
        share_nodes();
        continue;
      }
      for (int m = lo; m < hi; ++m) {  // node after node: a lower-triangular Q_D (or Q_E) uses the new F_j, j < m
        const Vector r = row(rb_, m), y = row(yb_, m);
        for (int j = 0; j < m; ++j) {
          if (!diagonal_ && qd[m * M + j] != 0.0) axpy_into(e, r, r, dt * qd[m * M + j], row(fb_, j));
          if (ee && qe_[m * M + j] != 0.0) axpy_into(e, r, r, dt * qe_[m * M + j], row(fe_, j));
        }
        const double a = dt * qd[m * M + m];
        if (a == 0.0) {
          Kokkos::deep_copy(e, y, r);
          op_->prescribe(tm[m], y);
        } else if (imex) {
          op_->solve_part(implicit_part_, tm[m], a, r, y);
        } else {
          op_->solve(tm[m], a, r, y);
        }
        node_rhs(tm[m], m);
      }
      share_nodes();
    }
    if (sdc_.last_node) {
      if (config_.sdc.node_ranks > 1) {  // the last node's value from its owner, the last node rank
        e.fence();
        Kokkos::deep_copy(last_host_, row(yb_, M - 1));
        MPI_Bcast(last_host_.data(), static_cast<int>(n_), MPI_DOUBLE, config_.sdc.node_ranks - 1, node_comm_);
        Kokkos::deep_copy(row(yb_, M - 1), last_host_);
      }
      Kokkos::deep_copy(e, u_, row(yb_, M - 1));
    } else {  // u_n + dt sum_j b_j F_j
      for (int j = 0; j < M; ++j) {
        axpy_into(e, u_, u_, dt * coll.weights[j], row(fb_, j));
        if (imex) axpy_into(e, u_, u_, dt * coll.weights[j], row(fe_, j));
      }
      op_->prescribe(tb, u_);
    }
  }

  void peaceman_rachford_step(double ta, double tb) {
    const double dt = tb - ta, th = ta + 0.5 * dt;
    const auto& e = op_->exec();
    op_->rhs_part(1, ta, u_, k_);
    axpy_into(e, r_, u_, 0.5 * dt, k_);
    op_->solve_part(0, th, 0.5 * dt, r_, u_);
    op_->rhs_part(0, th, u_, k_);
    axpy_into(e, r_, u_, 0.5 * dt, k_);
    op_->solve_part(1, tb, 0.5 * dt, r_, u_);
  }

 private:
  void propagate_impl(ConstHostVector in, double t0, double t1, HostVector out) override {
    Kokkos::deep_copy(op_->exec(), u_, in);
    advance(t0, t1);
    Kokkos::deep_copy(op_->exec(), out, u_);
    op_->exec().fence();
  }

  std::shared_ptr<const Problem> problem_;
  std::unique_ptr<Op> op_;
  IntegratorConfig config_;
  std::size_t n_;
  Vector u_, r_, k_, y_, acc_;
  std::vector<Vector> parts_;
  double theta_ = 0.5, mu_ = 0.0;
  Vector y0_;                          ///< two-stage ADI: the predictor Y_0
  std::vector<Vector> parts_k_;        ///< two-stage ADI: the parts at the Douglas result Y_k
  SdcScheme sdc_;                      ///< SDC: the rule, every sweep's Q_D, predictor and end value
  std::vector<typename Op::Batch> c_;  ///< SDC: Q - Q_D of every sweep, on the space
  typename Op::Batch yb_, fb_, rb_;    ///< SDC: node values, their f (IMEX: implicit part), the sweep's right sides
  bool diagonal_ = false;              ///< SDC: Q_D diagonal (independent node solves)
  bool imex_ = false;                  ///< SDC IMEX: the implicit part solved for, the explicit ones with Q_E
  bool imex_ee_ = false;               ///< SDC IMEX: Q_E is explicit Euler (node after node), else zero (lagged)
  int implicit_part_ = 0;              ///< SDC IMEX: the problem's implicit part
  std::vector<double> qe_;             ///< SDC IMEX: Q_E (host, row-major)
  typename Op::Batch ce_, fe_;         ///< SDC IMEX: Q - Q_E on the space; the explicit parts' sum at the nodes
  MPI_Comm node_comm_;                 ///< SDC: the ranks sharing the node solves
  int node_lo_ = 0, node_hi_ = 0;      ///< SDC: this rank's nodes [lo, hi)
  std::vector<int> node_counts_, node_displs_;        ///< SDC node ranks: each rank's block of node rows (doubles)
  typename Op::Batch::HostMirror fb_host_, fe_host_;  ///< SDC node ranks: host staging of the gathered f
  typename Vector::HostMirror last_host_;             ///< SDC node ranks: host staging of the last node
};

}  // namespace pint

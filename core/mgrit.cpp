#include "core/mgrit.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <exception>
#include <sstream>
#include <stdexcept>

#include "core/slice_values.hpp"

namespace pint {

namespace {

/// Points [lo, hi] of a level that a rank owns (empty when hi < lo).
struct Block {
  int lo = 0, hi = -1;
  bool empty() const { return hi < lo; }
};

struct Level {
  int n = 0;       ///< points 0..n
  int cf = 0;      ///< factor to the next level (0 on the coarsest)
  int stride = 1;  ///< slices per step
  Block own;
  Propagator* phi = nullptr;
  bool fine = false;
  std::vector<HostVector> u, g, v_old;  ///< indexed by point - own.lo; g and v_old unused on level 0
  /// Levels >= 1: the restricted residual r(cf j) and Phi(v[j-1]) of the FAS right-hand side, per point
  /// (allocated once: fresh buffers in every sweep cost page faults inside the propagator calls).
  std::vector<HostVector> r, phi_prev;
};

/// One step of a sweep: out = Phi_l(in) over the step that ends at point i.
struct Step {
  int i;
  HostVector in, out;
};

/// The state of one run of MGRIT on one rank.
class Solver {
 public:
  Solver(Propagator& fine, Propagator& coarse, const MgritSettings& s, const MgritHierarchy& h, MPI_Comm comm,
         ConstHostVector u0, double t0, double t1)
      : s_(s), comm_(comm), t0_(t0), t1_(t1), M_(u0.extent(0)) {
    MPI_Comm_rank(comm_, &rank_);
    MPI_Comm_size(comm_, &nranks_);
    const SliceRange sl = owned_slices(s.slices, rank_, nranks_);
    const int first0 = rank_ == 0 ? 0 : sl.begin + 1, last0 = sl.end;
    double u0_size = 1.0;
    for (std::size_t m = 0; m < M_; ++m) u0_size = std::max(u0_size, std::abs(u0(m)));
    limit_ = s.divergence_factor * u0_size;
    for (int l = 0; l < h.levels(); ++l) {
      Level L;
      L.n = h.intervals[l];
      L.cf = h.cfactors[l];
      L.stride = h.strides[l];
      L.own = {(first0 + L.stride - 1) / L.stride, last0 / L.stride};
      L.fine = l == 0;
      L.phi = l == 0 ? &fine : &coarse;
      const int cnt = L.own.empty() ? 0 : L.own.hi - L.own.lo + 1;
      for (int j = 0; j < cnt; ++j) {
        L.u.push_back(host_vector(M_, "pint::mgrit::u"));
        if (l > 0) {
          L.g.push_back(HostVector("pint::mgrit::g", M_));
          L.v_old.push_back(host_vector(M_, "pint::mgrit::v_old"));
          L.r.push_back(host_vector(M_, "pint::mgrit::r"));
          L.phi_prev.push_back(host_vector(M_, "pint::mgrit::phi"));
        }
      }
      levels_.push_back(std::move(L));
    }
    left_ = host_vector(M_, "pint::mgrit::left");
    // The initial guess on level 0: u0 at t0, elsewhere the constant, or zero for the coarse sweep.
    Level& L0 = levels_[0];
    const double guess = s.mgrit.initial_guess.value_or(0.0);
    for (int i = L0.own.lo; i <= L0.own.hi; ++i) {
      const HostVector& v = at(0, i);
      for (std::size_t m = 0; m < M_; ++m) v(m) = i == 0 ? u0(m) : guess;
    }
  }

  ~Solver() {
    if (std::uncaught_exceptions() > 0) {
      // The run failed on this rank and pint takes every rank down (MPI_Abort): waiting here for a
      // neighbour that will never receive would hang. The buffers of sends in flight are kept alive.
      static auto* kept = new std::vector<HostVector>();
      for (auto& p : sends_) kept->push_back(p.buf);
      return;
    }
    finish();
  }

  int levels() const { return static_cast<int>(levels_.size()); }
  int iteration = 0;
  int fine_calls = 0, coarse_calls = 0;
  double fine_seconds = 0.0, coarse_seconds = 0.0;

  const HostVector& at(int l, int i) { return levels_[l].u[i - levels_[l].own.lo]; }

  double time(int l, int i) const { return Parareal::slice_time(t0_, t1_, i * levels_[l].stride, s_.slices); }

  // ---- Sweeps -------------------------------------------------------------------------------------

  /// F-relaxation: every F-point from its left neighbour, interval by interval. The intervals that start
  /// at an own C-point run stage by stage (each stage one batched call); the F-points before the first own
  /// C-point continue the left neighbour's interval and wait for its last value.
  void f_relax(int l) {
    Level& L = levels_[l];
    begin_exchange();
    if (L.own.empty()) return forward();
    const int c0 = first_multiple(L.own.lo, L.cf);
    for (int s = 1; s < L.cf; ++s) {
      std::vector<Step> stage;
      for (int c = c0; c + s <= L.own.hi; c += L.cf) stage.push_back({c + s, at(l, c + s - 1), at(l, c + s)});
      run_steps(l, stage, true);
    }
    const bool last_is_leading = c0 > L.own.hi;
    if (!last_is_leading) send_right(at(l, L.own.hi));
    const HostVector& left = receive_left();
    for (int i = L.own.lo; i < std::min(c0, L.own.hi + 1); ++i) {
      std::vector<Step> one{{i, i == L.own.lo ? left : at(l, i - 1), at(l, i)}};
      run_steps(l, one, true);
    }
    if (last_is_leading) send_right(at(l, L.own.hi));
  }

  /// C-relaxation: every C-point c > 0 from the F-point before it (which C-relaxation does not change).
  void c_relax(int l) {
    Level& L = levels_[l];
    begin_exchange();
    if (L.own.empty()) return forward();
    send_right(at(l, L.own.hi));  // an F-point when the right neighbour needs it: final already
    std::vector<Step> steps;
    const int c0 = first_multiple(std::max(L.own.lo, 1), L.cf);
    for (int c = c0; c <= L.own.hi; c += L.cf)
      if (c > L.own.lo) steps.push_back({c, at(l, c - 1), at(l, c)});
    run_steps(l, steps, true);
    const HostVector& left = receive_left();
    if (c0 == L.own.lo && c0 > 0) {
      std::vector<Step> one{{c0, left, at(l, c0)}};
      run_steps(l, one, true);
    }
  }

  void relax(int l) {
    f_relax(l);
    for (int k = 0; k < s_.mgrit.nu; ++k) {
      c_relax(l);
      f_relax(l);
    }
  }

  /// With `work`, the residual at level l's C-points (kept for fas_rhs); then injection to level l + 1.
  /// Returns |r(c)|_2^2 for this rank's C-points c > 0 of level l, in order (none without work).
  std::vector<double> residual_and_inject(int l, bool work) {
    Level& L = levels_[l];
    Level& C = levels_[l + 1];
    // Residual r(c) = g(c) - (u(c) - Phi(u(c-1))), kept per coarse point (the rank owns both).
    const std::vector<HostVector>& r = C.r;
    std::vector<double> rsq;
    if (work) {
      begin_exchange();
      if (L.own.empty()) {
        forward();
      } else {
        send_right(at(l, L.own.hi));
        std::vector<Step> steps;
        std::vector<int> coarse_index;
        auto add = [&](int c, const HostVector& in) {
          const int j = c / L.cf - C.own.lo;
          steps.push_back({c, in, r[j]});
        };
        const int c0 = first_multiple(std::max(L.own.lo, 1), L.cf);
        for (int c = c0; c <= L.own.hi; c += L.cf)
          if (c > L.own.lo) add(c, at(l, c - 1));
        run_steps(l, steps, false);
        const HostVector& left = receive_left();
        if (c0 == L.own.lo && c0 > 0) {
          steps.clear();
          add(c0, left);
          run_steps(l, steps, false);
        }
        for (int c = c0; c <= L.own.hi; c += L.cf) {
          const HostVector& rc = r[c / L.cf - C.own.lo];
          const HostVector& uc = at(l, c);
          double sq = 0.0;
          for (std::size_t m = 0; m < M_; ++m) {
            const double g = l == 0 ? 0.0 : L.g[c - L.own.lo](m);
            rc(m) = g - (uc(m) - rc(m));  // rc held Phi(u(c-1))
            sq += rc(m) * rc(m);
          }
          rsq.push_back(sq);
        }
      }
    }
    // Injection; v_old keeps the restricted values for the correction on the way up.
    for (int j = C.own.lo; j <= C.own.hi; ++j) {
      Kokkos::deep_copy(C.u[j - C.own.lo], at(l, j * L.cf));
      Kokkos::deep_copy(C.v_old[j - C.own.lo], C.u[j - C.own.lo]);
    }
    if (!work)
      for (auto& g : C.g) Kokkos::deep_copy(g, 0.0);
    return rsq;
  }

  /// The FAS right-hand side on level l + 1 from the residual of residual_and_inject(l, true):
  /// g_(l+1)[j] = (v[j] - Phi_(l+1)(v[j-1])) + r(cf j); g_(l+1)[0] = 0.
  void fas_rhs(int l) {
    Level& C = levels_[l + 1];
    const std::vector<HostVector>& r = C.r;
    const std::vector<HostVector>& phi = C.phi_prev;
    begin_exchange();
    if (C.own.empty()) return forward();
    send_right(at(l + 1, C.own.hi));
    std::vector<Step> steps;
    for (int j = std::max(C.own.lo + 1, 1); j <= C.own.hi; ++j)
      steps.push_back({j, at(l + 1, j - 1), phi[j - C.own.lo]});
    run_steps(l + 1, steps, false);
    const HostVector& left = receive_left();
    if (C.own.lo > 0) {
      std::vector<Step> one{{C.own.lo, left, phi[0]}};
      run_steps(l + 1, one, false);
    }
    for (int j = C.own.lo; j <= C.own.hi; ++j) {
      const HostVector& g = C.g[j - C.own.lo];
      if (j == 0) {
        Kokkos::deep_copy(g, 0.0);
        continue;
      }
      const HostVector& v = at(l + 1, j);
      const HostVector& p = phi[j - C.own.lo];
      const HostVector& rc = r[j - C.own.lo];
      for (std::size_t m = 0; m < M_; ++m) g(m) = (v(m) - p(m)) + rc(m);
    }
  }

  /// u[i] = Phi(u[i-1]) + g[i] for every point in order, through the ranks like a pipeline.
  void sequential_solve(int l) {
    Level& L = levels_[l];
    begin_exchange();
    if (L.own.empty()) return forward();
    const HostVector& left = receive_left();
    for (int i = std::max(L.own.lo, 1); i <= L.own.hi; ++i) {
      std::vector<Step> one{{i, i == L.own.lo ? left : at(l, i - 1), at(l, i)}};
      run_steps(l, one, true);
    }
    send_right(at(l, L.own.hi));
  }

  /// From level l + 1 to level l: F-relaxation on level l + 1 unless it is the coarsest (solved
  /// there already), then u_l[cf j] += v[j] - v_old[j] at every point j of level l + 1.
  void interpolate(int l) {
    if (l + 1 < levels() - 1) f_relax(l + 1);
    Level& C = levels_[l + 1];
    for (int j = C.own.lo; j <= C.own.hi; ++j) {
      const HostVector& v = C.u[j - C.own.lo];
      const HostVector& vo = C.v_old[j - C.own.lo];
      const HostVector& u = at(l, j * levels_[l].cf);
      for (std::size_t m = 0; m < M_; ++m) {
        const double e = v(m) - vo(m);
        u(m) = u(m) + e;
      }
      check(l, j * levels_[l].cf, u);
    }
  }

  /// The initial guess "coarse sweep" without skip: level 1 solved sequentially from u0 with zero
  /// right-hand side, its values injected into level 0's C-points.
  void coarse_sweep_guess() {
    Level& C = levels_[1];
    for (auto& g : C.g) Kokkos::deep_copy(g, 0.0);
    if (C.own.lo == 0 && !C.own.empty()) Kokkos::deep_copy(C.u[0], at(0, 0));
    sequential_solve(1);
    for (int j = C.own.lo; j <= C.own.hi; ++j) Kokkos::deep_copy(at(0, j * levels_[0].cf), C.u[j - C.own.lo]);
  }

  /// Waits for every message this rank sent.
  void finish() {
    for (auto& p : sends_) MPI_Wait(&p.req, MPI_STATUS_IGNORE);
    sends_.clear();
  }

 private:
  static int first_multiple(int from, int cf) { return (from + cf - 1) / cf * cf; }

  /// Runs the steps of one sweep of level l (independent of each other): out = Phi(in), then, with
  /// `add_g` on coarse levels, out += g[i]. One batched call where allowed.
  void run_steps(int l, std::vector<Step>& steps, bool add_g) {
    if (steps.empty()) return;
    Level& L = levels_[l];
    std::vector<PropagationTask> tasks;
    for (const Step& st : steps) tasks.push_back({st.in, time(l, st.i - 1), time(l, st.i), st.out});
    const double start = steady_seconds();
    try {
      // Every call through the batched path, single ones too: the batched kernel rounds differently from a
      // single call, and the residual compares values of F from different sweeps (mixed, they would leave
      // a floor of round-off differences under the residual).
      if (s_.batch && L.phi->batches()) {
        L.phi->propagate_batch(tasks);
      } else {
        for (const auto& t : tasks) L.phi->propagate(t.in, t.t0, t.t1, t.out);
      }
    } catch (const PararealDivergence&) {
      throw;
    } catch (const std::exception& e) {
      std::ostringstream msg;
      msg << "MGRIT: the " << (L.fine ? "fine" : "coarse") << " propagator failed on level " << l << " in a step "
          << (tasks.size() > 1 ? "of the batch ending at points " : "ending at point ") << steps.front().i;
      if (tasks.size() > 1) msg << ".." << steps.back().i;
      msg << " (t = " << time(l, steps.front().i) << ") at iteration " << iteration << ": " << e.what();
      throw PararealDivergence(msg.str(), steps.front().i * L.stride - 1, iteration);
    }
    (L.fine ? fine_seconds : coarse_seconds) += steady_seconds() - start;
    (L.fine ? fine_calls : coarse_calls) += static_cast<int>(steps.size());
    for (const Step& st : steps) {
      if (add_g && l > 0) {
        const HostVector& g = L.g[st.i - L.own.lo];
        for (std::size_t m = 0; m < M_; ++m) st.out(m) = st.out(m) + g(m);
      }
      check(l, st.i, st.out);
    }
  }

  void check(int l, int i, const HostVector& v) {
    for (std::size_t m = 0; m < M_; ++m) {
      if (std::isfinite(v(m)) && std::abs(v(m)) <= limit_) continue;
      std::ostringstream msg;
      msg << "MGRIT: non-finite or diverging value (|u| above " << limit_ << ") on level " << l << " at point " << i
          << " (t = " << time(l, i) << ") at iteration " << iteration << ", from the " << (l == 0 ? "fine" : "coarse")
          << " propagator: it may be unstable for this step size (try an implicit method or more steps)";
      throw PararealDivergence(msg.str(), i * levels_[l].stride - 1, iteration);
    }
  }

  // ---- Messages: one value from the left per sweep ---------------------------------------------------

  void begin_exchange() {
    tag_ = tag_ % 30000 + 1;
    if (rank_ > 0) MPI_Irecv(left_.data(), static_cast<int>(M_), MPI_DOUBLE, rank_ - 1, tag_, comm_, &recv_);
  }
  /// The value of the point before this rank's block (rank 0: not used, left as is).
  const HostVector& receive_left() {
    if (recv_ != MPI_REQUEST_NULL) MPI_Wait(&recv_, MPI_STATUS_IGNORE);
    return left_;
  }
  void send_right(const HostVector& v) {
    if (rank_ == nranks_ - 1) return;
    // Completed sends give their buffers back for reuse.
    while (!sends_.empty()) {
      int done = 0;
      MPI_Test(&sends_.front().req, &done, MPI_STATUS_IGNORE);
      if (!done) break;
      free_.push_back(sends_.front().buf);
      sends_.pop_front();
    }
    HostVector buf = free_.empty() ? host_vector(M_, "pint::mgrit::send") : free_.back();
    if (!free_.empty()) free_.pop_back();
    sends_.push_back({buf, MPI_REQUEST_NULL});
    Kokkos::deep_copy(sends_.back().buf, v);
    MPI_Isend(sends_.back().buf.data(), static_cast<int>(M_), MPI_DOUBLE, rank_ + 1, tag_, comm_, &sends_.back().req);
  }
  /// A rank without points on this level passes the value from the left on.
  void forward() { send_right(receive_left()); }

  struct PendingSend {
    HostVector buf;
    MPI_Request req;
  };

  const MgritSettings& s_;
  MPI_Comm comm_;
  int rank_ = 0, nranks_ = 1;
  double t0_, t1_;
  std::size_t M_;
  double limit_ = 0.0;
  std::vector<Level> levels_;
  HostVector left_;
  MPI_Request recv_ = MPI_REQUEST_NULL;
  std::deque<PendingSend> sends_;
  std::vector<HostVector> free_;  ///< send buffers no longer in flight
  int tag_ = 0;
};

}  // namespace

Mgrit::Mgrit(Propagator& fine, Propagator& coarse, MgritSettings settings, MPI_Comm comm)
    : fine_(fine), coarse_(coarse), settings_(settings), comm_(comm) {
  if (settings_.max_iterations < 1)
    throw std::invalid_argument("MGRIT: max_iterations must be at least 1 (got " +
                                std::to_string(settings_.max_iterations) + ")");
  if (!(settings_.tolerance >= 0) || !std::isfinite(settings_.tolerance))
    throw std::invalid_argument("MGRIT: tolerance must be a finite number >= 0");
  hierarchy_ = build_hierarchy(settings_.slices, settings_.mgrit);
  check_same_grid(fine_, coarse_);
}

PararealResult Mgrit::run(ConstHostVector u0, double t0, double t1, const Progress& progress) {
  int rank = 0, nranks = 1;
  MPI_Comm_rank(comm_, &rank);
  MPI_Comm_size(comm_, &nranks);
  const int N = settings_.slices;
  check_run_layout("MGRIT", N, nranks, u0, fine_);
  const std::size_t M = u0.extent(0);
  const MgritConfig& mc = settings_.mgrit;
  const int L = hierarchy_.levels();

  PararealResult result;
  for (int n : hierarchy_.intervals) result.level_points.push_back(n + 1);
  const SliceRange sl = owned_slices(N, rank, nranks);
  result.owned = sl;

  MPI_Barrier(comm_);
  const double t_start = steady_seconds();
  Solver S(fine_, coarse_, settings_, hierarchy_, comm_, u0, t0, t1);

  // Level-0 values b+1..e of this rank (the rows of Parareal's history).
  auto own_row = [&]() {
    std::vector<HostVector> row(sl.end - sl.begin);
    for (int j = 0; j < sl.end - sl.begin; ++j) {
      row[j] = host_vector(M, "pint::mgrit::history");
      Kokkos::deep_copy(row[j], S.at(0, sl.begin + j + 1));
    }
    return row;
  };
  if (!mc.skip && !mc.initial_guess) S.coarse_sweep_guess();

  // The residual norm summed point by point in time order on every rank, so that it does not depend on
  // the number of ranks (an Allreduce would add the ranks' partial sums in an order of its own).
  // Each rank's number of level-0 C-points c > 0 does not change: exchanged once, at the first residual.
  std::vector<int> counts, displs(nranks);
  int total = 0;
  auto sum_in_order = [&](const std::vector<double>& mine) {
    int n = static_cast<int>(mine.size());
    if (counts.empty()) {
      counts.resize(nranks);
      MPI_Allgather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, comm_);
      for (int r = 0; r < nranks; ++r) {
        displs[r] = total;
        total += counts[r];
      }
    }
    std::vector<double> all(total);
    MPI_Allgatherv(mine.data(), n, MPI_DOUBLE, all.data(), counts.data(), displs.data(), MPI_DOUBLE, comm_);
    double sum = 0.0;
    for (double v : all) sum += v;
    return sum;
  };
  double first_residual = -1.0;
  bool converged = false, stopped = false;
  int fine_mark = 0, coarse_mark = 0;
  double iteration_start = steady_seconds();
  auto record = [&](int k, double residual) {
    int calls[2] = {S.fine_calls - fine_mark, S.coarse_calls - coarse_mark};
    fine_mark = S.fine_calls;
    coarse_mark = S.coarse_calls;
    MPI_Allreduce(MPI_IN_PLACE, calls, 2, MPI_INT, MPI_SUM, comm_);
    IterationRecord r;
    r.iteration = k;
    r.change = std::numeric_limits<double>::quiet_NaN();
    r.residual = residual;
    r.fine_calls = calls[0];
    r.coarse_calls = calls[1];
    double secs = steady_seconds() - iteration_start;
    MPI_Bcast(&secs, 1, MPI_DOUBLE, 0, comm_);
    r.seconds = secs;
    iteration_start = steady_seconds();
    result.log.push_back(r);
    if (progress) progress(r);
  };

  // One relaxation, restriction and (unless the iteration stops on level 0) coarse-grid correction.
  // Returns true when the run stops.
  auto down_from = [&](int top, bool work, int k, double* residual) {
    for (int l = top; l < L - 1; ++l) {
      if (work) S.relax(l);
      const std::vector<double> rsq = S.residual_and_inject(l, work);
      if (l == 0 && work) {
        *residual = std::sqrt(sum_in_order(rsq));
        if (settings_.keep_history) result.local_history.push_back(own_row());
        if (first_residual < 0) first_residual = *residual;
        const double bound = mc.relative ? settings_.tolerance * first_residual : settings_.tolerance;
        if (*residual < bound || *residual == 0.0) {  // 0: the fine equations hold exactly
          converged = true;
          return true;
        }
        if (k + 1 >= settings_.max_iterations) return true;
      }
      if (work) S.fas_rhs(l);
    }
    S.sequential_solve(L - 1);
    return false;
  };

  int k = 0;
  for (;; ++k) {
    S.iteration = k;
    double residual = std::numeric_limits<double>::quiet_NaN();
    const bool work = !(mc.skip && k == 0);
    stopped = down_from(0, work, k, &residual);
    if (!stopped && mc.cycle == MgritCycle::F) {
      // F-cycle: up to level `top`, then a V-cycle down from there; top goes from L-2 up to 1.
      for (int top = L - 2; top >= 1; --top) {
        for (int l = L - 2; l >= top; --l) S.interpolate(l);
        double unused = 0.0;
        down_from(top, true, k, &unused);
      }
    }
    if (!stopped)
      for (int l = L - 2; l >= 0; --l) S.interpolate(l);
    record(k, residual);
    if (stopped) break;
    if (k + 1 >= settings_.max_iterations) {
      // Only with skip and one iteration: the predictor's F-points still need their relaxation.
      S.f_relax(0);
      if (settings_.keep_history) result.local_history.push_back(own_row());
      break;
    }
  }
  S.finish();
  result.iterations = k + 1;
  result.converged = converged;
  result.wall_seconds = steady_seconds() - t_start;
  MPI_Allreduce(MPI_IN_PLACE, &result.wall_seconds, 1, MPI_DOUBLE, MPI_MAX, comm_);

  double sums[4] = {S.fine_seconds, static_cast<double>(S.fine_calls), S.coarse_seconds,
                    static_cast<double>(S.coarse_calls)};
  MPI_Allreduce(MPI_IN_PLACE, sums, 4, MPI_DOUBLE, MPI_SUM, comm_);
  result.fine_calls = static_cast<int>(sums[1]);
  result.coarse_calls = static_cast<int>(sums[3]);
  result.fine_slice_seconds = sums[1] > 0 ? sums[0] / sums[1] : 0.0;
  result.coarse_slice_seconds = sums[3] > 0 ? sums[2] / sums[3] : 0.0;

  // Gather the level-0 values (and history) on rank 0, as Parareal does.
  const int cnt = sl.end - sl.begin;
  auto gather = [&](const std::vector<HostVector>& outputs) { return gather_slice_values(outputs, u0, N, comm_); };
  const std::vector<HostVector> last = own_row();
  result.boundaries = gather(last);
  if (rank != 0)
    for (int j = 0; j < cnt; ++j) result.boundaries[sl.begin + j + 1] = last[j];
  for (auto& row : result.local_history) result.history.push_back(gather(row));
  return result;
}

}  // namespace pint

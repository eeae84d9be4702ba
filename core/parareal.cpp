#include "core/parareal.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "core/slice_values.hpp"

namespace pint {

namespace {

/// Result of writing one corrected slice value.
struct Update {
  double diff = 0.0;  ///< max |new - old|
  double size = 0.0;  ///< max |new|
  bool finite = true;
};

/// out = F + (Gnew - Gold), or with a coarse correction's added vector F + ((Gnew - Gold) + extra), in this
/// order so that Gnew == Gold (and extra == 0) gives out == F bit for bit (the exact slices then equal the
/// serial fine solution exactly, not to round-off). A plain host loop: one pass over M values per slice
/// per iteration, negligible next to a propagator call of many steps. `extra` is a template switch so the
/// plain path keeps its arithmetic and adds no branch.
template <bool WithExtra>
Update correct_impl(const HostVector& out, const HostVector& fine, const HostVector& g_new, const HostVector& g_old,
                    const HostVector& extra) {
  Update u;
  const std::size_t m = out.extent(0);
  bool finite = true;
  for (std::size_t i = 0; i < m; ++i) {
    const double v = WithExtra ? fine(i) + ((g_new(i) - g_old(i)) + extra(i)) : fine(i) + (g_new(i) - g_old(i));
    finite = finite && std::isfinite(v);  // std::max drops NaNs, so they are caught here
    u.diff = std::max(u.diff, std::abs(v - out(i)));
    u.size = std::max(u.size, std::abs(v));
    out(i) = v;
  }
  u.finite = finite;
  return u;
}

Update correct(const HostVector& out, const HostVector& fine, const HostVector& g_new, const HostVector& g_old) {
  return correct_impl<false>(out, fine, g_new, g_old, HostVector());
}

Update correct_with(const HostVector& out, const HostVector& fine, const HostVector& g_new, const HostVector& g_old,
                    const HostVector& extra) {
  return correct_impl<true>(out, fine, g_new, g_old, extra);
}

bool bitwise_equal(const HostVector& a, const HostVector& b) {
  for (std::size_t i = 0; i < a.extent(0); ++i)
    if (a(i) != b(i)) return false;
  return true;
}

/// Copies src into out, reporting the change like correct().
Update assign(const HostVector& out, const HostVector& src) {
  Update u;
  bool finite = true;
  for (std::size_t i = 0; i < out.extent(0); ++i) {
    finite = finite && std::isfinite(src(i));
    u.diff = std::max(u.diff, std::abs(src(i) - out(i)));
    u.size = std::max(u.size, std::abs(src(i)));
    out(i) = src(i);
  }
  u.finite = finite;
  return u;
}

double relative(const Update& u) {
  return u.size > 0 ? u.diff / u.size : u.diff;
}

}  // namespace

void validate(const PararealConfig& c) {
  if (c.slices < 1) throw std::invalid_argument("slices must be at least 1 (got " + std::to_string(c.slices) + ")");
  if (c.max_iterations < 0)
    throw std::invalid_argument("max_iterations must be >= 0 (got " + std::to_string(c.max_iterations) + ")");
  if (!(c.tolerance >= 0) || !std::isfinite(c.tolerance))
    throw std::invalid_argument("tolerance must be a finite number >= 0");
  if (!(c.divergence_factor > 1)) throw std::invalid_argument("divergence_factor must be > 1");
}

SliceRange owned_slices(int slices, int rank, int size) {
  const int base = slices / size, extra = slices % size;
  const int begin = rank * base + std::min(rank, extra);
  return {begin, begin + base + (rank < extra ? 1 : 0)};
}

double Parareal::slice_time(double t0, double t1, int n, int slices) {
  return n == slices ? t1 : t0 + (t1 - t0) * (static_cast<double>(n) / slices);
}

Parareal::Parareal(Propagator& fine, Propagator& coarse, PararealConfig config, MPI_Comm comm,
                   CoarseCorrection* correction)
    : fine_(fine), coarse_(coarse), config_(config), comm_(comm), correction_(correction) {
  validate(config_);
  check_same_grid(fine_, coarse_);
}

PararealResult Parareal::run(ConstHostVector u0, double t0, double t1, const Progress& progress,
                             const RunHooks& hooks) {
  int rank = 0, nranks = 1;
  MPI_Comm_rank(comm_, &rank);
  MPI_Comm_size(comm_, &nranks);
  const int N = config_.slices;
  check_run_layout("Parareal", N, nranks, u0, fine_);
  const std::size_t M = u0.extent(0);
  const SliceRange own = owned_slices(N, rank, nranks);
  const int b = own.begin, cnt = own.end - own.begin;
  const bool first = rank == 0, last = rank == nranks - 1;
  const int Kmax = std::min(config_.max_iterations, N);
  double u0_size = 1.0;
  for (std::size_t i = 0; i < u0.extent(0); ++i) u0_size = std::max(u0_size, std::abs(u0(i)));
  const double limit = config_.divergence_factor * u0_size;

  // Local state: U[j] = U[b + j], j = 0..cnt; Fv[j], Gold[j] belong to slice b + j.
  std::vector<HostVector> U(cnt + 1), Fv(cnt), Gold(cnt);
  for (auto& v : U) v = host_vector(M, "pint::parareal::U");
  for (auto& v : Fv) v = host_vector(M, "pint::parareal::F");
  for (auto& v : Gold) v = host_vector(M, "pint::parareal::G");
  HostVector g_new = host_vector(M, "pint::parareal::Gnew");
  HostVector recv_buf = host_vector(M, "pint::parareal::recv"), send_buf = host_vector(M, "pint::parareal::send");
  MPI_Request send_req = MPI_REQUEST_NULL, recv_req = MPI_REQUEST_NULL;

  std::vector<double> slice_rel(cnt, 0.0);  // relative change of each owned output in the last sweep

  // A coarse correction's bookkeeping (core/coarse_correction.hpp): the anchor of each slice (the input of
  // its latest fine result), whether Gold[j] is the plain G of that anchor, whether the anchor repeats
  // the previously learned input (its pair is then not learned twice), and the affine parts F_n(0).
  if (correction_ && hooks.resume)
    throw std::invalid_argument(
        "Parareal: a coarse correction cannot resume from a checkpoint (its model is not "
        "saved): run again without --restart, or without --coarse-correction");
  std::vector<HostVector> anchor, affine, coarse_affine;  // coarse_affine: G_n(0), with F_n(0)
  std::vector<char> gold_plain(cnt, 1), repeated(cnt, 0), anchored(cnt, 0);
  HostVector coarse_in, extra;
  if (correction_) {
    anchor.resize(cnt);
    for (auto& v : anchor) v = host_vector(M, "pint::parareal::anchor");
    coarse_in = host_vector(M, "pint::parareal::coarse_in");
    extra = host_vector(M, "pint::parareal::extra");
  }
  int affine_calls = 0, anchor_calls = 0;
  PararealResult result;
  result.owned = own;
  double fine_time = 0.0, coarse_time = 0.0;
  int fine_calls = 0, coarse_calls = 0;
  double coarse_time_sweep0 = 0.0;  // the first sweep also pays one-time set-up (factorisations, a
  int coarse_calls_sweep0 = 0;      // learned propagator's network evaluations): costs exclude it
  std::vector<std::vector<HostVector>> local_history;
  auto snapshot = [&] {
    if (!config_.keep_history) return;
    std::vector<HostVector> snap(cnt);
    for (int j = 0; j < cnt; ++j) {
      snap[j] = host_vector(M, "pint::parareal::history");
      Kokkos::deep_copy(snap[j], U[j + 1]);
    }
    local_history.push_back(std::move(snap));
  };
  // A propagator that fails (a Newton solve that does not converge, a singular system) is reported with
  // the slice and the iteration it failed in, as PararealDivergence is.
  int iteration = 0;
  // A batched call covers slices n..n_last: its message names the range.
  auto guarded = [&](const char* which, int n, int n_last, auto&& call) {
    try {
      call();
    } catch (const PararealDivergence&) {
      throw;
    } catch (const std::exception& e) {
      std::ostringstream msg;
      msg << "Parareal: the " << which << " propagator failed in ";
      if (n_last > n)
        msg << "one of the batched slices " << n << ".." << n_last;
      else
        msg << "slice " << n;
      msg << " (t in [" << slice_time(t0, t1, n, N) << ", " << slice_time(t0, t1, n_last + 1, N) << "]) at iteration "
          << iteration << ": " << e.what();
      throw PararealDivergence(msg.str(), n, iteration);
    }
  };
  auto G = [&](const HostVector& in, int n, const HostVector& out) {
    const double s = steady_seconds();
    guarded("coarse", n, n,
            [&] { coarse_.propagate(in, slice_time(t0, t1, n, N), slice_time(t0, t1, n + 1, N), out); });
    coarse_time += steady_seconds() - s;
    ++coarse_calls;
  };
  auto F = [&](const HostVector& in, int n, const HostVector& out) {
    const double s = steady_seconds();
    guarded("fine", n, n, [&] { fine_.propagate(in, slice_time(t0, t1, n, N), slice_time(t0, t1, n + 1, N), out); });
    fine_time += steady_seconds() - s;
    ++fine_calls;
  };
  // A correction may call the propagators itself (Krylov's coarse powers): its calls count in its own
  // model update, not in the run's coarse and fine calls.
  if (correction_)
    correction_->attach(SliceOperators{
        [&](int n, const std::vector<HostVector>& in, const std::vector<HostVector>& out) {
          std::vector<PropagationTask> tasks;
          for (std::size_t i = 0; i < in.size(); ++i)
            tasks.push_back({in[i], slice_time(t0, t1, n, N), slice_time(t0, t1, n + 1, N), out[i]});
          guarded("coarse", n, n, [&] { coarse_.propagate_batch(tasks); });
        },
        [&](int n, const HostVector& in, const HostVector& out) {
          guarded("fine", n, n,
                  [&] { fine_.propagate(in, slice_time(t0, t1, n, N), slice_time(t0, t1, n + 1, N), out); });
        },
        N});
  auto F_batch = [&](int from) {  // F on the owned slices from..cnt-1, as one batched call
    if (from >= cnt) return;
    std::vector<PropagationTask> tasks;
    for (int j = from; j < cnt; ++j)
      tasks.push_back({U[j], slice_time(t0, t1, b + j, N), slice_time(t0, t1, b + j + 1, N), Fv[j]});
    const double s = steady_seconds();
    guarded("fine", b + from, b + cnt - 1, [&] { fine_.propagate_batch(tasks); });
    fine_time += steady_seconds() - s;
    fine_calls += cnt - from;
  };
  auto post_recv = [&](int k) {
    if (!first) MPI_Irecv(recv_buf.data(), static_cast<int>(M), MPI_DOUBLE, rank - 1, k, comm_, &recv_req);
  };
  auto take_input = [&]() {  // U[b] for this sweep: from the previous rank, or u0 on rank 0
    if (first) return;
    MPI_Wait(&recv_req, MPI_STATUS_IGNORE);
    Kokkos::deep_copy(U[0], recv_buf);
  };
  auto send_output = [&](int k) {
    if (last) return;
    MPI_Wait(&send_req, MPI_STATUS_IGNORE);  // the previous message has left send_buf
    Kokkos::deep_copy(send_buf, U[cnt]);
    MPI_Isend(send_buf.data(), static_cast<int>(M), MPI_DOUBLE, rank + 1, k, comm_, &send_req);
  };
  // Names the propagator whose result went bad: in iteration 0 only G ran; later, F's result is
  // checked, and if it is fine the coarse correction is to blame.
  auto fail = [&](int n, int k, const HostVector* fine_result) {
    bool fine_bad = false;
    if (fine_result)
      for (std::size_t i = 0; i < M && !fine_bad; ++i)
        fine_bad = !std::isfinite((*fine_result)(i)) || std::abs((*fine_result)(i)) > limit;
    std::ostringstream msg;
    msg << "Parareal: non-finite or diverging value (|U| above " << limit << ") in slice " << n
        << " (ending at t = " << slice_time(t0, t1, n + 1, N) << ") at iteration " << k << ", from the "
        << (fine_bad ? "fine" : "coarse")
        << " propagator: it may be unstable for this step size (try an implicit method or more steps), or the "
           "solution itself grows past the limit";
    throw PararealDivergence(msg.str(), n, k);
  };

  // The verdict of a sweep (largest relative change, first slice value that changed by more than the
  // tolerance, calls made) is reduced over the ranks without blocking: a rank posts it when its sweep
  // is done and goes on with its next fine solves while later ranks are still sweeping; it tests
  // the reduction between fine solves and stops them as soon as the verdict says "converged".
  struct Verdict {
    double change = std::numeric_limits<double>::infinity();
    int first_unconverged = 0;
  } stats;
  double max_buf[2] = {0, 0}, max_out[2] = {0, 0};  // {change, -first_unconverged}
  int sum_buf[2] = {0, 0}, sum_out[2] = {0, 0};     // {fine calls, coarse calls}
  MPI_Request red_req[2] = {MPI_REQUEST_NULL, MPI_REQUEST_NULL};
  bool pending = false;
  int pending_iteration = 0, pending_active = 0;
  double pending_seconds = 0.0;
  int fine_mark = 0, coarse_mark = 0;
  double iteration_start = steady_seconds();
  auto post_verdict = [&](int k, int active, double change, int first_unconv) {
    max_buf[0] = change;
    max_buf[1] = -static_cast<double>(first_unconv);
    sum_buf[0] = fine_calls - fine_mark;
    sum_buf[1] = coarse_calls - coarse_mark;
    fine_mark = fine_calls;
    coarse_mark = coarse_calls;
    // An iteration's time runs from the previous sweep's end to this sweep's end: its fine phase
    // (which starts before the previous verdict is in) and its coarse sweep.
    pending_seconds = steady_seconds() - iteration_start;
    iteration_start = steady_seconds();
    MPI_Iallreduce(max_buf, max_out, 2, MPI_DOUBLE, MPI_MAX, comm_, &red_req[0]);
    MPI_Iallreduce(sum_buf, sum_out, 2, MPI_INT, MPI_SUM, comm_, &red_req[1]);
    pending = true;
    pending_iteration = k;
    pending_active = active;
  };
  auto finish_verdict = [&]() {  // completes the posted reduction and reports the iteration
    if (!pending) return;
    MPI_Waitall(2, red_req, MPI_STATUSES_IGNORE);
    pending = false;
    stats.change = max_out[0];
    stats.first_unconverged = static_cast<int>(-max_out[1]);
    IterationRecord r;
    r.iteration = pending_iteration;
    r.change = stats.change;
    r.first_active_slice = pending_active;
    r.fine_calls = sum_out[0];
    r.coarse_calls = sum_out[1];
    r.seconds = pending_seconds;
    result.log.push_back(r);
    if (progress) progress(r);
    if (hooks.on_iteration) {
      IterationState st;
      st.iteration = pending_iteration;
      st.owned = own;
      st.U = &U;
      st.G = &Gold;
      st.slice_change = &slice_rel;
      st.active = pending_active;
      st.log = &result.log;
      st.history = &local_history;
      hooks.on_iteration(st);
    }
  };
  auto verdict_says_stop = [&]() {  // non-blocking look at a pending verdict
    if (!pending) return stats.change <= config_.tolerance;
    int done = 0;
    MPI_Testall(2, red_req, &done, MPI_STATUSES_IGNORE);
    if (!done) return false;
    red_req[0] = red_req[1] = MPI_REQUEST_NULL;
    return max_out[0] <= config_.tolerance;
  };

  MPI_Barrier(comm_);
  const double t_start = steady_seconds();
  iteration_start = t_start;

  int active_known = 0;  // see the loop below
  int k_first = 1;
  if (const ResumeState* rs = hooks.resume) {
    // ---- Resume after iteration rs->iteration: take this rank's part of the saved state; the
    // verdict of that iteration follows from the saved per-slice changes exactly as the reduction
    // would have computed it.
    if (static_cast<int>(rs->U.size()) != N + 1 || static_cast<int>(rs->G.size()) != N ||
        static_cast<int>(rs->slice_change.size()) != N)
      throw std::invalid_argument("Parareal: resume state does not have " + std::to_string(N) + " slices");
    for (int j = 0; j <= cnt; ++j) Kokkos::deep_copy(U[j], rs->U[b + j]);
    for (int j = 0; j < cnt; ++j) {
      Kokkos::deep_copy(Gold[j], rs->G[b + j]);
      slice_rel[j] = rs->slice_change[b + j];
    }
    stats.change = 0.0;
    stats.first_unconverged = N;
    for (int n = 0; n < N; ++n) {
      stats.change = std::max(stats.change, rs->slice_change[n]);
      if (rs->slice_change[n] > config_.tolerance && stats.first_unconverged == N) stats.first_unconverged = n + 1;
    }
    if (rs->iteration == 0) stats.change = std::numeric_limits<double>::infinity();
    for (const auto& row : rs->history) {
      std::vector<HostVector> snap(cnt);
      for (int j = 0; j < cnt; ++j) {
        snap[j] = host_vector(M, "pint::parareal::history");
        Kokkos::deep_copy(snap[j], row[b + j + 1]);
      }
      local_history.push_back(std::move(snap));
    }
    result.log = rs->log;
    active_known = rs->active;
    k_first = rs->iteration + 1;
  } else {
    // ---- Iteration 0: the coarse sweep, pipelined through the ranks.
    if (first) Kokkos::deep_copy(U[0], u0);
    post_recv(0);
    take_input();
    int first_unconv0 = N;
    for (int j = 0; j < cnt; ++j) {
      G(U[j], b + j, Gold[j]);
      const Update u = assign(U[j + 1], Gold[j]);
      if (!u.finite || u.size > limit) fail(b + j, 0, nullptr);
      slice_rel[j] = std::numeric_limits<double>::infinity();
      if (first_unconv0 == N) first_unconv0 = b + j + 1;  // everything changed: the first output
    }
    send_output(0);
    snapshot();
    coarse_time_sweep0 = coarse_time;
    coarse_calls_sweep0 = coarse_calls;
    post_verdict(0, 0, std::numeric_limits<double>::infinity(), first_unconv0);
  }

  // After a fine phase that did not end the run: renew the anchors' plain coarse values where the last
  // sweep evaluated G at a shifted input, compute the affine parts once if the correction needs them,
  // and hand the correction this rank's new pairs (collective: every rank calls it in the same
  // iteration, since the verdict is the same everywhere).
  auto learn_from_fine_phase = [&](int fine_from, int active) {
    for (int j = std::max(0, active - b); j < cnt; ++j)
      if (!gold_plain[j]) {
        G(anchor[j], b + j, Gold[j]);
        gold_plain[j] = 1;
        ++anchor_calls;
      }
    if (correction_->needs_affine_parts() && affine.empty()) {
      // P_n(0) of the owned slices n >= 1 into fresh vectors, as one batched call of P: each task maps its
      // zeroed buffer onto itself (a task's own output may be its input). Returns the number of calls.
      auto at_zero = [&](Propagator& P, const char* which, std::vector<HostVector>& out) {
        out.resize(cnt);
        std::vector<PropagationTask> tasks;
        for (int j = 0; j < cnt; ++j) {
          out[j] = host_vector(M, "pint::parareal::affine");
          Kokkos::deep_copy(out[j], 0.0);
          if (b + j >= 1)
            tasks.push_back({out[j], slice_time(t0, t1, b + j, N), slice_time(t0, t1, b + j + 1, N), out[j]});
        }
        if (!tasks.empty()) guarded(which, b + std::max(0, 1 - b), b + cnt - 1, [&] { P.propagate_batch(tasks); });
        return static_cast<int>(tasks.size());
      };
      const double s = steady_seconds();
      const int calls = at_zero(fine_, "fine", affine);
      fine_time += steady_seconds() - s;
      fine_calls += calls;
      affine_calls += calls;
      // The coarse propagator's G_n(0) too (one plain call per slice, counted with the anchors' calls): with
      // it a pair's G_n(x) - G_n(0) is the coarse linear part's image of x, at no further cost.
      anchor_calls += at_zero(coarse_, "coarse", coarse_affine);
    }
    std::vector<SlicePair> pairs;
    for (int j = std::max(0, fine_from - b); j < cnt; ++j) {
      if (b + j < 1 || repeated[j]) continue;
      SlicePair p;
      p.slice = b + j;
      p.input = anchor[j];
      p.fine = Fv[j];
      if (gold_plain[j]) p.coarse = Gold[j];
      if (!affine.empty()) p.affine = affine[j];
      if (!coarse_affine.empty()) p.coarse_affine = coarse_affine[j];
      pairs.push_back(p);
    }
    correction_->learn(pairs, comm_);
  };

  // ---- Iterations 1..K.
  // Slices below `active` are exact or frozen and are skipped. The fine phase of iteration k starts
  // before iteration k-1's verdict is in, from the start known then (a superset: it never moves back).
  int k = k_first;
  bool converged = false;
  for (; k <= Kmax; ++k) {
    iteration = k;
    post_recv(k);
    const int fine_from = std::max(k - 1, active_known);
    if (correction_)
      for (int j = std::max(0, fine_from - b); j < cnt; ++j) {
        repeated[j] = anchored[j] && bitwise_equal(anchor[j], U[j]);
        Kokkos::deep_copy(anchor[j], U[j]);
        anchored[j] = 1;
      }
    if (config_.batch_fine && fine_.batches()) {
      if (!verdict_says_stop()) F_batch(std::max(0, fine_from - b));
    } else {
      for (int j = std::max(0, fine_from - b); j < cnt; ++j) {
        if (verdict_says_stop()) break;  // the fine results would not be used
        F(U[j], b + j, Fv[j]);
      }
    }
    finish_verdict();
    if (stats.change <= config_.tolerance) {
      converged = true;
      break;
    }
    const int active = std::max(k - 1, stats.first_unconverged > 0 ? stats.first_unconverged - 1 : 0);
    active_known = active;
    if (active >= N) {  // every slice is exact: K = N
      converged = true;
      break;
    }
    if (correction_) learn_from_fine_phase(fine_from, active);
    // Coarse sweep with correction; the first active slice has an unchanged input, so its correction
    // is zero and its value is F itself (no coarse call needed).
    take_input();
    double change = 0.0;
    int first_unconv = N;
    std::fill(slice_rel.begin(), slice_rel.end(), 0.0);
    for (int j = std::max(0, active - b); j < cnt; ++j) {
      const int n = b + j;
      Update u;
      if (n == active) {
        u = assign(U[j + 1], Fv[j]);
      } else if (correction_) {
        const double s0 = steady_seconds();  // choosing u' and e is part of the corrected coarse call
        const bool plain = correction_->prepare(n, U[j], anchor[j], coarse_in, extra);
        coarse_time += steady_seconds() - s0;
        G(coarse_in, n, g_new);
        u = correct_with(U[j + 1], Fv[j], g_new, Gold[j], extra);
        if (plain) std::swap(Gold[j], g_new);  // G(U^k[n]) itself: next iteration's anchor value
        gold_plain[j] = plain;
      } else {
        G(U[j], n, g_new);
        u = correct(U[j + 1], Fv[j], g_new, Gold[j]);
        std::swap(Gold[j], g_new);  // G(U^k[n]) is next iteration's G(U^(k-1)[n])
      }
      if (!u.finite || u.size > limit) fail(n, k, &Fv[j]);
      const double rel = relative(u);
      slice_rel[j] = rel;
      change = std::max(change, rel);
      if (rel > config_.tolerance && first_unconv == N) first_unconv = n + 1;
    }
    send_output(k);
    snapshot();
    post_verdict(k, active, change, first_unconv);
  }
  finish_verdict();  // after the last allowed iteration
  if (stats.change <= config_.tolerance) converged = true;
  // A receive posted for an iteration that will not happen is cancelled (its send never happens).
  if (recv_req != MPI_REQUEST_NULL) {
    MPI_Cancel(&recv_req);
    MPI_Wait(&recv_req, MPI_STATUS_IGNORE);
  }
  MPI_Wait(&send_req, MPI_STATUS_IGNORE);
  result.iterations = std::min(k - 1, Kmax);
  // After N iterations every slice is the serial fine solution (slice n is exact after n + 1): the run
  // has converged whatever the last change was.
  result.converged = converged || result.iterations >= N;
  result.wall_seconds = steady_seconds() - t_start;
  MPI_Allreduce(MPI_IN_PLACE, &result.wall_seconds, 1, MPI_DOUBLE, MPI_MAX, comm_);

  int calls[2] = {fine_calls, coarse_calls};
  MPI_Allreduce(MPI_IN_PLACE, calls, 2, MPI_INT, MPI_SUM, comm_);
  result.fine_calls = calls[0];
  result.coarse_calls = calls[1];
  if (correction_) {
    int extra_calls[2] = {affine_calls, anchor_calls};
    MPI_Allreduce(MPI_IN_PLACE, extra_calls, 2, MPI_INT, MPI_SUM, comm_);
    result.affine_fine_calls = extra_calls[0];
    result.anchor_coarse_calls = extra_calls[1];
    result.correction = correction_->stats();
  }
  // Mean cost of a call over all ranks. For the coarse propagator the steady state: calls after the
  // first sweep when there were any (on some ranks there are none: their slices become exact early).
  double sums[6] = {fine_time,
                    static_cast<double>(fine_calls),
                    coarse_time - coarse_time_sweep0,
                    static_cast<double>(coarse_calls - coarse_calls_sweep0),
                    coarse_time_sweep0,
                    static_cast<double>(coarse_calls_sweep0)};
  MPI_Allreduce(MPI_IN_PLACE, sums, 6, MPI_DOUBLE, MPI_SUM, comm_);
  double costs[2] = {sums[1] > 0 ? sums[0] / sums[1] : 0.0,
                     sums[3] > 0 ? sums[2] / sums[3] : (sums[5] > 0 ? sums[4] / sums[5] : 0.0)};
  result.fine_slice_seconds = costs[0];
  result.coarse_slice_seconds = costs[1];

  // Gather the slice values (and history) on rank 0.
  auto gather = [&](const std::vector<HostVector>& outputs) { return gather_slice_values(outputs, u0, N, comm_); };
  std::vector<HostVector> outs(U.begin() + 1, U.end());
  result.boundaries = gather(outs);
  if (!first) {  // other ranks keep their own values
    for (int j = 0; j < cnt; ++j) result.boundaries[b + j + 1] = U[j + 1];
  }
  for (auto& snap : local_history) result.history.push_back(gather(snap));
  result.local_history = std::move(local_history);
  return result;
}

std::vector<HostVector> serial_fine(Propagator& fine, ConstHostVector u0, double t0, double t1, int slices,
                                    double* seconds) {
  std::vector<HostVector> out(slices + 1);
  out[0] = host_vector(u0.extent(0), "pint::serial_fine");
  Kokkos::deep_copy(out[0], u0);
  const double s = steady_seconds();
  for (int n = 0; n < slices; ++n) {
    out[n + 1] = host_vector(u0.extent(0), "pint::serial_fine");
    fine.propagate(out[n], Parareal::slice_time(t0, t1, n, slices), Parareal::slice_time(t0, t1, n + 1, slices),
                   out[n + 1]);
  }
  if (seconds) *seconds = steady_seconds() - s;
  return out;
}

}  // namespace pint

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "core/algorithm_registry.hpp"
#include "core/algorithm_runner.hpp"
#include "core/mgrit.hpp"
#include "core/mgrit_schedule.hpp"

namespace pint {

namespace {

template <class... Args>
std::string format(const char* f, Args... args) {
  char buf[256];
  std::snprintf(buf, sizeof buf, f, args...);
  return buf;
}

class PararealRunner final : public AlgorithmRunner {
 public:
  void check(const AlgorithmSettings& s) const override {
    validate(s.parareal);
    validate(s.correction);
  }
  int coarse_step_slices(const AlgorithmSettings&) const override { return 1; }
  std::string describe(const AlgorithmSettings& s) const override {
    return s.correction.kind == "none" ? "" : ", coarse correction " + s.correction.kind;
  }
  PararealResult run(Propagator& fine, Propagator& coarse, const AlgorithmSettings& s, MPI_Comm comm,
                     ConstHostVector u0, double t0, double t1, const Parareal::Progress& progress,
                     const RunHooks& hooks) const override {
    const std::unique_ptr<CoarseCorrection> correction = make_correction(s.correction, u0.extent(0));
    return Parareal(fine, coarse, s.parareal, comm, correction.get()).run(u0, t0, t1, progress, hooks);
  }
  std::string progress_line(const IterationRecord& r, const AlgorithmSettings& s) const override {
    if (r.iteration == 0)
      return format("  iteration  0: initial coarse sweep          %4d coarse calls  %8.3f s", r.coarse_calls,
                    r.seconds);
    return format("  iteration %2d: change %.3e, slices %2d..%2d, %3d fine + %3d coarse calls  %8.3f s", r.iteration,
                  r.change, r.first_active_slice, s.parareal.slices - 1, r.fine_calls, r.coarse_calls, r.seconds);
  }
  SpeedupPrediction predict(const AlgorithmSettings& s, double c_f, double c_c, int K, int P,
                            const CorrectionCosts& extra) const override {
    // Seed 000 eq. (8), generalised to N slices on P ranks: T_par = N c_c + K (N / P) (c_f + c_c), T_ser = N c_f,
    // so s = 1 / ((1 + K/P) c_c/c_f + K/P) for N = P. A learned correction adds, as measured: its affine
    // parts (one more fine call per slice, spread over the ranks), its plain anchor calls (also spread),
    // and its model updates, which every rank waits for (c_c is then the corrected call's cost).
    const int N = s.parareal.slices;
    const double per_rank = static_cast<double>(N) / P;
    SpeedupPrediction p;
    p.ranks = P;
    const double affine = static_cast<double>(extra.affine_fine_calls) / P;
    const double anchors = static_cast<double>(extra.anchor_coarse_calls) / P;
    p.calls_per_level = {K * per_rank + affine, N + K * per_rank + anchors};
    const double t = N * c_c + K * per_rank * (c_f + c_c) + affine * c_f + anchors * c_c + extra.learn_seconds;
    p.speedup = t > 0 ? N * c_f / t : 0.0;
    return p;
  }
};

class MgritRunner final : public AlgorithmRunner {
 public:
  void check(const AlgorithmSettings& s) const override {
    if (s.correction.kind != "none")
      throw std::invalid_argument("MGRIT does not take a coarse correction (--coarse-correction " + s.correction.kind +
                                  "): use it with --algorithm parareal, or drop it");
    validate(s.mgrit);
    build_hierarchy(s.parareal.slices, s.mgrit);
    if (s.parareal.max_iterations < 1)
      throw std::invalid_argument("MGRIT needs max_iterations >= 1 (got " + std::to_string(s.parareal.max_iterations) +
                                  ")");
  }
  int coarse_step_slices(const AlgorithmSettings& s) const override {
    return build_hierarchy(s.parareal.slices, s.mgrit).strides.back();
  }
  std::string describe(const AlgorithmSettings& s) const override {
    const MgritHierarchy h = build_hierarchy(s.parareal.slices, s.mgrit);
    return ", MGRIT " + std::to_string(h.levels()) + " levels of " + h.describe() + ", nu " +
           std::to_string(s.mgrit.nu) + ", " + to_string(s.mgrit.cycle) + "-cycle, skip " + (s.mgrit.skip ? "1" : "0");
  }
  PararealResult run(Propagator& fine, Propagator& coarse, const AlgorithmSettings& s, MPI_Comm comm,
                     ConstHostVector u0, double t0, double t1, const Parareal::Progress& progress,
                     const RunHooks& hooks) const override {
    if (hooks.resume) throw std::invalid_argument("MGRIT cannot resume from a checkpoint");
    MgritSettings ms;
    ms.mgrit = s.mgrit;
    ms.slices = s.parareal.slices;
    ms.max_iterations = s.parareal.max_iterations;
    ms.tolerance = s.parareal.tolerance;
    ms.keep_history = s.parareal.keep_history;
    ms.batch = s.parareal.batch_fine;
    ms.divergence_factor = s.parareal.divergence_factor;
    return Mgrit(fine, coarse, ms, comm).run(u0, t0, t1, progress);
  }
  std::string progress_line(const IterationRecord& r, const AlgorithmSettings&) const override {
    const std::string res =
        std::isnan(r.residual) ? std::string("not computed (skip: coarse predictor)") : format("%.6e", r.residual);
    return format("  iteration %2d: || r || = %s, %4d fine + %4d coarse calls  %8.3f s", r.iteration, res.c_str(),
                  r.fine_calls, r.coarse_calls, r.seconds);
  }
  SpeedupPrediction predict(const AlgorithmSettings& s, double c_f, double c_c, int K, int P,
                            const CorrectionCosts&) const override {
    const MgritHierarchy h = build_hierarchy(s.parareal.slices, s.mgrit);
    const MgritSchedule m = mgrit_schedule(h, s.mgrit, K, P, c_f, c_c);
    SpeedupPrediction p;
    p.ranks = P;
    p.speedup = m.speedup;
    p.calls_per_level = m.calls_per_level;
    return p;
  }
};

}  // namespace

void register_builtin_algorithms() {
  static const bool done = [] {
    register_algorithm({"parareal",
                        "Parareal: a coarse sweep, then U[n+1] = G(U[n]^(k+1)) + F(U[n]^k) - G(U[n]^k) "
                        "(--slices, --max-iterations, --tolerance on the relative change)",
                        true, std::make_shared<PararealRunner>()});
    register_algorithm({"mgrit",
                        "MGRIT with XBraid's conventions (--levels, --cfactor, --cfactor0, --nu, --cycle, --skip, "
                        "--min-coarse, --residual, --initial-guess; --tolerance on the residual norm)",
                        false, std::make_shared<MgritRunner>()});
    return true;
  }();
  (void)done;
}

}  // namespace pint

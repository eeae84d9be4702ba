#include "core/mgrit_schedule.hpp"

#include <algorithm>

namespace pint {

namespace {
double ceil_div(int a, int b) {
  return static_cast<double>((a + b - 1) / b);
}
}  // namespace

MgritSchedule mgrit_schedule(const MgritHierarchy& h, const MgritConfig& c, int iterations, int ranks, double fine_cost,
                             double coarse_cost) {
  const int L = h.levels(), P = std::max(1, ranks);
  std::vector<double> calls(L, 0.0);
  auto f_relax = [&](int l) {
    const int cpts = h.intervals[l] / h.cfactors[l], fpts = h.intervals[l] - cpts;
    calls[l] += std::max(static_cast<double>(h.cfactors[l] - 1), ceil_div(fpts, P));
  };
  auto c_relax = [&](int l) { calls[l] += std::max(1.0, ceil_div(h.intervals[l] / h.cfactors[l], P)); };
  auto relax_and_residual = [&](int l) {
    f_relax(l);
    for (int k = 0; k < c.nu; ++k) {
      c_relax(l);
      f_relax(l);
    }
    c_relax(l);                                                      // Phi(u(c-1)) of the residual
    calls[l + 1] += std::max(1.0, ceil_div(h.intervals[l + 1], P));  // Phi_(l+1) of the FAS right-hand side
  };
  auto down_from = [&](int top) {
    for (int l = top; l < L - 1; ++l) relax_and_residual(l);
    calls[L - 1] += h.intervals[L - 1];
  };
  auto up_to = [&](int bottom) {  // interpolation from the coarsest level up to level `bottom`
    for (int l = L - 2; l >= bottom; --l)
      if (l + 1 < L - 1) f_relax(l + 1);
  };
  auto cycle_rest = [&] {  // after the first down pass: the F-cycle's extra passes and the way up
    if (c.cycle == MgritCycle::F)
      for (int top = L - 2; top >= 1; --top) {
        up_to(top);
        down_from(top);
      }
    up_to(0);
  };
  const int K = std::max(1, iterations);
  for (int k = 0; k < K; ++k) {
    if (k == 0 && c.skip) {
      calls[L - 1] += h.intervals[L - 1];
      cycle_rest();
    } else if (k == K - 1) {
      relax_and_residual(0);
      calls[1] -= std::max(1.0, ceil_div(h.intervals[1], P));  // it stops before the FAS right-hand side
    } else {
      down_from(0);
      cycle_rest();
    }
  }
  MgritSchedule s;
  s.calls_per_level = calls;
  for (int l = 0; l < L; ++l) s.seconds += calls[l] * (l == 0 ? fine_cost : coarse_cost);
  s.speedup = s.seconds > 0 ? h.intervals[0] * fine_cost / s.seconds : 0.0;
  return s;
}

}  // namespace pint

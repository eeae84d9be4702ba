// The analysis behind `pint sdc stability|order` (core/sdc_analysis.hpp) against what is known independently:
// the collocation limit of the stability function (Radau IIA's Pade approximant), the limits that define the
// MIN-SR preconditioners (seed 002: nilpotent sweeps in the non-stiff and the stiff limit), and the stiff
// (in)stability the SISC paper reports (MIN-SR-NS fails on stiff problems, MIN-SR-S and MIN-SR-FLEX do not).
#include <gtest/gtest.h>

#include <complex>

#include "core/sdc_analysis.hpp"

using namespace pint;
using cplx = std::complex<double>;

namespace {

SdcScheme scheme(int M, const std::string& quadrature, const std::string& qdelta, int sweeps) {
  SdcSettings s;
  s.nodes = M;
  s.quadrature = quadrature;
  s.qdelta = qdelta;
  s.sweeps = sweeps;
  return make_sdc_scheme(s);
}

}  // namespace

// Many sweeps converge to the collocation method, whose stability function for 2 Radau-right nodes (Radau IIA,
// order 3) is the (1, 2) Pade approximant (1 + z/3) / (1 - 2z/3 + z^2/6).
TEST(SdcAnalysis, ManySweepsGiveRadauIIAsStabilityFunction) {
  for (const cplx z : {cplx(-0.5, 0.3), cplx(0.2, 1.0), cplx(-2.0, 0.0)}) {
    const cplx pade = (1.0 + z / 3.0) / (1.0 - 2.0 * z / 3.0 + z * z / 6.0);
    for (const char* q : {"ie", "lu", "min-sr-s"}) {
      const cplx R = sdc_stability_function(scheme(2, "radau-right", q, 60), z);
      EXPECT_NEAR(std::abs(R - pade), 0.0, 1e-13) << q << " at z = " << z;
    }
    // One implicit-Euler sweep from the spread start, written out by hand for 2 nodes:
    // (I - z Q_D) Y = 1 + z (Q - Q_D) 1 with Q_D = [[t1, 0], [t1, 1 - t1]], solved by forward substitution.
    const SdcScheme one = scheme(2, "radau-right", "ie", 1);
    const double t1 = one.coll.nodes[0];
    const cplx R1 = sdc_stability_function(one, z);
    const cplx y1 = (1.0 + z * (one.coll.q(0, 0) + one.coll.q(0, 1) - t1)) / (1.0 - z * t1);
    const cplx y2 =
        (1.0 + z * (one.coll.q(1, 0) - t1) * 1.0 + z * (one.coll.q(1, 1) - (1.0 - t1)) * 1.0 + z * t1 * y1) /
        (1.0 - z * (1.0 - t1));
    EXPECT_NEAR(std::abs(R1 - y2), 0.0, 1e-15) << "z = " << z;
  }
}

// The defining limits: MIN-SR-NS makes K(z)/z nilpotent as z -> 0, MIN-SR-S makes K(z) nilpotent as |z| -> oo,
// and M sweeps of MIN-SR-FLEX make the product of the K_k nilpotent there. Implicit Euler and IEpar do neither.
// A nilpotent limit perturbed by eps has a spectral radius of about eps^(1/M): the bounds allow for that.
TEST(SdcAnalysis, ContractionFactorsHaveTheMinSrLimits) {
  const int M = 4;
  const cplx small(-1e-8, 0.0), stiff(-1e8, 0.0);
  const double ns = sdc_contraction_factor(scheme(M, "radau-right", "min-sr-ns", 1), small) / std::abs(small);
  const double ie = sdc_contraction_factor(scheme(M, "radau-right", "ie", 1), small) / std::abs(small);
  EXPECT_LT(ns, 0.03);
  EXPECT_GT(ie, 0.1);
  EXPECT_LT(sdc_contraction_factor(scheme(M, "radau-right", "min-sr-s", 1), stiff), 0.03);
  EXPECT_LT(sdc_contraction_factor(scheme(M, "radau-right", "min-sr-flex", M), stiff), 0.03);
  EXPECT_GT(sdc_contraction_factor(scheme(M, "radau-right", "iepar", 1), stiff), 0.3);
  EXPECT_GT(sdc_contraction_factor(scheme(M, "radau-right", "min-sr-ns", 1), stiff), 1.0);  // diverges when stiff
  for (const char* q : {"min-sr-s", "min-sr-flex"})
    EXPECT_LT(sdc_contraction_factor(scheme(5, "lobatto", q, 5), stiff), 0.05) << q << " (zero node)";
}

// 4 Radau-right nodes, 4 sweeps: MIN-SR-NS is unstable on the stiff negative real axis, MIN-SR-S, MIN-SR-FLEX
// and LU are stable there (the SISC paper's Allen-Cahn observation in one number per z).
TEST(SdcAnalysis, StiffStabilityAsTheSiscPaperReports) {
  for (const double x : {-50.0, -1e3, -1e6}) {
    EXPECT_GT(std::abs(sdc_stability_function(scheme(4, "radau-right", "min-sr-ns", 4), x)), 1.0) << x;
    for (const char* q : {"min-sr-s", "min-sr-flex", "lu", "ie"})
      EXPECT_LE(std::abs(sdc_stability_function(scheme(4, "radau-right", q, 4), x)), 1.0) << q << " at " << x;
  }
}

// The Dahlquist error is |R^N - e^(lambda T)|: for the collocation limit on 3 Radau-right nodes it falls with
// order 2M - 1 = 5.
TEST(SdcAnalysis, DahlquistErrorHasTheCollocationOrder) {
  const SdcScheme s = scheme(3, "radau-right", "lu", 40);
  const double e1 = sdc_dahlquist_error(s, {0.0, 1.0}, 1.0, 4), e2 = sdc_dahlquist_error(s, {0.0, 1.0}, 1.0, 8);
  EXPECT_NEAR(std::log2(e1 / e2), 5.0, 0.2) << e1 << " " << e2;
  EXPECT_THROW(sdc_dahlquist_error(s, {0.0, 1.0}, 1.0, 0), std::invalid_argument);
}

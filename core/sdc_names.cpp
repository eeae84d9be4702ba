// The names of SDC's node types, distributions and preconditioners: parsing and listing them needs no
// numerics (no LAPACK), so integrator validation and the standalone device check link this file alone.
#include <cctype>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/sdc_coefficients.hpp"

namespace pint {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out;
}

template <class E>
struct NamedValue {
  const char* name;
  E value;
};

constexpr NamedValue<SdcQuadrature> kQuadratures[] = {{"gauss", SdcQuadrature::gauss},
                                                      {"radau-right", SdcQuadrature::radau_right},
                                                      {"radau-left", SdcQuadrature::radau_left},
                                                      {"lobatto", SdcQuadrature::lobatto}};
// The first six are the canonical names; the rest qmat's spellings.
constexpr NamedValue<SdcNodeDistribution> kDistributions[] = {
    {"legendre", SdcNodeDistribution::legendre},       {"chebyshev-1", SdcNodeDistribution::chebyshev_1},
    {"chebyshev-2", SdcNodeDistribution::chebyshev_2}, {"chebyshev-3", SdcNodeDistribution::chebyshev_3},
    {"chebyshev-4", SdcNodeDistribution::chebyshev_4}, {"equidistant", SdcNodeDistribution::equidistant},
    {"cheby-1", SdcNodeDistribution::chebyshev_1},     {"cheby-2", SdcNodeDistribution::chebyshev_2},
    {"cheby-3", SdcNodeDistribution::chebyshev_3},     {"cheby-4", SdcNodeDistribution::chebyshev_4},
    {"equid", SdcNodeDistribution::equidistant}};
constexpr int kCanonicalDistributions = 6;

// Preconditioner names: canonical first, then aliases (qmat's class names and aliases, lower-cased).
struct QdeltaName {
  const char* name;
  const char* canonical;
};
constexpr QdeltaName kQdeltaNames[] = {{"ie", "ie"},
                                       {"ee", "ee"},
                                       {"lu", "lu"},
                                       {"qpar", "qpar"},
                                       {"iepar", "iepar"},
                                       {"min-sr-ns", "min-sr-ns"},
                                       {"min-sr-s", "min-sr-s"},
                                       {"min-sr-flex", "min-sr-flex"},
                                       {"be", "ie"},
                                       {"fe", "ee"},
                                       {"bepar", "iepar"},
                                       {"qdiag", "qpar"}};
constexpr int kCanonicalQdeltas = 8;

}  // namespace

std::string sdc_canonical_qdelta(const std::string& name) {
  const std::string key = lower(name);
  for (const auto& q : kQdeltaNames)
    if (key == q.name) return q.canonical;
  throw std::invalid_argument("unknown SDC preconditioner '" + name + "'; supported: " + join(sdc_qdelta_names()));
}

SdcQuadrature parse_sdc_quadrature(const std::string& name) {
  const std::string key = lower(name);
  for (const auto& q : kQuadratures)
    if (key == q.name) return q.value;
  std::vector<std::string> names;
  for (const auto& q : kQuadratures) names.emplace_back(q.name);
  throw std::invalid_argument("unknown SDC quadrature '" + name + "'; supported: " + join(names));
}

SdcNodeDistribution parse_sdc_distribution(const std::string& name) {
  const std::string key = lower(name);
  for (const auto& d : kDistributions)
    if (key == d.name) return d.value;
  std::vector<std::string> names;
  for (int i = 0; i < kCanonicalDistributions; ++i) names.emplace_back(kDistributions[i].name);
  throw std::invalid_argument("unknown SDC node distribution '" + name + "'; supported: " + join(names));
}

std::string to_string(SdcQuadrature quadrature) {
  for (const auto& q : kQuadratures)
    if (q.value == quadrature) return q.name;
  return "?";
}

std::string to_string(SdcNodeDistribution distribution) {
  for (int i = 0; i < kCanonicalDistributions; ++i)
    if (kDistributions[i].value == distribution) return kDistributions[i].name;
  return "?";
}

std::vector<std::string> sdc_qdelta_names() {
  std::vector<std::string> names;
  for (int i = 0; i < kCanonicalQdeltas; ++i) names.emplace_back(kQdeltaNames[i].name);
  return names;
}

bool sdc_qdelta_is_diagonal(const std::string& name) {
  const std::string q = sdc_canonical_qdelta(name);
  return q != "ie" && q != "ee" && q != "lu";
}

}  // namespace pint

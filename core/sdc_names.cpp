// The names of SDC's node types, distributions and preconditioners, and the check of SdcSettings: parsing and
// listing them needs no numerics (no LAPACK), so integrator validation and the standalone device check link this
// file alone.
#include <cctype>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/sdc_coefficients.hpp"
#include "core/sdc_settings.hpp"

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

void validate(const SdcSettings& s) {
  const SdcQuadrature q = parse_sdc_quadrature(s.quadrature);
  parse_sdc_distribution(s.distribution);
  const int min_nodes = q == SdcQuadrature::radau_left || q == SdcQuadrature::lobatto ? 2 : 1;
  if (s.nodes < min_nodes || s.nodes > kSdcMaxNodes)
    throw std::invalid_argument("SDC: " + std::to_string(s.nodes) + " nodes; " + s.quadrature + " takes " +
                                std::to_string(min_nodes) + " to " + std::to_string(kSdcMaxNodes));
  sdc_qdelta_is_diagonal(s.qdelta);  // throws, listing the preconditioners, for an unknown name
  if (s.sweeps < 1 || s.sweeps > 100)
    throw std::invalid_argument("SDC: sweeps must be in [1, 100] (got " + std::to_string(s.sweeps) + ")");
  if (s.initial_guess != "spread" && s.initial_guess != "ie")
    throw std::invalid_argument("SDC: initial guess '" + s.initial_guess + "'; use spread or ie");
  if (s.end_value != "auto" && s.end_value != "last-node" && s.end_value != "collocation")
    throw std::invalid_argument("SDC: end value '" + s.end_value + "'; use auto, last-node or collocation");
  if (s.end_value == "last-node" && (q == SdcQuadrature::gauss || q == SdcQuadrature::radau_left))
    throw std::invalid_argument("SDC: the end value last-node needs a last node at tau = 1 (radau-right or lobatto); " +
                                s.quadrature + " has none: use collocation");
  if (s.imex != "off" && s.imex != "ee" && s.imex != "lagged")
    throw std::invalid_argument("SDC: imex '" + s.imex + "'; use off, ee or lagged");
  if (s.imex != "off" && sdc_canonical_qdelta(s.qdelta) == "ee")
    throw std::invalid_argument(
        "SDC: with imex the preconditioner is the implicit part's; ee would solve nothing implicitly: use ie, lu or "
        "a diagonal one");
  if (s.node_ranks < 1 || s.node_ranks > s.nodes)
    throw std::invalid_argument("SDC: " + std::to_string(s.node_ranks) + " node ranks for " + std::to_string(s.nodes) +
                                " nodes; use 1 to " + std::to_string(s.nodes) + " (at least one node per rank)");
  if (s.node_ranks > 1 && !sdc_qdelta_is_diagonal(s.qdelta))
    throw std::invalid_argument("SDC: node ranks need independent node solves, and " + sdc_canonical_qdelta(s.qdelta) +
                                " couples the nodes: use a diagonal preconditioner (qpar, iepar, min-sr-ns, min-sr-s, "
                                "min-sr-flex) or --sdc-node-ranks 1");
  if (s.node_ranks > 1 && s.imex == "ee")
    throw std::invalid_argument(
        "SDC: imex ee couples the nodes (explicit Euler from node to node): use imex lagged or off with node ranks");
}

bool sdc_ends_at_last_node(const SdcSettings& s) {
  const SdcQuadrature q = parse_sdc_quadrature(s.quadrature);
  return s.end_value == "last-node" ||
         (s.end_value == "auto" && (q == SdcQuadrature::radau_right || q == SdcQuadrature::lobatto));
}

}  // namespace pint

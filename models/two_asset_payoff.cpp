#include "models/two_asset_payoff.hpp"

#include <algorithm>

namespace pint {

const std::vector<std::string>& two_asset_payoff_names() {
  static const std::vector<std::string> names{"exchange", "max-call", "min-call", "basket-call", "spread-call"};
  return names;
}

double two_asset_payoff(const TwoAssetContract& c, double s1, double s2) {
  switch (c.payoff) {
    case TwoAssetPayoff::Exchange:
      return std::max(s1 - s2, 0.0);
    case TwoAssetPayoff::MaxCall:
      return std::max(std::max(s1, s2) - c.strike, 0.0);
    case TwoAssetPayoff::MinCall:
      return std::max(std::min(s1, s2) - c.strike, 0.0);
    case TwoAssetPayoff::BasketCall:
      return std::max(c.weight1 * s1 + c.weight2 * s2 - c.strike, 0.0);
    case TwoAssetPayoff::SpreadCall:
      return std::max(s1 - s2 - c.strike, 0.0);
  }
  return 0.0;
}

double two_asset_payoff_cell_average(const TwoAssetContract& c, double x0, double x1, double y0, double y1, int sub) {
  double sum = 0.0;
  for (int a = 0; a < sub; ++a) {
    const double x = x0 + (x1 - x0) * (a + 0.5) / sub;
    for (int b = 0; b < sub; ++b) sum += two_asset_payoff(c, x, y0 + (y1 - y0) * (b + 0.5) / sub);
  }
  return sum / (static_cast<double>(sub) * sub);
}

}  // namespace pint

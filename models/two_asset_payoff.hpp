#pragma once
/// \file
/// Payoffs of European options on two assets, and their cell averages (what the 2-D Black-Scholes problem
/// starts from: the kinks S1 = S2, S = K, ... fall between nodes, and a point value there makes measured
/// orders oscillate; the cell average is the point value up to O(h^2) where the payoff is smooth and
/// removes the O(h) jitter of the kinks, as Kreiss, Thomee and Widlund's smoothing does).

#include <string>
#include <vector>

namespace pint {

enum class TwoAssetPayoff { Exchange, MaxCall, MinCall, BasketCall, SpreadCall };

/// "exchange", "max-call", "min-call", "basket-call", "spread-call", in the enum's order.
const std::vector<std::string>& two_asset_payoff_names();

struct TwoAssetContract {
  TwoAssetPayoff payoff = TwoAssetPayoff::MaxCall;
  double strike = 100.0;                ///< K (not used by the exchange option)
  double weight1 = 0.5, weight2 = 0.5;  ///< basket call: max(w1 S1 + w2 S2 - K, 0)
};

/// exchange max(S1 - S2, 0); max-call max(max(S1, S2) - K, 0); min-call max(min(S1, S2) - K, 0);
/// basket-call max(w1 S1 + w2 S2 - K, 0); spread-call max(S1 - S2 - K, 0).
double two_asset_payoff(const TwoAssetContract& c, double s1, double s2);

/// The mean of the payoff over [x0, x1] x [y0, y1], by the midpoint rule on sub x sub sub-cells (exact for
/// the linear pieces; a kink through the cell costs O((h / sub)^2), second order like the scheme).
double two_asset_payoff_cell_average(const TwoAssetContract& c, double x0, double x1, double y0, double y1,
                                     int sub = 16);

}  // namespace pint

#include "models/asset_mesh.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace pint {

std::vector<double> uniform_asset_mesh(double s_max, int n) {
  std::vector<double> x(n + 1);
  for (int i = 0; i <= n; ++i) x[i] = s_max * i / n;
  x[n] = s_max;
  return x;
}

std::vector<double> concentrated_asset_mesh(double s_max, int n, double c, double density) {
  if (!(c > 0 && c < s_max))
    throw std::invalid_argument("concentrated mesh: the concentration point " + std::to_string(c) +
                                " must lie inside (0, " + std::to_string(s_max) + ")");
  if (!(density > 0)) throw std::invalid_argument("concentrated mesh: density must be positive");
  if (n < 4) throw std::invalid_argument("concentrated mesh: at least 4 intervals");
  const double d = density * c;
  const double a = std::asinh(-c / d), b0 = std::asinh((s_max - c) / d);
  // Node i_c on c: xi_c = -a / (b - a) = i_c / n, so b = a (1 - n / i_c).
  const int ic = std::clamp(static_cast<int>(std::lround(n * (-a) / (b0 - a))), 1, n - 1);
  const double b = a * (1.0 - static_cast<double>(n) / ic);
  std::vector<double> x(n + 1);
  for (int i = 0; i <= n; ++i) x[i] = c + d * std::sinh(a + (b - a) * i / n);
  x[0] = 0.0;  // c + d sinh(asinh(-c / d)) up to rounding
  x[ic] = c;   // exactly, not c + d sinh(~1e-17)
  return x;
}

}  // namespace pint

#pragma once
/// \file
/// One asset's price axis [0, s_max]: uniform, or concentrated around a price c by a sinh map (the form of
/// In 't Hout and Foulon's meshes and QuantLib's Concentrating1dMesher):
///
///   x(xi) = c + d sinh(a + xi (b - a)),  xi = i / n,  a = asinh(-c / d),  b = asinh((s_max - c) / d),
///
/// with d = density * c: nodes are about (d / c) times closer at c than a uniform mesh's (density 0.2:
/// five times), and spread out towards 0 and s_max where the price is nearly linear. The mesh puts a node
/// exactly on c (the spot, where the price is read, so no interpolation error enters there): b is moved so
/// that xi_c = -a / (b - a) is a multiple of 1 / n, which moves s_max slightly (the effective s_max is the
/// last node; the summary prints it).

#include <vector>

namespace pint {

/// n + 1 nodes 0, s_max / n, ..., s_max.
std::vector<double> uniform_asset_mesh(double s_max, int n);

/// n + 1 nodes from 0 to about s_max, concentrated around c in (0, s_max) with d = density * c, one node on c.
/// Throws std::invalid_argument for c outside (0, s_max), density <= 0 or n < 4.
std::vector<double> concentrated_asset_mesh(double s_max, int n, double c, double density);

}  // namespace pint

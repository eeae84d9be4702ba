#pragma once
/// \file
/// What `pint run` reports, as a plain struct, printed as text and written as JSON (schema in README).

#include <optional>
#include <string>
#include <vector>

#include "core/parareal.hpp"
#include "io/run_config.hpp"

namespace pint {

struct RunSummary {
  RunConfig config;
  std::string fine_name, coarse_name;  ///< e.g. crank-nicolson@openmp
  int ranks = 1;
  std::size_t unknowns = 0;
  std::string kokkos_version;

  int iterations = 0;
  bool converged = false;
  std::vector<IterationRecord> log;

  double parareal_seconds = 0.0;
  double fine_slice_seconds = 0.0, coarse_slice_seconds = 0.0;
  int fine_calls = 0, coarse_calls = 0;

  /// Against the serial fine solution (only with compare_serial): max over all slice boundaries, and
  /// at the final time; per iteration if the history was kept.
  std::optional<double> serial_seconds;
  std::optional<double> error_vs_serial_max, error_vs_serial_final;
  std::vector<double> error_vs_serial_per_iteration;

  /// Against the closed form at the final time (problems that have one): the whole grid, and for
  /// Black-Scholes the domain of interest S in [K/2, 2K].
  std::optional<double> error_vs_exact_parareal, error_vs_exact_serial_fine;
  std::optional<double> error_vs_exact_parareal_domain;
  std::string domain_description;

  std::optional<double> measured_speedup;
  double speedup_bound = 0.0;  ///< seed 000 eq. (8) with the measured costs, K and P
};

/// Seed 000 eq. (8), generalised to N slices on P ranks:
///   T_par = N c_c + K (N / P) (c_f + c_c), T_ser = N c_f  ->  s = 1 / ((1 + K/P) c_c/c_f + K/P) for N = P.
double speedup_bound(double fine_cost, double coarse_cost, int iterations, int ranks, int slices);

std::string to_text(const RunSummary& s);
std::string to_json(const RunSummary& s);  ///< pretty-printed JSON document

}  // namespace pint

#pragma once
/// \file
/// What `pint run` reports, as a plain struct, printed as text and written as JSON (schema in README).

#include <optional>
#include <string>
#include <vector>

#include "core/algorithm_runner.hpp"
#include "core/parareal.hpp"
#include "core/problem.hpp"
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

  /// The problem's own values about the final state (Problem::report: value_at_spot, closed_form_at_spot, ...).
  std::vector<NamedValue> problem_values;

  std::optional<double> measured_speedup;
  /// The algorithm's schedule model with the measured costs, iterations and ranks: Parareal's seed 000
  /// eq. (8); MGRIT's critical-path model (core/mgrit_schedule.hpp).
  double speedup_bound = 0.0;
  /// The model's propagator calls on the critical path at this run's P, per level (Parareal: fine, coarse).
  std::vector<double> critical_path_calls;
  /// The same model at P = 1, 2, 4, ... up to the slices (what more ranks would give).
  std::vector<SpeedupPrediction> schedule_model;
  std::vector<int> level_points;  ///< MGRIT: points per level (empty for Parareal)
  /// A learned coarse correction's costs and sizes on rank 0 (correction.name empty without one), and
  /// what it added to the calls (totals over ranks, also counted in fine_calls / coarse_calls).
  CorrectionStats correction;
  CorrectionCosts correction_costs;
};

std::string to_text(const RunSummary& s);
std::string to_json(const RunSummary& s);  ///< pretty-printed JSON document

}  // namespace pint

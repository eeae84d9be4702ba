#include "io/run_summary.hpp"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace pint {

namespace {
std::string opt(const std::optional<double>& v, const char* f = "{:.3e}") {
  return v ? fmt::format(fmt::runtime(f), *v) : std::string("n/a");
}
}  // namespace

std::string to_text(const RunSummary& s) {
  std::string o;
  o += "== pint run summary ==\n";
  const int node_ranks = s.config.fine.integrator.sdc.node_ranks;
  o += fmt::format("problem           {} ({} unknowns), {} slices on {} {}\n", s.config.problem, s.unknowns,
                   s.config.parareal.slices, s.ranks,
                   node_ranks > 1 ? fmt::format("time rank(s) x {} SDC node ranks", node_ranks) : "rank(s)");
  o += fmt::format("fine              {} x {} steps/slice\n", s.fine_name, s.config.fine.integrator.steps);
  o += fmt::format(
      "coarse            {} x {} steps/slice\n", s.coarse_name,
      s.config.coarse.model == "numerical" ? s.config.coarse.integrator.steps : s.config.coarse.correction_steps);
  const bool multilevel = !s.level_points.empty();
  if (multilevel) {
    std::string levels;
    for (int n : s.level_points) levels += (levels.empty() ? "" : " -> ") + std::to_string(n);
    o += fmt::format("algorithm         {}: {} levels, {} points; nu {}, {}-cycle, skip {}\n", s.config.algorithm,
                     s.level_points.size(), levels, s.config.mgrit.nu, to_string(s.config.mgrit.cycle),
                     s.config.mgrit.skip ? 1 : 0);
  }
  o += fmt::format("iterations        {} ({}), tolerance {:.1e}{}\n", s.iterations,
                   s.converged ? "converged" : "stopped at max_iterations", s.config.parareal.tolerance,
                   multilevel ? (s.config.mgrit.relative ? " (relative residual)" : " (absolute residual)") : "");
  if (multilevel) {
    o += "residual per iter";
    for (const auto& r : s.log) o += std::isnan(r.residual) ? std::string(" n/a") : fmt::format(" {:.6e}", r.residual);
  } else {
    o += "change per iter  ";
    for (const auto& r : s.log)
      if (r.iteration > 0) o += fmt::format(" {:.2e}", r.change);
  }
  o += "\n";
  if (!s.error_vs_serial_per_iteration.empty()) {
    o += "err vs serial/it ";
    for (double e : s.error_vs_serial_per_iteration) o += fmt::format(" {:.2e}", e);
    o += "\n";
  }
  o += fmt::format("error vs serial fine: max over slices {}, at T {}\n", opt(s.error_vs_serial_max),
                   opt(s.error_vs_serial_final));
  o += fmt::format("error vs closed form at T: {} {}, serial fine {}", s.config.algorithm,
                   opt(s.error_vs_exact_parareal), opt(s.error_vs_exact_serial_fine));
  if (s.error_vs_exact_parareal_domain)
    o += fmt::format(" (on {}: {})", s.domain_description, opt(s.error_vs_exact_parareal_domain));
  o += "\n";
  for (const NamedValue& v : s.problem_values) o += fmt::format("{:<17} {:.10g}\n", v.name, v.value);
  // A restart of a finished run computes nothing: no costs to report, and no bound from them.
  const bool measured = s.fine_slice_seconds > 0 && s.coarse_slice_seconds > 0;
  if (measured)
    o += fmt::format("cost of one slice: fine {:.3f} ms, coarse {:.3f} ms (ratio c_c/c_f = {:.3f})\n",
                     1e3 * s.fine_slice_seconds, 1e3 * s.coarse_slice_seconds,
                     s.coarse_slice_seconds / s.fine_slice_seconds);
  else
    o += "cost of one slice: n/a (this run computed no fine and coarse slice)\n";
  o += fmt::format("calls: {} fine, {} coarse\n", s.fine_calls, s.coarse_calls);
  o += fmt::format(
      "wall time: {} {:.3f} s, serial fine {}\n", s.config.algorithm, s.parareal_seconds,
      s.serial_seconds ? fmt::format("{:.3f} s", *s.serial_seconds) : std::string("n/a (use --compare-serial)"));
  o += fmt::format("speedup: measured {}, {} {} (K = {}, P = {})\n", opt(s.measured_speedup, "{:.3f}"),
                   multilevel ? "schedule model" : "bound eq. (8)",
                   measured ? fmt::format("{:.3f}", s.speedup_bound) : std::string("n/a"), s.iterations, s.ranks);
  if (!s.critical_path_calls.empty()) {
    o += fmt::format("critical path (model, P = {}): calls per level: fine {:g}", s.ranks, s.critical_path_calls[0]);
    for (std::size_t l = 1; l < s.critical_path_calls.size(); ++l)
      o += fmt::format("{}{:g}", l == 1 ? "; coarse " : ", ", s.critical_path_calls[l]);
    o += "\n";
  }
  if (!s.correction.name.empty()) {
    const CorrectionStats& c = s.correction;
    std::string sizes;
    for (int n : c.model_size) sizes += (sizes.empty() ? "" : " ") + std::to_string(n);
    o += fmt::format("coarse correction {}: model size per iteration {}; {:.1f} MB on rank 0\n", c.name, sizes,
                     c.model_bytes / 1e6);
    o += fmt::format(
        "  cost: {:.3f} ms per corrected call on top of G ({} calls), learning {:.3f} s ({:.3f} s in MPI), {} fine "
        "calls for F_n(0), {} plain coarse calls for anchors and G_n(0)\n",
        c.applications > 0 ? 1e3 * c.apply_seconds / c.applications : 0.0, c.applications, c.learn_seconds,
        c.exchange_seconds, s.correction_costs.affine_fine_calls, s.correction_costs.anchor_coarse_calls);
    if (c.commutation_error >= 0)
      o += fmt::format(
          "  coarse powers: {} (|A C z - C A z| / |A C z| = {:.1e}{}), {} coarse and {} fine calls, {:.3f} s of the "
          "learning\n",
          c.commutation_error <= 1e-6 ? "on" : "off", c.commutation_error,
          c.commutation_error <= 1e-6 ? "" : ": above 1e-6, A and C do not commute", c.extra_coarse_calls,
          c.extra_fine_calls, c.learn_seconds_powers);
    if (c.coarse_affine >= 0)
      o += fmt::format("  coarse propagator {} (checked to {:.1e}): {}\n",
                       c.coarse_affine ? "affine, one linear part C on every slice" : "not affine or not one C",
                       c.affine_error,
                       c.coarse_affine ? "corrected call G(u) + (W - C Q) c, no anchor calls"
                                       : "corrected call G(u - Q c) + W c, with anchor calls");
  }
  if (measured && !s.schedule_model.empty()) {
    o += "model at P =     ";
    for (const auto& p : s.schedule_model) o += fmt::format(" {}: {:.2f}", p.ranks, p.speedup);
    o += "\n";
  }
  return o;
}

std::string to_json(const RunSummary& s) {
  using nlohmann::json;
  auto o = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  auto num = [](double v) { return std::isnan(v) ? json(nullptr) : json(v); };
  const bool multilevel = !s.level_points.empty();
  json iters = json::array(), residuals = json::array();
  for (const auto& r : s.log) residuals.push_back(num(r.residual));
  for (const auto& r : s.log)
    iters.push_back({{"iteration", r.iteration},
                     {"change", r.iteration == 0 ? json(nullptr) : num(r.change)},
                     {"residual", num(r.residual)},
                     {"first_active_slice", r.first_active_slice},
                     {"fine_calls", r.fine_calls},
                     {"coarse_calls", r.coarse_calls},
                     {"seconds", r.seconds}});
  json j = {
      {"pint_version", "0.1.0"},
      {"kokkos_version", s.kokkos_version},
      {"problem", s.config.problem},
      {"unknowns", s.unknowns},
      {"slices", s.config.parareal.slices},
      {"ranks", s.ranks},
      {"sdc_node_ranks", s.config.fine.integrator.sdc.node_ranks},
      {"fine",
       {{"propagator", s.fine_name},
        {"space", s.config.fine.space},
        {"steps_per_slice", s.config.fine.integrator.steps}}},
      {"coarse",
       {{"propagator", s.coarse_name},
        {"space", s.config.coarse.space},
        {"steps_per_slice", s.config.coarse.integrator.steps}}},
      {"tolerance", s.config.parareal.tolerance},
      {"iterations", s.iterations},
      {"converged", s.converged},
      {"per_iteration", iters},
      {"error_vs_serial",
       {{"max_over_slices", o(s.error_vs_serial_max)},
        {"final_time", o(s.error_vs_serial_final)},
        {"per_iteration", s.error_vs_serial_per_iteration}}},
      {"error_vs_closed_form",
       {{"parareal", o(s.error_vs_exact_parareal)},
        {"serial_fine", o(s.error_vs_exact_serial_fine)},
        {"parareal_domain_of_interest", o(s.error_vs_exact_parareal_domain)},
        {"domain_of_interest", s.domain_description}}},
      {"cost_seconds", {{"fine_slice", s.fine_slice_seconds}, {"coarse_slice", s.coarse_slice_seconds}}},
      {"calls", {{"fine", s.fine_calls}, {"coarse", s.coarse_calls}}},
      {"wall_seconds", {{"parareal", s.parareal_seconds}, {"serial_fine", o(s.serial_seconds)}}},
      {"speedup",
       {{"measured", o(s.measured_speedup)},
        {"bound_eq8", multilevel ? json(nullptr) : json(s.speedup_bound)},
        {"model", multilevel ? "mgrit-schedule" : "parareal-eq8"},
        {"model_speedup", s.speedup_bound},
        {"critical_path_calls", s.critical_path_calls}}},
      {"algorithm", s.config.algorithm},
      {"residual_per_iteration", residuals},
  };
  json model = json::array();
  for (const auto& p : s.schedule_model)
    model.push_back({{"ranks", p.ranks}, {"speedup", p.speedup}, {"calls_per_level", p.calls_per_level}});
  j["schedule_model"] = model;
  // The problem's own values at the top level, under their names (value_at_spot, closed_form_at_spot, ...).
  for (const NamedValue& v : s.problem_values) j[v.name] = v.value;
  if (!s.correction.name.empty()) {
    const CorrectionStats& c = s.correction;
    const CorrectionConfig& cc = s.config.correction;
    json settings =
        c.name == "krylov"
            ? json{{"basis_cap", cc.basis_cap},
                   {"rank_tolerance", cc.rank_tolerance},
                   {"smoothness", cc.smoothness},
                   {"coarse_powers", cc.coarse_powers}}
            : json{{"neurons", cc.neurons}, {"neighbours", cc.neighbours}, {"ridge", cc.ridge}, {"seed", cc.seed}};
    j["coarse_correction"] = {
        {"kind", c.name},
        {"settings", settings},
        {"model_size_per_iteration", c.model_size},
        {"model_bytes_rank0", c.model_bytes},
        {"pair_bytes_per_slice_per_iteration", c.pair_bytes},
        {"learn_seconds", c.learn_seconds},
        {"exchange_seconds", c.exchange_seconds},
        {"exchanged_doubles_rank0", c.exchanged_doubles},
        {"apply_seconds", c.apply_seconds},
        {"applications_rank0", c.applications},
        {"apply_seconds_per_call", c.applications > 0 ? c.apply_seconds / c.applications : 0.0},
        {"affine_fine_calls", s.correction_costs.affine_fine_calls},
        {"anchor_coarse_calls", s.correction_costs.anchor_coarse_calls},
        {"extra_coarse_calls", c.extra_coarse_calls},
        {"extra_fine_calls", c.extra_fine_calls},
        {"commutation_error", c.commutation_error >= 0 ? json(c.commutation_error) : json(nullptr)},
        {"coarse_affine", c.coarse_affine >= 0 ? json(c.coarse_affine == 1) : json(nullptr)},
        {"affine_error", c.affine_error >= 0 ? json(c.affine_error) : json(nullptr)}};
  }
  if (multilevel) {
    j["mgrit"] = {
        {"levels", s.level_points.size()},
        {"points_per_level", s.level_points},
        {"cfactor", s.config.mgrit.cfactor},
        {"cfactor0", s.config.mgrit.level0_cfactor()},
        {"nu", s.config.mgrit.nu},
        {"cycle", to_string(s.config.mgrit.cycle)},
        {"skip", s.config.mgrit.skip},
        {"min_coarse", s.config.mgrit.min_coarse},
        {"residual", s.config.mgrit.relative ? "relative" : "absolute"},
        {"initial_guess", s.config.mgrit.initial_guess ? json(*s.config.mgrit.initial_guess) : json("coarse")}};
  }
  return j.dump(2) + "\n";
}

}  // namespace pint

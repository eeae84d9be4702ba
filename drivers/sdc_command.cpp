#include "sdc_command.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <complex>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/sdc_analysis.hpp"
#include "io/output_paths.hpp"
#include "io/run_config.hpp"
#include "plot_command.hpp"

namespace pint {

namespace {

using json = nlohmann::json;
using cplx = std::complex<double>;

/// The scheme flags every subcommand shares (the names of the propagator's --sdc-* flags, without the prefix).
void add_scheme_flags(CLI::App* app, SdcSettings& s, bool with_sweeps) {
  app->add_option("--nodes", s.nodes, "Collocation nodes M (1 to 8; 2 to 8 for radau-left and lobatto)")
      ->capture_default_str();
  app->add_option("--quadrature", s.quadrature, "gauss, radau-right, radau-left or lobatto")->capture_default_str();
  app->add_option("--distribution", s.distribution, "legendre, chebyshev-1 .. chebyshev-4 or equidistant")
      ->capture_default_str();
  app->add_option("--qdelta", s.qdelta, "ie, ee, lu, qpar, iepar, min-sr-ns, min-sr-s or min-sr-flex")
      ->capture_default_str();
  if (!with_sweeps) return;
  app->add_option("--sweeps", s.sweeps, "Sweeps K per step")->capture_default_str();
  app->add_option("--initial-guess", s.initial_guess, "spread or ie")->capture_default_str();
  app->add_option("--end-value", s.end_value, "last-node, collocation or auto (last-node where tau_M = 1)")
      ->capture_default_str();
}

json scheme_json(const SdcSettings& s) {
  return {{"nodes", s.nodes},
          {"quadrature", s.quadrature},
          {"distribution", s.distribution},
          {"qdelta", sdc_canonical_qdelta(s.qdelta)},
          {"sweeps", s.sweeps},
          {"initial_guess", s.initial_guess},
          {"end_value", sdc_ends_at_last_node(s) ? "last-node" : "collocation"}};
}

std::string scheme_text(const SdcSettings& s) {
  return fmt::format("{} nodes {} ({}), Q_D {}, {} sweep(s), predictor {}, end value {}", s.nodes, s.quadrature,
                     s.distribution, sdc_canonical_qdelta(s.qdelta), s.sweeps, s.initial_guess,
                     sdc_ends_at_last_node(s) ? "last node" : "collocation update");
}

json matrix_json(const std::vector<double>& a, int M) {
  json rows = json::array();
  for (int i = 0; i < M; ++i) {
    json row = json::array();
    for (int j = 0; j < M; ++j) row.push_back(a[static_cast<std::size_t>(i * M + j)]);
    rows.push_back(row);
  }
  return rows;
}

/// A finite number, or null (JSON has no infinity).
json number(double v) {
  return std::isfinite(v) ? json(v) : json(nullptr);
}

/// Writes PREFIX.json and, unless plotting is off, PREFIX.png through pint_sdc_plot.py. Returns the exit code.
int write_outputs(const std::string& prefix, const json& data, const std::string& kind, bool plot) {
  const std::string json_path = prefix + ".json", png_path = prefix + ".png";
  write_text_atomically(json_path, data.dump(1) + "\n", "the " + kind + " data");
  fmt::print("data written to {}\n", json_path);
  if (!plot) return 0;
  const int rc = run_python_script(sdc_plot_script(), {kind, json_path, png_path});
  if (rc != 0) {
    fmt::print(stderr, "pint sdc: the plot {} was not drawn (pint_sdc_plot.py exited with {}); {} has the data\n",
               png_path, rc, json_path);
    return rc;
  }
  fmt::print("plot written to {}\n", png_path);
  return 0;
}

int coefficients(const SdcSettings& s, int sweep, bool as_json) {
  const Collocation c =
      make_collocation(s.nodes, parse_sdc_quadrature(s.quadrature), parse_sdc_distribution(s.distribution));
  const std::vector<double> qd = qdelta(c, s.qdelta, sweep);
  const int M = c.M;
  std::vector<double> diag(static_cast<std::size_t>(M));
  for (int m = 0; m < M; ++m) diag[m] = qd[static_cast<std::size_t>(m * M + m)];
  if (as_json) {
    const json out = {{"nodes", c.nodes},
                      {"weights", c.weights},
                      {"Q", matrix_json(c.Q, M)},
                      {"quadrature", to_string(c.quadrature)},
                      {"distribution", to_string(c.distribution)},
                      {"qdelta_name", sdc_canonical_qdelta(s.qdelta)},
                      {"sweep", sweep},
                      {"qdelta_diagonal", diag},
                      {"qdelta", matrix_json(qd, M)},
                      {"qdelta_is_diagonal", sdc_qdelta_is_diagonal(s.qdelta)}};
    std::cout << out.dump(1) << "\n";
    return 0;
  }
  fmt::print("{} {} nodes ({}), Q_D {} at sweep {}\n", M, to_string(c.quadrature), to_string(c.distribution),
             sdc_canonical_qdelta(s.qdelta), sweep);
  fmt::print("{:>3} {:>22} {:>22} {:>22}\n", "m", "tau_m", "b_m", "Q_D[m, m]");
  for (int m = 0; m < M; ++m)
    fmt::print("{:>3} {:>22.17g} {:>22.17g} {:>22.17g}\n", m + 1, c.nodes[m], c.weights[m], diag[m]);
  fmt::print("Q (row m: the integrals from 0 to tau_m of the Lagrange polynomials):\n");
  for (int m = 0; m < M; ++m) {
    for (int j = 0; j < M; ++j) fmt::print("{:>24.17g}", c.q(m, j));
    fmt::print("\n");
  }
  if (!sdc_qdelta_is_diagonal(s.qdelta)) {
    fmt::print("Q_D:\n");
    for (int m = 0; m < M; ++m) {
      for (int j = 0; j < M; ++j) fmt::print("{:>24.17g}", qd[static_cast<std::size_t>(m * M + j)]);
      fmt::print("\n");
    }
  }
  return 0;
}

struct Region {
  double re_min = -40, re_max = 10, im_min = -25, im_max = 25;  // wide enough for MIN-SR-NS's stiff failure (-17.7)
  int points = 201;
};

int stability(const SdcSettings& s, const Region& r, const std::string& prefix, bool plot) {
  const SdcScheme scheme = make_sdc_scheme(s);
  json re = json::array(), im = json::array(), amp = json::array(), con = json::array();
  std::vector<double> xs(static_cast<std::size_t>(r.points)), ys(static_cast<std::size_t>(r.points));
  for (int i = 0; i < r.points; ++i) {
    xs[i] = r.re_min + (r.re_max - r.re_min) * i / (r.points - 1);
    ys[i] = r.im_min + (r.im_max - r.im_min) * i / (r.points - 1);
    re.push_back(xs[i]);
    im.push_back(ys[i]);
  }
  long stable = 0, contracting = 0;
  for (int j = 0; j < r.points; ++j) {
    json arow = json::array(), crow = json::array();
    for (int i = 0; i < r.points; ++i) {
      const cplx z(xs[i], ys[j]);
      const double a = std::abs(sdc_stability_function(scheme, z)), c = sdc_contraction_factor(scheme, z);
      stable += a <= 1.0;
      contracting += c < 1.0;
      arow.push_back(number(a));
      crow.push_back(number(c));
    }
    amp.push_back(arow);
    con.push_back(crow);
  }
  // Along the negative real axis (the stiff, dissipative modes of a parabolic problem): the first unstable z.
  double first_unstable = std::numeric_limits<double>::infinity();
  for (double x = 1e-3; x <= 1e8; x *= 1.02)
    if (!(std::abs(sdc_stability_function(scheme, cplx(-x, 0.0))) <= 1.0)) {
      first_unstable = -x;
      break;
    }
  const double total = static_cast<double>(r.points) * r.points;
  fmt::print("pint sdc stability: {}\n", scheme_text(s));
  fmt::print("region Re z in [{:g}, {:g}], Im z in [{:g}, {:g}], {} x {} points\n", r.re_min, r.re_max, r.im_min,
             r.im_max, r.points, r.points);
  fmt::print("stable (|R(z)| <= 1): {:.1f}% of the region; the sweeps contract (factor < 1): {:.1f}%\n",
             100.0 * stable / total, 100.0 * contracting / total);
  if (std::isfinite(first_unstable))
    fmt::print("negative real axis: unstable from z = {:.4g} on\n", first_unstable);
  else
    fmt::print("negative real axis: stable on [-1e8, 0]\n");
  fmt::print("|R(-1e8)| = {:.3g}, contraction factor at z = -1e8: {:.3g}, at z = -1e-3: {:.3g}\n",
             std::abs(sdc_stability_function(scheme, cplx(-1e8, 0.0))), sdc_contraction_factor(scheme, cplx(-1e8, 0.0)),
             sdc_contraction_factor(scheme, cplx(-1e-3, 0.0)));
  const json data = {{"scheme", scheme_json(s)},
                     {"re", re},
                     {"im", im},
                     {"abs_stability_function", amp},
                     {"contraction_factor", con},
                     {"negative_real_axis_unstable_from", number(first_unstable)},
                     {"what",
                      "abs_stability_function[j][i] = |R(re[i] + i im[j])| after the step's sweeps; "
                      "contraction_factor[j][i] = rho(K_K ... K_1)^(1/K), K_k(z) = z (I - z Q_D,k)^-1 (Q - Q_D,k)"}};
  return write_outputs(prefix, data, "stability", plot);
}

int order(SdcSettings s, int max_sweeps, cplx lambda, double t_end, int max_steps, const std::string& prefix,
          bool plot) {
  json steps = json::array(), dts = json::array(), errors = json::array(), orders = json::array(),
       observed = json::array(), sweeps = json::array();
  std::vector<int> ns;
  for (int n = 1; n <= max_steps; n *= 2) ns.push_back(n);
  for (int n : ns) {
    steps.push_back(n);
    dts.push_back(t_end / n);
  }
  s.sweeps = max_sweeps;
  fmt::print("pint sdc order: {}; y' = ({:g} + {:g} i) y on [0, {:g}]\n", scheme_text(s), lambda.real(), lambda.imag(),
             t_end);
  fmt::print("{:>6}", "K \\ N");
  for (int n : ns) fmt::print(" {:>9}", n);
  fmt::print("   observed order\n");
  // Below this the errors are round-off, not the method's: pairs that reach it give no order.
  const double floor = 1e-12;
  for (int K = 1; K <= max_sweeps; ++K) {
    s.sweeps = K;
    const SdcScheme scheme = make_sdc_scheme(s);
    std::vector<double> e;
    for (int n : ns) e.push_back(sdc_dahlquist_error(scheme, lambda, t_end, n));
    json ej = json::array(), oj = json::array();
    double last = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t i = 0; i < e.size(); ++i) {
      ej.push_back(number(e[i]));
      if (i == 0) continue;
      const double o = std::log2(e[i - 1] / e[i]);
      oj.push_back(number(o));
      if (e[i] > floor && std::isfinite(o)) last = o;
    }
    fmt::print("{:>6}", K);
    for (double v : e) fmt::print(" {:>9.2e}", v);
    fmt::print("   {:.2f}\n", last);
    sweeps.push_back(K);
    errors.push_back(ej);
    orders.push_back(oj);
    observed.push_back(number(last));
  }
  s.sweeps = max_sweeps;
  json scheme = scheme_json(s);
  scheme.erase("sweeps");
  const json data = {{"scheme", scheme},
                     {"lambda", {lambda.real(), lambda.imag()}},
                     {"t_end", t_end},
                     {"steps", steps},
                     {"dt", dts},
                     {"sweeps", sweeps},
                     {"errors", errors},
                     {"orders", orders},
                     {"observed_order", observed},
                     {"what",
                      "errors[K-1][i] = |R(lambda dt)^N - exp(lambda t_end)| with N = steps[i]; orders[K-1][i] = "
                      "log2(errors[K-1][i] / errors[K-1][i+1]); observed_order: the last one above 1e-12"}};
  return write_outputs(prefix, data, "order", plot);
}

}  // namespace

int sdc_command(const std::vector<std::string>& args) {
  CLI::App app{
      "pint sdc: spectral deferred corrections' coefficients and their analysis on Dahlquist's equation y' = lambda "
      "y (the figures of seed 002)",
      "pint sdc"};
  app.require_subcommand(1);
  SdcSettings s;
  int sweep = 1, max_sweeps = 0, max_steps = 256;
  bool as_json = false, overwrite = false, no_plot = false;
  Region region;
  double lambda_re = 0.0, lambda_im = 1.0, t_end = 1.0;
  std::string prefix;

  auto* coef = app.add_subcommand("coefficients", "Nodes, weights, Q and Q_D of one rule and preconditioner");
  add_scheme_flags(coef, s, false);
  coef->add_option("--sweep", sweep, "Sweep k (MIN-SR-FLEX's Q_D depends on it)")->capture_default_str();
  coef->add_flag("--json", as_json, "Print JSON (nodes, weights, Q, qdelta_diagonal, qdelta)");

  auto* stab = app.add_subcommand(
      "stability",
      "|R(z)| of one step and the sweeps' contraction factor over a region of the complex plane (PNG + JSON)");
  add_scheme_flags(stab, s, true);
  stab->add_option("--re-min", region.re_min, "Smallest Re z")->capture_default_str();
  stab->add_option("--re-max", region.re_max, "Largest Re z")->capture_default_str();
  stab->add_option("--im-min", region.im_min, "Smallest Im z")->capture_default_str();
  stab->add_option("--im-max", region.im_max, "Largest Im z")->capture_default_str();
  stab->add_option("--points", region.points, "Points per axis (2 to 2001)")->capture_default_str();

  auto* ord = app.add_subcommand("order", "Error against the step size for K = 1 .. max-sweeps sweeps (PNG + JSON)");
  add_scheme_flags(ord, s, false);
  ord->add_option("--initial-guess", s.initial_guess, "spread or ie")->capture_default_str();
  ord->add_option("--end-value", s.end_value, "last-node, collocation or auto")->capture_default_str();
  ord->add_option("--max-sweeps", max_sweeps, "Largest K (default: M)");
  ord->add_option("--lambda-re", lambda_re, "Re lambda")->capture_default_str();
  ord->add_option("--lambda-im", lambda_im, "Im lambda")->capture_default_str();
  ord->add_option("--t-end", t_end, "End time")->capture_default_str();
  ord->add_option("--max-steps", max_steps, "Largest step count (1, 2, 4, ... up to it; 1 to 65536)")
      ->capture_default_str();

  for (auto* sub : {stab, ord}) {
    sub->add_option("--out", prefix, "Writes OUT.json and OUT.png (default: sdc_stability / sdc_order)");
    sub->add_flag("--overwrite", overwrite, "Replace existing output files");
    sub->add_flag("--no-plot", no_plot, "Write the JSON only");
  }

  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    if (coef->parsed()) {
      SdcSettings check = s;
      check.sweeps = std::max(1, sweep);
      validate(check);
      if (sweep < 1 || sweep > 100)
        throw ConfigError("--sweep must be in [1, 100] (got " + std::to_string(sweep) + ")");
      return coefficients(s, sweep, as_json);
    }
    if (stab->parsed()) {
      validate(s);
      if (!(region.re_min < region.re_max) || !(region.im_min < region.im_max) || !std::isfinite(region.re_min) ||
          !std::isfinite(region.re_max) || !std::isfinite(region.im_min) || !std::isfinite(region.im_max))
        throw ConfigError("the region needs finite --re-min < --re-max and --im-min < --im-max");
      if (region.points < 2 || region.points > 2001)
        throw ConfigError("--points must be in [2, 2001] (got " + std::to_string(region.points) + ")");
      if (prefix.empty()) prefix = "sdc_stability";
      check_outputs({{prefix + ".json", "--out (JSON)", ""}, {no_plot ? "" : prefix + ".png", "--out (PNG)", ""}},
                    overwrite);
      return stability(s, region, prefix, !no_plot);
    }
    if (max_sweeps == 0) max_sweeps = s.nodes;
    SdcSettings check = s;
    check.sweeps = max_sweeps;
    validate(check);
    if (!std::isfinite(lambda_re) || !std::isfinite(lambda_im) || (lambda_re == 0 && lambda_im == 0))
      throw ConfigError("lambda must be a finite, non-zero complex number (--lambda-re, --lambda-im)");
    if (!(t_end > 0) || !std::isfinite(t_end)) throw ConfigError("--t-end must be a finite number > 0");
    if (max_steps < 1 || max_steps > 65536)
      throw ConfigError("--max-steps must be in [1, 65536] (got " + std::to_string(max_steps) + ")");
    if (prefix.empty()) prefix = "sdc_order";
    check_outputs({{prefix + ".json", "--out (JSON)", ""}, {no_plot ? "" : prefix + ".png", "--out (PNG)", ""}},
                  overwrite);
    return order(s, max_sweeps, cplx(lambda_re, lambda_im), t_end, max_steps, prefix, !no_plot);
  } catch (const std::exception& e) {
    fmt::print(stderr, "pint sdc: {}\n", e.what());
    return 2;
  }
}

}  // namespace pint

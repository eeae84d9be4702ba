#include "io/run_config.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <tuple>

#include "core/algorithm_registry.hpp"
#include "core/problem_registry.hpp"
#include "spaces/registry.hpp"

namespace pint {

namespace {

const char* type_name(toml::node_type t) {
  switch (t) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    default:
      return "a date or time";
  }
}

/// Reads [table].key of type T if present; a value of another type, or an integer that does not fit
/// an int, is an error naming the key, what it must be and what it is.
template <class T>
void read(const toml::table& root, const char* table, const char* key, T& out) {
  const toml::node* node = root.at_path(std::string(table) + "." + key).node();
  if (!node) return;
  const std::string name = std::string("[") + table + "]." + key;
  const char* expected = "a string";
  if constexpr (std::is_same_v<T, double>) {
    expected = "a number";
    if (node->is_floating_point() || node->is_integer()) {  // integers are accepted for floats
      out = *node->value<double>();
      return;
    }
  } else if constexpr (std::is_same_v<T, int>) {
    expected = "an integer";
    if (auto v = node->value_exact<int64_t>()) {
      // A value that does not fit is refused, never truncated (4294967297 must not become 1).
      if (*v < std::numeric_limits<int>::min() || *v > std::numeric_limits<int>::max())
        throw ConfigError(fmt::format("config: {} = {} is out of range: it must be at most {}", name, *v,
                                      std::numeric_limits<int>::max()));
      out = static_cast<int>(*v);
      return;
    }
  } else if constexpr (std::is_same_v<T, bool>) {
    expected = "true or false";
    if (auto v = node->value_exact<bool>()) {
      out = *v;
      return;
    }
  } else {
    if (auto v = node->value_exact<std::string>()) {
      out = *v;
      return;
    }
  }
  throw ConfigError(fmt::format("config: {} must be {}, not {}", name, expected, type_name(node->type())));
}

const std::map<std::string, std::vector<std::string>>& known_keys() {
  static const std::map<std::string, std::vector<std::string>> allowed = {
      {"problem", {"kind"}},
      {"black_scholes", {"option", "s_max", "ds", "strike", "rate", "sigma", "maturity"}},
      {"heat", {"alpha", "length", "intervals", "mode", "t_end"}},
      {"dahlquist", {"lambdas", "y0", "t_end"}},
      {"fine",
       {"method", "steps", "rannacher_half_steps", "adi_theta", "adi_mu", "sdc_nodes", "sdc_quadrature",
        "sdc_distribution", "sdc_qdelta", "sdc_sweeps", "sdc_initial_guess", "sdc_end_value", "sdc_imex",
        "sdc_node_ranks", "space"}},
      {"coarse",
       {"method", "steps", "rannacher_half_steps", "adi_theta", "adi_mu", "sdc_nodes", "sdc_quadrature",
        "sdc_distribution", "sdc_qdelta", "sdc_sweeps", "sdc_initial_guess", "sdc_end_value", "sdc_imex",
        "sdc_node_ranks", "space", "model", "correction_steps"}},
      {"parareal", {"slices", "max_iterations", "tolerance", "batch_fine"}},
      {"algorithm", {"kind"}},
      {"coarse_correction",
       {"kind", "basis_cap", "rank_tolerance", "smoothness", "coarse_powers", "neurons", "neighbours", "ridge",
        "seed"}},
      {"mgrit", {"levels", "cfactor", "cfactor0", "nu", "cycle", "skip", "min_coarse", "residual", "initial_guess"}},
      {"output", {"json", "compare_serial", "file", "iterations", "checkpoint"}},
  };
  return allowed;
}

/// The fixed tables and those of the registered problems with declared parameters.
std::map<std::string, std::vector<std::string>> allowed_keys() {
  auto allowed = known_keys();
  for (const std::string& name : problem_names()) {
    const ProblemEntry* e = find_problem(name);
    if (e->parameters.empty() || allowed.count(e->table)) continue;
    auto& keys = allowed[e->table];
    for (const auto& p : e->parameters) keys.push_back(p.key);
  }
  return allowed;
}

void check_keys(const toml::table& root) {
  const auto allowed = allowed_keys();
  std::string tables;
  for (const auto& [name, keys] : allowed) tables += (tables.empty() ? "[" : ", [") + name + "]";
  for (const auto& [k, v] : root) {
    const std::string table(k.str());
    if (!v.is_table()) {
      // A key before the first [table] header (or a table written as a key): say where it belongs.
      std::string owner;
      for (const auto& [name, keys] : allowed)
        if (std::find(keys.begin(), keys.end(), table) != keys.end())
          owner += (owner.empty() ? "[" : " or [") + name + "]";
      throw ConfigError("config: '" + table + "' is outside any table" +
                        (owner.empty() ? "" : "; it belongs under " + owner) + " (tables: " + tables + ")");
    }
    auto it = allowed.find(table);
    if (it == allowed.end()) throw ConfigError("config: unknown table [" + table + "]; known tables: " + tables);
    for (const auto& [kk, vv] : *v.as_table()) {
      const std::string key(kk.str());
      if (std::find(it->second.begin(), it->second.end(), key) == it->second.end()) {
        std::string keys;
        for (const auto& name : it->second) keys += (keys.empty() ? "" : ", ") + name;
        throw ConfigError("config: unknown key '" + key + "' in [" + table + "]; known keys: " + keys);
      }
    }
  }
}

/// A TOML float in the shortest form that reads back to the same double (0.03, not 0.0299999...).
std::string toml_float(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

std::string toml_string(const std::string& v) {
  std::string s = "\"";
  for (const unsigned char c : v) {
    if (c == '"' || c == '\\')
      s += std::string("\\") + static_cast<char>(c);
    else if (c < 0x20 || c == 0x7f)
      s += fmt::format("\\u{:04X}", c);
    else
      s += static_cast<char>(c);
  }
  return s + "\"";
}

std::string toml_int(long v) {
  return std::to_string(v);
}
std::string toml_bool(bool v) {
  return v ? "true" : "false";
}

}  // namespace

MgritCycle parse_cycle_setting(const std::string& name, const std::string& value) {
  try {
    return parse_mgrit_cycle(value);
  } catch (const std::invalid_argument&) {
    throw ConfigError(name + " must be V or F (got '" + value + "')");
  }
}

bool parse_residual_setting(const std::string& name, const std::string& value) {
  if (value == "absolute") return false;
  if (value == "relative") return true;
  throw ConfigError(name + " must be absolute or relative (got '" + value + "')");
}

std::optional<double> parse_initial_guess(const std::string& name, const std::string& value) {
  if (value == "coarse") return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(value.c_str(), &end);
  if (value.empty() || end != value.c_str() + value.size() || !std::isfinite(v))
    throw ConfigError(name + " must be 'coarse' (the coarse sweep) or a finite number (got '" + value + "')");
  return v;
}

namespace {

void read_propagator(const toml::table& root, const char* table, PropagatorChoice& p, std::set<std::string>& given) {
  for (const char* key : {"method", "steps", "rannacher_half_steps", "adi_theta"})
    if (root.at_path(std::string(table) + "." + key)) given.insert(std::string(table) + "." + key);
  std::string method = to_string(p.integrator.method);
  read(root, table, "method", method);
  try {
    p.integrator.method = parse_integrator(method);
  } catch (const std::invalid_argument& e) {
    throw ConfigError(std::string("config: [") + table + "].method: " + e.what());
  }
  read(root, table, "steps", p.integrator.steps);
  read(root, table, "rannacher_half_steps", p.integrator.rannacher_half_steps);
  read(root, table, "adi_theta", p.integrator.adi_theta);
  read(root, table, "adi_mu", p.integrator.adi_mu);
  SdcSettings& sdc = p.integrator.sdc;
  read(root, table, "sdc_nodes", sdc.nodes);
  read(root, table, "sdc_quadrature", sdc.quadrature);
  read(root, table, "sdc_distribution", sdc.distribution);
  read(root, table, "sdc_qdelta", sdc.qdelta);
  read(root, table, "sdc_sweeps", sdc.sweeps);
  read(root, table, "sdc_initial_guess", sdc.initial_guess);
  read(root, table, "sdc_end_value", sdc.end_value);
  read(root, table, "sdc_imex", sdc.imex);
  read(root, table, "sdc_node_ranks", sdc.node_ranks);
  read(root, table, "space", p.space);
  if (std::string(table) == "coarse") {
    read(root, table, "model", p.model);
    read(root, table, "correction_steps", p.correction_steps);
  }
}

}  // namespace

RunConfig load_config_file(const std::string& path, RunConfig c) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0)
    throw ConfigError("config file '" + path +
                      "' does not exist (or cannot be reached): check the path given to --config");
  if (S_ISDIR(st.st_mode)) throw ConfigError("config file '" + path + "' is a directory; give --config a TOML file");
  // Opening a FIFO without a writer blocks for ever: only regular files are read.
  if (!S_ISREG(st.st_mode))
    throw ConfigError("config file '" + path +
                      "' is not a regular file (a FIFO or a device); write the configuration "
                      "to a file and give --config that");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError("config file '" + path + "' cannot be read (permissions?)");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config_text(text.str(), "config file '" + path + "'", std::move(c));
}

RunConfig parse_config_text(const std::string& text, const std::string& source, RunConfig c) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << source << ": " << e.description() << " (line " << e.source().begin.line << ", column "
        << e.source().begin.column << ")";
    throw ConfigError(msg.str());
  }
  check_keys(root);
  read(root, "problem", "kind", c.problem);
  std::string option = c.black_scholes.type == OptionType::Call ? "call" : "put";
  read(root, "black_scholes", "option", option);
  if (option != "call" && option != "put")
    throw ConfigError("config: [black_scholes].option must be \"call\" or \"put\" (got \"" + option + "\")");
  c.black_scholes.type = option == "call" ? OptionType::Call : OptionType::Put;
  read(root, "black_scholes", "s_max", c.black_scholes.s_max);
  read(root, "black_scholes", "ds", c.black_scholes.ds);
  read(root, "black_scholes", "strike", c.black_scholes.strike);
  read(root, "black_scholes", "rate", c.black_scholes.rate);
  read(root, "black_scholes", "sigma", c.black_scholes.sigma);
  read(root, "black_scholes", "maturity", c.black_scholes.maturity);
  read(root, "heat", "alpha", c.heat.alpha);
  read(root, "heat", "length", c.heat.length);
  read(root, "heat", "intervals", c.heat.intervals);
  read(root, "heat", "mode", c.heat.mode);
  read(root, "heat", "t_end", c.heat.t_end);
  if (const toml::array* arr = root.at_path("dahlquist.lambdas").as_array()) {
    c.dahlquist_lambdas.clear();
    for (const auto& el : *arr) {
      auto v = el.value<double>();
      if (!v) throw ConfigError("config: [dahlquist].lambdas must be an array of numbers");
      c.dahlquist_lambdas.push_back(*v);
    }
  } else if (root.at_path("dahlquist.lambdas")) {
    throw ConfigError("config: [dahlquist].lambdas must be an array of numbers");
  }
  read(root, "dahlquist", "y0", c.dahlquist_y0);
  read(root, "dahlquist", "t_end", c.dahlquist_t_end);
  for (const std::string& name : problem_names()) {  // registered problems' declared parameters
    const ProblemEntry* e = find_problem(name);
    const toml::table* t = root[e->table].as_table();
    if (e->parameters.empty() || !t) continue;
    for (const auto& [k, v] : *t) {
      const std::string key(k.str());
      std::optional<double> value;
      const ProblemParameter* spec = nullptr;
      for (const auto& p : e->parameters)
        if (p.key == key) spec = &p;
      if (auto i = v.value_exact<int64_t>())
        value = static_cast<double>(*i);
      else if (auto f = v.value_exact<double>())
        value = *f;
      else if (auto choice = v.value_exact<std::string>(); choice && spec && !spec->choices.empty()) {
        try {
          value = parameter_choice(*spec, *choice, "config: [" + e->table + "]");
        } catch (const std::invalid_argument& err) {
          throw ConfigError(err.what());
        }
      }
      if (!value)
        throw ConfigError(fmt::format("config: [{}].{} must be {}, not {}", e->table, key,
                                      spec && !spec->choices.empty() ? "one of its names (a string)" : "a number",
                                      type_name(v.type())));
      c.problem_values[e->table][key] = *value;
    }
  }
  read_propagator(root, "fine", c.fine, c.given);
  read_propagator(root, "coarse", c.coarse, c.given);
  read(root, "parareal", "slices", c.parareal.slices);
  read(root, "parareal", "max_iterations", c.parareal.max_iterations);
  read(root, "parareal", "tolerance", c.parareal.tolerance);
  read(root, "parareal", "batch_fine", c.parareal.batch_fine);
  read(root, "algorithm", "kind", c.algorithm);
  read(root, "coarse_correction", "kind", c.correction.kind);
  read(root, "coarse_correction", "basis_cap", c.correction.basis_cap);
  read(root, "coarse_correction", "rank_tolerance", c.correction.rank_tolerance);
  read(root, "coarse_correction", "smoothness", c.correction.smoothness);
  read(root, "coarse_correction", "coarse_powers", c.correction.coarse_powers);
  read(root, "coarse_correction", "neurons", c.correction.neurons);
  read(root, "coarse_correction", "neighbours", c.correction.neighbours);
  read(root, "coarse_correction", "ridge", c.correction.ridge);
  read(root, "coarse_correction", "seed", c.correction.seed);
  read(root, "mgrit", "levels", c.mgrit.levels);
  read(root, "mgrit", "cfactor", c.mgrit.cfactor);
  read(root, "mgrit", "cfactor0", c.mgrit.cfactor0);
  read(root, "mgrit", "nu", c.mgrit.nu);
  read(root, "mgrit", "skip", c.mgrit.skip);
  read(root, "mgrit", "min_coarse", c.mgrit.min_coarse);
  std::string word = to_string(c.mgrit.cycle);
  read(root, "mgrit", "cycle", word);
  c.mgrit.cycle = parse_cycle_setting("[mgrit].cycle", word);
  word = c.mgrit.relative ? "relative" : "absolute";
  read(root, "mgrit", "residual", word);
  c.mgrit.relative = parse_residual_setting("[mgrit].residual", word);
  if (const toml::node* g = root.at_path("mgrit.initial_guess").node()) {
    if (auto v = g->value_exact<std::string>())
      c.mgrit.initial_guess = parse_initial_guess("[mgrit].initial_guess", *v);
    else if (auto d = g->value<double>())
      c.mgrit.initial_guess = parse_initial_guess("[mgrit].initial_guess", toml_float(*d));
    else
      throw ConfigError(std::string("config: [mgrit].initial_guess must be \"coarse\" or a number, not ") +
                        type_name(g->type()));
  }
  read(root, "output", "json", c.json_path);
  read(root, "output", "compare_serial", c.compare_serial);
  read(root, "output", "file", c.output_path);
  read(root, "output", "checkpoint", c.checkpoint_path);
  std::string iterations = c.output_all_iterations ? "all" : "last";
  read(root, "output", "iterations", iterations);
  if (iterations != "all" && iterations != "last")
    throw ConfigError("config: [output].iterations must be \"all\" or \"last\" (got \"" + iterations + "\")");
  c.output_all_iterations = iterations == "all";
  return c;
}

void validate(const RunConfig& c) {
  auto wrap = [](const std::string& where, auto&& fn) {
    try {
      fn();
    } catch (const ConfigError&) {
      throw;
    } catch (const std::exception& e) {
      throw ConfigError(where.empty() ? std::string(e.what()) : where + ": " + e.what());
    }
  };
  // The problems' own messages already name the problem ("black-scholes: sigma must be positive").
  if (c.problem == "black-scholes")
    wrap("", [&] { validate(c.black_scholes); });
  else if (c.problem == "heat")
    wrap("", [&] { validate(c.heat); });
  else if (c.problem == "dahlquist") {
    if (c.dahlquist_lambdas.empty()) throw ConfigError("dahlquist: lambdas must not be empty");
    for (double l : c.dahlquist_lambdas)
      if (!std::isfinite(l))
        throw ConfigError("dahlquist: every lambda must be a finite number (got " + toml_float(l) + ")");
    if (!std::isfinite(c.dahlquist_y0)) throw ConfigError("dahlquist: y0 must be a finite number");
    if (!(c.dahlquist_t_end > 0) || !std::isfinite(c.dahlquist_t_end))
      throw ConfigError("dahlquist: t_end must be a positive finite number");
  } else if (const ProblemEntry* e = find_problem(c.problem); !e) {
    const std::string names = problem_names().empty() ? "black-scholes, heat or dahlquist" : problem_names_text();
    throw ConfigError("unknown problem '" + c.problem + "'; use " + names);
  }
  // Every given table of a registered problem: its keys declared, its values in range.
  for (const auto& entry : c.problem_values) {  // (not a structured binding: a lambda below uses it)
    const std::string& table = entry.first;
    const ProblemEntry* e = find_problem_table(table);
    if (!e || e->parameters.empty())
      throw ConfigError("[" + table + "] is not the table of a problem with declared parameters");
    wrap("", [&] { parameters_from(*e, entry.second, "[" + table + "]"); });
  }
  wrap("fine", [&] { validate(c.fine.integrator); });
  if (c.coarse.model != "numerical" && c.coarse.model.rfind("torchscript:", 0) != 0 &&
      c.coarse.model.rfind("pinn:", 0) != 0 && c.coarse.model != "pinn" && c.coarse.model != "data")
    throw ConfigError("coarse model '" + c.coarse.model +
                      "' is unknown; use numerical, pinn, data, pinn:FILE or torchscript:FILE");
  if (c.coarse.model.rfind("torchscript:", 0) == 0 && c.coarse.model.size() == std::string("torchscript:").size())
    throw ConfigError("coarse model torchscript: needs a file, e.g. --coarse torchscript:model.pt");
  if (c.coarse.correction_steps < 1)
    throw ConfigError("coarse correction_steps must be at least 1 (got " + std::to_string(c.coarse.correction_steps) +
                      ")");
  wrap("coarse", [&] { validate(c.coarse.integrator); });
  if (c.coarse.integrator.sdc.node_ranks != 1)
    throw ConfigError(
        "coarse: SDC node ranks apply to the fine propagator only (the coarse one runs on every node rank alike); "
        "drop --coarse-sdc-node-ranks");
  wrap("parareal", [&] { validate(c.parareal); });
  if (!find_algorithm(c.algorithm))
    throw ConfigError("unknown algorithm '" + c.algorithm + "'; use " + algorithm_names_text() +
                      " (--algorithm or [algorithm].kind)");
  wrap("[mgrit]", [&] { validate(c.mgrit); });
  wrap("[coarse_correction]", [&] { validate(c.correction); });
  if (c.correction.kind != "none" && c.algorithm != "parareal")
    throw ConfigError("a coarse correction (" + c.correction.kind +
                      ") works with --algorithm parareal; the algorithm is " + c.algorithm +
                      ": drop --coarse-correction or use parareal");
  wrap("fine space", [&] { resolve_space(c.fine.space); });
  wrap("coarse space", [&] { resolve_space(c.coarse.space); });
  if (!c.output_path.empty() && !c.json_path.empty() && c.output_path == c.json_path)
    throw ConfigError("--output and --json name the same file '" + c.output_path + "'");
}

std::vector<Setting> settings_of(const RunConfig& c, bool flag_only) {
  std::string lambdas = "[";
  for (std::size_t i = 0; i < c.dahlquist_lambdas.size(); ++i)
    lambdas += (i ? ", " : "") + toml_float(c.dahlquist_lambdas[i]);
  lambdas += "]";
  const auto& bs = c.black_scholes;
  std::vector<Setting> s = {
      {"problem", "kind", toml_string(c.problem)},
      {"black_scholes", "option", toml_string(bs.type == OptionType::Call ? "call" : "put")},
      {"black_scholes", "s_max", toml_float(bs.s_max)},
      {"black_scholes", "ds", toml_float(bs.ds)},
      {"black_scholes", "strike", toml_float(bs.strike)},
      {"black_scholes", "rate", toml_float(bs.rate)},
      {"black_scholes", "sigma", toml_float(bs.sigma)},
      {"black_scholes", "maturity", toml_float(bs.maturity)},
      {"heat", "alpha", toml_float(c.heat.alpha)},
      {"heat", "length", toml_float(c.heat.length)},
      {"heat", "intervals", toml_int(c.heat.intervals)},
      {"heat", "mode", toml_int(c.heat.mode)},
      {"heat", "t_end", toml_float(c.heat.t_end)},
      {"dahlquist", "lambdas", lambdas},
      {"dahlquist", "y0", toml_float(c.dahlquist_y0)},
      {"dahlquist", "t_end", toml_float(c.dahlquist_t_end)},
  };
  // The selected registered problem's declared parameters, every one (given or default): a restart
  // compares them, and --print-config shows what the run uses.
  if (const ProblemEntry* e = find_problem(c.problem); e && !e->parameters.empty()) {
    const auto given = c.problem_values.find(e->table);
    for (const auto& p : e->parameters) {
      double v = p.default_value;
      if (given != c.problem_values.end() && given->second.count(p.key)) v = given->second.at(p.key);
      s.push_back({e->table, p.key,
                   !p.choices.empty()                ? toml_string(parameter_text(p, v))
                   : p.integer && std::abs(v) < 1e15 ? toml_int(static_cast<long>(v))
                                                     : toml_float(v)});
    }
  }
  for (const auto* p : {&c.fine, &c.coarse}) {
    const char* table = p == &c.fine ? "fine" : "coarse";
    s.push_back({table, "method", toml_string(to_string(p->integrator.method))});
    s.push_back({table, "steps", toml_int(p->integrator.steps)});
    s.push_back({table, "rannacher_half_steps", toml_int(p->integrator.rannacher_half_steps)});
    s.push_back({table, "adi_theta", toml_float(p->integrator.adi_theta)});
    s.push_back({table, "adi_mu", toml_float(p->integrator.adi_mu)});
    const SdcSettings& sdc = p->integrator.sdc;
    s.push_back({table, "sdc_nodes", toml_int(sdc.nodes)});
    s.push_back({table, "sdc_quadrature", toml_string(sdc.quadrature)});
    s.push_back({table, "sdc_distribution", toml_string(sdc.distribution)});
    s.push_back({table, "sdc_qdelta", toml_string(sdc.qdelta)});
    s.push_back({table, "sdc_sweeps", toml_int(sdc.sweeps)});
    s.push_back({table, "sdc_initial_guess", toml_string(sdc.initial_guess)});
    s.push_back({table, "sdc_end_value", toml_string(sdc.end_value)});
    s.push_back({table, "sdc_imex", toml_string(sdc.imex)});
    s.push_back({table, "sdc_node_ranks", toml_int(sdc.node_ranks)});
    s.push_back({table, "space", toml_string(p->space)});
  }
  s.push_back({"coarse", "model", toml_string(c.coarse.model)});
  s.push_back({"coarse", "correction_steps", toml_int(c.coarse.correction_steps)});
  s.push_back({"parareal", "slices", toml_int(c.parareal.slices)});
  s.push_back({"parareal", "max_iterations", toml_int(c.parareal.max_iterations)});
  s.push_back({"parareal", "tolerance", toml_float(c.parareal.tolerance)});
  s.push_back({"parareal", "batch_fine", toml_bool(c.parareal.batch_fine)});
  s.push_back({"algorithm", "kind", toml_string(c.algorithm)});
  s.push_back({"coarse_correction", "kind", toml_string(c.correction.kind)});
  s.push_back({"coarse_correction", "basis_cap", toml_int(c.correction.basis_cap)});
  s.push_back({"coarse_correction", "rank_tolerance", toml_float(c.correction.rank_tolerance)});
  s.push_back({"coarse_correction", "smoothness", toml_float(c.correction.smoothness)});
  s.push_back({"coarse_correction", "coarse_powers", toml_int(c.correction.coarse_powers)});
  s.push_back({"coarse_correction", "neurons", toml_int(c.correction.neurons)});
  s.push_back({"coarse_correction", "neighbours", toml_int(c.correction.neighbours)});
  s.push_back({"coarse_correction", "ridge", toml_float(c.correction.ridge)});
  s.push_back({"coarse_correction", "seed", toml_int(c.correction.seed)});
  s.push_back({"mgrit", "levels", toml_int(c.mgrit.levels)});
  s.push_back({"mgrit", "cfactor", toml_int(c.mgrit.cfactor)});
  s.push_back({"mgrit", "cfactor0", toml_int(c.mgrit.cfactor0)});
  s.push_back({"mgrit", "nu", toml_int(c.mgrit.nu)});
  s.push_back({"mgrit", "cycle", toml_string(to_string(c.mgrit.cycle))});
  s.push_back({"mgrit", "skip", toml_bool(c.mgrit.skip)});
  s.push_back({"mgrit", "min_coarse", toml_int(c.mgrit.min_coarse)});
  s.push_back({"mgrit", "residual", toml_string(c.mgrit.relative ? "relative" : "absolute")});
  s.push_back(
      {"mgrit", "initial_guess", c.mgrit.initial_guess ? toml_float(*c.mgrit.initial_guess) : toml_string("coarse")});
  s.push_back({"output", "json", toml_string(c.json_path)});
  s.push_back({"output", "compare_serial", toml_bool(c.compare_serial)});
  s.push_back({"output", "file", toml_string(c.output_path)});
  s.push_back({"output", "iterations", toml_string(c.output_all_iterations ? "all" : "last")});
  s.push_back({"output", "checkpoint", toml_string(c.checkpoint_path)});
  if (flag_only) {
    s.push_back({"", "--restart", toml_string(c.restart_path)});
    s.push_back({"", "--overwrite", toml_bool(c.overwrite)});
    s.push_back({"", "--allow-unstable", toml_bool(c.allow_unstable)});
    s.push_back({"", "--pinn-any-parameters", toml_bool(c.coarse.model_any_parameters)});
  }
  return s;
}

std::vector<std::string> differences(const std::vector<Setting>& a, const std::vector<Setting>& b,
                                     const std::string& a_name, const std::string& b_name,
                                     const std::vector<std::string>& ignore) {
  std::map<std::string, std::string> in_b;
  for (const auto& s : b) in_b[s.name()] = s.value;
  std::vector<std::string> out;
  for (const auto& s : a) {
    const std::string name = s.name();
    if (std::find(ignore.begin(), ignore.end(), name) != ignore.end()) continue;
    auto it = in_b.find(name);
    const std::string other = it == in_b.end() ? "(not set)" : it->second;
    if (other != s.value) out.push_back(name + " is " + s.value + " " + a_name + " but " + other + " " + b_name);
  }
  return out;
}

std::string model_file(const std::string& coarse_model) {
  for (const char* prefix : {"pinn:", "torchscript:"})
    if (coarse_model.rfind(prefix, 0) == 0) return coarse_model.substr(std::string(prefix).size());
  return "";
}

const std::vector<std::string>& restart_may_change() {
  static const std::vector<std::string> names = {"[parareal].max_iterations",
                                                 "[parareal].tolerance",
                                                 "[parareal].batch_fine",
                                                 "[fine].space",
                                                 "[fine].sdc_node_ranks",  // where the node solves run
                                                 "[coarse].space",
                                                 "[output].json",
                                                 "[output].compare_serial",
                                                 "[output].file",
                                                 "[output].iterations",
                                                 "[output].checkpoint"};
  return names;
}

void apply_problem_defaults(RunConfig& c) {
  const ProblemEntry* e = find_problem(c.problem);
  if (!e) return;
  for (auto [choice, d, table] :
       {std::tuple{&c.fine, &e->default_fine, "fine"}, std::tuple{&c.coarse, &e->default_coarse, "coarse"}}) {
    if (d->method.empty()) continue;
    const std::string t(table);
    if (!c.given.count(t + ".method")) choice->integrator.method = parse_integrator(d->method);
    if (!c.given.count(t + ".steps")) choice->integrator.steps = d->steps;
    if (!c.given.count(t + ".rannacher_half_steps")) choice->integrator.rannacher_half_steps = d->rannacher_half_steps;
    if (!c.given.count(t + ".adi_theta") && !c.given.count(t + ".method")) choice->integrator.adi_theta = d->adi_theta;
  }
}

ProblemParameters problem_parameters(const RunConfig& c) {
  const ProblemEntry* e = find_problem(c.problem);
  if (!e) throw ConfigError("unknown problem '" + c.problem + "'; use " + problem_names_text());
  if (!e->parameters.empty()) {
    const auto it = c.problem_values.find(e->table);
    try {
      return parameters_from(*e, it == c.problem_values.end() ? std::map<std::string, double>{} : it->second,
                             "[" + e->table + "]");
    } catch (const std::invalid_argument& err) {
      throw ConfigError(err.what());
    }
  }
  ProblemParameters p;
  for (const Setting& s : settings_of(c)) {
    if (s.table != e->table || s.value.empty()) continue;
    if (s.value.front() == '"') {
      p.texts[s.key] = s.value.substr(1, s.value.size() - 2);  // pint's own values need no unescaping
    } else if (s.value.front() == '[') {
      std::vector<double> list;
      std::istringstream in(s.value.substr(1, s.value.size() - 2));
      for (std::string item; std::getline(in, item, ',');) list.push_back(std::strtod(item.c_str(), nullptr));
      p.lists[s.key] = list;
    } else {
      p.values[s.key] = std::strtod(s.value.c_str(), nullptr);  // shortest round-trip form: the same double
    }
  }
  return p;
}

std::string to_toml(const RunConfig& c) {
  std::string out, table;
  for (const auto& s : settings_of(c)) {
    if (s.table != table) {
      out += (table.empty() ? "[" : "\n[") + s.table + "]\n";
      table = s.table;
    }
    out += s.key + " = " + s.value + "\n";
  }
  return out;
}

}  // namespace pint

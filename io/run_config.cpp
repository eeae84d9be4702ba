#include "io/run_config.hpp"

#include <toml++/toml.h>

#include <map>
#include <set>
#include <sstream>

#include "spaces/registry.hpp"

namespace pint {

namespace {

/// Reads [table].key of type T if present; a value of another type is an error naming the key.
template <class T>
void read(const toml::table& root, const char* table, const char* key, T& out) {
  const toml::node* node = root.at_path(std::string(table) + "." + key).node();
  if (!node) return;
  if constexpr (std::is_same_v<T, double>) {
    if (auto v = node->value<double>()) {  // integers are accepted for floats
      out = *v;
      return;
    }
  } else if constexpr (std::is_same_v<T, int>) {
    if (auto v = node->value<int64_t>()) {
      out = static_cast<int>(*v);
      return;
    }
  } else if constexpr (std::is_same_v<T, bool>) {
    if (auto v = node->value<bool>()) {
      out = *v;
      return;
    }
  } else {
    if (auto v = node->value<std::string>()) {
      out = *v;
      return;
    }
  }
  throw ConfigError(std::string("config: [") + table + "]." + key + " has the wrong type");
}

void check_keys(const toml::table& root) {
  static const std::map<std::string, std::set<std::string>> allowed = {
      {"problem", {"kind"}},
      {"black_scholes", {"option", "s_max", "ds", "strike", "rate", "sigma", "maturity"}},
      {"heat", {"alpha", "length", "intervals", "mode", "t_end"}},
      {"dahlquist", {"lambdas", "y0", "t_end"}},
      {"fine", {"method", "steps", "rannacher_half_steps", "space"}},
      {"coarse", {"method", "steps", "rannacher_half_steps", "space", "model", "correction_steps"}},
      {"parareal", {"slices", "max_iterations", "tolerance"}},
      {"output", {"json", "compare_serial", "file", "iterations", "checkpoint"}},
  };
  for (const auto& [k, v] : root) {
    const std::string table(k.str());
    auto it = allowed.find(table);
    if (it == allowed.end() || !v.is_table()) {
      std::string names;
      for (const auto& [name, keys] : allowed) names += (names.empty() ? "" : ", ") + name;
      throw ConfigError("config: unknown table [" + table + "]; known tables: " + names);
    }
    for (const auto& [kk, vv] : *v.as_table()) {
      if (!it->second.count(std::string(kk.str()))) {
        std::string keys;
        for (const auto& name : it->second) keys += (keys.empty() ? "" : ", ") + name;
        throw ConfigError("config: unknown key '" + std::string(kk.str()) + "' in [" + table +
                          "]; known keys: " + keys);
      }
    }
  }
}

void read_propagator(const toml::table& root, const char* table, PropagatorChoice& p) {
  std::string method = to_string(p.integrator.method);
  read(root, table, "method", method);
  try {
    p.integrator.method = parse_integrator(method);
  } catch (const std::invalid_argument& e) {
    throw ConfigError(std::string("config: [") + table + "].method: " + e.what());
  }
  read(root, table, "steps", p.integrator.steps);
  read(root, table, "rannacher_half_steps", p.integrator.rannacher_half_steps);
  read(root, table, "space", p.space);
  if (std::string(table) == "coarse") {
    read(root, table, "model", p.model);
    read(root, table, "correction_steps", p.correction_steps);
  }
}

}  // namespace

RunConfig load_config_file(const std::string& path, RunConfig c) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << "config file '" << path << "': " << e.description() << " (line " << e.source().begin.line << ", column "
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
  read_propagator(root, "fine", c.fine);
  read_propagator(root, "coarse", c.coarse);
  read(root, "parareal", "slices", c.parareal.slices);
  read(root, "parareal", "max_iterations", c.parareal.max_iterations);
  read(root, "parareal", "tolerance", c.parareal.tolerance);
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
      throw ConfigError(where + ": " + e.what());
    }
  };
  if (c.problem == "black-scholes")
    wrap("black_scholes", [&] { validate(c.black_scholes); });
  else if (c.problem == "heat")
    wrap("heat", [&] { validate(c.heat); });
  else if (c.problem == "dahlquist") {
    if (c.dahlquist_lambdas.empty()) throw ConfigError("dahlquist: lambdas must not be empty");
    if (!(c.dahlquist_t_end > 0)) throw ConfigError("dahlquist: t_end must be positive");
  } else {
    throw ConfigError("unknown problem '" + c.problem + "'; use black-scholes, heat or dahlquist");
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
  wrap("parareal", [&] { validate(c.parareal); });
  wrap("fine space", [&] { resolve_space(c.fine.space); });
  wrap("coarse space", [&] { resolve_space(c.coarse.space); });
  if (!c.output_path.empty() && !c.json_path.empty() && c.output_path == c.json_path)
    throw ConfigError("--output and --json name the same file '" + c.output_path + "'");
}

std::string to_toml(const RunConfig& c) {
  auto lambdas = toml::array{};
  for (double l : c.dahlquist_lambdas) lambdas.push_back(l);
  auto prop = [](const PropagatorChoice& p) {
    return toml::table{{"method", to_string(p.integrator.method)},
                       {"steps", p.integrator.steps},
                       {"rannacher_half_steps", p.integrator.rannacher_half_steps},
                       {"space", p.space}};
  };
  auto coarse = prop(c.coarse);
  coarse.insert("model", c.coarse.model);
  coarse.insert("correction_steps", c.coarse.correction_steps);
  toml::table t{
      {"problem", toml::table{{"kind", c.problem}}},
      {"black_scholes", toml::table{{"option", c.black_scholes.type == OptionType::Call ? "call" : "put"},
                                    {"s_max", c.black_scholes.s_max},
                                    {"ds", c.black_scholes.ds},
                                    {"strike", c.black_scholes.strike},
                                    {"rate", c.black_scholes.rate},
                                    {"sigma", c.black_scholes.sigma},
                                    {"maturity", c.black_scholes.maturity}}},
      {"heat", toml::table{{"alpha", c.heat.alpha},
                           {"length", c.heat.length},
                           {"intervals", c.heat.intervals},
                           {"mode", c.heat.mode},
                           {"t_end", c.heat.t_end}}},
      {"dahlquist", toml::table{{"lambdas", lambdas}, {"y0", c.dahlquist_y0}, {"t_end", c.dahlquist_t_end}}},
      {"fine", prop(c.fine)},
      {"coarse", coarse},
      {"parareal", toml::table{{"slices", c.parareal.slices},
                               {"max_iterations", c.parareal.max_iterations},
                               {"tolerance", c.parareal.tolerance}}},
      {"output", toml::table{{"json", c.json_path},
                             {"compare_serial", c.compare_serial},
                             {"file", c.output_path},
                             {"iterations", c.output_all_iterations ? "all" : "last"},
                             {"checkpoint", c.checkpoint_path}}},
  };
  std::ostringstream os;
  os << t << "\n";
  return os.str();
}

}  // namespace pint

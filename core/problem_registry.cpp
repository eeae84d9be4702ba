#include "core/problem_registry.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace pint {

namespace {

std::vector<ProblemEntry>& entries() {
  static std::vector<ProblemEntry> all;
  return all;
}

std::string number(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

}  // namespace

double ProblemParameters::get(const std::string& key) const {
  const auto it = values.find(key);
  if (it == values.end()) throw std::logic_error("problem parameter '" + key + "' was not declared");
  return it->second;
}

int ProblemParameters::get_int(const std::string& key) const {
  return static_cast<int>(get(key));
}

const std::string& ProblemParameters::text(const std::string& key) const {
  const auto it = texts.find(key);
  if (it == texts.end()) throw std::logic_error("problem parameter '" + key + "' (text) was not given");
  return it->second;
}

const std::vector<double>& ProblemParameters::list(const std::string& key) const {
  const auto it = lists.find(key);
  if (it == lists.end()) throw std::logic_error("problem parameter '" + key + "' (list) was not given");
  return it->second;
}

void register_problem(ProblemEntry entry) {
  if (entry.name.empty() || entry.table.empty() || !entry.make)
    throw std::invalid_argument("register_problem: a problem needs a name, a table and a factory");
  for (const ProblemEntry& e : entries())
    if (e.name == entry.name || e.table == entry.table)
      throw std::invalid_argument("register_problem: the name '" + entry.name + "' or table [" + entry.table +
                                  "] is taken by problem '" + e.name + "'");
  entries().push_back(std::move(entry));
}

const ProblemEntry* find_problem(const std::string& name) {
  for (const ProblemEntry& e : entries())
    if (e.name == name) return &e;
  return nullptr;
}

const ProblemEntry* find_problem_table(const std::string& table) {
  for (const ProblemEntry& e : entries())
    if (e.table == table) return &e;
  return nullptr;
}

std::vector<std::string> problem_names() {
  std::vector<std::string> out;
  for (const ProblemEntry& e : entries()) out.push_back(e.name);
  return out;
}

std::string problem_names_text() {
  const auto names = problem_names();
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  return out;
}

double parameter_choice(const ProblemParameter& p, const std::string& text, const std::string& where) {
  for (std::size_t i = 0; i < p.choices.size(); ++i)
    if (p.choices[i] == text) return static_cast<double>(i);
  std::string names;
  for (const auto& c : p.choices) names += (names.empty() ? "" : ", ") + c;
  throw std::invalid_argument(where + ": " + p.key + " '" + text + "' is not one of " +
                              (names.empty() ? std::string("its values (it is a number)") : names));
}

std::string parameter_text(const ProblemParameter& p, double v) {
  if (!p.choices.empty() && v >= 0 && v < p.choices.size() && v == std::floor(v)) return p.choices[std::size_t(v)];
  return number(v);
}

ProblemParameters parameters_from(const ProblemEntry& entry, const std::map<std::string, double>& given,
                                  const std::string& where) {
  ProblemParameters p;
  for (const auto& [key, value] : given) {
    const ProblemParameter* spec = nullptr;
    for (const auto& s : entry.parameters)
      if (s.key == key) spec = &s;
    if (!spec) {
      std::string keys;
      for (const auto& s : entry.parameters) keys += (keys.empty() ? "" : ", ") + s.key;
      throw std::invalid_argument(where + ": problem " + entry.name + " has no parameter '" + key +
                                  "'; its parameters are " + keys);
    }
    if (!spec->choices.empty() && !(value >= 0 && value < spec->choices.size() && value == std::floor(value)))
      parameter_choice(*spec, number(value), where + ": problem " + entry.name);  // throws, naming the choices
    if (!std::isfinite(value) || value < spec->min || value > spec->max)
      throw std::invalid_argument(where + ": " + entry.name + " " + key + " = " + number(value) +
                                  " is out of range; it must be in [" + number(spec->min) + ", " + number(spec->max) +
                                  "] (" + spec->help + ")");
    if (spec->integer && value != std::floor(value))
      throw std::invalid_argument(where + ": " + entry.name + " " + key + " = " + number(value) +
                                  " must be a whole number (" + spec->help + ")");
  }
  for (const auto& s : entry.parameters) {
    const auto it = given.find(s.key);
    p.values[s.key] = it != given.end() ? it->second : s.default_value;
  }
  return p;
}

}  // namespace pint

#pragma once
/// \file
/// Problems by name: what `pint run --problem NAME` and the [table] of a configuration file look up.
/// Nothing here needs Kokkos (the configuration parser reads the declared parameters), so the registry is
/// its own small library. Registration is explicit (register_problem, or pint's own through
/// register_builtin_problems in models/), never a static initialiser: those are dropped by the linker
/// from a static library that nothing else references.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace pint {

class Problem;

/// A numeric parameter of a problem, as `[table] key = value` in a configuration file or `--param key=value`.
struct ProblemParameter {
  std::string key;
  double default_value = 0.0;
  std::string help;
  bool integer = false;  ///< must be a whole number (a grid size, a mode)
  double min = -1e300;   ///< accepted range, inclusive
  double max = 1e300;
  /// A named choice (a payoff, a mesh): the value is the index of the name, given by name in a table, with
  /// --param or with the flag. Empty: a number.
  std::vector<std::string> choices = {};
  /// Its own command-line flag (e.g. "--spot1"), "" for none (--param and the table only). Flags that
  /// several problems declare (--strike) set the selected problem's parameter.
  std::string flag = {};
};

/// A problem's own choice of propagator where the configuration names none (the ADI family for a 2-D
/// problem with a mixed derivative); an empty method keeps pint's defaults.
struct DefaultPropagator {
  std::string method;
  int steps = 0;
  int rannacher_half_steps = 0;
  double adi_theta = 0.0;  ///< 0: the scheme's default
};

/// The values a problem is made from: every declared parameter (given or default), and for pint's
/// original problems, whose configuration tables predate the registry, also text and list values.
class ProblemParameters {
 public:
  double get(const std::string& key) const;
  int get_int(const std::string& key) const;
  const std::string& text(const std::string& key) const;
  const std::vector<double>& list(const std::string& key) const;
  std::map<std::string, double> values;
  std::map<std::string, std::string> texts;
  std::map<std::string, std::vector<double>> lists;
};

struct ProblemEntry {
  std::string name;     ///< --problem NAME
  std::string table;    ///< [table] of a configuration file
  std::string summary;  ///< one line for --help and error messages
  /// Declared numeric parameters, read and range-checked by the configuration parser. Empty for problems
  /// whose table the configuration parser knows itself (black-scholes, heat, dahlquist).
  std::vector<ProblemParameter> parameters;
  std::function<std::shared_ptr<const Problem>(const ProblemParameters&)> make;
  DefaultPropagator default_fine = {}, default_coarse = {};
};

/// Adds a problem; throws std::invalid_argument for an empty or taken name or table, or no factory.
void register_problem(ProblemEntry entry);
/// The entry of `name`, or nullptr.
const ProblemEntry* find_problem(const std::string& name);
/// The entry whose table is `table`, or nullptr.
const ProblemEntry* find_problem_table(const std::string& table);
/// Registered names, in registration order.
std::vector<std::string> problem_names();
/// "a, b or c": the names for messages.
std::string problem_names_text();

/// The index of `text` among p's choices; throws std::invalid_argument naming the choices.
double parameter_choice(const ProblemParameter& p, const std::string& text, const std::string& where);
/// The name or number of value v of p, for printing (a choice's name, else the number).
std::string parameter_text(const ProblemParameter& p, double v);

/// The parameters of `entry` from `given` (key -> value), defaults for the rest; throws
/// std::invalid_argument naming a key that is not declared or a value out of range or not whole.
ProblemParameters parameters_from(const ProblemEntry& entry, const std::map<std::string, double>& given,
                                  const std::string& where);

}  // namespace pint

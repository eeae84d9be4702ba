#include "problem_factory.hpp"

#include "core/problem_registry.hpp"
#include "models/builtin_problems.hpp"

namespace pint {

std::shared_ptr<const Problem> make_problem(const RunConfig& c) {
  register_builtin_problems();
  const ProblemEntry* e = find_problem(c.problem);
  if (!e) throw ConfigError("unknown problem '" + c.problem + "'; use " + problem_names_text());
  return e->make(problem_parameters(c));
}

}  // namespace pint

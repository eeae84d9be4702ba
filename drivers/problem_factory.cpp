#include "problem_factory.hpp"

#include "models/black_scholes.hpp"
#include "models/dahlquist.hpp"
#include "models/heat1d.hpp"

namespace pint {

std::shared_ptr<const Problem> make_problem(const RunConfig& c) {
  if (c.problem == "black-scholes") return std::make_shared<BlackScholesProblem>(c.black_scholes);
  if (c.problem == "heat") return std::make_shared<HeatProblem>(c.heat);
  if (c.problem == "dahlquist")
    return std::make_shared<DahlquistProblem>(c.dahlquist_lambdas, c.dahlquist_y0, c.dahlquist_t_end);
  throw ConfigError("unknown problem '" + c.problem + "'; use black-scholes, heat or dahlquist");
}

}  // namespace pint

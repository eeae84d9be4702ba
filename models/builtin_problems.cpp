#include "models/builtin_problems.hpp"

#include <mutex>

#include "core/problem_registry.hpp"
#include "models/allen_cahn.hpp"
#include "models/black_scholes.hpp"
#include "models/black_scholes_2d.hpp"
#include "models/burgers.hpp"
#include "models/dahlquist.hpp"
#include "models/diffusion_reaction.hpp"
#include "models/examples/fisher_kpp.hpp"
#include "models/heat1d.hpp"
#include "models/heat2d.hpp"
#include "models/xbraid_heat.hpp"

namespace pint {

namespace {

/// The original three: their tables are read by the configuration parser itself (typed fields of
/// RunConfig), and reach the factory as the table's values (io/problem_parameters.hpp).
std::vector<ProblemEntry> original_problems() {
  ProblemEntry bs{"black-scholes", "black_scholes", "European call or put under Black-Scholes (seed 000)", {}, {}};
  bs.make = [](const ProblemParameters& p) -> std::shared_ptr<const Problem> {
    BlackScholesParams b;
    b.type = p.text("option") == "put" ? OptionType::Put : OptionType::Call;
    b.s_max = p.get("s_max");
    b.ds = p.get("ds");
    b.strike = p.get("strike");
    b.rate = p.get("rate");
    b.sigma = p.get("sigma");
    b.maturity = p.get("maturity");
    return std::make_shared<BlackScholesProblem>(b);
  };
  ProblemEntry heat{"heat", "heat", "heat equation u_t = alpha u_xx, one sine mode (closed form)", {}, {}};
  heat.make = [](const ProblemParameters& p) -> std::shared_ptr<const Problem> {
    HeatParams h;
    h.alpha = p.get("alpha");
    h.length = p.get("length");
    h.intervals = p.get_int("intervals");
    h.mode = p.get_int("mode");
    h.t_end = p.get("t_end");
    return std::make_shared<HeatProblem>(h);
  };
  ProblemEntry dq{"dahlquist", "dahlquist", "Dahlquist y' = lambda y for several lambdas", {}, {}};
  dq.make = [](const ProblemParameters& p) -> std::shared_ptr<const Problem> {
    return std::make_shared<DahlquistProblem>(p.list("lambdas"), p.get("y0"), p.get("t_end"));
  };
  return {bs, heat, dq};
}

}  // namespace

void register_builtin_problems() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (auto& e : original_problems()) register_problem(std::move(e));
    register_problem(Heat2dProblem::entry());
    register_problem(AllenCahnProblem::entry());
    register_problem(BurgersProblem::entry());
    register_problem(examples::fisher_kpp_entry());
    register_problem(xbraid_heat_entry());
    register_problem(DiffusionReactionProblem::entry());
    register_problem(BlackScholes2dProblem::entry());
  });
}

}  // namespace pint

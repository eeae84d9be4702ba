// An outside program using the installed pint: prices the call with Parareal and checks the answer.
#include <cmath>
#include <cstdio>

#include "core/parareal.hpp"
#include "models/black_scholes.hpp"
#include "models/make_propagator.hpp"
#include "spaces/registry.hpp"
#include "spaces/runtime.hpp"

int main(int argc, char** argv) {
  pint::Runtime runtime(argc, argv);
  pint::BlackScholesParams p;
  p.s_max = 400.0;
  auto problem = std::make_shared<pint::BlackScholesProblem>(p);
  auto F = pint::make_propagator(problem, {pint::Integrator::CrankNicolson, 50, 4}, pint::resolve_space("host"));
  auto G = pint::make_propagator(problem, {pint::Integrator::ImplicitEuler, 5, 0}, pint::resolve_space("serial"));
  const pint::State u0 = problem->initial_state();
  const auto r = pint::Parareal(*F, *G, pint::PararealConfig{8, 8, 1e-10, false}).run(u0.values, 0.0, 1.0);
  const double v = r.boundaries[8](100);  // S = K = 100
  const double exact = pint::black_scholes_price(pint::OptionType::Call, 100.0, 100.0, 0.03, 0.4, 1.0);
  std::printf("consumer: V(S=100) = %.6f, closed form %.6f, %d iterations\n", v, exact, r.iterations);
  return std::abs(v - exact) < 1e-2 ? 0 : 1;
}

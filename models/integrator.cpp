#include "models/integrator.hpp"

#include <stdexcept>

namespace pint {

std::string to_string(Integrator method) {
  switch (method) {
    case Integrator::ExplicitEuler:
      return "explicit-euler";
    case Integrator::RK4:
      return "rk4";
    case Integrator::ImplicitEuler:
      return "implicit-euler";
    case Integrator::CrankNicolson:
      return "crank-nicolson";
    case Integrator::AdiDouglas:
      return "adi-douglas";
    case Integrator::AdiPeacemanRachford:
      return "adi-peaceman-rachford";
  }
  return "unknown";
}

Integrator parse_integrator(const std::string& name) {
  if (name == "explicit-euler" || name == "ee") return Integrator::ExplicitEuler;
  if (name == "rk4") return Integrator::RK4;
  if (name == "implicit-euler" || name == "ie") return Integrator::ImplicitEuler;
  if (name == "crank-nicolson" || name == "cn") return Integrator::CrankNicolson;
  if (name == "adi-douglas" || name == "douglas") return Integrator::AdiDouglas;
  if (name == "adi-peaceman-rachford" || name == "peaceman-rachford") return Integrator::AdiPeacemanRachford;
  std::string names;
  for (Integrator m : all_integrators()) names += (names.empty() ? "" : ", ") + to_string(m);
  throw std::invalid_argument("unknown integrator '" + name + "'; use one of " + names);
}

const std::vector<Integrator>& all_integrators() {
  static const std::vector<Integrator> all{Integrator::ExplicitEuler, Integrator::RK4,
                                           Integrator::ImplicitEuler, Integrator::CrankNicolson,
                                           Integrator::AdiDouglas,    Integrator::AdiPeacemanRachford};
  return all;
}

bool needs_split(Integrator method) {
  return method == Integrator::AdiDouglas || method == Integrator::AdiPeacemanRachford;
}

void validate(const IntegratorConfig& c) {
  if (c.steps < 1)
    throw std::invalid_argument("steps per slice must be at least 1 (got " + std::to_string(c.steps) + ")");
  if (c.rannacher_half_steps < 0 || c.rannacher_half_steps % 2 != 0)
    throw std::invalid_argument("Rannacher half-steps must be an even number >= 0 (got " +
                                std::to_string(c.rannacher_half_steps) + ")");
  const bool starts = c.method == Integrator::CrankNicolson || needs_split(c.method);
  if (starts && c.rannacher_half_steps / 2 > c.steps)
    throw std::invalid_argument("Rannacher start-up replaces " + std::to_string(c.rannacher_half_steps / 2) + " " +
                                to_string(c.method) + " steps but a slice has only " + std::to_string(c.steps) +
                                "; lower rannacher_half_steps or raise the steps");
}

}  // namespace pint

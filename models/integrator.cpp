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
  }
  return "unknown";
}

Integrator parse_integrator(const std::string& name) {
  if (name == "explicit-euler" || name == "ee") return Integrator::ExplicitEuler;
  if (name == "rk4") return Integrator::RK4;
  if (name == "implicit-euler" || name == "ie") return Integrator::ImplicitEuler;
  if (name == "crank-nicolson" || name == "cn") return Integrator::CrankNicolson;
  throw std::invalid_argument("unknown integrator '" + name +
                              "'; use one of explicit-euler, rk4, implicit-euler, crank-nicolson");
}

void validate(const IntegratorConfig& c) {
  if (c.steps < 1)
    throw std::invalid_argument("steps per slice must be at least 1 (got " + std::to_string(c.steps) + ")");
  if (c.rannacher_half_steps < 0 || c.rannacher_half_steps % 2 != 0)
    throw std::invalid_argument("Rannacher half-steps must be an even number >= 0 (got " +
                                std::to_string(c.rannacher_half_steps) + ")");
  if (c.method == Integrator::CrankNicolson && c.rannacher_half_steps / 2 > c.steps)
    throw std::invalid_argument("Rannacher start-up replaces " + std::to_string(c.rannacher_half_steps / 2) +
                                " Crank-Nicolson steps but a slice has only " + std::to_string(c.steps) +
                                "; lower rannacher_half_steps or raise the steps");
}

}  // namespace pint

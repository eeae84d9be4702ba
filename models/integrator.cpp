#include "models/integrator.hpp"

#include <cmath>
#include <stdexcept>

#include "core/sdc_settings.hpp"

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
    case Integrator::AdiCraigSneyd:
      return "adi-craig-sneyd";
    case Integrator::AdiModifiedCraigSneyd:
      return "adi-modified-craig-sneyd";
    case Integrator::AdiHundsdorferVerwer:
      return "adi-hundsdorfer-verwer";
    case Integrator::LodImplicitEuler:
      return "lod-implicit-euler";
    case Integrator::Sdc:
      return "sdc";
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
  if (name == "adi-craig-sneyd" || name == "craig-sneyd") return Integrator::AdiCraigSneyd;
  if (name == "adi-modified-craig-sneyd" || name == "modified-craig-sneyd") return Integrator::AdiModifiedCraigSneyd;
  if (name == "adi-hundsdorfer-verwer" || name == "hundsdorfer-verwer") return Integrator::AdiHundsdorferVerwer;
  if (name == "lod-implicit-euler" || name == "lod") return Integrator::LodImplicitEuler;
  if (name == "sdc") return Integrator::Sdc;
  std::string names;
  for (Integrator m : all_integrators()) names += (names.empty() ? "" : ", ") + to_string(m);
  throw std::invalid_argument("unknown integrator '" + name + "'; use one of " + names);
}

const std::vector<Integrator>& all_integrators() {
  static const std::vector<Integrator> all{Integrator::ExplicitEuler,        Integrator::RK4,
                                           Integrator::ImplicitEuler,        Integrator::CrankNicolson,
                                           Integrator::AdiDouglas,           Integrator::AdiPeacemanRachford,
                                           Integrator::AdiCraigSneyd,        Integrator::AdiModifiedCraigSneyd,
                                           Integrator::AdiHundsdorferVerwer, Integrator::LodImplicitEuler};
  return all;
}

bool needs_split(Integrator method) {
  return method == Integrator::AdiDouglas || method == Integrator::AdiPeacemanRachford ||
         method == Integrator::AdiCraigSneyd || method == Integrator::AdiModifiedCraigSneyd ||
         method == Integrator::AdiHundsdorferVerwer || method == Integrator::LodImplicitEuler;
}

double adi_default_theta(Integrator method) {
  switch (method) {
    case Integrator::AdiDouglas:
    case Integrator::AdiCraigSneyd:
      return 0.5;
    case Integrator::AdiModifiedCraigSneyd:
      return 1.0 / 3.0;
    case Integrator::AdiHundsdorferVerwer:
      return 0.5 + std::sqrt(3.0) / 6.0;
    default:
      return 0.0;
  }
}

double adi_default_mu(Integrator method) {
  return method == Integrator::AdiHundsdorferVerwer ? 0.5 : 0.0;
}

void validate(const IntegratorConfig& c) {
  if (c.steps < 1)
    throw std::invalid_argument("steps per slice must be at least 1 (got " + std::to_string(c.steps) + ")");
  if (c.rannacher_half_steps < 0 || c.rannacher_half_steps % 2 != 0)
    throw std::invalid_argument("Rannacher half-steps must be an even number >= 0 (got " +
                                std::to_string(c.rannacher_half_steps) + ")");
  if (!(c.adi_theta >= 0.0 && c.adi_theta <= 1.0) || !(c.adi_mu >= 0.0 && c.adi_mu <= 1.0))
    throw std::invalid_argument("ADI theta and mu must be in [0, 1] (0: the scheme's default); got theta " +
                                std::to_string(c.adi_theta) + ", mu " + std::to_string(c.adi_mu));
  if ((c.adi_theta != 0.0 || c.adi_mu != 0.0) && !needs_split(c.method))
    throw std::invalid_argument("ADI theta and mu apply to the ADI methods; the method is " + to_string(c.method));
  if (c.adi_theta != 0.0 && c.method == Integrator::LodImplicitEuler)
    throw std::invalid_argument("lod-implicit-euler has no theta (each line solve is implicit Euler)");
  if (c.adi_mu != 0.0 && c.method != Integrator::AdiHundsdorferVerwer)
    throw std::invalid_argument("ADI mu applies to adi-hundsdorfer-verwer; the method is " + to_string(c.method));
  if (c.method == Integrator::Sdc) {
    validate(c.sdc);
  } else {
    if (c.sdc != SdcSettings{})
      throw std::invalid_argument("SDC settings apply to the method sdc; the method is " + to_string(c.method));
  }
  const bool starts = c.method == Integrator::CrankNicolson || needs_split(c.method);
  if (starts && c.rannacher_half_steps / 2 > c.steps)
    throw std::invalid_argument("Rannacher start-up replaces " + std::to_string(c.rannacher_half_steps / 2) + " " +
                                to_string(c.method) + " steps but a slice has only " + std::to_string(c.steps) +
                                "; lower rannacher_half_steps or raise the steps");
}

}  // namespace pint

#include "core/mgrit_config.hpp"

#include <stdexcept>

namespace pint {

namespace {
std::string num(int v) {
  return std::to_string(v);
}
}  // namespace

void validate(const MgritConfig& c) {
  if (c.levels < 2)
    throw std::invalid_argument("levels must be at least 2 (got " + num(c.levels) +
                                "): MGRIT needs a coarse level; for one level run the serial fine solver");
  if (c.cfactor < 2)
    throw std::invalid_argument("cfactor must be at least 2 (got " + num(c.cfactor) +
                                "): it is the number of fine steps per coarse step");
  if (c.cfactor0 != 0 && c.cfactor0 < 2)
    throw std::invalid_argument("cfactor0 must be at least 2, or 0 for \"as cfactor\" (got " + num(c.cfactor0) + ")");
  if (c.nu < 0)
    throw std::invalid_argument("nu must be >= 0 (got " + num(c.nu) + "): 0 is F-relaxation, 1 FCF, 2 FCFCF");
  if (c.min_coarse < 2)
    throw std::invalid_argument("min_coarse must be at least 2 points (got " + num(c.min_coarse) + ")");
}

std::string to_string(MgritCycle cycle) {
  return cycle == MgritCycle::V ? "V" : "F";
}

MgritCycle parse_mgrit_cycle(const std::string& name) {
  if (name == "V" || name == "v") return MgritCycle::V;
  if (name == "F" || name == "f") return MgritCycle::F;
  throw std::invalid_argument("cycle must be V or F (got '" + name + "')");
}

}  // namespace pint

#include "io/run_metadata.hpp"

#include <fmt/format.h>
#include <hdf5.h>

#include <string>

#include "core/problem.hpp"
#include "core/propagator.hpp"
#include "io/run_config.hpp"

#ifndef PINT_GIT_REVISION
#define PINT_GIT_REVISION "unknown"
#endif

namespace pint {

RunMetadata make_run_metadata(const RunConfig& config, const Problem& problem, const Propagator& fine,
                              const Propagator& coarse, int mpi_size) {
  RunMetadata meta;
  meta.problem = problem.name();
  meta.fine_propagator = fine.name();
  meta.coarse_propagator = coarse.name();
  meta.fine_space = config.fine.space;
  meta.coarse_space = config.coarse.space;
  auto signature = [](const IntegratorConfig& c) {
    return fmt::format("{} steps={} rannacher_half_steps={}", to_string(c.method), c.steps, c.rannacher_half_steps);
  };
  meta.fine_signature = signature(config.fine.integrator);
  meta.coarse_signature =
      config.coarse.model == "numerical"
          ? signature(config.coarse.integrator)
          : config.coarse.model + " correction_steps=" + std::to_string(config.coarse.correction_steps);
  RunConfig numbers_only = config;  // where results go does not change them: leave it out
  numbers_only.json_path = numbers_only.output_path = numbers_only.checkpoint_path = numbers_only.restart_path = "";
  numbers_only.compare_serial = false;
  numbers_only.output_all_iterations = true;
  numbers_only.overwrite = false;
  numbers_only.fine.space = numbers_only.coarse.space = "host";
  meta.config_toml = to_toml(numbers_only);
  meta.algorithm = config.algorithm;
  meta.coarse_correction = config.correction.kind;
  meta.slices = config.parareal.slices;
  meta.unknowns = static_cast<long>(problem.size());
  meta.mpi_size = mpi_size;
  meta.tolerance = config.parareal.tolerance;
  meta.t0 = problem.t_start();
  meta.t1 = problem.t_end();
  return meta;
}

const char* pint_version() {
  return "0.1.0";
}
const char* pint_git_revision() {
  return PINT_GIT_REVISION;
}
const char* hdf5_version() {
  static const std::string v = std::to_string(H5_VERS_MAJOR) + "." + std::to_string(H5_VERS_MINOR) + "." +
                               std::to_string(H5_VERS_RELEASE) +
#ifdef H5_HAVE_PARALLEL
                               " (parallel)";
#else
                               " (serial)";
#endif
  return v.c_str();
}
}  // namespace pint

#pragma once
/// \file
/// Facts about a run that every output file records and that a restart must match. Identical on
/// every rank (parallel HDF5 requires identical attribute values from all ranks).

#include <string>

namespace pint {

struct RunMetadata {
  std::string problem;          ///< e.g. black-scholes-call
  std::string fine_propagator;  ///< method@space
  std::string coarse_propagator;
  std::string fine_space, coarse_space;
  std::string fine_signature;  ///< method, steps, Rannacher half-steps: what makes F's numbers
  std::string coarse_signature;
  std::string config_toml;
  std::string algorithm;                   ///< the registered name (parareal, mgrit)
  std::string coarse_correction = "none";  ///< the registered learned correction (none, krylov, randnet)
  int slices = 0;
  long unknowns = 0;
  int mpi_size = 1;
  double tolerance = 0.0;
  double t0 = 0.0, t1 = 0.0;
};

struct RunConfig;
class Problem;
class Propagator;

/// The metadata of a run of `config` on `problem` with these propagators: the one place that says what
/// a checkpoint records and a restart must match (the numbers-changing settings, not the outputs or
/// the spaces).
RunMetadata make_run_metadata(const RunConfig& config, const Problem& problem, const Propagator& fine,
                              const Propagator& coarse, int mpi_size);

/// pint's version and the git revision it was built from ("unknown" outside a git checkout).
const char* pint_version();
const char* pint_git_revision();
/// The HDF5 library pint was built with, e.g. "1.10.8 (parallel)".
const char* hdf5_version();

}  // namespace pint

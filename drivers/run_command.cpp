#include "run_command.hpp"

#include <fmt/format.h>
#include <mpi.h>

#include <Kokkos_Core.hpp>
#include <cmath>

#include "core/algorithm_registry.hpp"
#include "core/algorithm_runner.hpp"
#include "core/parareal.hpp"
#include "core/rank_grid.hpp"
#include "io/checkpoint.hpp"
#include "io/output_paths.hpp"
#include "io/run_metadata.hpp"
#include "io/run_summary.hpp"
#include "io/trajectory_writer.hpp"
#include "learned_module.hpp"
#include "models/explicit_stability.hpp"
#include "models/make_propagator.hpp"
#include "problem_factory.hpp"
#include "spaces/rank_agreement.hpp"
#include "spaces/registry.hpp"

namespace pint {

namespace {

std::vector<OutputFile> outputs_of(const RunConfig& c) {
  std::vector<OutputFile> out{{c.output_path, "--output", ""}};
  if (!c.output_path.empty()) out.push_back({xdmf_path_for(c.output_path), "the XDMF sidecar of --output", ""});
  out.push_back({c.json_path, "--json", ""});
  // A run resumed from its checkpoint keeps checkpointing into the same file.
  out.push_back({c.checkpoint_path, "--checkpoint", c.restart_path});
  return out;
}

/// Removes the temporary files of every output when the run ends by an exception.
struct TemporaryCleanup {
  std::vector<OutputFile> outputs;
  ~TemporaryCleanup() {
    if (std::uncaught_exceptions() > 0)
      for (const auto& o : outputs) remove_temporary(o.path);
  }
};

double max_abs_diff(const HostVector& a, const HostVector& b, std::size_t lo = 0, std::size_t hi = SIZE_MAX) {
  double m = 0.0;
  hi = std::min(hi, static_cast<std::size_t>(a.extent(0)));
  for (std::size_t i = lo; i < hi; ++i) m = std::max(m, std::abs(a(i) - b(i)));
  return m;
}

}  // namespace

int run_command(const RunConfig& config) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const MPI_Comm world = MPI_COMM_WORLD;

  // ---- Start-up. Each step that can fail ends in a verdict every rank agrees on (agree): an error
  // on one rank stops all ranks with its message, before anything collective can wait for it.
  std::shared_ptr<const Problem> problem;
  std::unique_ptr<Propagator> fine, coarse;
  std::unique_ptr<RankGrid> rank_grid;  // time ranks x SDC node ranks (1 node rank: Parareal on the world)
  const AlgorithmEntry* algorithm = nullptr;
  AlgorithmSettings settings{config.parareal, config.mgrit, config.correction};
  agree(world, [&] {
    validate(config);
    try {
      rank_grid = std::make_unique<RankGrid>(world, config.fine.integrator.sdc.node_ranks);
    } catch (const std::invalid_argument& e) {
      throw ConfigError(e.what());
    }
    algorithm = find_algorithm(config.algorithm);
    try {
      algorithm->runner->check(settings);
    } catch (const std::invalid_argument& e) {
      throw ConfigError(fmt::format("--algorithm {}: {}", config.algorithm, e.what()));
    }
    if (!algorithm->checkpoints && (!config.checkpoint_path.empty() || !config.restart_path.empty())) {
      std::string those;  // the registered algorithms that do
      for (const std::string& name : algorithm_names())
        if (find_algorithm(name)->checkpoints) those += (those.empty() ? "" : " or ") + name;
      throw ConfigError(fmt::format(
          "{} does not write or read checkpoints (--checkpoint, --restart): drop them, or use --algorithm {}",
          config.algorithm, those));
    }
    if (config.correction.kind != "none" && (!config.checkpoint_path.empty() || !config.restart_path.empty()))
      throw ConfigError(fmt::format(
          "--coarse-correction {} does not write or read checkpoints (--checkpoint, --restart): its model is not "
          "saved; drop them, or run without the correction",
          config.correction.kind));
    if (rank_grid->time_ranks() > config.parareal.slices)
      throw ConfigError(
          rank_grid->node_ranks() == 1
              ? fmt::format("{} MPI ranks for {} slices: use at most one rank per slice (raise --slices)", size,
                            config.parareal.slices)
              : fmt::format("{} time ranks ({} MPI ranks / {} SDC node ranks) for {} slices: use at most one time rank "
                            "per slice (raise --slices)",
                            rank_grid->time_ranks(), size, rank_grid->node_ranks(), config.parareal.slices));
    problem = make_problem(config);
    const double slice = (problem->t_end() - problem->t_start()) / config.parareal.slices;
    if (!config.allow_unstable) {
      check_stability(*problem, config.fine.integrator, slice, "fine");
      // The coarse propagator's longest step: one slice for Parareal, the coarsest level's step for MGRIT.
      const int span = algorithm->runner->coarse_step_slices(settings);
      if (config.coarse.model == "numerical")
        check_stability(*problem, config.coarse.integrator, slice * span, "coarse",
                        span == 1 ? "slice" : fmt::format("step of the coarsest level ({} slices)", span));
    }
    fine =
        make_propagator(problem, config.fine.integrator, resolve_space(config.fine.space), 0, rank_grid->node_comm());
  });
  const std::vector<OutputFile> outputs = outputs_of(config);
  agree(world, [&] {
    check_outputs(outputs, config.overwrite,
                  {{config.restart_path, "--restart", ""},
                   {config.config_file, "--config", ""},
                   {model_file(config.coarse.model), "--coarse", ""}});
  });
  TemporaryCleanup cleanup{outputs};
  agree(world, [&] {
    coarse = config.coarse.model == "numerical"
                 ? make_propagator(problem, config.coarse.integrator, resolve_space(config.coarse.space))
                 : make_learned_coarse_propagator(config, problem, rank);
  });
  const double t0 = problem->t_start(), t1 = problem->t_end();
  const State u0 = problem->initial_state();

  // What output and restart need to know, identical on every rank.
  const int time_ranks = rank_grid->time_ranks();
  const MPI_Comm time_comm = rank_grid->time_comm();
  const RunMetadata meta = make_run_metadata(config, *problem, *fine, *coarse, time_ranks);

  const bool output = !config.output_path.empty();
  // Checkpoints are opt-in: each one is a collective file write, which on a run of a fraction of a
  // second costs more than the run itself.
  const std::string checkpoint = config.checkpoint_path;

  ResumeState resume;
  RunHooks hooks;
  if (!config.restart_path.empty()) {
    agree(world, [&] { resume = read_checkpoint(config.restart_path, meta, *problem); });
    hooks.resume = &resume;
  }
  // Start-up is over: every rank has agreed that every check passed.
  if (rank == 0)
    fmt::print("pint run: {} with {} unknowns, {} slices on {}{}; fine {} x {}, coarse {} x {}\n", problem->name(),
               problem->size(), config.parareal.slices,
               rank_grid->node_ranks() == 1
                   ? fmt::format("{} rank(s)", size)
                   : fmt::format("{} ranks ({} time x {} SDC node ranks)", size, time_ranks, rank_grid->node_ranks()),
               algorithm->runner->describe(settings), fine->name(), config.fine.integrator.steps, coarse->name(),
               config.coarse.model == "numerical" ? config.coarse.integrator.steps : config.coarse.correction_steps);

  if (!config.restart_path.empty() && rank == 0)
    fmt::print("  resuming from {} after iteration {}\n", config.restart_path, resume.iteration);
  if (!checkpoint.empty())
    hooks.on_iteration = [&](const IterationState& st) {
      // Copy 0 of Parareal writes (the other node ranks' copies hold the same values).
      if (rank_grid->writes()) write_checkpoint(checkpoint, time_comm, meta, *problem, st);
    };

  PararealConfig& pc = settings.parareal;
  // History: for the per-iteration error, for a trajectory of every iterate, and for checkpoints
  // (so that a restarted run still writes every iterate).
  pc.keep_history = config.compare_serial || (output && config.output_all_iterations) || !checkpoint.empty();
  const AlgorithmRunner& runner = *algorithm->runner;
  auto progress = [&](const IterationRecord& r) {
    if (rank != 0) return;
    fmt::print("{}\n", runner.progress_line(r, settings));
    std::fflush(stdout);
  };
  PararealResult result = runner.run(*fine, *coarse, settings, time_comm, u0.values, t0, t1, progress, hooks);

  RunSummary s;
  s.config = config;
  // Whether the fine phase ran as one batched kernel per rank is part of what ran (--batch-fine).
  s.fine_name = fine->name() + (pc.batch_fine && fine->batches() ? " (batched)" : "");
  s.coarse_name = coarse->name();
  s.ranks = time_ranks;
  s.unknowns = problem->size();
  s.kokkos_version =
      fmt::format("{}.{}.{}", KOKKOS_VERSION / 10000, (KOKKOS_VERSION / 100) % 100, KOKKOS_VERSION % 100);
  s.iterations = result.iterations;
  s.converged = result.converged;
  s.log = result.log;
  s.parareal_seconds = result.wall_seconds;
  s.fine_slice_seconds = result.fine_slice_seconds;
  s.coarse_slice_seconds = result.coarse_slice_seconds;
  s.fine_calls = result.fine_calls;
  s.coarse_calls = result.coarse_calls;
  s.level_points = result.level_points;
  s.correction = result.correction;
  s.correction_costs = {result.affine_fine_calls, result.anchor_coarse_calls, result.correction.learn_seconds};
  const SpeedupPrediction here = runner.predict(settings, s.fine_slice_seconds, s.coarse_slice_seconds,
                                                std::max(1, s.iterations), time_ranks, s.correction_costs);
  s.speedup_bound = here.speedup;
  s.critical_path_calls = here.calls_per_level;
  // The schedule model at this run's rank count and at larger ones, with the costs and iterations measured.
  for (int P = 1; P <= config.parareal.slices; P *= 2)
    s.schedule_model.push_back(runner.predict(settings, s.fine_slice_seconds, s.coarse_slice_seconds,
                                              std::max(1, s.iterations), P, s.correction_costs));

  // The serial fine reference runs on rank 0 after Parareal (the other ranks wait); with SDC node ranks on rank
  // 0's node group, whose ranks share its node solves.
  MPI_Barrier(MPI_COMM_WORLD);
  const int N = config.parareal.slices;
  std::vector<HostVector> serial;
  double serial_secs = 0.0;
  if (config.compare_serial && rank / rank_grid->node_ranks() == 0) {
    if (rank == 0) {
      fmt::print("  serial fine reference: {} slices on rank 0{} ...\n", N,
                 rank_grid->node_ranks() > 1 ? fmt::format(" and its {} node ranks", rank_grid->node_ranks()) : "");
      std::fflush(stdout);
    }
    serial = serial_fine(*fine, u0.values, t0, t1, N, &serial_secs);
  }
  if (rank == 0) {
    const HostVector& final_value = result.boundaries[N];
    if (config.compare_serial) {
      s.serial_seconds = serial_secs;
      s.measured_speedup = serial_secs / s.parareal_seconds;
      double emax = 0.0;
      for (int n = 0; n <= N; ++n) emax = std::max(emax, max_abs_diff(result.boundaries[n], serial[n]));
      s.error_vs_serial_max = emax;
      s.error_vs_serial_final = max_abs_diff(final_value, serial[N]);
      for (const auto& iterate : result.history) {
        double e = 0.0;
        for (int n = 0; n <= N; ++n) e = std::max(e, max_abs_diff(iterate[n], serial[n]));
        s.error_vs_serial_per_iteration.push_back(e);
      }
    }
    if (problem->has_exact_solution()) {
      HostVector exact("exact", problem->size());
      problem->exact_solution(t1, exact);
      s.error_vs_exact_parareal = max_abs_diff(final_value, exact);
      if (!serial.empty()) s.error_vs_exact_serial_fine = max_abs_diff(serial[N], exact);
      if (config.problem == "black-scholes") {
        const auto& grid = *problem->grid();
        const double K = config.black_scholes.strike;
        std::size_t lo = 0, hi = grid.size();
        while (lo < grid.size() && grid.x[lo] < 0.5 * K) ++lo;
        while (hi > 0 && grid.x[hi - 1] > 2.0 * K) --hi;
        s.error_vs_exact_parareal_domain = max_abs_diff(final_value, exact, lo, hi);
        s.domain_description = fmt::format("S in [{:g}, {:g}]", 0.5 * K, 2.0 * K);
      }
    }
    s.problem_values = problem->report(t1, final_value);
    fmt::print("{}", to_text(s));
    std::fflush(stdout);
  }
  if (output && rank_grid->writes()) {
    TrajectoryInput in;
    in.meta = &meta;
    in.problem = problem.get();
    in.result = &result;
    in.all_iterations = config.output_all_iterations;
    in.serial = &serial;
    in.serial_seconds = s.serial_seconds.value_or(-1.0);
    in.has_error = config.compare_serial && pc.keep_history;
    in.error_vs_serial = &s.error_vs_serial_per_iteration;
    write_trajectory(config.output_path, time_comm, in);
    if (rank == 0) {
      fmt::print("trajectory written to {} (ParaView: {})\n", config.output_path, xdmf_path_for(config.output_path));
    }
  }
  // The summary last: a failure to write it cannot cost the trajectory.
  if (rank == 0 && !config.json_path.empty()) {
    write_text_atomically(config.json_path, to_json(s), "the JSON summary");
    fmt::print("summary written to {}\n", config.json_path);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  return 0;
}

}  // namespace pint

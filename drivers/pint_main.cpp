// pint: the command-line front end.
//   pint [run] [flags]     Parareal on the configured problem (default: the flagship paper's
//                          Black-Scholes call, seed 000), summary on stdout, JSON with --json.
// Configuration precedence: embedded default < --config FILE (TOML) < flags.
//
// Start-up never hangs: what only prints (--help, --version, --print-config) starts neither MPI nor
// Kokkos nor LibTorch; everything else parses on every rank and ends in a verdict all ranks agree on
// (spaces/rank_agreement.hpp), then the ranks compare their settings before any collective work.
#include <fmt/format.h>
#include <mpi.h>

#include <cstdlib>
#include <iostream>

#include "io/run_config.hpp"
#include "learned_module.hpp"
#include "plot_command.hpp"
#include "run_command.hpp"
#include "run_flags.hpp"
#include "sdc_command.hpp"
#include "spaces/rank_agreement.hpp"
#include "spaces/runtime.hpp"
#include "version_text.hpp"

namespace {

bool has_any(const std::vector<std::string>& args, std::initializer_list<const char*> names) {
  for (const auto& a : args) {
    if (a == "--") return false;
    for (const char* n : names)
      if (a == n) return true;
  }
  return false;
}

/// Under a launcher only rank 0 prints what every rank would print alike (help, version).
bool first_process() {
  return pint::launcher_rank() <= 0;
}

/// "--kokkos-*" arguments belong to Kokkos (checked and consumed by pint::Runtime).
std::vector<std::string> without_kokkos_flags(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const auto& a : args)
    if (a.rfind("--kokkos-", 0) != 0) out.push_back(a);
  return out;
}

/// Every setting of `config` plus fingerprints of the files it reads, one "name\tvalue" line each.
std::string settings_text(const pint::RunConfig& config) {
  std::string text;
  for (const auto& s : pint::settings_of(config, true)) text += s.name() + "\t" + s.value + "\n";
  auto fingerprint = [&](const std::string& flag, const std::string& path) {
    if (!path.empty())
      text += "contents of the " + flag + " file '" + path + "'\t" + pint::file_fingerprint(path) + "\n";
  };
  fingerprint("--restart", config.restart_path);
  fingerprint("--coarse", pint::model_file(config.coarse.model));
  return text;
}

std::vector<pint::Setting> parse_settings_text(const std::string& text) {
  std::vector<pint::Setting> out;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto end = text.find('\n', at);
    const std::string line = text.substr(at, end - at);
    const auto tab = line.find('\t');
    out.push_back({"", line.substr(0, tab), tab == std::string::npos ? "" : line.substr(tab + 1)});
    at = end == std::string::npos ? text.size() : end + 1;
  }
  return out;
}

/// Ranks started with different settings would compute different problems and corrupt each other's
/// messages: compare them (one hash reduction) and name the first differences.
void check_same_settings(const pint::RunConfig& config, int rank, int size) {
  if (size == 1) return;  // nobody to differ from: no need to read the input files for fingerprints
  const std::string mine = settings_text(config);
  if (pint::same_on_all_ranks(MPI_COMM_WORLD, mine)) return;
  const std::string root = pint::text_of_rank0(MPI_COMM_WORLD, mine);
  pint::agree(MPI_COMM_WORLD, [&] {
    if (mine == root) return;
    const auto diff = pint::differences(parse_settings_text(root), parse_settings_text(mine), "on rank 0",
                                        "on rank " + std::to_string(rank));
    std::string list;
    for (std::size_t i = 0; i < diff.size() && i < 3; ++i) list += (i ? "; " : "") + diff[i];
    if (diff.size() > 3) list += fmt::format("; and {} more", diff.size() - 3);
    throw pint::ConfigError("the ranks were started with different settings: " + list +
                            ". Give every rank the same flags, config file and input files");
  });
}

}  // namespace

int main(int argc, char** argv) {
  // `pint plot` and `pint bench` run Python scripts (bench starts its own mpirun jobs): they need
  // neither MPI nor Kokkos in this process, and an MPI singleton here would confuse a child mpirun.
  if (argc >= 2 && std::string(argv[1]) == "plot")
    return pint::plot_command(std::vector<std::string>(argv + 2, argv + argc));
  if (argc >= 2 && std::string(argv[1]) == "bench")
    return pint::bench_command(std::vector<std::string>(argv + 2, argv + argc), PINT_BUILD_DIR);
  if (argc >= 2 && std::string(argv[1]) == "train") return pint::train_main(argc, argv);
  if (argc >= 2 && std::string(argv[1]) == "paraflow") return pint::paraflow_main(argc, argv);
  // `pint sdc` is host arithmetic (LAPACK) and a Python plot: no MPI, Kokkos or LibTorch.
  if (argc >= 2 && std::string(argv[1]) == "sdc")
    return pint::sdc_command(std::vector<std::string>(argv + 2, argv + argc));

  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "run") args.erase(args.begin());  // `pint run ...` is `pint ...`

  // What only prints needs no MPI, Kokkos or LibTorch (each costs start-up time).
  if (has_any(args, {"--help", "-h", "--help-all", "--version", "--print-config"})) {
    pint::RunFlags flags;
    try {
      const pint::RunConfig config = flags.parse(without_kokkos_flags(args));
      if (!first_process()) return 0;
      if (flags.version()) {
        std::cout << pint::version_text();
      } else {
        std::cout << pint::to_toml(config);
      }
      return 0;
    } catch (const pint::HelpRequested& h) {
      if (first_process()) std::cout << h.what();
      return 0;
    } catch (const std::exception& e) {
      if (first_process()) std::cerr << "pint: error: " << e.what() << "\n";
      return 2;
    }
  }

  pint::Runtime runtime(argc, argv);  // exits with code 2 on every rank if Kokkos cannot start
  const int rank = runtime.rank();
  pint::RunConfig config;
  try {
    pint::RunFlags flags;
    pint::agree(MPI_COMM_WORLD, [&] { config = flags.parse(without_kokkos_flags(args)); });
    check_same_settings(config, rank, runtime.size());
    return pint::run_command(config);
  } catch (const pint::StartupError& e) {
    // Every rank knows; rank 0 says it once, every rank exits 2 (a clean MPI_Finalize, no abort).
    if (rank == 0) std::cerr << e.report() << "\n";
    return 2;
  } catch (const std::exception& e) {
    // An error during the run (a diverging slice on one rank, a failed write) must take every rank
    // down, since the others may be waiting for this one: MPI_Abort.
    if (runtime.size() == 1) {
      std::cerr << "pint: error: " << e.what() << "\n";
      return 2;
    }
    pint::abort_all_ranks(fmt::format("pint: error on rank {}: {}", rank, e.what()).c_str(), 3);
  }
}

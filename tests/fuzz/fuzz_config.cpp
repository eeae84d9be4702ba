/// \file
/// libFuzzer target: one input = one TOML document, read as `pint run --config FILE` reads it.
///
/// Clean outcomes: load_config_file or validate throws a std::exception (ConfigError for a bad file),
/// or both accept it. Everything else is a finding and ends the process (libFuzzer keeps the input):
///  - a crash, a sanitizer report (ASan, UBSan), a hang, an exception not derived from std::exception;
///  - the round trip breaks: to_toml of the loaded configuration must load again and print the same
///    text, and must be accepted by validate exactly when the original was (`--print-config` output
///    is documented as a loadable config file);
///  - a value is silently changed: an integer key that the file gives as an integer must be loaded
///    as that integer, or the load must fail (no narrowing of 64-bit TOML integers to int).

#include <toml++/toml.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "fuzz_support.hpp"
#include "io/run_config.hpp"

namespace {

pint::fuzz::ScratchFile* scratch = nullptr;
bool verbose = false;  // PINT_FUZZ_VERBOSE=1: say what became of each input (replaying files)

void finding(const std::string& what, const std::string& text) {
  if (pint::fuzz::ignored(what)) return;
  std::fprintf(stderr, "==pint_fuzz_config== FINDING: %s\n--- configuration text ---\n%s\n---\n", what.c_str(),
               text.c_str());
  std::abort();
}

pint::RunConfig load(const std::string& text) {
  scratch->write(text.data(), text.size());
  return pint::load_config_file(scratch->path(), pint::RunConfig{});
}

bool valid(const pint::RunConfig& c) {
  try {
    pint::validate(c);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

/// Integer keys: the file's value, if it is an integer there, must be what was loaded.
void check_integers(const std::string& text, const pint::RunConfig& c) {
  toml::table doc;
  try {
    doc = toml::parse(text);
  } catch (const std::exception&) {
    return;  // load_config_file accepted what toml++ refuses here: cannot happen (same parser)
  }
  const struct {
    const char* path;
    long loaded;
  } keys[] = {
      {"fine.steps", c.fine.integrator.steps},
      {"fine.rannacher_half_steps", c.fine.integrator.rannacher_half_steps},
      {"coarse.steps", c.coarse.integrator.steps},
      {"coarse.rannacher_half_steps", c.coarse.integrator.rannacher_half_steps},
      {"coarse.correction_steps", c.coarse.correction_steps},
      {"heat.intervals", c.heat.intervals},
      {"heat.mode", c.heat.mode},
      {"parareal.slices", c.parareal.slices},
      {"parareal.max_iterations", c.parareal.max_iterations},
  };
  for (const auto& k : keys)
    if (auto v = doc.at_path(k.path).value_exact<int64_t>(); v && *v != k.loaded)
      return finding(std::string("[") + k.path + "] = " + std::to_string(*v) + " was loaded as " +
                         std::to_string(k.loaded) + " without an error (integer narrowed)",
                     text);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  pint::fuzz::init_runtime(false);  // validate() resolves execution spaces: Kokkos must be up
  scratch = new pint::fuzz::ScratchFile("pint-fuzz-config");
  verbose = std::getenv("PINT_FUZZ_VERBOSE") != nullptr;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  pint::RunConfig first;
  try {
    first = load(text);
  } catch (const std::exception& e) {
    if (verbose) std::fprintf(stderr, "==pint_fuzz_config== refused: %s\n", e.what());
    return 0;  // refused with a message: the expected outcome for a bad file
  }
  check_integers(text, first);
  const bool first_valid = valid(first);

  const std::string printed = pint::to_toml(first);
  pint::RunConfig second;
  try {
    second = load(printed);
  } catch (const std::exception& e) {
    finding(std::string("to_toml's output does not load again: ") + e.what(), printed);
    return 0;
  }
  const std::string reprinted = pint::to_toml(second);
  if (reprinted != printed)
    finding("to_toml(load(to_toml(c))) differs from to_toml(c); second print:\n" + reprinted, printed);
  if (verbose)
    std::fprintf(stderr, "==pint_fuzz_config== loaded (%s), round trip ok\n",
                 first_valid ? "valid" : "refused by validate");
  if (valid(second) != first_valid)
    finding(std::string("validate() ") + (first_valid ? "accepts" : "refuses") +
                " the input but not its to_toml round trip",
            printed);
  return 0;
}

// The configuration layer (io/run_config.hpp): what --print-config writes reads back to the same
// doubles, integers are refused rather than truncated, wrong types and misplaced keys are named, and
// the differences between two configurations name their settings.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "io/run_config.hpp"

using namespace pint;

namespace {

/// The default configuration (a function, not RunConfig{}: nvcc 11.8's front end crashes on that).
RunConfig defaults() {
  RunConfig c;
  return c;
}

std::string error_of(const std::string& toml) {
  try {
    parse_config_text(toml, "test", defaults());
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(accepted)";
}

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

}  // namespace

TEST(RunConfig, PrintedConfigurationReadsBackToTheSameBits) {
  RunConfig c;
  c.black_scholes.rate = 0.1 + 0.2;  // 0.30000000000000004: needs all 17 digits
  c.black_scholes.sigma = 1.0 / 3.0;
  c.parareal.tolerance = 1e-300;
  c.black_scholes.s_max = 5000;
  c.dahlquist_lambdas = {-1e-5, -3.3, 2.0};
  c.output_path = "a \"quoted\" name\\with\tcontrol";
  c.parareal.slices = 2147483647;
  const RunConfig back = parse_config_text(to_toml(c), "printed", defaults());
  EXPECT_TRUE(same_bits(back.black_scholes.rate, c.black_scholes.rate));
  EXPECT_TRUE(same_bits(back.black_scholes.sigma, c.black_scholes.sigma));
  EXPECT_TRUE(same_bits(back.parareal.tolerance, c.parareal.tolerance));
  ASSERT_EQ(back.dahlquist_lambdas.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(same_bits(back.dahlquist_lambdas[i], c.dahlquist_lambdas[i]));
  EXPECT_EQ(back.output_path, c.output_path);
  EXPECT_EQ(back.parareal.slices, c.parareal.slices);
  EXPECT_EQ(to_toml(back), to_toml(c));
}

TEST(RunConfig, FloatsArePrintedInTheirShortestForm) {
  const std::string t = to_toml(defaults());
  EXPECT_NE(t.find("rate = 0.03\n"), std::string::npos) << t;  // not 0.029999999999999999
  EXPECT_NE(t.find("tolerance = 1e-10\n"), std::string::npos) << t;
  EXPECT_NE(t.find("s_max = 5000.0\n"), std::string::npos) << t;  // still a TOML float
}

TEST(RunConfig, IntegersThatDoNotFitAreRefusedNotTruncated) {
  // 4294967297 = 2^32 + 1 would become 1 slice if cut to 32 bits.
  EXPECT_NE(error_of("[parareal]\nslices = 4294967297\n").find("[parareal].slices = 4294967297 is out of range"),
            std::string::npos);
  EXPECT_NE(error_of("[fine]\nsteps = 4294967496\n").find("[fine].steps = 4294967496 is out of range"),
            std::string::npos);
  EXPECT_NE(error_of("[heat]\nintervals = 4294967298\n").find("[heat].intervals"), std::string::npos);
  EXPECT_NE(error_of("[parareal]\nmax_iterations = -2147483649\n").find("out of range"), std::string::npos);
  EXPECT_EQ(parse_config_text("[parareal]\nslices = 2147483647\n", "t", defaults()).parareal.slices, 2147483647);
}

TEST(RunConfig, AWrongTypeSaysWhatTheSettingMustBe) {
  EXPECT_NE(error_of("[parareal]\nslices = \"4\"\n").find("[parareal].slices must be an integer, not a string"),
            std::string::npos);
  EXPECT_NE(error_of("[parareal]\nslices = 4.5\n").find("must be an integer, not a float"), std::string::npos);
  EXPECT_NE(error_of("[parareal]\ntolerance = \"x\"\n").find("must be a number, not a string"), std::string::npos);
  EXPECT_NE(error_of("[output]\ncompare_serial = 1\n").find("must be true or false, not an integer"),
            std::string::npos);
  EXPECT_NE(error_of("[fine]\nmethod = 3\n").find("[fine].method must be a string"), std::string::npos);
  // Integers are fine where a float is expected.
  EXPECT_EQ(parse_config_text("[black_scholes]\ns_max = 400\n", "t", defaults()).black_scholes.s_max, 400.0);
}

TEST(RunConfig, KeysOutsideTablesAndUnknownNamesAreNamed) {
  EXPECT_NE(error_of("slices = 4\n").find("'slices' is outside any table; it belongs under [parareal]"),
            std::string::npos);
  EXPECT_NE(error_of("[parareal]\ntolerence = 1\n").find("unknown key 'tolerence' in [parareal]"), std::string::npos);
  EXPECT_NE(error_of("[paraeal]\n").find("unknown table [paraeal]"), std::string::npos);
}

TEST(RunConfig, DifferencesNameEachSettingAndSkipTheIgnoredOnes) {
  RunConfig a, b;
  b.black_scholes.sigma = 0.5;
  b.parareal.max_iterations = 40;
  const auto d = differences(settings_of(a), settings_of(b), "in the checkpoint", "here", restart_may_change());
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0], "[black_scholes].sigma is 0.4 in the checkpoint but 0.5 here");
  EXPECT_TRUE(differences(settings_of(a), settings_of(a), "x", "y").empty());
  // Flag-only settings take part when asked for.
  b = a;
  b.restart_path = "ck.h5";
  const auto f = differences(settings_of(a, true), settings_of(b, true), "on rank 0", "on rank 1");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0], "--restart is \"\" on rank 0 but \"ck.h5\" on rank 1");
}

TEST(RunConfig, MgritSettingsReadBackAndAreChecked) {
  RunConfig c = defaults();
  c.algorithm = "mgrit";
  c.mgrit.levels = 4;
  c.mgrit.cfactor = 3;
  c.mgrit.cfactor0 = 5;
  c.mgrit.nu = 2;
  c.mgrit.cycle = MgritCycle::F;
  c.mgrit.skip = false;
  c.mgrit.min_coarse = 3;
  c.mgrit.relative = true;
  c.mgrit.initial_guess = 0.1 + 0.2;
  RunConfig back = parse_config_text(to_toml(c), "printed", defaults());
  EXPECT_EQ(back.algorithm, "mgrit");
  EXPECT_EQ(back.mgrit.levels, 4);
  EXPECT_EQ(back.mgrit.cfactor, 3);
  EXPECT_EQ(back.mgrit.cfactor0, 5);
  EXPECT_EQ(back.mgrit.nu, 2);
  EXPECT_EQ(back.mgrit.cycle, MgritCycle::F);
  EXPECT_FALSE(back.mgrit.skip);
  EXPECT_EQ(back.mgrit.min_coarse, 3);
  EXPECT_TRUE(back.mgrit.relative);
  ASSERT_TRUE(back.mgrit.initial_guess.has_value());
  EXPECT_TRUE(same_bits(*back.mgrit.initial_guess, 0.1 + 0.2));
  EXPECT_EQ(to_toml(back), to_toml(c));
  c.mgrit.initial_guess.reset();  // the coarse sweep: written as "coarse"
  back = parse_config_text(to_toml(c), "printed", defaults());
  EXPECT_FALSE(back.mgrit.initial_guess.has_value());
  EXPECT_NE(error_of("[mgrit]\ncycle = \"W\"\n").find("[mgrit].cycle must be V or F"), std::string::npos);
  EXPECT_NE(error_of("[mgrit]\nresidual = \"max\"\n").find("absolute or relative"), std::string::npos);
  EXPECT_NE(error_of("[mgrit]\ninitial_guess = \"zero\"\n").find("'coarse'"), std::string::npos);
  back = parse_config_text("[mgrit]\ninitial_guess = 2\n", "test", defaults());  // an integer is a number too
  EXPECT_EQ(back.mgrit.initial_guess.value_or(-1), 2.0);
}

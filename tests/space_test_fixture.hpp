#pragma once
// Per-space test instantiation: a test written once with TEST_P(SpaceTest, ...) runs for every
// compiled-in execution space; ctest lists them as .../serial, .../openmp, ...

#include <gtest/gtest.h>

#include <ostream>

#include "spaces/registry.hpp"

namespace pint {
/// Lets GoogleTest print a space by name.
inline void PrintTo(SpaceKind kind, std::ostream* os) {
  *os << to_string(kind);
}
}  // namespace pint

namespace pint::test {

class SpaceTest : public ::testing::TestWithParam<SpaceKind> {};

struct SpaceName {
  std::string operator()(const ::testing::TestParamInfo<SpaceKind>& info) const { return to_string(info.param); }
};

}  // namespace pint::test

#define PINT_INSTANTIATE_FOR_ALL_SPACES(Suite) \
  INSTANTIATE_TEST_SUITE_P(Spaces, Suite, ::testing::ValuesIn(::pint::available_spaces()), ::pint::test::SpaceName{})

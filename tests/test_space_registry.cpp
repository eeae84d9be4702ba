// The run-time space registry: names, aliases, and errors for spaces that are not compiled in.
#include <gtest/gtest.h>

#include <Kokkos_Core.hpp>

#include "spaces/dispatch.hpp"
#include "spaces/registry.hpp"

using namespace pint;

TEST(SpaceRegistry, HostSpacesOfThisBuildAreAvailable) {
  EXPECT_EQ(resolve_space("serial"), SpaceKind::Serial);
  EXPECT_EQ(resolve_space("OpenMP"), SpaceKind::OpenMP);
  EXPECT_EQ(resolve_space("host"), kind_of<Kokkos::DefaultHostExecutionSpace>());
  EXPECT_EQ(resolve_space("device"), kind_of<Kokkos::DefaultExecutionSpace>());
}

TEST(SpaceRegistry, SpaceNotCompiledInListsTheAvailableOnes) {
#if !defined(KOKKOS_ENABLE_CUDA)
  try {
    resolve_space("cuda");
    FAIL() << "resolving 'cuda' should throw on a build without CUDA";
  } catch (const SpaceError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("not compiled"), std::string::npos) << msg;
    EXPECT_NE(msg.find("serial"), std::string::npos) << msg;
    EXPECT_NE(msg.find("openmp"), std::string::npos) << msg;
  }
#else
  GTEST_SKIP() << "this build has CUDA";
#endif
}

TEST(SpaceRegistry, UnknownNameIsAnError) {
  EXPECT_THROW(resolve_space("gpu0"), SpaceError);
  EXPECT_THROW(resolve_space(""), SpaceError);
}

TEST(SpaceRegistry, DispatchOfAMissingSpaceThrows) {
#if !defined(KOKKOS_ENABLE_HIP)
  EXPECT_THROW(with_space(SpaceKind::HIP, [](auto) { return 0; }), SpaceError);
#endif
}

# Finds pint's dependencies with a clear message for each one that is missing.
# Kokkos and Kokkos-Kernels: from Kokkos_ROOT / KokkosKernels_ROOT or CMAKE_PREFIX_PATH
# (cmake/bootstrap.sh passes the cached Serial+OpenMP build; users pass their own, e.g. CUDA).

macro(pint_require pkg hint)
  if(NOT ${pkg}_FOUND)
    message(FATAL_ERROR "pint: ${pkg} not found. ${hint}")
  endif()
endmacro()

find_package(Kokkos QUIET)
pint_require(Kokkos "Run 'bash cmake/setup_dependencies.sh' or pass -DKokkos_ROOT=/path/to/kokkos/install.")
find_package(KokkosKernels QUIET)
pint_require(KokkosKernels "Build Kokkos-Kernels against the same Kokkos and pass -DKokkosKernels_ROOT=..., or run cmake/setup_dependencies.sh.")
message(STATUS "pint: Kokkos ${Kokkos_VERSION} from ${Kokkos_DIR} (devices: ${Kokkos_DEVICES})")
# A GPU build (Kokkos with CUDA, HIP or SYCL) starts the GPU in every Kokkos::initialize: its programs
# cannot run where the build runs unless a GPU is there (test discovery waits for ctest, see tests/).
set(PINT_GPU_BUILD OFF)
foreach(_dev CUDA HIP SYCL)
  if(_dev IN_LIST Kokkos_DEVICES)
    set(PINT_GPU_BUILD ON)
  endif()
endforeach()

find_package(MPI QUIET COMPONENTS CXX)
pint_require(MPI "Install OpenMPI: apt-get install libopenmpi-dev openmpi-bin.")

# Parallel HDF5 (collective MPI-IO writes): Debian's libhdf5-openmpi-dev.
set(HDF5_PREFER_PARALLEL TRUE)
find_package(HDF5 QUIET COMPONENTS C)
pint_require(HDF5 "apt-get install libhdf5-openmpi-dev (parallel HDF5 built with OpenMPI).")
if(NOT HDF5_IS_PARALLEL)
  message(FATAL_ERROR "pint: HDF5 at ${HDF5_INCLUDE_DIRS} is not parallel (H5_HAVE_PARALLEL is off); "
                      "install libhdf5-openmpi-dev or point HDF5_ROOT at a parallel build.")
endif()

# LAPACK: eigenvalues for the explicit-stability check (Debian's liblapack-dev).
find_package(LAPACK QUIET)
pint_require(LAPACK "apt-get install liblapack-dev")

find_package(fmt QUIET)
pint_require(fmt "apt-get install libfmt-dev")
find_package(CLI11 QUIET)
pint_require(CLI11 "apt-get install libcli11-dev")
find_package(tomlplusplus QUIET)
pint_require(tomlplusplus "apt-get install libtomlplusplus-dev")
find_package(nlohmann_json QUIET)
pint_require(nlohmann_json "apt-get install nlohmann-json3-dev")

if(PINT_ENABLE_TORCH)
  find_package(Torch QUIET)
  pint_require(Torch "apt-get install libtorch-dev, point Torch_DIR at a LibTorch install, or configure with -DPINT_ENABLE_TORCH=OFF.")
  message(STATUS "pint: LibTorch ${Torch_VERSION} from ${Torch_DIR}")
endif()

if(PINT_ENABLE_TESTS)
  find_package(GTest QUIET)
  pint_require(GTest "apt-get install libgtest-dev libgmock-dev, or configure with -DPINT_ENABLE_TESTS=OFF.")
endif()
if(PINT_ENABLE_BENCHMARKS)
  find_package(benchmark QUIET)
  pint_require(benchmark "apt-get install libbenchmark-dev, or configure with -DPINT_ENABLE_BENCHMARKS=OFF.")
endif()

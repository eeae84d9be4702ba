#!/usr/bin/env bash
# pint's front door. Sets up the dependencies (cmake/setup_dependencies.sh), configures and builds
# pint, then does one of:
#   run  [pint args...]  run pint's main job (default: its embedded default problem)
#   test                 run the whole test suite (ctest)
#   build                only build
# A backend may follow the command: `build --backend cuda` (Debian's CUDA 11.8, sm_80; build/cuda),
# `build --backend hip` (Debian's HIP 5.2, gfx908; build/hip), `--backend host` (default). GPU builds
# compile and link everything (libraries, pint, tests, benchmarks); they run only where a GPU is.
# `--cuda-arch HOPPER90` builds for sm_90 (Kokkos patched by the set-up; build/cuda-hopper90).
# Environment: PINT_BUILD_DIR (default build/release, or build/sanitize), PINT_BUILD_TYPE (Release),
# PINT_SANITIZE=1 for the ASan+UBSan build, PINT_JOBS (default: all cores),
# Kokkos_ROOT / KokkosKernels_ROOT / Torch_DIR to bring your own.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cmd="${1:-run}"; shift || true
backend="${PINT_BACKEND:-host}" cuda_arch=AMPERE80
while [[ $# -gt 0 ]]; do
  case "$1" in
    --backend) backend="${2:-}"; shift 2 || { echo "[pint] --backend needs host, cuda or hip" >&2; exit 2; } ;;
    --cuda-arch) cuda_arch="${2:-}"; shift 2 || { echo "[pint] --cuda-arch needs AMPERE80 or HOPPER90" >&2; exit 2; } ;;
    *) break ;;  # the rest goes to pint (run) or ctest (test)
  esac
done
case "$backend" in host | cuda | hip) ;; *) echo "[pint] unknown backend '$backend'; choose host, cuda or hip" >&2; exit 2 ;; esac

prefix_path="$(bash "$here/cmake/setup_dependencies.sh" --backend "$backend" --cuda-arch "$cuda_arch" | tail -n 1)"
sanitize="${PINT_SANITIZE:-0}"
build_type="${PINT_BUILD_TYPE:-Release}"
extra=()
if [[ "$sanitize" == 1 ]]; then
  build_type="${PINT_BUILD_TYPE:-RelWithDebInfo}"
  extra+=(-DPINT_ENABLE_BENCHMARKS=OFF)
  # Leak detection is off: OpenMPI and LibTorch keep global allocations alive until exit by design,
  # which LeakSanitizer reports as leaks in code that is not pint's. Every other ASan and UBSan
  # report aborts the program (halt_on_error, -fno-sanitize-recover) and so fails its test.
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
fi
default_dir="$here/build/release"; [[ "$sanitize" == 1 ]] && default_dir="$here/build/sanitize"
case "$backend" in
  cuda) default_dir="$here/build/cuda"; [[ "$cuda_arch" == HOPPER90 ]] && default_dir="$here/build/cuda-hopper90" ;;
  hip) default_dir="$here/build/hip" ;;
esac
build_dir="${PINT_BUILD_DIR:-$default_dir}"

# ccache, kept next to the dependency cache: a fresh clone (CI) recompiles only what changed. Paths
# are taken relative to the clone (BASEDIR) and the build directory is left out of the hash
# (NOHASHDIR), so that clones in other folders share the entries.
use_ccache=0
if command -v ccache >/dev/null 2>&1 && [[ "${PINT_CCACHE:-1}" == 1 ]]; then
  use_ccache=1
  export CCACHE_DIR="${CCACHE_DIR:-${PINT_DEPS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pint-deps}/ccache}"
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$here}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
  export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-8G}"
  [[ "$backend" != cuda ]] && extra+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
case "$backend" in
  cuda)
    # Debian's directories only (another CUDA on PATH would lend nvcc its cudafe++; see the set-up).
    # The project compiler stays g++; Kokkos' launch-compiler wrapper sends every file of a target
    # that links Kokkos through nvcc_wrapper (nvcc, host compiler g++-11). A compiler launcher would
    # hide the compiler from that wrapper, so ccache comes in by name instead: /usr/lib/ccache/g++,
    # and an `nvcc` first on PATH that runs nvcc through ccache (cmake/nvcc_ccache.sh).
    export PATH=/usr/sbin:/usr/bin:/sbin:/bin NVCC_WRAPPER_DEFAULT_COMPILER=g++-11
    unset LIBRARY_PATH CUDA_HOME CUDA_PATH CUDA_ROOT
    if [[ "$use_ccache" == 1 ]]; then
      masq="$CCACHE_DIR/../ccache-bin" && mkdir -p "$masq" && ln -sf "$here/cmake/nvcc_ccache.sh" "$masq/nvcc"
      export PATH="$masq:$PATH"
      extra+=(-DCMAKE_CXX_COMPILER=/usr/lib/ccache/g++ -DCMAKE_C_COMPILER=/usr/lib/ccache/gcc)
    fi ;;
  hip) extra+=(-DCMAKE_CXX_COMPILER=hipcc) ;;
esac

mkdir -p "$(dirname "$build_dir")"
echo "[pint] configuring in $build_dir ($build_type, backend $backend, sanitizers=$sanitize)" >&2
cmake -S "$here" -B "$build_dir" -DCMAKE_BUILD_TYPE="$build_type" -DCMAKE_PREFIX_PATH="$prefix_path" \
  -DPINT_ENABLE_SANITIZERS="$([[ "$sanitize" == 1 ]] && echo ON || echo OFF)" "${extra[@]}" \
  >"$build_dir.configure.log" 2>&1 \
  || { tail -40 "$build_dir.configure.log" >&2; echo "[pint] ERROR: cmake configure failed (log: $build_dir.configure.log)" >&2; exit 1; }
echo "[pint] building with ${PINT_JOBS:-$(nproc)} jobs" >&2
cmake --build "$build_dir" -j "${PINT_JOBS:-$(nproc)}" >&2

case "$cmd" in
  build) ;;
  run)
    # One process on this machine's cores: pin OpenMP threads as Kokkos recommends, unless told.
    export OMP_PROC_BIND="${OMP_PROC_BIND:-spread}" OMP_PLACES="${OMP_PLACES:-threads}"
    exec "$build_dir/drivers/pint" run "$@" ;;
  test)
    cd "$build_dir"
    exec ctest --output-on-failure --parallel "${PINT_JOBS:-$(nproc)}" "$@" ;;
  *) echo "usage: bash cmake/bootstrap.sh [run|test|build] [args...]" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# pint's front door. Sets up the dependencies (cmake/setup_dependencies.sh), configures and builds
# pint, then does one of:
#   run  [pint args...]  run pint's main job (default: its embedded default problem)
#   test                 run the whole test suite (ctest)
#   build                only build
# Environment: PINT_BUILD_DIR (default build/release), PINT_PRESET-like PINT_BUILD_TYPE (Release),
# PINT_SANITIZE=1 for the ASan+UBSan build, Kokkos_ROOT / KokkosKernels_ROOT / Torch_DIR to bring your own.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cmd="${1:-run}"; shift || true

prefix_path="$(bash "$here/cmake/setup_dependencies.sh" | tail -n 1)"
build_type="${PINT_BUILD_TYPE:-Release}"
sanitize="${PINT_SANITIZE:-0}"
default_dir="$here/build/release"; [[ "$sanitize" == 1 ]] && default_dir="$here/build/sanitize"
build_dir="${PINT_BUILD_DIR:-$default_dir}"

echo "[pint] configuring in $build_dir ($build_type, sanitizers=$sanitize)" >&2
cmake -S "$here" -B "$build_dir" -DCMAKE_BUILD_TYPE="$build_type" -DCMAKE_PREFIX_PATH="$prefix_path" \
  -DPINT_ENABLE_SANITIZERS="$([[ "$sanitize" == 1 ]] && echo ON || echo OFF)" >"$build_dir.configure.log" 2>&1 \
  || { mkdir -p "$(dirname "$build_dir")"; tail -40 "$build_dir.configure.log" >&2; echo "[pint] ERROR: cmake configure failed (log: $build_dir.configure.log)" >&2; exit 1; }
echo "[pint] building with ${PINT_JOBS:-$(nproc)} jobs" >&2
cmake --build "$build_dir" -j "${PINT_JOBS:-$(nproc)}" >&2

case "$cmd" in
  build) ;;
  run)
    exec "$build_dir/drivers/pint" run "$@" ;;
  test)
    cd "$build_dir"
    exec ctest --output-on-failure "$@" ;;
  *) echo "usage: bash cmake/bootstrap.sh [run|test|build] [args...]" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Builds the GPU device bundle: pint's device check (tests/device/device_check.cpp: Kokkos and pint's
# kernels, no MPI/HDF5/LibTorch) with Debian's CUDA 11.8, twice, because Kokkos 3.4 takes one GPU
# architecture per build: sm_80 (AMPERE80) and sm_90 (HOPPER90, Kokkos patched by the set-up). The CUDA
# runtime and Kokkos (built static for it by the set-up) are linked in; each build carries libgomp.
#   usage: bash tests/device/build_bundle.sh [BUNDLE_DIR]     (default build/device-bundle)
# Then, on a machine with an NVIDIA GPU: bash tests/device/run_bundle.sh BUNDLE_DIR
# (with pint's device tool: carry BUNDLE_DIR; see the README, "What was run where").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bundle="${1:-$here/build/device-bundle}"
limit=$((64 * 1024 * 1024))
cache="${PINT_DEPS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pint-deps}"

rm -rf "$bundle" && mkdir -p "$bundle"
for arch in AMPERE80 HOPPER90; do
  sm=$([[ $arch == HOPPER90 ]] && echo sm_90 || echo sm_80)
  prefix="$(bash "$here/cmake/setup_dependencies.sh" --backend cuda --cuda-arch "$arch" --static | tail -n 1)"
  (
    # Debian's CUDA directories only (see cmake/setup_dependencies.sh), ccache as `nvcc` when there.
    export PATH=/usr/sbin:/usr/bin:/sbin:/bin NVCC_WRAPPER_DEFAULT_COMPILER=g++-11
    unset LIBRARY_PATH CUDA_HOME CUDA_PATH CUDA_ROOT
    if command -v ccache >/dev/null; then
      export CCACHE_DIR="${CCACHE_DIR:-$cache/ccache}" CCACHE_BASEDIR="$here" CCACHE_NOHASHDIR=1
      mkdir -p "$cache/ccache-bin" && ln -sf "$here/cmake/nvcc_ccache.sh" "$cache/ccache-bin/nvcc"
      export PATH="$cache/ccache-bin:$PATH"
    fi
    bld="$here/build/bundle-$sm"
    echo "[bundle] $sm: building the device check against $prefix" >&2
    cmake -S "$here/tests/device" -B "$bld" -DCMAKE_BUILD_TYPE=Release -DKokkos_ROOT="$prefix" \
      -DCMAKE_CXX_COMPILER="$prefix/bin/nvcc_wrapper" -DCMAKE_INSTALL_PREFIX="$bundle/$sm" >"$bld.configure.log" 2>&1 \
      || { tail -30 "$bld.configure.log" >&2; exit 1; }
    cmake --build "$bld" -j "${PINT_JOBS:-$(nproc)}" >&2
    cmake --install "$bld" >/dev/null
  )
  exe="$bundle/$sm/bin/pint_device_check"
  mkdir -p "$bundle/$sm/lib"
  # Its shared libraries, except the system's own (libc, libstdc++, libm) and the driver (libcuda).
  for lib in $(ldd "$exe" | awk '/=>/ {print $3}' | grep -E "libgomp"); do cp -L "$lib" "$bundle/$sm/lib/"; done
  # (Whole outputs first: `cmd | grep -q` under pipefail fails when grep stops reading early.)
  libs=$(ldd "$exe") sections=$(readelf -S "$exe")
  if grep -q "libcudart" <<<"$libs"; then
    echo "[bundle] ERROR: $exe links the CUDA runtime dynamically (it must be static)" >&2
    exit 1
  fi
  grep -q "\.nv_fatbin" <<<"$sections" || { echo "[bundle] ERROR: $exe has no .nv_fatbin section" >&2; exit 1; }
  echo "[bundle] $sm: $(du -b "$exe" | cut -f1) bytes, .nv_fatbin present, CUDA runtime static, needs:" \
    $(awk '/=>/ {print $1}' <<<"$libs") >&2
done
cp "$here/tests/device/run_bundle.sh" "$bundle/"
size=$(du -sb "$bundle" | cut -f1)
echo "[bundle] $bundle: $((size / 1024 / 1024)) MiB ($size bytes) in $(find "$bundle" -type f | wc -l) files" >&2
((size <= limit)) || { echo "[bundle] ERROR: the bundle exceeds 64 MiB" >&2; exit 1; }

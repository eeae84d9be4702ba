#!/usr/bin/env bash
# Installs everything pint needs on Debian 12 (as root) and builds Kokkos + Kokkos-Kernels 3.4.01
# from Debian's own trilinos source package into a cache outside the clone.
#
# Idempotent: apt packages already present are not reinstalled, and the Kokkos build is keyed by
# version + options, so a second run only checks and returns.  A user who brings their own Kokkos
# (CUDA, HIP, SYCL, ...) sets Kokkos_ROOT (and KokkosKernels_ROOT) and the build here is skipped.
#
# Backends: `setup_dependencies.sh [--backend host|cuda|hip] [--cuda-arch AMPERE80|HOPPER90] [--static]`.
#   host (default)  Kokkos with Serial + OpenMP, g++.
#   cuda            Debian's CUDA 11.8 (non-free) + g++-11 as nvcc's host compiler; Kokkos with Cuda +
#                   Serial + OpenMP for one GPU architecture (Kokkos 3.4 takes one per build).
#                   HOPPER90 (sm_90) is not in Kokkos 3.4: pint patches its own copy of the source.
#   hip             Debian's HIP 5.2 (hipcc, clang); Kokkos with HIP + Serial for gfx908 (VEGA908).
# Every backend's Kokkos + Kokkos-Kernels is cached next to the others, keyed by its options.
# --static builds static Kokkos libraries (the GPU device bundle: one self-contained executable).
#
# Prints, as its last line on stdout, the CMake prefix path to use (read by cmake/bootstrap.sh).
set -euo pipefail

say() { printf '[pint-setup] %s\n' "$*" >&2; }
die() { printf '[pint-setup] ERROR: %s\n' "$*" >&2; exit 1; }

CACHE_ROOT="${PINT_DEPS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pint-deps}"
KOKKOS_VERSION="3.4.01"
TRILINOS_SRC_VERSION="13.2.0"   # the Debian 12 trilinos source package that carries Kokkos 3.4.01
JOBS="${PINT_JOBS:-$(nproc)}"
BACKEND=host
CUDA_ARCH=AMPERE80
STATIC=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --backend) BACKEND="${2:-}"; shift 2 || true ;;
    --backend=*) BACKEND="${1#*=}"; shift ;;
    --cuda-arch) CUDA_ARCH="${2:-}"; shift 2 || true ;;
    --cuda-arch=*) CUDA_ARCH="${1#*=}"; shift ;;
    --static) STATIC=1; shift ;;
    *) printf '[pint-setup] ERROR: unknown argument %s (use --backend host|cuda|hip, --cuda-arch AMPERE80|HOPPER90, --static)\n' "$1" >&2; exit 2 ;;
  esac
done
case "$BACKEND" in host | cuda | hip) ;; *)
  printf "[pint-setup] ERROR: unknown backend '%s'; choose host, cuda or hip\n" "$BACKEND" >&2; exit 2 ;;
esac
case "$CUDA_ARCH" in AMPERE80 | HOPPER90) ;; *)
  printf "[pint-setup] ERROR: unknown CUDA architecture '%s'; choose AMPERE80 (sm_80) or HOPPER90 (sm_90)\n" "$CUDA_ARCH" >&2; exit 2 ;;
esac

APT_PACKAGES=(
  build-essential cmake dpkg-dev git pkg-config ccache
  libopenmpi-dev openmpi-bin
  libhdf5-openmpi-dev hdf5-tools
  libtorch-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev libtomlplusplus-dev libspdlog-dev libfmt-dev nlohmann-json3-dev
  python3 python3-numpy python3-h5py python3-matplotlib python3-torch
  libopenblas0-pthread  # LibTorch calls libblas.so.3: OpenBLAS instead of the reference BLAS (PINN training)
  liblapack-dev  # dstebz: the eigenvalue bound of the explicit-stability check
  clang-format
  clang libclang-rt-14-dev  # libFuzzer for the parser fuzzers (tests/fuzz)
  libquantlib0-dev  # optional: only the benchmark's peer comparison (pint bench quantlib) uses it
  paraview python3-paraview xvfb xauth  # a test opens pint's .xmf with ParaView's own XDMF reader (pvpython)
)
# The GPU toolchains, only for their backend. CUDA 11.8 is in bookworm's non-free component (its
# libcuda1 needs contrib's nvidia-support): ensure_non_free adds both in a sources file of pint's own.
CUDA_PACKAGES=(nvidia-cuda-toolkit g++-11)
HIP_PACKAGES=(hipcc libamdhip64-dev rocm-device-libs)

need_root() {
  [[ $(id -u) -eq 0 ]] || die "installing Debian packages needs root (run as root, or install these yourself: ${*})"
}

install_apt_packages() {
  local missing=() wanted=("${APT_PACKAGES[@]}")
  [[ "$BACKEND" == cuda ]] && wanted+=("${CUDA_PACKAGES[@]}")
  [[ "$BACKEND" == hip ]] && wanted+=("${HIP_PACKAGES[@]}")
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    say "apt: all ${#wanted[@]} packages already installed"
    return
  fi
  need_root "${missing[@]}"
  [[ "$BACKEND" == cuda ]] && ensure_non_free
  say "apt: installing ${missing[*]}"
  apt-get update -qq || die "step 'apt-get update' failed: check the network and /etc/apt/sources.list.d"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
    || die "step 'apt-get install' failed for one of: ${missing[*]} (try 'apt-get install ${missing[*]}' by hand to see which)"
}

# The deb-src line apt-get source needs; written once, in its own file, never touching the user's lists.
ensure_deb_src() {
  if grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
      && apt-cache showsrc trilinos 2>/dev/null | grep -q "^Version: ${TRILINOS_SRC_VERSION}"; then
    return
  fi
  need_root "a deb-src entry for bookworm"
  say "apt: adding a deb-src entry for bookworm (/etc/apt/sources.list.d/pint-deb-src.sources)"
  cat >/etc/apt/sources.list.d/pint-deb-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  apt-get update -qq || die "step 'apt-get update' (deb-src) failed"
}

# Installing CUDA's libcuda1 pulls in glx-alternative-nvidia, which points the system's libGL.so.1 at
# an NVIDIA GL driver that is not installed (nor needed: pint uses only libcuda). LibTorch needs
# libGL.so.1, so the host build's learned module would no longer load. Point glx back at Mesa when the
# NVIDIA side has no libGL; a machine with NVIDIA's GL driver installed is left alone.
keep_mesa_libgl() {
  command -v update-alternatives >/dev/null || return 0
  update-alternatives --query glx 2>/dev/null | grep -q "^Value: /usr/lib/nvidia" || return 0
  [[ -e /usr/lib/x86_64-linux-gnu/libGL.so.1 ]] && return 0  # the NVIDIA GL driver is there
  [[ -d /usr/lib/mesa-diverted ]] || return 0
  need_root "update-alternatives --set glx /usr/lib/mesa-diverted"
  say "apt: CUDA's packages pointed libGL.so.1 at an NVIDIA GL driver that is not installed; using Mesa's again"
  update-alternatives --set glx /usr/lib/mesa-diverted >&2
}

# bookworm's contrib and non-free components (CUDA), in pint's own sources file.
ensure_non_free() {
  local f=/etc/apt/sources.list.d/pint-non-free.sources
  [[ -f "$f" ]] && return
  say "apt: adding bookworm contrib + non-free for CUDA 11.8 ($f)"
  cat >"$f" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: contrib non-free
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
}

fetch_trilinos_source() {
  local src_dir="$CACHE_ROOT/src"
  local tree="$src_dir/trilinos-$TRILINOS_SRC_VERSION"
  if [[ -f "$tree/.pint-extracted" ]]; then
    echo "$tree"; return
  fi
  ensure_deb_src
  mkdir -p "$src_dir"
  say "source: apt-get source trilinos (166 MB, Debian's copy of Kokkos $KOKKOS_VERSION lives inside)"
  (cd "$src_dir" && apt-get source --download-only "trilinos=${TRILINOS_SRC_VERSION}-4" >&2) \
    || die "step 'apt-get source trilinos' failed: is a deb-src line for bookworm configured?"
  rm -rf "$tree"
  say "source: unpacking with Debian's patches (dpkg-source -x)"
  (cd "$src_dir" && dpkg-source -x "trilinos_${TRILINOS_SRC_VERSION}-4.dsc" "$tree" >&2) \
    || die "step 'dpkg-source -x trilinos' failed (is dpkg-dev installed?)"
  grep -q "set(Kokkos_VERSION_MINOR 4)" "$tree/packages/kokkos/CMakeLists.txt" \
    || die "the trilinos source does not carry Kokkos $KOKKOS_VERSION"
  touch "$tree/.pint-extracted"
  echo "$tree"
}

# Options that define the cached build: change any and the key changes, so it rebuilds.
KOKKOS_OPTS=(
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_STANDARD=17 -DBUILD_SHARED_LIBS=ON
  -DKokkos_ENABLE_SERIAL=ON -DKokkos_ENABLE_OPENMP=ON
  -DKokkos_ENABLE_DEPRECATED_CODE_3=OFF -DKokkos_ENABLE_TESTS=OFF -DKokkos_ENABLE_EXAMPLES=OFF
)
# Kokkos-Kernels: only the BLAS component, only what pint instantiates (double, int ordinals/offsets,
# LayoutLeft and LayoutRight, Serial + OpenMP on HostSpace); everything else stays header-only.
KERNELS_OPTS=(
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_STANDARD=17 -DBUILD_SHARED_LIBS=ON
  -DKokkosKernels_ENABLED_COMPONENTS=BLAS
  -DKokkosKernels_INST_DOUBLE=ON -DKokkosKernels_INST_FLOAT=OFF
  -DKokkosKernels_INST_COMPLEX_DOUBLE=OFF -DKokkosKernels_INST_COMPLEX_FLOAT=OFF
  -DKokkosKernels_INST_ORDINAL_INT=ON -DKokkosKernels_INST_ORDINAL_INT64_T=OFF
  -DKokkosKernels_INST_OFFSET_INT=ON -DKokkosKernels_INST_OFFSET_SIZE_T=OFF
  -DKokkosKernels_INST_LAYOUTLEFT=ON -DKokkosKernels_INST_LAYOUTRIGHT=ON
  -DKokkosKernels_INST_EXECSPACE_SERIAL=ON -DKokkosKernels_INST_EXECSPACE_OPENMP=ON
  -DKokkosKernels_ENABLE_TESTS=OFF -DKokkosKernels_ENABLE_EXAMPLES=OFF
  -DKokkosKernels_ENABLE_TPL_BLAS=OFF
)

# What a GPU backend adds. The CUDA toolchain runs with a PATH of Debian's directories only: the
# machine image may carry another CUDA (13) whose cudafe++/ptxas Debian's nvcc would pick up from PATH,
# and whose LIBRARY_PATH points at its stubs (check: which -a cudafe++).
gpu_backend_options() {
  # GPU builds instantiate nothing ahead of time: every BLAS-1 call compiles in place, and a device
  # compiler spends minutes on instantiations pint's GPU build never links.
  local NO_ETI=(-DKokkosKernels_INST_EXECSPACE_SERIAL=OFF -DKokkosKernels_INST_EXECSPACE_OPENMP=OFF)
  case "$BACKEND" in
    cuda)
      export PATH=/usr/sbin:/usr/bin:/sbin:/bin CUDA_ROOT=/usr NVCC_WRAPPER_DEFAULT_COMPILER=g++-11
      unset LIBRARY_PATH CUDA_HOME CUDA_PATH
      BACKEND_OPTS=(-DCMAKE_CXX_COMPILER="$KOKKOS_SRC/bin/nvcc_wrapper" -DKokkos_ENABLE_CUDA=ON
                    -DKokkos_ENABLE_CUDA_LAMBDA=ON "-DKokkos_ARCH_$CUDA_ARCH=ON")
      # Kokkos-Kernels: header-only for the GPU (no ETI for Cuda: pint's BLAS-1 calls compile in place).
      BACKEND_KERNEL_OPTS=(-DCMAKE_CXX_COMPILER="$KOKKOS_SRC/bin/nvcc_wrapper" "${NO_ETI[@]}"
                           -DKokkosKernels_INST_EXECSPACE_CUDA=OFF -DKokkosKernels_INST_MEMSPACE_CUDASPACE=OFF
                           -DKokkosKernels_INST_MEMSPACE_CUDAUVMSPACE=OFF) ;;
    hip)
      # HIP + Serial: Debian's hipcc is clang-15, whose OpenMP header (libomp-15-dev) conflicts with
      # clang-14's libomp-14-dev that the fuzzers' clang uses; the host space of this build is Serial.
      BACKEND_OPTS=(-DCMAKE_CXX_COMPILER=hipcc -DKokkos_ENABLE_HIP=ON -DKokkos_ENABLE_OPENMP=OFF -DKokkos_ARCH_VEGA908=ON)
      BACKEND_KERNEL_OPTS=(-DCMAKE_CXX_COMPILER=hipcc "${NO_ETI[@]}" -DKokkosKernels_INST_EXECSPACE_HIP=OFF
                           -DKokkosKernels_INST_MEMSPACE_HIPSPACE=OFF) ;;
    *) BACKEND_OPTS=(); BACKEND_KERNEL_OPTS=() ;;
  esac
}

# Kokkos 3.4 has no Hopper (sm_90) and no MI200 (gfx90a) option; they came in 3.5. pint's own copy of
# the Kokkos source gains HOPPER90 and VEGA90A (the same three lines each as AMPERE86 / VEGA908); the
# upstream tree is left as Debian ships it. The patch's text is part of the cache key.
PATCH_VERSION="hopper90-vega90a-1"
patched_kokkos_source() {
  local tree="$1" dst="$CACHE_ROOT/src/kokkos-$KOKKOS_VERSION-$PATCH_VERSION"
  if [[ ! -f "$dst/.pint-patched" ]]; then
    rm -rf "$dst" && cp -a "$tree/packages/kokkos" "$dst"
    local arch="$dst/cmake/kokkos_arch.cmake" cfg="$dst/cmake/KokkosCore_config.h.in"
    sed -i 's|^KOKKOS_ARCH_OPTION(AMPERE86 .*|&\nKOKKOS_ARCH_OPTION(HOPPER90        GPU  "NVIDIA Hopper generation CC 9.0")|' "$arch"
    sed -i 's|^KOKKOS_ARCH_OPTION(VEGA908 .*|&\nKOKKOS_ARCH_OPTION(VEGA90A         GPU  "AMD GPU MI200 GFX90A")|' "$arch"
    sed -i 's|^CHECK_CUDA_ARCH(AMPERE86  sm_86)|&\nCHECK_CUDA_ARCH(HOPPER90  sm_90)|' "$arch"
    sed -i 's|^CHECK_AMDGPU_ARCH(VEGA908 gfx908)|&\nCHECK_AMDGPU_ARCH(VEGA90A gfx90a)|' "$arch"
    sed -i 's|^#cmakedefine KOKKOS_ARCH_AMPERE86|&\n#cmakedefine KOKKOS_ARCH_HOPPER90|' "$cfg"
    [[ $(grep -c "HOPPER90\|VEGA90A" "$arch" "$cfg" | awk -F: '{s+=$2} END {print s}') -eq 5 ]] \
      || die "patching Kokkos for HOPPER90/VEGA90A failed: kokkos_arch.cmake changed shape"
    touch "$dst/.pint-patched"
  fi
  echo "$dst"
}

build_kokkos() {
  local tree; tree="$CACHE_ROOT/src/trilinos-$TRILINOS_SRC_VERSION"
  local label=serial-openmp compiler_id
  compiler_id="$(g++ -dumpfullversion)"
  case "$BACKEND" in
    cuda) label="cuda-$(tr '[:upper:]' '[:lower:]' <<<"$CUDA_ARCH")"
          compiler_id+=" $(/usr/bin/nvcc --version 2>/dev/null | tail -1) $(g++-11 -dumpfullversion 2>/dev/null)" ;;
    hip) label=hip-vega908; compiler_id+=" $(hipcc --version 2>/dev/null | grep -m1 -i 'clang version')" ;;
  esac
  if [[ "$STATIC" == 1 ]]; then
    label+="-static"
    KOKKOS_OPTS+=(-DBUILD_SHARED_LIBS=OFF -DCMAKE_POSITION_INDEPENDENT_CODE=ON)
    KERNELS_OPTS+=(-DBUILD_SHARED_LIBS=OFF -DCMAKE_POSITION_INDEPENDENT_CODE=ON)
  fi
  local patch_id=""
  [[ "$BACKEND" == cuda && "$CUDA_ARCH" == HOPPER90 ]] && patch_id="$PATCH_VERSION"
  local key
  key=$(printf '%s\n' "$KOKKOS_VERSION" "$compiler_id" "$BACKEND" "$CUDA_ARCH" "$patch_id" "${KOKKOS_OPTS[@]}" "${KERNELS_OPTS[@]}" \
        | sha256sum | cut -c1-12)
  [[ "$BACKEND" == host ]] && key=$(printf '%s\n' "$KOKKOS_VERSION" "$(g++ -dumpfullversion)" "${KOKKOS_OPTS[@]}" "${KERNELS_OPTS[@]}" \
        | sha256sum | cut -c1-12)  # the host key as before this script knew backends: caches stay valid
  local prefix="$CACHE_ROOT/kokkos-$KOKKOS_VERSION-$label-$key"
  if [[ -f "$prefix/.pint-complete" ]]; then
    say "kokkos: cached build found at $prefix (no rebuild)"
    echo "$prefix"; return
  fi
  tree=$(fetch_trilinos_source)
  KOKKOS_SRC="$tree/packages/kokkos"  # read by gpu_backend_options
  [[ -n "$patch_id" ]] && KOKKOS_SRC=$(patched_kokkos_source "$tree")
  gpu_backend_options
  local bld="$CACHE_ROOT/build-$key"
  rm -rf "$bld" "$prefix"
  local t0=$SECONDS
  say "kokkos: configuring and building Kokkos $KOKKOS_VERSION ($label) with $JOBS jobs -> $prefix"
  cmake -S "$KOKKOS_SRC" -B "$bld/kokkos" -DCMAKE_INSTALL_PREFIX="$prefix" "${KOKKOS_OPTS[@]}" "${BACKEND_OPTS[@]}" \
    >"$bld.kokkos.log" 2>&1 || { tail -30 "$bld.kokkos.log" >&2; die "step 'configure Kokkos' failed (log: $bld.kokkos.log)"; }
  cmake --build "$bld/kokkos" -j "$JOBS" >>"$bld.kokkos.log" 2>&1 \
    && cmake --install "$bld/kokkos" >>"$bld.kokkos.log" 2>&1 \
    || { tail -30 "$bld.kokkos.log" >&2; die "step 'build Kokkos' failed (log: $bld.kokkos.log)"; }
  say "kokkos: core done in $((SECONDS - t0)) s; building Kokkos-Kernels (BLAS, restricted ETI)"
  cmake -S "$tree/packages/kokkos-kernels" -B "$bld/kernels" -DCMAKE_INSTALL_PREFIX="$prefix" \
    -DKokkos_ROOT="$prefix" "${KERNELS_OPTS[@]}" "${BACKEND_KERNEL_OPTS[@]}" >"$bld.kernels.log" 2>&1 \
    || { tail -30 "$bld.kernels.log" >&2; die "step 'configure Kokkos-Kernels' failed (log: $bld.kernels.log)"; }
  cmake --build "$bld/kernels" -j "$JOBS" >>"$bld.kernels.log" 2>&1 \
    && cmake --install "$bld/kernels" >>"$bld.kernels.log" 2>&1 \
    || { tail -30 "$bld.kernels.log" >&2; die "step 'build Kokkos-Kernels' failed (log: $bld.kernels.log)"; }
  rm -rf "$bld"
  touch "$prefix/.pint-complete"
  say "kokkos: Kokkos + Kokkos-Kernels installed in $((SECONDS - t0)) s"
  echo "$prefix"
}

main() {
  install_apt_packages
  keep_mesa_libgl
  if [[ -n "${Kokkos_ROOT:-}" ]]; then
    [[ -d "$Kokkos_ROOT" ]] || die "Kokkos_ROOT=$Kokkos_ROOT is not a directory"
    say "kokkos: using the user's Kokkos at Kokkos_ROOT=$Kokkos_ROOT (no build here)"
    echo "$Kokkos_ROOT${KokkosKernels_ROOT:+;$KokkosKernels_ROOT}"
    return
  fi
  build_kokkos
}
main "$@"

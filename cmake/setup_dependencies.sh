#!/usr/bin/env bash
# Installs everything pint needs on Debian 12 (as root) and builds Kokkos + Kokkos-Kernels 3.4.01
# from Debian's own trilinos source package into a cache outside the clone.
#
# Idempotent: apt packages already present are not reinstalled, and the Kokkos build is keyed by
# version + options, so a second run only checks and returns.  A user who brings their own Kokkos
# (CUDA, HIP, SYCL, ...) sets Kokkos_ROOT (and KokkosKernels_ROOT) and the build here is skipped.
#
# Prints, as its last line on stdout, the CMake prefix path to use (read by cmake/bootstrap.sh).
set -euo pipefail

say() { printf '[pint-setup] %s\n' "$*" >&2; }
die() { printf '[pint-setup] ERROR: %s\n' "$*" >&2; exit 1; }

CACHE_ROOT="${PINT_DEPS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pint-deps}"
KOKKOS_VERSION="3.4.01"
TRILINOS_SRC_VERSION="13.2.0"   # the Debian 12 trilinos source package that carries Kokkos 3.4.01
JOBS="${PINT_JOBS:-$(nproc)}"

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
)

need_root() {
  [[ $(id -u) -eq 0 ]] || die "installing Debian packages needs root (run as root, or install these yourself: ${*})"
}

install_apt_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    say "apt: all ${#APT_PACKAGES[@]} packages already installed"
    return
  fi
  need_root "${missing[@]}"
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

build_kokkos() {
  local key
  key=$(printf '%s\n' "$KOKKOS_VERSION" "$(g++ -dumpfullversion)" "${KOKKOS_OPTS[@]}" "${KERNELS_OPTS[@]}" \
        | sha256sum | cut -c1-12)
  local prefix="$CACHE_ROOT/kokkos-$KOKKOS_VERSION-serial-openmp-$key"
  if [[ -f "$prefix/.pint-complete" ]]; then
    say "kokkos: cached build found at $prefix (no rebuild)"
    echo "$prefix"; return
  fi
  local tree; tree=$(fetch_trilinos_source)
  local bld="$CACHE_ROOT/build-$key"
  rm -rf "$bld" "$prefix"
  local t0=$SECONDS
  say "kokkos: configuring and building Kokkos $KOKKOS_VERSION (Serial+OpenMP) with $JOBS jobs -> $prefix"
  cmake -S "$tree/packages/kokkos" -B "$bld/kokkos" -DCMAKE_INSTALL_PREFIX="$prefix" "${KOKKOS_OPTS[@]}" \
    >"$bld.kokkos.log" 2>&1 || { tail -30 "$bld.kokkos.log" >&2; die "step 'configure Kokkos' failed (log: $bld.kokkos.log)"; }
  cmake --build "$bld/kokkos" -j "$JOBS" >>"$bld.kokkos.log" 2>&1 \
    && cmake --install "$bld/kokkos" >>"$bld.kokkos.log" 2>&1 \
    || { tail -30 "$bld.kokkos.log" >&2; die "step 'build Kokkos' failed (log: $bld.kokkos.log)"; }
  say "kokkos: core done in $((SECONDS - t0)) s; building Kokkos-Kernels (BLAS, restricted ETI)"
  cmake -S "$tree/packages/kokkos-kernels" -B "$bld/kernels" -DCMAKE_INSTALL_PREFIX="$prefix" \
    -DKokkos_ROOT="$prefix" "${KERNELS_OPTS[@]}" >"$bld.kernels.log" 2>&1 \
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
  if [[ -n "${Kokkos_ROOT:-}" ]]; then
    [[ -d "$Kokkos_ROOT" ]] || die "Kokkos_ROOT=$Kokkos_ROOT is not a directory"
    say "kokkos: using the user's Kokkos at Kokkos_ROOT=$Kokkos_ROOT (no build here)"
    echo "$Kokkos_ROOT${KokkosKernels_ROOT:+;$KokkosKernels_ROOT}"
    return
  fi
  build_kokkos
}
main "$@"

#!/usr/bin/env bash
# CI's GPU step: compiles and links all of pint (libraries, pint, the tests, the benchmarks, the device
# check) for CUDA and for HIP, then checks what can be checked without a GPU:
#  - the CUDA pint carries a .nv_fatbin section and the HIP pint a .hip_fatbin section (device code);
#  - every command that starts Kokkos stops with exit 2 and "no CUDA (HIP) device was found", never an
#    abort or a core dump (pint, pint --fine-space <gpu>, pint --fine-space host), while --help and
#    --version, which start nothing, still work;
# then builds the device bundle (tests/device/build_bundle.sh). Nothing GPU-side runs here.
#   usage: bash tests/device/ci_gpu_builds.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$here"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

check_build() {  # backend build_dir space_name section word
  local backend="$1" dir="$here/$2" space="$3" section="$4" word="$5" t0=$SECONDS
  echo "-- [$backend] bash cmake/bootstrap.sh build --backend $backend"
  local log="build/$backend.ci-build.log"
  mkdir -p build
  local built=0
  bash cmake/bootstrap.sh build --backend "$backend" >"$log" 2>&1 && built=1
  # What was compiled and linked, and every diagnostic (nvlink's notes on static system libraries aside).
  grep -E "^\[pint|Built target|Linking CXX executable|error|warning" "$log" \
    | grep -vE "nvlink warning : Skipping incompatible" || true
  [[ $built == 1 ]] || { tail -30 "$log"; fail "the $backend build failed (log: $log)"; return; }
  local exes
  exes=$(find "$dir" -type f -executable \( -name 'pint' -o -name 'pint_*' \) ! -name '*.so' | sort)
  echo "-- [$backend] built in $((SECONDS - t0)) s, $(wc -l <<<"$exes") executables:" $(basename -a $exes | tr '\n' ' ')
  local sections
  sections=$(readelf -S "$dir/drivers/pint")  # whole, then grep: `readelf | grep -q` fails under pipefail
  grep -q "$section" <<<"$sections" && echo "-- [$backend] $dir/drivers/pint has a $section section" \
    || fail "$dir/drivers/pint has no $section section"
  for args in "" "--fine-space $space" "--fine-space host"; do
    local out rc
    out=$(cd /tmp && ulimit -c 0 && "$dir/drivers/pint" $args 2>&1) && rc=0 || rc=$?
    if [[ $rc -eq 2 ]] && grep -q "no $word device was found" <<<"$out"; then
      echo "-- [$backend] pint $args: exit 2: $(grep -m1 'no .* device' <<<"$out" | cut -c1-110)..."
    else
      fail "[$backend] pint $args: exit $rc, output: $(head -c 400 <<<"$out")"
    fi
  done
  "$dir/drivers/pint" --version >/dev/null 2>&1 || fail "[$backend] pint --version does not work"
  "$dir/drivers/pint" --help >/dev/null 2>&1 || fail "[$backend] pint --help does not work"
}

check_build cuda build/cuda cuda .nv_fatbin CUDA
check_build hip build/hip hip .hip_fatbin HIP
echo "-- device bundle: bash tests/device/build_bundle.sh"
bash tests/device/build_bundle.sh || fail "the device bundle did not build"
[[ $failures -eq 0 ]] && echo "GPU builds: CUDA and HIP compiled and linked, no-device start-up checked" || exit 1

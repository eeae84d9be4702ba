#!/usr/bin/env bash
# Runs pint's device check from a bundle made by tests/device/build_bundle.sh, on a machine with an
# NVIDIA GPU: picks the build whose architecture matches the GPU (sm_90 for compute capability 9.x,
# sm_80 for 8.x), runs it on all CPU cores, prints its tables and writes them to $OUT/device_check.md
# when $OUT is set (pint's device tool brings files under $OUT back).
#   usage: bash run_bundle.sh [BUNDLE_DIR]      (default: the directory of this script)
# Exit status: the device check's (0 when every check passed).
set -uo pipefail
bundle="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
cap=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -n 1 | tr -d ' ')
case "$cap" in
  9.*) sm=sm_90 ;;
  8.*) sm=sm_80 ;;
  "") echo "run_bundle: nvidia-smi reports no GPU; running sm_80 (the check stops if there is no device)" >&2; sm=sm_80 ;;
  *) echo "run_bundle: compute capability $cap: the bundle has sm_80 and sm_90 only" >&2; exit 2 ;;
esac
exe="$bundle/$sm/bin/pint_device_check"
[[ -x "$exe" ]] || { echo "run_bundle: $exe not found (build it with tests/device/build_bundle.sh)" >&2; exit 2; }
echo "run_bundle: GPU compute capability ${cap:-unknown}: $exe" >&2
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>/dev/null >&2
threads=$(nproc)
out="${OUT:-}"
if [[ -n "$out" ]]; then
  OMP_PROC_BIND=spread OMP_PLACES=threads OMP_NUM_THREADS=$threads "$exe" | tee "$out/device_check.md"
  exit "${PIPESTATUS[0]}"
fi
OMP_PROC_BIND=spread OMP_PLACES=threads OMP_NUM_THREADS=$threads exec "$exe"

#!/usr/bin/env bash
# A restart may change what cannot alter the iterates computed so far: a run stopped at its iteration
# limit continues with a higher --max-iterations, on other execution spaces, checkpointing into the
# same file, and ends where an uninterrupted run ends.   usage: restart_changes.sh PINT WORKDIR
set -uo pipefail
pint="$1" work="$2"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
# s_max 6000 (6001 rows): OpenMP's tridiagonal solver then uses 2 blocks against Serial's 1, so the
# restarted iterates differ from the reference by round-off, not bit for bit.
args=(--slices 8 --s-max 6000 --fine-steps 40 --coarse-steps 4 --tolerance 1e-12)
export OMP_NUM_THREADS=2
"$pint" "${args[@]}" --fine-space serial --coarse-space serial --output ref.h5 >ref.log 2>&1 \
  || { echo "FAIL: reference run"; cat ref.log; exit 1; }
"$pint" "${args[@]}" --fine-space serial --coarse-space serial --max-iterations 2 --checkpoint ck.h5 >first.log 2>&1 \
  || { echo "FAIL: first part"; cat first.log; exit 1; }
grep -q "stopped at max_iterations" first.log || { echo "FAIL: the first part did not stop at its limit"; cat first.log; exit 1; }
"$pint" "${args[@]}" --fine-space openmp --coarse-space openmp --max-iterations 16 --restart ck.h5 --checkpoint ck.h5 \
  --output restarted.h5 >restarted.log 2>&1 || { echo "FAIL: the restart was refused"; cat restarted.log; exit 1; }
grep "resuming from ck.h5 after iteration 2" restarted.log || { echo "FAIL: did not resume"; cat restarted.log; exit 1; }
# Tolerance: each tridiagonal solve with 2 blocks differs from 1 block by at most ~1e-12 relative
# (tests/test_numerics.cpp), accumulated over 7 iterations of 8 slices x 40 steps; measured 2.6e-13
# of max |u|. 1e-10 max |u| bounds it with margin.
/usr/bin/python3 - <<'PY' || exit 1
import h5py, numpy as np
ref, rs = h5py.File("ref.h5", "r"), h5py.File("restarted.h5", "r")
a, b = ref["parareal/iterates"][-1], rs["parareal/iterates"][-1]
rel = np.abs(a - b).max() / np.abs(a).max()
print(f"iterations: reference {ref.attrs['iterations']}, restarted {rs.attrs['iterations']}; "
      f"max |difference| / max |u| = {rel:.2e}")
assert ref.attrs["iterations"] == rs.attrs["iterations"], "iteration counts differ"
assert rs.attrs["converged"] == 1, "the restarted run did not converge"
assert rel <= 1e-10, "the restarted run is not the uninterrupted one"
PY
echo "OK: stopped at 2 iterations on serial, resumed with a higher limit on openmp, equals the uninterrupted run"

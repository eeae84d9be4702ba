#!/usr/bin/env bash
# Kills a run with SIGKILL after it has checkpointed at least one iteration, restarts it (on another
# number of ranks), and checks that the result is identical to an uninterrupted run.
# usage: kill_and_restart.sh PINT MPIEXEC "MPI FLAGS" WORKDIR
set -uo pipefail
pint="$1" mpiexec="$2" mpiflags="$3" work="$4"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
# Long enough per iteration (~0.3 s here) that the kill lands between checkpoints; tolerance 0 so that
# every one of the 8 iterations runs.
args=(--slices 8 --max-iterations 8 --tolerance 0 --fine-steps 6000 --coarse-steps 20 --s-max 2000)

"$pint" "${args[@]}" --checkpoint ck.h5 --output killed.h5 >killed.log 2>&1 &
pid=$!
for _ in $(seq 1 600); do  # wait (up to 60 s) until a checkpoint after iteration >= 2 exists
  it=$(h5dump -a /iteration ck.h5 2>/dev/null | grep -Eo '\(0\): [0-9]+' | grep -Eo '[0-9]+$')
  [[ -n "$it" && "$it" -ge 2 ]] && break
  sleep 0.1
done
kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
echo "killed after the checkpoint of iteration ${it:-none}"
[[ -n "${it:-}" ]] || { echo "FAIL: no checkpoint appeared"; cat killed.log; exit 1; }
[[ ! -e killed.h5 ]] || { echo "FAIL: the killed run finished before the kill; make it longer"; exit 1; }
if grep -q "converged\|summary" killed.log; then echo "FAIL: the run finished before the kill"; exit 1; fi

# Restart on 2 ranks; reference: the same run uninterrupted on 1 rank.
$mpiexec -n 2 $mpiflags "$pint" "${args[@]}" --restart ck.h5 --output restarted.h5 >restarted.log 2>&1 \
  || { echo "FAIL: restart failed"; cat restarted.log; exit 1; }
grep "resuming from" restarted.log
"$pint" "${args[@]}" --output reference.h5 >reference.log 2>&1 || { echo "FAIL: reference run"; exit 1; }
for d in /parareal/iterates /parareal/change /grid/x /time/t /exact/values; do
  h5diff restarted.h5 reference.h5 "$d" "$d" || { echo "FAIL: $d differs after restart"; exit 1; }
done
echo "OK: restarted run (killed after iteration $it, resumed on 2 ranks) equals the uninterrupted run"

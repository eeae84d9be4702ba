#!/usr/bin/env bash
# run_consumer_test.sh PINT_BUILD_DIR WORK_DIR PREFIX_PATH PROJECT_DIR
# Installs pint, builds and runs an outside project against the installed package, then runs the
# installed `pint` as another user (nobody) from a prefix that user can read: an installed pint must
# not depend on the build tree or on the installing user's home (the Kokkos build cache).
set -euo pipefail
build="$1" work="$2" prefix_path="$3" project="$4"
bash "$(dirname "${BASH_SOURCE[0]}")/build_consumer.sh" "$build" "$work" "$prefix_path" "$project"
"$work/build/pint_consumer"

prefix="$(mktemp -d /tmp/pint-install-test.XXXXXX)"
trap 'rm -rf "$prefix"' EXIT
chmod 755 "$prefix"
cmake --install "$build" --prefix "$prefix" >"$work/install2.log"
as_other=()
if [[ $(id -u) -eq 0 ]]; then as_other=(setpriv --reuid=65534 --regid=65534 --clear-groups); fi
cd /tmp
"${as_other[@]}" env OMP_PROC_BIND=false OMP_NUM_THREADS=1 "$prefix/bin/pint" --version
out="$("${as_other[@]}" env OMP_PROC_BIND=false OMP_NUM_THREADS=1 "$prefix/bin/pint" --problem dahlquist --slices 2 2>&1)" \
  || { echo "FAIL: the installed pint does not run as $(id -un 65534 2>/dev/null || echo another user):"; echo "$out"; exit 1; }
grep -q "converged" <<<"$out" || { echo "FAIL: unexpected output:"; echo "$out"; exit 1; }
if [[ -e "$prefix/lib/pint/libpint_learned_module.so" ]]; then
  out="$("${as_other[@]}" env OMP_PROC_BIND=false OMP_NUM_THREADS=1 "$prefix/bin/pint" --coarse pinn --s-max 1000 --fine-steps 40 2>&1)" \
    || { echo "FAIL: the installed pint's learned module does not load:"; echo "$out"; exit 1; }
  grep -q "learned(pinn:$prefix/.*(converged)" <<<"$(tr '\n' ' ' <<<"$out")" \
    || { echo "FAIL: the installed pint did not use its installed model (or did not converge):"; echo "$out"; exit 1; }
fi
# The installed plot script and its helper, from a moved prefix: pint finds share/pint next to its own bin/, not
# at the configured prefix nor in the sources (a marker in the installed helper shows which copy ran).
moved="$prefix/moved"
mkdir "$moved"
for d in "$prefix"/*; do [[ "$d" == "$moved" ]] || mv "$d" "$moved/"; done
echo 'print("(installed pint_files: " + __file__ + ")")' >>"$moved/share/pint/pint_files.py"
plots="$prefix/plots" && mkdir "$plots" && chmod 777 "$plots"
out="$("${as_other[@]}" env OMP_PROC_BIND=false OMP_NUM_THREADS=1 "$moved/bin/pint" --problem dahlquist --slices 2 \
  --output "$plots/d.h5" 2>&1 && "${as_other[@]}" "$moved/bin/pint" plot "$plots/d.h5" --out-dir "$plots" 2>&1)" \
  || { echo "FAIL: the moved install's pint plot failed:"; echo "$out"; exit 1; }
grep -q "(installed pint_files: $moved/share/pint/pint_files.py)" <<<"$out" && [[ -s "$plots/d_convergence.png" ]] \
  || { echo "FAIL: pint plot did not run the moved install's script:"; echo "$out"; exit 1; }
echo "OK: the installed pint runs as another user, with its learned module, and plots from a moved prefix"

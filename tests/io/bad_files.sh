#!/usr/bin/env bash
# Truncated, corrupt and mismatched files give clear errors naming the problem; an existing output is
# never overwritten unless asked.   usage: bad_files.sh PINT WORKDIR
set -uo pipefail
pint="$1" work="$2"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
args=(--slices 4 --s-max 400 --fine-steps 20 --coarse-steps 2 --tolerance 0)
"$pint" "${args[@]}" --checkpoint ck.h5 >/dev/null 2>&1 || { echo "FAIL: making a checkpoint"; exit 1; }
head -c 3000 ck.h5 >truncated.h5
echo "not hdf5 at all" >text.h5
failures=0
expect() {  # expect REGEX args...: pint must fail (exit 1..127) with a message matching REGEX
  local regex="$1"; shift
  local out code
  out=$("$pint" "$@" 2>&1); code=$?
  if [[ $code -eq 0 || $code -ge 128 ]] || ! grep -Eq -- "$regex" <<<"$out"; then
    echo "FAIL: pint $* -> exit $code, output:"; echo "$out"; failures=$((failures + 1))
  else
    echo "ok: $(grep -E -- "$regex" <<<"$out" | head -1)"
  fi
}
expect "is not an HDF5 file|damaged" "${args[@]}" --restart truncated.h5
expect "is not an HDF5 file" "${args[@]}" --restart text.h5
expect "does not exist" "${args[@]}" --restart missing.h5
expect "number of slices is 4 in the file but 6 here \(--slices\)" "${args[@]}" --slices 6 --restart ck.h5
expect "grid size is 401 in the file but 501 here" "${args[@]}" --s-max 500 --restart ck.h5
expect "the problem is black-scholes-call in the file but black-scholes-put here" "${args[@]}" --option put --restart ck.h5
expect "fine propagator is crank-nicolson steps=20" "${args[@]}" --fine-steps 30 --restart ck.h5
expect "other settings: \[black_scholes\]\.sigma is 0\.4 in the checkpoint but 0\.5 here" "${args[@]}" --sigma 0.5 --restart ck.h5
"$pint" "${args[@]}" --output out.h5 >/dev/null 2>&1 || { echo "FAIL: writing out.h5"; exit 1; }
cp out.h5 out.before
expect "\-\-output 'out.h5' exists; choose another path or pass --overwrite" "${args[@]}" --output out.h5
cmp -s out.h5 out.before || { echo "FAIL: the existing output was modified"; failures=$((failures + 1)); }
"$pint" "${args[@]}" --output out.h5 --overwrite >/dev/null 2>&1 || { echo "FAIL: --overwrite refused"; failures=$((failures + 1)); }
expect "directory '/nonexistent/dir' does not exist" "${args[@]}" --output /nonexistent/dir/x.h5
[[ $failures -eq 0 ]] && echo "OK: every bad file was reported" || exit 1

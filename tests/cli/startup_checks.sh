#!/usr/bin/env bash
# What pint's start-up promises, checked from outside:   usage: startup_checks.sh PINT SOURCE_DIR WORKDIR
#  - --help, --version and --print-config start neither MPI nor Kokkos (they succeed where MPI_Init
#    would fail, and Kokkos' start-up warning never appears), and nothing loads LibTorch unless a
#    network is used;
#  - stdout carries only pint's own output, so --print-config's TOML reads back;
#  - the smaller CLI promises: run --help lists the flags, --help lists every bench subcommand,
#    --version names every component, --config given twice takes the last, a run capped at N
#    iterations on N slices is reported converged (it equals the serial fine solution).
set -u  # no pipefail: `... | grep -q` closes the pipe early on purpose
pint="$1" src="$2" work="$3"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
unset OMP_PROC_BIND  # Kokkos warns about it when it starts: the warning is the sign Kokkos started
export OMP_NUM_THREADS=1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
small=(--slices 4 --s-max 400 --fine-steps 20 --coarse-steps 2)

# MPI: a PML that does not exist makes MPI_Init fail; what only prints must not notice.
for what in --version --help --print-config; do
  err=$(OMPI_MCA_pml=no_such_pml "$pint" $what 2>&1 >/dev/null) || fail "pint $what started MPI (it failed with a broken MPI)"
  grep -q "Kokkos::OpenMP::initialize" <<<"$err" && fail "pint $what started Kokkos"
done
OMPI_MCA_pml=no_such_pml timeout 30 "$pint" --problem dahlquist --slices 1 >/dev/null 2>&1 \
  && fail "the broken-MPI trap does not work (a run succeeded)"
"$pint" --problem dahlquist --slices 1 2>&1 >/dev/null | grep -q "Kokkos::OpenMP::initialize" \
  || fail "the Kokkos trap does not work (no warning from a run)"

# LibTorch: loaded by a run with a network, and only then.
LD_DEBUG=libs "$pint" --problem dahlquist --slices 1 2>&1 | grep -q "calling init: .*libtorch" \
  && fail "a numerical run loaded LibTorch"
if [[ "$("$pint" --version)" != *"not built in"* ]]; then
  LD_DEBUG=libs "$pint" --coarse pinn "${small[@]}" 2>&1 | grep -q "calling init: .*libtorch" \
    || fail "a run with --coarse pinn did not load LibTorch (the check cannot see it)"
fi

# stdout: only pint's output, also with Kokkos' warning (OMP_PROC_BIND unset) on stderr.
"$pint" --print-config >my.toml 2>/dev/null || fail "--print-config"
"$pint" --config my.toml --print-config 2>/dev/null | cmp -s - my.toml || fail "--print-config output does not read back"
grep -q "^rate = 0.03$" my.toml || fail "floats are not printed in their shortest form: $(grep rate my.toml)"
first=$("$pint" "${small[@]}" 2>/dev/null | head -1)
[[ "$first" == "pint run:"* ]] || fail "stdout of a run starts with '$first'"

# CLI.
"$pint" run --help | grep -q -- "--fine-space" || fail "pint run --help does not list the flags"
bench_help=$("$pint" bench --help 2>&1)
# The subcommands pint bench itself accepts (its argparse choices), all of them in pint --help.
bench_list=$(grep -o "{placements[^}]*}" <<<"$bench_help" | head -1)
[[ "$bench_list" == *coarse-compare*paraflow*all* ]] || fail "pint bench --help lists no subcommands: $bench_help"
"$pint" --help | grep -qF "$bench_list" || fail "pint --help does not list every bench subcommand ($bench_list)"
grep -q "coarse-compare" <<<"$bench_help" || fail "pint bench --help does not list its subcommands: $bench_help"
grep -q -- "--build-dir" <<<"$bench_help" && fail "pint bench --help shows --build-dir, which pint passes itself"
v=$("$pint" --version)
for part in "pint 0.1" "Kokkos 3" "spaces compiled in: serial" "LibTorch" "MPI: " "HDF5 1."; do
  grep -q "$part" <<<"$v" || fail "--version lacks '$part': $v"
done
"$pint" --config "$src/tests/cli/bad_key.toml" --config "$src/tests/cli/small_put.toml" --print-config 2>/dev/null \
  | grep -q '^option = "put"$' || fail "--config given twice does not take the last"
"$pint" "${small[@]}" --tolerance 0 --max-iterations 4 2>/dev/null | grep -q "^iterations        4 (converged)" \
  || fail "a run of N iterations on N slices is not reported converged"
"$pint" "${small[@]}" --tolerance 0 --max-iterations 2 2>/dev/null | grep -q "(stopped at max_iterations)" \
  || fail "a run stopped at its limit is reported converged"

# Launcher-less runs started together: Open MPI's isolated singletons share one session directory,
# which one removes while another creates it (about 1 in 100 runs died in orte_init before pint gave
# each its own). 3 loops of up to 40 runs at once (each loop stops after 20 s, so that a slow build, as
# under the sanitizers, stays bounded); none may fail, and none may leave its directory behind.
mkdir -p tmp
together() {
  local until=$((SECONDS + 20))
  for _ in $(seq 40); do
    ((SECONDS < until)) || return 0
    TMPDIR="$work/tmp" "$pint" --problem dahlquist --slices 1 >/dev/null 2>"race.$1.err" \
      || { head -3 "race.$1.err" >race.failed; return; }
  done
}
together a & together b & together c & wait
[[ -e race.failed ]] && fail "a run started beside others failed: $(cat race.failed)"
left=$(ls -A tmp)
[[ -z "$left" ]] || fail "launcher-less runs left session directories behind: $left"

[[ $failures -eq 0 ]] && echo "OK: start-up and CLI promises hold" || exit 1

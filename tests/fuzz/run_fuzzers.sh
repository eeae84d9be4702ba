#!/usr/bin/env bash
# Builds pint's libFuzzer targets with Debian's clang in build/fuzz, replays every committed
# regression input, then fuzzes each target for SECONDS (default 60) from a scratch copy of its seed
# corpus. Exit status 1 if a regression input fails or a fuzzer finds a crash, a sanitizer report, a
# timeout or an out-of-memory input (the input is kept in build/fuzz/artifacts/<target>/).
#   usage: tests/fuzz/run_fuzzers.sh [SECONDS]
# Environment: PINT_FUZZ_BUILD_DIR (default build/fuzz), PINT_FUZZ_JOBS (build jobs, default 2),
# PINT_FUZZ_TARGETS (default "pint_fuzz_config pint_fuzz_checkpoint"), PINT_FUZZ_SEED (default 1; 0 = random), PINT_FUZZ_KEEP_CORPUS=1 to go on
# from the corpus of the previous run instead of the seeds (for long local runs), PINT_FUZZ_ARGS (extra
# libFuzzer flags, e.g. "-jobs=2 -workers=2").
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds="${1:-60}"
build="${PINT_FUZZ_BUILD_DIR:-$root/build/fuzz}"
jobs="${PINT_FUZZ_JOBS:-2}"
read -r -a targets <<<"${PINT_FUZZ_TARGETS:-pint_fuzz_config pint_fuzz_checkpoint}"
t_start=$SECONDS

# ---- configure (once) and build the fuzz targets only, through the same ccache as cmake/bootstrap.sh
launcher=()
if command -v ccache >/dev/null 2>&1 && [[ "${PINT_CCACHE:-1}" == 1 ]]; then
  export CCACHE_DIR="${CCACHE_DIR:-${PINT_DEPS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pint-deps}/ccache}"
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$root}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  prefix_path="$(bash "$root/cmake/setup_dependencies.sh" | tail -n 1)" || { echo "fuzz: dependency set-up failed" >&2; exit 1; }
  echo "[fuzz] configuring $build (clang, -O1 -g, ASan + UBSan + libFuzzer coverage)"
  # RelWithDebInfo with -O1 -g and without -DNDEBUG: fast enough, good stack traces, asserts kept.
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g" \
    -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang -DCMAKE_PREFIX_PATH="$prefix_path" \
    -DPINT_ENABLE_FUZZERS=ON -DPINT_ENABLE_TESTS=OFF -DPINT_ENABLE_BENCHMARKS=OFF -DPINT_ENABLE_TORCH=OFF "${launcher[@]}" \
    >"$build.configure.log" 2>&1 \
    || { tail -30 "$build.configure.log" >&2; echo "fuzz: configure failed (log: $build.configure.log)" >&2; exit 1; }
fi
echo "[fuzz] building ${targets[*]} with $jobs jobs"
cmake --build "$build" --target "${targets[@]}" -j "$jobs" >"$build.build.log" 2>&1 \
  || { tail -40 "$build.build.log" >&2; echo "fuzz: build failed (log: $build.build.log)" >&2; exit 1; }
t_built=$SECONDS
echo "[fuzz] build: $((t_built - t_start)) s"

# LeakSanitizer is off: Open MPI (MPI_Init), Kokkos and HDF5 keep global allocations until exit by
# design; LeakSanitizer reports them as leaks at the end of every run, in code that is not pint's. Every
# other ASan and UBSan report ends the run as a crash (pint's code is built with -fno-sanitize-recover).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
export OMP_NUM_THREADS=1 OMP_PROC_BIND=false
common=(-timeout=10 -rss_limit_mb=2048)
# A fixed random seed (PINT_FUZZ_SEED, default 1): CI explores the same inputs in the same order on
# every run, so a red run is a reproducible finding, not luck; a slower machine only gets less far.
# PINT_FUZZ_SEED=0 lets libFuzzer pick a new seed (long local runs that look for new findings).
seed="${PINT_FUZZ_SEED:-1}"

status=0
summaries=()
for t in "${targets[@]}"; do
  exe="$build/tests/fuzz/$t"
  short="${t#pint_fuzz_}"
  art="$build/artifacts/$t"
  logs="$build/logs"
  mkdir -p "$art" "$logs"
  extra=()
  case "$t" in
    pint_fuzz_config) extra=(-dict="$here/config.dict") ;;
    pint_fuzz_checkpoint) extra=(-max_len=512) ;;
  esac

  # ---- regressions: every committed input that once failed must now be handled cleanly
  reg_total=0 reg_failed=()
  shopt -s nullglob
  for f in "$here/regressions/$t"/*; do
    [[ -f "$f" && "$(basename "$f")" != README* ]] || continue
    reg_total=$((reg_total + 1))
    if ! (cd "$build" && "$exe" "${common[@]}" "$f") >"$logs/$t.regression.$(basename "$f").log" 2>&1; then
      reg_failed+=("$(basename "$f")")
    fi
  done
  shopt -u nullglob

  # ---- fuzzing, from a scratch copy of the seeds (the committed corpus is never written to)
  corpus="$build/corpus/$t"
  if [[ "${PINT_FUZZ_KEEP_CORPUS:-0}" != 1 || ! -d "$corpus" ]]; then
    rm -rf "$corpus" && mkdir -p "$corpus" && cp "$here/corpus/$short"/* "$corpus"/
  fi
  log="$logs/$t.log"
  t0=$SECONDS
  # shellcheck disable=SC2086
  (cd "$build" && "$exe" "$corpus" "${common[@]}" "${extra[@]}" -seed="$seed" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$art/" ${PINT_FUZZ_ARGS:-}) >"$log" 2>&1
  rc=$?
  secs=$((SECONDS - t0))
  execs=$(grep -a 'stat::number_of_executed_units' "$log" | tail -1 | awk '{print $2}')
  cov=$(grep -aEo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -1)
  artifact=$(grep -aEo 'Test unit written to [^ ]+' "$log" | grep -v '/slow-unit-' | tail -1 | sed 's/Test unit written to //')
  result="OK"
  if [[ $rc -ne 0 || -n "$artifact" ]]; then
    kind=$(grep -aEo 'ERROR: (AddressSanitizer|libFuzzer|UndefinedBehaviorSanitizer): [a-zA-Z-]+|runtime error: [^:]*|FINDING: .{0,80}|deadly signal|timeout after [0-9]+ seconds' "$log" | head -1)
    result="FAILED (exit $rc${kind:+: $kind})${artifact:+ -> $artifact} (log: $log)"
    status=1
  fi
  reg="regressions ${#reg_failed[@]} of $reg_total failing"
  if [[ ${#reg_failed[@]} -gt 0 ]]; then
    reg+=" (${reg_failed[*]}; logs: $logs/$t.regression.*.log)"
    status=1
  fi
  summaries+=("$t: ${secs} s, ${execs:-0} executions, ${cov:-no coverage line}; $reg; fuzzing: $result")
done

echo "[fuzz] run: $((SECONDS - t_built)) s (build $((t_built - t_start)) s)"
for s in "${summaries[@]}"; do echo "$s"; done
exit $status

#!/usr/bin/env bash
# expect_failure.sh REGEX command...  -- passes if the command exits non-zero (not by a signal of its
# own crashing: 128+ codes other than MPI's abort are failures too) and its output matches REGEX.
regex="$1"; shift
out="$("$@" 2>&1)"; code=$?
printf '%s\n' "$out"
if [[ $code -eq 0 ]]; then echo "FAIL: expected a non-zero exit code"; exit 1; fi
if [[ $code -ge 128 && $code -ne 134 ]]; then echo "FAIL: killed by a signal (exit $code)"; exit 1; fi
if ! grep -Eq -- "$regex" <<<"$out"; then echo "FAIL: output does not match /$regex/"; exit 1; fi
echo "OK: exit $code, message matches"

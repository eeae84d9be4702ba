#!/usr/bin/env bash
# expect_failure.sh REGEX command...  -- passes if the command exits with an error code (1..127: a
# crash, a signal or a sanitizer abort is not an error message) and its output matches REGEX.
regex="$1"; shift
out="$("$@" 2>&1)"; code=$?
printf '%s\n' "$out"
if [[ $code -eq 0 ]]; then echo "FAIL: expected a non-zero exit code"; exit 1; fi
if [[ $code -ge 128 ]]; then echo "FAIL: killed by a signal or a sanitizer (exit $code)"; exit 1; fi
if ! grep -Eq -- "$regex" <<<"$out"; then echo "FAIL: output does not match /$regex/"; exit 1; fi
echo "OK: exit $code, message matches"

#!/usr/bin/env bash
# run_user_problem_test.sh PINT_BUILD_DIR WORK_DIR PREFIX_PATH PROJECT_DIR
# Installs pint and builds a project that defines its own problem in one source file against the
# installed package (find_package(pint)), registers it, and runs Parareal on it to the serial fine solution.
set -euo pipefail
build="$1" work="$2" prefix_path="$3" project="$4"
rm -rf "$work" && mkdir -p "$work"
cmake --install "$build" --prefix "$work/install" >"$work/install.log"
cmake -S "$project" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/install;$prefix_path" >"$work/configure.log" \
  || { cat "$work/configure.log"; exit 1; }
cmake --build "$work/build" -j 2 >"$work/build.log" || { cat "$work/build.log"; exit 1; }
"$work/build/pint_user_problem"

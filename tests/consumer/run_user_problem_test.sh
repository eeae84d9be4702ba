#!/usr/bin/env bash
# run_user_problem_test.sh PINT_BUILD_DIR WORK_DIR PREFIX_PATH PROJECT_DIR
# Installs pint and builds a project that defines its own problem in one source file against the
# installed package (find_package(pint)), registers it, and runs Parareal on it to the serial fine solution.
set -euo pipefail
build="$1" work="$2" prefix_path="$3" project="$4"
bash "$(dirname "${BASH_SOURCE[0]}")/build_consumer.sh" "$build" "$work" "$prefix_path" "$project"
"$work/build/pint_user_problem"

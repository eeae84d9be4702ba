#!/usr/bin/env bash
# build_consumer.sh PINT_BUILD_DIR WORK_DIR PREFIX_PATH PROJECT_DIR
# The part the consumer tests share: install pint into WORK_DIR/install, then configure and build the outside
# project PROJECT_DIR against it (find_package(pint)) in WORK_DIR/build. Logs stay in WORK_DIR.
set -euo pipefail
build="$1" work="$2" prefix_path="$3" project="$4"
rm -rf "$work" && mkdir -p "$work"
cmake --install "$build" --prefix "$work/install" >"$work/install.log"
cmake -S "$project" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/install;$prefix_path" >"$work/configure.log" \
  || { cat "$work/configure.log"; exit 1; }
cmake --build "$work/build" -j 2 >"$work/build.log" || { cat "$work/build.log"; exit 1; }

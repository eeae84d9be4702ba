#!/usr/bin/env bash
# nvcc through ccache (cmake/bootstrap.sh puts it first on PATH as `nvcc` for CUDA builds), with every "-Xcompiler ARG" joined into "-Xcompiler=ARG": ccache 4.7 moves
# arguments apart when it runs the preprocessor, and a separate -Xcompiler then takes the wrong one.
args=()
while [[ $# -gt 0 ]]; do
  if [[ "$1" == -Xcompiler && $# -gt 1 ]]; then args+=("-Xcompiler=$2"); shift 2; else args+=("$1"); shift; fi
done
exec ccache /usr/bin/nvcc "${args[@]}"

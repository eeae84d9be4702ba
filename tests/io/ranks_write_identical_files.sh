#!/usr/bin/env bash
# np 1, 2 and 4 write trajectories with identical datasets; h5dump shows the documented layout.
# usage: ranks_write_identical_files.sh PINT MPIEXEC "MPI FLAGS" WORKDIR
set -uo pipefail
pint="$1" mpiexec="$2" mpiflags="$3" work="$4"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
args=(--slices 8 --s-max 1000 --fine-steps 50 --coarse-steps 5 --compare-serial)
for np in 1 2 4; do
  $mpiexec -n $np $mpiflags "$pint" "${args[@]}" --output np$np.h5 >np$np.log 2>&1 || { cat np$np.log; exit 1; }
done
layout=$(h5dump -H np2.h5)
for path in 'GROUP "grid"' 'DATASET "x"' 'GROUP "time"' 'DATASET "t"' 'GROUP "parareal"' 'DATASET "iterates"' \
            'DATASET "change"' 'GROUP "serial_fine"' 'GROUP "exact"' 'DATASET "values"' 'ATTRIBUTE "config_toml"' \
            'ATTRIBUTE "git_revision"' 'ATTRIBUTE "kokkos_version"' 'ATTRIBUTE "mpi_size"' 'ATTRIBUTE "iterations_stored"'; do
  grep -q "$path" <<<"$layout" || { echo "FAIL: h5dump shows no $path"; exit 1; }
done
for np in 2 4; do
  for d in /grid/x /time/t /parareal/iterates /parareal/change /serial_fine/values /exact/values; do
    h5diff np1.h5 np$np.h5 "$d" "$d" || { echo "FAIL: $d differs between np 1 and np $np"; exit 1; }
  done
done
[[ -s np1.xmf ]] || { echo "FAIL: no XDMF sidecar"; exit 1; }
echo "OK: np 1, 2, 4 datasets identical; layout as documented"

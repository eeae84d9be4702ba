"""ParaView itself reads what pint writes: run by pvpython (Debian's python3-paraview), it opens a
`pint run --output` trajectory's .xmf with ParaView's XDMF reader, fetches the arrays at two times and
compares them with the HDF5 file's values (h5py), point by point and with the points' coordinates.

    pvpython paraview_reads_xdmf.py FILE.xmf FILE.h5

Checks, for the first and the last slice boundary: the reader reports the run's times; the dataset has one
point per unknown (a vtkStructuredGrid for a 2-D run, nx by ny points); each point sits at its grid
coordinate; the point arrays "parareal" (final iterate), "serial_fine" and "exact" equal the file's
values exactly (the reader reads the same doubles). Exit 0 and one line per check, or an assertion."""
import sys

import h5py
import numpy as np
from paraview import servermanager, simple
from vtk.util.numpy_support import vtk_to_numpy

xmf, h5 = sys.argv[1], sys.argv[2]
f = h5py.File(h5, "r")
t = f["/time/t"][()]
two_d = "/grid/y" in f
reader = simple.XDMFReader(FileNames=[xmf])
times = list(reader.TimestepValues)
assert np.allclose(times, t, rtol=0, atol=1e-14), f"ParaView's times {times[:4]}... differ from /time/t"
it = f["/parareal/iterates"]
final = it[it.shape[0] - 1]  # [N+1, M] or [N+1, nx, ny]
if two_d:
    x, y = f["/grid/x"][()], f["/grid/y"][()]
    coords = np.array([[xi, yj] for xi in x for yj in y])
else:
    coords = np.stack([f["/grid/x"][()], np.zeros(final.shape[1])], axis=1)
for n in (1, len(t) - 1):  # an early and the last slice boundary
    reader.UpdatePipeline(times[n])
    data = servermanager.Fetch(reader)
    if two_d:
        assert data.IsA("vtkStructuredGrid"), f"a 2-D run reads as {data.GetClassName()}, not a structured grid"
    m = data.GetNumberOfPoints()
    assert m == final[n].size, f"{m} points for {final[n].size} unknowns"
    pts = vtk_to_numpy(data.GetPoints().GetData())
    assert np.array_equal(pts[:, :2], coords), "points are not at the grid's coordinates in the file's order"
    for name, values in (("parareal", final[n]),
                         ("serial_fine", f["/serial_fine/values"][n] if "/serial_fine" in f else None),
                         ("exact", f["/exact/values"][n] if "/exact" in f else None)):
        if values is None:
            continue
        arr = data.GetPointData().GetArray(name)
        assert arr is not None, f"no point array '{name}' at t = {times[n]}"
        got = vtk_to_numpy(arr)
        assert np.array_equal(got, np.asarray(values).reshape(-1)), f"'{name}' at t = {times[n]} differs"
        print(f"paraview: {name} at t = {times[n]:.6g}: {m} values equal the HDF5 file's")
print(f"paraview: {xmf} read by ParaView's XDMF reader ({'2-D structured grid' if two_d else '1-D'})")

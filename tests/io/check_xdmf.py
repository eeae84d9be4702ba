#!/usr/bin/env python3
"""Schema check of pint's XDMF sidecar against its HDF5 file (ParaView's pvbatch is not installed
here: Debian's paraview is ~1 GB). Checks: well-formed XML with the Xdmf 2 structure ParaView reads;
a temporal collection with one grid per slice boundary and increasing times; every HDF DataItem names
a dataset that exists with exactly the declared dimensions; every hyperslab lies inside its dataset
and selects M values; the values a reader would get equal the file's."""
import sys
import xml.etree.ElementTree as ET

import h5py
import numpy as np

xmf, h5 = sys.argv[1], sys.argv[2]
root = ET.parse(xmf).getroot()
assert root.tag == "Xdmf" and root.get("Version") == "2.0", "not an Xdmf 2.0 document"
f = h5py.File(h5, "r")
N, M = int(f.attrs["slices"]), int(f.attrs["unknowns"])
coll = root.find("Domain/Grid")
assert coll.get("GridType") == "Collection" and coll.get("CollectionType") == "Temporal"
grids = coll.findall("Grid")
assert len(grids) == N + 1, f"{len(grids)} grids for {N + 1} slice boundaries"
times = [float(g.find("Time").get("Value")) for g in grids]
assert np.allclose(times, f["time/t"][:], rtol=0, atol=1e-15), "times differ from /time/t"
assert all(b > a for a, b in zip(times, times[1:])), "times not increasing"


def hdf(item):
    assert item.get("Format") == "HDF"
    fname, path = item.text.strip().split(":")
    assert fname == h5.split("/")[-1], f"sidecar points at {fname}"
    dims = tuple(int(d) for d in item.get("Dimensions").split())
    assert path in f, f"{path} missing in the HDF5 file"
    assert f[path].shape == dims, f"{path}: declared {dims}, file has {f[path].shape}"
    return f[path]


checked = 0
for n, g in enumerate(grids):
    topo = g.find("Topology")
    assert topo.get("TopologyType") == "Polyvertex" and int(topo.get("NumberOfElements")) == M
    geo = g.find("Geometry")
    assert geo.get("GeometryType") == "X_Y_Z"
    xs = [hdf(d) for d in geo.findall("DataItem")]
    assert len(xs) == 3
    for att in g.findall("Attribute"):
        slab = att.find("DataItem")
        assert slab.get("ItemType") == "HyperSlab" and int(slab.get("Dimensions")) == M
        sel, data = slab.findall("DataItem")
        ds = hdf(data)
        nums = np.array(sel.text.split(), dtype=int).reshape(3, -1)
        start, stride, count = nums
        assert all(s + (c - 1) * st < d for s, st, c, d in zip(start, stride, count, ds.shape)), "hyperslab out of bounds"
        assert np.prod(count) == M
        idx = tuple(slice(s, s + c * st, st) for s, st, c in zip(start, stride, count))
        values = ds[idx].reshape(-1)
        name = att.get("Name")
        expected = {"parareal": lambda: f["parareal/iterates"][-1, n, :],
                    "serial_fine": lambda: f["serial_fine/values"][n, :],
                    "exact": lambda: f["exact/values"][n, :]}[name]()
        assert np.array_equal(values, expected), f"{name} at boundary {n} reads other values"
        checked += 1
print(f"OK: {len(grids)} time steps, {checked} attributes, every reference resolves to the right data")

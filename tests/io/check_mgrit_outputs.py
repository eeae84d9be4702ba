#!/usr/bin/env python3
"""An MGRIT run's outputs agree with each other: the JSON summary's residual_per_iteration, the HDF5 file's
/parareal/residual, the rows' iteration numbers (the iterations whose residual was computed) and the
numbers `pint plot` drew (--dump-data). Usage: check_mgrit_outputs.py RUN.json RUN.h5 PLOT.json"""
import json
import math
import sys

import h5py

summary, h5, plotted = sys.argv[1], sys.argv[2], sys.argv[3]
s = json.load(open(summary))
d = json.load(open(plotted))
with h5py.File(h5, "r") as f:
    assert f.attrs["algorithm"] in (b"mgrit", "mgrit"), f.attrs["algorithm"]
    res = [None if math.isnan(x) else float(x) for x in f["/parareal/residual"][()]]
    rows = [int(k) for k in f["/parareal/iterates"].attrs["iterations_stored"]]
    levels = [int(n) for n in f["/parareal"].attrs["points_per_level"]]
assert s["algorithm"] == "mgrit"
assert res == s["residual_per_iteration"], (res, s["residual_per_iteration"])
assert rows == [k for k, r in enumerate(res) if r is not None], rows
assert levels == s["mgrit"]["points_per_level"], levels
assert len(levels) >= 3, levels
assert d["convergence"]["series"]["residual"] == [float("nan") if r is None else r for r in res] or \
    [None if (x is None or (isinstance(x, float) and math.isnan(x))) else x
     for x in d["convergence"]["series"]["residual"]] == res, d["convergence"]["series"]["residual"]
assert len(s["error_vs_serial"]["per_iteration"]) == len(rows)
print(f"ok: {len(res)} iterations, residuals {res}, rows {rows}, levels {levels}")

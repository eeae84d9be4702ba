"""The numbers `pint plot --dump-data` reports for a 2-D run's heat maps are the file's: the chosen
times are slice boundaries, and the largest value and error there equal what h5py computes."""
import json
import sys

import h5py
import numpy as np

d = json.load(open(sys.argv[1]))["heatmaps"]
f = h5py.File(sys.argv[2], "r")
t = f["/time/t"][()]
final = f["/parareal/iterates"][-1]
exact = f["/exact/values"][()]
assert d["times"] == [0.0, float(t[-1])], d["times"]
for k, time in enumerate(d["times"]):
    n = int(np.argmin(np.abs(t - time)))
    assert d["max_abs_value"][k] == float(np.max(np.abs(final[n])))
    assert d["max_error_vs_exact"][k] == float(np.max(np.abs(final[n] - exact[n])))
assert d["max_error_vs_exact"][0] == 0.0 and d["max_error_vs_exact"][1] > 0.0
print("heat-map data check: ok")

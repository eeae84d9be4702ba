#!/usr/bin/env python3
"""Test of drivers/pint_plot.py (`pint plot FILE.h5`).

    test_pint_plot.py --script drivers/pint_plot.py [--work-dir DIR] [REAL.h5 ...]

Writes small HDF5 files following the trajectory layout of `pint run --output` (Black-Scholes call
with /serial_fine and /exact; a heat-like run storing only the last iterate and no /exact; a
Black-Scholes put without /serial_fine), runs the script on each with --dump-data, checks that
the three PNGs are valid and non-trivial, and recomputes every plotted series from the file with
numpy (rtol 1e-12). Then checks the error paths (missing file, non-HDF5 file, missing dataset):
exit code 2 and a one-line message, no traceback. Every REAL.h5 given (output of the real
`pint run --output`) is plotted and checked the same way.
Exit 0 on success, 1 on failure, 77 (skipped) if h5py/numpy are missing.
"""
import argparse
import json
import math
import os
import struct
import shutil
import subprocess
import sys
import tomllib

try:
    import h5py
    import numpy as np
except ImportError as e:
    print(f"SKIP: needs h5py and numpy ({e})")
    sys.exit(77)

RTOL = 1e-12
failures = []


def check(cond, what):
    print(("ok    " if cond else "FAIL  ") + what)
    if not cond:
        failures.append(what)
    return cond


# ----------------------------------------------------------------------------------------------
# Synthetic files
# ----------------------------------------------------------------------------------------------
def bs_price(call, S, K, r, sigma, tau):
    if tau <= 0:
        return max(S - K, 0.0) if call else max(K - S, 0.0)
    if S <= 0:
        return 0.0 if call else K * math.exp(-r * tau)
    d1 = (math.log(S / K) + (r + 0.5 * sigma * sigma) * tau) / (sigma * math.sqrt(tau))
    d2 = d1 - sigma * math.sqrt(tau)
    Phi = lambda z: 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))  # noqa: E731
    c = S * Phi(d1) - K * math.exp(-r * tau) * Phi(d2)
    return c if call else c - S + K * math.exp(-r * tau)


def bs_config(option, strike, s_max, ds, slices):
    return f"""[problem]
kind = "black-scholes"

[black_scholes]
option = "{option}"
s_max = {s_max:.1f}
ds = {ds:.1f}
strike = {strike:.1f}
rate = 0.03
sigma = 0.4
maturity = 1.0

[fine]
method = "crank-nicolson"
steps = 20
rannacher_half_steps = 4
space = "serial"

[coarse]
method = "implicit-euler"
steps = 2
rannacher_half_steps = 0
space = "openmp"

[parareal]
slices = {slices}
max_iterations = 10
tolerance = 1e-9
"""


def put_str(attrs, name, value, fixed):
    """Strings as fixed-length (numpy bytes) or variable-length HDF5 strings: the reader takes both."""
    if fixed:
        attrs[name] = np.bytes_(value.encode())
    else:
        attrs.create(name, value, dtype=h5py.string_dtype("utf-8"))


def write_file(path, *, problem, config, x, t, exact, serial, iterates, stored, change,
               fixed_strings, with_exact=True, with_serial=True):
    N1, M = t.size, x.size
    with h5py.File(path, "w") as f:
        a = f.attrs
        for name, value in (("pint_version", "0.1.0"), ("git_revision", "synthetic"),
                            ("kokkos_version", "4.3.0"), ("kokkos_spaces", "serial,openmp"),
                            ("problem", problem), ("fine_propagator", "crank-nicolson@serial"),
                            ("coarse_propagator", "implicit-euler@openmp"), ("fine_space", "serial"),
                            ("coarse_space", "openmp"), ("config_toml", config)):
            put_str(a, name, value, fixed_strings)
        a["mpi_size"] = np.int32(1)
        a["slices"] = np.int32(N1 - 1)
        a["unknowns"] = np.int64(M)
        a["iterations"] = np.int32(change.size - 1)
        a["converged"] = np.int32(1)
        for name in ("parareal_seconds", "fine_slice_seconds", "coarse_slice_seconds"):
            a[name] = np.float64(0.01)
        a["serial_fine_seconds"] = np.float64(0.04 if with_serial else np.nan)
        f.create_dataset("/grid/x", data=x)
        f.create_dataset("/time/t", data=t)
        d = f.create_dataset("/parareal/iterates", data=iterates)
        d.attrs["iterations_stored"] = np.asarray(stored, dtype=np.int32)
        f.create_dataset("/parareal/change", data=change)
        if with_serial:
            f.create_dataset("/serial_fine/values", data=serial)
        if with_exact:
            f.create_dataset("/exact/values", data=exact)


def synthetic_trajectory(x, t, exact, K, scale):
    """serial fine = exact + smooth error; U^k = serial + an error that falls with k and vanishes at
    n <= k (Parareal's finite termination), U^k[0] = initial value."""
    N1, M = exact.shape
    shape = np.exp(-((x - x[M // 2]) / (0.15 * (x[-1] - x[0]) + 1e-300)) ** 2)
    grow = np.sqrt(t / t[-1])[:, None]
    serial = exact + 1e-3 * scale * grow * shape[None, :]
    rows = []
    for k in range(K + 1):
        e = serial + (5e-2 * scale * 10.0 ** (-2.5 * k)) * grow * np.cos(3 * x / x[-1])[None, :]
        e[: k + 1] = serial[: k + 1]
        e[0] = exact[0]
        rows.append(e)
    change = np.array([np.nan] + [5e-2 * 10.0 ** (-2.5 * k) for k in range(1, K + 1)])
    return serial, np.array(rows), change


def make_bs(path, option, *, fixed_strings, with_serial=True, with_exact=True, last_only=False):
    N, M, K, strike = 4, 21, 3, 100.0
    x = np.linspace(0.0, 400.0, M)
    t = np.linspace(0.0, 1.0, N + 1)
    exact = np.array([[bs_price(option == "call", s, strike, 0.03, 0.4, tau) for s in x] for tau in t])
    serial, iterates, change = synthetic_trajectory(x, t, exact, K, 1.0)
    stored = list(range(K + 1))
    if last_only:
        iterates, stored = iterates[-1:], [K]
    write_file(path, problem=f"black-scholes-{option}", config=bs_config(option, strike, 400.0, 20.0, N),
               x=x, t=t, exact=exact, serial=serial, iterates=iterates, stored=stored, change=change,
               fixed_strings=fixed_strings, with_exact=with_exact, with_serial=with_serial)


def make_heat(path):
    """Heat-like run: only the last iterate stored, no /exact."""
    N, M, K = 6, 17, 2
    x = np.linspace(0.0, 1.0, M)
    t = np.linspace(0.0, 0.1, N + 1)
    exact = np.exp(-np.pi ** 2 * t)[:, None] * np.sin(np.pi * x)[None, :]
    serial, iterates, change = synthetic_trajectory(x, t, exact, K, 0.1)
    config = ('[problem]\nkind = "heat"\n\n[heat]\nalpha = 1.0\nlength = 1.0\nintervals = 16\n'
              'mode = 1\nt_end = 0.1\n\n[parareal]\nslices = 6\ntolerance = 1e-10\n')
    write_file(path, problem="heat", config=config, x=x, t=t, exact=exact, serial=serial,
               iterates=iterates[-1:], stored=[K], change=change, fixed_strings=False, with_exact=False)


# ----------------------------------------------------------------------------------------------
# Independent recomputation of what the figures must show
# ----------------------------------------------------------------------------------------------
def text(v):
    if isinstance(v, np.ndarray):
        v = v.reshape(-1)[0]
    return v.decode() if isinstance(v, (bytes, np.bytes_)) else str(v)


STRING_ATTRS = ("pint_version", "git_revision", "kokkos_version", "kokkos_spaces", "problem",
                "fine_propagator", "coarse_propagator", "fine_space", "coarse_space", "config_toml")
INT_ATTRS = ("mpi_size", "slices", "unknowns", "iterations", "converged")
FLOAT_ATTRS = ("parareal_seconds", "fine_slice_seconds", "coarse_slice_seconds", "serial_fine_seconds")


def check_layout(path, label):
    """The file follows the trajectory layout (/tmp/h5layout.md, README): what the C++ writer owes."""
    with h5py.File(path, "r") as f:
        a = f.attrs
        for name in STRING_ATTRS:
            v = a.get(name)
            ok = v is not None and (isinstance(v, (str, bytes, np.bytes_)) or
                                    (isinstance(v, np.ndarray) and v.size == 1 and v.dtype.kind in "SOU"))
            check(ok, f"{label}: attribute /{name} is a string (got {type(v).__name__})")
        for name in INT_ATTRS + FLOAT_ATTRS:
            v = a.get(name)
            arr = None if v is None else np.asarray(v)
            kinds = "iu" if name in INT_ATTRS else "f"
            check(arr is not None and arr.shape == () and arr.dtype.kind in kinds,
                  f"{label}: attribute /{name} is a scalar {'integer' if kinds == 'iu' else 'double'}"
                  f" (got {None if arr is None else (arr.dtype, arr.shape)})")
        for name in ("/grid/x", "/time/t", "/parareal/iterates", "/parareal/change"):
            d = f.get(name)
            check(isinstance(d, h5py.Dataset) and d.dtype == np.float64, f"{label}: {name} is a double dataset")
        if not all(isinstance(f.get(n), h5py.Dataset) for n in ("/grid/x", "/time/t", "/parareal/iterates")):
            return
        M, N1 = f["/grid/x"].shape[0], f["/time/t"].shape[0]
        S = f["/parareal/iterates"].shape[0]
        K = int(a["iterations"]) if "iterations" in a else None
        check(a.get("slices") == N1 - 1 and a.get("unknowns") == M,
              f"{label}: slices = {a.get('slices')}, unknowns = {a.get('unknowns')} match /time/t [{N1}], /grid/x [{M}]")
        check(f["/parareal/iterates"].shape == (S, N1, M) and (S == 1 or S == (K or 0) + 1),
              f"{label}: /parareal/iterates is [S, N+1, M] = {f['/parareal/iterates'].shape}, S = K+1 or 1 (K = {K})")
        st = f["/parareal/iterates"].attrs.get("iterations_stored")
        want = list(range(S)) if S == (K or 0) + 1 else [K]
        check(st is not None and np.asarray(st).dtype.kind in "iu" and
              [int(k) for k in np.atleast_1d(st)] == want,
              f"{label}: /parareal/iterates attribute iterations_stored = {want} (got {None if st is None else list(np.atleast_1d(st))})")
        if isinstance(f.get("/parareal/change"), h5py.Dataset):
            ch = f["/parareal/change"][()]
            check(ch.shape == ((K or 0) + 1,) and math.isnan(ch[0]),
                  f"{label}: /parareal/change has K+1 = {(K or 0) + 1} entries, NaN at k = 0 (got {ch.shape})")
        for name in ("/serial_fine/values", "/exact/values"):
            if name in f:
                check(f[name].shape == (N1, M) and f[name].dtype == np.float64,
                      f"{label}: {name} is double [N+1, M] = ({N1}, {M})")
        if "serial_fine_seconds" in a:
            check(math.isnan(float(a["serial_fine_seconds"])) == ("/serial_fine/values" not in f),
                  f"{label}: serial_fine_seconds is NaN exactly when /serial_fine is absent")
        if "config_toml" in a:
            try:
                cfg = tomllib.loads(text(a["config_toml"]))
                check(True, f"{label}: config_toml parses as TOML")
                if text(a.get("problem", "")).startswith("black-scholes"):
                    k = cfg.get("black_scholes", {}).get("strike")
                    check(isinstance(k, (int, float)) and k > 0, f"{label}: config_toml has [black_scholes] strike ({k})")
            except tomllib.TOMLDecodeError as e:
                check(False, f"{label}: config_toml parses as TOML ({e})")


def pmax(values):
    """Largest value; NaN if any value is NaN (a diverged run must not look converged)."""
    values = list(values)
    return math.nan if any(math.isnan(v) for v in values) else max(values)


def expected_series(path):
    with h5py.File(path, "r") as f:
        x = f["/grid/x"][()]
        t = f["/time/t"][()]
        it = f["/parareal/iterates"][()]
        st = f["/parareal/iterates"].attrs.get("iterations_stored")
        stored = ([int(k) for k in np.atleast_1d(st)] if st is not None else
                  [int(f.attrs["iterations"])] if it.shape[0] == 1 and "iterations" in f.attrs else
                  list(range(it.shape[0])))
        serial = f["/serial_fine/values"][()] if "/serial_fine/values" in f else None
        exact = f["/exact/values"][()] if "/exact/values" in f else None
        change = f["/parareal/change"][()] if "/parareal/change" in f else None
        problem = text(f.attrs["problem"]) if "problem" in f.attrs else ""
        cfg = tomllib.loads(text(f.attrs["config_toml"])) if "config_toml" in f.attrs else {}
    strike = cfg.get("black_scholes", {}).get("strike") if problem.startswith("black-scholes") else None
    S, N1, M = it.shape
    exp = {}

    # Convergence.
    if serial is not None:
        conv = []
        for s in range(S):
            conv.append(pmax(abs(it[s, n, i] - serial[n, i]) for n in range(N1) for i in range(M)))
        exp["convergence"] = {"x": stored, "error_vs_serial_fine": conv,
                              "fine_discretisation_error":
                                  pmax(abs(float(v)) for v in (serial - exact).ravel())
                                  if exact is not None else None}
    else:
        exp["convergence"] = {"x": list(range(change.size)), "change": list(change)}

    # Error over time.
    cols = [i for i in range(M) if strike is None or 0.5 * strike <= x[i] <= 2.0 * strike]
    ref = exact if exact is not None else serial
    eot = {"x": list(t), "reference": "exact" if exact is not None else "serial_fine"}

    def err(v):
        return [pmax(abs(v[n, i] - ref[n, i]) for i in cols) for n in range(N1)]

    if 0 in stored:
        eot["coarse"] = err(it[stored.index(0)])
    if serial is not None and exact is not None:
        eot["serial_fine"] = err(serial)
    eot["parareal"] = err(it[-1])
    exp["error_over_time"] = eot
    exp["domain"] = None if strike is None else (0.5 * strike, 2.0 * strike)

    # Surface.
    scols = [i for i in range(M) if strike is None or x[i] <= 3.0 * strike]
    exp["surface"] = {"t": list(t), "x": [x[i] for i in scols],
                      "values": [[it[-1, n, i] for i in scols] for n in range(N1)]}
    return exp


def same(a, b):
    """Lists of numbers (None = NaN in the dump) equal to rtol."""
    a = np.array([np.nan if v is None else v for v in a], dtype=float)
    b = np.array([np.nan if v is None else v for v in b], dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=0.0, equal_nan=True))


def png_ok(path):
    try:
        with open(path, "rb") as f:
            head = f.read(24)
        size = os.path.getsize(path)
    except OSError:
        return False, "missing"
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return False, "not a PNG"
    w, h = struct.unpack(">II", head[16:24])
    return (size > 10000 and w >= 500 and h >= 400), f"{w}x{h}, {size} bytes"


def run_plot(script, h5, out_dir, dump):
    cmd = [sys.executable, script, h5, "--out-dir", out_dir, "--dump-data", dump]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


def check_file(script, h5, out_dir, label, expect=None):
    print(f"--- {label}: {h5}")
    stem = os.path.splitext(os.path.basename(h5))[0]
    dump = os.path.join(out_dir, stem + "_plotdata.json")
    for name in ("convergence", "error_over_time", "surface"):
        p = os.path.join(out_dir, f"{stem}_{name}.png")
        if os.path.exists(p):
            os.remove(p)
    r = run_plot(script, h5, out_dir, dump)
    if not check(r.returncode == 0, f"{label}: exit code 0 (got {r.returncode}; stderr: {r.stderr.strip()[-500:]})"):
        return
    for name in ("convergence", "error_over_time", "surface"):
        good, info = png_ok(os.path.join(out_dir, f"{stem}_{name}.png"))
        check(good, f"{label}: {stem}_{name}.png is a non-trivial PNG ({info})")
    with open(dump) as f:
        d = json.load(f)
    check_layout(h5, label)
    e = expected_series(h5)

    c, ec = d["convergence"], e["convergence"]
    check(c["x"] == ec["x"], f"{label}: convergence x = iterations {c['x']}")
    if "error_vs_serial_fine" in ec:
        check(c["mode"] == "error_vs_serial_fine", f"{label}: convergence shows the error vs serial fine")
        check(same(c["series"].get("error_vs_serial_fine", []), ec["error_vs_serial_fine"]),
              f"{label}: convergence max_(n,i) |U^k - serial fine| = {ec['error_vs_serial_fine']}")
        fe, efe = c["fine_discretisation_error"], ec["fine_discretisation_error"]
        check((fe is None and efe is None) or (fe is not None and efe is not None and same([fe], [efe])),
              f"{label}: fine discretisation error line = {efe}")
    else:
        check(c["mode"] == "change", f"{label}: convergence falls back to /parareal/change")
        check(same(c["series"].get("change", []), ec["change"]),
              f"{label}: convergence change values = {list(ec['change'])}")

    t, et = d["error_over_time"], e["error_over_time"]
    check(same(t["x"], et["x"]), f"{label}: error-over-time x = slice boundary times")
    check(t["reference"] == et["reference"], f"{label}: error-over-time reference = {et['reference']}")
    check((t["domain"] is None and e["domain"] is None) or
          (t["domain"] is not None and e["domain"] is not None and same(t["domain"], e["domain"])),
          f"{label}: error-over-time domain = {e['domain']}")
    keys = [k for k in ("coarse", "serial_fine", "parareal") if k in et]
    check(sorted(t["series"]) == sorted(keys), f"{label}: error-over-time series {keys} (got {sorted(t['series'])})")
    for k in keys:
        check(same(t["series"].get(k, []), et[k]), f"{label}: error-over-time '{k}' matches the file")

    s, es = d["surface"], e["surface"]
    check(same(s["t"], es["t"]), f"{label}: surface t")
    check(same(s["x"], es["x"]), f"{label}: surface x ({len(es['x'])} points, "
          f"{es['x'][0]:g} .. {es['x'][-1]:g})")
    check(len(s["values"]) == len(es["values"]) and
          all(same(a, b) for a, b in zip(s["values"], es["values"])),
          f"{label}: surface values = final iterate")
    if expect:
        expect(d)


def check_error(script, args, work, label, pattern):
    r = subprocess.run([sys.executable, script, *args, "--out-dir", work], capture_output=True, text=True,
                       timeout=120)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    check(r.returncode == 2, f"{label}: exit code 2 (got {r.returncode})")
    check("Traceback" not in r.stderr, f"{label}: no traceback")
    check(len(lines) == 1 and pattern in r.stderr, f"{label}: one-line message naming the problem: {r.stderr.strip()!r}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--script", required=True, help="path of drivers/pint_plot.py")
    p.add_argument("--work-dir", default=".", help="where to write the test files and figures")
    p.add_argument("real", nargs="*", metavar="REAL.h5", help="files written by the real `pint run --output`")
    a = p.parse_args()
    work = os.path.abspath(os.path.join(a.work_dir, "plot_test_output"))
    shutil.rmtree(work, ignore_errors=True)  # figures of an earlier run would be refused (no --overwrite)
    os.makedirs(work, exist_ok=True)
    script = os.path.abspath(a.script)

    call = os.path.join(work, "synthetic_call.h5")
    make_bs(call, "call", fixed_strings=True)

    def expect_call(d):
        check(d["strike"] == 100.0, "call: strike 100 read from config_toml")
        check(d["error_over_time"]["domain"] == [50.0, 200.0], "call: error domain S in [50, 200]")
        check(d["surface"]["x"][-1] == 300.0, "call: surface cut at S = 3K = 300")
        conv = d["convergence"]["series"]["error_vs_serial_fine"]
        check(all(b < a for a, b in zip(conv, conv[1:])), "call: synthetic error falls with k")

    check_file(script, call, work, "call (fixed-length string attributes)", expect_call)

    put = os.path.join(work, "synthetic_put_no_serial.h5")
    make_bs(put, "put", fixed_strings=False, with_serial=False)
    check_file(script, put, work, "put without /serial_fine (variable-length strings)")

    last = os.path.join(work, "synthetic_call_last_only.h5")
    make_bs(last, "call", fixed_strings=False, last_only=True)
    check_file(script, last, work, "call, --output-iterations last",
               lambda d: check("coarse" not in d["error_over_time"]["series"], "last only: no coarse series"))

    heat = os.path.join(work, "synthetic_heat.h5")
    make_heat(heat)
    check_file(script, heat, work, "heat without /exact, last iterate only",
               lambda d: check(d["error_over_time"]["domain"] is None, "heat: whole domain"))

    # Default output directory: next to the file (where check_file just drew the same figures).
    for name in ("convergence", "error_over_time", "surface"):
        os.remove(os.path.join(work, f"synthetic_call_{name}.png"))
    r = subprocess.run([sys.executable, script, call], capture_output=True, text=True, timeout=300)
    check(r.returncode == 0 and os.path.exists(os.path.join(work, "synthetic_call_surface.png")),
          "default --out-dir is the file's directory")
    # Existing figures are replaced only when asked, and then without a temporary left behind.
    before = open(os.path.join(work, "synthetic_call_surface.png"), "rb").read()
    r = subprocess.run([sys.executable, script, call], capture_output=True, text=True, timeout=300)
    check(r.returncode != 0 and "exists; pass --overwrite" in r.stderr
          and open(os.path.join(work, "synthetic_call_surface.png"), "rb").read() == before,
          "existing figures are refused without --overwrite and left as they were")
    r = subprocess.run([sys.executable, script, call, "--overwrite"], capture_output=True, text=True, timeout=300)
    check(r.returncode == 0 and not [f for f in os.listdir(work) if f.endswith(".tmp")],
          "--overwrite replaces them, no .tmp left")

    # Error paths.
    print("--- error paths")
    check_error(script, [os.path.join(work, "no_such_file.h5")], work, "missing file", "does not exist")
    bad = os.path.join(work, "not_hdf5.h5")
    with open(bad, "w") as f:
        f.write("this is not HDF5\n")
    check_error(script, [bad], work, "non-HDF5 file", "not an HDF5 file")
    empty = os.path.join(work, "empty.h5")
    open(empty, "w").close()
    check_error(script, [empty], work, "empty file", "not an HDF5 file")
    for missing in ("/grid/x", "/time/t", "/parareal/iterates"):
        h = os.path.join(work, "missing.h5")
        with h5py.File(h, "w") as f:
            for name, data in (("/grid/x", np.zeros(3)), ("/time/t", np.zeros(2)),
                               ("/parareal/iterates", np.zeros((1, 2, 3)))):
                if name != missing:
                    f.create_dataset(name, data=data)
        check_error(script, [h], work, f"missing {missing}", missing)
    h = os.path.join(work, "bad_shape.h5")
    with h5py.File(h, "w") as f:
        f["/grid/x"] = np.zeros(3)
        f["/time/t"] = np.zeros(2)
        f["/parareal/iterates"] = np.zeros((1, 4, 3))
    check_error(script, [h], work, "inconsistent shapes", "/parareal/iterates has shape")

    for i, real in enumerate(a.real):
        check(os.path.exists(real), f"real file {real} exists")
        if os.path.exists(real):
            check_file(script, os.path.abspath(real), work, f"real file {i + 1}")

    print()
    if failures:
        print(f"FAILED: {len(failures)} check(s):")
        for f in failures:
            print("  " + f)
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""pint plot: figures from the HDF5 trajectory file of `pint run --output FILE.h5`.

    pint_plot.py FILE.h5 [--out-dir DIR] [--dump-data JSON]

A 2-D run (heat2d: /grid/y present) gets one PNG, <stem>_heatmaps.png: the final Parareal iterate as
heat maps at the chosen times (--times T1,T2,...; default first, middle, last slice boundary), each next to
its error map against the closed form.

For a 1-D run, writes three PNGs, named after the file's stem, into DIR (default: the file's directory):
  <stem>_convergence.png     max_{n,i} |U^k[n]_i - serial_fine[n]_i| per stored iteration k (log y),
                             with the fine method's own discretisation error max |serial_fine - exact|
                             as a dashed line; without /serial_fine: the /parareal/change values.
  <stem>_error_over_time.png per slice boundary t_n, max_i |value - exact| for the coarse solution
                             (k = 0), the serial fine solution and the final Parareal iterate (log y);
                             Black-Scholes: max over S in [K/2, 2K] only; without /exact: error
                             against /serial_fine.
  <stem>_surface.png         the final Parareal iterate over (t_n, x); Black-Scholes: S in [0, 3K].
--dump-data writes the numbers plotted (per figure: x values and every y series) as JSON; NaN is
written as null.

The file layout is the one `pint run --output` writes (see README, "HDF5 trajectory layout").
Errors in the input (missing file, not HDF5, missing datasets, inconsistent shapes) are reported
as one line on stderr with exit code 2.
"""
import argparse
import json
import math
import os
import sys

from pint_files import remove_quietly, save_figure_atomically

PROG = "pint plot"
EXIT_INPUT = 2


class PlotError(Exception):
    """An error in the input or the environment, reported as one line (exit code 2)."""


def _fail(msg):
    print(f"{PROG}: error: {msg}", file=sys.stderr)
    sys.exit(EXIT_INPUT)


try:
    import numpy as np
    import h5py
except ImportError as e:  # e.g. run by a Python that does not see the system packages
    _fail(f"needs the Python packages numpy and h5py ({e}); run it with a python3 that has them, "
          "e.g. /usr/bin/python3 on Debian (apt install python3-h5py python3-matplotlib)")


# ----------------------------------------------------------------------------------------------
# Reading the file
# ----------------------------------------------------------------------------------------------
def _attr_str(value):
    """A string attribute, stored as variable- or fixed-length HDF5 string (or a 1-element array)."""
    if value is None:
        return None
    if isinstance(value, np.ndarray):
        if value.size != 1:
            return None
        value = value.reshape(-1)[0]
    if isinstance(value, (bytes, np.bytes_)):
        return bytes(value).decode("utf-8", errors="replace").rstrip("\x00")
    return str(value)


def _attr_num(value):
    """A numeric attribute, scalar or 1-element array; None if absent or not a number."""
    if value is None:
        return None
    arr = np.asarray(value)
    if arr.size != 1 or arr.dtype.kind not in "iufb":
        return None
    return float(arr.reshape(-1)[0])


class Run:
    """The contents of one trajectory file needed for the figures."""

    def __init__(self, path):
        if not os.path.exists(path):
            raise PlotError(f"file '{path}' does not exist")
        if os.path.isdir(path):
            raise PlotError(f"'{path}' is a directory, not an HDF5 file")
        try:
            is_h5 = h5py.is_hdf5(path)
        except OSError as e:
            raise PlotError(f"cannot read '{path}': {e.strerror or e}")
        if not is_h5:
            raise PlotError(f"'{path}' is not an HDF5 file")
        try:
            with h5py.File(path, "r") as f:
                self._read(f, path)
        except OSError as e:
            raise PlotError(f"cannot read '{path}': {e}")
        except (ValueError, TypeError) as e:  # e.g. a dataset of strings where numbers belong
            raise PlotError(f"'{path}' does not follow the pint trajectory layout: {e}")

    def _read(self, f, path):
        self.path = path

        def need(name):
            obj = f.get(name)
            if obj is None or not isinstance(obj, h5py.Dataset):
                raise PlotError(f"'{path}' has no dataset {name} (is it a `pint run --output` file?)")
            return obj

        def optional(name):
            obj = f.get(name)
            return obj if isinstance(obj, h5py.Dataset) else None

        self.x = np.asarray(need("/grid/x")[()], dtype=float).reshape(-1)
        self.t = np.asarray(need("/time/t")[()], dtype=float).reshape(-1)
        it = need("/parareal/iterates")
        self.iterates = np.asarray(it[()], dtype=float)
        M, N1 = self.x.size, self.t.size
        if M < 1 or N1 < 1:
            raise PlotError(f"'{path}': /grid/x and /time/t must not be empty")
        if self.iterates.ndim == 2:  # tolerate a single iterate written without the leading axis
            self.iterates = self.iterates[None, :, :]
        if self.iterates.ndim != 3 or self.iterates.shape[1:] != (N1, M):
            raise PlotError(f"'{path}': /parareal/iterates has shape {it.shape}, expected "
                            f"(S, {N1}, {M}) from /time/t [{N1}] and /grid/x [{M}]")
        S = self.iterates.shape[0]
        if S < 1:
            raise PlotError(f"'{path}': /parareal/iterates holds no iterate")
        # Values per grid point (a two-species model stores them point-major): the surface shows the first.
        comps = _attr_num(f["/grid"].attrs.get("components")) if "/grid" in f else None
        self.components = int(comps) if comps is not None and math.isfinite(comps) and comps >= 1 else 1
        if M % self.components != 0:
            raise PlotError(f"'{path}': /grid/x has {M} values, not a multiple of its {self.components} components")

        attrs = f.attrs
        self.problem = _attr_str(attrs.get("problem")) or ""
        self.config_toml = _attr_str(attrs.get("config_toml")) or ""
        self.algorithm = _attr_str(attrs.get("algorithm")) or "parareal"  # files before MGRIT: Parareal
        iterations = _attr_num(attrs.get("iterations"))
        self.iterations = int(iterations) if iterations is not None and math.isfinite(iterations) else None

        stored = it.attrs.get("iterations_stored")
        if stored is not None:
            stored = np.atleast_1d(np.asarray(stored)).reshape(-1)
            if stored.size != S or stored.dtype.kind not in "iu":
                raise PlotError(f"'{path}': /parareal/iterates attribute iterations_stored has "
                                f"{stored.size} entries of type {stored.dtype}, expected {S} integers")
            self.iterations_stored = [int(k) for k in stored]
        elif self.iterations is not None and S == 1:
            self.iterations_stored = [self.iterations]
        else:
            self.iterations_stored = list(range(S))

        def field(name):
            d = optional(name)
            if d is None:
                return None
            v = np.asarray(d[()], dtype=float)
            if v.shape != (N1, M):
                raise PlotError(f"'{path}': {name} has shape {d.shape}, expected ({N1}, {M})")
            return v

        self.serial_fine = field("/serial_fine/values")
        self.exact = field("/exact/values")
        ch = optional("/parareal/change")
        self.change = None if ch is None else np.asarray(ch[()], dtype=float).reshape(-1)
        # MGRIT's residual norm per iteration (NaN where none was computed); files before MGRIT lack it.
        rs = optional("/parareal/residual")
        self.residual = None if rs is None else np.asarray(rs[()], dtype=float).reshape(-1)
        if self.residual is not None and not np.isfinite(self.residual).any():
            self.residual = None

        self.config = {}
        if self.config_toml:
            try:
                import tomllib
                self.config = tomllib.loads(self.config_toml)
            except Exception as e:  # noqa: BLE001 - a bad config only loses the labels it feeds
                print(f"{PROG}: warning: cannot parse the config_toml attribute ({e})", file=sys.stderr)

        kind = (self.config.get("problem") or {}).get("kind", "")
        self.is_black_scholes = self.problem.startswith("black-scholes") or kind == "black-scholes"
        self.kind = ("black-scholes" if self.is_black_scholes else
                     "heat" if self.problem.startswith("heat") or kind == "heat" else
                     "dahlquist" if self.problem.startswith("dahlquist") or kind == "dahlquist" else
                     self.problem or kind or "unknown problem")
        self.strike = None
        if self.is_black_scholes:
            k = (self.config.get("black_scholes") or {}).get("strike")
            if isinstance(k, (int, float)) and not isinstance(k, bool) and math.isfinite(k) and k > 0:
                self.strike = float(k)
            else:
                print(f"{PROG}: warning: no [black_scholes] strike in the config_toml attribute; "
                      "showing the whole S range", file=sys.stderr)
        tol = (self.config.get("parareal") or {}).get("tolerance")
        self.tolerance = float(tol) if isinstance(tol, (int, float)) and not isinstance(tol, bool) else None

    # The unknowns inside the domain of interest (Black-Scholes: K/2 <= S <= 2K, as `pint run`).
    def domain_mask(self):
        if self.strike is None:
            return None
        mask = (self.x >= 0.5 * self.strike) & (self.x <= 2.0 * self.strike)
        return mask if mask.any() else None

    def surface_mask(self):
        if self.components > 1:  # the first component's values: every components-th unknown
            return np.arange(self.x.size) % self.components == 0
        if self.strike is None:
            return None
        mask = self.x <= 3.0 * self.strike
        return mask if mask.sum() >= 2 else None


# ----------------------------------------------------------------------------------------------
# The numbers plotted
# ----------------------------------------------------------------------------------------------
def _max_abs(a, b, axes):
    return np.max(np.abs(a - b), axis=axes)


def convergence_data(run):
    d = {"x_label": "iteration k", "fine_discretisation_error": None,
         "fine_discretisation_error_domain": None, "domain": None, "tolerance": None}
    if run.serial_fine is not None:
        d["mode"] = "error_vs_serial_fine"
        d["x"] = list(run.iterations_stored)
        d["series"] = {"error_vs_serial_fine":
                       [float(_max_abs(run.iterates[s], run.serial_fine, None))
                        for s in range(run.iterates.shape[0])]}
        if run.exact is not None:
            d["fine_discretisation_error"] = float(_max_abs(run.serial_fine, run.exact, None))
            mask = run.domain_mask()
            if mask is not None:
                d["fine_discretisation_error_domain"] = float(
                    _max_abs(run.serial_fine[:, mask], run.exact[:, mask], None))
                d["domain"] = [0.5 * run.strike, 2.0 * run.strike]
    elif run.residual is not None:
        d["mode"] = "residual"
        d["x"] = list(range(run.residual.size))
        d["series"] = {}
        d["tolerance"] = run.tolerance
    elif run.change is not None:
        d["mode"] = "change"
        d["x"] = list(range(run.change.size))
        d["series"] = {"change": [float(c) for c in run.change]}
        d["tolerance"] = run.tolerance
    else:
        d["mode"] = "none"
        d["x"] = []
        d["series"] = {}
    if run.residual is not None:
        d["residual_x"] = list(range(run.residual.size))
        d["series"]["residual"] = [float(r) for r in run.residual]
    return d


def error_over_time_data(run):
    d = {"x": [float(t) for t in run.t], "domain": None, "series": {}}
    mask = run.domain_mask()
    cols = slice(None) if mask is None else mask
    if mask is not None:
        d["domain"] = [0.5 * run.strike, 2.0 * run.strike]
    if run.exact is not None:
        d["reference"] = "exact"
        ref = run.exact
    elif run.serial_fine is not None:
        d["reference"] = "serial_fine"
        ref = run.serial_fine
    else:
        d["reference"] = None
        return d

    def err(values):
        return [float(e) for e in _max_abs(values[:, cols], ref[:, cols], 1)]

    if 0 in run.iterations_stored:
        d["series"]["coarse"] = err(run.iterates[run.iterations_stored.index(0)])
    if run.serial_fine is not None and d["reference"] == "exact":
        d["series"]["serial_fine"] = err(run.serial_fine)
    d["series"]["parareal"] = err(run.iterates[-1])
    d["parareal_k"] = run.iterations_stored[-1]
    return d


def surface_data(run):
    mask = run.surface_mask()
    cols = slice(None) if mask is None else mask
    return {"t": [float(t) for t in run.t],
            "x": [float(v) for v in run.x[cols]],
            "values": [[float(v) for v in row] for row in run.iterates[-1][:, cols]],
            "k": run.iterations_stored[-1],
            "x_range": None if mask is None or run.strike is None else [0.0, 3.0 * run.strike],
            "component": None if run.components == 1 else f"component 1 of {run.components}"}


# ----------------------------------------------------------------------------------------------
# Figures
# ----------------------------------------------------------------------------------------------
DPI = 120


def _labels(run):
    if run.is_black_scholes:
        return ("τ  (time to maturity, years)", "S  (price of the underlying)", "V  (option value)")
    if run.kind == "heat":
        return ("t  (time)", "x  (position)", "u(t, x)")
    if run.kind == "dahlquist":
        return ("t  (time)", "i  (index of the unknown y_i)", "y_i(t)")
    return ("t  (time)", "x  (coordinate of the unknown)", "value")


def _title_prefix(run):
    name = os.path.basename(run.path)
    k = run.iterations
    iters = "" if k is None else f", {k} iteration{'s' if k != 1 else ''}"
    return f"{run.problem or run.kind}  ({name}: N = {run.t.size - 1} slice{'s' if run.t.size != 2 else ''}, M = {run.x.size} unknown{'s' if run.x.size != 1 else ''}{iters})"


def _positive(values):
    """Values for a log axis: non-positive and non-finite ones become NaN (not drawn)."""
    a = np.array([np.nan if v is None else v for v in values], dtype=float)
    a[~(a > 0)] = np.nan
    return a


def _where(xs, idx, name, fmt):
    if len(idx) <= 6:
        return f"{name} = " + ", ".join(format(xs[i], fmt) for i in idx)
    return f"{len(idx)} of the {len(xs)} values of {name}"


def _unplottable_notes(xs, raw, name, fmt, what):
    """Notes for the values a log axis cannot show: exact zeros and NaN/inf (e.g. a divergence)."""
    notes = []
    zero = [i for i, v in enumerate(raw) if v == 0.0]
    bad = [i for i, v in enumerate(raw) if v is None or not math.isfinite(v)]
    if zero:
        notes.append(f"{what} exactly 0 at {_where(xs, zero, name, fmt)} (not drawn on the log axis)")
    if bad:
        notes.append(f"{what} not finite (NaN/inf) at {_where(xs, bad, name, fmt)}")
    return notes


def _finish(fig, notes, out):
    """Notes go in a box under the axes (never over the data); then lay out and save."""
    bottom = 0.0
    if notes:
        text = "\n".join(notes)
        lines = text.count("\n") + 1
        fig.text(0.5, 0.012, text, ha="center", va="bottom", fontsize=9,
                 bbox=dict(boxstyle="round,pad=0.4", facecolor="#fff8dc", edgecolor="0.5"))
        bottom = (0.035 + 0.032 * lines) * 5.0 / fig.get_figheight()
    fig.tight_layout(rect=(0, bottom, 1, 1))
    save_figure_atomically(fig, out)


def _set_log_y(ax, arrays):
    """Log y if there is anything positive to show, else linear (and say why). When the data span
    less than about two decades, the 2x and 5x ticks are labelled too (else one label or none)."""
    if not any(np.isfinite(a).any() for a in arrays):
        return False
    from matplotlib.ticker import LogFormatterSciNotation, LogLocator
    ax.set_yscale("log")
    vals = np.concatenate([a[np.isfinite(a)] for a in arrays])
    if vals.max() / vals.min() < 100.0:
        ax.yaxis.set_minor_locator(LogLocator(base=10.0, subs=(2.0, 3.0, 5.0)))
        ax.yaxis.set_minor_formatter(LogFormatterSciNotation(labelOnlyBase=False, minor_thresholds=(3, 3)))
    return True


def plot_convergence(run, d, out, plt):
    fig, ax = plt.subplots(figsize=(7.5, 5.8), dpi=DPI)
    x = np.array(d["x"], dtype=float)
    notes = []
    drawn = []
    if d["mode"] == "error_vs_serial_fine":
        y = _positive(d["series"]["error_vs_serial_fine"])
        name = "MGRIT" if run.algorithm == "mgrit" else "Parareal"
        ax.plot(x, y, "o-", color="C0", lw=2, ms=6,
                label=name + r": $\max_{n,i}\,|U^k_n - U^{\mathrm{fine}}_n|$")
        drawn.append(y)
        notes += _unplottable_notes(d["x"], d["series"]["error_vs_serial_fine"], "k", "d", "error")
        ax.set_ylabel("max error against the serial fine solution\n(over all slice boundaries and unknowns)")
        fe, fd = d["fine_discretisation_error"], d["fine_discretisation_error_domain"]
        # The one for the domain of interest only if it differs visibly from the overall one.
        same_fd = fd is not None and fe is not None and abs(fd - fe) <= 0.05 * fe
        if fe is not None and fe > 0:
            ax.axhline(fe, color="C3", ls="--", lw=1.5,
                       label=r"fine discretisation error $\max_{n,i}\,|U^{\mathrm{fine}}_n - u_{\mathrm{exact}}|$"
                             + f" = {fe:.2e}" + (" (also on S in [{:g}, {:g}])".format(*d["domain"]) if same_fd else ""))
            drawn.append(np.array([fe]))
        if fd is not None and fd > 0 and not same_fd:
            lo, hi = d["domain"]
            ax.axhline(fd, color="C3", ls=":", lw=1.5,
                       label=f"fine discretisation error for S in [{lo:g}, {hi:g}] only = {fd:.2e}")
            drawn.append(np.array([fd]))
        if run.exact is None:
            notes.append("no /exact in the file: fine discretisation error not shown")
        title = "Parareal convergence to the serial fine solution"
    elif d["mode"] == "change":
        y = _positive(d["series"]["change"])
        ax.plot(x, y, "s-", color="C1", lw=2, ms=6,
                label="largest relative change of a slice value in iteration k")
        drawn.append(y)
        if d["tolerance"] is not None and d["tolerance"] > 0:
            ax.axhline(d["tolerance"], color="0.4", ls="--", lw=1.2, label=f"tolerance = {d['tolerance']:g}")
            drawn.append(np.array([d["tolerance"]]))
        ax.set_ylabel("largest relative change of a slice value\n(/parareal/change)")
        notes.append("no /serial_fine in the file (run with --compare-serial):\n"
                     "showing the iteration-to-iteration change, not the error")
        change = d["series"]["change"]
        if change and not math.isfinite(change[0]):
            notes.append("k = 0 has no previous iterate, hence no change")
        notes += _unplottable_notes(d["x"][1:], change[1:], "k", "d", "change")
        title = "Parareal convergence (change between iterations)"
    elif d["mode"] == "residual":
        ax.set_ylabel("MGRIT residual norm")
        if d["tolerance"] is not None and d["tolerance"] > 0:
            ax.axhline(d["tolerance"], color="0.4", ls="--", lw=1.2, label=f"tolerance = {d['tolerance']:g}")
            drawn.append(np.array([d["tolerance"]]))
        notes.append("no /serial_fine in the file (run with --compare-serial):\n"
                     "showing the residual, not the error")
        title = "MGRIT convergence (residual)"
    else:
        notes.append("no /serial_fine and no /parareal/change in the file:\nnothing to show")
        ax.set_ylabel("error")
        title = "Parareal convergence"
    mgrit = "residual" in d["series"]
    if mgrit:
        # XBraid's residual: sqrt(sum over the C-points of |r(c)|^2), r(c) = Phi(u(c-1)) - u(c).
        rx = np.array(d["residual_x"], dtype=float)
        ry = np.array([np.nan if r is None else r for r in d["series"]["residual"]], dtype=float)
        ok = np.isfinite(ry) & (ry > 0)
        ax.plot(rx[ok], ry[ok], "^-", color="C2", lw=2, ms=6,
                label=r"MGRIT residual norm $\sqrt{\sum_c |r(c)|_2^2}$ (XBraid's)")
        drawn.append(ry[ok])
        zero = np.isfinite(ry) & (ry == 0)
        if zero.any():
            notes.append("residual exactly 0 at k = " + ", ".join(str(int(k)) for k in rx[zero]))
        if not np.isfinite(ry[:1]).all():
            notes.append("k = 0: no residual (skip: the coarse predictor)")
        title = title.replace("Parareal", "MGRIT")
        if d["mode"] == "error_vs_serial_fine":
            ax.set_ylabel("max error against the serial fine solution / residual norm")
    if not _set_log_y(ax, drawn) and d["mode"] != "none":
        notes.append("no positive values: linear axis")
    ax.set_xlabel("MGRIT iteration k  (XBraid's numbering)" if mgrit else
                  "Parareal iteration k  (k = 0: initial coarse sweep)")
    if x.size:
        ax.set_xticks(x if x.size <= 20 else np.unique(np.linspace(x.min(), x.max(), 11).round()))
        if x.size == 1:
            ax.set_xlim(x[0] - 1, x[0] + 1)
    ax.grid(True, which="major", alpha=0.4)
    ax.grid(True, which="minor", alpha=0.12)
    ax.set_title(title + "\n" + _title_prefix(run), fontsize=10)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), fontsize=9, framealpha=0.95)
    _finish(fig, notes, out)
    plt.close(fig)


def plot_error_over_time(run, d, out, plt):
    t_label, x_label, _ = _labels(run)
    fig, ax = plt.subplots(figsize=(7.5, 5.0), dpi=DPI)
    t = np.array(d["x"], dtype=float)
    var = x_label.split()[0]
    where = f"{var} in [{d['domain'][0]:g}, {d['domain'][1]:g}]" if d["domain"] else "all unknowns"
    # The serial fine line is drawn wide and below the Parareal one: once converged they coincide.
    styles = {"coarse": dict(color="C2", marker="^", ls="-", lw=2, ms=6, label="coarse solution (k = 0)"),
              "serial_fine": dict(color="C3", marker="s", ls="-", lw=5, ms=10, alpha=0.45,
                                  label="serial fine solution"),
              "parareal": dict(color="C0", marker="o", ls="--", lw=1.8, ms=4,
                               label=f"Parareal, final iterate (k = {d.get('parareal_k')})")}
    drawn, notes, unplottable = [], [], {}
    for key in ("coarse", "serial_fine", "parareal"):
        if key not in d["series"]:
            continue
        raw = d["series"][key]
        y = _positive(raw)
        ax.plot(t, y, **styles[key])
        drawn.append(y)
        for n in _unplottable_notes(list(t), raw, t_label.split()[0] + "_n", ".4g", "error"):
            unplottable.setdefault(n, []).append(styles[key]["label"].split(",")[0].split(" (")[0])
    for n, who in unplottable.items():  # one line per kind of gap, naming the series it hits
        notes.append(f"{', '.join(who)}: {n}")
    if d["reference"] is None:
        notes.append("no /exact and no /serial_fine in the file: no reference to measure errors against")
    elif d["reference"] == "serial_fine":
        notes.append("no /exact in the file: errors are against the serial fine solution")
    if "coarse" not in d["series"] and d["reference"] is not None:
        notes.append("iterate k = 0 not stored in the file: coarse solution not shown")
    if not _set_log_y(ax, drawn) and d["reference"] is not None:
        notes.append("no positive values: linear axis")
    ax.set_xlabel(t_label.replace("τ", "slice boundary τ_n", 1) if run.is_black_scholes
                  else "slice boundary time t_n")
    against = "exact solution" if d["reference"] == "exact" else "serial fine solution"
    ax.set_ylabel(f"max error against the {against}\nover {where}")
    title = f"Error at the slice boundaries against the {against}"
    if d["domain"]:
        title += f" ({where})"
    ax.set_title(title + "\n" + _title_prefix(run), fontsize=10)
    ax.grid(True, which="major", alpha=0.4)
    ax.grid(True, which="minor", alpha=0.12)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="best", fontsize=9, framealpha=0.95)
    _finish(fig, notes, out)
    plt.close(fig)


def plot_surface(run, d, out, plt):
    t_label, x_label, v_label = _labels(run)
    t = np.array(d["t"], dtype=float)
    x = np.array(d["x"], dtype=float)
    V = np.array(d["values"], dtype=float)
    where = f", {x_label.split()[0]} in [0, {d['x_range'][1]:g}]" if d["x_range"] else ""
    if d.get("component"):
        where += f", {d['component']}"
    title = f"Solution, final Parareal iterate (k = {d['k']}){where}\n" + _title_prefix(run)
    if t.size >= 2 and x.size > 8:
        fig = plt.figure(figsize=(8.5, 6.5), dpi=DPI)
        ax = fig.add_subplot(111, projection="3d")
        T, X = np.meshgrid(t, x, indexing="ij")
        finite = np.isfinite(V)
        vmin = np.min(V[finite]) if finite.any() else 0.0
        vmax = np.max(V[finite]) if finite.any() else 1.0
        # One facet row per slice (the values live at the slice boundaries t_n only).
        surf = ax.plot_surface(X, T, V, cmap="viridis", vmin=vmin, vmax=vmax,
                               rcount=min(t.size, 64), ccount=min(x.size, 80),
                               linewidth=0.25, edgecolor=(0, 0, 0, 0.3), antialiased=True)
        ax.set_xlabel(x_label, labelpad=10)
        ax.set_ylabel(t_label, labelpad=10)
        ax.set_zlabel(v_label, labelpad=8)
        ax.view_init(elev=28, azim=-125)
        ax.set_box_aspect(None, zoom=0.92)
        fig.colorbar(surf, ax=ax, shrink=0.55, pad=0.04, label=v_label)
        fig.suptitle(title, fontsize=10, y=0.975)
        fig.subplots_adjust(left=0.0, right=0.95, bottom=0.03, top=0.93)
    else:  # few unknowns (e.g. Dahlquist) or one time: lines
        fig, ax = plt.subplots(figsize=(7.5, 5.0), dpi=DPI)
        if t.size >= 2:
            for i in range(x.size):
                ax.plot(t, V[:, i], "o-", ms=4, label=f"{x_label.split()[0]} = {x[i]:g}")
            ax.set_xlabel(t_label.replace("τ", "slice boundary τ_n", 1) if run.is_black_scholes
                          else "slice boundary time t_n")
            ax.legend(fontsize=9, framealpha=0.95)
        else:
            ax.plot(x, V[0], "o-" if x.size <= 50 else "-", ms=4)
            ax.set_xlabel(x_label)
        ax.set_ylabel(v_label)
        ax.grid(True, alpha=0.4)
        ax.set_title(title, fontsize=10)
        fig.tight_layout()
    save_figure_atomically(fig, out)
    plt.close(fig)


# ----------------------------------------------------------------------------------------------
def _json_safe(obj):
    if isinstance(obj, dict):
        return {k: _json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json_safe(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def check_outputs(out_dir, paths, overwrite):
    """Refuses, before any work, outputs that cannot be written or would replace a file unasked."""
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise PlotError(f"--out-dir '{out_dir}' is not a directory")
    parent = out_dir if os.path.isdir(out_dir) else os.path.dirname(os.path.abspath(out_dir))
    if not os.path.isdir(parent):
        raise PlotError(f"--out-dir '{out_dir}': its parent directory '{parent}' does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise PlotError(f"cannot write to '{parent}' (not writable)")
    for path in paths:
        if os.path.isdir(path):
            raise PlotError(f"'{path}' is a directory; it would be replaced by an output")
        d = os.path.dirname(os.path.abspath(path))
        if path not in paths[:3] and not os.path.isdir(d):
            raise PlotError(f"--dump-data '{path}': directory '{d}' does not exist")
        if os.path.exists(path) and not overwrite:
            raise PlotError(f"'{path}' exists; pass --overwrite to replace it (or --out-dir for another directory)")


def write_json_atomically(path, data):
    """The --dump-data file: PATH.tmp, then a rename (NaN written as null)."""
    try:
        with open(path + ".tmp", "w") as f:
            json.dump(_json_safe(data), f, allow_nan=False)
        os.replace(path + ".tmp", path)
    except OSError as e:
        remove_quietly(path + ".tmp")
        raise PlotError(f"cannot write '{path}': {e.strerror or e}")


# ----------------------------------------------------------------------------------------------
# 2-D trajectories (/grid/y present; states stored as [nx, ny])
# ----------------------------------------------------------------------------------------------
def is_2d(path):
    """Whether `path` is a trajectory of a 2-D problem (read errors are left to the readers below; only a
    regular file is opened: a FIFO would block)."""
    if not os.path.isfile(path):
        return False
    try:
        with h5py.File(path, "r") as f:
            return isinstance(f.get("/grid/y"), h5py.Dataset)
    except (OSError, ValueError):
        return False


def read_2d(path, times_arg):
    """The final iterate (and the closed form) at the chosen slice boundaries of a 2-D trajectory."""
    with h5py.File(path, "r") as f:
        def need(name):
            obj = f.get(name)
            if not isinstance(obj, h5py.Dataset):
                raise PlotError(f"'{path}' has no dataset {name} (is it a `pint run --output` file?)")
            return obj
        x = np.asarray(need("/grid/x")[()], dtype=float).reshape(-1)
        y = np.asarray(need("/grid/y")[()], dtype=float).reshape(-1)
        t = np.asarray(need("/time/t")[()], dtype=float).reshape(-1)
        it = need("/parareal/iterates")
        if len(it.shape) != 4 or it.shape[1:] != (t.size, x.size, y.size) or it.shape[0] < 1:
            raise PlotError(f"'{path}': /parareal/iterates has shape {it.shape}, expected "
                            f"(S, {t.size}, {x.size}, {y.size}) from /time/t, /grid/x and /grid/y")
        final = np.asarray(it[it.shape[0] - 1], dtype=float)
        ex = f.get("/exact/values")
        exact = None
        if isinstance(ex, h5py.Dataset):
            if ex.shape != final.shape:
                raise PlotError(f"'{path}': /exact/values has shape {ex.shape}, expected {final.shape}")
            exact = np.asarray(ex[()], dtype=float)
        problem = _attr_str(f.attrs.get("problem")) or "?"
    if times_arg:
        try:
            wanted = [float(v) for v in times_arg.split(",") if v.strip()]
        except ValueError:
            raise PlotError(f"--times '{times_arg}': give comma-separated numbers, e.g. --times 0,0.05,0.1")
        if not wanted:
            raise PlotError("--times needs at least one time")
        for w in wanted:
            if not (t[0] <= w <= t[-1]):
                raise PlotError(f"--times: {w} is outside the run's interval [{t[0]}, {t[-1]}]")
        idx = [int(np.argmin(np.abs(t - w))) for w in wanted]
    else:
        idx = sorted({0, (t.size - 1) // 2, t.size - 1})
    return {"x": x, "y": y, "t": t, "final": final, "exact": exact, "problem": problem, "idx": idx}


def plot_2d(d, out, plt):
    """Heat maps of the final iterate at the chosen times, next to its error map against the closed form."""
    cols = 2 if d["exact"] is not None else 1
    rows = len(d["idx"])
    fig, axes = plt.subplots(rows, cols, figsize=(5.2 * cols, 4.0 * rows), squeeze=False)
    extent = [d["x"][0], d["x"][-1], d["y"][0], d["y"][-1]]
    for r, n in enumerate(d["idx"]):
        ax = axes[r][0]
        im = ax.imshow(d["final"][n].T, origin="lower", extent=extent, aspect="auto", cmap="viridis")
        fig.colorbar(im, ax=ax)
        ax.set_title(f"{d['problem']}: Parareal, t = {d['t'][n]:.4g}")
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        if cols == 2:
            err = d["final"][n] - d["exact"][n]
            ax = axes[r][1]
            lim = float(np.max(np.abs(err))) or 1.0
            im = ax.imshow(err.T, origin="lower", extent=extent, aspect="auto", cmap="RdBu_r", vmin=-lim, vmax=lim)
            fig.colorbar(im, ax=ax)
            ax.set_title(f"error vs closed form, max {float(np.max(np.abs(err))):.3g}")
            ax.set_xlabel("x")
            ax.set_ylabel("y")
    fig.tight_layout()
    save_figure_atomically(fig, out)
    plt.close(fig)


def main_2d(args):
    out_dir = args.out_dir if args.out_dir else (os.path.dirname(os.path.abspath(args.file)))
    stem = os.path.splitext(os.path.basename(args.file))[0]
    out = os.path.join(out_dir, f"{stem}_heatmaps.png")
    d = read_2d(args.file, args.times)
    check_outputs(out_dir, [out] + ([args.dump_data] if args.dump_data else []), args.overwrite)
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as e:
        raise PlotError(f"cannot create the output directory '{out_dir}': {e.strerror or e}")
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        raise PlotError(f"needs the Python package matplotlib ({e})")
    try:
        plot_2d(d, out, plt)
    except OSError as e:
        raise PlotError(f"cannot write the figure to '{out_dir}': {e.strerror or e}")
    if args.dump_data:
        data = {"file": os.path.abspath(args.file), "problem": d["problem"], "heatmaps": {
            "png": out, "times": [float(d["t"][n]) for n in d["idx"]],
            "max_abs_value": [float(np.max(np.abs(d["final"][n]))) for n in d["idx"]],
            "max_error_vs_exact": ([float(np.max(np.abs(d["final"][n] - d["exact"][n]))) for n in d["idx"]]
                                   if d["exact"] is not None else None)}}
        write_json_atomically(args.dump_data, data)
    return [out]


def main(argv=None):
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Figures from the HDF5 trajectory file written by `pint run --output FILE.h5`: "
                    "convergence per iteration, error over time, and the solution surface.")
    p.add_argument("file", metavar="FILE.h5", help="trajectory file written by `pint run --output`")
    p.add_argument("--out-dir", metavar="DIR",
                   help="where to write the PNGs (default: the directory of FILE.h5)")
    p.add_argument("--dump-data", metavar="JSON",
                   help="also write the plotted numbers (x values and y series per figure) to JSON")
    p.add_argument("--overwrite", action="store_true",
                   help="replace figures (and a --dump-data file) that already exist")
    p.add_argument("--times", metavar="T1,T2,...",
                   help="2-D runs: the times to draw (nearest slice boundaries; default: first, middle, last)")
    args = p.parse_args(argv)

    if is_2d(args.file):
        try:
            written = main_2d(args)
        except PlotError as e:
            _fail(str(e))
        for path in written:
            print(f"wrote {path}")
        return 0
    try:
        if args.times:
            raise PlotError("--times applies to 2-D runs; this file is a 1-D trajectory")
        run = Run(args.file)
        out_dir = args.out_dir if args.out_dir else (os.path.dirname(os.path.abspath(args.file)))
        stem = os.path.splitext(os.path.basename(args.file))[0]
        outs = {name: os.path.join(out_dir, f"{stem}_{name}.png")
                for name in ("convergence", "error_over_time", "surface")}
        # Every output is checked before anything is drawn or created.
        check_outputs(out_dir, list(outs.values()) + ([args.dump_data] if args.dump_data else []), args.overwrite)
        try:
            os.makedirs(out_dir, exist_ok=True)
        except OSError as e:
            raise PlotError(f"cannot create the output directory '{out_dir}': {e.strerror or e}")
        data = {"file": os.path.abspath(args.file), "problem": run.problem, "strike": run.strike,
                "iterations_stored": run.iterations_stored,
                "convergence": convergence_data(run),
                "error_over_time": error_over_time_data(run),
                "surface": surface_data(run)}
        for name, path in outs.items():
            data[name]["png"] = path

        try:
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
            from mpl_toolkits.mplot3d import Axes3D  # noqa: F401 (registers the 3d projection)
        except ImportError as e:
            raise PlotError(f"needs the Python package matplotlib ({e})")
        try:
            plot_convergence(run, data["convergence"], outs["convergence"], plt)
            plot_error_over_time(run, data["error_over_time"], outs["error_over_time"], plt)
            plot_surface(run, data["surface"], outs["surface"], plt)
        except OSError as e:
            raise PlotError(f"cannot write the figures to '{out_dir}': {e.strerror or e}")

        if args.dump_data:
            write_json_atomically(args.dump_data, data)
    except PlotError as e:
        _fail(str(e))
    except Exception as e:  # noqa: BLE001 - a bug here: one line, the traceback only on request
        if os.environ.get("PINT_PLOT_DEBUG"):
            raise
        print(f"{PROG}: internal error: {type(e).__name__}: {e} (set PINT_PLOT_DEBUG=1 for a traceback)",
              file=sys.stderr)
        return 1
    for path in outs.values():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

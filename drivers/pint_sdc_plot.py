#!/usr/bin/env python3
"""pint sdc: the figures of `pint sdc stability` and `pint sdc order` from the JSON they write.

    pint_sdc_plot.py stability DATA.json OUT.png
    pint_sdc_plot.py order DATA.json OUT.png

stability: two panels over the complex plane z = dt lambda, as seed 002 draws them: the contraction factor of the
sweeps (log colour scale, gray where >= 1: the sweeps diverge) and |R(z)| of one step with its K sweeps (gray where
> 1: unstable), with the contour 1 and the axes.
order: error against dt for K = 1..max sweeps (log-log), the observed order in the legend.
The PNG is written atomically (OUT.png.tmp.png, renamed when complete). Errors: one line on stderr, exit code 2.
"""
import json
import math
import sys

from pint_files import save_figure_atomically

PROG = "pint sdc"


def fail(msg):
    print(f"{PROG}: {msg}", file=sys.stderr)
    sys.exit(2)


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        fail(f"cannot read {path}: {e}")


def title(scheme):
    k = f", K = {scheme['sweeps']}" if "sweeps" in scheme else ""
    return (f"{scheme['qdelta'].upper()} ({scheme['nodes']} {scheme['quadrature']} nodes{k}, "
            f"predictor {scheme['initial_guess']}, end {scheme['end_value']})")


def masked(grid, unusable):
    import numpy as np
    a = np.array([[math.nan if v is None else v for v in row] for row in grid], dtype=float)
    return np.ma.masked_where(~np.isfinite(a) | unusable(a), a)


def stability(data, plt):
    import numpy as np
    from matplotlib import colors
    re, im = np.array(data["re"]), np.array(data["im"])
    X, Y = np.meshgrid(re, im)
    fig, axes = plt.subplots(1, 2, figsize=(12, 5.2), constrained_layout=True)
    panels = [
        ("contraction_factor", "contraction factor of the sweeps", lambda a: a >= 1.0),
        ("abs_stability_function", "|R(z)| of one step", lambda a: a > 1.0),
    ]
    for ax, (key, label, bad) in zip(axes, panels):
        ax.set_facecolor("0.75")  # gray where masked: diverging sweeps / unstable step
        a = masked(data[key], lambda v: bad(v))
        # The colour range from the 1st percentile up: single points at z = 0 (exactly 0) would wash it out.
        positive = a.compressed()[a.compressed() > 0]
        floor = max(1e-16, float(np.percentile(positive, 1)) if positive.size else 1e-16)
        mesh = ax.pcolormesh(X, Y, a, shading="auto", cmap="viridis", norm=colors.LogNorm(vmin=floor, vmax=1.0))
        fig.colorbar(mesh, ax=ax, label=label)
        raw = np.array([[math.nan if v is None else v for v in row] for row in data[key]], dtype=float)
        if np.nanmin(raw) < 1.0 < np.nanmax(raw):
            ax.contour(X, Y, raw, levels=[1.0], colors="k", linewidths=0.8)
        ax.axhline(0, color="k", lw=0.4)
        ax.axvline(0, color="k", lw=0.4)
        ax.set_xlabel("Re z")
        ax.set_ylabel("Im z")
        ax.set_title(label + " (gray: " + ("diverging" if key == "contraction_factor" else "unstable") + ")")
        ax.set_aspect("equal")
    fig.suptitle(title(data["scheme"]))
    return fig


def order(data, plt):
    fig, ax = plt.subplots(figsize=(7, 5.2), constrained_layout=True)
    dt = data["dt"]
    for K, errs, o in zip(data["sweeps"], data["errors"], data["observed_order"]):
        pts = [(d, e) for d, e in zip(dt, errs) if e is not None and e > 0]
        if not pts:
            continue
        lab = f"K = {K}" + (f" (order {o:.2f})" if o is not None else "")
        ax.loglog([p[0] for p in pts], [p[1] for p in pts], "o-", ms=3, label=lab)
    ax.set_xlabel("dt")
    ax.set_ylabel("error at t_end")
    lam = data["lambda"]
    ax.set_title(f"{title(data['scheme'])}\ny' = ({lam[0]:g} + {lam[1]:g} i) y on [0, {data['t_end']:g}]",
                 fontsize=9)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def main(argv):
    if len(argv) != 4 or argv[1] not in ("stability", "order"):
        fail("usage: pint_sdc_plot.py stability|order DATA.json OUT.png")
    kind, src, out = argv[1], argv[2], argv[3]
    data = load(src)
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        fail(f"matplotlib is missing ({e}); install python3-matplotlib")
    try:
        fig = (stability if kind == "stability" else order)(data, plt)
    except (KeyError, ValueError, TypeError) as e:
        fail(f"{src} is not the output of pint sdc {kind}: {e}")
    try:
        save_figure_atomically(fig, out, dpi=110)
    except OSError as e:
        fail(f"cannot write {out}: {e}")


if __name__ == "__main__":
    main(sys.argv)

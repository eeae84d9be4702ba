#!/usr/bin/env python3
"""pint paraflow's figures, from the JSON that `pint paraflow --json` writes.

    pint_paraflow_plot.py SWEEP.json OUT.png             the sweep's table as seed 001 prints it
    pint_paraflow_plot.py RUN.json [RUN2.json ...] OUT.png   the loss histories of single runs, overlaid

The table: one row per (batch, eta_F, budget): GD's final loss, then R = L_ParaFlowS / L_GD per N_F, shaded as in
the paper: dark gray where R < 0.9 (ParaFlowS ahead), light gray where 0.9 <= R <= 1.1, white otherwise; each row's
best R in bold; "-" where the budget did not allow one whole fine propagation, "skip" where the cell was not run;
where GD diverged, ParaFlowS's own loss (shaded dark: it is ahead).
The histories: the full loss against the budget spent (gradient evaluations of single samples), one curve per run,
labelled with its variant, batch, eta and N_F.
The PNG is written atomically (OUT.tmp, renamed when complete). Errors: one line on stderr, exit code 2.
"""
import json
import sys

from pint_files import save_figure_atomically


def fail(msg):
    print(f"pint paraflow: {msg}", file=sys.stderr)
    sys.exit(2)


def load(src):
    try:
        with open(src) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        fail(f"cannot read {src}: {e}")


def pyplot():
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        return plt
    except ImportError as e:
        fail(f"matplotlib is missing ({e}); install python3-matplotlib")


def main(argv):
    if len(argv) < 3:
        fail("usage: pint_paraflow_plot.py SWEEP.json OUT.png, or RUN.json [RUN2.json ...] OUT.png")
    sources, out = argv[1:-1], argv[-1]
    docs = [load(src) for src in sources]
    if not all(isinstance(d, dict) for d in docs):
        fail("the JSON is not the output of `pint paraflow --json`")
    try:
        if len(docs) == 1 and "rows" in docs[0]:
            figure = table(docs[0], pyplot())
        elif all("result" in d for d in docs):
            figure = histories(docs, pyplot())
        else:
            fail("give one sweep's JSON, or one or more single runs' JSON (`pint paraflow --json`), not a mix")
    except (KeyError, TypeError, ValueError, IndexError) as e:
        fail(f"the JSON is not the output of `pint paraflow --json` ({type(e).__name__}: {e})")
    try:
        save_figure_atomically(figure, out, dpi=120, bbox_inches="tight")
    except OSError as e:
        fail(f"cannot write {out}: {e}")


def label(doc):
    text = f"{doc['variant']}, batch {doc['batch']}, eta {doc['eta']:g}"
    if doc["variant"] in ("paraflows", "paraflow"):
        text += f", N_F {doc['nf']}"
    if doc.get("accept_fine"):
        text += ", F always taken (--accept-fine)"
    return text


def histories(docs, plt):
    fig, ax = plt.subplots(figsize=(8, 4.8))
    for doc in docs:
        h = doc["result"]["history"]
        ax.semilogy([p[0] for p in h], [p[1] for p in h], lw=1, label=label(doc))
    ax.set_xlabel("budget spent: gradient evaluations of single samples")
    ax.set_ylabel("full loss")
    ax.set_title(f"{docs[0]['problem']} (seed {docs[0]['seed']})", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def table(doc, plt):
    nfs = doc["nf"]
    header = ["batch", "eta_F", "budget", "GD"] + [f"N_F = {n}" for n in nfs]
    text, colour, bold = [], [], []
    for row in doc["rows"]:
        gd = row["gd"]
        gd_diverged = gd is not None and gd["final_loss"] is None  # JSON null: NaN
        cells = [str(row["batch"]), f"{row['eta']:g}", f"{row['budget']:.0e}",
                 "skip" if gd is None else ("diverged" if gd_diverged else f"{gd['final_loss']:.1e}")]
        shades = ["white"] * 4
        ratios = [r.get("ratio") for r in row["runs"]]
        finite = [r for r in ratios if r is not None]
        best = min(finite) if finite else None
        strong = [False] * 4
        for run, r in zip(row["runs"], ratios):
            if run["skipped"] or gd is None:
                cells.append("skip")
                shades.append("white")
            elif not run["result"]["completed_iteration"]:
                cells.append("-")
                shades.append("white")
            elif gd_diverged:  # no ratio: ParaFlowS's own loss, ahead of a diverged GD
                loss = run["result"]["final_loss"]
                cells.append("diverged" if loss is None else f"L = {loss:.2e}")
                shades.append("white" if loss is None else "0.55")
            else:
                cells.append(f"{r:.4g}")
                shades.append("0.55" if r < 0.9 else ("0.85" if r <= 1.1 else "white"))
            strong.append(r is not None and r == best)
        text.append(cells)
        colour.append(shades)
        bold.append(strong)
    fig, ax = plt.subplots(figsize=(1.2 * len(header) + 1, 0.32 * len(text) + 1.2))
    ax.axis("off")
    grid = ax.table(cellText=text, cellColours=colour, colLabels=header, loc="center", cellLoc="center")
    grid.auto_set_font_size(False)
    grid.set_fontsize(8)
    for (i, j), cell in grid.get_celld().items():
        if i > 0 and bold[i - 1][j]:
            cell.get_text().set_fontweight("bold")
    variant = doc["variant"] + (" with F always taken (--accept-fine, not Alg. 2)" if doc.get("accept_fine") else "")
    ax.set_title(f"{doc['problem']}: R = L_{variant} / L_GD (N_G = {doc['ng']}, seed {doc['seed']}); "
                 "dark: R < 0.9, light: 0.9 <= R <= 1.1, bold: best of the row", fontsize=9)
    return fig


if __name__ == "__main__":
    main(sys.argv)

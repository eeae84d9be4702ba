#!/usr/bin/env python3
"""pint paraflow: the sweep's table as seed 001 prints it, from the JSON that `pint paraflow` writes.

    pint_paraflow_plot.py DATA.json OUT.png

One row per (batch, eta_F, budget): GD's final loss, then R = L_ParaFlowS / L_GD per N_F, shaded as in the paper:
dark gray where R < 0.9 (ParaFlowS ahead), light gray where 0.9 <= R <= 1.1, white otherwise; each row's best R in
bold; "-" where the budget did not allow one whole fine propagation, "skip" where the cell was not run; where GD
diverged, ParaFlowS's own loss (shaded dark: it is ahead).
The PNG is written atomically (OUT.tmp.png, renamed when complete). Errors: one line on stderr, exit code 2.
"""
import json
import sys

from pint_files import save_figure_atomically


def fail(msg):
    print(f"pint paraflow: {msg}", file=sys.stderr)
    sys.exit(2)


def main(argv):
    if len(argv) != 3:
        fail("usage: pint_paraflow_plot.py DATA.json OUT.png")
    src, out = argv[1], argv[2]
    try:
        with open(src) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"cannot read {src}: {e}")
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        fail(f"matplotlib is missing ({e}); install python3-matplotlib")
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
    table = ax.table(cellText=text, cellColours=colour, colLabels=header, loc="center", cellLoc="center")
    table.auto_set_font_size(False)
    table.set_fontsize(8)
    for (i, j), cell in table.get_celld().items():
        if i > 0 and bold[i - 1][j]:
            cell.get_text().set_fontweight("bold")
    ax.set_title(f"{doc['problem']}: R = L_{doc['variant']} / L_GD (N_G = {doc['ng']}, seed {doc['seed']}); "
                 "dark: R < 0.9, light: 0.9 <= R <= 1.1, bold: best of the row", fontsize=9)
    try:
        save_figure_atomically(fig, out, dpi=120, bbox_inches="tight")
    except OSError as e:
        fail(f"cannot write {out}: {e}")


if __name__ == "__main__":
    main(sys.argv)

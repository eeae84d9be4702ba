"""Outputs of pint's Python scripts written whole or not at all: FILE.tmp, then a rename, so that a failed write
(a full disk, a directory removed meanwhile) never leaves a half-written figure or the temporary behind.
Shared by pint_plot.py, pint_sdc_plot.py, pint_paraflow_plot.py and pint_bench.py (installed beside them)."""

import os


def remove_quietly(path):
    try:
        os.remove(path)
    except OSError:
        pass


def save_figure_atomically(fig, out, **savefig_args):
    """fig as a PNG at `out`: OUT.tmp, then a rename; the temporary is removed on any failure, which is re-raised."""
    tmp = out + ".tmp"
    try:
        fig.savefig(tmp, format="png", **savefig_args)
        os.replace(tmp, out)
    except BaseException:
        remove_quietly(tmp)
        raise

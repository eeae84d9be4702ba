#!/usr/bin/env python3
"""pint bench: runs pint's benchmarks and writes, per benchmark, JSON and a Markdown table (and a PNG
where a picture helps) into --out-dir. Numbers are measured side by side in one run; none of this is a
pass/fail test. Subcommands:
  placements   Parareal wall time for every fine-space x coarse-space pair compiled in (seed 000 Table 3)
  scaling      Parareal time, speedup over the serial fine run, efficiency and bound (8) for P = 1..16 MPI
               ranks, numerical and PINN coarse (seed 000 Fig. 5, 6); ranks beyond the cores are marked
  coarse-cost  one coarse slice, implicit Euler and PINN, per space (Table 2): runs pint_bench_coarse_cost
  fine-kernel  the fine step against plain loops: runs pint_bench_fine_kernel
  all          everything above
usage: pint_bench.py {placements,scaling,coarse-cost,fine-kernel,all} --build-dir BUILD [--out-dir DIR]"""
import argparse
import json
import os
import subprocess
import sys

SPACES = ["serial", "openmp"]
ROOT_ENV = {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1", "OMP_PROC_BIND": "false"}


def run_pint(pint, args, ranks=1, threads=None):
    env = dict(os.environ, **ROOT_ENV)
    if threads:
        env["OMP_NUM_THREADS"] = str(threads)
    out = f"/tmp/pint_bench_{os.getpid()}.json"
    cmd = [pint, "--compare-serial", "--json", out] + args
    if ranks > 1:
        cmd = ["mpirun", "-np", str(ranks), "--oversubscribe", "--mca", "mpi_yield_when_idle", "1",
               "-x", "OMP_NUM_THREADS", "-x", "OMP_PROC_BIND"] + cmd
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with open(out) as f:
        s = json.load(f)
    os.remove(out)
    return s


def write(out_dir, name, data, table):
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, name + ".json"), "w") as f:
        json.dump(data, f, indent=2)
    with open(os.path.join(out_dir, name + ".md"), "w") as f:
        f.write(table + "\n")
    print(table)
    print()


def placements(a):
    rows, lines = [], ["| fine space | coarse space | iterations | Parareal [s] | serial fine [s] | speedup |",
                       "|---|---|---|---|---|---|"]
    for fs in SPACES:
        for cs in SPACES:
            s = run_pint(a.pint, ["--fine-space", fs, "--coarse-space", cs])
            rows.append({"fine": fs, "coarse": cs, "iterations": s["iterations"],
                         "parareal_s": s["wall_seconds"]["parareal"], "serial_s": s["wall_seconds"]["serial_fine"],
                         "speedup": s["speedup"]["measured"]})
            r = rows[-1]
            lines.append(f"| {fs} | {cs} | {r['iterations']} | {r['parareal_s']:.3f} | {r['serial_s']:.3f} | {r['speedup']:.2f} |")
    lines.append("")
    lines.append("1 process, default problem; GPU placements (`device`) could not be measured: no GPU, no CUDA Kokkos here.")
    write(a.out_dir, "placements", rows, "\n".join(lines))


def scaling(a):
    cores = os.cpu_count() or 1
    rows = []
    lines = ["| coarse | P | iterations | Parareal [s] | serial fine [s] | speedup | efficiency | bound (8) |",
             "|---|---|---|---|---|---|---|---|"]
    for coarse in ["numerical", "pinn"]:
        for P in [1, 2, 4, 8, 16]:
            s = run_pint(a.pint, ["--coarse", coarse], ranks=P, threads=1)
            sp = s["speedup"]["measured"]
            over = P > cores
            rows.append({"coarse": coarse, "ranks": P, "oversubscribed": over, "iterations": s["iterations"],
                         "parareal_s": s["wall_seconds"]["parareal"], "serial_s": s["wall_seconds"]["serial_fine"],
                         "speedup": sp, "efficiency": sp / P, "bound_eq8": s["speedup"]["bound_eq8"]})
            mark = " (ranks > cores: not a speedup)" if over else ""
            lines.append(f"| {coarse} | {P}{mark} | {s['iterations']} | {s['wall_seconds']['parareal']:.3f} | "
                         f"{s['wall_seconds']['serial_fine']:.3f} | {sp:.2f} | {sp / P:.2f} | {s['speedup']['bound_eq8']:.2f} |")
    lines.append("")
    lines.append(f"{cores} cores; one OpenMP thread per rank; default problem (N = 16 slices).")
    write(a.out_dir, "scaling", rows, "\n".join(lines))
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(7, 4.5), dpi=120)
        for coarse, style in [("numerical", "o-"), ("pinn", "s-")]:
            rs = [r for r in rows if r["coarse"] == coarse]
            ax.plot([r["ranks"] for r in rs], [r["speedup"] for r in rs], style, label=f"{coarse}: measured")
            ax.plot([r["ranks"] for r in rs], [r["bound_eq8"] for r in rs], style[0] + "--", alpha=0.6,
                    label=f"{coarse}: bound (8)")
        ax.axvspan(cores + 0.5, 17, color="grey", alpha=0.15, label="ranks > cores")
        ax.set_xscale("log", base=2)
        ax.set_xlabel("MPI ranks P")
        ax.set_ylabel("speedup over the serial fine run")
        ax.set_title("Parareal scaling, default Black-Scholes problem")
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
        fig.tight_layout()
        fig.savefig(os.path.join(a.out_dir, "scaling.png"))
    except ImportError:
        print("matplotlib missing: no scaling.png", file=sys.stderr)


def external(a, exe, name):
    args = [os.path.join(a.build_dir, "drivers", exe)]
    if name == "coarse_cost":
        args += ["--json", os.path.join(a.out_dir, name + ".json")]
    res = subprocess.run(args, env=dict(os.environ, OMP_PROC_BIND="spread", OMP_PLACES="threads"),
                         check=True, capture_output=True, text=True)
    os.makedirs(a.out_dir, exist_ok=True)
    with open(os.path.join(a.out_dir, name + ".md"), "w") as f:
        f.write(res.stdout)
    print(res.stdout)


def main():
    p = argparse.ArgumentParser(prog="pint bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("what", choices=["placements", "scaling", "coarse-cost", "fine-kernel", "all"])
    p.add_argument("--build-dir", required=True)
    p.add_argument("--out-dir", default="bench-results")
    a = p.parse_args()
    a.pint = os.path.join(a.build_dir, "drivers", "pint")
    if not os.path.exists(a.pint):
        print(f"pint bench: error: {a.pint} not found; build first (bash cmake/bootstrap.sh build)", file=sys.stderr)
        sys.exit(2)
    if a.what in ("placements", "all"):
        placements(a)
    if a.what in ("coarse-cost", "all"):
        external(a, "pint_bench_coarse_cost", "coarse_cost")
    if a.what in ("scaling", "all"):
        scaling(a)
    if a.what in ("fine-kernel", "all"):
        external(a, "pint_bench_fine_kernel", "fine_kernel")
    print(f"results in {a.out_dir}/")


if __name__ == "__main__":
    main()

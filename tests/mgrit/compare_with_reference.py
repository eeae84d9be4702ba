#!/usr/bin/env python3
"""pint's MGRIT against the numpy reference (reference_mgrit.py) on XBraid's ex-01 and ex-02, for the
configurations issue 16 lists: two levels with F- and FCF-relaxation and cf 2, 4, 8; three levels and as
many as possible with FCF, V- and F-cycles; 64 and 256 time steps. Equal iteration counts and residual
histories (to 1e-9 of the first residual: the two solve the same linear systems in different ways), and
every case once more on 2 MPI ranks. Exit 0 when all agree.

    compare_with_reference.py --pint PINT [--mpirun MPIRUN] [--mpirun-flags FLAGS] [--quick]
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def cases(quick):
    out = []
    for steps in ([64] if quick else [64, 256]):
        for nu in (0, 1):
            for cf in (2, 4, 8):
                out.append(dict(slices=steps, levels=2, cfactor=cf, nu=nu, cycle="V"))
        for levels in (3, 30):
            for cycle in ("V", "F"):
                out.append(dict(slices=steps, levels=levels, cfactor=2, nu=1, cycle=cycle))
    return out


def problem_config(problem, slices, tmp):
    """The pint flags (and a config file for ex-01: the Dahlquist problem's table) of XBraid's example."""
    common = ["--fine-method", "implicit-euler", "--fine-steps", "1", "--coarse-method", "implicit-euler",
              "--coarse-steps", "1", "--slices", str(slices)]
    if problem == "ex02":
        return ["--problem", "xbraid-heat"] + common, "0"
    path = os.path.join(tmp, f"ex01_{slices}.toml")
    with open(path, "w") as f:
        f.write(f"[problem]\nkind = \"dahlquist\"\n[dahlquist]\nlambdas = [-1.0]\ny0 = 1.0\nt_end = {slices / 2.0}\n")
    return ["--config", path] + common, "0.456"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pint", required=True)
    ap.add_argument("--mpirun", default="")
    ap.add_argument("--mpirun-flags", default="")
    ap.add_argument("--quick", action="store_true", help="64 steps only")
    a = ap.parse_args()
    failures = 0
    tol = 1e-9
    with tempfile.TemporaryDirectory() as tmp:
        for problem in ("ex01", "ex02"):
            for c in cases(a.quick):
                flags, guess = problem_config(problem, c["slices"], tmp)
                mg = ["--algorithm", "mgrit", "--levels", str(c["levels"]), "--cfactor", str(c["cfactor"]),
                      "--nu", str(c["nu"]), "--cycle", c["cycle"], "--initial-guess", guess,
                      "--tolerance", str(tol), "--max-iterations", "100"]
                ref = json.loads(subprocess.run(
                    [sys.executable, os.path.join(HERE, "reference_mgrit.py"), "--problem", problem,
                     "--slices", str(c["slices"]), "--levels", str(c["levels"]), "--cfactor", str(c["cfactor"]),
                     "--nu", str(c["nu"]), "--cycle", c["cycle"], "--guess", guess, "--tolerance", str(tol)],
                    check=True, capture_output=True, text=True).stdout)
                runs = [[]]
                if a.mpirun:
                    runs.append([a.mpirun, "-np", "2"] + shlex.split(a.mpirun_flags))
                for launcher in runs:
                    js = os.path.join(tmp, "out.json")
                    p = subprocess.run(launcher + [a.pint] + flags + mg + ["--json", js, "--overwrite"],
                                       capture_output=True, text=True)
                    label = (f"{problem} N={c['slices']} levels={c['levels']} cf={c['cfactor']} nu={c['nu']} "
                             f"{c['cycle']}-cycle on {2 if launcher else 1} rank(s)")
                    if p.returncode != 0:
                        print(f"FAIL {label}: pint exited {p.returncode}\n{p.stderr}")
                        failures += 1
                        continue
                    got = json.load(open(js))
                    r_pint, r_ref = got["residual_per_iteration"], ref["residual_per_iteration"]
                    first = next(r for r in r_ref if r is not None)
                    ok = (got["iterations"] == ref["iterations"] and len(r_pint) == len(r_ref) and
                          got["mgrit"]["points_per_level"] == ref["points_per_level"] and
                          all((x is None and y is None) or (x is not None and y is not None and
                                                            abs(x - y) <= 1e-9 * first)
                              for x, y in zip(r_pint, r_ref)))
                    print(f"{'ok  ' if ok else 'FAIL'} {label}: {got['iterations']} iterations "
                          f"(reference {ref['iterations']}), levels {got['mgrit']['points_per_level']}")
                    if not ok:
                        print(f"  pint      {r_pint}\n  reference {r_ref}")
                        failures += 1
    print(f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

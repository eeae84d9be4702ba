#!/usr/bin/python3
"""Runs the bad-input corpus (cases.tsv next to this script) against the `pint` program.

Every row is one bad input that pint must refuse cleanly. For each row, in a fresh empty scratch
directory: run `setup` (bash), record every file (path, size, sha256, mode), run `command` (bash, in a
session of its own, killed whole on timeout: mpirun's ranks too), then require all of:
  - the exit code is non-zero and below 128 (or equals the `exit` column): 124, 137 or a signal is a
    hang or a crash, never an error message;
  - the combined stdout + stderr matches the regex `expect`;
  - no process of the command's session is still running a few seconds after it ended;
  - every file that existed before the command is still there, byte-identical, with the same mode;
  - no new file or directory appeared, except those matching the `allow_new` globs;
  - no new `*.tmp` file is left anywhere in the scratch directory.

Table format (cases.tsv): tab-separated, one header line naming the columns, `#` lines and blank lines
ignored, `-` or empty = the default. Columns:
  name       unique snake_case; the part before the first `_` is the category (flag, toml, model, ...)
  setup      bash run in the scratch directory before the command
  command    bash run in the scratch directory; $PINT is the pint binary, $MPIRUN is mpirun with the
             flags it needs but without -np (leave $MPIRUN unquoted: it is several words), $FIXTURES the
             shared fixtures, $SMALL_RUN the (unquoted) flags of the small run that made $FIXTURES/ck.h5
             and $FIXTURES/traj.h5
  expect     regex (Python re, searched, MULTILINE; `(?s)` lets `.` cross lines) that the combined
             stdout + stderr must match
  exit       the exact exit code wanted (default: any of 1..127)
  timeout    seconds (default 60)
  allow_new  space-separated globs of files/directories the command may create (default: none)
  needs      space-separated features: torch (pint built with LibTorch), h5py (/usr/bin/python3 has it),
             pytorch (/usr/bin/python3 has torch), mpi; a row whose needs are missing is skipped.
             $MPIRUN in a row implies mpi; a fixture's needs are added to the rows that use it.

Shared fixtures ($FIXTURES/NAME, see FIXTURES below) are built once per run, and only those that the
selected rows mention. They must not be written to: the runner checks that they are unchanged at the end.

A row whose output shows that Open MPI itself failed to start (MPI_INIT failed) runs once more: that
happens now and then on a loaded machine and says nothing about pint; the line says so when it helped.

usage: run_cases.py --pint PATH [--mpirun PATH] [--mpirun-flags="..."] [--torch yes|no|auto] [--work DIR]
                    [--only REGEX] [-j N] [--list]
One line per row (`ok NAME`, `FAIL NAME: reasons` and the output's tail, `skip NAME: why`); the last
line is `N passed, M failed`; the exit code is 1 if any row failed.
"""
import argparse
import concurrent.futures
import fnmatch
import hashlib
import os
import re
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.realpath(__file__))
SOURCE_ROOT = os.path.dirname(os.path.dirname(HERE))
PYTHON = "/usr/bin/python3"  # Debian's interpreter: python3-h5py / python3-torch are installed for it only
COLUMNS = ["name", "setup", "command", "expect", "exit", "timeout", "allow_new", "needs"]
REQUIRED = ["name", "setup", "command", "expect"]
KNOWN_NEEDS = {"torch", "h5py", "pytorch", "mpi"}
MARKER = ".bad_inputs_work"
# Open MPI's start-up (of a singleton or under mpirun) fails now and then when many processes start at
# once on a loaded machine; that says nothing about pint's input handling, so such a row runs once more.
MPI_STARTUP_FAILURE = re.compile(r"MPI_INIT failed|ompi_rte_init failed|orte_init failed")
DEFAULT_TIMEOUT = 60.0
FIXTURE_TIMEOUT = 300.0

# Shared fixtures: (files it makes, needs, bash run in $FIXTURES). Small and fast on purpose.
SMALL_RUN = "--slices 4 --s-max 400 --fine-steps 20 --coarse-steps 2 --tolerance 0"
FIXTURES = [
    (["ck.h5"], set(), f'"$PINT" {SMALL_RUN} --checkpoint ck.h5'),
    (["traj.h5", "traj.xmf"], set(), f'"$PINT" {SMALL_RUN} --output traj.h5'),
    (["modules/surface.pt", "modules/wrong.pt", "modules/corrupt.pt", "modules/exact.pt"], {"pytorch"},
     f'{PYTHON} {shlex.quote(os.path.join(SOURCE_ROOT, "tests", "learned", "make_test_modules.py"))} modules'),
    (["bad_modules/one_arg.pt", "bad_modules/raises.pt", "bad_modules/nan.pt", "bad_modules/two_d.pt",
      "bad_modules/saved.pt"], {"pytorch"},
     f'{PYTHON} {shlex.quote(os.path.join(HERE, "make_bad_modules.py"))} bad_modules'),
    (["pinn.pt"], {"torch"},
     f'cp {shlex.quote(os.path.join(SOURCE_ROOT, "models", "learned", "default_pinn.pt"))} pinn.pt'),
]


class TableError(Exception):
    pass


def read_table(path):
    rows, header = [], None
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = [c.strip() for c in cells]
                unknown = [c for c in header if c not in COLUMNS]
                missing = [c for c in REQUIRED if c not in header]
                if unknown or missing:
                    raise TableError(f"{path}:{lineno}: header: unknown columns {unknown}, missing {missing}")
                continue
            if len(cells) > len(header):
                raise TableError(f"{path}:{lineno}: {len(cells)} cells for {len(header)} columns (a stray tab?)")
            row = {c: "" for c in COLUMNS}
            for c, v in zip(header, cells):
                row[c] = "" if v.strip() == "-" else v.strip()
            row["line"] = lineno
            for c in ("name", "command", "expect"):
                if not row[c]:
                    raise TableError(f"{path}:{lineno}: column '{c}' is empty")
            if not re.fullmatch(r"[a-z][a-z0-9]*_[a-z0-9_]+", row["name"]):
                raise TableError(f"{path}:{lineno}: name '{row['name']}' is not snake_case with a category prefix")
            try:
                re.compile(row["expect"])
            except re.error as e:
                raise TableError(f"{path}:{lineno}: expect is not a valid regex: {e}")
            try:
                row["exit"] = int(row["exit"]) if row["exit"] else None
                row["timeout"] = float(row["timeout"]) if row["timeout"] else DEFAULT_TIMEOUT
            except ValueError as e:
                raise TableError(f"{path}:{lineno}: exit/timeout: {e}")
            row["allow_new"] = row["allow_new"].split()
            row["needs"] = set(row["needs"].split())
            if row["needs"] - KNOWN_NEEDS:
                raise TableError(f"{path}:{lineno}: unknown needs {sorted(row['needs'] - KNOWN_NEEDS)}")
            if "$MPIRUN" in row["command"] or "${MPIRUN}" in row["command"]:
                row["needs"].add("mpi")
            rows.append(row)
    if header is None:
        raise TableError(f"{path}: no header line")
    names = [r["name"] for r in rows]
    dups = sorted({n for n in names if names.count(n) > 1})
    if dups:
        raise TableError(f"{path}: duplicate names: {', '.join(dups)}")
    return rows


def snapshot(root):
    """{relative path: (kind, size, sha256, mode)} for everything under root (symlinks not followed)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            p = os.path.join(dirpath, d)
            st = os.lstat(p)
            out[os.path.relpath(p, root)] = ("dir", 0, "", stat.S_IMODE(st.st_mode))
        for fn in filenames:
            p = os.path.join(dirpath, fn)
            st = os.lstat(p)
            if stat.S_ISREG(st.st_mode):
                h = hashlib.sha256()
                with open(p, "rb") as f:
                    for chunk in iter(lambda: f.read(1 << 20), b""):
                        h.update(chunk)
                out[os.path.relpath(p, root)] = ("file", st.st_size, h.hexdigest(), stat.S_IMODE(st.st_mode))
            else:
                out[os.path.relpath(p, root)] = ("other", st.st_size, os.readlink(p) if stat.S_ISLNK(st.st_mode)
                                                 else "", stat.S_IMODE(st.st_mode))
    return out


def session_pids(sid):
    """Live processes still in session sid (children that left the process group, e.g. MPI ranks);
    zombies waiting for init to reap them are not counted."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[3]) == sid and fields[0] != "Z":  # after the name: state ppid pgrp session ...
                pids.append(int(entry))
        except (OSError, IndexError, ValueError):
            pass
    return pids


def kill_session(proc):
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        for pid in session_pids(proc.pid):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        if sig == signal.SIGTERM:
            time.sleep(0.5)


def run_bash(script, cwd, env, timeout):
    """(exit code, output, timed out, leftover pids); the whole session is killed on timeout. The output
    goes through a file, not a pipe: a child that outlives the shell cannot keep the runner waiting."""
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(["bash", "-c", script], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            proc.wait(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            kill_session(proc)
            proc.wait()
            timed_out = True
        # Ranks or daemons that outlived mpirun would hold cores (and the next row's files): after a
        # grace period for exiting processes, end them too, and report them.
        deadline = time.monotonic() + 3.0
        leftovers = session_pids(proc.pid)
        while leftovers and time.monotonic() < deadline:
            time.sleep(0.1)
            leftovers = session_pids(proc.pid)
        if leftovers:
            kill_session(proc)
        log.seek(0)
        out = log.read()
    return proc.returncode, out.decode("utf-8", errors="replace"), timed_out, leftovers


def tail(text, lines=15):
    t = text.rstrip("\n").split("\n")
    return "\n".join("    | " + x for x in t[-lines:])


def check_case(row, env, work):
    """Returns (status, reason, output); status is ok, FAIL or skip."""
    scratch = os.path.join(work, "cases", row["name"])
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    if row["setup"]:
        code, out, timed_out, _ = run_bash("set -e\n" + row["setup"], scratch, env, 120)
        if code != 0 or timed_out:
            return "FAIL", f"setup failed (exit {code})", out
    before = snapshot(scratch)
    t0 = time.monotonic()
    code, out, timed_out, leftovers = run_bash(row["command"], scratch, env, row["timeout"])
    secs = time.monotonic() - t0
    after = snapshot(scratch)
    problems = []
    if timed_out:
        problems.append(f"timed out after {row['timeout']:g} s (a hang?)")
    elif code < 0:
        problems.append(f"killed by signal {-code}")
    elif row["exit"] is not None:
        if code != row["exit"]:
            problems.append(f"exit code {code}, expected {row['exit']}")
    elif code == 0:
        problems.append("exit code 0: the bad input was accepted")
    elif code >= 128 or code == 124:
        problems.append(f"exit code {code}: a signal, a crash or a timeout, not an error message")
    if leftovers:
        problems.append(f"processes left running after the command ended: {leftovers}")
    if not re.search(row["expect"], out, re.MULTILINE):
        problems.append(f"output does not match /{row['expect']}/")
    for path, info in before.items():
        if path not in after:
            problems.append(f"'{path}' (made by setup) was deleted")
        elif after[path] != info:
            what = "mode" if after[path][:3] == info[:3] else "contents"
            problems.append(f"'{path}' (made by setup) was modified ({what})")
    for path in sorted(set(after) - set(before)):
        if not any(fnmatch.fnmatch(path, g) for g in row["allow_new"]):
            problems.append(f"new file '{path}' left behind")
    for path in sorted(set(after) - set(before)):  # one that setup made on purpose is covered above
        if path.endswith(".tmp"):
            problems.append(f"temporary file '{path}' left behind")
    if problems:
        return "FAIL", "; ".join(problems), out
    shutil.rmtree(scratch, ignore_errors=True)
    return "ok", f"{secs:.1f} s", out


def probe_features(pint, mpirun, torch):
    feats = set()
    if torch == "auto":
        # Only a pint built with LibTorch knows `train` (and then rejects the negative count by name).
        try:
            r = subprocess.run([pint, "train", "--epochs", "-1"], capture_output=True, text=True, timeout=60)
            torch = "yes" if "epochs" in r.stdout + r.stderr else "no"
        except (OSError, subprocess.TimeoutExpired):
            torch = "no"
    if torch == "yes":
        feats.add("torch")
    for mod, feat in (("h5py", "h5py"), ("torch", "pytorch")):
        try:
            if subprocess.run([PYTHON, "-c", f"import {mod}"], capture_output=True, timeout=120).returncode == 0:
                feats.add(feat)
        except (OSError, subprocess.TimeoutExpired):
            pass
    if mpirun and shutil.which(mpirun):
        feats.add("mpi")
    return feats


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pint", help="the pint binary (required unless --list)")
    ap.add_argument("--mpirun", default="mpirun", help="mpirun / mpiexec")
    ap.add_argument("--mpirun-flags", default="", help="extra flags for mpirun (one string, split like a shell)")
    ap.add_argument("--cases", default=os.path.join(HERE, "cases.tsv"), help="the table (default: cases.tsv)")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "pint_bad_inputs"),
                    help="scratch directory (emptied first; failed rows' directories are kept)")
    ap.add_argument("--only", help="run only rows whose name matches this regex (searched)")
    ap.add_argument("--torch", choices=["yes", "no", "auto"], default="auto",
                    help="whether pint was built with LibTorch (rows that need torch); auto: ask pint")
    ap.add_argument("-j", type=int, default=2, help="rows run in parallel (MPI rows run one at a time, last)")
    ap.add_argument("--list", action="store_true", help="list the rows per category and exit")
    args = ap.parse_args()

    try:
        rows = read_table(args.cases)
    except (TableError, OSError) as e:
        print(f"run_cases: {e}", file=sys.stderr)
        return 2
    if args.only:
        rows = [r for r in rows if re.search(args.only, r["name"])]
    if args.list:
        cats = {}
        for r in rows:
            cats.setdefault(r["name"].split("_")[0], []).append(r["name"])
        for c, names in cats.items():
            print(f"{c:12} {len(names):3}  {' '.join(names)}")
        print(f"{len(rows)} rows")
        return 0

    if not args.pint:
        ap.error("--pint is required")
    pint = os.path.abspath(args.pint)
    if not os.access(pint, os.X_OK):
        print(f"run_cases: pint binary '{pint}' is not executable", file=sys.stderr)
        return 2
    work = os.path.abspath(args.work)
    if os.path.isdir(work) and os.listdir(work) and not os.path.exists(os.path.join(work, MARKER)):
        print(f"run_cases: '{work}' is not empty and not a directory of this runner; not clearing it",
              file=sys.stderr)
        return 2
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "cases"))
    open(os.path.join(work, MARKER), "w").close()
    fixtures_dir = os.path.join(work, "fixtures")
    os.makedirs(fixtures_dir)

    env = dict(os.environ)
    env.update({"PINT": pint, "FIXTURES": fixtures_dir, "PYTHON": PYTHON, "SMALL_RUN": SMALL_RUN,
                "OMP_NUM_THREADS": "1", "OMP_PROC_BIND": "false",
                "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1", "MPLBACKEND": "Agg"})
    env.pop("PINT_PLOT_DEBUG", None)
    # $MPIRUN is `mpirun [flags]` without -np: rows give -np themselves.
    env["MPIRUN"] = " ".join([shlex.quote(args.mpirun), args.mpirun_flags]).strip()

    def binary_stamp():
        try:
            st = os.stat(pint)
            return (st.st_size, st.st_mtime_ns)
        except OSError:
            return None

    stamp = binary_stamp()
    start = time.monotonic()
    feats = probe_features(pint, args.mpirun, args.torch)
    print(f"features: {' '.join(sorted(feats)) or 'none'}; {len(rows)} rows; work dir {work}", flush=True)

    # Fixtures the selected rows mention, built once.
    text = "\n".join(r["setup"] + "\n" + r["command"] for r in rows)
    fixture_state = {}  # file -> None (ok) | ("skip", why) | ("fail", why)
    for files, needs, script in FIXTURES:
        if not any(re.search(r"\$\{?FIXTURES\}?/" + re.escape(f) + r"(?![\w./-])", text) or
                   re.search(r"\$\{?FIXTURES\}?/" + re.escape(f.split("/")[0]) + r"/", text) for f in files):
            continue
        missing = needs - feats
        if missing:
            state = ("skip", f"fixture {files[0]} needs {' '.join(sorted(missing))}")
        else:
            code, out, timed_out, _ = run_bash("set -e\n" + script, fixtures_dir, env, FIXTURE_TIMEOUT)
            absent = [f for f in files if not os.path.isfile(os.path.join(fixtures_dir, f))]
            state = None
            if code != 0 or timed_out or absent:
                state = ("fail", f"fixture {files[0]} could not be made (exit {code}, missing {absent}):\n"
                                 + tail(out))
                print(f"FAIL fixture {files[0]}\n{tail(out)}", flush=True)
        for f in files:
            fixture_state[f] = state
    fixtures_before = snapshot(fixtures_dir)
    print(f"fixtures ready after {time.monotonic() - start:.1f} s", flush=True)

    results = {}
    lock = threading.Lock()

    def run_row(row):
        needs = set(row["needs"])
        blocker = None
        for f, state in fixture_state.items():
            mentioned = re.search(r"\$\{?FIXTURES\}?/" + re.escape(f), row["setup"] + row["command"])
            if mentioned and state is not None:
                blocker = state
                if state[0] == "fail":
                    break
        missing = needs - feats
        if missing:
            status, reason, out = "skip", f"needs {' '.join(sorted(missing))}", ""
        elif blocker:
            status, reason, out = ("skip" if blocker[0] == "skip" else "FAIL"), blocker[1], ""
        else:
            try:
                status, reason, out = check_case(row, env, work)
                if status == "FAIL" and MPI_STARTUP_FAILURE.search(out):
                    status, reason, out = check_case(row, env, work)
                    reason += " (run twice: MPI start-up failed the first time)"
            except Exception as e:  # noqa: BLE001 - a runner bug must fail the row, not stop the corpus
                status, reason, out = "FAIL", f"runner error: {type(e).__name__}: {e}", ""
        with lock:
            results[row["name"]] = status
            if status == "ok":
                print(f"ok {row['name']}" + (" (run twice: MPI start-up failed the first time)"
                                             if "run twice" in reason else ""), flush=True)
            elif status == "skip":
                print(f"skip {row['name']}: {reason}", flush=True)
            else:
                msg = f"FAIL {row['name']}: {reason} (cases.tsv line {row['line']}; " \
                      f"scratch {os.path.join(work, 'cases', row['name'])})"
                print(msg + ("\n" + tail(out) if out else ""), flush=True)

    serial_rows = [r for r in rows if "mpi" in r["needs"]]
    parallel_rows = [r for r in rows if "mpi" not in r["needs"]]
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.j)) as pool:
        list(pool.map(run_row, parallel_rows))
    for r in serial_rows:  # MPI rows start 2 ranks each: one at a time, with the cores to themselves
        run_row(r)

    failed = [n for n, s in results.items() if s == "FAIL"]
    if binary_stamp() != stamp:
        print(f"warning: {pint} changed during the run (rebuilt?): rows may have run against two builds",
              flush=True)
    if snapshot(fixtures_dir) != fixtures_before:
        print("FAIL fixtures: a row modified the shared fixtures in $FIXTURES (copy them in setup instead)",
              flush=True)
        failed.append("fixtures")
    passed = sum(1 for s in results.values() if s == "ok")
    skipped = sum(1 for s in results.values() if s == "skip")
    print(f"corpus: {time.monotonic() - start:.1f} s" + (f", {skipped} skipped" if skipped else ""))
    print(f"{passed} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

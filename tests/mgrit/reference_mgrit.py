#!/usr/bin/env python3
"""A reference MGRIT in numpy, written from the algorithm's description (XBraid's conventions, README
"MGRIT"), for XBraid's two example problems: ex-01 (u' = -u) and ex-02 (u_t = u_xx + F on [0, pi]),
backward Euler on every level with the level's own step. Serial, dense, no batching and no MPI: a check of
pint's distributed, batched implementation on the same conventions.

    reference_mgrit.py --problem ex01|ex02 --slices N --levels L --cfactor C [--cfactor0 C0] --nu NU
                       --cycle V|F --skip 0|1 --tolerance TOL --max-iterations K --guess VALUE|coarse
                       [--min-coarse M] [--relative]

prints {"iterations": ..., "converged": ..., "residual_per_iteration": [null or number, ...],
"points_per_level": [...]} as JSON.
"""
import argparse
import json
import math

import numpy as np


def ex01():
    """u' = -u, u(0) = 1, t in [0, N / 2] (ex-01's dt = 0.5)."""
    def step(u, t0, t1):
        return u / (1.0 + (t1 - t0))
    return np.array([1.0]), step, None


def ex02(intervals=32):
    """u_t = u_xx - sin x sin t + sin x cos t on [0, pi], Dirichlet data sin x cos t at the new time."""
    x = np.linspace(0.0, math.pi, intervals + 1)
    h = math.pi / intervals
    n = x.size
    lap = (np.diag(-2.0 * np.ones(n)) + np.diag(np.ones(n - 1), 1) + np.diag(np.ones(n - 1), -1)) / h**2

    def step(u, t0, t1):
        dt = t1 - t0
        A = np.eye(n) - dt * lap
        b = u + dt * (-np.sin(x) * math.sin(t1) + np.sin(x) * math.cos(t1))
        A[0, :] = 0.0
        A[-1, :] = 0.0
        A[0, 0] = A[-1, -1] = 1.0
        b[0] = math.sin(x[0]) * math.cos(t1)
        b[-1] = math.sin(x[-1]) * math.cos(t1)
        return np.linalg.solve(A, b)
    return np.sin(x), step, 2.0 * math.pi


def mgrit(u0, step, T, N, levels, cf, cf0, nu, cycle, skip, tol, relative, max_iter, guess, min_coarse):
    # The hierarchy: level l's points are level (l-1)'s multiples of its factor.
    n = [N]
    factors = []
    while len(n) < levels:
        c = cf0 if len(n) == 1 else cf
        if n[-1] // c + 1 < min_coarse or n[-1] // c < 1:
            break
        factors.append(c)
        n.append(n[-1] // c)
    L = len(n)
    stride = [1]
    for c in factors:
        stride.append(stride[-1] * c)
    t = [[T * (i * stride[l] / N) if i * stride[l] != N else T for i in range(n[l] + 1)] for l in range(L)]
    u = [[None] * (n[l] + 1) for l in range(L)]
    g = [[np.zeros_like(u0) for _ in range(n[l] + 1)] for l in range(L)]
    v_old = [None] * L
    r_keep = [None] * L
    for i in range(n[0] + 1):
        u[0][i] = u0.copy() if i == 0 else np.full_like(u0, 0.0 if guess is None else guess)

    def phi(l, i, x):
        return step(x, t[l][i - 1], t[l][i])

    def f_relax(l):
        for i in range(1, n[l] + 1):
            if i % factors[l]:
                u[l][i] = phi(l, i, u[l][i - 1]) + (g[l][i] if l else 0.0)

    def c_relax(l):
        for i in range(factors[l], n[l] + 1, factors[l]):
            u[l][i] = phi(l, i, u[l][i - 1]) + (g[l][i] if l else 0.0)

    def relax(l):
        f_relax(l)
        for _ in range(nu):
            c_relax(l)
            f_relax(l)

    def residual_and_inject(l, work):
        c = factors[l]
        sq = 0.0
        r = {}
        for j in range(n[l + 1] + 1):
            if work and j > 0:
                rc = (g[l][c * j] if l else 0.0) - (u[l][c * j] - phi(l, c * j, u[l][c * j - 1]))
                r[j] = rc
                sq += float(np.dot(rc, rc))
            u[l + 1][j] = u[l][c * j].copy()
        v_old[l + 1] = [v.copy() for v in u[l + 1]]
        r_keep[l + 1] = r
        if not work:
            g[l + 1] = [np.zeros_like(u0) for _ in range(n[l + 1] + 1)]
        return sq

    def fas_rhs(l):
        for j in range(1, n[l + 1] + 1):
            g[l + 1][j] = (u[l + 1][j] - phi(l + 1, j, u[l + 1][j - 1])) + r_keep[l + 1][j]
        g[l + 1][0] = np.zeros_like(u0)

    def solve(l):
        for i in range(1, n[l] + 1):
            u[l][i] = phi(l, i, u[l][i - 1]) + g[l][i]

    def interpolate(l):
        if l + 1 < L - 1:
            f_relax(l + 1)
        for j in range(n[l + 1] + 1):
            u[l][factors[l] * j] = u[l][factors[l] * j] + (u[l + 1][j] - v_old[l + 1][j])

    if not skip and guess is None:  # the coarse sweep as initial guess
        u[1][0] = u0.copy()
        prev = u0.copy()
        for j in range(1, n[1] + 1):
            prev = phi(1, j, prev)
            u[0][factors[0] * j] = prev

    residuals = []
    first = None
    state = {"stop": False, "converged": False}

    def down_from(top, work, k):
        for l in range(top, L - 1):
            if work:
                relax(l)
            sq = residual_and_inject(l, work)
            if l == 0 and work:
                res = math.sqrt(sq)
                residuals.append(res)
                nonlocal first
                if first is None:
                    first = res
                if res < (tol * first if relative else tol):
                    state["stop"] = state["converged"] = True
                    return
                if k + 1 >= max_iter:
                    state["stop"] = True
                    return
            if work:
                fas_rhs(l)
        solve(L - 1)

    k = 0
    while True:
        work = not (skip and k == 0)
        if not work:
            residuals.append(None)
        down_from(0, work, k)
        if not state["stop"]:
            if cycle == "F":
                for top in range(L - 2, 0, -1):
                    for l in range(L - 2, top - 1, -1):
                        interpolate(l)
                    down_from(top, True, k)
            for l in range(L - 2, -1, -1):
                interpolate(l)
        if state["stop"] or k + 1 >= max_iter:
            break
        k += 1
    return {"iterations": k + 1, "converged": state["converged"], "residual_per_iteration": residuals,
            "points_per_level": [m + 1 for m in n]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--problem", choices=["ex01", "ex02"], required=True)
    ap.add_argument("--slices", type=int, required=True)
    ap.add_argument("--levels", type=int, default=30)
    ap.add_argument("--cfactor", type=int, default=2)
    ap.add_argument("--cfactor0", type=int, default=0)
    ap.add_argument("--nu", type=int, default=1)
    ap.add_argument("--cycle", choices=["V", "F"], default="V")
    ap.add_argument("--skip", type=int, default=1)
    ap.add_argument("--tolerance", type=float, default=1e-9)
    ap.add_argument("--relative", action="store_true")
    ap.add_argument("--max-iterations", type=int, default=100)
    ap.add_argument("--guess", default="coarse")
    ap.add_argument("--min-coarse", type=int, default=2)
    a = ap.parse_args()
    u0, step, T = ex01() if a.problem == "ex01" else ex02()
    if T is None:
        T = a.slices / 2.0
    guess = None if a.guess == "coarse" else float(a.guess)
    out = mgrit(u0, step, T, a.slices, a.levels, a.cfactor, a.cfactor0 or a.cfactor, a.nu, a.cycle, bool(a.skip),
                a.tolerance, a.relative, a.max_iterations, guess, a.min_coarse)
    print(json.dumps(out))


if __name__ == "__main__":
    main()

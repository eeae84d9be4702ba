#!/usr/bin/env python3
"""Checks the JSON summary of the default `pint run --compare-serial` against the issue's claims:
converged in at most 3 iterations to below the fine discretisation error, and consistent fields."""
import json
import sys

with open(sys.argv[1]) as f:
    s = json.load(f)
fail = []
if not s["converged"]:
    fail.append("not converged")
if s["iterations"] > 3:
    fail.append(f"{s['iterations']} iterations > 3")
err_serial = s["error_vs_serial"]["max_over_slices"]
err_fine_exact = s["error_vs_closed_form"]["serial_fine"]
if not (err_serial < err_fine_exact):
    fail.append(f"Parareal error vs serial {err_serial} not below the fine discretisation error {err_fine_exact}")
if len(s["per_iteration"]) != s["iterations"] + 1:
    fail.append("per_iteration has the wrong length")
if not (s["cost_seconds"]["fine_slice"] > 0 and s["cost_seconds"]["coarse_slice"] > 0):
    fail.append("costs missing")
for key in ("measured", "bound_eq8"):
    if not (s["speedup"][key] and s["speedup"][key] > 0):
        fail.append(f"speedup.{key} missing")
errs = s["error_vs_serial"]["per_iteration"]
if any(b >= a for a, b in zip(errs, errs[1:])):
    fail.append(f"error vs serial does not fall at every iteration: {errs}")
if fail:
    print("FAIL:", "; ".join(fail))
    sys.exit(1)
print(f"OK: {s['iterations']} iterations, error vs serial {err_serial:.2e} < fine error {err_fine_exact:.2e}")

#!/usr/bin/python3
"""TorchScript modules that load but are wrong, for the bad-input corpus (Debian's python3-torch):
  one_arg.pt   forward(x) only: the wrong signature
  raises.pt    forward(tau, x) raises RuntimeError('boom') on every call
  nan.pt       forward(tau, x) returns NaN everywhere
  two_d.pt     forward(tau, x) returns a [2, M] tensor (2 M values instead of M)
  saved.pt     a state dict written with torch.save, not torch.jit.save
usage: make_bad_modules.py OUTDIR"""
import os
import sys

import torch


class OneArg(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


class Raises(torch.nn.Module):
    def forward(self, tau: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        raise RuntimeError("boom")


class NaN(torch.nn.Module):
    def forward(self, tau: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        return x * float("nan")


class TwoD(torch.nn.Module):
    def forward(self, tau: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        return torch.stack([x, x])


out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for name, module in (("one_arg", OneArg()), ("raises", Raises()), ("nan", NaN()), ("two_d", TwoD())):
    torch.jit.script(module).save(os.path.join(out, name + ".pt"))
torch.save({"weight": torch.zeros(3)}, os.path.join(out, "saved.pt"))
print("wrote one_arg.pt, raises.pt, nan.pt, two_d.pt, saved.pt to", out)

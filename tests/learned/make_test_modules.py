#!/usr/bin/env python3
"""Builds TorchScript modules with Debian's python3-torch for the learned-coarse tests:
  surface.pt   forward(tau, x) -> discounted intrinsic value max(x - K exp(-r tau), 0) of a call
               (a crude surface: the coarse form G(u) = C(u) + N(t1) - C(N(t0)) must converge with any N)
  exact.pt     forward(tau, x) -> the Black-Scholes closed form of the default call (K = 100, r = 0.03,
               sigma = 0.4): the form with a perfect network
  wrong.pt     forward(tau, x) -> a tensor of the wrong length (must be refused with a clear error)
usage: make_test_modules.py OUTDIR"""
import os
import sys

import torch


class Intrinsic(torch.nn.Module):
    def __init__(self, strike: float, rate: float):
        super().__init__()
        self.strike = strike
        self.rate = rate

    def forward(self, tau: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        return torch.clamp(x - self.strike * torch.exp(-self.rate * tau), min=0.0)


class ExactCall(torch.nn.Module):
    def __init__(self, strike: float, rate: float, sigma: float):
        super().__init__()
        self.strike = strike
        self.rate = rate
        self.sigma = sigma

    def forward(self, tau: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        t = torch.clamp(tau, min=1e-300)
        root = self.sigma * torch.sqrt(t)
        d1 = (torch.log(torch.clamp(x, min=1e-300) / self.strike) + (self.rate + 0.5 * self.sigma ** 2) * t) / root
        v = x * torch.special.ndtr(d1) - self.strike * torch.exp(-self.rate * t) * torch.special.ndtr(d1 - root)
        v = torch.where(x > 0, v, torch.zeros_like(v))
        return torch.where(tau > 0, v, torch.clamp(x - self.strike, min=0.0))


class Wrong(torch.nn.Module):
    def forward(self, tau: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        return x[:3]


out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.jit.script(Intrinsic(100.0, 0.03)).save(os.path.join(out, "surface.pt"))
torch.jit.script(ExactCall(100.0, 0.03, 0.4)).save(os.path.join(out, "exact.pt"))
torch.jit.script(Wrong()).save(os.path.join(out, "wrong.pt"))
with open(os.path.join(out, "corrupt.pt"), "wb") as f:
    f.write(b"PK\x03\x04 this is not a TorchScript archive")
print("wrote surface.pt, exact.pt, wrong.pt, corrupt.pt to", out)

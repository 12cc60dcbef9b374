#!/usr/bin/env python3
"""SciPy baseline for the Figure 3 (left) phase diagram: E log|1 ∓ λχ| for the Gaussian saddle model at S = 1.

Same quantities as the toolkit's gaussianPhaseDiagram, by a different method of the same accuracy: with
χ = α₊U² + α₋V² in polar coordinates, E log|1 − λχ| = (2/π)∫₀^{π/2} ψ(2λκ(θ)) dθ, κ(θ) = α₊cos²θ + α₋sin²θ,
ψ(c) = E log|1 − cE|, E ~ Exp(1), in closed form: −e^{−1/c}Ei(1/c) for c > 0, e^{1/|c|}E₁(1/|c|) for c < 0
(scipy.special, with the asymptotic series where they overflow). For each μ the integral over θ is computed
for all 400 learning rates at once with scipy.integrate.quad_vec (epsabs 1e-8, a breakpoint where κ = 0).

Reads {"lambdas": [...], "mus": [...], "rows": k} on stdin, times k evenly spread rows and prints one JSON line:
seconds per row, the extrapolation to all rows, and the values of one row (to check the agreement).
"""
import json
import sys
import time

import numpy as np
from scipy import integrate, special

SIGMA = 2.0


def scaled_ei(a):
    """e^{−a} Ei(a) for a > 0 (asymptotic series for large a)."""
    out = np.empty_like(a)
    big = a > 600
    small = ~big
    out[small] = np.exp(-a[small]) * special.expi(a[small])
    ab = a[big]
    out[big] = (1 + 1 / ab + 2 / ab**2 + 6 / ab**3 + 24 / ab**4 + 120 / ab**5) / ab
    return out


def psi(c):
    """E log|1 − cE|, E ~ Exp(1), elementwise."""
    out = np.zeros_like(c)
    pos = c > 0
    neg = c < 0
    out[pos] = -scaled_ei(1 / c[pos])
    b = -1 / c[neg]  # > 0
    out[neg] = special.exp1(b) * np.exp(b) if np.all(b < 700) else np.where(
        b < 700, special.exp1(np.minimum(b, 700)) * np.exp(np.minimum(b, 700)),
        (1 - 1 / b + 2 / b**2 - 6 / b**3 + 24 / b**4) / b)
    return out


def row(mu, lambdas):
    c = (1 - mu) * SIGMA
    root = np.sqrt(mu * mu + c * c)
    ap, am = (mu + root) / 2, (mu - root) / 2
    kappa = lambda th: ap * np.cos(th) ** 2 + am * np.sin(th) ** 2
    points = None
    if am < 0:
        t0 = -am / (ap - am)
        points = [float(np.arccos(np.sqrt(t0)))]

    def f(th):
        k = kappa(th)
        return np.concatenate([psi(2 * lambdas * k), psi(-2 * lambdas * k)]) * (2 / np.pi)

    res, _ = integrate.quad_vec(f, 0, np.pi / 2, epsabs=1e-8, epsrel=1e-10, points=points, limit=400)
    n = len(lambdas)
    return res[:n], res[n:]


def main():
    data = json.load(sys.stdin)
    lambdas = np.asarray(data["lambdas"], dtype=float)
    mus = np.asarray(data["mus"], dtype=float)
    k = int(data.get("rows", 12))
    chosen = np.linspace(0, len(mus) - 1, k).round().astype(int)
    t = time.perf_counter()
    for r in chosen:
        row(mus[r], lambdas)
    per_row = (time.perf_counter() - t) / k
    check_mu = float(data.get("check_mu", 0.3))
    minus, plus = row(check_mu, lambdas)
    print(json.dumps({"kernel": "figure3_left", "seconds_per_row": per_row, "rows_timed": k,
                      "seconds": per_row * len(mus), "check_mu": check_mu,
                      "minus": minus.tolist(), "plus": plus.tolist(), "numpy": np.__version__}))


if __name__ == "__main__":
    main()

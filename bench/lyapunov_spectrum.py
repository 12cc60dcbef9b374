#!/usr/bin/env python3
"""NumPy baseline for the Lyapunov-spectrum kernels: the same QR (Benettin) method as lyapunovSpectrum and
rankOneLyapunovSpectrum, written the natural NumPy way (one matrix product per step, numpy.linalg.qr every
`every` steps).

Reads {"kernel": "top2d" | "rank1", ...} on stdin and prints one JSON line with the seconds for the steps it
ran, the steps per second, and the estimate (to check it computes the same thing).

- top2d: 2-D per-sample Hessians, top exponent only (k = 1), re-normalizing every 10 steps.
- rank1: Ĥ = x xᵀ for the given 50-dimensional x, the full spectrum (k = d), QR every 10 steps.
"""
import json
import sys
import time

import numpy as np


def top2d(hessians, lam, steps, every, seed):
    rng = np.random.default_rng(seed)
    H = np.asarray(hessians, dtype=float)
    M = np.eye(2)[None, :, :] - lam * H  # the per-sample factors
    idx = rng.integers(0, len(H), size=steps)
    v = np.array([1.0, 0.3])
    v /= np.linalg.norm(v)
    acc = 0.0
    t = time.perf_counter()
    for s in range(steps):
        v = M[idx[s]] @ v
        if (s + 1) % every == 0:
            n = np.linalg.norm(v)
            acc += np.log(n)
            v /= n
    acc += np.log(np.linalg.norm(v))
    return time.perf_counter() - t, acc / steps


def rank1(x, lam, steps, every, seed):
    rng = np.random.default_rng(seed)
    X = np.asarray(x, dtype=float)
    n, d = X.shape
    idx = rng.integers(0, n, size=steps)
    Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    logs = np.zeros(d)
    t = time.perf_counter()
    for s in range(steps):
        xi = X[idx[s]]
        Q -= lam * np.outer(xi, xi @ Q)
        if (s + 1) % every == 0:
            Q, R = np.linalg.qr(Q)
            logs += np.log(np.abs(np.diag(R)))
    return time.perf_counter() - t, logs / steps


def main():
    job = json.load(sys.stdin)
    if job["kernel"] == "top2d":
        seconds, est = top2d(job["hessians"], job["lambda"], job["steps"], job["every"], 1)
        print(json.dumps({"kernel": "top2d", "seconds": seconds, "steps": job["steps"], "estimate": est,
                          "numpy": np.__version__}))
    else:
        seconds, est = rank1(job["x"], job["lambda"], job["steps"], job["every"], 1)
        print(json.dumps({"kernel": "rank1", "seconds": seconds, "steps": job["steps"], "top": float(est[0]),
                          "sum": float(est.sum()), "numpy": np.__version__}))


if __name__ == "__main__":
    main()

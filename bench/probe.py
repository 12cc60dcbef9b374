"""The stability probe's Hessian-vector product in NumPy: the Part V MLP 784-128-128-64-10 (relu, softmax
cross-entropy, float64), gradient and exact HVP by the R-operator (the same formulas as
lib/probe/adapters.ts), batch size 32, uniform random pixels. Prints JSON {"gradient_ms", "hvp_ms"} (best of
`--repeats` rounds of 20 calls). Run: python3 bench/probe.py [--threads 1] [--repeats 5]
"""
import json
import os
import sys

threads = sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv else "1"
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = threads
import time  # noqa: E402

import numpy as np  # noqa: E402

repeats = int(sys.argv[sys.argv.index("--repeats") + 1]) if "--repeats" in sys.argv else 5
sizes = [784, 128, 128, 64, 10]
rng = np.random.default_rng(0)
Ws = [rng.normal(0, np.sqrt(2 / a), (a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
bs = [np.zeros(b) for b in sizes[1:]]
Vs = [rng.normal(size=W.shape) for W in Ws]
cs = [rng.normal(size=b.shape) for b in bs]
X = rng.random((32, 784))
y = rng.integers(0, 10, 32)
onehot = np.eye(10)[y]
L = len(Ws)


def forward():
    acts = [X]
    for l in range(L):
        z = acts[-1] @ Ws[l] + bs[l]
        acts.append(np.maximum(z, 0) if l + 1 < L else z)
    z = acts[-1] - acts[-1].max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    return acts, p


def gradient():
    acts, p = forward()
    d = (p - onehot) / len(X)
    gW, gb = [None] * L, [None] * L
    for l in range(L - 1, -1, -1):
        gW[l] = acts[l].T @ d
        gb[l] = d.sum(axis=0)
        if l > 0:
            d = (d @ Ws[l].T) * (acts[l] > 0)
    return gW, gb


def hvp():
    acts, p = forward()
    S = len(X)
    d = [None] * (L + 1)
    d[L] = (p - onehot) / S
    ra = [np.zeros_like(X)]
    for l in range(L):
        rz = acts[l] @ Vs[l] + cs[l] + (ra[l] @ Ws[l] if l > 0 else 0)
        ra.append(rz * (acts[l + 1] > 0) if l + 1 < L else rz)
    rzL = ra[L]
    rd = p * (rzL - (p * rzL).sum(axis=1, keepdims=True)) / S
    hW, hb = [None] * L, [None] * L
    for l in range(L - 1, -1, -1):
        hW[l] = acts[l].T @ rd + (ra[l].T @ d[l + 1] if l > 0 else 0)
        hb[l] = rd.sum(axis=0)
        if l > 0:
            mask = acts[l] > 0
            d[l] = (d[l + 1] @ Ws[l].T) * mask
            rd = (rd @ Ws[l].T + d[l + 1] @ Vs[l].T) * mask
    return hW, hb


def best(f):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(20):
            f()
        times.append((time.perf_counter() - t) / 20 * 1000)
    return min(times)


print(json.dumps({"gradient_ms": best(gradient), "hvp_ms": best(hvp), "threads": threads}))

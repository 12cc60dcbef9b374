#!/usr/bin/env python3
"""NumPy baseline for one SGD step of a small deep network (bench/deep_network_tfjs.ts is the TF.js side).

Model "MLP-784-128-128-64-10", float64: x (784, pixels in [0, 1)) → dense 128 + ReLU → dense 128 + ReLU →
dense 64 + ReLU → dense 10 (logits); loss = softmax cross-entropy averaged over the batch; plain SGD (no
momentum, no weight decay), learning rate 0.1. Weights He normal (std √(2/fan_in)), row-major
[fan_in, fan_out] (h ← relu(h W + b)), biases 0. One step on a batch X (S × 784), labels y:

    forward   A₀ = X, Aₗ₊₁ = relu(Aₗ Wₗ + bₗ) (l < 3), P = softmax(A₃ W₃ + b₃)
    backward  G₃ = (λ/S)(P − onehot(y)), Gₗ = (Gₗ₊₁ Wₗ₊₁ᵀ) ⊙ [Aₗ₊₁ > 0]
    update    Wₗ −= Aₗᵀ Gₗ, bₗ −= Σ_rows Gₗ  (λ folded into G₃, so the products give λ × gradient)

Data and weights come from the same seeded generator as the TF.js benchmark (mulberry32 used as a counter-based
generator, u_k = mix(seed + k·0x6D2B79F5) for k = 1, 2, …, vectorized here; normals by Box–Muller,
z_i = √(−2 ln(1 − u_2i)) cos(2π u_2i+1); x: seed 1, labels ⌊10u⌋: seed 2, Wₗ: seed 10 + l), so the check
losses printed by both agree to float32 precision. A pool of 64 batches is made before timing (2048 rows;
at S = 32 batch t is rows [32t, 32t + 32), at S = 1 row t, t mod 64; the batches are views of the pool):
data generation is not timed.

Variants (each timed best of K rounds of N steps after a warm-up, interleaved round-robin; the result is the
fastest variant):
  - "naive": the textbook expressions (new arrays everywhere), then W -= λ dW;
  - "preallocated": np.matmul(..., out=), np.maximum(out=), np.exp(out=), the ReLU mask applied in place,
    λ/S folded into G₃, Aₗᵀ Gₗ into preallocated buffers (np.outer at S = 1: OpenBLAS's gemm with k = 1 is
    slower), then in-place `-=`;
  - "scipy_blas" (only with --scipy): as "preallocated", but each Wₗ −= Aₗᵀ Gₗ is one in-place BLAS call
    (scipy.linalg.blas dger at S = 1, dgemm with β = 1 at S = 32) — no gradient buffer, one pass over Wₗ.
The JSON line "numpy" is the fastest NumPy-only variant, "numpy+scipy-blas" the SciPy one. (Load SciPy only
with --threads 1: with the default threads, NumPy's and SciPy's two OpenBLAS pools spin against each other on
a 2-core machine.)

Checks printed first: a central finite difference (h = 1e-6) of the loss against the backward pass for the
largest-|g| entry of every weight matrix and bias (relative error), the loss at the first 10 steps at S = 32
and on batch 0 after them (compare with the TF.js output), whether two runs are bit-identical, and whether the
variants agree.

Usage: python3 bench/deep_network.py [--steps32 N] [--steps1 N] [--repeats K] [--threads T] [--scipy]
  --threads  set OPENBLAS_NUM_THREADS / OMP_NUM_THREADS / MKL_NUM_THREADS before numpy is imported (default:
             unset, i.e. the BLAS default, all cores; TF.js's CPU and WASM backends use one thread).
The last lines are JSON, one per batch size (and per group):
  {"backend": "numpy", "batch": ..., "usPerStep": ..., "variant": ..., "medianUsPerStep": ..., ...}
"""

import json
import os
import sys
import time


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


THREADS = arg("--threads", None)
if THREADS is not None:
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = THREADS

import numpy as np  # noqa: E402  (after the thread settings)

SBLAS = None
if "--scipy" in sys.argv:
    from scipy.linalg import blas as SBLAS  # noqa: E402

LAYERS = [784, 128, 128, 64, 10]
LR = 0.1
POOL_BATCHES = 64
POOL_ROWS = 32 * POOL_BATCHES
CHECK_STEPS = 10


# --- seeded data, identical to deep_network_tfjs.ts -------------------------------------------------------------


def uniforms(seed, n):
    """mulberry32: state a_k = seed + k·0x6D2B79F5 (mod 2³²), output mix(a_k) / 2³², k = 1..n."""
    with np.errstate(over="ignore"):
        a = np.uint32(seed) + np.arange(1, n + 1, dtype=np.uint32) * np.uint32(0x6D2B79F5)
        t = (a ^ (a >> np.uint32(15))) * (a | np.uint32(1))
        t = (t + (t ^ (t >> np.uint32(7))) * (t | np.uint32(61))) ^ t
        return (t ^ (t >> np.uint32(14))).astype(np.float64) / 4294967296.0


def normals(seed, n):
    u = uniforms(seed, 2 * n)
    return np.sqrt(-2.0 * np.log(1.0 - u[0::2])) * np.cos(2.0 * np.pi * u[1::2])


def initial_params():
    ws = [
        normals(10 + l, LAYERS[l] * LAYERS[l + 1]).reshape(LAYERS[l], LAYERS[l + 1]) * np.sqrt(2.0 / LAYERS[l])
        for l in range(len(LAYERS) - 1)
    ]
    bs = [np.zeros(n) for n in LAYERS[1:]]
    return ws, bs


POOL_X = uniforms(1, POOL_ROWS * LAYERS[0]).reshape(POOL_ROWS, LAYERS[0])
POOL_Y = np.floor(10.0 * uniforms(2, POOL_ROWS)).astype(np.intp)
W0, B0 = initial_params()


def batches(S):
    return [(POOL_X[t * S : (t + 1) * S], POOL_Y[t * S : (t + 1) * S]) for t in range(POOL_BATCHES)]


# --- the network --------------------------------------------------------------------------------------------------


def loss(ws, bs, X, y):
    h = X
    for l in range(len(ws)):
        h = h @ ws[l] + bs[l]
        if l < len(ws) - 1:
            h = np.maximum(h, 0.0)
    h = h - h.max(axis=1, keepdims=True)
    logp = h - np.log(np.exp(h).sum(axis=1, keepdims=True))
    return -logp[np.arange(len(y)), y].mean()


class Net:
    """Parameters plus the buffers of the preallocated step for one batch size."""

    def __init__(self, S):
        self.S = S
        self.L = len(LAYERS) - 1
        self.reset()
        self.A = [np.empty((S, n)) for n in LAYERS[1:]]  # A[l] = output of layer l (post-ReLU, logits → P last)
        self.G = [np.empty((S, n)) for n in LAYERS[1:]]  # G[l] = (scaled) gradient w.r.t. layer l's pre-activation
        self.gW = [np.empty_like(w) for w in self.ws]
        self.gb = [np.empty_like(b) for b in self.bs]
        self.rowmax = np.empty((S, 1))
        self.rows = np.arange(S)

    def reset(self):
        self.ws = [w.copy() for w in W0]
        self.bs = [b.copy() for b in B0]

    def forward(self, X, y, scale):
        """Preallocated forward pass; leaves G[-1] = scale × (P − onehot(y)) / S."""
        A, ws = self.A, self.ws
        h = X
        for l in range(self.L):
            np.matmul(h, ws[l], out=A[l])
            A[l] += self.bs[l]
            if l < self.L - 1:
                np.maximum(A[l], 0.0, out=A[l])
            h = A[l]
        P = A[-1]
        np.max(P, axis=1, keepdims=True, out=self.rowmax)
        P -= self.rowmax
        np.exp(P, out=P)
        np.sum(P, axis=1, keepdims=True, out=self.rowmax)
        P /= self.rowmax
        P[self.rows, y] -= 1.0
        np.multiply(P, scale / self.S, out=self.G[-1])

    def backward(self, X, y, scale):
        """Preallocated forward and backward pass: gW, gb = scale × gradient of the batch-mean loss."""
        self.forward(X, y, scale)
        A, G = self.A, self.G
        for l in range(self.L - 1, -1, -1):
            a = A[l - 1] if l > 0 else X
            if self.S == 1:  # BLAS gemm with k = 1 is slow (OpenBLAS); np.outer is ~2× faster
                np.outer(a, G[l], out=self.gW[l])
            else:
                np.matmul(a.T, G[l], out=self.gW[l])
            np.sum(G[l], axis=0, out=self.gb[l])
            if l > 0:
                np.matmul(G[l], self.ws[l].T, out=G[l - 1])
                G[l - 1] *= A[l - 1] > 0.0

    def step_preallocated(self, X, y):
        self.backward(X, y, LR)
        for l in range(self.L):
            self.ws[l] -= self.gW[l]
            self.bs[l] -= self.gb[l]

    def step_scipy_blas(self, X, y):
        """As "preallocated", but Wₗ −= Aₗᵀ Gₗ in one in-place BLAS call (dger at S = 1, dgemm with β = 1 at
        S = 32) on the Fortran-order view Wₗᵀ, after Gₗ₋₁ has used the old Wₗ."""
        self.forward(X, y, LR)
        A, G = self.A, self.G
        for l in range(self.L - 1, -1, -1):
            a = A[l - 1] if l > 0 else X
            if l > 0:
                np.matmul(G[l], self.ws[l].T, out=G[l - 1])
            if self.S == 1:
                SBLAS.dger(-1.0, G[l][0], a[0], a=self.ws[l].T, overwrite_a=1)
            else:
                SBLAS.dgemm(-1.0, G[l].T, a.T, beta=1.0, c=self.ws[l].T, trans_b=1, overwrite_c=1)
            self.bs[l] -= G[l].sum(axis=0)
            if l > 0:
                G[l - 1] *= A[l - 1] > 0.0

    def step_naive(self, X, y):
        ws, bs = self.ws, self.bs
        acts = [X]
        for l in range(self.L):
            z = acts[-1] @ ws[l] + bs[l]
            acts.append(np.maximum(z, 0.0) if l < self.L - 1 else z)
        z = acts[-1] - acts[-1].max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        p[np.arange(len(y)), y] -= 1.0
        g = p / len(y)
        grads = []
        for l in range(self.L - 1, -1, -1):
            grads.append((l, acts[l].T @ g, g.sum(axis=0)))
            if l > 0:
                g = (g @ ws[l].T) * (acts[l] > 0.0)
        for l, gw, gb in grads:
            ws[l] -= LR * gw
            bs[l] -= LR * gb


# --- checks ---------------------------------------------------------------------------------------------------------


def gradient_check():
    X, y = batches(32)[0]
    net = Net(32)
    net.backward(X, y, 1.0)
    h = 1e-6
    worst = 0.0
    for kind, params, grads in (("W", net.ws, net.gW), ("b", net.bs, net.gb)):
        for l, (p, g) in enumerate(zip(params, grads)):
            idx = np.unravel_index(np.argmax(np.abs(g)), g.shape)
            old = p[idx]
            p[idx] = old + h
            up = loss(net.ws, net.bs, X, y)
            p[idx] = old - h
            down = loss(net.ws, net.bs, X, y)
            p[idx] = old
            fd = (up - down) / (2 * h)
            rel = abs(fd - g[idx]) / max(abs(fd), abs(g[idx]))
            worst = max(worst, rel)
            print(f"finite difference {kind}{l}{list(map(int, idx))}: backward {g[idx]:+.10e}, "
                  f"central difference {fd:+.10e}, relative error {rel:.2e}")
    print(f"gradient check: worst relative error {worst:.2e}")


def trajectory(step_name):
    net = Net(32)
    bs = batches(32)
    step = getattr(net, step_name)
    losses = []
    for t in range(CHECK_STEPS):
        losses.append(loss(net.ws, net.bs, *bs[t]))
        step(*bs[t])
    return losses, loss(net.ws, net.bs, *bs[0]), net


def time_round(net, step_name, data, steps):
    net.reset()
    step = getattr(net, step_name)
    t0 = time.perf_counter()
    for t in range(steps):
        step(*data[t % POOL_BATCHES])
    return (time.perf_counter() - t0) * 1e6 / steps


def main():
    steps32 = int(arg("--steps32", "200"))
    steps1 = int(arg("--steps1", "1000"))
    repeats = int(arg("--repeats", "3"))
    variants = ["step_naive", "step_preallocated"] + (["step_scipy_blas"] if SBLAS is not None else [])
    print(f"NumPy {np.__version__}, Python {sys.version.split()[0]}, BLAS threads "
          f"{THREADS if THREADS is not None else 'default (unset)'}; MLP {'-'.join(map(str, LAYERS))}, SGD lr {LR}, "
          f"float64; steps: {steps32} at S = 32, {steps1} at S = 1; best of {repeats} rounds")

    gradient_check()
    losses, final, ref = trajectory("step_preallocated")
    print(f"loss at steps 0..{CHECK_STEPS - 1}: " + " ".join(f"{x:.7f}" for x in losses))
    print(f"loss on batch 0 after {CHECK_STEPS} steps: {final:.7f}")
    _, _, again = trajectory("step_preallocated")
    same = all(np.array_equal(a, b) for a, b in zip(ref.ws + ref.bs, again.ws + again.bs))
    print(f"deterministic (two runs of {CHECK_STEPS} steps bit-identical): {same}")
    for v in variants[:1] + variants[2:]:
        _, _, other = trajectory(v)
        diff = max(np.abs(a - b).max() for a, b in zip(ref.ws + ref.bs, other.ws + other.bs))
        print(f"max |Δw| {v[5:]} vs preallocated after {CHECK_STEPS} steps: {diff:.2e}")

    results = []
    for S, steps in ((32, steps32), (1, steps1)):
        net, data = Net(S), batches(S)
        for v in variants:
            time_round(net, v, data, max(10, steps // 10))  # warm-up
        times = {v: [] for v in variants}
        for _ in range(repeats):
            for v in variants:
                times[v].append(time_round(net, v, data, steps))
        best = {v: min(ts) for v, ts in times.items()}
        for v in variants:
            print(f"S = {S:2d} {v[5:]:14s} best {best[v]:9.1f} µs/step, median {np.median(times[v]):9.1f}, "
                  f"rounds " + " ".join(f"{x:.1f}" for x in times[v]))
        groups = [("numpy", variants[:2])] + ([("numpy+scipy-blas", variants[2:])] if len(variants) > 2 else [])
        for backend, group in groups:
            v = min(group, key=best.get)
            results.append({
                "backend": backend,
                "batch": S,
                "usPerStep": round(best[v], 1),
                "variant": v[5:],
                "medianUsPerStep": round(float(np.median(times[v])), 1),
                "steps": steps,
                "repeats": repeats,
                "threads": THREADS if THREADS is not None else "default",
                "numpy": np.__version__,
                "byVariant": {k[5:]: round(best[k], 1) for k in group},
            })
    print()
    for r in results:
        print(json.dumps(r))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""NumPy baseline for the two-layer network SGD step (lib/networks/two_layer_network.ts) and for the numerical rank
(lib/networks/numerical_rank.ts).

The model is f(x) = U σ(W x) with W hidden × inputs and U outputs × hidden (row-major, float64), σ = tanh
(or linear), the loss ½‖f(x) − y‖² per sample and the batch-mean gradient; one SGD step on a batch X (S × n),
Y (S × o) is

    Z = X Wᵀ, A = σ(Z), R = A Uᵀ − Y, G = (R U) ⊙ σ′(Z),
    U ← U − (λ/S) Rᵀ A,  W ← W − (λ/S) Gᵀ X     (G uses the old U).

Data: the timed loops read the batches from a fixed pool of rows (x ~ N(0, I), y = μx + (1 − μ)σε, made once,
outside the timing), batch t being rows [tS, tS + S) mod pool — exactly what bench/compare_network.ts does on
the Deno side, so data generation is EXCLUDED on both sides. One extra variant per batch size, "… + data
generation", draws fresh x, ε with numpy's default_rng every step (INCLUDED), to compare with
trainTwoLayerNetwork, which also generates its data.

Variants (each timed best of K after a warm-up; the baseline is the fastest):
  - "numpy, naive": the textbook expressions (temporaries everywhere);
  - "numpy, preallocated": np.dot(..., out=), np.tanh(out=), λ folded into the small factor, np.outer /
    np.dot into preallocated buffers, then in-place `-=`;
  - "scipy BLAS ger/gemm in place": scipy.linalg.blas.dger / dgemm updating U and W in place (one pass, no
    temporary), the forward and backward products as in "preallocated" (SciPy ships its own OpenBLAS build).
The numbers are reported both for the fastest NumPy-only variant and for the fastest of all.

Numerical rank: the singular values of a 200 × 200 Gaussian matrix by np.linalg.svd(compute_uv=False) (LAPACK
dgesdd) and np.linalg.matrix_rank, best of K.

Usage: python3 bench/two_layer_sgd.py [--stdin] [--repeats K] [--threads T] [--numpy-only]
  --stdin    read the inputs as JSON from stdin (bench/compare_network.ts sends W, U, the data pool, the
             rank matrix and the settings); otherwise a default_rng(1) problem of the same sizes.
  --threads  set OPENBLAS_NUM_THREADS (and OMP_NUM_THREADS) before numpy is imported (default: unset, i.e.
             OpenBLAS's default, all cores).
  --numpy-only  skip the scipy variant (and do not load SciPy: with OpenBLAS's default threads, NumPy's and
             SciPy's two OpenBLAS thread pools spin against each other on a 2-core machine and the timings
             become meaningless).
Prints one JSON line: µs per step for each batch size and variant, the final weights after `check_steps`
steps from the given start (to compare with the Deno kernels), and the rank timings.
"""

import json
import os
import sys
import time

KERNEL = "two_layer_sgd"

if "--threads" in sys.argv:
    _t = sys.argv[sys.argv.index("--threads") + 1]
    os.environ["OPENBLAS_NUM_THREADS"] = _t
    os.environ["OMP_NUM_THREADS"] = _t

try:
    import numpy as np
except ImportError as e:  # compare_network.ts reports this and still prints the Deno timings
    print(json.dumps({"kernel": KERNEL, "error": f"numpy is not available: {e}"}))
    sys.exit(3)

sblas = None
if "--numpy-only" not in sys.argv:
    try:
        from scipy.linalg import blas as sblas
    except ImportError:  # the scipy variant is skipped
        sblas = None


class Step:
    """Buffers shared by the variants for one batch size."""

    def __init__(self, n, h, o, S, activation):
        self.n, self.h, self.o, self.S = n, h, o, S
        self.tanh = activation == "tanh"
        self.Z = np.empty((S, h))
        self.A = np.empty((S, h))
        self.D = np.empty((S, h))
        self.R = np.empty((S, o))
        self.GA = np.empty((S, h))
        self.gU = np.empty((o, h))
        self.gW = np.empty((h, n))


def step_naive(W, U, X, Y, lam, b):
    S = X.shape[0]
    Z = X @ W.T
    A = np.tanh(Z) if b.tanh else Z
    R = A @ U.T - Y
    G = (R @ U) * (1 - A * A) if b.tanh else R @ U
    U -= (lam / S) * (R.T @ A)
    W -= (lam / S) * (G.T @ X)


def forward_1(W, U, x, y, b):
    """Forward and back to the hidden layer at S = 1, in the preallocated rows; returns a, r, ga."""
    z, a, d, r, ga = b.Z[0], b.A[0], b.D[0], b.R[0], b.GA[0]
    np.dot(W, x, out=z)
    if b.tanh:
        np.tanh(z, out=a)
        np.multiply(a, a, out=d)
        np.subtract(1.0, d, out=d)
    else:
        a = z
    np.dot(U, a, out=r)
    r -= y
    np.dot(r, U, out=ga)
    if b.tanh:
        ga *= d
    return a, r, ga


def forward_batch(W, U, X, Y, b):
    """Z = X Wᵀ, A = σ(Z), R = A Uᵀ − Y, GA = (R U) ⊙ σ′(Z) in the preallocated buffers; returns A, R, GA."""
    Z, A, D, R, GA = b.Z, b.A, b.D, b.R, b.GA
    np.dot(X, W.T, out=Z)
    if b.tanh:
        np.tanh(Z, out=A)
        np.multiply(A, A, out=D)
        np.subtract(1.0, D, out=D)
    else:
        A = Z
    np.dot(A, U.T, out=R)
    R -= Y
    np.dot(R, U, out=GA)
    if b.tanh:
        GA *= D
    return A, R, GA


def step_prealloc(W, U, X, Y, lam, b):
    S = X.shape[0]
    gU, gW = b.gU, b.gW
    c = lam / S
    if S == 1:
        x = X[0]
        a, r, ga = forward_1(W, U, x, Y[0], b)
        ga *= c  # λ folded into the small factor
        r *= c
        np.outer(r, a, out=gU)
        U -= gU
        np.outer(ga, x, out=gW)
        W -= gW
        return
    A, R, GA = forward_batch(W, U, X, Y, b)
    GA *= c
    R *= c
    np.dot(R.T, A, out=gU)
    U -= gU
    np.dot(GA.T, X, out=gW)
    W -= gW


def step_scipy(W, U, X, Y, lam, b):
    """As step_prealloc, but the updates are BLAS ger (S = 1) / gemm (S > 1) in place on the weights.

    Row-major U (o × h) is the column-major matrix Uᵀ (h × o): U ← U − c r aᵀ is Uᵀ ← Uᵀ − c a rᵀ, i.e.
    dger(−c, a, r, a=U.T); U ← U − c Rᵀ A is Uᵀ ← Uᵀ − c Aᵀ R, i.e. dgemm(−c, A.T, R.T, trans_b=1, c=U.T).
    """
    S = X.shape[0]
    c = lam / S
    if S == 1:
        x = X[0]
        a, r, ga = forward_1(W, U, x, Y[0], b)
        sblas.dger(-c, a, r, a=U.T, overwrite_a=1)
        sblas.dger(-c, x, ga, a=W.T, overwrite_a=1)
        return
    A, R, GA = forward_batch(W, U, X, Y, b)
    sblas.dgemm(-c, A.T, R.T, beta=1.0, c=U.T, trans_b=1, overwrite_c=1)
    sblas.dgemm(-c, X.T, GA.T, beta=1.0, c=W.T, trans_b=1, overwrite_c=1)


VARIANTS = [("numpy, naive", step_naive), ("numpy, preallocated", step_prealloc)]
if sblas is not None:
    VARIANTS.append(("scipy BLAS ger/gemm in place", step_scipy))


def check_in_place():
    """The scipy variant must update the weights in place (f2py copies non-contiguous inputs silently)."""
    if sblas is None:
        return
    rng = np.random.default_rng(0)
    for S in (1, 3):
        W0, U0 = rng.standard_normal((5, 4)), rng.standard_normal((6, 5))
        X, Y = rng.standard_normal((S, 4)), rng.standard_normal((S, 6))
        W1, U1, W2, U2 = W0.copy(), U0.copy(), W0.copy(), U0.copy()
        step_naive(W1, U1, X, Y, 0.1, Step(4, 5, 6, S, "tanh"))
        step_scipy(W2, U2, X, Y, 0.1, Step(4, 5, 6, S, "tanh"))
        if not (np.allclose(W1, W2, atol=1e-12) and np.allclose(U1, U2, atol=1e-12)):
            raise AssertionError(f"scipy BLAS variant does not match the naive step at S = {S}")


def timed_run(fn, W0, U0, Xp, Yp, S, lam, steps, buf):
    """Runs `steps` steps from (W0, U0) on the pool; returns the seconds and the final weights."""
    W, U = W0.copy(), U0.copy()
    rows = Xp.shape[0]
    per = rows // S
    t0 = time.perf_counter()
    for t in range(steps):
        k = (t % per) * S
        fn(W, U, Xp[k:k + S], Yp[k:k + S], lam, buf)
    return time.perf_counter() - t0, W, U


def timed_run_generating(fn, W0, U0, S, lam, mu, sigma, steps, buf, seed):
    """As timed_run with fresh data every step (default_rng), the generation inside the timing."""
    W, U = W0.copy(), U0.copy()
    rng = np.random.default_rng(seed)
    n, o = W.shape[1], U.shape[0]
    X = np.empty((S, n))
    E = np.empty((S, o))
    Y = np.empty((S, o))
    t0 = time.perf_counter()
    for _ in range(steps):
        rng.standard_normal(out=X)
        rng.standard_normal(out=E)
        np.multiply(X, mu, out=Y)
        E *= (1 - mu) * sigma
        Y += E
        fn(W, U, X, Y, lam, buf)
    return time.perf_counter() - t0, W, U


def best_of(repeats, run):
    run()  # warm-up
    best = float("inf")
    for _ in range(repeats):
        best = min(best, run())
    return best


def default_inputs():
    rng = np.random.default_rng(1)
    n = h = o = 200
    mu, sigma = 0.5, 2.0
    rows = 1024
    X = rng.standard_normal((rows, n))
    Y = mu * X + (1 - mu) * sigma * rng.standard_normal((rows, o))
    return {
        "inputs": n, "hidden": h, "outputs": o, "activation": "tanh", "lambda": 0.01, "mu": mu, "noiseStd": sigma,
        "W": (0.05 * rng.standard_normal(h * n)).tolist(), "U": (0.05 * rng.standard_normal(o * h)).tolist(),
        "X": X.ravel().tolist(), "Y": Y.ravel().tolist(), "rows": rows,
        "batches": [{"S": 1, "steps": 2000}, {"S": 32, "steps": 200}], "checkSteps": 10,
        "rank": {"rows": 200, "cols": 200, "matrix": rng.standard_normal(200 * 200).tolist()},
    }


def main():
    args = sys.argv[1:]
    repeats = int(args[args.index("--repeats") + 1]) if "--repeats" in args else 5
    if "--stdin" in args:
        job = json.load(sys.stdin)
        source = "stdin (the Deno inputs)"
    else:
        job = default_inputs()
        source = "numpy default_rng(1)"
    check_in_place()
    n, h, o = job["inputs"], job["hidden"], job["outputs"]
    lam, mu, sigma = job["lambda"], job["mu"], job["noiseStd"]
    W0 = np.asarray(job["W"], dtype=np.float64).reshape(h, n)
    U0 = np.asarray(job["U"], dtype=np.float64).reshape(o, h)
    Xp = np.asarray(job["X"], dtype=np.float64).reshape(job["rows"], n)
    Yp = np.asarray(job["Y"], dtype=np.float64).reshape(job["rows"], o)
    check_steps = job["checkSteps"]

    results = []
    for spec in job["batches"]:
        S, steps = spec["S"], spec["steps"]
        buf = Step(n, h, o, S, job["activation"])
        variants = {}
        for name, fn in VARIANTS:
            run = lambda: timed_run(fn, W0, U0, Xp, Yp, S, lam, steps, buf)[0]  # noqa: E731 (called at once)
            variants[name] = 1e6 * best_of(repeats, run) / steps
        numpy_only = min((k for k in variants if k.startswith("numpy")), key=variants.get)
        fastest = min(variants, key=variants.get)
        gen_fn = dict(VARIANTS)[fastest]
        gen = 1e6 * best_of(
            repeats, lambda: timed_run_generating(gen_fn, W0, U0, S, lam, mu, sigma, steps, buf, 7)[0]) / steps
        # The check: `check_steps` steps of the naive formulation from the given start on the pool.
        _, Wc, Uc = timed_run(step_naive, W0, U0, Xp, Yp, S, lam, check_steps, buf)
        # All variants agree with it.
        agree = {}
        for name, fn in VARIANTS:
            _, Wv, Uv = timed_run(fn, W0, U0, Xp, Yp, S, lam, check_steps, buf)
            agree[name] = float(max(np.abs(Wv - Wc).max(), np.abs(Uv - Uc).max()))
        results.append({
            "S": S, "steps": steps, "variants_us": variants, "numpy_method": numpy_only,
            "numpy_us": variants[numpy_only], "fastest_method": fastest, "fastest_us": variants[fastest],
            "with_data_generation_us": gen, "with_data_generation_method": fastest + " + data generation",
            "variant_max_abs_diff": agree, "check_W": Wc.ravel().tolist(), "check_U": Uc.ravel().tolist(),
        })

    rank = None
    if job.get("rank"):
        r = job["rank"]
        M = np.asarray(r["matrix"], dtype=np.float64).reshape(r["rows"], r["cols"])
        s = np.linalg.svd(M, compute_uv=False)

        def t_svd():
            t0 = time.perf_counter()
            np.linalg.svd(M, compute_uv=False)
            return time.perf_counter() - t0

        def t_rank():
            t0 = time.perf_counter()
            np.linalg.matrix_rank(M, tol=1e-3 * s[0])
            return time.perf_counter() - t0

        def t_eigvalsh():
            t0 = time.perf_counter()
            np.linalg.eigvalsh(M.T @ M)
            return time.perf_counter() - t0

        rank = {
            "svd_ms": 1e3 * best_of(repeats, t_svd),
            "matrix_rank_ms": 1e3 * best_of(repeats, t_rank),
            "gram_eigvalsh_ms": 1e3 * best_of(repeats, t_eigvalsh),
            "singular_values": s.tolist(),
            "rank_1e-3": int(np.sum(s > 1e-3 * s[0])),
        }

    print(json.dumps({
        "kernel": KERNEL, "numpy": np.__version__, "repeats": repeats, "input": source,
        "threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"), "scipy": sblas is not None,
        "batches": results, "rank": rank,
    }))


if __name__ == "__main__":
    main()

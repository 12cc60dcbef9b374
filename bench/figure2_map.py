"""NumPy baseline for target 1: one Figure 2 panel (the kernel of lib/stability/outlier_stability_map.ts).

m(λ, c) = (1/N)·[log|1 − λc| + Σᵢ log|1 − λhᵢ|], hᵢ = xᵢ², on 600 learning rates × 600 outlier sizes with
N = 10⁴ (9,999 ordinary points plus the outlier), together with λ_GD*(c) and λ_DS*(c).

Usage: python3 bench/figure2_map.py [--repeats K] [--stdin]
  --stdin   read the ordinary points as JSON {"x": [...]} from stdin (bench/compare.ts sends the exact
            points the Deno side uses); otherwise draw 9,999 points from numpy's default_rng(1).
Prints one JSON line: {"kernel", "seconds" (best of K), "method", "variants", "check", ...}.
Two variants of the same computation are timed and the faster one is reported as the baseline:
  - "log-sum": Σᵢ log|1 − λhᵢ| as one 600 × 9,999 array of logarithms, in place (no temporaries);
  - "chunked-product": the product of 32 factors at a time, then one log per chunk (the trick the Deno
    kernel uses), with a per-row fall-back to log-sum if any chunk product leaves [1e-300, 1e300].
"""

import json
import sys
import time

KERNEL = "figure2_map"

try:
    import numpy as np
except ImportError as e:  # compare.ts reports this and still prints the Deno timings
    print(json.dumps({"kernel": KERNEL, "error": f"numpy is not available: {e}"}))
    sys.exit(3)


def thresholds(h, c, n):
    sum2 = h.sum()
    sum4 = (h * h).sum()
    lambda_gd = 2 * n / (sum2 + c)
    lambda_ds = 2 * (sum2 + c) / (sum4 + c * c)
    return lambda_gd, lambda_ds


def cells(base, lambdas, c, n):
    m = np.multiply.outer(c, lambdas)
    np.subtract(1.0, m, out=m)
    np.abs(m, out=m)
    np.log(m, out=m)
    m += base
    m /= n
    return m


def map_log_sum(x, lambdas, c):
    h = x * x
    n = h.size + 1
    a = np.multiply.outer(lambdas, h)
    np.subtract(1.0, a, out=a)
    np.abs(a, out=a)
    np.log(a, out=a)
    base = a.sum(axis=1)
    return cells(base, lambdas, c, n), *thresholds(h, c, n)


def map_chunked_product(x, lambdas, c, chunk=32):
    h = x * x
    n = h.size + 1
    padded = np.zeros(-(-h.size // chunk) * chunk)  # zero padding: factors |1 − λ·0| = 1
    padded[: h.size] = h
    a = np.multiply.outer(lambdas, padded)
    np.subtract(1.0, a, out=a)
    np.abs(a, out=a)
    p = a.reshape(lambdas.size, -1, chunk).prod(axis=2)
    unsafe = ~((p > 1e-300) & (p < 1e300)).all(axis=1)
    base = np.log(p).sum(axis=1)
    if unsafe.any():
        base[unsafe] = np.log(np.abs(1.0 - np.multiply.outer(lambdas[unsafe], h))).sum(axis=1)
    return cells(base, lambdas, c, n), *thresholds(h, c, n)


def best_of(fn, repeats, *args):
    fn(*args)  # warm-up
    best = float("inf")
    out = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn(*args)
        best = min(best, time.perf_counter() - t0)
    return best, out


def main():
    repeats = 10
    args = sys.argv[1:]
    if "--repeats" in args:
        repeats = int(args[args.index("--repeats") + 1])
    if "--stdin" in args:
        x = np.asarray(json.load(sys.stdin)["x"], dtype=np.float64)
        source = "stdin (the Deno inputs)"
    else:
        x = np.random.default_rng(1).standard_normal(9999)
        source = "numpy default_rng(1)"
    lambdas = np.linspace(0.005, 3, 600)
    c = np.geomspace(1, 1e4, 600)

    variants = {}
    outputs = {}
    with np.errstate(divide="ignore"):  # log 0 = -inf where λc = 1 exactly, as in the Deno kernel
        for name, fn in (("log-sum", map_log_sum), ("chunked-product", map_chunked_product)):
            variants[name], outputs[name] = best_of(fn, repeats, x, lambdas, c)
    method = min(variants, key=variants.get)
    m = outputs[method][0]
    finite = np.isfinite(m)
    other = outputs["log-sum" if method != "log-sum" else "chunked-product"][0]
    print(json.dumps({
        "kernel": KERNEL,
        "seconds": variants[method],
        "method": method,
        "variants": variants,
        "repeats": repeats,
        "input": source,
        "numpy": np.__version__,
        "check": {
            "m_sum": float(m[finite].sum()),
            "m_neg_inf": int(np.isneginf(m).sum()),
            "stable": float((m < 0).mean()),
            "variants_max_abs_diff": float(np.abs(m[finite] - other[finite]).max()),
        },
    }))


if __name__ == "__main__":
    main()

/**
 * Target 2: the 1-D SGD Monte Carlo, `simulateInterpolatingSGD` with h = x² for 1,000 standard-normal x, λ = 0.5, 10⁴
 * steps × 10⁴ trajectories at batch size 1, recording t = 0 and t = steps (10⁸ SGD steps per iteration, ~0.3–1 s, so
 * only a few iterations run). Target: at least as fast as NumPy; the ratio comes from `bench/compare.ts`, which also
 * runs `bench/sgd_monte_carlo.py`.
 *
 * Run: deno task bench (the benchmarks, then bench/compare.ts for the NumPy ratio)
 *
 * @module
 */

import { sgdMonteCarlo } from "./kernels.ts";

Deno.bench({
  name: "simulateInterpolatingSGD 10⁴ steps × 10⁴ trajectories, S = 1 (target ≥ NumPy)",
  n: 3,
  warmup: 1,
  fn() {
    sgdMonteCarlo();
  },
});

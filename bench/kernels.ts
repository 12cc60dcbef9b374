/**
 * The two benchmarked kernels and their inputs, shared by the `*.bench.ts` files and `compare.ts` (not a bench file
 * itself: `deno bench` only picks up `*.bench.ts`).
 *
 * - Target 1, the Figure 2 panel: {@linkcode outlierStabilityMap} of 9,999 standard-normal points plus one outlier (N =
 *   10⁴), 600 learning rates × 600 outlier sizes. Target: under 0.1 s per call.
 * - Target 2, the 1-D SGD Monte Carlo: {@linkcode simulateInterpolatingSGD} with h = x² for 1,000 standard-normal x, λ
 *   = 0.5, 10⁴ steps × 10⁴ trajectories at batch size 1, recording t = 0 and t = steps. Target: at least as fast as
 *   NumPy vectorized over trajectories (`bench/sgd_monte_carlo.py`).
 *
 * @module
 */

import {
  geomspace,
  linspace,
  type OutlierStabilityMap,
  outlierStabilityMap,
  randomNormal,
  simulateInterpolatingSGD,
  type Trajectories,
} from "../mod.ts";

/** Target 1: seconds per call. */
export const FIGURE2_TARGET_SECONDS = 0.1;

/** The Figure 2 inputs: 9,999 ordinary points (the outlier makes N = 10⁴) and the 600 × 600 grid. */
export const figure2Input = {
  x: randomNormal(9999, { seed: 1 }),
  lambdas: linspace(0.005, 3, 600),
  outlierSizes: geomspace(1, 1e4, 600),
};

/** One Figure 2 panel. */
export function figure2Map(): OutlierStabilityMap {
  const { x, lambdas, outlierSizes } = figure2Input;
  return outlierStabilityMap(x, { lambdas, outlierSizes });
}

/** The SGD Monte Carlo settings. */
export const sgdSettings = {
  lambda: 0.5,
  steps: 10_000,
  trajectories: 10_000,
  batchSize: 1,
  recordEvery: 10_000,
  seed: 1,
} as const;

/** The SGD inputs: h = x² for 1,000 standard-normal x. */
export const sgdInput = {
  h: Float64Array.from(randomNormal(1000, { seed: 1 }), (v) => v * v),
};

/** One SGD Monte Carlo run (10⁸ steps in all). */
export function sgdMonteCarlo(): Trajectories {
  const { lambda, ...options } = sgdSettings;
  return simulateInterpolatingSGD(sgdInput.h, lambda, options);
}

/**
 * Summary statistics of a Figure 2 map, computed identically by `figure2_map.py`, to check that both sides computed the
 * same thing: the finite cells' sum, the count of -Infinity cells (λc = 1 exactly), and the stable fraction (m < 0).
 */
export function figure2Check(map: OutlierStabilityMap): { m_sum: number; m_neg_inf: number; stable: number } {
  let sum = 0;
  let negInf = 0;
  let stable = 0;
  for (const v of map.m) {
    if (v === -Infinity) negInf++;
    else sum += v;
    if (v < 0) stable++;
  }
  return { m_sum: sum, m_neg_inf: negInf, stable: stable / map.m.length };
}

/**
 * Summary statistics of the final log|vₜ|, computed identically by `sgd_monte_carlo.py`. The two sides use different
 * random generators, so these agree statistically, not bit for bit: the mean is ≈ steps·m with m = mean log|1 − λh|
 * (Prop. 1), and its standard error is std/√trajectories.
 */
export function sgdCheck(run: Trajectories): { mean_log_v: number; std_log_v: number; expected_mean: number } {
  const R = run.times.length;
  let s = 0;
  let s2 = 0;
  for (let k = 0; k < run.trajectories; k++) {
    const v = run.values[k * R + R - 1];
    s += v;
    s2 += v * v;
  }
  const mean = s / run.trajectories;
  let m = 0;
  for (const v of sgdInput.h) m += Math.log(Math.abs(1 - sgdSettings.lambda * v));
  m /= sgdInput.h.length;
  return {
    mean_log_v: mean,
    std_log_v: Math.sqrt(Math.max(0, s2 / run.trajectories - mean * mean)),
    expected_mean: sgdSettings.steps * m,
  };
}

/**
 * Seeded simulators of SGD on one-dimensional linear regression: the affine update of eq. (1) for any data, and the
 * multiplicative process of eq. (6) at an interpolation minimum, simulated in log space.
 *
 * @module
 */

import { indexBuffer, Rng } from "../core/random.ts";
import * as check from "../core/validate.ts";

/** Options shared by the simulators. */
export interface SimulationOptions {
  /** The number of SGD steps t. @default 1000 */
  steps?: number;
  /** The number of independent trajectories. @default 100 */
  trajectories?: number;
  /** The batch size S (samples drawn with replacement per step). @default 1 */
  batchSize?: number;
  /** Record the state every this many steps (t = 0 and t = steps are always recorded). @default 1 */
  recordEvery?: number;
  /**
   * The seed. Trajectory k draws from its own stream (`${seed}:${k}`), so results do not depend on how trajectories are
   * split across workers. @default 0
   */
  seed?: number | string;
}

/** Options of {@linkcode simulateInterpolatingSGD}. */
export interface InterpolatingSGDOptions extends SimulationOptions {
  /** The initial distance v₀ = w₀ − w* (non-zero). @default 1 */
  v0?: number;
}

/** Options of {@linkcode simulateLinearRegressionSGD}. */
export interface LinearRegressionSGDOptions extends SimulationOptions {
  /** The initial parameter w₀. @default 0 */
  w0?: number;
}

/** Trajectories recorded at common times, as one row-major typed array. */
export interface Trajectories {
  /** The recorded steps t (ascending, from 0 to `steps`). */
  times: Float64Array;
  /** The number of trajectories (rows). */
  trajectories: number;
  /**
   * The recorded values, `values[k * times.length + j]` for trajectory k at `times[j]`: log|vₜ| for {@linkcode
   * simulateInterpolatingSGD}, wₜ for {@linkcode simulateLinearRegressionSGD}.
   */
  values: Float64Array;
}

/** The recorded steps: 0, every, 2·every, …, and steps. Internal. */
function recordTimes(steps: number, every: number): Float64Array {
  const times: number[] = [];
  for (let t = 0; t < steps; t += every) times.push(t);
  times.push(steps);
  return Float64Array.from(times);
}

function simulationSettings(fn: string, options: SimulationOptions) {
  const o = check.options(fn, options);
  const steps = check.integerInRange(fn, "options.steps", o.steps ?? 1000, 1);
  const trajectories = check.integerInRange(
    fn,
    "options.trajectories",
    o.trajectories ?? 100,
  );
  const batchSize = check.integerInRange(
    fn,
    "options.batchSize",
    o.batchSize ?? 1,
  );
  const recordEvery = check.integerInRange(
    fn,
    "options.recordEvery",
    o.recordEvery ?? 1,
  );
  const seed = check.seed(fn, "options.seed", o.seed ?? 0);
  check.recordLimit(fn, steps, recordEvery, trajectories);
  const times = recordTimes(steps, recordEvery);
  if (times.length * trajectories > 2 ** 28) {
    throw new RangeError(
      `Invalid options.recordEvery in ${fn}: expected at most 2^28 recorded values in all; received ` +
        `${recordEvery}, which records ${times.length} times for ${trajectories} trajectories.`,
    );
  }
  return { steps, trajectories, batchSize, seed, times };
}

/**
 * SGD at an interpolation minimum (eq. 6): vₜ₊₁ = (1 − λ·Ȳₜ)·vₜ with v = w − w* and Ȳₜ the mean of `h` over a batch of
 * S indices drawn uniformly with replacement, for many seeded trajectories. With hᵢ = xᵢ² this is 1-D linear regression
 * through the origin (eqs. 15–16); with hᵢ = ±χᵢ it is the saddle dynamics of eq. (67).
 *
 * The process is simulated in log space, log|vₜ₊₁| = log|vₜ| + log|1 − λȲₜ|, which is exact and never overflows however
 * far a divergent trajectory goes: at S = 1 each step adds one of N precomputed logarithms; at S > 1 factors are
 * multiplied into a rescaled product. A factor that is exactly 0 sends log|v| to `-Infinity` for good (v = 0 exactly,
 * Prop. 3). Indices are drawn in blocks (several per generator output, exactly uniform): 10⁴ trajectories × 10⁴ steps
 * take about 0.3 s.
 *
 * @example Convergence at a critical learning rate
 * ```ts
 * import { simulateInterpolatingSGD } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * // h = x² ∈ {0.25, 4}, λ = 4 = 1/0.25: the first draw of x² = 0.25 lands on the minimum.
 * const run = simulateInterpolatingSGD([0.25, 4], 4, { steps: 60, trajectories: 50, recordEvery: 60, seed: 7 });
 * const last = run.times.length - 1;
 * let converged = 0;
 * for (let k = 0; k < run.trajectories; k++) {
 *   if (run.values[k * run.times.length + last] === -Infinity) converged++;
 * }
 * assert.ok(converged >= 49); // P(not yet) = 2^-60
 * ```
 *
 * @param h The curvatures hᵢ (xᵢ² for linear regression), each equally likely. Non-empty, finite.
 * @param lambda The learning rate λ ≥ 0.
 * @param options Steps, trajectories, batch size, recording and seed; the initial distance v₀.
 * @returns log|vₜ| per trajectory at the recorded times.
 */
export function simulateInterpolatingSGD(
  h: ArrayLike<number>,
  lambda: number,
  options: InterpolatingSGDOptions = {},
): Trajectories {
  const fn = "simulateInterpolatingSGD";
  const data = check.finiteArray(fn, "h", h);
  const l = check.learningRate(fn, "lambda", lambda);
  const { trajectories, batchSize, seed, times } = simulationSettings(
    fn,
    options,
  );
  const v0 = options.v0 ?? 1;
  if (check.finiteNumber(fn, "options.v0", v0) === 0) {
    throw new RangeError(
      `Invalid options.v0 in ${fn}: expected a finite non-zero number; received 0.`,
    );
  }
  const n = data.length;
  const R = times.length;
  const values = new Float64Array(trajectories * R);
  const logV0 = Math.log(Math.abs(v0));
  const table = Float64Array.from(data, (v) => Math.log(Math.abs(1 - l * v)));
  const scale = l / batchSize;
  const { buffer, stepsPerBlock } = indexBuffer(batchSize);
  for (let k = 0; k < trajectories; k++) {
    const rng = Rng.stream(seed, k);
    // log|v| = acc + log p: factors are multiplied into p, folded into acc before p leaves [1e-200, 1e200].
    let acc = logV0;
    let p = 1;
    const row = k * R;
    values[row] = acc;
    // Indices are consumed from whole blocks, so the trajectory does not depend on what is recorded.
    let q = buffer.length;
    for (let j = 1; j < R; j++) {
      let remaining = times[j] - times[j - 1];
      while (remaining > 0) {
        if (q === buffer.length) {
          rng.fillIndices(buffer, n);
          q = 0;
        }
        const steps = Math.min(remaining, stepsPerBlock - q / batchSize);
        if (batchSize === 1) {
          // One of N precomputed logarithms per step.
          for (let i = 0; i < steps; i++) acc += table[buffer[q++]];
        } else {
          for (let i = 0; i < steps; i++) {
            let sum = 0;
            for (let b = 0; b < batchSize; b++) sum += data[buffer[q++]];
            const f = Math.abs(1 - scale * sum);
            if (f < 1e-100 || f > 1e100) acc += Math.log(f);
            else {
              p *= f;
              if (p > 1e200 || p < 1e-200) {
                acc += Math.log(p);
                p = 1;
              }
            }
          }
        }
        remaining -= steps;
      }
      values[row + j] = acc + Math.log(p);
    }
  }
  return { times, trajectories, values };
}

/**
 * SGD on 1-D linear regression with per-sample loss (w·x − y)²/2 (eq. 1): wₜ₊₁ = wₜ − (λ/S)·Σⱼ xⱼ(xⱼwₜ − yⱼ) = (1 −
 * λ·mean x²)·wₜ + λ·mean(x·y) over a batch of S pairs drawn uniformly with replacement, for many seeded trajectories.
 * Unlike {@linkcode simulateInterpolatingSGD} it needs no interpolation minimum (App. A.3), and records wₜ itself: a
 * divergent trajectory overflows to ±Infinity (and may then become NaN).
 *
 * @example The interpolating case agrees with the log-space simulator
 * ```ts
 * import { simulateInterpolatingSGD, simulateLinearRegressionSGD } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const x = [0.5, 1, 2];
 * const y = x.map((v) => 3 * v); // w* = 3
 * const a = simulateLinearRegressionSGD(x, y, 0.3, { steps: 20, trajectories: 3, w0: 4, seed: 1 });
 * const b = simulateInterpolatingSGD(x.map((v) => v * v), 0.3, { steps: 20, trajectories: 3, v0: 1, seed: 1 });
 * for (let i = 0; i < a.values.length; i++) {
 *   // Equal up to the rounding of w − w* near convergence.
 *   assert.ok(Math.abs(Math.log(Math.abs(a.values[i] - 3)) - b.values[i]) < 1e-6);
 * }
 * ```
 *
 * @param x The inputs xᵢ. Non-empty, finite.
 * @param y The labels yᵢ, as many as `x`. Finite.
 * @param lambda The learning rate λ ≥ 0.
 * @param options Steps, trajectories, batch size, recording and seed; the initial parameter w₀.
 * @returns wₜ per trajectory at the recorded times.
 */
export function simulateLinearRegressionSGD(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  lambda: number,
  options: LinearRegressionSGDOptions = {},
): Trajectories {
  const fn = "simulateLinearRegressionSGD";
  const xs = check.finiteArray(fn, "x", x);
  const ys = check.finiteArray(fn, "y", y);
  check.sameLength(fn, "y", ys, xs, "x");
  const l = check.learningRate(fn, "lambda", lambda);
  const { trajectories, batchSize, seed, times } = simulationSettings(
    fn,
    options,
  );
  const w0 = check.finiteNumber(fn, "options.w0", options.w0 ?? 0);
  const n = xs.length;
  const xx = Float64Array.from(xs, (v) => v * v);
  const xy = Float64Array.from(xs, (v, i) => v * ys[i]);
  const R = times.length;
  const values = new Float64Array(trajectories * R);
  const scale = l / batchSize;
  const { buffer, stepsPerBlock } = indexBuffer(batchSize);
  for (let k = 0; k < trajectories; k++) {
    const rng = Rng.stream(seed, k);
    let w = w0;
    const row = k * R;
    values[row] = w;
    let q = buffer.length;
    for (let j = 1; j < R; j++) {
      let remaining = times[j] - times[j - 1];
      while (remaining > 0) {
        if (q === buffer.length) {
          rng.fillIndices(buffer, n);
          q = 0;
        }
        const steps = Math.min(remaining, stepsPerBlock - q / batchSize);
        for (let i = 0; i < steps; i++) {
          let a = 0;
          let b = 0;
          for (let s = 0; s < batchSize; s++) {
            const idx = buffer[q++];
            a += xx[idx];
            b += xy[idx];
          }
          w = (1 - scale * a) * w + scale * b;
        }
        remaining -= steps;
      }
      values[row + j] = w;
    }
  }
  return { times, trajectories, values };
}

/**
 * The fraction of trajectories with |vₜ| < ε at each recorded time, from log-distances recorded by {@linkcode
 * simulateInterpolatingSGD}: the empirical P(|wₜ − w*| < ε) whose limit Prop. 1 predicts (1 if m < 0, 0 if m > 0).
 *
 * @example All or nothing
 * ```ts
 * import { convergedFraction } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const run = { times: Float64Array.of(0, 1), trajectories: 2, values: Float64Array.of(0, -10, 0, 1) };
 * assert.deepEqual(Array.from(convergedFraction(run, 1e-3)), [0, 0.5]);
 * ```
 *
 * Diverged trajectories: the simulators mark a trajectory that overflowed with NaN or ±∞ (and {@linkcode
 * distanceToPoint} passes NaN on), so NaN in `run.values` is not bad input: a value NaN or +∞ counts as not converged.
 * The result is never NaN.
 *
 * @example A diverged trajectory (NaN) counts as not converged
 * ```ts
 * import { convergedFraction } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const run = { times: Float64Array.of(0, 1), trajectories: 2, values: Float64Array.of(0, -10, 0, NaN) };
 * assert.deepEqual(Array.from(convergedFraction(run, 1e-3)), [0, 0.5]);
 * ```
 *
 * @param run Log-distances log|vₜ| as returned by {@linkcode simulateInterpolatingSGD} (NaN or +∞ marks a diverged
 *   trajectory).
 * @param epsilon The threshold ε > 0.
 * @returns A `Float64Array` with one fraction per recorded time.
 */
export function convergedFraction(
  run: Trajectories,
  epsilon: number,
): Float64Array {
  const fn = "convergedFraction";
  const eps = check.positiveNumber(fn, "epsilon", epsilon);
  if (run !== null && typeof run === "object") check.trajectories(fn, "run", run);
  if (
    run === null || typeof run !== "object" ||
    !(run.values instanceof Float64Array)
  ) {
    throw new TypeError(
      `Invalid run in ${fn}: expected the result of simulateInterpolatingSGD; received ${check.describe(run)}.`,
    );
  }
  check.trajectories(fn, "run", run);
  const R = run.times.length;
  const logEps = Math.log(eps);
  const out = new Float64Array(R);
  for (let k = 0; k < run.trajectories; k++) {
    for (let j = 0; j < R; j++) if (run.values[k * R + j] < logEps) out[j]++;
  }
  for (let j = 0; j < R; j++) out[j] /= run.trajectories;
  return out;
}

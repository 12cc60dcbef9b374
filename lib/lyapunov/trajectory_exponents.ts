/**
 * The stochastic Lyapunov exponent measured from trajectories (§3.3): m_w(t) = E log|wₜ − w*|² (eq. 9), m_L(t) = E log
 * L(wₜ) (eq. 10), their standard errors, the finite-time exponent m(t)/t, and the check of Theorem 1's assumption
 * Var[log Δ(t)] = o(t²).
 *
 * @module
 */

import type { Trajectories } from "../stability/linear_regression_sgd.ts";
import * as check from "../core/validate.ts";

/** Per-time statistics of a logarithmic quantity across trajectories. */
export interface LogEstimate {
  /** The recorded steps t. */
  times: Float64Array;
  /**
   * E log Δ(t) across trajectories: `+Infinity` when some trajectory has diverged at t (a value NaN or +∞, see
   * {@linkcode distanceExponent}), else `-Infinity` when some trajectory has Δ = 0 exactly.
   */
  mean: Float64Array;
  /** The standard error of `mean`, s/√K (0 where `mean` is ±∞: it is then exact). */
  standardError: Float64Array;
  /** Var log Δ(t) across trajectories (0 where `mean` is ±∞). */
  variance: Float64Array;
  /**
   * The finite-time exponent (mean(t) − mean(0))/t per step: 0 at t = 0, ±∞ where mean(t) or mean(0) is infinite (the
   * infinity of mean(t) when both are), never NaN.
   */
  exponent: Float64Array;
  /** Var log Δ(t)/t², which Theorem 1 needs to vanish (0 at t = 0). */
  varianceOverT2: Float64Array;
}

/** Statistics per recorded time of `values` (row-major `trajectories` × `times.length`). Internal. */
function logStatistics(fn: string, times: Float64Array, trajectories: number, values: Float64Array): LogEstimate {
  const R = times.length;
  if (trajectories < 2) {
    throw new RangeError(`Invalid run in ${fn}: expected at least 2 trajectories; received ${trajectories}.`);
  }
  const mean = new Float64Array(R);
  const variance = new Float64Array(R);
  const standardError = new Float64Array(R);
  const exponent = new Float64Array(R);
  const varianceOverT2 = new Float64Array(R);
  for (let j = 0; j < R; j++) {
    let m = 0;
    let zero = false;
    let diverged = false;
    for (let k = 0; k < trajectories; k++) {
      const v = values[k * R + j];
      if (v === -Infinity) zero = true;
      else if (v === Infinity || Number.isNaN(v)) diverged = true; // a diverged trajectory (the simulators' NaN/±∞)
      m += v;
    }
    if (diverged || zero) {
      mean[j] = diverged ? Infinity : -Infinity;
      continue;
    }
    m /= trajectories;
    let ss = 0;
    for (let k = 0; k < trajectories; k++) ss += (values[k * R + j] - m) ** 2;
    mean[j] = m;
    variance[j] = ss / (trajectories - 1);
    standardError[j] = Math.sqrt(variance[j] / trajectories);
  }
  for (let j = 0; j < R; j++) {
    const t = times[j] - times[0];
    // mean(t) and mean(0) both infinite (a run diverged, or at the point, from the start): the exponent is that ∞.
    exponent[j] = t > 0 ? (mean[j] === mean[0] && !Number.isFinite(mean[j]) ? mean[j] : (mean[j] - mean[0]) / t) : 0;
    varianceOverT2[j] = t > 0 ? variance[j] / (t * t) : 0;
  }
  return { times, mean, standardError, variance, exponent, varianceOverT2 };
}

function checkRun(fn: string, run: Trajectories): void {
  if (run !== null && typeof run === "object") check.trajectories(fn, "run", run);
  if (
    run === null || typeof run !== "object" || !(run.values instanceof Float64Array) ||
    !(run.times instanceof Float64Array)
  ) {
    throw new TypeError(
      `Invalid run in ${fn}: expected trajectories from a simulator; received ${check.describe(run)}.`,
    );
  }
  if (run.values.length !== run.trajectories * run.times.length) {
    throw new RangeError(
      `Invalid run in ${fn}: expected ${run.trajectories} × ${run.times.length} values; received ${run.values.length}.`,
    );
  }
  check.trajectories(fn, "run", run);
}

/**
 * m_w(t) = E log|wₜ − w*|² (eq. 9) across the trajectories of {@linkcode simulateInterpolatingSGD} (which records
 * log|vₜ|, v = w − w*), with its standard error, the finite-time exponent m_w(t)/t (→ 2m by Prop. 1, m the exponent of
 * eq. 7: the square doubles it) and Var/t² (Theorem 1 needs → 0; for SGD the variance grows like t, a random walk, so
 * Var/t² ~ 1/t).
 *
 * @example The finite-time exponent approaches 2m
 * ```ts
 * import { distanceExponent, lyapunovExponent, simulateInterpolatingSGD } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const h = [0.5, 1, 2];
 * const run = simulateInterpolatingSGD(h, 0.6, { steps: 400, trajectories: 400, recordEvery: 100, seed: 1 });
 * const est = distanceExponent(run);
 * const last = est.times.length - 1;
 * assert.ok(Math.abs(est.exponent[last] - 2 * lyapunovExponent(h, 0.6)) < 0.02);
 * ```
 *
 * Diverged trajectories: the simulators mark a trajectory that overflowed with NaN or ±∞ ({@linkcode
 * simulateScalarNetworkSGD} keeps NaN from then on, and {@linkcode distanceToPoint} passes it on), so NaN in
 * `run.values` is not bad input: a value NaN or +∞ counts as a diverged trajectory (Δ = ∞) and makes the mean at that
 * time +∞ (with standard error and variance 0), whatever the other trajectories; −∞ (Δ = 0 exactly) makes it −∞ unless
 * some trajectory diverged. No field of the result is ever NaN.
 *
 * @example A diverged trajectory makes the mean +∞, not NaN
 * ```ts
 * import { distanceExponent } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const run = { times: Float64Array.of(0, 10), trajectories: 2, values: Float64Array.of(0, -1, 0, NaN) };
 * const est = distanceExponent(run);
 * assert.deepEqual(Array.from(est.mean), [0, Infinity]);
 * assert.deepEqual(Array.from(est.exponent), [0, Infinity]);
 * ```
 *
 * @param run Log-distances log|vₜ| from {@linkcode simulateInterpolatingSGD} (at least 2 trajectories; NaN or +∞ marks
 *   a diverged trajectory).
 * @returns The per-time estimate of m_w(t).
 */
export function distanceExponent(run: Trajectories): LogEstimate {
  const fn = "distanceExponent";
  checkRun(fn, run);
  return logStatistics(fn, run.times, run.trajectories, Float64Array.from(run.values, (v) => 2 * v));
}

/**
 * m_L(t) = E log L(wₜ) (eq. 10) for 1-D linear regression, L(w) = (1/2N)·Σᵢ(w·xᵢ − yᵢ)², across the trajectories of
 * {@linkcode simulateLinearRegressionSGD} (which records wₜ), with the same statistics as {@linkcode distanceExponent}.
 * At an interpolation minimum L(w) = E[x²]·(w − w*)²/2, so m_L(t) = m_w(t) + log(E[x²]/2) and both have the exponent 2m
 * (§3.3: "the condition E log|1 − λx²| < 0 is identical to m_L < 0"). A trajectory exactly at a minimum with L = 0
 * makes the mean −∞.
 *
 * @example At an interpolation minimum m_L and m_w differ by a constant
 * ```ts
 * import { lossExponent, simulateLinearRegressionSGD } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const x = [0.5, 1, 2], y = x.map((v) => 3 * v);
 * const run = simulateLinearRegressionSGD(x, y, 0.3, { steps: 20, trajectories: 50, w0: 4, seed: 1 });
 * const est = lossExponent(run, x, y);
 * assert.ok(Math.abs(est.mean[0] - Math.log((1 / 2) * (0.25 + 1 + 4) / 3)) < 1e-12); // w0 − w* = 1
 * ```
 *
 * Diverged trajectories: {@linkcode simulateLinearRegressionSGD} records a divergent wₜ as ±∞ (then possibly NaN), so
 * NaN in `run.values` is not bad input: a wₜ that is NaN or ±∞ has L = ∞, and the mean at that time is +∞ (see
 * {@linkcode distanceExponent}). No field of the result is ever NaN.
 *
 * @param run Parameters wₜ from {@linkcode simulateLinearRegressionSGD} (at least 2 trajectories; NaN or ±∞ marks a
 *   diverged trajectory).
 * @param x The inputs xᵢ of the run.
 * @param y The labels yᵢ of the run.
 * @returns The per-time estimate of m_L(t).
 */
export function lossExponent(run: Trajectories, x: ArrayLike<number>, y: ArrayLike<number>): LogEstimate {
  const fn = "lossExponent";
  checkRun(fn, run);
  const xs = check.finiteArray(fn, "x", x);
  const ys = check.finiteArray(fn, "y", y);
  check.sameLength(fn, "y", ys, xs, "x");
  // L(w) = ½(A w² − 2B w + C) with A = E[x²], B = E[xy], C = E[y²]; written around its minimizer for accuracy.
  let A = 0, B = 0, C = 0;
  for (let i = 0; i < xs.length; i++) {
    A += xs[i] * xs[i];
    B += xs[i] * ys[i];
    C += ys[i] * ys[i];
  }
  A /= xs.length;
  B /= xs.length;
  C /= xs.length;
  const wMin = A === 0 ? 0 : B / A;
  const lMin = Math.max(0, (C - (A === 0 ? 0 : (B * B) / A)) / 2);
  // A diverged w (NaN or ±∞) has an infinite loss.
  const values = Float64Array.from(
    run.values,
    (w) => Number.isFinite(w) ? Math.log((A * (w - wMin) ** 2) / 2 + lMin) : Infinity,
  );
  return logStatistics(fn, run.times, run.trajectories, values);
}

/**
 * The share of a sum carried by its largest values: Σ of the top ⌈q·n⌉ values / Σ of all (non-negative values). Used to
 * measure how much of the mean square ⟨|wₜ − w*|²⟩ the rarest runs carry (Figure 6, App. B.1).
 *
 * @example One outlier carries almost everything
 * ```ts
 * import { topShare } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * assert.ok(topShare([1, 1, 1, 1, 1000], 0.2) > 0.99);
 * ```
 *
 * @param values Non-negative finite values (e.g. |wₜ − w*|² across runs).
 * @param q The top fraction, in (0, 1].
 * @returns A share in [0, 1] (0 when every value is 0).
 */
export function topShare(values: ArrayLike<number>, q: number): number {
  const fn = "topShare";
  const v = check.finiteArray(fn, "values", values);
  v.forEach((x, i) => check.learningRate(fn, `values[${i}]`, x));
  if (typeof q !== "number" || !(q > 0 && q <= 1)) {
    throw new RangeError(`Invalid q in ${fn}: expected a number in (0, 1]; received ${check.describe(q)}.`);
  }
  const sorted = Float64Array.from(v).sort();
  const k = Math.ceil(q * sorted.length);
  let top = 0;
  let all = 0;
  for (let i = 0; i < sorted.length; i++) {
    all += sorted[i];
    if (i >= sorted.length - k) top += sorted[i];
  }
  return all === 0 ? 0 : top / all;
}

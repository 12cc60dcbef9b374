/**
 * Heavy tails of SGD's stationary distribution (App. A.3): the exact tail index of the Kesten recursion wₜ₊₁ = aₜwₜ +
 * bₜ (Kesten–Goldie) and the Hill estimator of a sample's tail index.
 *
 * @module
 */

import { batchMeanDistribution } from "../core/batch_distribution.ts";
import * as check from "../core/validate.ts";

/** Options of {@linkcode kestenTailIndex}. */
export interface KestenTailIndexOptions {
  /** Probabilities of the values of a (non-negative, summing to 1). @default equal */
  weights?: ArrayLike<number>;
}

/**
 * The tail index κ of the stationary solution of wₜ₊₁ = aₜwₜ + bₜ (i.i.d. (aₜ, bₜ), b non-degenerate): the κ > 0 with
 * E|a|^κ = 1 (Kesten 1973, Goldie 1991), so that P(|w| > s) ~ C·s^{−κ}: moments of order ≥ κ are infinite. For SGD on
 * 1-D regression at batch size 1, a = 1 − λx² (eq. 28).
 *
 * Method: f(κ) = log E|a|^κ is convex with f(0) = 0 and f′(0) = E log|a|; when E log|a| < 0 and some |a| > 1 it has
 * exactly one positive root, bracketed by doubling and found by bisection to full precision (log-sum-exp evaluation).
 * Special cases: `Infinity` when every |a| ≤ 1 (no power-law tail); E log|a| ≥ 0 has no stationary distribution and
 * throws.
 *
 * @example a = 2 or 0 with equal probability: 2^κ/2 = 1 at κ = 1
 * ```ts
 * import { kestenTailIndex } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * assert.ok(Math.abs(kestenTailIndex([2, 0]) - 1) < 1e-12);
 * // a = 3 or 1/9: the root of (3^κ + 9^−κ)/2 = 1.
 * const k = kestenTailIndex([3, 1 / 9]);
 * assert.ok(Math.abs((3 ** k + 9 ** -k) / 2 - 1) < 1e-12);
 * ```
 *
 * @param a The values of the multiplier a, each equally likely unless `weights` are given. Finite.
 * @param options Optional probabilities.
 * @returns κ > 0, or `Infinity`.
 * @throws {RangeError} When E log|a| ≥ 0 (w has no stationary distribution).
 */
export function kestenTailIndex(a: ArrayLike<number>, options: KestenTailIndexOptions = {}): number {
  const fn = "kestenTailIndex";
  const values = check.finiteArray(fn, "a", a);
  const o = check.options(fn, options);
  const weights = o.weights === undefined
    ? new Float64Array(values.length).fill(1 / values.length)
    : check.finiteArray(fn, "options.weights", o.weights);
  check.sameLength(fn, "options.weights", weights, values, "a");
  weights.forEach((w, i) => check.learningRate(fn, `options.weights[${i}]`, w));
  const logs = Float64Array.from(values, (v) => Math.log(Math.abs(v)));
  let drift = 0;
  let maxLog = -Infinity;
  for (let i = 0; i < logs.length; i++) {
    if (weights[i] === 0) continue;
    drift += weights[i] * logs[i];
    maxLog = Math.max(maxLog, logs[i]);
  }
  if (!(drift < 0)) {
    throw new RangeError(
      `Invalid a in ${fn}: expected E log|a| < 0 (a stationary distribution); received E log|a| = ${drift}.`,
    );
  }
  if (maxLog <= 0) return Infinity;
  const f = (k: number) => {
    let s = 0;
    for (let i = 0; i < logs.length; i++) {
      if (weights[i] > 0 && logs[i] > -Infinity) s += weights[i] * Math.exp(k * (logs[i] - maxLog));
    }
    return Math.log(s) + k * maxLog;
  };
  let hi = 1;
  while (f(hi) <= 0) hi *= 2;
  let lo = hi === 1 ? 0 : hi / 2;
  for (let i = 0; i < 200; i++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if (f(mid) <= 0) lo = mid;
    else hi = mid;
  }
  return lo + (hi - lo) / 2;
}

/**
 * The tail index of SGD's stationary distribution on 1-D linear regression without interpolation (App. A.3): {@linkcode
 * kestenTailIndex} of a = 1 − λȲ, Ȳ the mean of x² over a batch of S draws (exact batch distribution). At a critical
 * learning rate λ = 1/xᵢ² (batch size 1), a = 0 with probability 1/N: the reset of eq. (28).
 *
 * @example Larger learning rates give heavier tails
 * ```ts
 * import { sgdTailIndex } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const x = [0.5, 1, 1.5, 2];
 * assert.ok(sgdTailIndex(x, 0.6) > sgdTailIndex(x, 0.8));
 * assert.equal(sgdTailIndex(x, 0.3), Infinity); // every |1 − λx²| ≤ 1: no power-law tail
 * ```
 *
 * @param x The inputs xᵢ. Non-empty, finite.
 * @param lambda The learning rate λ ≥ 0.
 * @param batchSize The batch size S.
 * @returns κ > 0, or `Infinity` when every |1 − λȲ| ≤ 1.
 * @throws {RangeError} When E log|1 − λȲ| ≥ 0 (no stationary distribution: SGD is unstable there).
 */
export function sgdTailIndex(x: ArrayLike<number>, lambda: number, batchSize = 1): number {
  const fn = "sgdTailIndex";
  const data = check.finiteArray(fn, "x", x);
  const l = check.learningRate(fn, "lambda", lambda);
  const s = check.integerInRange(fn, "batchSize", batchSize);
  const h = Float64Array.from(data, (v) => v * v);
  const { values, weights } = batchMeanDistribution(h, s);
  return kestenTailIndex(Float64Array.from(values, (v) => 1 - l * v), { weights });
}

/** The Hill estimate of a tail index, with its asymptotic standard error. */
export interface HillEstimate {
  /** κ̂ = k / Σᵢ₌₁ᵏ log(X₍ᵢ₎/X₍ₖ₊₁₎) over the k largest |values|. */
  tailIndex: number;
  /** κ̂/√k. */
  standardError: number;
  /** The threshold X₍ₖ₊₁₎ above which the tail is fitted. */
  threshold: number;
  /** k. */
  k: number;
}

/**
 * The Hill estimator of the tail index of a sample: with X₍₁₎ ≥ X₍₂₎ ≥ … the sorted |values|, κ̂ = k / Σᵢ₌₁ᵏ
 * log(X₍ᵢ₎/X₍ₖ₊₁₎), standard error κ̂/√k (Hill 1975). For a Pareto tail P(X > s) ~ s^{−κ} it is consistent as k → ∞,
 * k/n → 0.
 *
 * @example A Pareto sample with κ = 2
 * ```ts
 * import { hillTailIndex } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const u = Array.from({ length: 20000 }, (_, i) => (i + 0.5) / 20000);
 * const pareto = u.map((v) => v ** (-1 / 2)); // P(X > s) = s^-2
 * const { tailIndex, standardError } = hillTailIndex(pareto, 2000);
 * assert.ok(Math.abs(tailIndex - 2) < 3 * standardError);
 * ```
 *
 * @param values The sample. Finite.
 * @param k The number of upper order statistics used, 1 ≤ k < number of non-zero values.
 * @returns The estimate, its standard error and the threshold.
 */
export function hillTailIndex(values: ArrayLike<number>, k: number): HillEstimate {
  const fn = "hillTailIndex";
  const v = check.finiteArray(fn, "values", values);
  const abs = Float64Array.from(v, Math.abs).sort().reverse();
  const positive = abs.findIndex((a) => a === 0);
  const n = positive === -1 ? abs.length : positive;
  const kk = check.integerInRange(fn, "k", k, 1, Math.max(1, n - 1));
  if (n < 2) throw new RangeError(`Invalid values in ${fn}: expected at least 2 non-zero values; received ${n}.`);
  const threshold = abs[kk];
  let s = 0;
  for (let i = 0; i < kk; i++) s += Math.log(abs[i] / threshold);
  const tailIndex = kk / s;
  return { tailIndex, standardError: tailIndex / Math.sqrt(kk), threshold, k: kk };
}

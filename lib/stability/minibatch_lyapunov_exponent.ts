/**
 * The Lyapunov exponent at batch size S > 1 from a finite dataset (§3.2, last paragraph): exact by enumeration of
 * batches where feasible, Monte Carlo with a standard error otherwise.
 *
 * @module
 */

import { batchMeanDistribution, countBatches } from "../core/batch_distribution.ts";
import { lyapunovExponent } from "./lyapunov_exponent.ts";
import { indexBuffer, Rng } from "../core/random.ts";
import * as check from "../core/validate.ts";

/** Options of {@linkcode minibatchLyapunovExponent}. */
export interface MinibatchLyapunovExponentOptions {
  /** The batch size S: samples drawn with replacement per step. @default 1 */
  batchSize?: number;
  /**
   * `"exact"` enumerates all distinct batches, `"monte-carlo"` samples them, `"auto"` enumerates when there are at most
   * `maxExactBatches` of them. @default "auto"
   */
  method?: "auto" | "exact" | "monte-carlo";
  /** The largest number of distinct batches `"auto"` (and `"exact"`) will enumerate. @default 1_000_000 */
  maxExactBatches?: number;
  /** The number of sampled batches for Monte Carlo. @default 100_000 */
  samples?: number;
  /** The seed of the Monte Carlo sample. @default 0 */
  seed?: number | string;
}

/** The result of {@linkcode minibatchLyapunovExponent}: the estimate, its error, and how it was made. */
export interface MinibatchLyapunovExponentResult {
  /** m_S = E log|1 − λȲ|, Ȳ the batch mean of h. */
  value: number;
  /** The standard error of `value`: 0 when exact, s/√n for Monte Carlo. */
  standardError: number;
  /** Which method produced `value`. */
  method: "exact" | "monte-carlo";
  /** The number of distinct batches enumerated, or of batches sampled. */
  batches: number;
}

/**
 * The Lyapunov exponent m_S = E log|1 − λ·Ȳ| of SGD at an interpolation minimum with batch size S, where Ȳ = (1/S)·Σⱼ
 * h_{iⱼ} is the mean of S values drawn uniformly with replacement from `h` (eqs. 1, 6 and 16; for S = 1 it is
 * {@linkcode lyapunovExponent}). By Prop. 1 applied to the batch process, SGD converges in probability iff m_S < 0.
 *
 * Method: exact — the weighted sum over the exact batch-mean distribution ({@linkcode batchMeanDistribution}), C(D + S
 * − 1, S) terms for D distinct values; Monte Carlo — the sample mean of log|1 − λȲ| over `samples` independent batches,
 * with standard error s/√n. A batch that makes 1 − λȲ exactly 0 makes the exact result `-Infinity` (almost-sure
 * convergence, Prop. 3).
 *
 * @example Exact for a small dataset, Monte Carlo agreeing within its error
 * ```ts
 * import { minibatchLyapunovExponent } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const h = [0.2, 0.5, 1, 1.7, 3];
 * const exact = minibatchLyapunovExponent(h, 0.9, { batchSize: 3 });
 * assert.equal(exact.method, "exact");
 * const mc = minibatchLyapunovExponent(h, 0.9, { batchSize: 3, method: "monte-carlo", seed: 1 });
 * assert.ok(Math.abs(mc.value - exact.value) < 5 * mc.standardError);
 * ```
 *
 * @param h The curvatures hᵢ (xᵢ² for linear regression), each equally likely. Non-empty, finite.
 * @param lambda The learning rate λ ≥ 0.
 * @param options Batch size, method and Monte Carlo settings.
 * @returns The exponent, its standard error and the method used.
 */
export function minibatchLyapunovExponent(
  h: ArrayLike<number>,
  lambda: number,
  options: MinibatchLyapunovExponentOptions = {},
): MinibatchLyapunovExponentResult {
  const fn = "minibatchLyapunovExponent";
  const data = check.finiteArray(fn, "h", h);
  const l = check.learningRate(fn, "lambda", lambda);
  const o = check.options(fn, options);
  const s = check.integerInRange(fn, "options.batchSize", o.batchSize ?? 1);
  const method = check.oneOf(
    fn,
    "options.method",
    o.method ?? "auto",
    ["auto", "exact", "monte-carlo"] as const,
  );
  const maxExact = check.integerInRange(
    fn,
    "options.maxExactBatches",
    o.maxExactBatches ?? 1_000_000,
  );
  const samples = check.integerInRange(
    fn,
    "options.samples",
    o.samples ?? 100_000,
    2,
  );
  const seed = check.seed(fn, "options.seed", o.seed ?? 0);

  if (s === 1 && method !== "monte-carlo") {
    return {
      value: lyapunovExponent(data, l),
      standardError: 0,
      method: "exact",
      batches: new Set(data).size,
    };
  }
  const distinct = new Set(data).size;
  const useExact = method === "exact" ||
    (method === "auto" && countBatches(distinct, s) <= maxExact);
  if (useExact) {
    const { values, weights } = batchMeanDistribution(data, s, {
      maxBatches: maxExact,
    });
    let m = 0;
    for (let k = 0; k < values.length; k++) {
      const f = Math.abs(1 - l * values[k]);
      if (f === 0 && weights[k] > 0) {
        return {
          value: -Infinity,
          standardError: 0,
          method: "exact",
          batches: values.length,
        };
      }
      m += weights[k] * Math.log(f);
    }
    return {
      value: m,
      standardError: 0,
      method: "exact",
      batches: values.length,
    };
  }
  // Monte Carlo with Welford's running mean and variance.
  const rng = Rng.stream(seed, 0);
  const n = data.length;
  const { buffer, stepsPerBlock } = indexBuffer(s);
  let mean = 0;
  let m2 = 0;
  for (let k = 0; k < samples;) {
    const batches = Math.min(samples - k, stepsPerBlock);
    const view = batches * s === buffer.length ? buffer : buffer.subarray(0, batches * s);
    rng.fillIndices(view, n);
    for (let i = 0, q = 0; i < batches; i++) {
      let sum = 0;
      for (let j = 0; j < s; j++) sum += data[view[q++]];
      const v = Math.log(Math.abs(1 - (l * sum) / s));
      k++;
      if (v === -Infinity) return { value: -Infinity, standardError: 0, method: "monte-carlo", batches: k };
      const delta = v - mean;
      mean += delta / k;
      m2 += delta * (v - mean);
    }
  }
  return {
    value: mean,
    standardError: Math.sqrt(m2 / (samples - 1) / samples),
    method: "monte-carlo",
    batches: samples,
  };
}

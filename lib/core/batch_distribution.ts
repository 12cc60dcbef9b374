/**
 * The exact distribution of the minibatch mean of a finite dataset, for batches of S samples drawn with replacement:
 * the ingredient of every exact batch-size-S quantity (Lyapunov exponents, second moments).
 *
 * @module
 */

import * as check from "./validate.ts";

/** Options of {@linkcode batchMeanDistribution}. */
export interface BatchMeanDistributionOptions {
  /** The largest number of distinct batches (multisets) to enumerate before giving up. @default 1_000_000 */
  maxBatches?: number;
}

/** The exact distribution of a minibatch mean: `values[k]` occurs with probability `weights[k]`. */
export interface BatchMeanDistribution {
  /** The batch means (1/S)·Σⱼ h_{iⱼ}, one per distinct multiset of values. */
  values: Float64Array;
  /** Their probabilities; they sum to 1. */
  weights: Float64Array;
}

/** The largest batch size whose count {@linkcode countBatches} computes (one multiplication per unit of batch size). */
const COUNT_BATCHES_MAX_STEPS = 1e7;

/**
 * The number of distinct batches (multisets of size S drawn from D distinct values), C(D + S − 1, S), in floating point
 * (exact below 2⁵³).
 *
 * @example Multisets of size 2 from 3 values
 * ```ts
 * import { countBatches } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * assert.equal(countBatches(3, 2), 6); // aa ab ac bb bc cc
 * ```
 *
 * @param distinct D, the number of distinct values (a positive integer).
 * @param batchSize S, the batch size (a positive integer).
 * @returns C(D + S − 1, S).
 */
export function countBatches(distinct: number, batchSize: number): number {
  const d = check.integerInRange("countBatches", "distinct", distinct);
  const s = check.integerInRange("countBatches", "batchSize", batchSize);
  if (d > 1 && s > COUNT_BATCHES_MAX_STEPS) {
    throw new RangeError(
      `Invalid batchSize in countBatches: the count C(distinct + batchSize − 1, batchSize) is computed in batchSize ` +
        `steps, at most ${COUNT_BATCHES_MAX_STEPS}; received ${s} (lower it by ${s - COUNT_BATCHES_MAX_STEPS}).`,
    );
  }
  if (d === 1) return 1;
  let c = 1;
  for (let k = 1; k <= s; k++) c = (c * (d - 1 + k)) / k;
  return Math.round(c);
}

/**
 * The exact distribution of the batch mean Ȳ = (1/S)·Σⱼ h_{iⱼ} when the S indices iⱼ are drawn independently and
 * uniformly from the N values `h` (sampling with replacement, as in eq. 1).
 *
 * Method: equal values are merged (value v with count c has probability c/N), then every multiset of S values is
 * enumerated once as a non-decreasing index sequence, with its multinomial probability S!/∏ₖ(nₖ!)·∏ₖ pₖ^{nₖ}
 * accumulated in logarithms. There are C(D + S − 1, S) multisets for D distinct values, against Dᴺ ordered batches.
 *
 * @example Two values, batches of two
 * ```ts
 * import { batchMeanDistribution } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const { values, weights } = batchMeanDistribution([0, 1], 2);
 * assert.deepEqual(Array.from(values), [0, 0.5, 1]);
 * assert.deepEqual(Array.from(weights).map((w) => Math.round(w * 4)), [1, 2, 1]);
 * ```
 *
 * @param h The values hᵢ (e.g. xᵢ²), each equally likely. Non-empty, finite.
 * @param batchSize The batch size S, a positive integer.
 * @param options The enumeration limit.
 * @returns The batch means and their probabilities, ordered as the enumeration visits them.
 * @throws {RangeError} When there are more than `options.maxBatches` distinct batches.
 */
export function batchMeanDistribution(
  h: ArrayLike<number>,
  batchSize: number,
  options: BatchMeanDistributionOptions = {},
): BatchMeanDistribution {
  const fn = "batchMeanDistribution";
  const data = check.finiteArray(fn, "h", h);
  const s = check.integerInRange(fn, "batchSize", batchSize);
  const o = check.options(fn, options);
  const maxBatches = check.integerInRange(
    fn,
    "options.maxBatches",
    o.maxBatches ?? 1_000_000,
  );
  const { values: distinct, probabilities } = mergeEqual(data);
  const total = countBatches(distinct.length, s);
  if (total > maxBatches) {
    throw new RangeError(
      `Invalid batchSize in ${fn}: expected at most options.maxBatches = ${maxBatches} distinct batches ` +
        `(C(D + S − 1, S) with D = ${distinct.length} distinct values); received ${s}, which gives ${total}.`,
    );
  }
  return enumerateBatches(distinct, probabilities, s, total);
}

/** Distinct values of `data` (sorted) and their empirical probabilities. */
function mergeEqual(
  data: Float64Array,
): { values: Float64Array; probabilities: Float64Array } {
  const sorted = Float64Array.from(data).sort();
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (values.length > 0 && sorted[i] === values[values.length - 1]) {
      counts[counts.length - 1]++;
    } else {
      values.push(sorted[i]);
      counts.push(1);
    }
  }
  return {
    values: Float64Array.from(values),
    probabilities: Float64Array.from(counts, (c) => c / sorted.length),
  };
}

/** Enumerates all multisets (non-decreasing index sequences) of size s. Internal. */
export function enumerateBatches(
  distinct: Float64Array,
  probabilities: Float64Array,
  s: number,
  total: number,
): BatchMeanDistribution {
  const d = distinct.length;
  const logP = Float64Array.from(probabilities, Math.log);
  const logFactS = logFactorial(s);
  const values = new Float64Array(total);
  const weights = new Float64Array(total);
  let k = 0;
  // Explicit stack over positions 0..s-1: index chosen, running sum, running log-weight, run length.
  const idx = new Int32Array(s);
  const sum = new Float64Array(s + 1);
  const logw = new Float64Array(s + 1);
  const run = new Int32Array(s + 1);
  let pos = 0;
  idx[0] = -1;
  while (pos >= 0) {
    const next = idx[pos] + 1;
    if (next >= d) {
      pos--;
      continue;
    }
    idx[pos] = next;
    const sameAsPrevious = pos > 0 && idx[pos - 1] === next;
    run[pos + 1] = sameAsPrevious ? run[pos] + 1 : 1;
    sum[pos + 1] = sum[pos] + distinct[next];
    logw[pos + 1] = logw[pos] + logP[next] - Math.log(run[pos + 1]);
    if (pos === s - 1) {
      values[k] = sum[s] / s;
      weights[k] = Math.exp(logFactS + logw[s]);
      k++;
    } else {
      pos++;
      idx[pos] = next - 1; // non-decreasing: the next position starts at the same index
    }
  }
  return { values, weights };
}

function logFactorial(n: number): number {
  let s = 0;
  for (let k = 2; k <= n; k++) s += Math.log(k);
  return s;
}

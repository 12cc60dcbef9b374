/**
 * The critical learning rates λ = 1/xᵢ² of 1-D linear regression (Prop. 3, eq. 5).
 *
 * @module
 */

import * as check from "../core/validate.ts";

/**
 * The critical learning rates 1/xᵢ², distinct and sorted ascending (Prop. 3): at λ = 1/xᵢ² a step that draws xᵢ lands
 * exactly on the minimum, so SGD with batch size 1 converges almost surely, whatever the other data. The largest,
 * 1/x²_min, is the paper's estimate of the largest stable learning rate (eq. 5). Inputs equal to 0 have no critical
 * learning rate and are skipped.
 *
 * @example Three points
 * ```ts
 * import { criticalLearningRates } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(Array.from(criticalLearningRates([2, -0.5, 1, 0, 2])), [0.25, 1, 4]);
 * ```
 *
 * @param x The inputs xᵢ. Non-empty, finite.
 * @returns A new `Float64Array` of the distinct values 1/xᵢ² (xᵢ ≠ 0), ascending.
 */
export function criticalLearningRates(x: ArrayLike<number>): Float64Array {
  const data = check.finiteArray("criticalLearningRates", "x", x);
  const rates = new Set<number>();
  for (let i = 0; i < data.length; i++) {
    if (data[i] !== 0) rates.add(1 / (data[i] * data[i]));
  }
  return Float64Array.from(rates).sort();
}

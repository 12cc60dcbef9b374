/**
 * Figure 2: the stability of SGD against a single outlier, over a grid of learning rates and outlier sizes (§3.2,
 * §4.1).
 *
 * @module
 */

import { logAbsOneMinusSum } from "../core/log_abs_sum.ts";
import { squareMoments } from "../core/moments.ts";
import * as check from "../core/validate.ts";

/** Options of {@linkcode outlierStabilityMap}: the two axes of the map. */
export interface OutlierStabilityMapOptions {
  /** The learning rates λ ≥ 0 (the map's columns). */
  lambdas: ArrayLike<number>;
  /** The outlier sizes c = x₁² ≥ 0 (the map's rows). */
  outlierSizes: ArrayLike<number>;
}

/** The stability map of {@linkcode outlierStabilityMap}. */
export interface OutlierStabilityMap {
  /** The learning rates (columns), as given. */
  lambdas: Float64Array;
  /** The outlier sizes c = x₁² (rows), as given. */
  outlierSizes: Float64Array;
  /** N, the dataset size: the ordinary points plus the outlier. */
  size: number;
  /**
   * The Lyapunov exponent m(λ, c) = (1/N)·[log|1 − λc| + Σᵢ log|1 − λxᵢ²|], row-major: `m[r * lambdas.length + k]` is
   * at outlier size r and learning rate k. SGD (batch size 1) converges in probability where m < 0.
   */
  m: Float64Array;
  /** λ_GD* = 2/E[x²] of the whole dataset, per outlier size (the grey dashed curve of Figure 2). */
  lambdaGD: Float64Array;
  /** λ_DS* = 2E[x²]/E[x⁴] of the whole dataset at S = 1, per outlier size. */
  lambdaDS: Float64Array;
}

/**
 * The Figure 2 stability map: for the dataset made of the ordinary inputs `x` and one outlier with x₁² = c, the
 * Lyapunov exponent m(λ, c) (eq. 7) on a grid of learning rates λ and outlier sizes c, together with the
 * linear-stability thresholds λ_GD*(c) and λ_DS*(c) of the same datasets.
 *
 * Method: the ordinary part Σᵢ log|1 − λxᵢ²| does not depend on c, so it is computed once per λ (with the
 * rescaled-product kernel of {@linkcode lyapunovExponent}); each cell then adds one logarithm. Cost: O(L·N + L·C) for L
 * learning rates, C outlier sizes and N points (600 × 600 with N = 10⁴: ~10 ms).
 *
 * @example A single ordinary point and an outlier
 * ```ts
 * import { outlierStabilityMap } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const map = outlierStabilityMap([1], { lambdas: [0.5, 1.5], outlierSizes: [4] });
 * // λ = 0.5: (log 0.5 + log 1)/2 < 0; λ = 1.5: (log 0.5 + log 5)/2 > 0.
 * assert.ok(map.m[0] < 0 && map.m[1] > 0);
 * assert.equal(map.lambdaGD[0], 2 / 2.5);
 * ```
 *
 * @param x The ordinary inputs x₂ … x_N (the paper draws them from N(0, 1)). Non-empty, finite.
 * @param options The learning rates and outlier sizes of the grid.
 * @returns The map and the thresholds.
 */
export function outlierStabilityMap(
  x: ArrayLike<number>,
  options: OutlierStabilityMapOptions,
): OutlierStabilityMap {
  const fn = "outlierStabilityMap";
  const data = check.finiteArray(fn, "x", x);
  const o = check.options(fn, options);
  const lambdas = check.finiteArray(fn, "options.lambdas", o.lambdas);
  const outlierSizes = check.finiteArray(
    fn,
    "options.outlierSizes",
    o.outlierSizes,
  );
  check.sizeLimit(fn, "options.lambdas", 3 * lambdas.length * outlierSizes.length, "the map (3 numbers a cell)");
  lambdas.forEach((l, i) => check.learningRate(fn, `options.lambdas[${i}]`, l));
  outlierSizes.forEach((c, i) => check.learningRate(fn, `options.outlierSizes[${i}]`, c));

  const h = Float64Array.from(data, (v) => v * v);
  const n = data.length + 1;
  const L = lambdas.length;
  const base = new Float64Array(L);
  for (let k = 0; k < L; k++) {
    base[k] = lambdas[k] === 0 ? 0 : logAbsOneMinusSum(h, lambdas[k]);
  }
  const m = new Float64Array(L * outlierSizes.length);
  for (let r = 0; r < outlierSizes.length; r++) {
    const c = outlierSizes[r];
    const row = r * L;
    for (let k = 0; k < L; k++) {
      m[row + k] = (base[k] + Math.log(Math.abs(1 - lambdas[k] * c))) / n;
    }
  }
  const { h: mean2, h2: mean4 } = squareMoments(data);
  const sum2 = mean2 * data.length;
  const sum4 = mean4 * data.length;
  const lambdaGD = Float64Array.from(outlierSizes, (c) => (2 * n) / (sum2 + c));
  const lambdaDS = Float64Array.from(
    outlierSizes,
    (c) => sum2 + c === 0 ? Infinity : (2 * (sum2 + c)) / (sum4 + c * c),
  );
  return { lambdas, outlierSizes, size: n, m, lambdaGD, lambdaDS };
}

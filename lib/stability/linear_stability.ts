/**
 * Linear (moment-based) stability of SGD on one-dimensional linear regression, §2 and App. A.2 of the paper: the
 * largest learning rates for which gradient descent converges (λ_GD, eq. 3), for which the second moment of SGD
 * contracts (λ_DS, eqs. 4 and 15–21, re-derived here) and the stationary condition of Ziyin et al. (2022b) (λ_SS).
 *
 * Setting: loss ℓ(w, x) = (w·x − y)²/2 per sample with the interpolation y = w*·x, so that around w* the SGD step is v
 * ← (1 − λ·Ȳ)·v with v = w − w* and Ȳ the mean of x² over a minibatch of S draws made with replacement (eqs. 6 and 16).
 * (The paper writes L = (1/N)Σ(wxᵢ − yᵢ)², whose gradient carries a factor 2; eqs. 3–7 and 15 use the ½-convention,
 * which this toolkit follows throughout.)
 *
 * @module
 */

import { squareMoments } from "../core/moments.ts";
import * as check from "../core/validate.ts";

/**
 * The largest stable learning rate of gradient descent, λ_GD = 2/E[x²] (eq. 3).
 *
 * GD multiplies v = w − w* by 1 − λh each step, h = E[x²]; it diverges iff |1 − λh| > 1, i.e. λ > 2/h. When every x is
 * 0 the loss is flat and no learning rate diverges: the result is `Infinity`.
 *
 * @example Two points
 * ```ts
 * import { lambdaGD } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * // E[x²] = (1 + 9)/2 = 5, so λ_GD = 2/5.
 * assert.equal(lambdaGD([1, 3]), 0.4);
 * ```
 *
 * @param x The inputs xᵢ, each equally likely. Non-empty, finite.
 * @returns 2/E[x²], or `Infinity` when E[x²] = 0.
 */
export function lambdaGD(x: ArrayLike<number>): number {
  const { h } = squareMoments(check.finiteArray("lambdaGD", "x", x));
  return h === 0 ? Infinity : 2 / h;
}

/**
 * The factor by which one SGD step multiplies the second moment of v = w − w*, E[(1 − λȲ)²] = 1 − 2λE[x²] + λ²(E[x⁴]/S
 * + (1 − 1/S)E[x²]²), for a minibatch of S draws with replacement (eq. 17, re-derived; eqs. 18–19 as printed miscount
 * the terms of the double sum).
 *
 * Derivation: Ȳ = (1/S)Σⱼ x²ⱼ has E[Ȳ] = E[x²] and Var[Ȳ] = Var[x²]/S, so E[Ȳ²] = E[x⁴]/S + (1 − 1/S)E[x²]².
 * Equivalently (1/S²)Σ_{j,k}E[x²ⱼx²ₖ] has S diagonal terms E[x⁴] and S(S − 1) off-diagonal terms E[x²]², not 1 and (S −
 * 1)² as in eq. 19.
 *
 * @example The second moment grows at the critical learning rate of the smaller point
 * ```ts
 * import { meanSquareFactor } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * // x ∈ {1, 3}, λ = 1: factors (1 − 1)² = 0 and (1 − 9)² = 64, each with probability 1/2.
 * assert.equal(meanSquareFactor([1, 3], 1), 32);
 * ```
 *
 * @param x The inputs xᵢ, each equally likely. Non-empty, finite.
 * @param lambda The learning rate λ ≥ 0.
 * @param batchSize The batch size S, a positive integer.
 * @returns E[(1 − λȲ)²]; the second moment contracts iff this is < 1.
 */
export function meanSquareFactor(
  x: ArrayLike<number>,
  lambda: number,
  batchSize = 1,
): number {
  const fn = "meanSquareFactor";
  const { h, h2 } = squareMoments(check.finiteArray(fn, "x", x));
  const l = check.learningRate(fn, "lambda", lambda);
  const s = check.integerInRange(fn, "batchSize", batchSize);
  return 1 - 2 * l * h + l * l * (h2 / s + (1 - 1 / s) * h * h);
}

/**
 * The largest learning rate for which the second moment of SGD contracts (dynamical stability, "DS"): λ_DS = 2S·E[x²] /
 * (E[x⁴] + (S − 1)·E[x²]²), for a minibatch of S samples drawn with replacement.
 *
 * Derivation (App. A.2, corrected): E[(1 − λȲ)²] < 1 ⟺ λ·(λE[Ȳ²] − 2E[x²]) < 0 ⟺ λ < 2E[x²]/E[Ȳ²] with E[Ȳ²] = E[x⁴]/S
 * + (1 − 1/S)E[x²]² (see {@linkcode meanSquareFactor}). Special cases: S = 1 gives 2E[x²]/E[x⁴]; S → ∞ gives λ_GD =
 * 2/E[x²]; Gaussian x gives (2/E[x²])·S/(S + 2).
 *
 * Errata: the printed eqs. (4) and (21) read 2S²E[x²]/(E[x⁴] + (S − 1)²E[x²]²) and eq. (22) reads (2/E[x²])·S²/(3S + (S
 * − 1)²), which is not even the Gaussian case of eq. (21); all three agree with this formula only at S = 1 (see
 * {@linkcode printedLambdaDS}).
 *
 * @example Batch size one and the large-batch limit
 * ```ts
 * import { lambdaDS, lambdaGD } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const x = [1, 3];
 * // S = 1: 2E[x²]/E[x⁴] = 2·5/41.
 * assert.equal(lambdaDS(x), 10 / 41);
 * // S → ∞ recovers gradient descent.
 * assert.ok(Math.abs(lambdaDS(x, 1e9) - lambdaGD(x)) < 1e-8);
 * ```
 *
 * @param x The inputs xᵢ, each equally likely. Non-empty, finite.
 * @param batchSize The batch size S, a positive integer.
 * @returns λ_DS, or `Infinity` when every x is 0.
 */
export function lambdaDS(x: ArrayLike<number>, batchSize = 1): number {
  const { h, h2 } = squareMoments(check.finiteArray("lambdaDS", "x", x));
  const s = check.integerInRange("lambdaDS", "batchSize", batchSize);
  if (h === 0) return Infinity;
  return (2 * h) / (h2 / s + (1 - 1 / s) * h * h);
}

/**
 * The stationary linear-stability threshold of Ziyin et al. (2022b), λ_SS = (2/h)·1/(1 + 1/S) with h = E[x²] (§2):
 * starting from a stationary distribution, w stays stationary iff λ < λ_SS. For S = 1 it is half of λ_GD.
 *
 * @example Batch size one halves λ_GD
 * ```ts
 * import { lambdaGD, lambdaSS } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * assert.equal(lambdaSS([1, 3]), lambdaGD([1, 3]) / 2);
 * ```
 *
 * @param x The inputs xᵢ, each equally likely. Non-empty, finite.
 * @param batchSize The batch size S, a positive integer.
 * @returns λ_SS, or `Infinity` when every x is 0.
 */
export function lambdaSS(x: ArrayLike<number>, batchSize = 1): number {
  const { h } = squareMoments(check.finiteArray("lambdaSS", "x", x));
  const s = check.integerInRange("lambdaSS", "batchSize", batchSize);
  return h === 0 ? Infinity : (2 / h) / (1 + 1 / s);
}

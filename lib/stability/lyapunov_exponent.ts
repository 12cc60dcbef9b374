/**
 * The Lyapunov exponent of SGD at an interpolation minimum, m = E log|1 − λh| (eq. 7, Prop. 1).
 *
 * @module
 */

import { logAbsOneMinusSum } from "../core/log_abs_sum.ts";
import * as check from "../core/validate.ts";

/**
 * The Lyapunov exponent m = (1/N)·Σᵢ log|1 − λ·hᵢ| of the multiplicative process vₜ₊₁ = (1 − λ·hₜ)·vₜ, with hₜ drawn
 * uniformly from the values `h` (eq. 7 with hᵢ = xᵢ² for 1-D linear regression at batch size 1; hᵢ = ±χᵢ for the saddle
 * of §4.2).
 *
 * By Prop. 1, vₜ → 0 in probability iff m < 0 (for m ≠ 0): log|vₜ| is a random walk with drift m per step, so m·t is
 * the typical value of log|vₜ/v₀|.
 *
 * Special cases: λ = 0 gives 0. When some 1 − λhᵢ is exactly 0 the result is `-Infinity`: the step that draws hᵢ sends
 * v to 0 for good, and vₜ → 0 almost surely (Prop. 3). In floating point, λ = 1/hᵢ makes 1 − λhᵢ exactly 0 only when
 * the product λ·hᵢ rounds to 1 (it does for h = 4, λ = 0.25, not for h = 49, λ = 1/49, where the factor is 1.1e-16 and
 * contributes −36.7/N).
 *
 * Method: one pass with a rescaled running product (one logarithm per few hundred terms); absolute error about N·2⁻⁵³
 * on the sum.
 *
 * @example At a critical learning rate the exponent is −∞
 * ```ts
 * import { lyapunovExponent } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const h = [0.25, 4]; // x = ±0.5 and ±2
 * assert.equal(lyapunovExponent(h, 4), -Infinity); // 1 − 4·0.25 = 0
 * // λ = 1: (log 0.75 + log 3)/2 = log(2.25)/2 > 0, unstable.
 * assert.ok(Math.abs(lyapunovExponent(h, 1) - Math.log(2.25) / 2) < 1e-15);
 * ```
 *
 * @param h The curvatures hᵢ (xᵢ² for linear regression), each equally likely. Non-empty, finite; may be
 *   negative (saddles).
 * @param lambda The learning rate λ ≥ 0.
 * @returns m, a finite number or `-Infinity`.
 */
export function lyapunovExponent(h: ArrayLike<number>, lambda: number): number {
  const values = check.finiteArray("lyapunovExponent", "h", h);
  const l = check.learningRate("lyapunovExponent", "lambda", lambda);
  if (l === 0) return 0;
  return logAbsOneMinusSum(values, l) / values.length;
}

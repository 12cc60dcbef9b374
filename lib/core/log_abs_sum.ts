/**
 * The kernel behind every Lyapunov exponent of the toolkit: Σᵢ log|1 − λ·hᵢ|, computed with one logarithm per ~hundreds
 * of terms instead of one per term. Internal module, not re-exported.
 *
 * Method: the factors |1 − λhᵢ| are multiplied into a running product that is folded into a log accumulator whenever it
 * leaves [1e-200, 1e200]; factors outside [1e-100, 1e100] are logged directly, so the product can never overflow or
 * underflow. Rounding errors of a product are relative, so the absolute error of the sum is about n·ε (ε = 2⁻⁵³), the
 * same order as summing n separate logarithms.
 *
 * @module
 */

/**
 * Σᵢ log|1 − λ·h[i]| over `h`; `-Infinity` when some factor is exactly zero. Inputs are trusted (finite).
 */
export function logAbsOneMinusSum(h: Float64Array, lambda: number): number {
  let acc = 0;
  let p = 1;
  for (let i = 0; i < h.length; i++) {
    const f = Math.abs(1 - lambda * h[i]);
    if (f < 1e-100 || f > 1e100) {
      if (f === 0) return -Infinity;
      acc += Math.log(f);
      continue;
    }
    p *= f;
    if (p > 1e200 || p < 1e-200) {
      acc += Math.log(p);
      p = 1;
    }
  }
  return acc + Math.log(p);
}

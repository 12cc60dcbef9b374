/**
 * Moments of the squared inputs, the only summary statistics the linear-stability thresholds need. Internal module, not
 * re-exported.
 *
 * @module
 */

/** E[x²] and E[x⁴] over equally likely values `x` (trusted, finite, non-empty). */
export function squareMoments(x: Float64Array): { h: number; h2: number } {
  let s2 = 0;
  let s4 = 0;
  for (let i = 0; i < x.length; i++) {
    const q = x[i] * x[i];
    s2 += q;
    s4 += q * q;
  }
  return { h: s2 / x.length, h2: s4 / x.length };
}

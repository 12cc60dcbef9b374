/**
 * The exact set of learning rates at which SGD (batch size 1) converges in probability, as a union of intervals: the
 * stability windows around each critical learning rate 1/hᵢ (§3.2, eq. 8, Figure 2).
 *
 * @module
 */

import { logAbsOneMinusSum } from "../core/log_abs_sum.ts";
import * as check from "../core/validate.ts";

/** Options of {@linkcode stabilityWindows}. */
export interface StabilityWindowsOptions {
  /** Only learning rates in [0, lambdaMax] are examined. @default Infinity */
  lambdaMax?: number;
}

/**
 * The learning rates λ > 0 with m(λ) = (1/N)·Σᵢ log|1 − λhᵢ| < 0, i.e. where SGD at batch size 1 converges in
 * probability (Prop. 1), as disjoint intervals `[lower, upper]` in increasing order.
 *
 * Method (exact up to rounding): m″(λ) = −(1/N)·Σᵢ hᵢ²/(1 − λhᵢ)² < 0, so m is strictly concave between consecutive
 * poles λ = 1/hᵢ (hᵢ > 0), where m → −∞. On each such interval the set {m ≥ 0} is therefore a single interval (possibly
 * empty): its peak is found by bisection on the decreasing m′, and its two ends by bisection on m, to full double
 * precision (each end is the outermost double with m < 0). Stable pieces that meet at a pole are merged (the pole
 * itself is stable: m = −∞); a window narrower than the floating-point spacing at its pole is reported as `[pole,
 * pole]`, pole = fl(1/hᵢ) (where m evaluates to −∞ only if fl(1/hᵢ)·hᵢ rounds to 1). Consequences: when E[h] > 0, m < 0
 * on the whole of (0, 1/h_max]; the last window ends beyond 1/h_min (the paper's λ_max of eq. 5) at the single root of
 * m there.
 *
 * Cost: O(P·N·100) for P distinct poles below `lambdaMax` and N values, about 0.2 s for N = 300.
 *
 * @example Two points
 * ```ts
 * import { lyapunovExponent, stabilityWindows } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const h = [1, 9];
 * const windows = stabilityWindows(h);
 * // m < 0 on (0, a] ∪ [b, c], with the poles 1/9 and 1 inside.
 * assert.equal(windows.length, 2);
 * const [[, a], [b, c]] = windows;
 * assert.ok(a > 1 / 9 && b < 1 && c > 1);
 * assert.ok(Math.abs(lyapunovExponent(h, c)) < 1e-12);
 * ```
 *
 * @param h The curvatures hᵢ (xᵢ² for linear regression), each equally likely. Non-empty, finite.
 * @param options The largest learning rate to examine.
 * @returns The stability windows, as `[lower, upper]` pairs (lower = 0 for the window that starts at 0).
 */
export function stabilityWindows(
  h: ArrayLike<number>,
  options: StabilityWindowsOptions = {},
): Array<[number, number]> {
  const fn = "stabilityWindows";
  const data = check.finiteArray(fn, "h", h);
  const o = check.options(fn, options);
  // Infinity, the default, is a valid value: no upper limit.
  const lambdaMax = o.lambdaMax === undefined || o.lambdaMax === Infinity
    ? Infinity
    : check.positiveNumber(fn, "options.lambdaMax", o.lambdaMax);
  const n = data.length;
  const m = (l: number) => logAbsOneMinusSum(data, l) / n;
  const dm = (l: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s -= data[i] / (1 - l * data[i]);
    return s / n;
  };
  const poles = Array.from(
    new Set(Array.from(data).filter((v) => v > 0).map((v) => 1 / v)),
  )
    .filter((p) => p <= lambdaMax)
    .sort((a, b) => a - b);
  const anyNonzero = data.some((v) => v !== 0);
  if (!anyNonzero) return []; // m ≡ 0: never m < 0
  const edges = [0, ...poles, lambdaMax];
  const pieces: Array<[number, number]> = [];
  for (let k = 0; k + 1 < edges.length; k++) {
    const lo = edges[k];
    let hi = edges[k + 1];
    if (!(hi > lo)) continue;
    const loIsPole = k > 0;
    const hiIsPole = k + 1 < edges.length - 1;
    if (hi === Infinity) {
      // m → +∞ and m′ → 0⁺ as λ → ∞: bracket the region where m is already positive and increasing.
      hi = Math.max(2 * lo, 1);
      while (!(m(hi) > 0 && dm(hi) > 0)) hi *= 2;
    }
    // m and m′ at the ends of the interval (limits at poles); m′ decreases across the interval.
    const mLo = loIsPole ? -Infinity : 0;
    const mHi = hiIsPole ? -Infinity : m(hi);
    const dLo = loIsPole ? Infinity : dm(lo);
    const dHi = hiIsPole ? -Infinity : dm(hi);
    const peak = dLo <= 0 ? lo : dHi >= 0 ? hi : bisect((l) => dm(l) > 0, lo, hi)[0];
    const mPeak = peak === lo ? mLo : peak === hi ? mHi : m(peak);
    // Strict concavity with m(0) = 0 and m′(0) ≤ 0 makes m < 0 on all of (0, hi).
    if (mPeak < 0 || (peak === 0 && !loIsPole)) {
      pieces.push([lo, hi]);
      continue;
    }
    // Window ends are the outermost doubles at which m < 0 (the last stable, the first stable).
    if (mLo < 0) pieces.push([lo, bisect((l) => m(l) < 0, lo, peak)[0]]);
    if (mHi < 0) pieces.push([bisect((l) => m(l) >= 0, peak, hi)[1], hi]);
  }
  // Merge pieces that meet at a pole. Around a pole where the rest of the data is strongly unstable the window can be
  // narrower than the floating-point spacing: it is then reported as [pole, pole].
  const windows: Array<[number, number]> = [];
  for (const [a, b] of pieces) {
    const last = windows[windows.length - 1];
    if (last && last[1] >= a) last[1] = Math.max(last[1], b);
    else windows.push([a, b]);
  }
  return windows;
}

/**
 * The boundary between `pred` true (left) and false (right) on (lo, hi), to full double precision: the two adjacent
 * doubles [last true, first false].
 */
function bisect(pred: (l: number) => boolean, lo: number, hi: number): [number, number] {
  for (let i = 0; i < 2000; i++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if (pred(mid)) lo = mid;
    else hi = mid;
  }
  return [lo, hi];
}

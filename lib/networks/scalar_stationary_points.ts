/**
 * Every stationary point of the one-neuron loss L(u, w) = (1/N)·Σᵢ ½(u σ(w xᵢ) − yᵢ)² in a box, from the profile in w
 * (§4.3, Figure 5).
 *
 * @module
 */

import { type Activation, activationValues } from "./activations.ts";
import {
  classifyPoint,
  parseScalarModel,
  type ScalarModel,
  scalarPointInfo,
  type StationaryPoint,
} from "./scalar_network.ts";
import * as check from "../core/validate.ts";

/** Options of {@linkcode scalarStationaryPoints}. */
export interface ScalarStationaryPointsOptions {
  /** The range of w searched, [low, high] with low < high. @default [-10, 10] */
  w?: [number, number];
  /** The range of u kept, [low, high] with low < high: a stationary point whose u falls outside is dropped. @default [-100, 100] */
  u?: [number, number];
  /** The number of equally spaced nodes of the w grid on which the profile's derivative is scanned. @default 4001 */
  gridSize?: number;
  /** The Newton polish stops once ‖∇L‖ ≤ this. @default 1e-12 */
  tolerance?: number;
}

/** A stationary point found by {@linkcode scalarStationaryPoints}. */
export interface ScalarStationaryPoint extends StationaryPoint {
  /**
   * "profile": a root of the profile's derivative P′(w), polished by Newton's method on (u, w) (`iterations` counts the
   * Newton steps); "origin": the point (0, 0), where σ(0) = 0 makes u undetermined by the profile.
   */
  source: "profile" | "origin";
}

/** Sums over the samples at one w ≠ 0: u*(w), the profile P(w) and its derivative P′(w). Internal. */
function profile(x: Float64Array, y: Float64Array, act: Activation, w: number, s: Float64Array) {
  let a = 0, b = 0;
  const n = x.length;
  const sig = new Float64Array(n), d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    activationValues(act, w * x[i], s);
    sig[i] = s[0];
    d[i] = s[1];
    a += s[0] * s[0];
    b += s[0] * y[i];
  }
  const u = b / a;
  let p = 0, dp = 0;
  for (let i = 0; i < n; i++) {
    const r = u * sig[i] - y[i];
    p += r * r;
    dp += r * u * x[i] * d[i];
  }
  return { u, p: p / (2 * n), dp: dp / n };
}

/** Brent's root finder (zeroin) on [a, b] with f(a)·f(b) < 0, to |b − a| ≤ 4·ε·|b| + tol. Internal. */
function brent(f: (w: number) => number, a: number, b: number, fa: number, fb: number): number {
  let c = a, fc = fa, d = b - a, e = d;
  for (let it = 0; it < 200; it++) {
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) [c, fc, d, e] = [a, fa, b - a, b - a];
    if (Math.abs(fc) < Math.abs(fb)) [a, b, c, fa, fb, fc] = [b, c, b, fb, fc, fb];
    const tol = 4 * Number.EPSILON * Math.abs(b) + 1e-300;
    const m = (c - b) / 2;
    if (Math.abs(m) <= tol || fb === 0) return b;
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      let p: number, q: number;
      const s = fb / fa;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qq = fa / fc, r = fb / fc;
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) [e, d] = [d, p / q];
      else [d, e] = [m, m];
    } else [d, e] = [m, m];
    [a, fa] = [b, fb];
    b += Math.abs(d) > tol ? d : (m > 0 ? tol : -tol);
    fb = f(b);
  }
  return b;
}

function range(fn: string, param: string, value: unknown, fallback: [number, number]): [number, number] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.length !== 2) {
    throw new TypeError(`Invalid ${param} in ${fn}: expected [low, high]; received ${check.describe(value)}.`);
  }
  const lo = check.finiteNumber(fn, `${param}[0]`, value[0]);
  const hi = check.finiteNumber(fn, `${param}[1]`, value[1]);
  if (!(lo < hi)) {
    throw new RangeError(`Invalid ${param} in ${fn}: expected low < high; received [${lo}, ${hi}].`);
  }
  return [lo, hi];
}

/**
 * Every stationary point of L(u, w) = (1/N)·Σᵢ ½(u σ(w xᵢ) − yᵢ)² (the one-neuron network of §4.3 and Figure 5, f(x) =
 * u·σ(wx)) in the box `options.w` × `options.u`, for the tanh and swish activations.
 *
 * Method (the profile in w). For fixed w ≠ 0 the loss is quadratic in u, minimized by u*(w) = Σσ(wxᵢ)yᵢ / Σσ(wxᵢ)²; the
 * profile P(w) = L(u*(w), w) has P′(w) = ∂L/∂w(u*(w), w), and since ∂L/∂u = 0 on the curve u = u*(w), the stationary
 * points of L with w ≠ 0 are exactly the points (u*(w), w) with P′(w) = 0. P′ is scanned on `gridSize` equally spaced
 * nodes of `options.w`; each sign change brackets a root, refined by Brent's method to machine precision, then polished
 * by Newton's method on (u, w) with the exact Hessian (kept only if it lowers ‖∇L‖). Duplicates (within 10⁻⁹) are
 * merged and each point is classified by the eigenvalues of its Hessian: both > 0 a minimum, both < 0 a maximum,
 * otherwise a saddle. Since L_uu = mean σ² > 0 for w ≠ 0, the minima of P are the minima of L and the maxima of P are
 * saddles of L (L has no maximum).
 *
 * The line w = 0. σ(0) = 0 for tanh and swish, so L(u, 0) = ½·mean y² for every u and the profile is undefined there
 * (u*(w) ~ 1/w diverges as w → 0). On the line, ∂L/∂u = 0 and ∂L/∂w = −u·σ′(0)·mean(xy), so the only stationary point
 * is the origin, with Hessian [[0, −σ′(0)·mean(xy)], [−σ′(0)·mean(xy), 0]] (eigenvalues ±σ′(0)·|mean(xy)|): a saddle,
 * reported with `source: "origin"` when the box contains it. Only if mean(xy) = 0 exactly is the whole line a
 * (degenerate) stationary family; the origin then stands for it. Roots of P′ between the two grid nodes on either side
 * of w = 0 are not searched (their u is of order 1/w, outside any moderate u box); neither are roots where P′ touches 0
 * without changing sign within one grid step (refine `gridSize` to resolve close pairs).
 *
 * Linear and relu networks are rejected: σ is positively homogeneous, so L depends on (u, w) only through u·w on each
 * side of w = 0 and the stationary points form curves u·w = c, not isolated points.
 *
 * @example Minima on both sides of w = 0, and the saddle at the origin
 * ```ts
 * import { scalarStationaryPoints } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * // tanh is odd, so the stationary points come in pairs ±(u, w)
 * const model = { x: [1, 2, -1, 0.5], y: [0.8, 1, -0.7, 0.5], activation: "tanh" as const };
 * const points = scalarStationaryPoints(model);
 * const minima = points.filter((p) => p.kind === "minimum");
 * assert.equal(minima.length, 2);
 * assert.ok(Math.abs(minima[0].w + minima[1].w) < 1e-9 && Math.abs(minima[0].u + minima[1].u) < 1e-9);
 * const origin = points.find((p) => p.source === "origin")!;
 * assert.equal(origin.kind, "saddle");
 * ```
 *
 * @param model The data and activation ("tanh" or "swish").
 * @param options The box, the grid size and the Newton tolerance.
 * @returns The stationary points in the box, sorted by w, with loss, gradient, Hessian, eigenvalues and kind.
 * @throws {RangeError} For a linear or relu activation, an empty or non-finite dataset, or an invalid option.
 */
export function scalarStationaryPoints(
  model: ScalarModel,
  options: ScalarStationaryPointsOptions = {},
): ScalarStationaryPoint[] {
  const fn = "scalarStationaryPoints";
  const { x, y, act } = parseScalarModel(fn, model);
  if (act === "linear" || act === "relu") {
    throw new RangeError(
      `Invalid model.activation in ${fn}: expected "tanh" or "swish"; received "${act}" (positively homogeneous: ` +
        `the stationary points form curves u·w = const, not isolated points).`,
    );
  }
  const o = check.options(fn, options);
  const [wlo, whi] = range(fn, "options.w", o.w, [-10, 10]);
  const [ulo, uhi] = range(fn, "options.u", o.u, [-100, 100]);
  const G = check.integerInRange(fn, "options.gridSize", o.gridSize ?? 4001, 3);
  const tol = check.positiveNumber(fn, "options.tolerance", o.tolerance ?? 1e-12);
  const data = { x, y, activation: act };
  const s = new Float64Array(3);
  const dp = (w: number) => profile(x, y, act, w, s).dp;

  const roots: number[] = [];
  const ws = Float64Array.from({ length: G }, (_, k) => k === G - 1 ? whi : wlo + ((whi - wlo) * k) / (G - 1));
  const ds = Float64Array.from(ws, (w) => w === 0 ? NaN : dp(w));
  for (let k = 0; k < G; k++) {
    if (ds[k] === 0) roots.push(ws[k]);
    if (k + 1 < G && ws[k] * ws[k + 1] > 0 && ds[k] * ds[k + 1] < 0) {
      roots.push(brent(dp, ws[k], ws[k + 1], ds[k], ds[k + 1]));
    }
  }

  const out: ScalarStationaryPoint[] = [];
  for (const w0 of roots) {
    let u = profile(x, y, act, w0, s).u, w = w0;
    let info = scalarPointInfo(data, u, w);
    let norm = Math.hypot(...info.gradient);
    let it = 0;
    for (; it < 20 && norm > tol; it++) {
      const [[a, b], [, d]] = info.hessian;
      const det = a * d - b * b;
      if (det === 0) break;
      const [gu, gw] = info.gradient;
      const [nu, nw] = [u - (d * gu - b * gw) / det, w - (a * gw - b * gu) / det];
      const next = scalarPointInfo(data, nu, nw);
      const n2 = Math.hypot(...next.gradient);
      if (!(n2 < norm)) break;
      [u, w, info, norm] = [nu, nw, next, n2];
    }
    if (!(u >= ulo && u <= uhi && w >= wlo && w <= whi)) continue;
    if (
      out.some((p) => Math.abs(p.u - u) <= 1e-9 * (1 + Math.abs(u)) && Math.abs(p.w - w) <= 1e-9 * (1 + Math.abs(w)))
    ) {
      continue;
    }
    out.push({ ...info, u, w, kind: classifyPoint(info.eigenvalues), iterations: it, source: "profile" });
  }
  if (wlo <= 0 && whi >= 0 && ulo <= 0 && uhi >= 0) {
    const info = scalarPointInfo(data, 0, 0);
    out.push({ ...info, u: 0, w: 0, kind: classifyPoint(info.eigenvalues), iterations: 0, source: "origin" });
  }
  return out.sort((p, q) => p.w - q.w || p.u - q.u);
}

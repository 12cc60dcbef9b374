/**
 * The one-neuron networks of Figure 1(a) and §4.3: f(x) = u·σ(w x) on scalar data, with loss L(u, w) = (1/N)·Σᵢ ½(u σ(w
 * xᵢ) − yᵢ)², exact gradients and per-sample Hessians (closed form), stationary points, the loss landscape and seeded
 * SGD trajectories.
 *
 * @module
 */

import { type Activation, activationValues, checkActivation } from "./activations.ts";
import { Rng } from "../core/random.ts";
import * as check from "../core/validate.ts";

/** A scalar dataset (xᵢ, yᵢ) and the activation of f(x) = u σ(w x). */
export interface ScalarModel {
  /** The inputs xᵢ. */
  x: ArrayLike<number>;
  /** The labels yᵢ. */
  y: ArrayLike<number>;
  /** The activation σ. */
  activation: Activation;
}

/** A validated {@linkcode ScalarModel}. Internal. */
export interface ParsedScalarModel {
  x: Float64Array;
  y: Float64Array;
  act: Activation;
}

/** Validates a {@linkcode ScalarModel} (fresh copies of x and y), named `param` in messages. Internal. */
export function parseScalarModel(fn: string, model: ScalarModel, param = "model"): ParsedScalarModel {
  if (model === null || typeof model !== "object") {
    throw new TypeError(`Invalid ${param} in ${fn}: expected { x, y, activation }; received ${check.describe(model)}.`);
  }
  const x = check.finiteArray(fn, `${param}.x`, model.x);
  const y = check.finiteArray(fn, `${param}.y`, model.y);
  check.sameLength(fn, `${param}.y`, y, x, `${param}.x`);
  return { x, y, act: checkActivation(fn, `${param}.activation`, model.activation) };
}

/** Value, gradient (∂u, ∂w) and Hessian (uu, uw, ww) of ½(uσ(wx) − y)² for one sample. Internal. */
function sample(u: number, w: number, x: number, y: number, act: Activation, s: Float64Array, out: Float64Array) {
  activationValues(act, w * x, s);
  const r = u * s[0] - y;
  const fu = s[0];
  const fw = u * x * s[1];
  out[0] = 0.5 * r * r;
  out[1] = r * fu;
  out[2] = r * fw;
  out[3] = fu * fu;
  out[4] = fu * fw + r * x * s[1];
  out[5] = fw * fw + r * u * x * x * s[2];
}

/** The loss, its gradient and its Hessian at one point. */
export interface ScalarPointInfo {
  /** L(u, w). */
  loss: number;
  /** (∂L/∂u, ∂L/∂w). */
  gradient: [number, number];
  /** [[L_uu, L_uw], [L_uw, L_ww]]. */
  hessian: [[number, number], [number, number]];
  /** The Hessian's eigenvalues, descending. */
  eigenvalues: [number, number];
}

/**
 * The loss L(u, w) = (1/N)·Σᵢ ½(u σ(w xᵢ) − yᵢ)², its gradient and its Hessian (closed forms: with r = uσ(wx) − y, L_uu
 * = σ², L_uw = σ·uxσ′ + r·xσ′, L_ww = (uxσ′)² + r·ux²σ″).
 *
 * @example The origin is a saddle with eigenvalues ±|E[xy]|·σ′(0)
 * ```ts
 * import { scalarPointInfo } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const info = scalarPointInfo({ x: [1, 2], y: [1, 3], activation: "tanh" }, 0, 0);
 * assert.deepEqual(info.eigenvalues, [3.5, -3.5]); // E[xy] = (1 + 6)/2
 * ```
 *
 * @param model The data and activation.
 * @param u The output weight.
 * @param w The input weight.
 * @returns The loss, gradient, Hessian and its eigenvalues.
 */
export function scalarPointInfo(model: ScalarModel, u: number, w: number): ScalarPointInfo {
  const fn = "scalarPointInfo";
  const { x, y, act } = parseScalarModel(fn, model);
  check.finiteNumber(fn, "u", u);
  check.finiteNumber(fn, "w", w);
  const s = new Float64Array(3);
  const o = new Float64Array(6);
  const t = new Float64Array(6);
  for (let i = 0; i < x.length; i++) {
    sample(u, w, x[i], y[i], act, s, o);
    for (let k = 0; k < 6; k++) t[k] += o[k] / x.length;
  }
  const [huu, huw, hww] = [t[3], t[4], t[5]];
  const mean = (huu + hww) / 2;
  const rad = Math.hypot((huu - hww) / 2, huw);
  return {
    loss: t[0],
    gradient: [t[1], t[2]],
    hessian: [[huu, huw], [huw, hww]],
    eigenvalues: [mean + rad, mean - rad],
  };
}

/**
 * The per-sample Hessians ∇²ℓ(u, w; xᵢ, yᵢ) at a point, as 2 × 2 matrices — the input of {@linkcode lyapunovSpectrum}
 * for the probabilistic stability of that point (§4.3).
 *
 * @example At the origin each Hessian is [[0, −xᵢyᵢσ′(0)], [−xᵢyᵢσ′(0), 0]]
 * ```ts
 * import { perSampleHessians } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const hs = perSampleHessians({ x: [2], y: [3], activation: "swish" }, 0, 0);
 * assert.deepEqual(hs, [[[0, -3], [-3, 0]]]); // swish′(0) = ½
 * ```
 *
 * @param model The data and activation.
 * @param u The output weight.
 * @param w The input weight.
 * @returns One 2 × 2 Hessian per sample, in (u, w) order.
 */
export function perSampleHessians(model: ScalarModel, u: number, w: number): number[][][] {
  const fn = "perSampleHessians";
  const { x, y, act } = parseScalarModel(fn, model);
  check.finiteNumber(fn, "u", u);
  check.finiteNumber(fn, "w", w);
  const s = new Float64Array(3);
  const o = new Float64Array(6);
  return Array.from(x, (xi, i) => {
    sample(u, w, xi, y[i], act, s, o);
    return [[o[3], o[4]], [o[4], o[5]]];
  });
}

/** A stationary point found by {@linkcode findStationaryPoint}. */
export interface StationaryPoint extends ScalarPointInfo {
  /** The point's u. */
  u: number;
  /** The point's w. */
  w: number;
  /** "minimum", "saddle" or "maximum" from the Hessian's eigenvalues. */
  kind: "minimum" | "saddle" | "maximum";
  /** The Newton iterations used. */
  iterations: number;
}

/** A stationary point's kind from its Hessian's eigenvalues (descending). Internal. */
export function classifyPoint([e1, e2]: [number, number]): StationaryPoint["kind"] {
  return e2 > 0 ? "minimum" : e1 < 0 ? "maximum" : "saddle";
}

/**
 * A stationary point of L(u, w) near a starting point, by damped Newton iterations on the gradient (the full Hessian
 * step, halved until ‖∇L‖ decreases; a backtracking gradient step on L where no Newton step does), to ‖∇L‖ < 1e-12.
 * Classifies it by the Hessian's eigenvalues.
 *
 * @example The global minima of f = u·x (linear) fit y = 2x
 * ```ts
 * import { findStationaryPoint } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const p = findStationaryPoint({ x: [1, 2], y: [2, 4], activation: "linear" }, 1.5, 1.5);
 * assert.equal(p.kind, "minimum");
 * assert.ok(Math.abs(p.u * p.w - 2) < 1e-10);
 * ```
 *
 * @param model The data and activation.
 * @param u0 The starting u.
 * @param w0 The starting w.
 * @returns The stationary point, its loss, gradient, Hessian and kind.
 * @throws {RangeError} When the iterations do not converge in 500 steps.
 */
export function findStationaryPoint(model: ScalarModel, u0: number, w0: number): StationaryPoint {
  const fn = "findStationaryPoint";
  parseScalarModel(fn, model);
  let u = check.finiteNumber(fn, "u0", u0);
  let w = check.finiteNumber(fn, "w0", w0);
  let info = scalarPointInfo(model, u, w);
  let norm = Math.hypot(...info.gradient);
  let it = 0;
  for (; it < 500 && norm > 1e-12; it++) {
    const [[a, b], [, d]] = info.hessian;
    const det = a * d - b * b;
    const [gu, gw] = info.gradient;
    const du = det !== 0 ? -(d * gu - b * gw) / det : -gu;
    const dw = det !== 0 ? -(-b * gu + a * gw) / det : -gw;
    let moved = false;
    for (let k = 0, step = 1; k < 30; k++, step /= 2) {
      const next = scalarPointInfo(model, u + step * du, w + step * dw);
      const n2 = Math.hypot(...next.gradient);
      if (n2 < norm) {
        u += step * du;
        w += step * dw;
        info = next;
        norm = n2;
        moved = true;
        break;
      }
    }
    if (moved) continue;
    // Newton's direction does not reduce ‖∇L‖: a gradient step on L with backtracking (Armijo) instead.
    for (let k = 0, step = 1; k < 60; k++, step /= 2) {
      const next = scalarPointInfo(model, u - step * gu, w - step * gw);
      if (next.loss <= info.loss - 1e-4 * step * norm * norm || k === 59) {
        u -= step * gu;
        w -= step * gw;
        info = next;
        norm = Math.hypot(...next.gradient);
        break;
      }
    }
  }
  if (!(norm <= 1e-10)) {
    throw new RangeError(
      `Invalid start in ${fn}: Newton's method did not converge from (${u0}, ${w0}); ‖∇L‖ = ${norm}.`,
    );
  }
  return { ...info, u, w, kind: classifyPoint(info.eigenvalues), iterations: it };
}

/** Options of {@linkcode scalarLandscape}. */
export interface ScalarLandscapeOptions {
  /** The values of u (rows). */
  us: ArrayLike<number>;
  /** The values of w (columns). */
  ws: ArrayLike<number>;
}

/** The loss on a (u, w) grid: `loss[r * ws.length + k]` at (us[r], ws[k]). */
export interface ScalarLandscape {
  /** The values of u (rows). */
  us: Float64Array;
  /** The values of w (columns). */
  ws: Float64Array;
  /** L(us[r], ws[k]) at index r·ws.length + k. */
  loss: Float64Array;
}

/**
 * The loss landscape L(u, w) on a grid (Figures 1(a) and 5, left).
 *
 * @example
 * ```ts
 * import { scalarLandscape } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const l = scalarLandscape({ x: [1], y: [1], activation: "tanh" }, { us: [0, 1], ws: [0, 1] });
 * assert.equal(l.loss[0], 0.5); // L(0, 0) = ½y²
 * ```
 *
 * @param model The data and activation.
 * @param options The grid.
 * @returns The losses, row-major (u rows, w columns).
 */
export function scalarLandscape(model: ScalarModel, options: ScalarLandscapeOptions): ScalarLandscape {
  const fn = "scalarLandscape";
  const { x, y, act } = parseScalarModel(fn, model);
  const o = check.options(fn, options);
  const us = check.finiteArray(fn, "options.us", o.us);
  const ws = check.finiteArray(fn, "options.ws", o.ws);
  check.sizeLimit(fn, "options.us", us.length * ws.length, "the landscape (one number a cell)");
  const loss = new Float64Array(us.length * ws.length);
  const s = new Float64Array(3);
  for (let k = 0; k < ws.length; k++) {
    const sig = Float64Array.from(x, (xi) => activationValues(act, ws[k] * xi, s)[0]);
    for (let r = 0; r < us.length; r++) {
      let t = 0;
      for (let i = 0; i < x.length; i++) {
        const e = us[r] * sig[i] - y[i];
        t += e * e;
      }
      loss[r * ws.length + k] = t / (2 * x.length);
    }
  }
  return { us, ws, loss };
}

/** Options of {@linkcode simulateScalarNetworkSGD}. */
export interface ScalarSGDOptions {
  /** The number of steps. @default 1000 */
  steps?: number;
  /** The number of trajectories. @default 100 */
  trajectories?: number;
  /** The batch size. @default 1 */
  batchSize?: number;
  /** Record (u, w) every this many steps. @default steps */
  recordEvery?: number;
  /** The seed; trajectory k uses stream k. @default 0 */
  seed?: number | string;
  /**
   * The initial points: a fixed (u₀, w₀), or `{ scale }` for i.i.d. N(0, scale²) coordinates per trajectory.
   * @default { scale: 0.1 }
   */
  start?: [number, number] | { scale: number };
}

/** Trajectories of (u, w). */
export interface ScalarTrajectories {
  /** The recorded steps. */
  times: Float64Array;
  /** The number of trajectories. */
  trajectories: number;
  /** u per trajectory and time, `u[k * times.length + j]`. */
  u: Float64Array;
  /** w per trajectory and time. */
  w: Float64Array;
}

/**
 * SGD on L(u, w) (eq. 1): (u, w) ← (u, w) − (λ/S)·Σ_b ∇ℓ(u, w; x_b, y_b), batches drawn with replacement, for many
 * seeded trajectories. A trajectory that overflows keeps ±Infinity/NaN from then on (divergence).
 *
 * @example Near the saddle at a small learning rate, SGD escapes toward a minimum
 * ```ts
 * import { simulateScalarNetworkSGD } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const model = { x: [1, 2, -1], y: [1, 2, -1], activation: "tanh" as const };
 * const run = simulateScalarNetworkSGD(model, 0.1, { steps: 2000, trajectories: 5, seed: 1 });
 * assert.ok(Math.abs(run.u[1] * run.w[1]) > 0.5); // u·w grew: the escape
 * ```
 *
 * @param model The data and activation.
 * @param lambda The learning rate λ ≥ 0.
 * @param options Steps, trajectories, batch size, recording, seed, start.
 * @returns The recorded (u, w).
 */
export function simulateScalarNetworkSGD(
  model: ScalarModel,
  lambda: number,
  options: ScalarSGDOptions = {},
): ScalarTrajectories {
  const fn = "simulateScalarNetworkSGD";
  const { x, y, act } = parseScalarModel(fn, model);
  const l = check.learningRate(fn, "lambda", lambda);
  const o = check.options(fn, options);
  const steps = check.integerInRange(fn, "options.steps", o.steps ?? 1000);
  const K = check.integerInRange(fn, "options.trajectories", o.trajectories ?? 100);
  const S = check.integerInRange(fn, "options.batchSize", o.batchSize ?? 1);
  const every = check.integerInRange(fn, "options.recordEvery", o.recordEvery ?? steps);
  const seed = check.seed(fn, "options.seed", o.seed ?? 0);
  const start = o.start ?? { scale: 0.1 };
  check.recordLimit(fn, steps, every, K);
  const times: number[] = [];
  for (let t = 0; t < steps; t += every) times.push(t);
  times.push(steps);
  const R = times.length;
  const U = new Float64Array(K * R);
  const Wt = new Float64Array(K * R);
  const s = new Float64Array(3);
  const idx = new Int32Array(S);
  for (let k = 0; k < K; k++) {
    const rng = Rng.stream(seed, k);
    let u: number, w: number;
    if (Array.isArray(start)) {
      [u, w] = [
        check.finiteNumber(fn, "options.start[0]", start[0]),
        check.finiteNumber(fn, "options.start[1]", start[1]),
      ];
    } else {
      const sc = check.learningRate(fn, "options.start.scale", (start as { scale: number }).scale);
      u = sc * rng.normal();
      w = sc * rng.normal();
    }
    U[k * R] = u;
    Wt[k * R] = w;
    let t = 0;
    for (let j = 1; j < R; j++) {
      for (; t < times[j]; t++) {
        rng.fillIndices(idx, x.length);
        let gu = 0, gw = 0;
        for (let b = 0; b < S; b++) {
          const xi = x[idx[b]];
          activationValues(act, w * xi, s);
          const r = u * s[0] - y[idx[b]];
          gu += r * s[0];
          gw += r * u * xi * s[1];
        }
        u -= (l * gu) / S;
        w -= (l * gw) / S;
      }
      U[k * R + j] = u;
      Wt[k * R + j] = w;
    }
  }
  return { times: Float64Array.from(times), trajectories: K, u: U, w: Wt };
}

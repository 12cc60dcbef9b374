/**
 * The top Lyapunov exponent of SGD linearized at the rank-0 saddle of a d → h → d two-layer network on the §4.4 task (a
 * second theoretical boundary for Figures 7–8, beyond the paper's 1-D one).
 *
 * @module
 */

import { type Activation, activationValues, checkActivation } from "./activations.ts";
import { checkMu } from "../saddle/gaussian_saddle_exponents.ts";
import { Rng } from "../core/random.ts";
import * as check from "../core/validate.ts";

/** Options of {@linkcode saddleNetworkExponent}. */
export interface SaddleNetworkExponentOptions {
  /** The input and output dimension d. @default 200 */
  dimension?: number;
  /** The number of hidden units h. @default dimension */
  hidden?: number;
  /**
   * The activation: "linear", "tanh" or "swish" (only σ′(0) matters at the saddle). "relu" is rejected: it has no
   * derivative at 0 and its saddle is not linearizable (see {@linkcode saddleNetworkExponent}).
   * @default "linear"
   */
  activation?: Activation;
  /** The noise standard deviation σ. @default 2 */
  noiseStd?: number;
  /** The batch size S. @default 1 */
  batchSize?: number;
  /** The loss convention, as in `trainTwoLayerNetwork`: `"mean"` scales the gradient by 2/d. @default "sum" */
  reduction?: "sum" | "mean";
  /** Steps averaged after the transient. @default 5000 */
  steps?: number;
  /** Steps discarded first. @default 500 */
  transient?: number;
  /** Independent runs for the standard error. @default 2 */
  runs?: number;
  /** The seed. @default 0 */
  seed?: number | string;
}

/**
 * Validates the arguments of {@linkcode saddleNetworkExponent} for `fn`, named under `at` (`cells[3].` for
 * `cells[3].options.steps`: {@linkcode runSweep} and {@linkcode sweepKey} check a cell this way). Internal.
 */
export function saddleNetworkExponentSettings(fn: string, at: string, mu: unknown, lambda: unknown, options: unknown) {
  const m = checkMu(fn, `${at}mu`, mu);
  const l = check.learningRate(fn, `${at}lambda`, lambda);
  const o = check.options(fn, options as SaddleNetworkExponentOptions | undefined, `${at}options`);
  const d = check.integerInRange(fn, `${at}options.dimension`, o.dimension ?? 200);
  const h = check.integerInRange(fn, `${at}options.hidden`, o.hidden ?? d);
  const act = checkActivation(fn, `${at}options.activation`, o.activation ?? "linear");
  if (act === "relu") {
    throw new RangeError(
      `Invalid ${at}options.activation in ${fn}: expected "linear", "tanh" or "swish"; received "relu" (relu has no ` +
        `derivative at 0: near the saddle only units with (Wx)ᵢ > 0 get a gradient, a gated map, not the linear ` +
        `map with σ′(0⁺) = 1, which is the linear network's saddle).`,
    );
  }
  const sigma = check.learningRate(fn, `${at}options.noiseStd`, o.noiseStd ?? 2);
  const S = check.integerInRange(fn, `${at}options.batchSize`, o.batchSize ?? 1);
  const reduction = check.oneOf(fn, `${at}options.reduction`, o.reduction ?? "sum", ["sum", "mean"] as const);
  const steps = check.integerInRange(fn, `${at}options.steps`, o.steps ?? 5000);
  const transient = check.integerInRange(fn, `${at}options.transient`, o.transient ?? 500, 0);
  const runs = check.integerInRange(fn, `${at}options.runs`, o.runs ?? 2, 2);
  const seed = check.seed(fn, `${at}options.seed`, o.seed ?? 0);
  return { m, l, d, h, act, sigma, S, reduction, steps, transient, runs, seed };
}

/**
 * The maximal Lyapunov exponent of SGD at the origin of f(x) = U σ(W x) with loss ½‖f(x) − y‖², x ~ N(0, I_d), y = μx +
 * (1 − μ)ε, ε ~ N(0, σ²I), fresh samples each step (§4.4). Linearized at W = U = 0 (with c = σ′(0)): W ← W + (λc/S)·Σ_b
 * Uᵀy_b x_bᵀ and U ← U + (λc/S)·Σ_b y_b (W x_b)ᵀ — a random linear map on the 2hd weights. Its top exponent (per step,
 * of the weights' norm) decides whether SGD converges to the saddle (< 0) or escapes it (> 0); the 1-D theory of Prop.
 * 2 replaces the 2hd-dimensional product by scalars.
 *
 * Method: power iteration on (W, U) with renormalization every step, summing log norms after a transient (Benettin with
 * one vector); each step costs 4·S·h·d multiply–adds thanks to the rank-one structure.
 *
 * relu is rejected. Its one-sided derivatives at 0 are 0 and 1, and near W = 0 a hidden unit i passes a gradient only
 * while (W x)ᵢ > 0: the first-order dynamics is the gated map W ← W + λ·diag(1[W x > 0])·Uᵀy xᵀ, U ← U + λ·y·relu(W
 * x)ᵀ, whose gates depend on the direction of W — not the linear map above with c = 1 (that is the linear network's
 * saddle). Modelling it needs the gated half-spaces and a validation against simulations started near the saddle, which
 * this function does not do.
 *
 * @example Without noise the saddle is escaped; with strong noise and a large λ it attracts
 * ```ts
 * import { saddleNetworkExponent } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const clean = saddleNetworkExponent(1, 0.05, { dimension: 10, steps: 2000, seed: 1 });
 * assert.ok(clean.exponent > 0);
 * ```
 *
 * @param mu The signal fraction μ ∈ [0, 1].
 * @param lambda The learning rate λ ≥ 0.
 * @param options Sizes, activation, noise, batch size, steps, runs, seed.
 * @returns The exponent and its standard error across runs.
 */
export function saddleNetworkExponent(
  mu: number,
  lambda: number,
  options: SaddleNetworkExponentOptions = {},
): { exponent: number; standardError: number } {
  const { m, l, d, h, act, sigma, S, reduction, steps, transient, runs, seed } = saddleNetworkExponentSettings(
    "saddleNetworkExponent",
    "",
    mu,
    lambda,
    options,
  );
  const c = activationValues(act, 0)[1];
  const step = (l * c * (reduction === "sum" ? 1 : 2 / d)) / S;
  const per: number[] = [];
  const W = new Float64Array(h * d);
  const U = new Float64Array(d * h);
  const W0 = new Float64Array(h * d);
  const U0 = new Float64Array(d * h);
  const x = new Float64Array(d);
  const y = new Float64Array(d);
  const uy = new Float64Array(h);
  const wx = new Float64Array(h);
  for (let r = 0; r < runs; r++) {
    const rng = Rng.stream(seed, r);
    let n2 = 0;
    for (let i = 0; i < W.length; i++) n2 += (W[i] = rng.normal()) ** 2;
    for (let i = 0; i < U.length; i++) n2 += (U[i] = rng.normal()) ** 2;
    let norm = Math.sqrt(n2);
    for (let i = 0; i < W.length; i++) W[i] /= norm;
    for (let i = 0; i < U.length; i++) U[i] /= norm;
    let acc = 0;
    for (let t = 0; t < transient + steps; t++) {
      W0.set(W);
      U0.set(U);
      for (let b = 0; b < S; b++) {
        for (let i = 0; i < d; i++) {
          const xi = rng.normal();
          x[i] = xi;
          y[i] = m * xi + (1 - m) * sigma * rng.normal();
        }
        // uy = U0ᵀ y (h), wx = W0 x (h), from the weights before the step.
        uy.fill(0);
        for (let k = 0; k < d; k++) {
          const yk = y[k];
          const o2 = k * h;
          for (let i = 0; i < h; i++) uy[i] += U0[o2 + i] * yk;
        }
        for (let i = 0; i < h; i++) {
          let s = 0;
          const o2 = i * d;
          for (let j = 0; j < d; j++) s += W0[o2 + j] * x[j];
          wx[i] = s;
        }
        for (let i = 0; i < h; i++) {
          const a = step * uy[i];
          const o2 = i * d;
          for (let j = 0; j < d; j++) W[o2 + j] += a * x[j];
        }
        for (let k = 0; k < d; k++) {
          const a = step * y[k];
          const o2 = k * h;
          for (let i = 0; i < h; i++) U[o2 + i] += a * wx[i];
        }
      }
      n2 = 0;
      for (let i = 0; i < W.length; i++) n2 += W[i] * W[i];
      for (let i = 0; i < U.length; i++) n2 += U[i] * U[i];
      norm = Math.sqrt(n2);
      if (t >= transient) acc += Math.log(norm);
      for (let i = 0; i < W.length; i++) W[i] /= norm;
      for (let i = 0; i < U.length; i++) U[i] /= norm;
    }
    per.push(acc / steps);
  }
  const mean = per.reduce((a, b) => a + b, 0) / runs;
  const sd = Math.sqrt(per.reduce((a, b) => a + (b - mean) ** 2, 0) / (runs - 1));
  return { exponent: mean, standardError: sd / Math.sqrt(runs) };
}

/**
 * Where SGD ends up on a one-neuron network, started at a given solution, as the learning rate grows (§4.3, Figure 5),
 * and the log-distance of scalar trajectories to a point (Figure 1(a)).
 *
 * @module
 */

import { activationValues } from "./activations.ts";
import type { Trajectories } from "../stability/linear_regression_sgd.ts";
import {
  parseScalarModel,
  type ScalarModel,
  type ScalarTrajectories,
  simulateScalarNetworkSGD,
} from "./scalar_network.ts";
import * as check from "../core/validate.ts";

/** A named point (u, w) of a one-neuron network: a minimum or a saddle. */
export interface NamedPoint {
  /** The name, e.g. "A". */
  name: string;
  /** Its u. */
  u: number;
  /** Its w. */
  w: number;
  /**
   * A run is assigned to this point only if it ends within `radius` of it (e.g. 10⁻³ for "converged to the saddle"); a
   * run whose nearest point is farther than that point's radius counts as "elsewhere".
   * @default Infinity
   */
  radius?: number;
}

/** Options of {@linkcode solutionSelectionSweep}. */
export interface SolutionSelectionOptions {
  /** SGD steps per run. @default 5000 */
  steps?: number;
  /** Runs (seeds) per learning rate. @default 100 */
  trajectories?: number;
  /** The batch size. @default 1 */
  batchSize?: number;
  /** Runs ending farther than this from the origin (or non-finite) count as diverged. @default 1000 */
  divergence?: number;
  /** The seed; learning rate j uses `${seed}/${j}`. @default 0 */
  seed?: number | string;
}

/** The outcome of {@linkcode solutionSelectionSweep}. */
export interface SolutionSelectionSweep {
  /** The learning rates. */
  lambdas: Float64Array;
  /** The classes: the names of the points, then "elsewhere", then "diverged". */
  classes: string[];
  /** The fraction of runs ending nearest each class: `fractions[j * classes.length + c]`. */
  fractions: Float64Array;
  /** Per learning rate, the median test loss of the final points (∞ when at least half diverged). */
  medianTestLoss: Float64Array;
  /** Per learning rate, the 25th percentile of the test losses. */
  lowerTestLoss: Float64Array;
  /** Per learning rate, the 75th percentile of the test losses. */
  upperTestLoss: Float64Array;
  /** The final u of each run: `finalU[j * runs + k]` (NaN or ±∞ where it diverged). */
  finalU: Float64Array;
  /** The final w of each run. */
  finalW: Float64Array;
  /** The number of runs per learning rate. */
  runs: number;
}

/** ½·mean over a dataset of (u σ(w x) − y)². Internal; the data are validated by the caller. */
function datasetLoss(model: ScalarModel, u: number, w: number, s: Float64Array): number {
  const { x, y } = model;
  let t = 0;
  for (let i = 0; i < x.length; i++) {
    const e = u * activationValues(model.activation, w * x[i], s)[0] - y[i];
    t += e * e;
  }
  return t / (2 * x.length);
}

function quantile(sorted: Float64Array, q: number): number {
  const p = q * (sorted.length - 1);
  const i = Math.floor(p);
  const f = p - i;
  if (i + 1 >= sorted.length) return sorted[sorted.length - 1];
  if (f === 0) return sorted[i];
  const a = sorted[i], b = sorted[i + 1];
  return b === Infinity ? Infinity : a + f * (b - a);
}

/**
 * For each learning rate, runs SGD on a one-neuron network f = u σ(w x) (eq. 1, batches with replacement) from a fixed
 * start, many seeds, and reports where the runs end — the nearest of the named points (minima, saddles; within the
 * point's `radius` if it has one, else "elsewhere") or "diverged" — and the test loss of the final parameters on
 * held-out data (Figure 5, middle and right).
 *
 * @example A linear one-neuron model started at a minimum stays there at a small learning rate
 * ```ts
 * import { solutionSelectionSweep } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const model = { x: [1, -1, 2], y: [1, -1, 2], activation: "linear" as const };
 * const points = [{ name: "A", u: 1, w: 1 }, { name: "C", u: 0, w: 0 }];
 * const r = solutionSelectionSweep(model, model, [1, 1], points, [0.05], { steps: 200, trajectories: 5 });
 * assert.equal(r.fractions[0], 1); // all runs end at A
 * ```
 *
 * @param model The training data and activation.
 * @param test The held-out data for the test loss (its activation must be the model's).
 * @param start The starting (u, w).
 * @param points The named points the final parameters are assigned to (the nearest, Euclidean in (u, w), if within its `radius`).
 * @param lambdas The learning rates.
 * @param options Steps, runs, batch size, divergence radius, seed.
 * @returns Fractions per class and test-loss quantiles per learning rate.
 */
export function solutionSelectionSweep(
  model: ScalarModel,
  test: ScalarModel,
  start: [number, number],
  points: ReadonlyArray<NamedPoint>,
  lambdas: ArrayLike<number>,
  options: SolutionSelectionOptions = {},
): SolutionSelectionSweep {
  const fn = "solutionSelectionSweep";
  const parsed = parseScalarModel(fn, model);
  const held = parseScalarModel(fn, test, "test");
  if (held.act !== parsed.act) {
    throw new RangeError(
      `Invalid test.activation in ${fn}: expected the model's activation ${JSON.stringify(parsed.act)}; received ${
        JSON.stringify(held.act)
      }.`,
    );
  }
  if (!Array.isArray(start) || start.length !== 2) {
    throw new TypeError(`Invalid start in ${fn}: expected [u, w]; received ${check.describe(start)}.`);
  }
  const u0 = check.finiteNumber(fn, "start[0]", start[0]);
  const w0 = check.finiteNumber(fn, "start[1]", start[1]);
  if (!Array.isArray(points) || points.length === 0) {
    throw new RangeError(
      `Invalid points in ${fn}: expected a non-empty array of { name, u, w }; received ${check.describe(points)}.`,
    );
  }
  const radii = points.map((p, i) => {
    check.finiteNumber(fn, `points[${i}].u`, p?.u);
    check.finiteNumber(fn, `points[${i}].w`, p?.w);
    if (p.radius === undefined) return Infinity;
    if (typeof p.radius !== "number" || !(p.radius > 0)) { // Infinity (the default) is allowed: any distance
      throw new RangeError(
        `Invalid points[${i}].radius in ${fn}: expected a number > 0; received ${check.describe(p.radius)}.`,
      );
    }
    return p.radius;
  });
  const ls = check.finiteArray(fn, "lambdas", lambdas);
  ls.forEach((l, j) => check.learningRate(fn, `lambdas[${j}]`, l));
  const o = check.options(fn, options);
  const steps = check.integerInRange(fn, "options.steps", o.steps ?? 5000);
  const K = check.integerInRange(fn, "options.trajectories", o.trajectories ?? 100);
  const S = check.integerInRange(fn, "options.batchSize", o.batchSize ?? 1);
  const far = check.positiveNumber(fn, "options.divergence", o.divergence ?? 1000);
  const seed = check.seed(fn, "options.seed", o.seed ?? 0);
  const classes = [...points.map((p) => p.name), "elsewhere", "diverged"];
  const C = classes.length;
  const fractions = new Float64Array(ls.length * C);
  const med = new Float64Array(ls.length), lo = new Float64Array(ls.length), hi = new Float64Array(ls.length);
  const s = new Float64Array(3);
  const finalU = new Float64Array(ls.length * K), finalW = new Float64Array(ls.length * K);
  const testModel = { ...test, activation: model.activation };
  ls.forEach((l, j) => {
    const run = simulateScalarNetworkSGD(model, l, {
      steps,
      trajectories: K,
      batchSize: S,
      seed: `${seed}/${j}`,
      start: [u0, w0],
      recordEvery: steps,
    });
    const R = run.times.length;
    const losses = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      const u = run.u[k * R + R - 1], w = run.w[k * R + R - 1];
      finalU[j * K + k] = u;
      finalW[j * K + k] = w;
      let c = C - 1;
      if (Number.isFinite(u) && Number.isFinite(w) && Math.hypot(u, w) <= far) {
        let best = Infinity;
        points.forEach((p, i) => {
          const dist = Math.hypot(u - p.u, w - p.w);
          if (dist < best) [best, c] = [dist, i];
        });
        if (best > radii[c]) c = C - 2; // nearest point, but not within its radius: elsewhere
        losses[k] = datasetLoss(testModel, u, w, s);
      } else losses[k] = Infinity;
      fractions[j * C + c] += 1 / K;
    }
    losses.sort();
    med[j] = quantile(losses, 0.5);
    lo[j] = quantile(losses, 0.25);
    hi[j] = quantile(losses, 0.75);
  });
  return {
    lambdas: ls,
    classes,
    fractions,
    medianTestLoss: med,
    lowerTestLoss: lo,
    upperTestLoss: hi,
    finalU,
    finalW,
    runs: K,
  };
}

/**
 * The log-distance log‖(uₜ, wₜ) − (u*, w*)‖ of scalar-network trajectories to a point, as Part III's {@linkcode
 * Trajectories} (so {@linkcode plotTrajectories} and {@linkcode distanceExponent} apply): for the saddle at the origin
 * this is the quantity whose slope is the Lyapunov exponent (Figure 1(a2)).
 *
 * @example
 * ```ts
 * import { distanceToPoint } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const run = { times: Float64Array.of(0, 1), trajectories: 1, u: Float64Array.of(3, 0), w: Float64Array.of(4, 1) };
 * const d = distanceToPoint(run, 0, 0);
 * assert.ok(Math.abs(d.values[0] - Math.log(5)) < 1e-15 && d.values[1] === 0);
 * ```
 *
 * Diverged trajectories: {@linkcode simulateScalarNetworkSGD} keeps NaN or ±∞ in u and w once a trajectory overflowed,
 * so NaN in `run.u` or `run.w` is not bad input: such a point is infinitely far, and its log-distance is +∞ (which
 * {@linkcode distanceExponent} and {@linkcode convergedFraction} count as diverged). The result never holds NaN.
 *
 * @example A diverged trajectory is at distance +∞
 * ```ts
 * import { distanceToPoint } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const run = { times: Float64Array.of(0, 1), trajectories: 1, u: Float64Array.of(1, NaN), w: Float64Array.of(0, NaN) };
 * assert.deepEqual(Array.from(distanceToPoint(run, 0, 0).values), [0, Infinity]);
 * ```
 *
 * @param run Trajectories from {@linkcode simulateScalarNetworkSGD} (NaN or ±∞ in u or w marks a diverged trajectory).
 * @param u The point's u.
 * @param w The point's w.
 * @returns The log-distances per trajectory and time (−∞ at the point itself, +∞ where a run diverged).
 */
export function distanceToPoint(run: ScalarTrajectories, u: number, w: number): Trajectories {
  const fn = "distanceToPoint";
  check.object(fn, "run", run);
  if (!(run.times instanceof Float64Array)) {
    throw new TypeError(`Invalid run.times in ${fn}: expected a Float64Array; received ${check.describe(run.times)}.`);
  }
  check.finiteArray(fn, "run.times", run.times);
  const K = check.integerInRange(fn, "run.trajectories", run.trajectories);
  for (const key of ["u", "w"] as const) {
    // The values may hold NaN or ±∞ (a diverged trajectory): only their kind and length are checked.
    if (!(run[key] instanceof Float64Array)) {
      throw new TypeError(
        `Invalid run.${key} in ${fn}: expected a Float64Array (of simulateScalarNetworkSGD); received ${
          check.describe(run[key])
        }.`,
      );
    }
    if (run[key].length !== K * run.times.length) {
      throw new RangeError(
        `Invalid run.${key} in ${fn}: expected ${K} × ${run.times.length} values; received ${run[key].length}.`,
      );
    }
  }
  const pu = check.finiteNumber(fn, "u", u);
  const pw = check.finiteNumber(fn, "w", w);
  const values = Float64Array.from(run.u, (ut, i) => {
    const wt = run.w[i];
    return Number.isFinite(ut) && Number.isFinite(wt) ? Math.log(Math.hypot(ut - pu, wt - pw)) : Infinity;
  });
  return { times: run.times, trajectories: run.trajectories, values };
}

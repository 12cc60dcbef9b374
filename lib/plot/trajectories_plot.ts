/**
 * SGD trajectories on a log scale, with the typical trajectory that the Lyapunov exponent predicts.
 *
 * @module
 */

import { type Markish, Plot } from "../core/deps.ts";
import type { Trajectories } from "../stability/linear_regression_sgd.ts";
import * as check from "../core/validate.ts";
import { mergeOptions, type PassThroughOptions } from "./render/options.ts";
import type { Figure } from "./render/svg.ts";

/** Options of {@linkcode plotTrajectories}. */
export interface TrajectoriesPlotOptions extends PassThroughOptions {
  /** The Lyapunov exponent m: draws the predicted typical trajectory log|v₀| + m·t (red dashed). */
  exponent?: number;
  /** At most this many trajectories are drawn (the first ones). @default 50 */
  maxTrajectories?: number;
  /** log₁₀|v| values below this (including exact zeros, −∞) are drawn at it. @default -17 */
  floor?: number;
}

/**
 * log₁₀|wₜ − w*| against t for the trajectories of {@linkcode simulateInterpolatingSGD} (thin lines), with the median
 * over all trajectories (black) and, given the exponent m, the prediction log₁₀|v₀| + m·t/ln 10 (red dashed) that
 * typical trajectories follow (eq. 12). Any `Plot.plot` option is passed through.
 *
 * @example Trajectories at a stable learning rate
 * ```ts
 * import { lyapunovExponent, plotTrajectories, simulateInterpolatingSGD } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const h = [0.3, 1, 1.6];
 * const run = simulateInterpolatingSGD(h, 0.8, { steps: 100, trajectories: 20, seed: 3 });
 * const figure = plotTrajectories(run, { exponent: lyapunovExponent(h, 0.8) });
 * assert.match(figure.outerHTML, /<path/);
 * ```
 *
 * @param run Log-distances from {@linkcode simulateInterpolatingSGD} (−∞ allowed, NaN refused).
 * @param options The exponent for the prediction, how many trajectories to draw, the floor, Plot options.
 * @returns A Plot figure.
 */
export function plotTrajectories(
  run: Trajectories,
  options: TrajectoriesPlotOptions = {},
): Figure {
  const fn = "plotTrajectories";
  if (run !== null && typeof run === "object") check.trajectories(fn, "run", run);
  if (
    run === null || typeof run !== "object" ||
    !(run.values instanceof Float64Array)
  ) {
    throw new TypeError(
      `Invalid run in ${fn}: expected the result of simulateInterpolatingSGD; received ${check.describe(run)}.`,
    );
  }
  // Log-distances: −∞ (an exact zero) is drawn at the floor; NaN is not a distance and is refused.
  check.float64Array(fn, "run.values", run.values);
  check.object(fn, "options", options); // pass-through Plot options may hold null
  const { exponent, maxTrajectories = 50, floor = -17, ...plotOptions } = options;
  check.integerInRange(fn, "options.maxTrajectories", maxTrajectories);
  check.finiteNumber(fn, "options.floor", floor);
  const R = run.times.length;
  const drawn = Math.min(run.trajectories, maxTrajectories);
  const lines: Array<{ t: number; y: number; k: number }> = [];
  for (let k = 0; k < drawn; k++) {
    for (let j = 0; j < R; j++) {
      lines.push({
        t: run.times[j],
        y: Math.max(run.values[k * R + j] / Math.LN10, floor),
        k,
      });
    }
  }
  const median = Array.from(run.times, (t, j) => {
    const column = new Float64Array(run.trajectories);
    for (let k = 0; k < run.trajectories; k++) {
      column[k] = run.values[k * R + j];
    }
    column.sort();
    const mid = run.trajectories >> 1;
    const med = run.trajectories % 2 ? column[mid] : (column[mid - 1] + column[mid]) / 2;
    return { t, y: Math.max(med / Math.LN10, floor) };
  });
  const marks: Markish[] = [
    Plot.line(lines, {
      x: "t",
      y: "y",
      z: "k",
      stroke: "#0072B2",
      strokeOpacity: 0.25,
      strokeWidth: 1,
    }),
    Plot.line(median, { x: "t", y: "y", stroke: "black", strokeWidth: 2 }),
  ];
  if (exponent !== undefined) {
    const m = check.finiteNumber(fn, "options.exponent", exponent);
    const start = run.values[0];
    const predicted = Array.from(
      run.times,
      (t) => ({ t, y: Math.max((start + m * t) / Math.LN10, floor) }),
    );
    marks.push(
      Plot.line(predicted, {
        x: "t",
        y: "y",
        stroke: "#D55E00",
        strokeDasharray: "6,4",
        strokeWidth: 2,
      }),
    );
  }
  return Plot.plot(mergeOptions({
    width: 640,
    height: 360,
    x: { label: "step t →" },
    y: { label: "↑ log₁₀|wₜ − w*|" },
    marks,
  }, plotOptions));
}

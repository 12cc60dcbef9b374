/**
 * Figure 6: the typical rate e^{2m} against the mean square ⟨|wₜ − w*|²⟩, over the trajectories.
 *
 * @module
 */

import { type Markish, Plot } from "../core/deps.ts";
import type { Trajectories } from "../stability/linear_regression_sgd.ts";
import { distanceExponent } from "../lyapunov/trajectory_exponents.ts";
import * as check from "../core/validate.ts";
import { mergeOptions, type PassThroughOptions } from "./render/options.ts";
import type { Figure } from "./render/svg.ts";

/** Options of {@linkcode plotMeanVsTypical}. */
export interface MeanVsTypicalPlotOptions extends PassThroughOptions {
  /** At most this many trajectories are drawn (light blue). @default 200 */
  maxTrajectories?: number;
  /** log₁₀ values below this (exact zeros included) are drawn at it. @default -17 */
  floor?: number;
}

/**
 * Figure 6 (App. B.1): log₁₀|wₜ − w*|² of each trajectory of {@linkcode simulateInterpolatingSGD} (thin light blue),
 * e^{m_w(t)} = e^{E log|wₜ − w*|²} (the typical rate, "e^{2m}", black) and the mean square ⟨|wₜ − w*|²⟩ (red, dashed),
 * all on a log scale. At a small learning rate the two curves agree; above λ_DS the mean square grows while e^{2m} and
 * most trajectories decay. Any `Plot.plot` option passes through.
 *
 * @example A learning rate above λ_DS
 * ```ts
 * import { plotMeanVsTypical, simulateInterpolatingSGD } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const run = simulateInterpolatingSGD([0.2, 1, 3], 0.6, { steps: 100, trajectories: 200, seed: 1 });
 * assert.match(plotMeanVsTypical(run).outerHTML, /<path/);
 * ```
 *
 * @param run Log-distances from {@linkcode simulateInterpolatingSGD} (−∞ allowed, NaN refused).
 * @param options How many trajectories to draw, the floor, and Plot options.
 * @returns A Plot figure.
 */
export function plotMeanVsTypical(run: Trajectories, options: MeanVsTypicalPlotOptions = {}): Figure {
  const fn = "plotMeanVsTypical";
  check.trajectories(fn, "run", run);
  // Log-distances: −∞ (an exact zero) is drawn at the floor; NaN is not a distance and is refused.
  check.float64Array(fn, "run.values", run.values);
  check.object(fn, "options", options); // pass-through Plot options may hold null
  const { maxTrajectories = 200, floor = -17, ...plotOptions } = options;
  check.integerInRange(fn, "options.maxTrajectories", maxTrajectories);
  check.finiteNumber(fn, "options.floor", floor);
  const est = distanceExponent(run);
  const R = run.times.length;
  const clip = (v: number) => Math.max(v, floor);
  const lines: Array<{ t: number; y: number; k: number }> = [];
  for (let k = 0; k < Math.min(run.trajectories, maxTrajectories); k++) {
    for (let j = 0; j < R; j++) lines.push({ t: run.times[j], y: clip((2 * run.values[k * R + j]) / Math.LN10), k });
  }
  const typical = Array.from(run.times, (t, j) => ({ t, y: clip(est.mean[j] / Math.LN10) }));
  const meanSquare = Array.from(run.times, (t, j) => {
    // log10 of the mean of e^{2 log|v|}, computed stably around the column's largest term.
    let top = -Infinity;
    for (let k = 0; k < run.trajectories; k++) top = Math.max(top, 2 * run.values[k * R + j]);
    if (top === -Infinity) return { t, y: floor };
    let s = 0;
    for (let k = 0; k < run.trajectories; k++) s += Math.exp(2 * run.values[k * R + j] - top);
    return { t, y: clip((top + Math.log(s / run.trajectories)) / Math.LN10) };
  });
  const marks: Markish[] = [
    Plot.line(lines, { x: "t", y: "y", z: "k", stroke: "#56B4E9", strokeOpacity: 0.3, strokeWidth: 1 }),
    Plot.line(typical, { x: "t", y: "y", stroke: "black", strokeWidth: 2.5 }),
    Plot.line(meanSquare, { x: "t", y: "y", stroke: "#D55E00", strokeWidth: 2.5, strokeDasharray: "6,4" }),
  ];
  return Plot.plot(mergeOptions({
    width: 640,
    height: 360,
    x: { label: "step t →" },
    y: { label: "↑ log₁₀|wₜ − w*|²" },
    caption: "Light blue: trajectories. Black: e^{2m} = e^{E log|w − w*|²}. Red dashed: the mean square ⟨|w − w*|²⟩.",
    marks,
  }, plotOptions));
}

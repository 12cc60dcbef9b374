/**
 * A log–log survival plot with reference power laws, for heavy-tailed stationary distributions (App. A.3).
 *
 * @module
 */

import { Plot } from "../core/deps.ts";
import * as check from "../core/validate.ts";
import { OKABE_ITO } from "./render/legend_rows.ts";
import { mergeOptions, type PassThroughOptions } from "./render/options.ts";
import type { Figure } from "./render/svg.ts";

/** Options of {@linkcode plotSurvival}. */
export interface SurvivalPlotOptions extends PassThroughOptions {
  /** Reference tail indices κ, drawn as lines s^{−κ} through the empirical curve at its `anchor` quantile. */
  references?: Record<string, number>;
  /** The upper quantile at which the reference lines meet the empirical survival. @default 0.01 */
  anchor?: number;
}

/**
 * The empirical survival function P(|X| > s) of a sample on log–log axes (a power-law tail is a straight line of slope
 * −κ), with reference lines s^{−κ} for named tail indices (e.g. the Kesten–Goldie κ, a Hill estimate, the paper's
 * bound). Any `Plot.plot` option passes through.
 *
 * @example A Pareto sample
 * ```ts
 * import { plotSurvival } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const x = Array.from({ length: 1000 }, (_, i) => ((i + 0.5) / 1000) ** -0.5);
 * assert.match(plotSurvival(x, { references: { "κ = 2": 2 } }).outerHTML, /κ = 2/);
 * ```
 *
 * @param values The sample (absolute values are used; zeros are dropped).
 * @param options Reference indices, the anchor quantile, and Plot options.
 * @returns A Plot figure.
 */
export function plotSurvival(values: ArrayLike<number>, options: SurvivalPlotOptions = {}): Figure {
  const fn = "plotSurvival";
  const v = check.finiteArray(fn, "values", values);
  check.object(fn, "options", options);
  if (options.references !== undefined) {
    check.object(fn, "options.references", options.references);
    for (const [k, r] of Object.entries(options.references)) check.finiteNumber(fn, `options.references.${k}`, r);
  }
  if (options.anchor !== undefined) check.positiveNumber(fn, "options.anchor", options.anchor);
  const { references = {}, anchor = 0.01, ...plotOptions } = options;
  const abs = Float64Array.from(v, Math.abs).filter((a) => a > 0).sort().reverse();
  const n = v.length;
  if (abs.length < 2) {
    throw new RangeError(`Invalid values in ${fn}: expected at least 2 non-zero values; received ${abs.length}.`);
  }
  // Thin to about 2000 points, evenly in log-rank.
  const points: Array<{ s: number; p: number }> = [];
  let last = -1;
  for (let i = 0; i < abs.length; i++) {
    const r = Math.floor(Math.log(i + 1) * 300);
    if (r !== last || i === abs.length - 1) points.push({ s: abs[i], p: (i + 1) / n });
    last = r;
  }
  const ia = Math.min(abs.length - 1, Math.max(0, Math.round(anchor * n) - 1));
  const s0 = abs[ia], p0 = (ia + 1) / n;
  const sMax = abs[0];
  const lines = Object.entries(references).filter(([, k]) => Number.isFinite(k) && k > 0).flatMap(([name, k]) =>
    [s0, sMax].map((s) => ({ s, p: p0 * Math.pow(s / s0, -k), name: `${name} (κ = ${k.toPrecision(3)})` }))
  );
  return Plot.plot(mergeOptions({
    width: 640,
    height: 380,
    x: { type: "log", label: "s →" },
    y: { type: "log", label: "↑ P(|X| > s)" },
    color: { legend: lines.length > 0, range: [...OKABE_ITO.slice(3), ...OKABE_ITO.slice(0, 3)] },
    marks: [
      Plot.dot(points, { x: "s", y: "p", r: 1.5, fill: "black" }),
      Plot.line(lines, { x: "s", y: "p", z: "name", stroke: "name", strokeWidth: 2, strokeDasharray: "6,3" }),
    ],
  }, plotOptions));
}

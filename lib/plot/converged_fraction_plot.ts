/**
 * The empirical probability of convergence P(|wₜ − w*| < ε) against t, for several settings.
 *
 * @module
 */

import { Plot } from "../core/deps.ts";
import * as check from "../core/validate.ts";
import { OKABE_ITO } from "./render/legend_rows.ts";
import { mergeOptions, type PassThroughOptions } from "./render/options.ts";
import type { Figure } from "./render/svg.ts";

/** One curve of {@linkcode plotConvergedFraction}. */
export interface ConvergedFractionSeries {
  /** The legend label, e.g. `"λ = 1.2, m = −0.31"`. */
  label: string;
  /** The recorded steps. */
  times: ArrayLike<number>;
  /** The fraction of trajectories with |vₜ| < ε at each step ({@linkcode convergedFraction}). */
  fraction: ArrayLike<number>;
}

/**
 * Lines of P(|wₜ − w*| < ε) against t, one per series, colored by label: by Prop. 1 they tend to 1 when m < 0 and to 0
 * when m > 0. Any `Plot.plot` option is passed through.
 *
 * @example Two settings
 * ```ts
 * import { plotConvergedFraction } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const times = [0, 10, 20];
 * const figure = plotConvergedFraction([
 *   { label: "stable", times, fraction: [0, 0.6, 0.9] },
 *   { label: "unstable", times, fraction: [0, 0.1, 0.05] },
 * ]);
 * assert.match(figure.outerHTML, /stable/);
 * ```
 *
 * @param series The curves.
 * @param options Plot options.
 * @returns A Plot figure.
 */
export function plotConvergedFraction(
  series: ReadonlyArray<ConvergedFractionSeries>,
  options: PassThroughOptions = {},
): Figure {
  const fn = "plotConvergedFraction";
  if (!Array.isArray(series) || series.length === 0) {
    throw new RangeError(
      `Invalid series in ${fn}: expected a non-empty array of curves; received ${check.describe(series)}.`,
    );
  }
  check.object(fn, "options", options); // pass-through Plot options may hold null
  const rows = series.flatMap((s, i) => {
    check.object(fn, `series[${i}]`, s);
    const times = check.finiteArray(fn, `series[${i}].times`, s.times);
    const fraction = check.finiteArray(fn, `series[${i}].fraction`, s.fraction);
    check.sameLength(
      fn,
      `series[${i}].fraction`,
      fraction,
      times,
      `series[${i}].times`,
    );
    return Array.from(times, (t, j) => ({ t, p: fraction[j], label: s.label }));
  });
  return Plot.plot(mergeOptions({
    width: 640,
    height: 320,
    x: { label: "step t →" },
    y: { label: "↑ P(|wₜ − w*| < ε)", domain: [0, 1] },
    color: { legend: true, domain: series.map((s) => s.label), range: [...OKABE_ITO] },
    marks: [
      Plot.ruleY([0, 1], { stroke: "#ccc" }),
      Plot.line(rows, { x: "t", y: "p", stroke: "label", strokeWidth: 2 }),
    ],
  }, options));
}

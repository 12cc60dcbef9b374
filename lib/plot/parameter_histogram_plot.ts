/**
 * Histograms of one-neuron parameters before and after training (the inset of Figure 1(a2)).
 *
 * @module
 */

import { Plot } from "../core/deps.ts";
import type { ScalarTrajectories } from "../networks/scalar_network.ts";
import * as check from "../core/validate.ts";
import { mergeOptions, type PassThroughOptions } from "./render/options.ts";
import type { Figure } from "./render/svg.ts";

/**
 * Histograms of u and w over the trajectories of {@linkcode simulateScalarNetworkSGD} at the first and the last
 * recorded step (faceted by parameter; "before" and "after" overlaid), the inset of Figure 1(a2): convergence to the
 * saddle in probability shows as the "after" mass piling up at 0. Runs that left [−`limit`, `limit`] are counted in the
 * outermost bins. Any `Plot.plot` option passes through.
 *
 * @example
 * ```ts
 * import { plotParameterHistograms, simulateScalarNetworkSGD } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const run = simulateScalarNetworkSGD({ x: [1, -1], y: [1, -1], activation: "tanh" }, 0.1, { steps: 50, trajectories: 20 });
 * assert.match(plotParameterHistograms(run).outerHTML, /after/);
 * ```
 *
 * @param run The trajectories.
 * @param options `limit` (the range shown, default 2) and Plot options.
 * @returns A Plot figure.
 */
export function plotParameterHistograms(
  run: ScalarTrajectories,
  options: PassThroughOptions & { limit?: number } = {},
): Figure {
  const fn = "plotParameterHistograms";
  if (run === null || typeof run !== "object") {
    throw new TypeError(
      `Invalid run in ${fn}: expected the result of simulateScalarNetworkSGD; received ${check.describe(run)}.`,
    );
  }
  check.finiteArray(fn, "run.times", run.times);
  const K = check.integerInRange(fn, "run.trajectories", run.trajectories);
  // Diverged trajectories hold NaN (plotted at the clip limit): only the kind and the length are checked.
  for (const key of ["u", "w"] as const) {
    if (!(run[key] instanceof Float64Array)) {
      throw new TypeError(
        `Invalid run.${key} in ${fn}: expected a Float64Array; received ${check.describe(run[key])}.`,
      );
    }
    if (run[key].length !== K * run.times.length) {
      throw new RangeError(
        `Invalid run.${key} in ${fn}: expected a Float64Array of ${K} × ${run.times.length} values; received ${
          check.describe(run[key])
        }.`,
      );
    }
  }
  check.object(fn, "options", options); // pass-through Plot options may hold null
  const { limit = 2, ...plotOptions } = options;
  const L = check.positiveNumber(fn, "options.limit", limit);
  const R = run.times.length;
  const clip = (v: number) => (Number.isNaN(v) ? L : Math.max(-L, Math.min(L, v)));
  const rows: Array<{ value: number; when: string; parameter: string }> = [];
  for (let k = 0; k < run.trajectories; k++) {
    for (const [j, when] of [[0, "before"], [R - 1, "after"]] as const) {
      rows.push({ value: clip(run.u[k * R + j]), when, parameter: "u" });
      rows.push({ value: clip(run.w[k * R + j]), when, parameter: "w" });
    }
  }
  return Plot.plot(mergeOptions({
    width: 640,
    height: 260,
    fx: { label: null },
    x: { label: "value", domain: [-L, L] },
    y: { label: "↑ runs", grid: true },
    color: { domain: ["before", "after"], range: ["#9ecae1", "#D55E00"], legend: true },
    marks: [
      Plot.rectY(
        rows,
        Plot.binX({ y2: "count" }, {
          x: "value",
          fx: "parameter",
          fill: "when",
          mixBlendMode: "multiply",
          fillOpacity: 0.7,
          thresholds: 40,
          domain: [-L, L],
        } as never),
      ),
      Plot.ruleY([0]),
    ],
  }, plotOptions));
}

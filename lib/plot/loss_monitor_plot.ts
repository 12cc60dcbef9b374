/**
 * The robust loss e^{m_L} against the mean loss, from a {@linkcode RobustLossMonitor}.
 *
 * @module
 */

import * as check from "../core/validate.ts";
import { Plot } from "../core/deps.ts";
import type { LossReading } from "../lyapunov/loss_monitor.ts";
import { mergeOptions, type PassThroughOptions } from "./render/options.ts";
import type { Figure } from "./render/svg.ts";

/**
 * The raw minibatch losses (grey dots), the running mean loss (red) and the robust loss e^{m_L} (black) of a {@linkcode
 * RobustLossMonitor}'s readings, on a log scale. A long run (more than 2,000 readings) is thinned per column of the plot
 * (600 columns): each column keeps its first, lowest and highest loss and the lowest and highest of each curve, so the
 * spikes and the envelope survive while the SVG stays small (a 20,000-step run would otherwise weigh over a megabyte).
 * Any `Plot.plot` option passes through.
 *
 * @example A decaying loss with rare spikes
 * ```ts
 * import { plotLossMonitor, RobustLossMonitor } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const m = new RobustLossMonitor({ window: 10 });
 * for (let t = 1; t <= 50; t++) m.push(1 / t + (t % 17 === 0 ? 10 : 0));
 * assert.match(plotLossMonitor(m.readings()).outerHTML, /<path/);
 * ```
 *
 * @param readings The monitor's readings.
 * @param options Plot options.
 * @returns A Plot figure.
 */
export function plotLossMonitor(readings: ReadonlyArray<LossReading>, options: PassThroughOptions = {}): Figure {
  if (!Array.isArray(readings) || readings.length === 0) {
    throw new RangeError(
      `Invalid readings in plotLossMonitor: expected a non-empty array of readings; received ${typeof readings}.`,
    );
  }
  readings.forEach((r, i) => {
    // The losses pushed are finite (RobustLossMonitor.push refuses others); the mean log loss is −∞ while a zero loss
    // is in the window.
    check.fields("plotLossMonitor", `readings[${i}]`, r, {
      step: "count",
      loss: "finite",
      meanLoss: "finite",
      meanLogLoss: "number",
      robustLoss: "finite",
    });
    if (r.meanLogLoss === Infinity) {
      throw new RangeError(
        `Invalid readings[${i}].meanLogLoss in plotLossMonitor: expected a finite number or -Infinity; received Infinity.`,
      );
    }
  });
  check.object("plotLossMonitor", "options", options); // pass-through Plot options may hold null
  const positive = thinPerColumn(readings.filter((r) => r.loss > 0), (r) => r.loss, true);
  const series = (["mean loss", "e^{m_L} (robust)"] as const).flatMap((curve) =>
    thinPerColumn(
      readings.map((r) => ({ step: r.step, value: curve === "mean loss" ? r.meanLoss : r.robustLoss, curve }))
        .filter((d) => d.value > 0),
      (d) => d.value,
      false,
    )
  );
  return Plot.plot(mergeOptions({
    width: 640,
    height: 360,
    x: { label: "step →" },
    y: { type: "log", label: "↑ loss" },
    color: { legend: true, domain: ["mean loss", "e^{m_L} (robust)"], range: ["#D55E00", "black"] },
    marks: [
      Plot.dot(positive, { x: "step", y: "loss", r: 1, fill: "#bbb" }),
      Plot.line(series, { x: "step", y: "value", stroke: "curve", strokeWidth: 2 }),
    ],
  }, options));
}

/** The number of columns a long run is thinned to, and the length from which it is. */
const COLUMNS = 600, DENSE = 2000;

/**
 * At most `DENSE` rows as they are; beyond, per column of steps: the lowest and highest `value` (and, with `first`, the
 * column's first row), in step order, so that a line through them keeps its spikes.
 */
function thinPerColumn<T extends { step: number }>(rows: T[], value: (r: T) => number, first: boolean): T[] {
  if (rows.length <= DENSE) return rows;
  const lo = rows[0].step, span = Math.max(rows[rows.length - 1].step - lo, 1);
  const out: T[] = [];
  let column = -1, keep: T[] = [];
  const flush = () => {
    out.push(...[...new Set(keep)].sort((a, b) => a.step - b.step));
    keep = [];
  };
  let min: T | undefined, max: T | undefined;
  for (const r of rows) {
    const c = Math.min(COLUMNS - 1, Math.floor(((r.step - lo) / span) * COLUMNS));
    if (c !== column) {
      if (min && max) keep.push(min, max);
      flush();
      column = c;
      min = max = r;
      if (first) keep.push(r);
      continue;
    }
    if (value(r) < value(min!)) min = r;
    if (value(r) > value(max!)) max = r;
  }
  if (min && max) keep.push(min, max);
  flush();
  return out;
}

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

/** Above this many readings the figure is thinned by min–max decimation. */
const MAX_POINTS = 1000;
/** The number of step bins of the decimation (about one per pixel column of the default width). */
const BINS = 500;

/**
 * Min–max decimation: the items split into `bins` equal ranges of `x`, and in each the item with the lowest and the
 * one with the highest `y`, in their original order. Spikes and the envelope stay visible; at most 2 × bins items.
 */
function minMaxDecimate<T>(items: readonly T[], x: (d: T) => number, y: (d: T) => number, bins: number): T[] {
  if (items.length <= 2 * bins) return items.slice();
  let lo = Infinity, hi = -Infinity;
  for (const d of items) {
    lo = Math.min(lo, x(d));
    hi = Math.max(hi, x(d));
  }
  const width = (hi - lo) / bins || 1;
  const keepMin = new Map<number, number>();
  const keepMax = new Map<number, number>();
  items.forEach((d, i) => {
    const b = Math.min(bins - 1, Math.floor((x(d) - lo) / width));
    const a = keepMin.get(b);
    if (a === undefined || y(d) < y(items[a])) keepMin.set(b, i);
    const c = keepMax.get(b);
    if (c === undefined || y(d) > y(items[c])) keepMax.set(b, i);
  });
  const keep = new Set([...keepMin.values(), ...keepMax.values()]);
  return items.filter((_, i) => keep.has(i));
}

/**
 * The raw minibatch losses (grey dots), the running mean loss (red) and the robust loss e^{m_L} (black) of a {@linkcode
 * RobustLossMonitor}'s readings, on a log scale. Any `Plot.plot` option passes through.
 *
 * Above 1,000 readings the figure is thinned so that its SVG stays small (one dot per reading made a 1.9 MB figure
 * for 100,000 steps): the steps are split into 500 equal bins, and in each bin only the lowest and the highest raw
 * loss, and the lowest and highest value of each curve, are drawn (min–max decimation), so spikes and the range of
 * every series stay visible.
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
  readings.forEach((r, i) =>
    check.fields("plotLossMonitor", `readings[${i}]`, r, {
      step: "count",
      loss: "number",
      meanLoss: "number",
      meanLogLoss: "number",
      robustLoss: "number",
    })
  );
  const thin = readings.length > MAX_POINTS;

  const positive = readings.filter((r) => r.loss > 0);
  const dots = thin ? minMaxDecimate(positive, (d) => d.step, (d) => d.loss, BINS) : positive;
  const curve = (name: string, value: (r: LossReading) => number) => {
    const points = readings.map((r) => ({ step: r.step, value: value(r), curve: name })).filter((d) => d.value > 0);
    return thin ? minMaxDecimate(points, (d) => d.step, (d) => d.value, BINS) : points;
  };
  const series = [...curve("mean loss", (r) => r.meanLoss), ...curve("e^{m_L} (robust)", (r) => r.robustLoss)];
  return Plot.plot(mergeOptions({
    width: 640,
    height: 360,
    x: { label: "step →" },
    y: { type: "log", label: "↑ loss" },
    color: { legend: true, domain: ["mean loss", "e^{m_L} (robust)"], range: ["#d62728", "black"] },
    marks: [
      Plot.dot(dots, { x: "step", y: "loss", r: 1, fill: "#bbb" }),
      Plot.line(series, { x: "step", y: "value", stroke: "curve", strokeWidth: 2 }),
    ],
  }, options));
}

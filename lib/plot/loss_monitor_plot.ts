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
 * RobustLossMonitor}'s readings, on a log scale. Any `Plot.plot` option passes through.
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
  const positive = readings.filter((r) => r.loss > 0);
  const series = readings.flatMap((r) => [
    { step: r.step, value: r.meanLoss, curve: "mean loss" },
    { step: r.step, value: r.robustLoss, curve: "e^{m_L} (robust)" },
  ]).filter((d) => d.value > 0);
  return Plot.plot(mergeOptions({
    width: 640,
    height: 360,
    x: { label: "step →" },
    y: { type: "log", label: "↑ loss" },
    color: { legend: true, domain: ["mean loss", "e^{m_L} (robust)"], range: ["#d62728", "black"] },
    marks: [
      Plot.dot(positive, { x: "step", y: "loss", r: 1, fill: "#bbb" }),
      Plot.line(series, { x: "step", y: "value", stroke: "curve", strokeWidth: 2 }),
    ],
  }, options));
}

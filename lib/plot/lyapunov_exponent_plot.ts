/**
 * The Lyapunov exponent m(λ) against the learning rate, with linear-stability thresholds and critical learning rates
 * marked.
 *
 * @module
 */

import { Plot } from "../core/deps.ts";
import * as check from "../core/validate.ts";
import { mergeOptions, type PassThroughOptions } from "./render/options.ts";
import type { Figure } from "./render/svg.ts";

/** A sampled curve m(λ). */
export interface LyapunovCurve {
  /** The learning rates. */
  lambdas: ArrayLike<number>;
  /** m at each learning rate (may be `-Infinity`). */
  m: ArrayLike<number>;
}

/** Options of {@linkcode plotLyapunovExponent}. */
export interface LyapunovExponentPlotOptions extends PassThroughOptions {
  /** Labelled vertical dashed rules, e.g. `{ "λ_GD": 0.4, "λ_DS": 0.24 }`. @default {} */
  thresholds?: Record<string, number>;
  /** Critical learning rates 1/xᵢ², drawn as orange ticks on the zero line. @default [] */
  criticalRates?: ArrayLike<number>;
  /**
   * Values of m below this are drawn at it (m → −∞ at critical rates). @default 1.25 × the smallest finite sampled m,
   * within [−5, −0.1]
   */
  floor?: number;
  /**
   * Exact stable intervals to shade (e.g. from {@linkcode stabilityWindows}), so that windows narrower than the
   * sampling show. @default the sampled points where m < 0
   */
  windows?: ReadonlyArray<readonly [number, number]>;
}

/**
 * m(λ) (eq. 7) as a line, the stable region m < 0 shaded yellow (the sampled points, or exact `windows`), the zero
 * line, labelled threshold rules (λ_GD, λ_DS, λ_SS, …) and the critical learning rates 1/xᵢ² where m = −∞. Any
 * `Plot.plot` option is passed through.
 *
 * @example m(λ) for three points
 * ```ts
 * import { criticalLearningRates, lambdaGD, linspace, lyapunovExponent, plotLyapunovExponent } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const x = [0.5, 1, 2];
 * const lambdas = linspace(0, 5, 200);
 * const m = lambdas.map((l) => lyapunovExponent(x.map((v) => v * v), l));
 * const figure = plotLyapunovExponent({ lambdas, m }, {
 *   thresholds: { "λ_GD": lambdaGD(x) },
 *   criticalRates: criticalLearningRates(x),
 * });
 * assert.match(figure.outerHTML, /λ_GD/);
 * ```
 *
 * @param curve The sampled m(λ).
 * @param options Thresholds, critical rates, display floor, and Plot options.
 * @returns A Plot figure.
 */
export function plotLyapunovExponent(
  curve: LyapunovCurve,
  options: LyapunovExponentPlotOptions = {},
): Figure {
  const fn = "plotLyapunovExponent";
  const lambdas = check.finiteArray(fn, "curve.lambdas", curve?.lambdas);
  check.numbers(fn, "curve.m", curve.m);
  if (!curve.m || curve.m.length !== lambdas.length) {
    throw new RangeError(
      `Invalid curve.m in ${fn}: expected ${lambdas.length} values, one per learning rate; received ${
        check.describe(curve.m)
      }.`,
    );
  }
  // Plot's pass-through options may hold null, so only this helper's own options are checked.
  check.object(fn, "options", options);
  if (options.thresholds !== undefined) {
    check.object(fn, "options.thresholds", options.thresholds);
    for (const [k, v] of Object.entries(options.thresholds)) check.finiteNumber(fn, `options.thresholds.${k}`, v);
  }
  if (options.criticalRates !== undefined) check.numbers(fn, "options.criticalRates", options.criticalRates);
  if (options.floor !== undefined) check.finiteNumber(fn, "options.floor", options.floor);
  if (options.windows !== undefined) {
    if (!Array.isArray(options.windows)) {
      throw new TypeError(
        `Invalid options.windows in ${fn}: expected an array of [start, end] pairs; received ${
          check.describe(options.windows)
        }.`,
      );
    }
    options.windows.forEach((w, i) => check.numbers(fn, `options.windows[${i}]`, w, 2));
  }
  const { thresholds = {}, criticalRates = [], windows, floor: floorOption, ...plotOptions } = options;
  let lowest = 0;
  for (let i = 0; i < lambdas.length; i++) if (Number.isFinite(curve.m[i])) lowest = Math.min(lowest, curve.m[i]);
  const floor = floorOption ?? Math.min(-0.1, Math.max(-5, 1.25 * lowest));
  const data = Array.from(lambdas, (lambda, i) => {
    const m = curve.m[i];
    return { lambda, m: Math.max(m, floor), stable: m < 0 ? 0 : NaN };
  });
  const top = data.reduce(
    (t, d) => (Number.isFinite(d.m) ? Math.max(t, d.m) : t),
    0,
  );
  const [lo, hi] = [lambdas[0], lambdas[lambdas.length - 1]];
  const rates = Array.from(criticalRates).filter((r) => r >= lo && r <= hi);
  const rules = Object.entries(thresholds)
    .filter(([, v]) => Number.isFinite(v) && v >= lo && v <= hi)
    .map(([label, value]) => ({ label, value }));
  return Plot.plot(mergeOptions({
    width: 640,
    height: 360,
    x: { label: "learning rate λ →" },
    y: {
      label: "↑ m = E log|1 − λh|",
      domain: [floor, Math.max(0.1 * Math.abs(floor), top) * 1.05],
    },
    marks: [
      windows
        ? Plot.rectX(windows.filter(([a, b]) => b >= lo && a <= hi), {
          x1: (w: readonly [number, number]) => Math.max(w[0], lo),
          x2: (w: readonly [number, number]) => Math.min(w[1], hi),
          y1: floor,
          y2: 0,
          fill: "#fde725",
          fillOpacity: 0.5,
          insetLeft: -0.5,
          insetRight: -0.5,
        })
        : Plot.areaY(data, { x: "lambda", y1: floor, y2: "stable", fill: "#fde725", fillOpacity: 0.5 }),
      Plot.ruleY([0], { stroke: "#888" }),
      Plot.ruleX(rates, {
        x: (d: number) => d,
        y1: floor,
        y2: 0.05 * Math.abs(floor),
        stroke: "#E69F00",
        strokeOpacity: 0.6,
      }),
      Plot.line(data, { x: "lambda", y: "m", stroke: "black" }),
      Plot.ruleX(rules, {
        x: "value",
        stroke: "#D55E00",
        strokeDasharray: "5,3",
      }),
      Plot.text(rules, {
        x: "value",
        frameAnchor: "top",
        text: "label",
        dy: -2,
        dx: 3,
        textAnchor: "start",
        fill: "#D55E00",
      }),
    ],
  }, plotOptions));
}

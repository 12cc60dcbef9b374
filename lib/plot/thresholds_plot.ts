/**
 * The linear-stability thresholds against the batch size, derived and as printed.
 *
 * @module
 */

import { Plot } from "../core/deps.ts";
import { lambdaDS, lambdaGD, lambdaSS } from "../stability/linear_stability.ts";
import { printedLambdaDS } from "../stability/printed_formulas.ts";
import * as check from "../core/validate.ts";
import { mergeOptions, type PassThroughOptions } from "./render/options.ts";
import type { Figure } from "./render/svg.ts";

/** Options of {@linkcode plotThresholdsByBatchSize}. */
export interface ThresholdsPlotOptions extends PassThroughOptions {
  /** The batch sizes S. @default 1, 2, …, 64 */
  batchSizes?: ArrayLike<number>;
  /** Also draw the paper's printed eqs. (4)/(21) and (22). @default true */
  showPrinted?: boolean;
}

/**
 * λ_GD, the derived λ_DS(S), λ_SS(S) and (optionally) the printed forms of eqs. (4)/(21) and (22), against the batch
 * size S on a log axis: λ_DS and λ_SS rise to λ_GD as S → ∞, and the printed forms part from the derivation from S = 2
 * on. Any `Plot.plot` option is passed through.
 *
 * @example Gaussian-like data
 * ```ts
 * import { plotThresholdsByBatchSize, randomNormal } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const figure = plotThresholdsByBatchSize(randomNormal(1000, { seed: 2 }));
 * assert.match(figure.outerHTML, /eq\. 22/);
 * ```
 *
 * @param x The inputs xᵢ. Non-empty, finite, not all 0.
 * @param options Batch sizes, whether to draw the printed forms, and Plot options.
 * @returns A Plot figure.
 */
export function plotThresholdsByBatchSize(
  x: ArrayLike<number>,
  options: ThresholdsPlotOptions = {},
): Figure {
  const fn = "plotThresholdsByBatchSize";
  const data = check.finiteArray(fn, "x", x);
  check.object(fn, "options", options); // pass-through Plot options may hold null
  if (options.batchSizes !== undefined) check.finiteArray(fn, "options.batchSizes", options.batchSizes);
  if (options.showPrinted !== undefined) check.boolean(fn, "options.showPrinted", options.showPrinted);
  const {
    batchSizes = Array.from({ length: 64 }, (_, i) => i + 1),
    showPrinted = true,
    ...plotOptions
  } = options;
  const sizes = Array.from(
    batchSizes,
    (s, i) => check.integerInRange(fn, `options.batchSizes[${i}]`, s),
  );
  const gd = lambdaGD(data);
  const rows = sizes.flatMap((S) => {
    const r = [
      { S, lambda: gd, curve: "λ_GD = 2/E[x²]" },
      { S, lambda: lambdaDS(data, S), curve: "λ_DS derived" },
      { S, lambda: lambdaSS(data, S), curve: "λ_SS" },
    ];
    if (showPrinted) {
      r.push({
        S,
        lambda: printedLambdaDS(data, S, "4"),
        curve: "λ_DS printed eq. 4/21",
      });
      r.push({
        S,
        lambda: printedLambdaDS(data, S, "22"),
        curve: "λ_DS printed eq. 22",
      });
    }
    return r;
  });
  const domain = [...new Set(rows.map((r) => r.curve))];
  return Plot.plot(mergeOptions({
    width: 640,
    height: 360,
    x: { type: "log", label: "batch size S →" },
    y: { label: "↑ largest stable learning rate" },
    color: {
      legend: true,
      domain,
      range: ["#7f7f7f", "#0072B2", "#009E73", "#D55E00", "#E69F00"].slice(
        0,
        domain.length,
      ),
    },
    marks: [
      Plot.line(rows.filter((r) => !r.curve.includes("printed")), {
        x: "S",
        y: "lambda",
        stroke: "curve",
        strokeWidth: 2,
      }),
      Plot.line(rows.filter((r) => r.curve.includes("printed")), {
        x: "S",
        y: "lambda",
        stroke: "curve",
        strokeWidth: 2,
        strokeDasharray: "5,3",
      }),
    ],
  }, plotOptions));
}

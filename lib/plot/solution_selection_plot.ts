/**
 * Where SGD ends up as the learning rate grows (§4.3, Figure 5 middle and right).
 *
 * @module
 */

import { type Markish, Plot } from "../core/deps.ts";
import type { SolutionSelectionSweep } from "../networks/solution_selection.ts";
import * as check from "../core/validate.ts";
import { keyMarginTop, type KeyRow, topKey } from "./render/legend_rows.ts";
import { mergeOptions, type PassThroughOptions } from "./render/options.ts";
import type { Figure } from "./render/svg.ts";

/** A predicted test loss as a function of the learning rate (a step function; ∞ where divergence is predicted). */
export interface SelectionPrediction {
  /** The theory's name, e.g. "linear stability". */
  label: string;
  /** The learning rates. */
  lambdas: ArrayLike<number>;
  /** The predicted test loss at each (Infinity: divergence). */
  testLoss: ArrayLike<number>;
}

/** Options of {@linkcode plotSolutionSelection}. */
export interface SolutionSelectionPlotOptions extends PassThroughOptions {
  /** Predictions drawn as dashed step lines. @default [] */
  predictions?: SelectionPrediction[];
  /** Infinite (diverged) test losses are drawn at this value, labelled "diverged". @default 1.1 × the largest finite value */
  ceiling?: number;
}

/**
 * The test loss of the final parameters against the learning rate, from {@linkcode solutionSelectionSweep} (median with
 * the interquartile band; runs that diverged count as ∞ and are drawn at the ceiling), with the most common endpoint
 * labelled where it changes and theories' predictions as dashed step lines (Figure 5, middle and right). Any
 * `Plot.plot` option passes through.
 *
 * @example
 * ```ts
 * import { plotSolutionSelection, solutionSelectionSweep } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const model = { x: [1, -1, 2], y: [1, -1, 2], activation: "linear" as const };
 * const points = [{ name: "A", u: 1, w: 1 }, { name: "C", u: 0, w: 0 }];
 * const sweep = solutionSelectionSweep(model, model, [1, 1], points, [0.05, 0.1], { steps: 100, trajectories: 5 });
 * assert.match(plotSolutionSelection(sweep).outerHTML, /test loss/);
 * ```
 *
 * @param sweep The sweep.
 * @param options Predictions, the ceiling, Plot options.
 * @returns A Plot figure.
 */
export function plotSolutionSelection(
  sweep: SolutionSelectionSweep,
  options: SolutionSelectionPlotOptions = {},
): Figure {
  const fn = "plotSolutionSelection";
  if (sweep !== null && typeof sweep === "object") {
    check.fields(fn, "sweep", sweep, {
      lambdas: "finites",
      fractions: "numbers",
      // The test losses are +∞ where runs diverged; the final parameters NaN or ±∞ there (not drawn).
      medianTestLoss: "numbers",
      lowerTestLoss: "numbers",
      upperTestLoss: "numbers",
      finalU: "any-numbers",
      finalW: "any-numbers",
      runs: "integer",
    });
  }
  if (sweep === null || typeof sweep !== "object" || !(sweep.medianTestLoss instanceof Float64Array)) {
    throw new TypeError(
      `Invalid sweep in ${fn}: expected the result of solutionSelectionSweep; received ${check.describe(sweep)}.`,
    );
  }
  if (!Array.isArray(sweep.classes) || sweep.classes.length === 0) {
    throw new TypeError(
      `Invalid sweep.classes in ${fn}: expected a non-empty array of class names; received ${
        check.describe(sweep.classes)
      }.`,
    );
  }
  sweep.classes.forEach((c, i) => {
    if (typeof c !== "string") {
      throw new TypeError(`Invalid sweep.classes[${i}] in ${fn}: expected a string; received ${check.describe(c)}.`);
    }
  });
  const J = sweep.lambdas.length;
  check.sameLength(fn, "sweep.medianTestLoss", sweep.medianTestLoss, sweep.lambdas, "sweep.lambdas");
  check.sameLength(fn, "sweep.lowerTestLoss", sweep.lowerTestLoss, sweep.lambdas, "sweep.lambdas");
  check.sameLength(fn, "sweep.upperTestLoss", sweep.upperTestLoss, sweep.lambdas, "sweep.lambdas");
  if (sweep.fractions.length !== J * sweep.classes.length) {
    throw new RangeError(
      `Invalid sweep.fractions in ${fn}: expected sweep.lambdas.length × sweep.classes.length = ${
        J * sweep.classes.length
      } values; received ${sweep.fractions.length}.`,
    );
  }
  check.object(fn, "options", options); // pass-through Plot options may hold null
  if (options.ceiling !== undefined) check.positiveNumber(fn, "options.ceiling", options.ceiling);
  if (options.predictions !== undefined && !Array.isArray(options.predictions)) {
    throw new TypeError(
      `Invalid options.predictions in ${fn}: expected an array of { label, lambdas, testLoss }; received ${
        check.describe(options.predictions)
      }.`,
    );
  }
  (options.predictions ?? []).forEach((p, i) => {
    const path = `options.predictions[${i}]`;
    check.object(fn, path, p);
    const ls = check.finiteArray(fn, `${path}.lambdas`, p.lambdas);
    // A predicted test loss is +∞ where the theory predicts divergence.
    check.numbers(fn, `${path}.testLoss`, p.testLoss, ls.length);
  });
  const { predictions = [], ceiling, ...plotOptions } = options;
  const finite = [
    ...sweep.medianTestLoss,
    ...sweep.lowerTestLoss,
    ...sweep.upperTestLoss,
    ...predictions.flatMap((p) => Array.from(p.testLoss)),
  ].filter(Number.isFinite);
  const top = ceiling ?? 1.02 * Math.max(...finite);
  const cap = (v: number) => (Number.isFinite(v) ? v : top);
  const C = sweep.classes.length;
  const rows = Array.from(sweep.lambdas, (lambda, j) => {
    let best = 0;
    for (let c = 1; c < C; c++) if (sweep.fractions[j * C + c] > sweep.fractions[j * C + best]) best = c;
    return {
      lambda,
      median: cap(sweep.medianTestLoss[j]),
      lower: cap(sweep.lowerTestLoss[j]),
      upper: cap(sweep.upperTestLoss[j]),
      cls: sweep.classes[best],
      label: `${sweep.classes[best]} ${Math.round(100 * sweep.fractions[j * C + best])}%`,
    };
  });
  // Label the most common endpoint where it changes (and at the first learning rate).
  const labelled = rows.filter((r, j) => j === 0 || r.cls !== rows[j - 1].cls);
  const marks: Markish[] = [
    Plot.ruleY([top], { stroke: "#999", strokeDasharray: "2,3" }),
    Plot.text([{ x: sweep.lambdas[sweep.lambdas.length - 1], y: top }], {
      x: "x",
      y: "y",
      text: () => "diverged (∞)",
      dy: -8,
      textAnchor: "end",
      fill: "#666",
    }),
    Plot.areaY(rows, { x: "lambda", y1: "lower", y2: "upper", fill: "#0072B2", fillOpacity: 0.2 }),
    Plot.line(rows, { x: "lambda", y: "median", stroke: "#0072B2", strokeWidth: 2 }),
    Plot.dot(rows, { x: "lambda", y: "median", fill: "#0072B2", r: 3 }),
  ];
  const strokes = ["#D55E00", "black", "#009E73", "#CC79A7"];
  const key: KeyRow[] = [];
  predictions.forEach((p, i) => {
    const ls = check.finiteArray(fn, `options.predictions[${i}].lambdas`, p.lambdas);
    const pts = Array.from(ls, (lambda, j) => ({ lambda, y: cap(p.testLoss[j]), theory: p.label }));
    marks.push(
      Plot.line(pts, {
        x: "lambda",
        y: "y",
        stroke: strokes[i % strokes.length],
        strokeDasharray: "6,4",
        strokeWidth: 1.5,
        curve: "step",
      }),
    );
    key.push({ label: p.label, color: strokes[i % strokes.length], kind: "line", dash: "6,4" });
  });
  // The predictions' key in the top margin, dark on white.
  marks.push(topKey(key));
  marks.push(
    // Below each labelled point, starting at it (the first one sits on the y axis), on a white halo.
    Plot.text(labelled, {
      x: "lambda",
      y: "median",
      text: "label",
      dy: 12,
      dx: 3,
      textAnchor: "start",
      fontSize: 10,
      fill: "#222",
      stroke: "white",
      strokeWidth: 3,
    }),
  );
  return Plot.plot(mergeOptions({
    width: 560,
    height: 360 + keyMarginTop(key.length) - keyMarginTop(0),
    marginTop: keyMarginTop(key.length),
    x: { label: "learning rate λ →", type: "log", tickFormat: "~g" },
    // Room under the lowest point for its label, above the x axis.
    y: { label: "↑ test loss of the final parameters", insetBottom: 16 },
    marks,
  }, plotOptions));
}

/**
 * Phase diagrams as Plot figures: a raster of the five phases with a discrete legend, and the boundaries m₋ = 0, m₊ = 0
 * and E(1 − λχ̄)² = 1 as lines.
 *
 * @module
 */

import * as check from "../core/validate.ts";
import { type Markish, Plot } from "../core/deps.ts";
import type { PhaseDiagram } from "../saddle/phase_diagrams.ts";
import { SADDLE_PHASE_NAMES, SADDLE_PHASES } from "../saddle/saddle_exponents.ts";
import { contourLines } from "./render/contour_lines.ts";
import { type GridAxis, gridAxis, gridRaster } from "./render/grid_axis.ts";
import { mergeOptions, type PassThroughOptions } from "./render/options.ts";
import type { Figure } from "./render/svg.ts";

/** The colors of the phases Ia, Ib, II, III, IV. */
export const PHASE_COLORS: readonly string[] = ["#a6cee3", "#1f78b4", "#fb9a99", "#ffd92f", "#3b3b3b"];

/** Options of {@linkcode plotPhaseDiagram}. */
export interface PhaseDiagramPlotOptions extends PassThroughOptions {
  /** Draw the boundaries m₋ = 0 (solid), m₊ = 0 (dashed) and E(1 − λχ̄)² = 1 (dotted). @default true */
  boundaries?: boolean;
}

/** Maps a fractional grid index to data coordinates along an axis. */
function toData(axis: GridAxis, values: Float64Array, f: number): number {
  const n = values.length;
  if (axis.type === "linear") return values[0] + (f * (values[n - 1] - values[0])) / (n - 1);
  return values[0] * Math.pow(values[n - 1] / values[0], f / (n - 1));
}

/**
 * A phase diagram ({@linkcode twoPointPhaseDiagram}, {@linkcode gaussianPhaseDiagram}, {@linkcode
 * gaussianBatchPhaseDiagram}, {@linkcode finitePhaseDiagram}) as a figure: learning rate across, the row parameter up
 * (log scale when its grid is geometric), the phases as one raster image with a discrete legend naming them, and the
 * phase boundaries as lines computed by marching squares on the exponents: m₋ = E log|1 − λχ̄| = 0 (solid), m₊ = E
 * log|1 + λχ̄| = 0 (dashed) and E(1 − λχ̄)² = 1 (dotted, dark red). A 400 × 400 diagram is one embedded PNG and a few
 * paths. Any `Plot.plot` option passes through.
 *
 * @example Figure 1(b) on a small grid
 * ```ts
 * import { figureToSvg, linspace, plotPhaseDiagram, twoPointPhaseDiagram } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const d = twoPointPhaseDiagram({ lambdas: linspace(0.02, 3, 60), as: linspace(-1, 3, 40) });
 * const svg = figureToSvg(plotPhaseDiagram(d, { title: "Figure 1(b)" }));
 * assert.match(svg, /converges to the low-rank saddle/);
 * ```
 *
 * @param diagram The phase diagram.
 * @param options Whether to draw the boundaries, and Plot options.
 * @returns A Plot figure.
 */
export function plotPhaseDiagram(diagram: PhaseDiagram, options: PhaseDiagramPlotOptions = {}): Figure {
  const fn = "plotPhaseDiagram";
  if (diagram !== null && typeof diagram === "object") {
    check.fields(fn, "diagram", diagram, {
      lambdas: "finites",
      rows: "finites",
      minus: "numbers",
      plus: "numbers",
      meanSquare: "numbers",
    });
  }
  if (diagram === null || typeof diagram !== "object") {
    throw new TypeError(`Invalid diagram in ${fn}: expected a phase diagram; received ${check.describe(diagram)}.`);
  }
  if (!(diagram.phase instanceof Uint8Array)) {
    throw new TypeError(
      `Invalid diagram.phase in ${fn}: expected a Uint8Array of phase indices; received ${
        check.describe(diagram.phase)
      }.`,
    );
  }
  const cells = diagram.lambdas.length * diagram.rows.length;
  for (const key of ["phase", "minus", "plus", "meanSquare"] as const) {
    if (diagram[key].length !== cells) {
      throw new RangeError(
        `Invalid diagram.${key} in ${fn}: expected diagram.lambdas.length × diagram.rows.length = ${cells} values; ` +
          `received ${diagram[key].length}.`,
      );
    }
  }
  const unknown = diagram.phase.findIndex((p) => p >= SADDLE_PHASES.length);
  if (unknown >= 0) {
    throw new RangeError(
      `Invalid diagram.phase in ${fn}: expected phase indices from 0 to ${SADDLE_PHASES.length - 1}; received ${
        diagram.phase[unknown]
      } at index ${unknown}.`,
    );
  }
  check.object(fn, "options", options); // pass-through Plot options may hold null
  if (options.boundaries !== undefined) check.boolean(fn, "options.boundaries", options.boundaries);
  const { boundaries = true, ...plotOptions } = options;
  const xAxis = gridAxis(fn, "diagram.lambdas", diagram.lambdas);
  const yAxis = gridAxis(fn, "diagram.rows", diagram.rows);
  const W = diagram.lambdas.length;
  const H = diagram.rows.length;
  const names = SADDLE_PHASES.map((p) => SADDLE_PHASE_NAMES[p]);
  const labels = Array.from(diagram.phase, (p) => names[p]);
  const marks: Markish[] = [
    gridRaster(labels, diagram.lambdas, diagram.rows, xAxis, yAxis),
  ];
  if (boundaries) {
    const levels: Array<[Float64Array, number, string, string | undefined]> = [
      [diagram.minus, 0, "black", undefined],
      [diagram.plus, 0, "black", "6,3"],
      [diagram.meanSquare, 1, "#8b0000", "2,2"],
    ];
    for (const [field, level, stroke, strokeDasharray] of levels) {
      const rows = contourLines(field, W, H, level).flatMap((line, id) =>
        line.map(([i, j]) => ({ id, x: toData(xAxis, diagram.lambdas, i), y: toData(yAxis, diagram.rows, j) }))
      );
      if (rows.length) {
        marks.push(Plot.line(rows, { x: "x", y: "y", z: "id", stroke, strokeWidth: 1.5, strokeDasharray }));
      }
    }
  }
  return Plot.plot(mergeOptions({
    width: 640,
    height: 440,
    marginLeft: 50,
    x: { label: "learning rate λ →", domain: xAxis.edges, type: xAxis.type },
    y: { label: `↑ ${diagram.rowName}`, domain: yAxis.edges, type: yAxis.type },
    color: { domain: names, range: [...PHASE_COLORS], legend: true },
    caption: boundaries
      ? "Lines: E log|1 − λχ̄| = 0 (solid), E log|1 + λχ̄| = 0 (dashed), E(1 − λχ̄)² = 1 (dotted)."
      : undefined,
    marks,
  }, plotOptions));
}

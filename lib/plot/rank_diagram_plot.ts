/**
 * The rank of trained networks over (λ, μ), with theoretical boundaries on top (Figures 7–8).
 *
 * @module
 */

import { type Markish, Plot } from "../core/deps.ts";
import * as check from "../core/validate.ts";
import { contourLines } from "./render/contour_lines.ts";
import { gridAxis } from "./render/grid_axis.ts";
import { keyMarginTop, type KeyRow, RAMP_MARGINS, topKey } from "./render/legend_rows.ts";
import { mergeOptions, type PassThroughOptions } from "./render/options.ts";
import type { Figure } from "./render/svg.ts";

/** Ranks on a (λ, μ) grid: `values[r * lambdas.length + k]` at (lambdas[k], mus[r]); NaN marks a diverged run. */
export interface RankDiagram {
  /** The learning rates (columns), evenly spaced. */
  lambdas: ArrayLike<number>;
  /** The signal fractions μ (rows), evenly spaced. */
  mus: ArrayLike<number>;
  /** The rank (or effective rank) per cell; NaN where training diverged. */
  values: ArrayLike<number>;
  /** The full rank (the color scale's top). */
  maxRank: number;
}

/** A level line of a field on its own (λ, μ) grid, e.g. the 1-D theory's max(m₊, m₋) = 0. */
export interface RankBoundary {
  /** The legend label. */
  label: string;
  /** The field's learning rates (columns), evenly spaced. */
  lambdas: ArrayLike<number>;
  /** The field's μ values (rows), evenly spaced. */
  mus: ArrayLike<number>;
  /** The field, row-major. */
  values: ArrayLike<number>;
  /** The level drawn. @default 0 */
  level?: number;
  /** The line color (drawn over a white halo, so that it reads on any cell). @default "#D55E00" (vermillion) */
  stroke?: string;
  /** The dash pattern. @default "6,3" */
  strokeDasharray?: string;
}

/** Options of {@linkcode plotRankDiagram}. */
export interface RankDiagramPlotOptions extends PassThroughOptions {
  /** Boundaries drawn as lines. @default [] */
  boundaries?: RankBoundary[];
  /** The name of the row variable in the tooltips (Part V's rows are the label noise). @default "μ" */
  rowName?: string;
}

/**
 * A heatmap of the rank of the trained last layer over (λ, μ) — yellow full rank, darker lower, grey where training
 * diverged — with theoretical boundaries (e.g. where the 1-D saddle of Prop. 2 becomes attractive) drawn as dashed
 * lines on a white halo (Figures 7–8). A key in the top margin names the grey cells and the lines, dark on white; a
 * grid of at most 8 values is ticked at its values. Any `Plot.plot` option passes through.
 *
 * @example
 * ```ts
 * import { plotRankDiagram } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const d = { lambdas: [0.1, 0.2], mus: [0.1, 0.9], values: [5, NaN, 10, 10], maxRank: 10 };
 * assert.match(plotRankDiagram(d).outerHTML, /diverged/);
 * ```
 *
 * @param diagram The ranks on a grid.
 * @param options Boundaries and Plot options.
 * @returns A Plot figure.
 */
export function plotRankDiagram(diagram: RankDiagram, options: RankDiagramPlotOptions = {}): Figure {
  const fn = "plotRankDiagram";
  if (diagram === null || typeof diagram !== "object") {
    throw new TypeError(
      `Invalid diagram in ${fn}: expected { lambdas, mus, values, maxRank }; received ${check.describe(diagram)}.`,
    );
  }
  check.object(fn, "options", options); // pass-through Plot options may hold null
  const { boundaries = [], rowName = "μ", ...plotOptions } = options;
  const ls = check.finiteArray(fn, "diagram.lambdas", diagram.lambdas);
  const ms = check.finiteArray(fn, "diagram.mus", diagram.mus);
  const xa = gridAxis(fn, "diagram.lambdas", ls), ya = gridAxis(fn, "diagram.mus", ms);
  // NaN marks a diverged run (drawn grey).
  check.fields(fn, "diagram", diagram, { values: "any-numbers" });
  if (!Array.isArray(boundaries)) {
    throw new TypeError(
      `Invalid options.boundaries in ${fn}: expected an array of { label, lambdas, mus, values }; received ${
        check.describe(boundaries)
      }.`,
    );
  }
  boundaries.forEach((b, n) => {
    const path = `options.boundaries[${n}]`;
    check.fields(fn, path, b, { values: "numbers" });
    if (b.level !== undefined) check.finiteNumber(fn, `${path}.level`, b.level);
  });
  const values = Float64Array.from(diagram.values as ArrayLike<number>);
  if (values.length !== ls.length * ms.length) {
    throw new RangeError(
      `Invalid diagram.values in ${fn}: expected ${ls.length * ms.length} values; received ${values.length}.`,
    );
  }
  const maxRank = check.positiveNumber(fn, "diagram.maxRank", diagram.maxRank);
  const dx = (xa.edges[1] - xa.edges[0]) / ls.length, dy = (ya.edges[1] - ya.edges[0]) / ms.length;
  const cells = Array.from(values, (v, i) => {
    const lambda = ls[i % ls.length], mu = ms[Math.floor(i / ls.length)];
    return { x1: lambda - dx / 2, x2: lambda + dx / 2, y1: mu - dy / 2, y2: mu + dy / 2, v, lambda, mu };
  });
  const marks: Markish[] = [
    Plot.rect(cells.filter((c) => Number.isFinite(c.v)), {
      x1: "x1",
      x2: "x2",
      y1: "y1",
      y2: "y2",
      fill: "v",
      title: (c: { v: number; lambda: number; mu: number }) =>
        `λ = ${c.lambda.toFixed(3)}, ${rowName} = ${c.mu.toFixed(3)}: rank ${c.v.toFixed(1)}`,
    }),
    Plot.rect(cells.filter((c) => !Number.isFinite(c.v)), { x1: "x1", x2: "x2", y1: "y1", y2: "y2", fill: "#bbb" }),
  ];
  // The key (diverged cells, then one row per boundary) sits in the top margin, dark text on white, never on the cells.
  const key: KeyRow[] = [];
  if (cells.some((c) => !Number.isFinite(c.v))) key.push({ label: "diverged", color: "#bbb", kind: "box" });
  boundaries.forEach((b, n) => {
    const bl = check.finiteArray(fn, `options.boundaries[${n}].lambdas`, b.lambdas);
    const bm = check.finiteArray(fn, `options.boundaries[${n}].mus`, b.mus);
    const field = Float64Array.from(b.values as ArrayLike<number>);
    if (field.length !== bl.length * bm.length) {
      throw new RangeError(
        `Invalid options.boundaries[${n}].values in ${fn}: expected ${
          bl.length * bm.length
        } values; received ${field.length}.`,
      );
    }
    const at = (v: Float64Array, f: number) => v[0] + (f * (v[v.length - 1] - v[0])) / (v.length - 1);
    const rows = contourLines(field, bl.length, bm.length, b.level ?? 0).flatMap((line, id) =>
      line.map(([i, j]) => ({ id, lambda: at(bl, i), mu: at(bm, j), label: b.label }))
    );
    const stroke = b.stroke ?? "#D55E00", dash = b.strokeDasharray ?? "6,3";
    if (rows.length) {
      marks.push(
        // Clipped to the frame: a boundary's own grid may reach beyond the diagram's.
        Plot.line(rows, {
          x: "lambda",
          y: "mu",
          z: "id",
          stroke: "white",
          strokeWidth: 4.5,
          strokeOpacity: 0.85,
          clip: true,
        }),
        Plot.line(rows, { x: "lambda", y: "mu", z: "id", stroke, strokeWidth: 2, strokeDasharray: dash, clip: true }),
      );
    }
    key.push({ label: b.label, color: stroke, kind: "line", dash });
  });
  marks.push(topKey(key));
  // A coarse grid (up to 8 values) gets its ticks at the grid values, so that the axis shows the values the data have
  // rather than round numbers beyond them (the cells' outer edges lie half a step outside the grid).
  const gridTicks = (v: Float64Array) =>
    v.length <= 8 ? { ticks: Array.from(v), tickFormat: (t: number) => `${+t.toPrecision(4)}` } : {};
  return Plot.plot(mergeOptions({
    width: 480,
    height: 380 + keyMarginTop(key.length) - keyMarginTop(0),
    marginTop: keyMarginTop(key.length),
    x: { label: "learning rate λ →", domain: xa.edges, ...gridTicks(ls) },
    y: { label: "↑ signal fraction μ", domain: ya.edges, ...gridTicks(ms) },
    color: {
      type: "linear",
      scheme: "viridis",
      domain: [0, maxRank],
      label: "rank of U",
      legend: true,
      ...RAMP_MARGINS,
    },
    marks,
  }, plotOptions));
}

/**
 * The loss landscape of a one-neuron network with its stationary points (Figures 1(a1) and 5, left).
 *
 * @module
 */

import { type Markish, Plot } from "../core/deps.ts";
import type { ScalarLandscape } from "../networks/scalar_network.ts";
import * as check from "../core/validate.ts";
import { contourLines } from "./render/contour_lines.ts";
import { RAMP_MARGINS } from "./render/legend_rows.ts";
import { mergeOptions, type PassThroughOptions } from "./render/options.ts";
import type { Figure } from "./render/svg.ts";

/** A marked point of the landscape. */
export interface LandscapePoint {
  /** The label, e.g. "A". */
  name: string;
  /** Its u. */
  u: number;
  /** Its w. */
  w: number;
  /** "minimum" is drawn as a triangle, "saddle" as a star, anything else as a dot. */
  kind?: string;
}

/** Options of {@linkcode plotLandscape}. */
export interface LandscapePlotOptions extends PassThroughOptions {
  /** Points to mark (minima as triangles, saddles as stars, labelled). @default [] */
  points?: LandscapePoint[];
  /** The number of contour levels, evenly spaced in log(L − L_min + δ). @default 14 */
  levels?: number;
}

/**
 * Contour lines of L(u, w) from {@linkcode scalarLandscape} (w across, u up), with the global minima as triangles and
 * saddles as stars (Figure 1(a1), Figure 5 left). Levels are evenly spaced in log(L − L_min + δ), δ = 1 % of the loss
 * range, so that both the shallow basins and the walls show. Any `Plot.plot` option passes through.
 *
 * @example The landscape of f = u·tanh(w x) on two points
 * ```ts
 * import { linspace, plotLandscape, scalarLandscape } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const l = scalarLandscape({ x: [1, -1], y: [0.8, -0.8], activation: "tanh" }, { us: linspace(-2, 2, 41), ws: linspace(-2, 2, 41) });
 * const fig = plotLandscape(l, { points: [{ name: "saddle", u: 0, w: 0, kind: "saddle" }] });
 * assert.match(fig.outerHTML, /saddle/);
 * ```
 *
 * @param landscape The loss on a (u, w) grid.
 * @param options Points, number of levels, Plot options.
 * @returns A Plot figure.
 */
export function plotLandscape(landscape: ScalarLandscape, options: LandscapePlotOptions = {}): Figure {
  const fn = "plotLandscape";
  if (landscape !== null && typeof landscape === "object") {
    check.fields(fn, "landscape", landscape, { us: "finites", ws: "finites", loss: "numbers" });
  }
  if (landscape === null || typeof landscape !== "object" || !(landscape.loss instanceof Float64Array)) {
    throw new TypeError(
      `Invalid landscape in ${fn}: expected the result of scalarLandscape; received ${check.describe(landscape)}.`,
    );
  }
  check.object(fn, "options", options); // pass-through Plot options may hold null
  const { points = [], levels = 14, ...plotOptions } = options;
  check.integerInRange(fn, "options.levels", levels);
  if (!Array.isArray(points)) {
    throw new TypeError(
      `Invalid options.points in ${fn}: expected an array of { name, u, w, kind }; received ${check.describe(points)}.`,
    );
  }
  points.forEach((p, i) => check.object(fn, `options.points[${i}]`, p));
  const { us, ws, loss } = landscape;
  const W = ws.length, H = us.length;
  if (W < 2 || H < 2) {
    throw new RangeError(`Invalid landscape in ${fn}: expected a grid of at least 2 × 2; received ${H} × ${W}.`);
  }
  let lo = Infinity, hi = -Infinity;
  for (const v of loss) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const delta = 0.01 * (hi - lo || 1);
  const field = Float64Array.from(loss, (v) => Math.log(v - lo + delta));
  const [a, b] = [Math.log(delta), Math.log(hi - lo + delta)];
  const at = (values: Float64Array, f: number) =>
    values[0] + (f * (values[values.length - 1] - values[0])) / (values.length - 1);
  const rows: Array<{ w: number; u: number; id: string; level: number }> = [];
  for (let k = 1; k <= levels; k++) {
    const level = a + ((b - a) * k) / (levels + 1);
    contourLines(field, W, H, level).forEach((line, id) =>
      line.forEach(([i, j]) =>
        rows.push({ w: at(ws, i), u: at(us, j), id: `${k}:${id}`, level: Math.exp(level) - delta + lo })
      )
    );
  }
  const marks: Markish[] = [
    Plot.line(rows, { x: "w", y: "u", z: "id", stroke: "level", strokeWidth: 1 }),
  ];
  const symbol = (kind?: string) => (kind === "minimum" ? "triangle" : kind === "saddle" ? "star" : "circle");
  const pts = points.map((p, i) => ({
    name: p.name,
    u: check.finiteNumber(fn, `options.points[${i}].u`, p.u),
    w: check.finiteNumber(fn, `options.points[${i}].w`, p.w),
    symbol: symbol(p.kind),
  }));
  if (pts.length) {
    marks.push(
      Plot.dot(pts, { x: "w", y: "u", symbol: "symbol", r: 7, fill: "#D55E00", stroke: "white" }),
      Plot.text(pts, { x: "w", y: "u", text: "name", dy: -14, fontWeight: "bold" }),
    );
  }
  return Plot.plot(mergeOptions({
    width: 520,
    height: 420,
    x: { label: "w →", domain: [ws[0], ws[W - 1]] },
    y: { label: "↑ u", domain: [us[0], us[H - 1]] },
    color: { type: "log", scheme: "viridis", label: "loss L(u, w)", legend: true, ...RAMP_MARGINS },
    symbol: { type: "identity" },
    marks,
  }, plotOptions));
}

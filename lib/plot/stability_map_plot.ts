/**
 * Figure 2 as a Plot figure: where SGD converges in probability, over learning rate and outlier size.
 *
 * @module
 */

import * as check from "../core/validate.ts";
import { type Markish, Plot } from "../core/deps.ts";
import type { OutlierStabilityMap } from "../stability/outlier_stability_map.ts";
import { gridAxis, gridRaster } from "./render/grid_axis.ts";
import { mergeOptions, type PassThroughOptions } from "./render/options.ts";
import type { Figure } from "./render/svg.ts";

/** Options of {@linkcode plotStabilityMap}: which threshold curves to draw, and any Plot option. */
export interface StabilityMapPlotOptions extends PassThroughOptions {
  /** Draw λ_GD*(c), the grey dashed curve of Figure 2. @default true */
  showLambdaGD?: boolean;
  /** Draw λ_GD*(c)/N, the green dashed curve of Figure 2. @default true */
  showLambdaGDOverN?: boolean;
  /** Draw λ_DS*(c) at batch size 1 (not in the paper's figure), red dotted. @default false */
  showLambdaDS?: boolean;
}

/** The category labels of the map, in legend order. */
export const STABILITY_LABELS = [
  "converges in probability (m < 0)",
  "diverges (m ≥ 0)",
] as const;

/**
 * Figure 2: the sign of the Lyapunov exponent m(λ, c) of an {@linkcode outlierStabilityMap} drawn as a raster (yellow
 * where SGD converges in probability, dark blue where it diverges), learning rate λ across and outlier size c = x₁² up
 * (log scale when the sizes are geometrically spaced), with the linear-stability curves λ_GD*(c) (grey dashed) and
 * λ_GD*(c)/N (green dashed).
 *
 * The raster keeps the figure light (one embedded PNG, not one rectangle per cell). The map's axes must be evenly or
 * geometrically spaced grids ({@linkcode linspace}, {@linkcode geomspace}). Any `Plot.plot` option is passed through
 * (`width`, `title`, `x: { domain }`, extra `marks`, …).
 *
 * @example A small map
 * ```ts
 * import { figureToSvg, geomspace, linspace, outlierStabilityMap, plotStabilityMap, randomNormal } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const map = outlierStabilityMap(randomNormal(99, { seed: 1 }), {
 *   lambdas: linspace(0.01, 3, 60),
 *   outlierSizes: geomspace(1, 1000, 40),
 * });
 * const svg = figureToSvg(plotStabilityMap(map, { title: "N = 100" }));
 * assert.match(svg, /data:image\/png;base64/);
 * ```
 *
 * @param map The map from {@linkcode outlierStabilityMap}.
 * @param options Which curves to draw, and Plot options.
 * @returns A Plot figure.
 */
export function plotStabilityMap(
  map: OutlierStabilityMap,
  options: StabilityMapPlotOptions = {},
): Figure {
  const fn = "plotStabilityMap";
  if (map === null || typeof map !== "object") {
    throw new TypeError(
      `Invalid map in ${fn}: expected the result of outlierStabilityMap; received ${check.describe(map)}.`,
    );
  }
  check.fields(fn, "map", map, {
    lambdas: "finites",
    outlierSizes: "finites",
    size: "integer",
    m: "numbers",
    lambdaGD: "numbers",
    lambdaDS: "numbers",
  });
  check.float64Array(fn, "map.m", map.m, map.lambdas.length * map.outlierSizes.length);
  check.numbers(fn, "map.lambdaGD", map.lambdaGD, map.outlierSizes.length);
  check.numbers(fn, "map.lambdaDS", map.lambdaDS, map.outlierSizes.length);
  check.object(fn, "options", options); // pass-through Plot options may hold null
  for (const key of ["showLambdaGD", "showLambdaGDOverN", "showLambdaDS"] as const) {
    if (options[key] !== undefined) check.boolean(fn, `options.${key}`, options[key]);
  }
  const {
    showLambdaGD = true,
    showLambdaGDOverN = true,
    showLambdaDS = false,
    ...plotOptions
  } = options;
  const xAxis = gridAxis(fn, "map.lambdas", map.lambdas);
  const yAxis = gridAxis(fn, "map.outlierSizes", map.outlierSizes);
  if (xAxis.type !== "linear") {
    throw new RangeError(
      `Invalid map.lambdas in ${fn}: expected an evenly spaced grid; received a geometric one.`,
    );
  }
  const labels = Array.from(
    map.m,
    (v) => (v < 0 ? STABILITY_LABELS[0] : STABILITY_LABELS[1]),
  );
  const sizes = Array.from(map.outlierSizes);
  // Threshold curves, restricted to the map's learning rates (a curve entirely outside the frame would be an empty
  // clipped path, which some SVG renderers reject).
  const curve = (xs: Float64Array, scale = 1) =>
    sizes.map((c, i) => ({ lambda: xs[i] * scale, c }))
      .filter((d) => d.lambda >= xAxis.edges[0] && d.lambda <= xAxis.edges[1]);
  const marks: Markish[] = [
    gridRaster(labels, map.lambdas, map.outlierSizes, xAxis, yAxis),
  ];
  const curves: Array<[boolean, ReturnType<typeof curve>, string, string]> = [
    [showLambdaGD, curve(map.lambdaGD), "#999", "6,4"],
    [showLambdaGDOverN, curve(map.lambdaGD, 1 / map.size), "#009E73", "6,4"],
    [showLambdaDS, curve(map.lambdaDS), "#D55E00", "2,3"],
  ];
  for (const [show, points, stroke, strokeDasharray] of curves) {
    if (show && points.length >= 2) {
      marks.push(Plot.line(points, { x: "lambda", y: "c", stroke, strokeDasharray, strokeWidth: 2, clip: true }));
    }
  }
  return Plot.plot(mergeOptions({
    width: 640,
    height: 420,
    marginLeft: 60,
    x: { label: "learning rate λ →", domain: xAxis.edges },
    y: { label: "↑ outlier size x₁²", type: yAxis.type, domain: yAxis.edges },
    color: {
      domain: [...STABILITY_LABELS],
      range: ["#fde725", "#30123b"],
      legend: true,
    },
    marks,
  }, plotOptions));
}

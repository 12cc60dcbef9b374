/**
 * The spacing of a grid axis, so that a raster drawn over it lines up with its scale, and the raster of a categorical
 * grid. Internal module.
 *
 * @module
 */

import { type Markish, Plot } from "../../core/deps.ts";

/** How a grid's values are spaced, with the outer edges of its first and last cells. */
export interface GridAxis {
  type: "linear" | "log";
  /** The edge before the first cell and after the last, in data units. */
  edges: [number, number];
}

/**
 * Detects an evenly (linear) or geometrically (log) spaced grid, within a relative tolerance of 1e-6; throws a
 * RangeError naming `fn` and `param` otherwise.
 */
export function gridAxis(
  fn: string,
  param: string,
  values: Float64Array,
): GridAxis {
  const n = values.length;
  if (n < 2) {
    throw new RangeError(
      `Invalid ${param} in ${fn}: expected a grid of at least 2 values; received ${n}.`,
    );
  }
  const step = (values[n - 1] - values[0]) / (n - 1);
  const linear = step > 0 &&
    values.every((v, i) => Math.abs(v - (values[0] + i * step)) <= 1e-6 * Math.abs(step) * n);
  if (linear) {
    return {
      type: "linear",
      edges: [values[0] - step / 2, values[n - 1] + step / 2],
    };
  }
  if (values[0] > 0) {
    const ratio = Math.pow(values[n - 1] / values[0], 1 / (n - 1));
    const geometric = ratio > 1 &&
      values.every((v, i) =>
        Math.abs(Math.log(v / values[0]) - i * Math.log(ratio)) <=
          1e-6 * Math.log(ratio) * n
      );
    if (geometric) {
      const half = Math.sqrt(ratio);
      return { type: "log", edges: [values[0] / half, values[n - 1] * half] };
    }
  }
  throw new RangeError(
    `Invalid ${param} in ${fn}: expected an increasing evenly or geometrically spaced grid (see linspace, ` +
      `geomspace); received values from ${values[0]} to ${values[n - 1]} that are neither.`,
  );
}

/**
 * A raster of categorical cells (`labels`, row-major over `rows` × `columns`, colored by the color scale) lined up with
 * the two grid axes. Explicit cell centers with interpolate "none" place cell (r, k) in pixel (r, k) whatever the scale
 * type; Plot's implicit dense grid assumes linear scales and leaves rows empty on a log axis.
 */
export function gridRaster(
  labels: string[],
  columns: Float64Array,
  rows: Float64Array,
  xAxis: GridAxis,
  yAxis: GridAxis,
): Markish {
  const width = columns.length;
  return Plot.raster(labels, {
    width,
    height: rows.length,
    x: Float64Array.from(labels, (_, i) => columns[i % width]),
    y: Float64Array.from(labels, (_, i) => rows[Math.floor(i / width)]),
    interpolate: "none",
    x1: xAxis.edges[0],
    x2: xAxis.edges[1],
    y1: yAxis.edges[0],
    y2: yAxis.edges[1],
    fill: (d: string) => d,
    imageRendering: "pixelated",
  });
}

/**
 * A row of MNIST digits with their labels (Part V's data, notebook 14).
 *
 * @module
 */

import { Plot } from "../core/deps.ts";
import type { ImageDataset } from "../deep/mnist.ts";
import * as check from "../core/validate.ts";
import { mergeOptions, type PassThroughOptions } from "./render/options.ts";
import type { Figure } from "./render/svg.ts";

/** Options of {@linkcode plotDigits}. */
export interface DigitsPlotOptions extends PassThroughOptions {
  /** How many images, from the first. @default 10 */
  count?: number;
}

/**
 * Draws the first `count` images of a data set side by side, each titled with its label (grey levels: pixel value 0
 * white, 1 black). Any `Plot.plot` option passes through.
 *
 * @example
 * ```ts
 * import { plotDigits } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const data = { images: new Float64Array(2 * 4).fill(0.5), labels: Uint8Array.of(3, 7), count: 2, features: 4 };
 * assert.match(plotDigits(data).outerHTML, /<svg/);
 * ```
 *
 * @param data Square images (features = side²).
 * @param options `count` and Plot options.
 * @returns A Plot figure.
 */
export function plotDigits(data: ImageDataset, options: DigitsPlotOptions = {}): Figure {
  const fn = "plotDigits";
  if (data !== null && typeof data === "object") {
    check.fields(fn, "data", data, { images: "finites", labels: "any-numbers", count: "integer", features: "integer" });
  }
  if (data === null || typeof data !== "object" || !(data.images instanceof Float64Array)) {
    throw new TypeError(`Invalid data in ${fn}: expected an ImageDataset; received ${check.describe(data)}.`);
  }
  check.object(fn, "options", options); // pass-through Plot options may hold null
  const { count: wanted = 10, ...plotOptions } = options;
  const count = Math.min(check.integerInRange(fn, "options.count", wanted, 1, 200), data.count);
  if (data.images.length !== data.count * data.features) {
    throw new RangeError(
      `Invalid data.images in ${fn}: expected data.count × data.features = ${data.count * data.features} values; ` +
        `received ${data.images.length}.`,
    );
  }
  if (data.labels.length < data.count) {
    throw new RangeError(
      `Invalid data.labels in ${fn}: expected ${data.count} labels (data.count); received ${data.labels.length}.`,
    );
  }
  const side = Math.round(Math.sqrt(data.features));
  if (side * side !== data.features) {
    throw new RangeError(`Invalid data.features in ${fn}: expected a square number; received ${data.features}.`);
  }
  // One raster strip of count images (rendered to a PNG inside the SVG), labels above.
  const width = side * count;
  const strip = new Float64Array(width * side);
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < data.features; k++) {
      strip[Math.floor(k / side) * width + i * side + (k % side)] = data.images[i * data.features + k];
    }
  }
  const labels = Array.from({ length: count }, (_, i) => ({ x: i * side + side / 2, label: `${data.labels[i]}` }));
  return Plot.plot(mergeOptions({
    width: Math.max(200, 56 * count),
    height: 90,
    marginTop: 22,
    marginBottom: 4,
    x: { axis: null, domain: [0, width] },
    y: { axis: null, domain: [side, 0] },
    color: { type: "linear", range: ["white", "black"], domain: [0, 1] },
    marks: [
      Plot.raster(strip, { width, height: side, x1: 0, x2: width, y1: 0, y2: side, imageRendering: "pixelated" }),
      Plot.text(labels, { x: "x", y: 0, text: "label", dy: -10, fontSize: 12 }),
    ],
  }, plotOptions));
}

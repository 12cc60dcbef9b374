/**
 * Evenly and geometrically spaced grids, for learning-rate sweeps and stability maps.
 *
 * @module
 */

import * as check from "./validate.ts";

/**
 * `n` evenly spaced values from `start` to `stop`, both included (`[start]` when n = 1).
 *
 * @example Five points
 * ```ts
 * import { linspace } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(Array.from(linspace(0, 1, 5)), [0, 0.25, 0.5, 0.75, 1]);
 * ```
 *
 * @param start The first value, finite.
 * @param stop The last value, finite.
 * @param n The number of values, a positive integer.
 * @returns A new `Float64Array`.
 */
export function linspace(start: number, stop: number, n: number): Float64Array {
  const a = check.finiteNumber("linspace", "start", start);
  const b = check.finiteNumber("linspace", "stop", stop);
  const count = check.integerInRange("linspace", "n", n);
  check.sizeLimit("linspace", "n", count, "the grid");
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = count === 1 ? a : i === count - 1 ? b : a + ((b - a) * i) / (count - 1);
  }
  return out;
}

/**
 * `n` geometrically spaced values from `start` to `stop`, both included (both must be > 0).
 *
 * @example Decades
 * ```ts
 * import { geomspace } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const g = geomspace(1, 1000, 4);
 * assert.ok(Math.abs(g[1] - 10) < 1e-12 && Math.abs(g[2] - 100) < 1e-12 && g[3] === 1000);
 * ```
 *
 * @param start The first value, > 0.
 * @param stop The last value, > 0.
 * @param n The number of values, a positive integer.
 * @returns A new `Float64Array`.
 */
export function geomspace(
  start: number,
  stop: number,
  n: number,
): Float64Array {
  const a = check.positiveNumber("geomspace", "start", start);
  const b = check.positiveNumber("geomspace", "stop", stop);
  const count = check.integerInRange("geomspace", "n", n);
  check.sizeLimit("geomspace", "n", count, "the grid");
  const la = Math.log(a);
  const lb = Math.log(b);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = i === 0 ? a : i === count - 1 ? b : Math.exp(la + ((lb - la) * i) / (count - 1));
  }
  return out;
}

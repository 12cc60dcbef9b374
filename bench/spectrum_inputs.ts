/**
 * The inputs of the Lyapunov-spectrum benchmarks (not a bench file itself).
 *
 * @module
 */

import { randomNormal } from "../mod.ts";

const g = randomNormal(200 * 50, { seed: 3 });

/** A 2-D indefinite Hessian set and 200 inputs in R⁵⁰. */
export const spectrumInputs = {
  hessians: [[[1, 0.3], [0.3, -0.5]], [[0.2, -0.4], [-0.4, 1.5]], [[2, 0.1], [0.1, 0.3]]],
  x: Array.from({ length: 200 }, (_, i) => Array.from(g.subarray(i * 50, (i + 1) * 50))),
};

/**
 * The two-layer network SGD benchmark problem, shared by `two_layer_sgd.bench.ts` and `compare_network.ts` (which sends
 * it to `two_layer_sgd.py`). Not a bench file itself.
 *
 * f(x) = U tanh(W x), 200 → 200 → 200, weights N(0, 0.05²) (seeded), λ = 0.01. The data are a fixed pool of 1,024 rows
 * x ~ N(0, I), y = μx + (1 − μ)σε (μ = 0.5, σ = 2, the §4.4 task), made once: step t uses rows [tS, tS + S) mod 1,024
 * on both sides, so data generation is excluded from the kernel timings (the `trainTwoLayerNetwork` rows and NumPy's "+
 * data generation" rows include it).
 *
 * @module
 */

import { createTwoLayerNetwork, randomNormal, type TwoLayerNetwork } from "../mod.ts";

/** The sizes and activation of the benchmarked network. */
export type Dims = Pick<TwoLayerNetwork, "inputs" | "hidden" | "outputs" | "activation">;

/** Sizes, learning rate, task and step counts. */
export const networkSettings = {
  inputs: 200,
  hidden: 200,
  outputs: 200,
  activation: "tanh" as const,
  lambda: 0.01,
  mu: 0.5,
  noiseStd: 2,
  initScale: 0.05,
  rows: 1024,
  /** Steps per timed run, per batch size. */
  batches: [{ S: 1, steps: 2000 }, { S: 32, steps: 200 }],
  /** Steps of the correctness check (final weights compared with NumPy's). */
  checkSteps: 10,
};

/** The problem's dimensions. */
export const networkDims: Dims = {
  inputs: networkSettings.inputs,
  hidden: networkSettings.hidden,
  outputs: networkSettings.outputs,
  activation: networkSettings.activation,
};

const net = createTwoLayerNetwork({
  inputs: networkSettings.inputs,
  hidden: networkSettings.hidden,
  outputs: networkSettings.outputs,
  activation: networkSettings.activation,
  initScale: networkSettings.initScale,
  seed: 1,
});
const X = randomNormal(networkSettings.rows * networkSettings.inputs, { seed: 11 });
const eps = randomNormal(networkSettings.rows * networkSettings.outputs, { seed: 12 });
const { mu, noiseStd } = networkSettings;

/** The initial weights and the data pool (rows of X and Y, row-major). */
export const networkInput = {
  W: net.W,
  U: net.U,
  X,
  Y: Float64Array.from(X, (x, i) => mu * x + (1 - mu) * noiseStd * eps[i]),
};

/** The numerical-rank input: a 200 × 200 standard Gaussian matrix. */
export const rankInput = { rows: 200, cols: 200, matrix: randomNormal(200 * 200, { seed: 5 }) };

/** Runs `steps` SGD steps of batch size S on the pool, as the NumPy script does. */
export function runSteps(
  v: { step(row0: number, S: number, lambda: number, next?: number): void },
  S: number,
  steps: number,
): void {
  const { rows, lambda } = networkSettings;
  for (let t = 0; t < steps; t++) v.step((t * S) % rows, S, lambda, ((t + 1) * S) % rows);
}

/**
 * The two-layer network SGD step (200 → 200 → 200, tanh) at batch sizes 1 and 32: the library kernel
 * (`NetworkKernel.step`), `trainTwoLayerNetwork` end to end, and the fastest experimental WebAssembly SIMD
 * kernels of `network_kernels_experimental.ts`; and the numerical rank of a 200 × 200 matrix. Targets (vs
 * NumPy, the ratios come from `bench/compare_network.ts`, which also runs `bench/two_layer_sgd.py`): S = 1 at
 * least as fast as NumPy; S = 32 as close as possible.
 *
 * Run: deno task bench (the benchmarks, then the compare scripts for the NumPy ratios)
 *
 * @module
 */

import { singularValues, trainTwoLayerNetwork } from "../mod.ts";
import { bestWasmF64, networkDims, networkInput, networkSettings, rankInput, runSteps } from "./network_inputs.ts";
import { LibVariant, WasmGramSingularValues, WasmVariant } from "./network_kernels_experimental.ts";

const lib = new LibVariant(networkDims, networkInput.X, networkInput.Y);
const wasm64 = bestWasmF64();
const wasm32 = new WasmVariant(networkDims, networkInput.X, networkInput.Y, 32, {
  precision: "f32",
  fused: true,
  simdElementwise: true,
  lookahead: true,
});

for (const { S, steps } of networkSettings.batches) {
  const group = `SGD step S = ${S} (${steps} steps per iteration)`;
  Deno.bench({
    name: `lib NetworkKernel.step, S = ${S}`,
    group,
    baseline: true,
    n: 10,
    warmup: 2,
    fn() {
      lib.reset(networkInput.W, networkInput.U);
      runSteps(lib, S, steps);
    },
  });
  Deno.bench({
    name: `trainTwoLayerNetwork, S = ${S} (with data generation)`,
    group,
    n: 10,
    warmup: 2,
    fn() {
      trainTwoLayerNetwork({ ...networkDims, W: networkInput.W, U: networkInput.U }, {
        kind: "gaussian",
        mu: networkSettings.mu,
        noiseStd: networkSettings.noiseStd,
      }, { lambda: networkSettings.lambda, steps, batchSize: S, seed: 3 });
    },
  });
  for (const v of [wasm64, wasm32]) {
    Deno.bench({
      name: `experimental ${v.name}, S = ${S}`,
      group,
      n: 10,
      warmup: 2,
      fn() {
        v.reset(networkInput.W, networkInput.U);
        runSteps(v, S, steps);
      },
    });
  }
}

const gram = new WasmGramSingularValues(rankInput.rows, rankInput.cols);
Deno.bench({
  name: "lib singularValues, 200 × 200",
  group: "numerical rank",
  baseline: true,
  n: 20,
  warmup: 2,
  fn() {
    singularValues(rankInput.matrix, rankInput.rows, rankInput.cols);
  },
});
Deno.bench({
  name: "experimental wasm Gram + lib QL, 200 × 200",
  group: "numerical rank",
  n: 20,
  warmup: 2,
  fn() {
    gram.singularValues(rankInput.matrix);
  },
});

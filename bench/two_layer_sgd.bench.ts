/**
 * The two-layer network SGD step (200 → 200 → 200, tanh) at batch sizes 1 and 32: the library kernel (`NetworkKernel`,
 * WebAssembly SIMD backend, driven as `trainTwoLayerNetwork` drives it — see `network_lib_variants.ts`), its JS
 * fallback and `trainTwoLayerNetwork` end to end; and the numerical rank of a 200 × 200 matrix (`singularValues`).
 * Targets (vs NumPy, the ratios come from `bench/compare_network.ts`, which also runs `bench/two_layer_sgd.py`): S = 1
 * at least as fast as NumPy; S = 32 as close as possible.
 *
 * Run: deno task bench (the benchmarks, then the compare scripts for the NumPy ratios)
 *
 * @module
 */

import { singularValues, trainTwoLayerNetwork } from "../mod.ts";
import { setNetworkBackend } from "../lib/networks/two_layer_network.ts";
import { networkDims, networkInput, networkSettings, rankInput, runSteps } from "./network_inputs.ts";
import { LibKernelVariant } from "./network_lib_variants.ts";

const Smax = Math.max(...networkSettings.batches.map((b) => b.S));
const lib = new LibKernelVariant(networkDims, networkInput.X, networkInput.Y, Smax, "wasm", "staged");
const libJs = new LibKernelVariant(networkDims, networkInput.X, networkInput.Y, Smax, "js", "staged");

for (const { S, steps } of networkSettings.batches) {
  const group = `SGD step S = ${S} (${steps} steps per iteration)`;
  for (
    const [v, label, baseline] of [
      [lib, "lib NetworkKernel (WebAssembly SIMD)", true],
      [libJs, "lib NetworkKernel (JS fallback)", false],
    ] as const
  ) {
    Deno.bench({
      name: `${label}, S = ${S}`,
      group,
      baseline,
      n: 10,
      warmup: 2,
      fn() {
        v.reset(networkInput.W, networkInput.U);
        runSteps(v, S, steps);
      },
    });
  }
  for (const backend of ["wasm", "js"] as const) {
    Deno.bench({
      name: `trainTwoLayerNetwork (${backend}), S = ${S} (with data generation)`,
      group,
      n: 10,
      warmup: 2,
      fn() {
        const previous = setNetworkBackend(backend);
        trainTwoLayerNetwork({ ...networkDims, W: networkInput.W, U: networkInput.U }, {
          kind: "gaussian",
          mu: networkSettings.mu,
          noiseStd: networkSettings.noiseStd,
        }, { lambda: networkSettings.lambda, steps, batchSize: S, seed: 3 });
        setNetworkBackend(previous);
      },
    });
  }
}

Deno.bench({
  name: "lib singularValues, 200 × 200",
  group: "numerical rank",
  n: 20,
  warmup: 2,
  fn() {
    singularValues(rankInput.matrix, rankInput.rows, rankInput.cols);
  },
});

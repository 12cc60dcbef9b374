/**
 * Part V's training step: `trainDeepNetwork` on the MLP 784-128-128-64-10 (relu, softmax cross-entropy, float64, plain
 * SGD) at batch sizes 32 and 1, on real MNIST digits (≈ 80 % zero pixels, skipped exactly by the kernel) and on dense
 * random pixels (the data of the NumPy and TF.js baselines `deep_network.py` and `deep_network_tfjs.ts`);
 * `compare_deep.ts` prints the ratios to NumPy.
 *
 * Run: deno task bench
 *
 * @module
 */

import { createDeepNetwork, type ImageDataset, loadMnist, trainDeepNetwork } from "../mod.ts";
import { Rng } from "../lib/core/random.ts";

const SIZES = [784, 128, 128, 64, 10];
const rng = new Rng("bench/deep");
const random: ImageDataset = {
  images: Float64Array.from({ length: 2048 * 784 }, () => rng.uniform()),
  labels: Uint8Array.from({ length: 2048 }, () => rng.index(10)),
  count: 2048,
  features: 784,
};
const { train: mnist } = await loadMnist({ testSize: 1000, trainSize: 2048 });
const net = createDeepNetwork(SIZES, { seed: 1 });

for (const [S, steps] of [[32, 20], [1, 200]] as const) {
  for (const [name, data] of [["MNIST", mnist], ["random pixels", random]] as const) {
    Deno.bench({
      name: `trainDeepNetwork ${name}, S = ${S}, ${steps} steps`,
      group: `deep step S = ${S}`,
      baseline: name === "MNIST",
      fn() {
        trainDeepNetwork(net, data, { batchSize: S, steps, learningRate: 0.1 });
      },
    });
  }
}

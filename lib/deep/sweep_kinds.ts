/**
 * Part V's sweep cell, for {@linkcode runSweep}: `deepNetwork` (one training run of the deep network on MNIST and the
 * rank of its layers). Internal module.
 *
 * @module
 */

import type { DeepExperiment } from "./deep_network_experiment.ts";
import type { SweepKind } from "../runtime/sweep.ts";
import * as check from "../core/validate.ts";

/** `deepNetworkExperiment(cell.experiment)` (asynchronous: each worker loads MNIST once). */
export const deepNetworkKind: SweepKind<{ kind: "deepNetwork"; experiment: DeepExperiment }> = {
  module: new URL("./deep_network_experiment.ts", import.meta.url).href,
  exportName: "deepNetworkExperiment",
  args: (cell) => [cell.experiment],
  describe: ({ experiment: e }) =>
    `${e.optimizer ?? "sgd"} ${e.noiseKind ?? "dynamic"} noise=${e.labelNoise} λ=${e.learningRate} S=${
      e.batchSize ?? 32
    }`,
  validate: (cell, fn, path) => check.object(fn, `${path}.experiment`, cell.experiment),
};

/**
 * Part V's sweep cell, for {@linkcode runSweep}: `deepNetwork` (one training run of the deep network on MNIST and the
 * rank of its layers). Internal module.
 *
 * @module
 */

import type { DeepExperiment } from "./deep_network_experiment.ts";
import { checkFields, fields, type SweepKind } from "../runtime/sweep.ts";
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
  codeVersion: 1,
  checkResult: (result, { experiment: e }) => {
    const hidden = Array.isArray(e.hidden) ? e.hidden : [128, 128, 64];
    const width = Number(hidden[hidden.length - 1]), testSize = e.testSize ?? 1000;
    const r = result as { rank: number; singularValues: number[] };
    return checkFields(result, {
      diverged: fields.boolean,
      rank: fields.integer(0, Math.min(width, testSize), true),
      effectiveRank: fields.number(0, Math.min(width, testSize), true),
      singularValues: fields.numbers(Math.min(width, testSize), 0),
      deadUnits: fields.integer(0, width, true),
      testAccuracy: fields.number(0, 1, true),
      trainLoss: fields.number(0, Infinity, true),
      sparsity: fields.numbers(hidden.length + 1, 0, 1),
      steps: fields.integer(0, e.steps ?? 3000),
    }) ?? (r.rank > r.singularValues.length
      ? `rank: ${r.rank} exceeds the ${r.singularValues.length} singular values`
      : undefined);
  },
};

/**
 * Part IV's sweep cells, for {@linkcode runSweep}: `trainedRank` (one training run and the rank of its U, Figures 7–8)
 * and `saddleNetworkExponent` (the Lyapunov exponent of the linearized saddle). Internal module.
 *
 * @module
 */

import type { RankExperiment } from "./trained_rank.ts";
import type { SaddleNetworkExponentOptions } from "./saddle_network_exponent.ts";
import type { SweepKind } from "../runtime/sweep.ts";
import * as check from "../core/validate.ts";

/** `trainedRank(cell.experiment)`. */
export const trainedRankKind: SweepKind<{ kind: "trainedRank"; experiment: RankExperiment }> = {
  module: new URL("./trained_rank.ts", import.meta.url).href,
  exportName: "trainedRank",
  args: (cell) => [cell.experiment],
  describe: ({ experiment: e }) => `${e.activation ?? "linear"} ${e.optimizer ?? "sgd"} μ=${e.mu} λ=${e.lambda}`,
  validate: (cell, fn, path) => check.object(fn, `${path}.experiment`, cell.experiment),
};

/** `saddleNetworkExponent(cell.mu, cell.lambda, cell.options)`. */
export const saddleNetworkExponentKind: SweepKind<
  { kind: "saddleNetworkExponent"; mu: number; lambda: number; options?: SaddleNetworkExponentOptions }
> = {
  module: new URL("./saddle_network_exponent.ts", import.meta.url).href,
  exportName: "saddleNetworkExponent",
  args: (cell) => [cell.mu, cell.lambda, cell.options],
  describe: (cell) => `exponent μ=${cell.mu} λ=${cell.lambda}`,
  validate: (cell, fn, path) => {
    if (cell.options !== undefined) check.object(fn, `${path}.options`, cell.options);
  },
};

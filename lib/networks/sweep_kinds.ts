/**
 * Part IV's sweep cells, for {@linkcode runSweep}: `trainedRank` (one training run and the rank of its U, Figures 7–8)
 * and `saddleNetworkExponent` (the Lyapunov exponent of the linearized saddle). Internal module.
 *
 * @module
 */

import type { RankExperiment } from "./trained_rank.ts";
import { type SaddleNetworkExponentOptions, saddleNetworkExponentSettings } from "./saddle_network_exponent.ts";
import { checkFields, fields, type SweepKind } from "../runtime/sweep.ts";
import * as check from "../core/validate.ts";

/** `trainedRank(cell.experiment)`. */
export const trainedRankKind: SweepKind<{ kind: "trainedRank"; experiment: RankExperiment }> = {
  module: new URL("./trained_rank.ts", import.meta.url).href,
  exportName: "trainedRank",
  args: (cell) => [cell.experiment],
  describe: ({ experiment: e }) => `${e.activation ?? "linear"} ${e.optimizer ?? "sgd"} μ=${e.mu} λ=${e.lambda}`,
  validate: (cell, fn, path) => check.object(fn, `${path}.experiment`, cell.experiment),
  codeVersion: 1,
  checkResult: (result, { experiment: e }) => {
    const d = e.dimension ?? 200, width = Math.min(d, e.hidden ?? d);
    return checkFields(result, {
      diverged: fields.boolean,
      rank: fields.integer(0, width, true),
      effectiveRank: fields.number(0, width, true),
      singularValues: fields.numbers(width, 0),
      steps: fields.integer(0, e.steps ?? 40000),
    }) ?? rankWithinSpectrum(result as { rank: number; singularValues: number[] });
  },
};

/** A rank counts singular values: at most as many as there are. */
function rankWithinSpectrum(r: { rank: number; singularValues: number[] }): string | undefined {
  return r.rank > r.singularValues.length
    ? `rank: ${r.rank} exceeds the ${r.singularValues.length} singular values`
    : undefined;
}

/** `saddleNetworkExponent(cell.mu, cell.lambda, cell.options)`. */
export const saddleNetworkExponentKind: SweepKind<
  { kind: "saddleNetworkExponent"; mu: number; lambda: number; options?: SaddleNetworkExponentOptions }
> = {
  module: new URL("./saddle_network_exponent.ts", import.meta.url).href,
  exportName: "saddleNetworkExponent",
  args: (cell) => [cell.mu, cell.lambda, cell.options],
  describe: (cell) => `exponent μ=${cell.mu} λ=${cell.lambda}`,
  // The whole cell, as saddleNetworkExponent checks its arguments (without computing anything).
  validate: (cell, fn, path) => void saddleNetworkExponentSettings(fn, `${path}.`, cell.mu, cell.lambda, cell.options),
  codeVersion: 1,
  checkResult: (result) => checkFields(result, { exponent: fields.number(), standardError: fields.number(0) }),
};

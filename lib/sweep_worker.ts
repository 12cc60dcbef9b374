/**
 * The worker behind {@linkcode runSweep}: computes one cell at a time with the same pure functions the caller
 * would use. Internal module.
 *
 * @module
 */

import { deepNetworkExperiment } from "./deep_network_experiment.ts";
import { saddleNetworkExponent } from "./saddle_network_exponent.ts";
import type { SweepCell } from "./sweep.ts";
import { trainedRank } from "./trained_rank.ts";

self.onmessage = async (event: MessageEvent<SweepCell>) => {
  try {
    const c = event.data;
    const result = c.kind === "trainedRank"
      ? trainedRank(c.experiment)
      : c.kind === "deepNetwork"
      ? await deepNetworkExperiment(c.experiment)
      : saddleNetworkExponent(c.mu, c.lambda, c.options);
    (self as unknown as Worker).postMessage({ ok: true, result });
  } catch (error) {
    (self as unknown as Worker).postMessage({
      ok: false,
      name: (error as Error).name,
      message: (error as Error).message,
    });
  }
};

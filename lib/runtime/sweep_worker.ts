/**
 * The worker behind {@linkcode runSweep}: computes one cell at a time with the same pure functions the caller
 * would use. Internal module.
 *
 * @module
 */

import { deepNetworkExperiment } from "../deep/deep_network_experiment.ts";
import { saddleNetworkExponent } from "../networks/saddle_network_exponent.ts";
import type { SweepCell } from "./sweep.ts";
import { trainedRank } from "../networks/trained_rank.ts";
import { reply } from "./worker_protocol.ts";

self.onmessage = (event: MessageEvent<SweepCell>) =>
  reply(() => {
    const c = event.data;
    return c.kind === "trainedRank"
      ? trainedRank(c.experiment)
      : c.kind === "deepNetwork"
      ? deepNetworkExperiment(c.experiment)
      : saddleNetworkExponent(c.mu, c.lambda, c.options);
  });

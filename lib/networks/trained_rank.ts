/**
 * One cell of the §4.4 experiment (Figures 7–8, App. B.3): train a d → h → d network from near the saddle at the origin
 * on fresh Gaussian data and measure the rank of its last layer.
 *
 * @module
 */

import { type Activation, checkActivation, checkActivationScale } from "./activations.ts";
import { effectiveRankOf, rankOf, singularValues } from "./numerical_rank.ts";
import { createTwoLayerNetwork, trainTwoLayerNetwork } from "./two_layer_network.ts";
import * as check from "../core/validate.ts";

/** The settings of one training run of the §4.4 task. */
export interface RankExperiment {
  /** The signal fraction μ of y = μx + (1 − μ)ε. */
  mu: number;
  /** The learning rate λ. */
  lambda: number;
  /** The input and output dimension d (the paper: 200). @default 200 */
  dimension?: number;
  /** The number of hidden units. @default dimension */
  hidden?: number;
  /** The activation. @default "linear" */
  activation?: Activation;
  /**
   * The scale κ of a scaled tanh σ(z) = tanh(κz)/κ (`activation: "tanh"` only; see `createTwoLayerNetwork`; κ ≠ 1
   * trains on the JS kernel). @default 1
   */
  activationScale?: number;
  /** `"sgd"` or `"adam"`. @default "sgd" */
  optimizer?: "sgd" | "adam";
  /** The noise standard deviation σ of ε ~ N(0, σ²I) (the text: 2; Figure 7's caption: √2). @default 2 */
  noiseStd?: number;
  /** The batch size. @default 1 */
  batchSize?: number;
  /** The number of training steps. @default 40000 */
  steps?: number;
  /** The loss convention (see `trainTwoLayerNetwork`). @default "mean" */
  reduction?: "sum" | "mean";
  /** The standard deviation of the initial weights. @default 0.01 */
  initScale?: number;
  /** The relative tolerance of the numerical rank. @default 1e-3 */
  relativeTolerance?: number;
  /** The seed: the initial weights use `${seed}/init`, the data stream `${seed}/data`. @default 0 */
  seed?: number | string;
}

/** What {@linkcode trainedRank} measures. */
export interface RankOutcome {
  /** The numerical rank of the last layer U (singular values above relativeTolerance·σ_max). */
  rank: number;
  /** The effective rank exp(H(s/Σs)) of U. */
  effectiveRank: number;
  /** The singular values of U, descending (empty when training diverged). */
  singularValues: number[];
  /** True when the loss or weights became non-finite (rank and effectiveRank are then NaN by design). */
  diverged: boolean;
  /** The steps taken. */
  steps: number;
}

/**
 * Trains a d → h → d network f(x) = U σ(W x) from i.i.d. N(0, initScale²) weights (near the rank-0 saddle) on the §4.4
 * task — at every step x ~ N(0, I_d), y = μx + (1 − μ)ε, ε ~ N(0, σ²I_d) — and returns the numerical and effective rank
 * of the last layer U. Deterministic in its settings: a grid of cells computed in any order, on any number of workers,
 * gives the same numbers.
 *
 * The default `reduction: "mean"` is PyTorch's `nn.MSELoss()` (gradient 2/d times that of ½‖f − y‖²): with the
 * per-sample ½‖f − y‖², every λ ≥ 0.05 of the paper's range diverges already at d = 20 (measured), so the paper's λ ∈
 * (0, 0.25] only makes sense with a normalized loss. A diverged run reports `diverged: true` and NaN ranks (not a
 * bad-input NaN: the run itself blew up).
 *
 * @example Pure noise (μ = 0.02) at a large learning rate leaves some directions of U collapsed
 * ```ts
 * import { trainedRank } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const noisy = trainedRank({ mu: 0.02, lambda: 0.2, dimension: 10, steps: 20000, seed: 1 });
 * const clean = trainedRank({ mu: 0.9, lambda: 0.2, dimension: 10, steps: 20000, seed: 1 });
 * assert.equal(clean.rank, 10);
 * assert.ok(noisy.rank < clean.rank);
 * ```
 *
 * @param experiment The settings.
 * @returns The rank, effective rank and singular values of U.
 */
export function trainedRank(experiment: RankExperiment): RankOutcome {
  const fn = "trainedRank";
  const e = check.options(fn, experiment, "experiment");
  check.finiteNumber(fn, "experiment.mu", e.mu);
  check.learningRate(fn, "experiment.lambda", e.lambda);
  const d = check.integerInRange(fn, "experiment.dimension", e.dimension ?? 200);
  const h = check.integerInRange(fn, "experiment.hidden", e.hidden ?? d);
  const tol = check.positiveNumber(fn, "experiment.relativeTolerance", e.relativeTolerance ?? 1e-3);
  const act = checkActivation(fn, "experiment.activation", e.activation ?? "linear");
  const kappa = e.activationScale === undefined
    ? undefined
    : checkActivationScale(fn, "experiment.activationScale", e.activationScale, act);
  const optimizer = check.oneOf(fn, "experiment.optimizer", e.optimizer ?? "sgd", ["sgd", "adam"] as const);
  const reduction = check.oneOf(fn, "experiment.reduction", e.reduction ?? "mean", ["sum", "mean"] as const);
  const steps = check.integerInRange(fn, "experiment.steps", e.steps ?? 40000);
  const batchSize = check.integerInRange(fn, "experiment.batchSize", e.batchSize ?? 1);
  const noiseStd = check.learningRate(fn, "experiment.noiseStd", e.noiseStd ?? 2);
  const initScale = check.learningRate(fn, "experiment.initScale", e.initScale ?? 0.01);
  const seed = check.seed(fn, "experiment.seed", e.seed ?? 0);
  const net = createTwoLayerNetwork({
    inputs: d,
    hidden: h,
    outputs: d,
    activation: act,
    ...(kappa === undefined ? {} : { activationScale: kappa }),
    initScale,
    seed: `${seed}/init`,
  });
  const r = trainTwoLayerNetwork(net, { kind: "gaussian", mu: e.mu, noiseStd }, {
    lambda: e.lambda,
    steps,
    batchSize,
    optimizer,
    reduction,
    seed: `${seed}/data`,
  });
  if (r.diverged) return { rank: NaN, effectiveRank: NaN, singularValues: [], diverged: true, steps: r.steps };
  const s = singularValues(r.network.U, d, h);
  const rank = rankOf(s, tol);
  return { rank, effectiveRank: effectiveRankOf(s), singularValues: Array.from(s), diverged: false, steps: r.steps };
}

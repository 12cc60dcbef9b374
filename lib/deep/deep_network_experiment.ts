/**
 * One cell of Part V's grids (Figure 1(c), App. B.4, Figures 9–12 at CPU scale): train a deep network on MNIST with
 * label noise and measure the rank of its penultimate representation on held-out images, the sparsity of its layers and
 * its test accuracy.
 *
 * @module
 */

import { DEEP_ACTIVATIONS, type DeepActivation } from "./deep_network.ts";
import {
  createDeepNetwork,
  evaluateDeepNetwork,
  layerSparsity,
  penultimateFeatures,
  trainDeepNetwork,
} from "./deep_network.ts";
import { loadMnist, MNIST_COUNT } from "./mnist.ts";
import { effectiveRankOf, rankOf, singularValues } from "../networks/numerical_rank.ts";
import * as check from "../core/validate.ts";

/** The settings of one Part V training run. */
export interface DeepExperiment {
  /** The learning rate λ. */
  learningRate: number;
  /** The label-noise probability (App. B.4's "noise"). */
  labelNoise: number;
  /** `"dynamic"` (resampled at every step, Figure 1(c)) or `"static"` (once, Figures 10–11). @default "dynamic" */
  noiseKind?: "dynamic" | "static";
  /** The replacement label of the noise: any class (`"uniform"`, App. B.4) or another class (`"other"`, §4.4). @default "uniform" */
  relabel?: "uniform" | "other";
  /** `"sgd"` (no momentum) or `"adam"` (Figure 1(c4)). @default "sgd" */
  optimizer?: "sgd" | "adam";
  /** The batch size (Figure 12 varies it). @default 32 */
  batchSize?: number;
  /** The number of training steps. @default 3000 */
  steps?: number;
  /** The hidden-layer widths; the last one is the penultimate representation. @default [128, 128, 64] */
  hidden?: number[];
  /** The hidden-layer activation. @default "relu" */
  activation?: DeepActivation;
  /** The pooling of the 28 × 28 images (see `loadMnist`). @default 1 */
  pool?: 1 | 2 | 4;
  /** The number of held-out images on which rank and accuracy are measured. @default 1000 */
  testSize?: number;
  /** The number of training images. @default 10000 - testSize */
  trainSize?: number;
  /** The seed of the split of the digits. @default 0 */
  splitSeed?: number | string;
  /** The seed of the initial weights, the batches and the label noise. @default 0 */
  seed?: number | string;
  /** Singular values above relativeTolerance·σ_max count towards the rank. @default 1e-3 */
  relativeTolerance?: number;
  /** Weights with |w| below this count as zero in the sparsity. @default 1e-3 */
  sparsityThreshold?: number;
}

/** What {@linkcode deepNetworkExperiment} measures. */
export interface DeepOutcome {
  /** The numerical rank of the penultimate representation of the held-out images (NaN if diverged). */
  rank: number;
  /** Its effective rank exp(H(s/Σs)) (NaN if diverged). */
  effectiveRank: number;
  /** The singular values of the testSize × width representation, descending (empty if diverged). */
  singularValues: number[];
  /** Penultimate units that are exactly 0 on every held-out image (dead relu units). */
  deadUnits: number;
  /** The fraction of held-out images classified correctly (NaN if diverged). */
  testAccuracy: number;
  /** The mean noisy-label training loss over the last 10 % of the steps. */
  trainLoss: number;
  /** The fraction of |w| < sparsityThreshold in each layer, first layer first (empty if diverged). */
  sparsity: number[];
  /** True when training diverged (non-finite loss or weights); rank and accuracy are then NaN by design. */
  diverged: boolean;
  /** The steps taken. */
  steps: number;
}

/** Validates the settings; returns them with defaults filled in. Internal. */
export function checkDeepExperiment(fn: string, experiment: unknown): Required<DeepExperiment> {
  const e = check.options(fn, experiment as DeepExperiment | undefined, "experiment") as DeepExperiment;
  const testSize = check.integerInRange(fn, "experiment.testSize", e.testSize ?? 1000, 1, MNIST_COUNT - 1);
  const hidden = e.hidden ?? [128, 128, 64];
  if (!Array.isArray(hidden) || hidden.length === 0) {
    throw new RangeError(
      `Invalid experiment.hidden in ${fn}: expected a non-empty array of widths; received ${check.describe(hidden)}.`,
    );
  }
  hidden.forEach((h, i) => check.integerInRange(fn, `experiment.hidden[${i}]`, h, 1, 4096));
  const pool = e.pool ?? 1;
  if (pool !== 1 && pool !== 2 && pool !== 4) {
    throw new RangeError(`Invalid experiment.pool in ${fn}: expected 1, 2 or 4; received ${check.describe(pool)}.`);
  }
  const noise = check.finiteNumber(fn, "experiment.labelNoise", e.labelNoise);
  if (noise < 0 || noise > 1) {
    throw new RangeError(
      `Invalid experiment.labelNoise in ${fn}: expected a probability in [0, 1]; received ${noise}.`,
    );
  }
  return {
    learningRate: check.learningRate(fn, "experiment.learningRate", e.learningRate),
    labelNoise: noise,
    noiseKind: check.oneOf(fn, "experiment.noiseKind", e.noiseKind ?? "dynamic", ["dynamic", "static"] as const),
    relabel: check.oneOf(fn, "experiment.relabel", e.relabel ?? "uniform", ["uniform", "other"] as const),
    optimizer: check.oneOf(fn, "experiment.optimizer", e.optimizer ?? "sgd", ["sgd", "adam"] as const),
    batchSize: check.integerInRange(fn, "experiment.batchSize", e.batchSize ?? 32, 1, 4096),
    steps: check.integerInRange(fn, "experiment.steps", e.steps ?? 3000, 1),
    hidden,
    activation: check.oneOf(fn, "experiment.activation", e.activation ?? "relu", DEEP_ACTIVATIONS),
    pool,
    testSize,
    trainSize: check.integerInRange(
      fn,
      "experiment.trainSize",
      e.trainSize ?? MNIST_COUNT - testSize,
      1,
      MNIST_COUNT - testSize,
    ),
    splitSeed: check.seed(fn, "experiment.splitSeed", e.splitSeed ?? 0),
    seed: check.seed(fn, "experiment.seed", e.seed ?? 0),
    relativeTolerance: check.positiveNumber(fn, "experiment.relativeTolerance", e.relativeTolerance ?? 1e-3),
    sparsityThreshold: check.positiveNumber(fn, "experiment.sparsityThreshold", e.sparsityThreshold ?? 1e-3),
  };
}

/**
 * Trains a deep network (MNIST 28² or pooled → hidden layers → 10, He-initialized, relu) with plain SGD or Adam on the
 * cross-entropy with dynamic or static label noise, then measures, as App. B.4 does for ResNet-18: the numerical rank
 * of the penultimate representation of `testSize` held-out images (the testSize × width matrix; singular values above
 * relativeTolerance·σ_max), the sparsity of each layer, and the test accuracy. Deterministic in its settings (the
 * digits are split by `splitSeed`, everything else is seeded by `seed`), so a grid computed in any order on any number
 * of workers gives the same numbers.
 *
 * @example Without noise a small network keeps a full-rank representation; at a very large rate it collapses
 * ```ts
 * import { deepNetworkExperiment } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const base = { labelNoise: 0, hidden: [32, 16], pool: 2 as const, steps: 300, seed: 1 };
 * const ok = await deepNetworkExperiment({ ...base, learningRate: 0.1 });
 * assert.ok(ok.testAccuracy > 0.8 && ok.rank >= 12);
 * const collapsed = await deepNetworkExperiment({ ...base, learningRate: 3 });
 * assert.ok(collapsed.diverged || collapsed.rank <= 1);
 * ```
 *
 * @param experiment The settings.
 * @returns Rank, effective rank, dead units, accuracy, sparsity.
 */
export async function deepNetworkExperiment(experiment: DeepExperiment): Promise<DeepOutcome> {
  const e = checkDeepExperiment("deepNetworkExperiment", experiment);
  const { train, test } = await loadMnist({
    testSize: e.testSize,
    trainSize: e.trainSize,
    pool: e.pool,
    seed: e.splitSeed,
  });
  const sizes = [train.features, ...e.hidden, 10];
  const net = createDeepNetwork(sizes, { activation: e.activation, seed: e.seed });
  const run = trainDeepNetwork(net, train, {
    learningRate: e.learningRate,
    optimizer: e.optimizer,
    batchSize: e.batchSize,
    steps: e.steps,
    labelNoise: e.labelNoise,
    noiseKind: e.noiseKind,
    relabel: e.relabel,
    seed: e.seed,
    recordEvery: Math.max(1, Math.floor(e.steps / 10)),
  });
  const trainLoss = run.losses.length > 0 ? run.losses[run.losses.length - 1] : NaN;
  if (run.diverged) {
    return {
      rank: NaN,
      effectiveRank: NaN,
      singularValues: [],
      deadUnits: NaN,
      testAccuracy: NaN,
      trainLoss,
      sparsity: [],
      diverged: true,
      steps: run.steps,
    };
  }
  const width = e.hidden[e.hidden.length - 1];
  const features = penultimateFeatures(run.network, test);
  const s = singularValues(features, test.count, width);
  const rank = rankOf(s, e.relativeTolerance);
  let dead = 0;
  for (let j = 0; j < width; j++) {
    let zero = true;
    for (let i = 0; i < test.count && zero; i++) if (features[i * width + j] !== 0) zero = false;
    if (zero) dead++;
  }
  return {
    rank,
    effectiveRank: effectiveRankOf(s),
    singularValues: Array.from(s),
    deadUnits: dead,
    testAccuracy: evaluateDeepNetwork(run.network, test).accuracy,
    trainLoss,
    sparsity: layerSparsity(run.network, { threshold: e.sparsityThreshold }),
    diverged: false,
    steps: run.steps,
  };
}

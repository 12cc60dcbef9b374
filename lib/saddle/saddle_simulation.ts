/**
 * Seeded simulation of SGD around the saddle (eq. 66) in d dimensions, with each trajectory classified by where it ends
 * up, to compare the empirical phase with the predicted one.
 *
 * @module
 */

import { checkMu } from "./gaussian_saddle_exponents.ts";
import { indexBuffer, Rng } from "../core/random.ts";
import * as check from "../core/validate.ts";

/** Options of {@linkcode simulateSaddleSGD} and {@linkcode simulateGaussianSaddleSGD}. */
export interface SaddleSimulationOptions {
  /** The number of SGD steps. @default 2000 */
  steps?: number;
  /** The number of independent trajectories. @default 100 */
  trajectories?: number;
  /** The batch size S. @default 1 */
  batchSize?: number;
  /** The dimension d of w and u. @default 10 */
  dimension?: number;
  /** The standard deviation of the initial coordinates of w and u (drawn i.i.d. normal). @default 1 */
  initScale?: number;
  /** Record log‖w ∓ u‖ every this many steps (t = 0 and t = steps are always recorded). @default steps */
  recordEvery?: number;
  /** The seed; trajectory k uses its own stream. @default 0 */
  seed?: number | string;
  /**
   * The index of the first trajectory: trajectory k of this call draws from stream `trajectoryOffset + k`, so that a
   * run split into pieces (workers, machines) equals one run. @default 0
   */
  trajectoryOffset?: number;
}

/** The empirical outcomes of a trajectory: which of w − u and w + u shrank. */
export const SADDLE_OUTCOMES = ["I", "II", "III", "IV"] as const;

/** An empirical outcome: I (w → u), II (w → −u), III (both → 0: the saddle), IV (both grow). */
export type SaddleOutcome = typeof SADDLE_OUTCOMES[number];

/** The result of a saddle simulation. */
export interface SaddleSimulation {
  /** The recorded steps. */
  times: Float64Array;
  /** The number of trajectories. */
  trajectories: number;
  /** log‖w − u‖ per trajectory and recorded time, row-major (`k * times.length + j`). */
  logMinus: Float64Array;
  /** log‖w + u‖ per trajectory and recorded time, row-major. */
  logPlus: Float64Array;
  /** The outcome per trajectory, as an index into {@linkcode SADDLE_OUTCOMES}. */
  outcome: Uint8Array;
  /** The fraction of trajectories with each outcome. */
  fractions: Record<SaddleOutcome, number>;
  /** The most frequent outcome. */
  majority: SaddleOutcome;
}

/** Draws χ̄ for one step. */
type Draw = (rng: Rng) => number;

/** The validated settings shared by the saddle simulations. */
interface SimulationSettings {
  l: number;
  steps: number;
  K: number;
  d: number;
  scale: number;
  every: number;
  seed: number | string;
  offset: number;
}

/** Validates λ and the shared options, named under `at` (e.g. `task.` for `task.options.steps`) in messages. */
function simulationSettings(fn: string, at: string, lambda: unknown, o: SaddleSimulationOptions): SimulationSettings {
  const l = check.learningRate(fn, `${at}lambda`, lambda);
  const steps = check.integerInRange(fn, `${at}options.steps`, o.steps ?? 2000);
  const K = check.integerInRange(fn, `${at}options.trajectories`, o.trajectories ?? 100);
  const d = check.integerInRange(fn, `${at}options.dimension`, o.dimension ?? 10);
  const scale = check.positiveNumber(fn, `${at}options.initScale`, o.initScale ?? 1);
  const every = check.integerInRange(fn, `${at}options.recordEvery`, o.recordEvery ?? steps);
  const seed = check.seed(fn, `${at}options.seed`, o.seed ?? 0);
  const offset = check.integerInRange(fn, `${at}options.trajectoryOffset`, o.trajectoryOffset ?? 0, 0);
  check.recordLimit(fn, steps, every, K, at);
  return { l, steps, K, d, scale, every, seed, offset };
}

/**
 * Validates the arguments of {@linkcode simulateSaddleSGD} for `fn`, named under `at` (`task.` for `task.chi`,
 * `task.options.steps`: {@linkcode simulateSaddleInWorkers} checks its task before starting workers). Internal.
 */
export function saddleSGDSettings(fn: string, at: string, chi: unknown, lambda: unknown, options: unknown) {
  const data = check.finiteArray(fn, `${at}chi`, chi);
  const o = check.options(fn, options as SaddleSimulationOptions | undefined, `${at}options`);
  const s = check.integerInRange(fn, `${at}options.batchSize`, o.batchSize ?? 1);
  return { data, s, sim: simulationSettings(fn, at, lambda, o) };
}

/** Validates the arguments of {@linkcode simulateGaussianSaddleSGD}, as {@linkcode saddleSGDSettings}. Internal. */
export function gaussianSaddleSGDSettings(fn: string, at: string, mu: unknown, lambda: unknown, options: unknown) {
  const m = checkMu(fn, `${at}mu`, mu);
  const o = check.options(fn, options as GaussianSaddleSimulationOptions | undefined, `${at}options`);
  const s = check.integerInRange(fn, `${at}options.batchSize`, o.batchSize ?? 1);
  const sigma = check.learningRate(fn, `${at}options.noiseStd`, o.noiseStd ?? 2);
  return { m, s, sigma, sim: simulationSettings(fn, at, lambda, o) };
}

function simulate(settings: SimulationSettings, makeDraw: (rng: Rng) => Draw) {
  const { l, steps, K, d, scale, every, seed, offset } = settings;
  const times: number[] = [];
  for (let t = 0; t < steps; t += every) times.push(t);
  times.push(steps);
  const R = times.length;
  const logMinus = new Float64Array(K * R);
  const logPlus = new Float64Array(K * R);
  const outcome = new Uint8Array(K);
  const counts = [0, 0, 0, 0];
  for (let k = 0; k < K; k++) {
    const rng = Rng.stream(seed, offset + k);
    // Initial w, u ∈ R^d; h = w + u and m = w − u keep their directions (eq. 67), so only norms evolve.
    let hh = 0;
    let mm = 0;
    for (let i = 0; i < d; i++) {
      const w = scale * rng.normal();
      const u = scale * rng.normal();
      hh += (w + u) ** 2;
      mm += (w - u) ** 2;
    }
    let lm = 0.5 * Math.log(mm);
    let lp = 0.5 * Math.log(hh);
    const lm0 = lm;
    const lp0 = lp;
    const draw = makeDraw(rng);
    let t = 0;
    logMinus[k * R] = lm;
    logPlus[k * R] = lp;
    for (let j = 1; j < R; j++) {
      for (; t < times[j]; t++) {
        const chi = draw(rng);
        lm += Math.log(Math.abs(1 - l * chi));
        lp += Math.log(Math.abs(1 + l * chi));
      }
      logMinus[k * R + j] = lm;
      logPlus[k * R + j] = lp;
    }
    const shrinkMinus = lm < lm0;
    const shrinkPlus = lp < lp0;
    const o2 = shrinkMinus ? (shrinkPlus ? 2 : 0) : (shrinkPlus ? 1 : 3);
    outcome[k] = o2;
    counts[o2]++;
  }
  const fractions = Object.fromEntries(SADDLE_OUTCOMES.map((name, i) => [name, counts[i] / K])) as Record<
    SaddleOutcome,
    number
  >;
  const majority = SADDLE_OUTCOMES[counts.indexOf(Math.max(...counts))];
  return { times: Float64Array.from(times), trajectories: K, logMinus, logPlus, outcome, fractions, majority };
}

/**
 * SGD around the saddle of ℓ = −χ·Σᵢ uᵢwᵢ (eqs. 65–66) in d dimensions for a finite dataset: at each step a batch of S
 * values is drawn with replacement from `chi`, χ̄ is their mean, and w ← w + λχ̄u, u ← u + λχ̄w. Each trajectory starts
 * from w, u with i.i.d. N(0, initScale²) coordinates and is classified by whether ‖w − u‖ and ‖w + u‖ ended below their
 * starting values: I (only w − u shrank: w → u), II (only w + u: w → −u), III (both: the saddle), IV (neither).
 *
 * Method: the d coordinates share χ̄, and eq. 67 decouples the update into h = w + u ← (1 + λχ̄)h and m = w − u ← (1 −
 * λχ̄)m — scalar multiplications that keep each vector's direction. The simulator therefore tracks log‖h‖ and log‖m‖
 * exactly (no overflow, no underflow); the directions are those of the start.
 *
 * @example Phase III: both norms shrink
 * ```ts
 * import { saddlePhase, simulateSaddleSGD } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const chi = [1, -0.5];
 * assert.equal(saddlePhase(chi, 1.5), "III");
 * const sim = simulateSaddleSGD(chi, 1.5, { steps: 500, trajectories: 50, seed: 1 });
 * assert.equal(sim.majority, "III");
 * ```
 *
 * @param chi The values of χ = x·y, each equally likely. Non-empty, finite.
 * @param lambda The learning rate λ ≥ 0.
 * @param options Steps, trajectories, batch size, dimension, initial scale, recording, seed.
 * @returns The recorded log-norms, the outcome per trajectory, their fractions and the majority.
 */
export function simulateSaddleSGD(
  chi: ArrayLike<number>,
  lambda: number,
  options: SaddleSimulationOptions = {},
): SaddleSimulation {
  const { data, s, sim } = saddleSGDSettings("simulateSaddleSGD", "", chi, lambda, options);
  const n = data.length;
  return simulate(sim, () => {
    const { buffer } = indexBuffer(s);
    let q = buffer.length;
    return (rng) => {
      if (q === buffer.length) {
        rng.fillIndices(buffer, n);
        q = 0;
      }
      let sum = 0;
      for (let b = 0; b < s; b++) sum += data[buffer[q++]];
      return sum / s;
    };
  });
}

/** Options of {@linkcode simulateGaussianSaddleSGD}. */
export interface GaussianSaddleSimulationOptions extends SaddleSimulationOptions {
  /** The noise standard deviation σ. @default 2 */
  noiseStd?: number;
}

/**
 * SGD around the saddle for the Gaussian model at N = ∞ (Figures 3 and 7): at every step S fresh samples x ~ N(0, 1), y
 * = μx + (1 − μ)ε, ε ~ N(0, σ²), and χ̄ = mean of x·y; otherwise as {@linkcode simulateSaddleSGD}.
 *
 * @example A clean signal is learned: w → u
 * ```ts
 * import { simulateGaussianSaddleSGD } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const sim = simulateGaussianSaddleSGD(0.9, 0.3, { steps: 300, trajectories: 20, seed: 2 });
 * assert.equal(sim.majority, "I");
 * ```
 *
 * @param mu The signal fraction μ ∈ [0, 1].
 * @param lambda The learning rate λ ≥ 0.
 * @param options Steps, trajectories, batch size, dimension, noise, recording, seed.
 * @returns The recorded log-norms, the outcome per trajectory, their fractions and the majority.
 */
export function simulateGaussianSaddleSGD(
  mu: number,
  lambda: number,
  options: GaussianSaddleSimulationOptions = {},
): SaddleSimulation {
  const { m, s, sigma, sim } = gaussianSaddleSGDSettings("simulateGaussianSaddleSGD", "", mu, lambda, options);
  return simulate(sim, () => (rng) => {
    let sum = 0;
    for (let b = 0; b < s; b++) {
      const x = rng.normal();
      sum += x * (m * x + (1 - m) * sigma * rng.normal());
    }
    return sum / s;
  });
}

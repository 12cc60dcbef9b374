/**
 * Phase diagrams of SGD around the saddle (§4.2): Figure 1(b) over (λ, a) with χ ∈ {1, a}; Figure 3 over (λ, μ) and (λ,
 * S) for the Gaussian model at N = ∞; Figure 4 over (λ, μ) for a sampled dataset of size N.
 *
 * @module
 */

import { checkMu, evaluateGaussianRow, planGaussianRow } from "./gaussian_saddle_exponents.ts";
import { randomNormal } from "../core/random.ts";
import { chiDistribution, phaseOf, SADDLE_PHASES, type SaddleExponents } from "./saddle_exponents.ts";
import * as check from "../core/validate.ts";

/**
 * A phase diagram: the exponents and the phase on a grid of learning rates (columns) and of a second parameter (rows:
 * a, μ or S). Arrays are row-major: index `r * lambdas.length + k`.
 */
export interface PhaseDiagram {
  /** The learning rates λ (columns). */
  lambdas: Float64Array;
  /** The row parameter's values. */
  rows: Float64Array;
  /** The row parameter's name: `"a"`, `"μ"` or `"S"`. */
  rowName: string;
  /** E log|1 − λχ̄| per cell. */
  minus: Float64Array;
  /** E log|1 + λχ̄| per cell. */
  plus: Float64Array;
  /** E(1 − λχ̄)² per cell. */
  meanSquare: Float64Array;
  /** The phase per cell, as an index into {@linkcode SADDLE_PHASES}. */
  phase: Uint8Array;
}

function grid(fn: string, param: string, values: unknown, nonNegative = true): Float64Array {
  const g = check.finiteArray(fn, param, values);
  if (nonNegative) g.forEach((v, i) => check.learningRate(fn, `${param}[${i}]`, v));
  return g;
}

function fill(
  lambdas: Float64Array,
  rows: Float64Array,
  rowName: string,
  row: (r: number) => (l: number) => SaddleExponents,
): PhaseDiagram {
  const L = lambdas.length;
  const R = rows.length;
  const minus = new Float64Array(L * R);
  const plus = new Float64Array(L * R);
  const meanSquare = new Float64Array(L * R);
  const phase = new Uint8Array(L * R);
  for (let r = 0; r < R; r++) {
    const at = row(r);
    for (let k = 0; k < L; k++) {
      const e = at(lambdas[k]);
      const i = r * L + k;
      minus[i] = e.minus;
      plus[i] = e.plus;
      meanSquare[i] = e.meanSquare;
      phase[i] = SADDLE_PHASES.indexOf(phaseOf(e));
    }
  }
  return { lambdas, rows, rowName, minus, plus, meanSquare, phase };
}

/**
 * Validates the options of {@linkcode twoPointPhaseDiagram} for `fn`, named `param` (`task.options` for
 * {@linkcode phaseDiagramInWorkers}, which checks its task before starting workers). Internal.
 */
export function twoPointSettings(fn: string, param: string, options: unknown) {
  const o = check.options(fn, options as TwoPointPhaseDiagramOptions, param);
  const lambdas = grid(fn, `${param}.lambdas`, o.lambdas);
  const as = grid(fn, `${param}.as`, o.as, false);
  check.sizeLimit(fn, `${param}.lambdas`, 3 * lambdas.length * as.length, "the diagram (3 numbers a cell)");
  return { lambdas, as };
}

/** Options of {@linkcode twoPointPhaseDiagram}. */
export interface TwoPointPhaseDiagramOptions {
  /** The learning rates λ ≥ 0 (columns). */
  lambdas: ArrayLike<number>;
  /** The values of a (rows): χ = 1 or a, each with probability ½. */
  as: ArrayLike<number>;
}

/**
 * Figure 1(b): the phase diagram over (λ, a) of the saddle with χ = 1 or a, each with probability ½, at batch size 1,
 * from the closed forms of eqs. (68)–(69) (see {@linkcode saddleExponents}).
 *
 * @example Phase III needs strong noise (a < 0) and a large λ
 * ```ts
 * import { SADDLE_PHASES, twoPointPhaseDiagram } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const d = twoPointPhaseDiagram({ lambdas: [0.5, 1.5], as: [-0.5, 2] });
 * assert.deepEqual(Array.from(d.phase, (p) => SADDLE_PHASES[p]), ["Ib", "III", "Ib", "IV"]);
 * ```
 *
 * @param options The grid.
 * @returns The {@linkcode PhaseDiagram}, rows a.
 */
export function twoPointPhaseDiagram(options: TwoPointPhaseDiagramOptions): PhaseDiagram {
  const { lambdas, as } = twoPointSettings("twoPointPhaseDiagram", "options", options);
  return fill(lambdas, as, "a", (r) => {
    const a = as[r];
    return (l) => ({
      minus: 0.5 * Math.log(Math.abs((1 - l) * (1 - l * a))),
      plus: 0.5 * Math.log(Math.abs((1 + l) * (1 + l * a))),
      meanSquare: 0.5 * ((1 - l) ** 2 + (1 - l * a) ** 2),
    });
  });
}

/** Validates the options of {@linkcode gaussianPhaseDiagram}, as {@linkcode twoPointSettings}. Internal. */
export function gaussianSettings(fn: string, param: string, options: unknown) {
  const o = check.options(fn, options as GaussianPhaseDiagramOptions, param);
  const lambdas = grid(fn, `${param}.lambdas`, o.lambdas);
  const mus = check.finiteArray(fn, `${param}.mus`, o.mus);
  check.sizeLimit(fn, `${param}.lambdas`, 3 * lambdas.length * mus.length, "the diagram (3 numbers a cell)");
  mus.forEach((m, i) => checkMu(fn, `${param}.mus[${i}]`, m));
  const s = check.integerInRange(fn, `${param}.batchSize`, o.batchSize ?? 1);
  const sigma = check.learningRate(fn, `${param}.noiseStd`, o.noiseStd ?? 2);
  return { lambdas, mus, s, sigma };
}

/** Options of {@linkcode gaussianPhaseDiagram}. */
export interface GaussianPhaseDiagramOptions {
  /** The learning rates λ ≥ 0 (columns). */
  lambdas: ArrayLike<number>;
  /** The signal fractions μ ∈ [0, 1] (rows). */
  mus: ArrayLike<number>;
  /** The batch size S. @default 1 */
  batchSize?: number;
  /** The noise standard deviation σ. @default 2 */
  noiseStd?: number;
}

/** E[χ] and E[χ²] of the Gaussian model: χ = μx² + c·x·z. */
function gaussianMoments(mu: number, sigma: number): { m1: number; m2: number } {
  const c = (1 - mu) * sigma;
  return { m1: mu, m2: 3 * mu * mu + c * c };
}

/**
 * Figure 3 (left): the phase diagram over (λ, μ) of the Gaussian model at N = ∞ (x ~ N(0, 1), y = μx + (1 − μ)ε, ε ~
 * N(0, σ²)), with the exponents of {@linkcode gaussianSaddleExponents} (one quadrature plan per row, shared by all
 * learning rates) and the closed-form mean-square factor 1 − 2λμ + λ²((2μ² + c²)/S + μ²), c = (1 − μ)σ.
 *
 * Cost: about 1.5 s for 400 × 400 at S = 1 on one core.
 *
 * @example Strong noise (small μ) makes the saddle attract; a clean signal is learned
 * ```ts
 * import { gaussianPhaseDiagram, SADDLE_PHASES } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const d = gaussianPhaseDiagram({ lambdas: [0.3, 2], mus: [0.06, 0.9] });
 * assert.deepEqual(Array.from(d.phase, (p) => SADDLE_PHASES[p]), ["III", "IV", "Ib", "Ia"]);
 * ```
 *
 * @param options The grid, batch size and noise level.
 * @returns The {@linkcode PhaseDiagram}, rows μ.
 */
export function gaussianPhaseDiagram(options: GaussianPhaseDiagramOptions): PhaseDiagram {
  const { lambdas, mus, s, sigma } = gaussianSettings("gaussianPhaseDiagram", "options", options);
  const [lo, hi] = positiveRange(lambdas);
  return fill(lambdas, mus, "μ", (r) => gaussianRow(mus[r], s, sigma, lo, hi));
}

/** Validates the options of {@linkcode gaussianBatchPhaseDiagram}, as {@linkcode twoPointSettings}. Internal. */
export function gaussianBatchSettings(fn: string, param: string, options: unknown) {
  const o = check.options(fn, options as GaussianBatchPhaseDiagramOptions, param);
  const lambdas = grid(fn, `${param}.lambdas`, o.lambdas);
  const sizes = check.finiteArray(fn, `${param}.batchSizes`, o.batchSizes);
  check.sizeLimit(fn, `${param}.lambdas`, 3 * lambdas.length * sizes.length, "the diagram (3 numbers a cell)");
  sizes.forEach((v, i) => check.integerInRange(fn, `${param}.batchSizes[${i}]`, v));
  const mu = checkMu(fn, `${param}.mu`, o.mu ?? 0.06);
  const sigma = check.learningRate(fn, `${param}.noiseStd`, o.noiseStd ?? 2);
  return { lambdas, sizes, mu, sigma };
}

/** Options of {@linkcode gaussianBatchPhaseDiagram}. */
export interface GaussianBatchPhaseDiagramOptions {
  /** The learning rates λ ≥ 0 (columns). */
  lambdas: ArrayLike<number>;
  /** The batch sizes S (rows), positive integers. */
  batchSizes: ArrayLike<number>;
  /** The signal fraction μ ∈ [0, 1]. @default 0.06 (Figure 3, right) */
  mu?: number;
  /** The noise standard deviation σ. @default 2 */
  noiseStd?: number;
}

/**
 * Figure 3 (right): the phase diagram over (λ, S) of the Gaussian model at N = ∞ for one μ, with the exponents of
 * {@linkcode gaussianSaddleExponents}.
 *
 * @example A larger batch makes the saddle harder to reach
 * ```ts
 * import { gaussianBatchPhaseDiagram, SADDLE_PHASES } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const d = gaussianBatchPhaseDiagram({ lambdas: [0.5], batchSizes: [1, 64] });
 * assert.deepEqual(Array.from(d.phase, (p) => SADDLE_PHASES[p]), ["III", "Ib"]);
 * ```
 *
 * @param options The grid, μ and noise level.
 * @returns The {@linkcode PhaseDiagram}, rows S.
 */
export function gaussianBatchPhaseDiagram(options: GaussianBatchPhaseDiagramOptions): PhaseDiagram {
  const { lambdas, sizes, mu, sigma } = gaussianBatchSettings("gaussianBatchPhaseDiagram", "options", options);
  const [lo, hi] = positiveRange(lambdas);
  return fill(lambdas, sizes, "S", (r) => gaussianRow(mu, sizes[r], sigma, lo, hi));
}

function positiveRange(lambdas: Float64Array): [number, number] {
  let lo = Infinity;
  let hi = 0;
  for (const l of lambdas) {
    if (l > 0) {
      lo = Math.min(lo, l);
      hi = Math.max(hi, l);
    }
  }
  return lo === Infinity ? [1, 1] : [lo, hi];
}

function gaussianRow(mu: number, s: number, sigma: number, lo: number, hi: number) {
  const plan = planGaussianRow(mu, s, sigma, lo, hi);
  const { m1, m2 } = gaussianMoments(mu, sigma);
  const second = m2 / s + (1 - 1 / s) * m1 * m1;
  return (l: number): SaddleExponents => ({
    ...evaluateGaussianRow(plan, l),
    meanSquare: 1 - 2 * l * m1 + l * l * second,
  });
}

/** Validates the options of {@linkcode finitePhaseDiagram}, as {@linkcode twoPointSettings}. Internal. */
export function finiteSettings(fn: string, param: string, options: unknown) {
  const o = check.options(fn, options as FinitePhaseDiagramOptions, param);
  const lambdas = grid(fn, `${param}.lambdas`, o.lambdas);
  const mus = check.finiteArray(fn, `${param}.mus`, o.mus);
  check.sizeLimit(fn, `${param}.lambdas`, 3 * lambdas.length * mus.length, "the diagram (3 numbers a cell)");
  mus.forEach((m, i) => checkMu(fn, `${param}.mus[${i}]`, m));
  const n = check.integerInRange(fn, `${param}.size`, o.size);
  const s = check.integerInRange(fn, `${param}.batchSize`, o.batchSize ?? 1);
  const sigma = check.learningRate(fn, `${param}.noiseStd`, o.noiseStd ?? 2);
  const seed = check.seed(fn, `${param}.seed`, o.seed ?? 0);
  return { lambdas, mus, n, s, sigma, seed };
}

/** Options of {@linkcode finitePhaseDiagram}. */
export interface FinitePhaseDiagramOptions {
  /** The learning rates λ ≥ 0 (columns). */
  lambdas: ArrayLike<number>;
  /** The signal fractions μ ∈ [0, 1] (rows). */
  mus: ArrayLike<number>;
  /** The dataset size N. */
  size: number;
  /** The batch size S (exact enumeration of batches). @default 1 */
  batchSize?: number;
  /** The noise standard deviation σ. @default 2 */
  noiseStd?: number;
  /** The seed of the dataset. @default 0 */
  seed?: number | string;
}

/**
 * Figure 4: the phase diagram over (λ, μ) for one sampled dataset of N points, xᵢ ~ N(0, 1) and εᵢ ~ N(0, σ²) drawn
 * once (seeded; the same xᵢ and εᵢ for every μ), yᵢ = μxᵢ + (1 − μ)εᵢ and χᵢ = xᵢyᵢ; exact exponents over the N values
 * (or over all batches when S > 1).
 *
 * @example Three points
 * ```ts
 * import { finitePhaseDiagram } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const d = finitePhaseDiagram({ lambdas: [0.1, 1, 2], mus: [0, 0.5, 1], size: 3, seed: 1 });
 * assert.equal(d.phase.length, 9);
 * ```
 *
 * @param options The grid, the dataset size and seed, the batch size and noise level.
 * @returns The {@linkcode PhaseDiagram}, rows μ.
 */
export function finitePhaseDiagram(options: FinitePhaseDiagramOptions): PhaseDiagram {
  const fn = "finitePhaseDiagram";
  const { lambdas, mus, n, s, sigma, seed } = finiteSettings(fn, "options", options);
  const { x, eps } = finiteDataset(n, seed, sigma);
  return fill(lambdas, mus, "μ", (r) => {
    const mu = mus[r];
    const chi = Float64Array.from(x, (xi, i) => xi * (mu * xi + (1 - mu) * eps[i]));
    const dist = chiDistribution(fn, chi, s, 1_000_000);
    return (l) => dist.at(l);
  });
}

/**
 * The dataset of {@linkcode finitePhaseDiagram}: xᵢ ~ N(0, 1) from stream `${seed}:x` and εᵢ ~ N(0, σ²) from stream
 * `${seed}:eps` (inputs trusted; validated by the callers).
 *
 * @example The same seed, the same data
 * ```ts
 * import { finiteDataset } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(finiteDataset(4, 1, 2), finiteDataset(4, 1, 2));
 * ```
 *
 * @param n The dataset size N.
 * @param seed The seed.
 * @param noiseStd The noise standard deviation σ.
 * @returns The inputs `x` and the label noises `eps`.
 */
export function finiteDataset(
  n: number,
  seed: number | string,
  noiseStd: number,
): { x: Float64Array; eps: Float64Array } {
  const fn = "finiteDataset";
  check.integerInRange(fn, "n", n);
  check.sizeLimit(fn, "n", 2 * n, "the dataset (x and eps)");
  check.seed(fn, "seed", seed);
  check.learningRate(fn, "noiseStd", noiseStd);
  return {
    x: randomNormal(n, { seed: `${seed}:x` }),
    eps: randomNormal(n, { seed: `${seed}:eps`, std: noiseStd }),
  };
}

/**
 * Part V of the paper at CPU scale (Figure 1(c), the end of §4.4, App. B.4, Figures 9–12): deep networks on real MNIST
 * digits with label noise — the model, the grids, their sweep cells and how to read them. Notebook 14 walks through the
 * same computations at the notebook's size; `deno task reproduce --full` (or `deno task sweep --size deep-full`) runs
 * the full grids.
 *
 * @module
 */

import {
  type DeepExperiment,
  type DeepOutcome,
  gaussianPhaseDiagram,
  geomspace,
  linspace,
  type RankBoundary,
  type RankDiagram,
  runSweep,
  type SweepCell,
  sweepKey,
  type SweepOptions,
} from "../mod.ts";
import {
  booleans,
  check,
  deepOutcomes,
  deepPanel,
  deepSize,
  networkResults as checkNetworkResults,
  place,
} from "./checks.ts";
import { readCache } from "./sweep_cache.ts";
import { fmt } from "./claims.ts";
import { NETWORK_SIZES, type NetworkResults } from "./part4_network.ts";

// --------------------------------------------------------------------------------------------------------- The model
// and the grids

/**
 * The model of every Part V run: MNIST 28 × 28 → 128 → 128 → 64 → 10, relu, He initialization, softmax cross-entropy;
 * 9,000 training digits and 1,000 held-out digits (split seed 0); the rank of the 64-wide penultimate representation of
 * the 1,000 held-out digits at relative tolerance 10⁻³; sparsity = fraction of
 * |w| < 10⁻³. Chosen by measurement (README, notebook 14): a conv net was not needed to see the effect, and
 * this MLP trains at ≈ 2–3 ms per step of 32 images on one core.
 */
export const DEEP_MODEL = {
  hidden: [128, 128, 64],
  activation: "relu",
  pool: 1,
  testSize: 1000,
  splitSeed: 0,
  relativeTolerance: 1e-3,
  sparsityThreshold: 1e-3,
} as const satisfies Partial<DeepExperiment>;

/** The width of the penultimate representation. */
export const PENULTIMATE: number = DEEP_MODEL.hidden[DEEP_MODEL.hidden.length - 1];

/** The settings of one Part V grid size: steps per run, the (λ, noise) grid and the batch-size experiment. */
export interface DeepSizeSettings {
  /** The training steps of each run. */
  readonly steps: number;
  /** The SGD learning rates (columns; Adam's panel uses λ/50). */
  readonly lambdas: Float64Array;
  /** The label-noise levels (rows). */
  readonly noises: Float64Array;
  /** The batch-size experiment: the batch sizes, one learning rate and the noise levels. */
  readonly batch: {
    readonly batchSizes: readonly number[];
    readonly learningRate: number;
    readonly noises: readonly number[];
  };
}

/** The grid sizes: the notebook's (about a minute on 2 cores) and the full one (`reproduce --full`). */
export const DEEP_SIZES: { readonly "deep-notebook": DeepSizeSettings; readonly "deep-full": DeepSizeSettings } = {
  "deep-notebook": {
    steps: 1000,
    lambdas: linspace(0.3, 1.2, 4),
    noises: linspace(0, 0.9, 3),
    batch: { batchSizes: [8, 32, 128], learningRate: 0.6, noises: [0.9] },
  },
  "deep-full": {
    steps: 3000,
    lambdas: linspace(0.15, 1.2, 8),
    noises: linspace(0, 0.9, 7),
    batch: { batchSizes: [4, 8, 16, 32, 64, 128], learningRate: 0.6, noises: [0.45, 0.9] },
  },
} as const;

/** A grid size name. */
export type DeepSize = keyof typeof DEEP_SIZES;

/**
 * The panels: SGD with dynamic label noise (Figure 1(c1)), Adam (Figure 1(c4); its learning rate is λ/50 — Adam's step
 * per coordinate is about its learning rate whatever the gradient's scale, measured: 0.002–0.024 spans its transition),
 * and SGD with static noise (Figures 10–11).
 */
export const DEEP_PANELS: ReadonlyArray<
  { name: string; optimizer: "sgd" | "adam"; noiseKind: "dynamic" | "static"; lambdaScale: number }
> = [
  { name: "sgd", optimizer: "sgd", noiseKind: "dynamic", lambdaScale: 1 },
  { name: "adam", optimizer: "adam", noiseKind: "dynamic", lambdaScale: 1 / 50 },
  { name: "static", optimizer: "sgd", noiseKind: "static", lambdaScale: 1 },
];

/** The experiment of one grid cell. */
export function deepExperiment(
  size: DeepSize,
  settings: Pick<DeepExperiment, "learningRate" | "labelNoise"> & Partial<DeepExperiment>,
): DeepExperiment {
  const fn = "deepExperiment";
  deepSize(fn, size);
  check.object(fn, "settings", settings);
  check.positiveNumber(fn, "settings.learningRate", settings.learningRate);
  check.learningRate(fn, "settings.labelNoise", settings.labelNoise);
  return { ...DEEP_MODEL, hidden: [...DEEP_MODEL.hidden], steps: DEEP_SIZES[size].steps, seed: "fig1c", ...settings };
}

/** The cells of one panel, row-major: noise rows × λ columns. */
export function deepCells(size: DeepSize, panel: (typeof DEEP_PANELS)[number]): SweepCell[] {
  deepPanel("deepCells", panel);
  const s = DEEP_SIZES[deepSize("deepCells", size)];
  return Array.from(s.noises).flatMap((labelNoise) =>
    Array.from(s.lambdas).map((lambda) => ({
      kind: "deepNetwork" as const,
      experiment: deepExperiment(size, {
        learningRate: lambda * panel.lambdaScale,
        labelNoise,
        optimizer: panel.optimizer,
        noiseKind: panel.noiseKind,
      }),
    }))
  );
}

/** The cells of the batch-size experiment (Figure 12): SGD, dynamic noise, fixed λ and number of steps. */
export function deepBatchCells(size: DeepSize): SweepCell[] {
  deepSize("deepBatchCells", size);
  const b = DEEP_SIZES[size].batch;
  return b.noises.flatMap((labelNoise) =>
    b.batchSizes.map((batchSize) => ({
      kind: "deepNetwork" as const,
      experiment: deepExperiment(size, { learningRate: b.learningRate, labelNoise, batchSize, seed: "fig12" }),
    }))
  );
}

/**
 * The two readings of "label noise" (§4.4: a label "is flipped to a random label"; App. B.4: "reselecting the label
 * from a uniform distribution"), compared at the largest noise and the smallest λ of the grid: the grid itself uses
 * App. B.4's (`relabel: "uniform"`); these cells use §4.4's (`"other"`), static and dynamic.
 */
export function deepRelabelCells(size: DeepSize): SweepCell[] {
  deepSize("deepRelabelCells", size);
  const s = DEEP_SIZES[size];
  return (["static", "dynamic"] as const).map((noiseKind) => ({
    kind: "deepNetwork" as const,
    experiment: deepExperiment(size, {
      learningRate: s.lambdas[0],
      labelNoise: s.noises[s.noises.length - 1],
      noiseKind,
      relabel: "other",
    }),
  }));
}

/** Every cell of one size (for the sweep CLI and sharding). */
export function deepNetworkCells(size: DeepSize): SweepCell[] {
  deepSize("deepNetworkCells", size);
  return [...DEEP_PANELS.flatMap((p) => deepCells(size, p)), ...deepBatchCells(size), ...deepRelabelCells(size)];
}

/** All results of the Part V grids at one size. */
export interface DeepResults {
  /** The size they were computed at. */
  size: DeepSize;
  /** The outcomes of each panel of {@linkcode DEEP_PANELS}, by name, row-major (noise rows × λ columns). */
  panels: Record<string, DeepOutcome[]>;
  /** The batch-size cells ({@linkcode deepBatchCells}). */
  batch: DeepOutcome[];
  /** The cells of {@linkcode deepRelabelCells}: static, then dynamic noise with §4.4's relabeling. */
  relabel: DeepOutcome[];
}

/** Runs (or reads from `options.known`) every cell of one size. */
export async function deepResults(size: DeepSize, options: SweepOptions = {}): Promise<DeepResults> {
  const fn = "deepResults";
  deepSize(fn, size);
  check.object(fn, "options", options);
  if (options.workers !== undefined) check.integerInRange(fn, "options.workers", options.workers);
  if (options.known !== undefined && !(options.known instanceof Map)) {
    throw new TypeError(
      `Invalid options.known in ${fn}: expected a Map of cached results; received ${check.describe(options.known)}.`,
    );
  }
  const groups = DEEP_PANELS.map((p) => [p.name, deepCells(size, p)] as const);
  const batchCells = deepBatchCells(size);
  const relabelCells = deepRelabelCells(size);
  const results = await runSweep([...groups.flatMap(([, c]) => c), ...batchCells, ...relabelCells], options);
  if (results.some((r) => r === undefined)) {
    throw new RangeError("Invalid options.shard in deepResults: a figure needs every cell.");
  }
  let o = 0;
  const take = (n: number) => results.slice(o, o += n) as DeepOutcome[];
  const panels: Record<string, DeepOutcome[]> = {};
  for (const [name, cells] of groups) panels[name] = take(cells.length);
  const batch = take(batchCells.length);
  return { size, panels, batch, relabel: take(relabelCells.length) };
}

/**
 * The results of one size from the sweep cache alone (`<out>/sweeps/<size>*.jsonl`), computing nothing: undefined when
 * a cell is missing. `seconds` is the total compute time of the cached cells (one core each). Needs `--allow-read` for
 * `out` (e.g. `"../figures"` from a notebook).
 */
export async function cachedDeepResults(
  size: DeepSize,
  out: string | URL,
): Promise<(DeepResults & { seconds: number }) | undefined> {
  deepSize("cachedDeepResults", size);
  place("cachedDeepResults", "out", out);
  const known = await readCache(out, size);
  if (deepNetworkCells(size).some((c) => !known.has(sweepKey(c)))) return undefined;
  return { ...(await deepResults(size, { known, workers: 1 })), seconds: known.seconds };
}

// --------------------------------------------------------------------------------------------------------- Reading the
// grids

/** "Low rank" in Part V: at most half of the penultimate representation's 64 directions left. */
export const DEEP_LOW_RANK = 0.5;

/** Whether a run ended with a low-rank representation; false for a diverged run. */
export function isDeepLowRank(r: DeepOutcome): boolean {
  check.object("isDeepLowRank", "r", r);
  return !r.diverged && r.rank <= DEEP_LOW_RANK * PENULTIMATE;
}

/** A measurement of one panel as a {@linkcode RankDiagram} (rows = noise levels; NaN for diverged runs). */
export function deepDiagram(
  size: DeepSize,
  outcomes: DeepOutcome[],
  field: "rank" | "testAccuracy" | "deadUnits" | "effectiveRank" | { sparsity: number } = "rank",
  lambdaScale = 1,
): RankDiagram {
  const fn = "deepDiagram";
  const s = DEEP_SIZES[deepSize(fn, size)];
  deepOutcomes(fn, size, outcomes);
  if (typeof field === "object" && field !== null) check.integerInRange(fn, "field.sparsity", field.sparsity, 0);
  else check.oneOf(fn, "field", field, ["rank", "testAccuracy", "deadUnits", "effectiveRank"]);
  check.positiveNumber(fn, "lambdaScale", lambdaScale);
  const value = (r: DeepOutcome) =>
    r.diverged ? NaN : typeof field === "string" ? r[field] : r.sparsity[field.sparsity];
  return {
    lambdas: Float64Array.from(s.lambdas, (l) => l * lambdaScale),
    mus: s.noises,
    values: outcomes.map(value),
    maxRank: field === "testAccuracy"
      ? 1
      : typeof field === "object"
      ? Math.max(...outcomes.map(value).filter(Number.isFinite), 1e-9)
      : PENULTIMATE,
  };
}

/**
 * The observed phase boundary: for each noise level, the smallest λ of the grid whose run ended with low rank (∞ when
 * none did).
 */
export function criticalLearningRates(size: DeepSize, outcomes: DeepOutcome[], lambdaScale = 1): number[] {
  const fn = "criticalLearningRates";
  const s = DEEP_SIZES[deepSize(fn, size)];
  deepOutcomes(fn, size, outcomes);
  check.positiveNumber(fn, "lambdaScale", lambdaScale);
  const n = s.lambdas.length;
  return Array.from(s.noises, (_, row) => {
    for (let k = 0; k < n; k++) if (isDeepLowRank(outcomes[row * n + k])) return s.lambdas[k] * lambdaScale;
    return Infinity;
  });
}

/** The 1-D theory (Prop. 2, Gaussian data, σ = 2) at (λ₁D, μ = 1 − noise): does the saddle attract? */
function theoryAttracts(lambdas1D: ArrayLike<number>, noises: ArrayLike<number>): boolean[] {
  const mus = Float64Array.from(noises, (p) => 1 - p);
  const d = gaussianPhaseDiagram({ lambdas: Float64Array.from(lambdas1D), mus, noiseStd: 2 });
  return Array.from(d.plus, (p, i) => Math.max(p, d.minus[i]) < 0);
}

/**
 * The two-layer theory as a classifier of the deep grid: the 1-D saddle of Prop. 2 (σ = 2) attracts at (c·λ, μ = 1 −
 * noise) ⇔ low rank, with the one free scale c (the deep network's λ and the 1-D model's λ are not the same quantity)
 * chosen to maximize the agreement over a geometric grid of c. Returns the best c (per unit of the panel's rate,
 * λ·lambdaScale), the agreement there, and for reference the agreement of the best rule that ignores the noise ("low
 * rank iff λ ≥ λ₀" for one λ₀).
 */
export function theoryFit(
  size: DeepSize,
  outcomes: DeepOutcome[],
  lambdaScale = 1,
): { scale: number; agree: number; n: number; baseline: number } {
  const fn = "theoryFit";
  deepOutcomes(fn, deepSize(fn, size), outcomes);
  check.positiveNumber(fn, "lambdaScale", lambdaScale);
  return theoryFitClasses(size, outcomes.map(isDeepLowRank), outcomes.map((r) => !r.diverged), lambdaScale);
}

/**
 * {@linkcode theoryFit} on a given classification of the grid's cells (row-major): `low[i]` whether cell i is low rank,
 * `finite[i]` whether it counts (false for a diverged cell) — e.g. a classification by a majority of seeds.
 */
export function theoryFitClasses(
  size: DeepSize,
  low: readonly boolean[],
  finite: readonly boolean[],
  lambdaScale = 1,
): { scale: number; agree: number; n: number; baseline: number } {
  const fn = "theoryFitClasses";
  const s = DEEP_SIZES[deepSize(fn, size)];
  booleans(fn, "low", low, s.lambdas.length * s.noises.length);
  booleans(fn, "finite", finite, s.lambdas.length * s.noises.length);
  check.positiveNumber(fn, "lambdaScale", lambdaScale);
  let best = { scale: NaN, agree: -1 };
  for (const c of geomspace(0.01, 10, 121)) {
    const pred = theoryAttracts(Float64Array.from(s.lambdas, (l) => l * c), s.noises);
    let agree = 0;
    pred.forEach((p, i) => {
      if (finite[i] && p === low[i]) agree++;
    });
    if (agree > best.agree) best = { scale: c, agree };
  }
  const n = finite.filter(Boolean).length;
  // Reference: the best rule that ignores the noise (low rank iff λ ≥ λ₀ for one λ₀).
  let baseline = 0;
  for (let k = 0; k <= s.lambdas.length; k++) {
    let agree = 0;
    low.forEach((l, i) => {
      if (finite[i] && (i % s.lambdas.length >= k) === l) agree++;
    });
    baseline = Math.max(baseline, agree);
  }
  return { scale: best.scale / lambdaScale, agree: best.agree, n, baseline };
}

/**
 * The boundary of the fitted 1-D theory, drawn on a deep panel: λ₁D = scale × the panel's rate (the grid's λ times
 * `lambdaScale`, e.g. Adam's λ/50).
 */
export function fittedTheoryBoundary(size: DeepSize, scale: number, lambdaScale = 1): RankBoundary {
  const fn = "fittedTheoryBoundary";
  const s = DEEP_SIZES[deepSize(fn, size)];
  check.positiveNumber(fn, "scale", scale);
  check.positiveNumber(fn, "lambdaScale", lambdaScale);
  const lambdas = linspace(s.lambdas[0] * lambdaScale, s.lambdas[s.lambdas.length - 1] * lambdaScale, 60);
  const noises = linspace(0, s.noises[s.noises.length - 1], 61);
  const mus = Float64Array.from(noises, (p) => 1 - p);
  const d = gaussianPhaseDiagram({ lambdas: Float64Array.from(lambdas, (l) => l * scale), mus, noiseStd: 2 });
  return {
    label: `1-D saddle attracts beyond this line (λ₁D = ${fmt(scale, 3)}·λ)`,
    lambdas,
    mus: noises,
    values: Float64Array.from(d.plus, (p, i) => Math.max(p, d.minus[i])),
    stroke: "#D55E00",
  };
}

/** Part IV's two-layer rank diagram re-drawn over (λ, 1 − μ), the axes of Figure 1(c2–c3). */
export function twoLayerNoiseDiagram(results: NetworkResults, panel: "linear" | "tanh"): RankDiagram {
  checkNetworkResults("twoLayerNoiseDiagram", results);
  check.oneOf("twoLayerNoiseDiagram", "panel", panel, ["linear", "tanh"]);
  const s = NETWORK_SIZES[results.size];
  const nl = s.lambdas.length, nm = s.mus.length;
  const values = new Float64Array(nl * nm);
  results.panels[panel].forEach((r, i) => {
    const row = nm - 1 - Math.floor(i / nl);
    values[row * nl + (i % nl)] = r.diverged ? NaN : r.rank;
  });
  return {
    lambdas: s.lambdas,
    mus: Float64Array.from(s.mus, (_, r) => 1 - s.mus[nm - 1 - r]),
    values,
    maxRank: s.dimension,
  };
}

// ---------------------------------------------------------------------------------------------------------

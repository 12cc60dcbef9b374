/**
 * Part IV of the paper (Figure 1(a), §4.3 / Figure 5, §4.4 / Figures 7–8, App. B.2–B.3): the §4.4 network sweeps —
 * sizes, panels, sweep cells, results and the 1-D theory they are compared with. Notebook 13 walks through them at the
 * notebook size; `deno task reproduce --full` runs the paper's size (d = 200).
 *
 * @module
 */

import {
  type Activation,
  gaussianPhaseDiagram,
  linspace,
  type RankBoundary,
  type RankDiagram,
  type RankOutcome,
  runSweep,
  type SweepCell,
  sweepKey,
  type SweepOptions,
} from "../mod.ts";
import { readCache } from "./sweep_cache.ts";
import { check, checkPanel, networkSize, panelOutcomes, place } from "./checks.ts";

// §4.4 / Figures 7–8: d → d → d networks on fresh Gaussian data

/** The settings of one size of the network sweeps: d, the training steps and the (λ, μ) grid. */
export interface NetworkSizeSettings {
  /** The width d of the d → d → d network. */
  readonly dimension: number;
  /** The SGD steps of each run. */
  readonly steps: number;
  /** The learning rates (columns). */
  readonly lambdas: Float64Array;
  /** The signal fractions μ (rows). */
  readonly mus: Float64Array;
}

/** The sizes of the network sweeps: the notebook's (seconds) and the paper's (`reproduce --full`). */
export const NETWORK_SIZES: { readonly notebook: NetworkSizeSettings; readonly full: NetworkSizeSettings } = {
  notebook: { dimension: 20, steps: 10_000, lambdas: linspace(0.025, 0.25, 10), mus: linspace(0.05, 0.95, 10) },
  full: { dimension: 200, steps: 40_000, lambdas: linspace(0.025, 0.25, 10), mus: linspace(0.05, 0.95, 10) },
} as const;

/** A size name. */
export type NetworkSize = keyof typeof NETWORK_SIZES;

/**
 * The panels of Figures 7–8 and App. B.3: SGD with the four activations, and Adam (linear). Adam's step is about its
 * learning rate per coordinate whatever the gradient's scale, so its grid is λ/25 (0.001–0.01).
 */
export const PANELS: ReadonlyArray<
  { name: string; activation: Activation; optimizer: "sgd" | "adam"; lambdaScale: number }
> = [
  { name: "linear", activation: "linear", optimizer: "sgd", lambdaScale: 1 },
  { name: "tanh", activation: "tanh", optimizer: "sgd", lambdaScale: 1 },
  { name: "relu", activation: "relu", optimizer: "sgd", lambdaScale: 1 },
  { name: "swish", activation: "swish", optimizer: "sgd", lambdaScale: 1 },
  { name: "adam", activation: "linear", optimizer: "adam", lambdaScale: 1 / 25 },
];

/** The loss convention of the network runs (PyTorch's `nn.MSELoss()`); see {@linkcode trainedRank}. */
export const REDUCTION = "mean" as const;

/** The cells of one panel, row-major: μ rows × λ columns. */
export function rankCells(size: NetworkSize, panel: (typeof PANELS)[number]): SweepCell[] {
  checkPanel("rankCells", panel);
  const s = NETWORK_SIZES[networkSize("rankCells", size)];
  return Array.from(s.mus).flatMap((mu) =>
    Array.from(s.lambdas).map((lambda) => ({
      kind: "trainedRank" as const,
      experiment: {
        mu,
        lambda: lambda * panel.lambdaScale,
        dimension: s.dimension,
        activation: panel.activation,
        optimizer: panel.optimizer,
        steps: s.steps,
        reduction: REDUCTION,
        seed: "fig7",
      },
    }))
  );
}

/** The batch sizes and (λ, μ) of the batch-size experiment (§4.2's last claim, App. B). */
export const BATCH = { batchSizes: [1, 2, 4, 8, 16, 32], lambdas: [0.15, 0.25], mu: 0.05 };

/** The cells of the batch-size experiment (linear network). */
export function batchCells(size: NetworkSize): SweepCell[] {
  const s = NETWORK_SIZES[networkSize("batchCells", size)];
  return BATCH.lambdas.flatMap((lambda) =>
    BATCH.batchSizes.map((batchSize) => ({
      kind: "trainedRank" as const,
      experiment: {
        mu: BATCH.mu,
        lambda,
        batchSize,
        dimension: s.dimension,
        steps: s.steps,
        reduction: REDUCTION,
        seed: "batch",
      },
    }))
  );
}

/** The grid of the linearized d-dimensional saddle exponent (coarser: it is only a sign). */
export const EXPONENT_GRID: { lambdas: Float64Array; mus: Float64Array } = {
  lambdas: linspace(0.025, 0.25, 4),
  mus: linspace(0.05, 0.95, 4),
};

/** The cells of the linearized saddle exponent (`saddleNetworkExponent`, linear network, same loss convention). */
export function exponentCells(size: NetworkSize): SweepCell[] {
  const d = NETWORK_SIZES[networkSize("exponentCells", size)].dimension;
  return Array.from(EXPONENT_GRID.mus).flatMap((mu) =>
    Array.from(EXPONENT_GRID.lambdas).map((lambda) => ({
      kind: "saddleNetworkExponent" as const,
      mu,
      lambda,
      options: {
        dimension: d,
        reduction: REDUCTION,
        steps: size === "full" ? 3000 : 5000,
        transient: 500,
        runs: 2,
        seed: "exp",
      },
    }))
  );
}

/** All results of the network experiments at one size. */
export interface NetworkResults {
  /** The size they were computed at. */
  size: NetworkSize;
  /** The rank outcomes of each panel of {@linkcode PANELS}, by name, row-major (μ rows × λ columns). */
  panels: Record<string, RankOutcome[]>;
  /** The batch-size cells ({@linkcode batchCells}). */
  batch: RankOutcome[];
  /** The linearized saddle exponents on {@linkcode EXPONENT_GRID}, row-major. */
  exponents: Array<{ exponent: number; standardError: number }>;
}

/** Runs (or reads from `options.known`) every network cell of one size. */
export async function networkResults(size: NetworkSize, options: SweepOptions = {}): Promise<NetworkResults> {
  const fn = "networkResults";
  networkSize(fn, size);
  check.object(fn, "options", options);
  if (options.workers !== undefined) check.integerInRange(fn, "options.workers", options.workers);
  if (options.known !== undefined && !(options.known instanceof Map)) {
    throw new TypeError(
      `Invalid options.known in ${fn}: expected a Map of cached results; received ${check.describe(options.known)}.`,
    );
  }
  const groups: Array<[string, SweepCell[]]> = [
    ...PANELS.map((p) => [p.name, rankCells(size, p)] as [string, SweepCell[]]),
    ["batch", batchCells(size)],
    ["exponents", exponentCells(size)],
  ];
  const all = groups.flatMap(([, c]) => c);
  const results = await runSweep(all, options);
  if (results.some((r) => r === undefined)) {
    throw new RangeError("Invalid options.shard in networkResults: a figure needs every cell.");
  }
  let o = 0;
  const take = (n: number) => results.slice(o, o += n);
  const panels: Record<string, RankOutcome[]> = {};
  for (const [name, cells] of groups.slice(0, PANELS.length)) panels[name] = take(cells.length) as RankOutcome[];
  const batch = take(groups[PANELS.length][1].length) as RankOutcome[];
  const exponents = take(groups[PANELS.length + 1][1].length) as Array<{ exponent: number; standardError: number }>;
  return { size, panels, batch, exponents };
}

/**
 * The results of one size from the sweep cache alone (`<out>/sweeps/<size>*.jsonl`, written by `deno task sweep` and
 * `deno task reproduce`), without computing anything: undefined when a cell is missing. `seconds` is the total compute
 * time of the cached cells (one core each). Needs `--allow-read` for `out` (e.g. `"../figures"` from a notebook, where
 * the full caches are committed).
 */
export async function cachedNetworkResults(
  size: NetworkSize,
  out: string | URL,
): Promise<(NetworkResults & { seconds: number }) | undefined> {
  networkSize("cachedNetworkResults", size);
  place("cachedNetworkResults", "out", out);
  const known = await readCache(out, size);
  if (networkCells(size).some((c) => !known.has(sweepKey(c)))) return undefined;
  return { ...(await networkResults(size, { known, workers: 1 })), seconds: known.seconds };
}

/** Every network cell of one size (for the sweep CLI and sharding). */
export function networkCells(size: NetworkSize): SweepCell[] {
  networkSize("networkCells", size);
  return [...PANELS.flatMap((p) => rankCells(size, p)), ...batchCells(size), ...exponentCells(size)];
}

/** A panel's ranks as a {@linkcode RankDiagram} (NaN for diverged runs); `effective` for the effective rank. */
export function rankDiagram(size: NetworkSize, outcomes: RankOutcome[], effective = false): RankDiagram {
  const s = NETWORK_SIZES[networkSize("rankDiagram", size)];
  panelOutcomes("rankDiagram", size, outcomes);
  check.boolean("rankDiagram", "effective", effective);
  return {
    lambdas: s.lambdas,
    mus: s.mus,
    values: outcomes.map((r) => (r.diverged ? NaN : effective ? r.effectiveRank : r.rank)),
    maxRank: s.dimension,
  };
}

/** The fine (λ, μ) grid of the 1-D theory boundaries. */
export const THEORY_GRID: { lambdas: Float64Array; mus: Float64Array } = {
  lambdas: linspace(0.0025, 0.25, 100),
  mus: linspace(0, 1, 101),
};

/**
 * The 1-D theory (Prop. 2, Gaussian data, Part II's N = ∞ functions) drawn as the paper draws it, at λ₁D = λ: the
 * saddle attracts where max(m₊, m₋) < 0 — the level 0 of that field — for σ = 2 (the text) and σ = √2 (Figure 7's
 * caption); and the mean-square boundary E(1 − λχ)² = 1 (σ = 2), the paper's dashed line of Figure 7.
 */
export function theoryBoundaries(scale = 1): RankBoundary[] {
  check.positiveNumber("theoryBoundaries", "scale", scale);
  const lambdas = Float64Array.from(THEORY_GRID.lambdas, (l) => l * scale);
  const field = (noiseStd: number) => {
    const d = gaussianPhaseDiagram({ lambdas, mus: THEORY_GRID.mus, noiseStd });
    return { d, max: Float64Array.from(d.plus, (p, i) => Math.max(p, d.minus[i])) };
  };
  const two = field(2), root2 = field(Math.SQRT2);
  const base = { lambdas: THEORY_GRID.lambdas, mus: THEORY_GRID.mus };
  return [
    { ...base, label: "1-D saddle attracts below (σ = 2)", values: two.max, stroke: "#D55E00" },
    {
      ...base,
      label: "1-D saddle attracts below (σ = √2)",
      values: root2.max,
      stroke: "#0072B2",
      strokeDasharray: "2,3",
    },
    {
      ...base,
      label: "1-D mean-square boundary (σ = 2)",
      values: two.d.meanSquare,
      level: 1,
      stroke: "black",
      strokeDasharray: "1,4",
    },
  ];
}

/**
 * "Low rank" in the claims: numerical rank ≤ 0.9·d, i.e. at least a tenth of the directions of U collapsed. A rank of d
 * − 1 or d − 2 also occurs sporadically anywhere on the grid (one singular value that happens to be small at the last
 * step), which is not a phase.
 */
export const LOW_RANK = 0.9;

/** Whether a run ended with low rank (see {@linkcode LOW_RANK}); false for a diverged run. */
export function isLowRank(r: RankOutcome, d: number): boolean {
  check.object("isLowRank", "r", r);
  check.integerInRange("isLowRank", "d", d);
  return !r.diverged && r.rank <= LOW_RANK * d;
}

/** The agreement between the 1-D prediction (saddle attracts at (λ, μ), σ) and low rank over the finite cells. */
export function theoryAgreement(size: NetworkSize, outcomes: RankOutcome[], noiseStd: number, scale = 1): {
  n: number;
  agree: number;
  fraction: number;
  predicted: number;
  low: number;
} {
  const fn = "theoryAgreement";
  const s = NETWORK_SIZES[networkSize(fn, size)];
  panelOutcomes(fn, size, outcomes);
  check.positiveNumber(fn, "noiseStd", noiseStd);
  check.positiveNumber(fn, "scale", scale);
  const d = gaussianPhaseDiagram({ lambdas: Float64Array.from(s.lambdas, (l) => l * scale), mus: s.mus, noiseStd });
  let n = 0, agree = 0, predicted = 0, low = 0;
  outcomes.forEach((r, i) => {
    if (r.diverged) return;
    const attracts = Math.max(d.plus[i], d.minus[i]) < 0;
    const isLow = isLowRank(r, s.dimension);
    n++;
    if (attracts === isLow) agree++;
    if (attracts) predicted++;
    if (isLow) low++;
  });
  return { n, agree, fraction: agree / n, predicted, low };
}

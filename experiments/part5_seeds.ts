/**
 * Part V at the collapse edge: the SGD grid of `deep-full` (Figure 1(c1)) has one seed per cell, so its boundary is
 * noisy. Here the cells next to the boundary are re-run with two more seeds (sweep size `deep-seeds`, cached in
 * `figures/sweeps/deep-seeds.jsonl`), their rank is read as mean and range over the three seeds, and the grid is
 * re-classified by a majority of seeds (rows V-01F, V-02F and V-09F of the claims report; notebook 14, §12).
 *
 * @module
 */

import { type DeepOutcome, runSweep, type SweepCell, sweepKey, type SweepOptions } from "../mod.ts";
import { booleans, check, deepOutcomes, deepSize, fullDeepResults, objects, place, seedResults } from "./checks.ts";
import { readCache } from "./sweep_cache.ts";
import { DEEP_PANELS, DEEP_SIZES, deepExperiment, type DeepResults, type DeepSize, isDeepLowRank } from "./part5.ts";

/** The sweep size name of the extra seeds (`deno task sweep --size deep-seeds`). */
export const DEEP_SEEDS_SIZE = "deep-seeds";

/**
 * The seeds of a boundary cell: the committed `deep-full` cell (seed `"fig1c"`, "seed 0") and two more. The seed sets the
 * initial weights, the batches and the label noise; the split of the digits stays `splitSeed` 0.
 */
export const DEEP_SEEDS: readonly string[] = ["fig1c", "fig1c-1", "fig1c-2"];

/** A cell of the SGD panel of `deep-full`: its noise row and λ column. */
export interface GridCell {
  /** The noise row (index into `DEEP_SIZES["deep-full"].noises`). */
  readonly row: number;
  /** The λ column (index into `DEEP_SIZES["deep-full"].lambdas`). */
  readonly column: number;
}

/**
 * The cells next to the boundary of a panel (row-major outcomes): in each noise row, the cells within one λ step of the
 * row's first low-rank λ ({@linkcode isDeepLowRank}), plus every cell whose neighbour in λ is classified differently
 * (low rank or not; a diverged run is not low rank). Sorted by row, then column.
 */
export function deepBoundaryCells(size: DeepSize, outcomes: DeepOutcome[]): GridCell[] {
  const s = DEEP_SIZES[deepSize("deepBoundaryCells", size)];
  deepOutcomes("deepBoundaryCells", size, outcomes);
  const n = s.lambdas.length;
  const cells: GridCell[] = [];
  for (let row = 0; row < s.noises.length; row++) {
    const low = outcomes.slice(row * n, (row + 1) * n).map(isDeepLowRank);
    const first = low.indexOf(true);
    const keep = low.map((l, k) =>
      (first >= 0 && Math.abs(k - first) <= 1) || (k > 0 && low[k - 1] !== l) || (k < n - 1 && low[k + 1] !== l)
    );
    keep.forEach((b, column) => b && cells.push({ row, column }));
  }
  return cells;
}

/**
 * The boundary cells of the committed `deep-full` SGD grid, fixed so that the `deep-seeds` sweep is the same whatever is
 * in the cache; `test/part5_seeds_test.ts` checks that {@linkcode deepBoundaryCells} of the committed cache gives
 * exactly these. Row (noise 0, 0.15, …, 0.9) → λ columns (0.15, 0.3, …, 1.2).
 */
export const DEEP_BOUNDARY_CELLS: readonly GridCell[] = [
  [4, 5, 6],
  [4, 5, 6],
  [3, 4, 5],
  [4, 5, 6],
  [3, 4, 5],
  [3, 4, 5],
  [4, 5, 6, 7],
].flatMap((columns, row) => columns.map((column) => ({ row, column })));

/** The experiment of one seed at one grid cell (SGD, dynamic noise; seed 0 is the `deep-full` cell itself). */
function seedCell(cell: GridCell, seed: string): SweepCell {
  const s = DEEP_SIZES["deep-full"];
  const sgd = DEEP_PANELS[0];
  return {
    kind: "deepNetwork",
    experiment: deepExperiment("deep-full", {
      learningRate: s.lambdas[cell.column] * sgd.lambdaScale,
      labelNoise: s.noises[cell.row],
      optimizer: sgd.optimizer,
      noiseKind: sgd.noiseKind,
      seed,
    }),
  };
}

/**
 * The cells of the `deep-seeds` sweep: seeds 1 and 2 ({@linkcode DEEP_SEEDS}) at each of
 * {@linkcode DEEP_BOUNDARY_CELLS}, cell by cell (seed 1, seed 2).
 */
export function deepSeedCells(): SweepCell[] {
  return DEEP_BOUNDARY_CELLS.flatMap((c) => DEEP_SEEDS.slice(1).map((seed) => seedCell(c, seed)));
}

/** One boundary cell over the three seeds. */
export interface DeepSeedCell extends GridCell {
  /** The learning rate λ. */
  readonly lambda: number;
  /** The label noise. */
  readonly noise: number;
  /** The outcomes of {@linkcode DEEP_SEEDS}, in order (seed 0 first). */
  readonly outcomes: DeepOutcome[];
  /** The final ranks of the seeds (NaN for a diverged run). */
  readonly ranks: number[];
  /** The mean rank over the seeds that did not diverge (NaN if all diverged). */
  readonly mean: number;
  /** The smallest rank over the seeds that did not diverge (NaN if all diverged). */
  readonly min: number;
  /** The largest rank over the seeds that did not diverge (NaN if all diverged). */
  readonly max: number;
  /** How many seeds ended with low rank ({@linkcode isDeepLowRank}). */
  readonly lowCount: number;
  /** How many seeds diverged. */
  readonly divergedCount: number;
  /** The majority reading: whether most seeds diverged. */
  readonly diverged: boolean;
  /** The majority reading: whether most seeds ended with low rank (a diverged seed is not low rank). */
  readonly low: boolean;
}

/** The seeds at the boundary of the full SGD grid. */
export interface DeepSeedResults {
  /** The boundary cells, in the order of {@linkcode DEEP_BOUNDARY_CELLS}. */
  readonly cells: DeepSeedCell[];
}

/**
 * Combines the `deep-full` results (seed 0) with the outcomes of {@linkcode deepSeedCells} (in its order) into
 * {@linkcode DeepSeedResults}.
 */
export function combineDeepSeeds(full: DeepResults, extra: DeepOutcome[]): DeepSeedResults {
  fullDeepResults("combineDeepSeeds", full);
  const s = DEEP_SIZES["deep-full"];
  const per = DEEP_SEEDS.length - 1;
  objects("combineDeepSeeds", "extra", extra, DEEP_BOUNDARY_CELLS.length * per);
  const majority = Math.floor(DEEP_SEEDS.length / 2) + 1;
  const cells = DEEP_BOUNDARY_CELLS.map((c, i): DeepSeedCell => {
    const outcomes = [full.panels.sgd[c.row * s.lambdas.length + c.column], ...extra.slice(i * per, (i + 1) * per)];
    const ranks = outcomes.map((o) => (o.diverged ? NaN : o.rank));
    const finite = ranks.filter(Number.isFinite);
    const lowCount = outcomes.filter(isDeepLowRank).length;
    const divergedCount = outcomes.filter((o) => o.diverged).length;
    return {
      ...c,
      lambda: s.lambdas[c.column],
      noise: s.noises[c.row],
      outcomes,
      ranks,
      mean: finite.length ? finite.reduce((a, x) => a + x, 0) / finite.length : NaN,
      min: finite.length ? Math.min(...finite) : NaN,
      max: finite.length ? Math.max(...finite) : NaN,
      lowCount,
      divergedCount,
      diverged: divergedCount >= majority,
      low: lowCount >= majority,
    };
  });
  return { cells };
}

/** Runs (or reads from `options.known`) the `deep-seeds` cells and combines them with the `deep-full` results. */
export async function deepSeedResults(full: DeepResults, options: SweepOptions = {}): Promise<DeepSeedResults> {
  const fn = "deepSeedResults";
  fullDeepResults(fn, full);
  check.object(fn, "options", options);
  if (options.workers !== undefined) check.integerInRange(fn, "options.workers", options.workers);
  if (options.known !== undefined && !(options.known instanceof Map)) {
    throw new TypeError(
      `Invalid options.known in ${fn}: expected a Map of cached results; received ${check.describe(options.known)}.`,
    );
  }
  const results = await runSweep(deepSeedCells(), options);
  if (results.some((r) => r === undefined)) {
    throw new RangeError("Invalid options.shard in deepSeedResults: the claims need every cell.");
  }
  return combineDeepSeeds(full, results as DeepOutcome[]);
}

/**
 * The seed results from the sweep cache alone (`<out>/sweeps/deep-seeds*.jsonl`), computing nothing: undefined when a
 * cell is missing. `seconds` is the total compute time of the cached cells (one core each).
 */
export async function cachedDeepSeeds(
  full: DeepResults,
  out: string | URL,
): Promise<(DeepSeedResults & { seconds: number }) | undefined> {
  fullDeepResults("cachedDeepSeeds", full);
  place("cachedDeepSeeds", "out", out);
  const known = await readCache(out, DEEP_SEEDS_SIZE);
  if (deepSeedCells().some((c) => !known.has(sweepKey(c)))) return undefined;
  return { ...(await deepSeedResults(full, { known, workers: 1 })), seconds: known.seconds };
}

/**
 * The SGD grid of `deep-full` read with the seeds: each cell's low-rank and diverged classification and its rank —
 * the majority and the mean rank over the seeds at the boundary cells, seed 0 elsewhere (row-major, like
 * `results.panels.sgd`). `mean` and `min`/`max` equal seed 0's rank outside the boundary.
 */
export function seededGrid(
  full: DeepResults,
  seeds: DeepSeedResults,
): { low: boolean[]; diverged: boolean[]; rank: number[]; min: number[]; max: number[] } {
  fullDeepResults("seededGrid", full);
  seedResults("seededGrid", seeds);
  const n = DEEP_SIZES["deep-full"].lambdas.length;
  const low = full.panels.sgd.map(isDeepLowRank);
  const diverged = full.panels.sgd.map((o) => o.diverged);
  const rank = full.panels.sgd.map((o) => (o.diverged ? NaN : o.rank));
  const min = [...rank], max = [...rank];
  for (const c of seeds.cells) {
    const i = c.row * n + c.column;
    low[i] = c.low;
    diverged[i] = c.diverged;
    rank[i] = c.mean;
    min[i] = c.min;
    max[i] = c.max;
  }
  return { low, diverged, rank, min, max };
}

/**
 * The first low-rank λ of each noise row of a grid size from a row-major low-rank classification (∞ when none), e.g.
 * {@linkcode seededGrid}'s `low`.
 */
export function firstLowRankLambdas(size: DeepSize, low: readonly boolean[]): number[] {
  const s = DEEP_SIZES[deepSize("firstLowRankLambdas", size)];
  booleans("firstLowRankLambdas", "low", low, s.lambdas.length * s.noises.length);
  const n = s.lambdas.length;
  return Array.from(s.noises, (_, row) => {
    const k = low.slice(row * n, (row + 1) * n).indexOf(true);
    return k < 0 ? Infinity : s.lambdas[k];
  });
}

/**
 * The first low-rank λ of each noise row for each seed alone (seed j's run at the boundary cells, seed 0's elsewhere):
 * one array per seed of {@linkcode DEEP_SEEDS}. `belowRun` marks a row where seed j's first low-rank λ is the row's
 * leftmost boundary cell and the cell to its left was not run with that seed (the true first λ could be smaller).
 */
export function firstLowRankBySeed(
  full: DeepResults,
  seeds: DeepSeedResults,
): { lambdas: number[]; belowRun: boolean[] }[] {
  fullDeepResults("firstLowRankBySeed", full);
  seedResults("firstLowRankBySeed", seeds);
  const n = DEEP_SIZES["deep-full"].lambdas.length;
  return DEEP_SEEDS.map((_, j) => {
    const low = full.panels.sgd.map(isDeepLowRank);
    for (const c of seeds.cells) low[c.row * n + c.column] = isDeepLowRank(c.outcomes[j]);
    const lambdas = firstLowRankLambdas("deep-full", low);
    const belowRun = lambdas.map((_, row) => {
      const k = low.slice(row * n, (row + 1) * n).indexOf(true);
      const leftmost = Math.min(...seeds.cells.filter((c) => c.row === row).map((c) => c.column));
      return j > 0 && k === leftmost && k > 0;
    });
    return { lambdas, belowRun };
  });
}

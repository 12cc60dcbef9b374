// Part V at the collapse edge (experiments/part5_seeds.ts): the boundary cells of the full SGD grid, the cells of the
// `deep-seeds` sweep, and the reading of three seeds (mean, range, majority).
import assert from "node:assert/strict";
import { type DeepOutcome, sweepKey } from "../mod.ts";
import {
  cachedDeepResults,
  cachedDeepSeeds,
  combineDeepSeeds,
  DEEP_BOUNDARY_CELLS,
  DEEP_SEEDS,
  DEEP_SIZES,
  deepBoundaryCells,
  deepNetworkCells,
  type DeepResults,
  deepSeedCells,
  firstLowRankBySeed,
  firstLowRankLambdas,
  seededGrid,
} from "../experiments/mod.ts";

const figures = new URL("../figures", import.meta.url);
const s = DEEP_SIZES["deep-full"];
const n = s.lambdas.length;

/** A fake outcome: only the fields the boundary reading uses. */
const outcome = (rank: number, diverged = false) => ({ rank: diverged ? NaN : rank, diverged }) as DeepOutcome;

Deno.test("deepBoundaryCells: within one λ step of the first low-rank cell, plus every change of class", () => {
  const ranks = [
    [64, 64, 64, 64, 64, 10, 0, 0], // first low at 5 → 4, 5, 6
    [0, 64, 64, 64, 64, 64, 64, 64], // first low at 0 → 0, 1 (and the change 0|1)
    [64, 64, 64, 64, 64, 64, 64, 64], // never low: nothing
    [64, 64, 64, 20, 64, 64, 0, 0], // first low at 3 → 2, 3, 4; changes 3|4 and 5|6 → 4, 5, 6
    [64, 64, 64, 64, 0, 0, -1, 0], // -1: diverged (not low) → 3, 4, 5 and 5, 6, 7
    [64, 64, 64, 64, 64, 64, 64, 32], // 32 is low (≤ half of 64) → 6, 7
    [64, 64, 64, 64, 64, 64, 64, 33], // 33 is not
  ];
  const outcomes = ranks.flatMap((row) => row.map((r) => outcome(r, r < 0)));
  const cells = deepBoundaryCells("deep-full", outcomes);
  const byRow = ranks.map((_, row) => cells.filter((c) => c.row === row).map((c) => c.column));
  assert.deepEqual(byRow, [[4, 5, 6], [0, 1], [], [2, 3, 4, 5, 6], [3, 4, 5, 6, 7], [6, 7], []]);
});

Deno.test("DEEP_BOUNDARY_CELLS is deepBoundaryCells of the committed deep-full SGD grid", async () => {
  const full = await cachedDeepResults("deep-full", figures);
  assert.ok(full, "the committed deep-full cache is complete");
  assert.deepEqual(deepBoundaryCells("deep-full", full.panels.sgd), DEEP_BOUNDARY_CELLS);
});

Deno.test("deepSeedCells: seeds 1 and 2 at each boundary cell; seed 0 is the committed deep-full cell", () => {
  const cells = deepSeedCells();
  assert.equal(cells.length, DEEP_BOUNDARY_CELLS.length * (DEEP_SEEDS.length - 1));
  assert.deepEqual(deepSeedCells().map(sweepKey), cells.map(sweepKey), "deterministic");
  assert.equal(new Set(cells.map(sweepKey)).size, cells.length, "all distinct");
  const fullKeys = new Set(deepNetworkCells("deep-full").map(sweepKey));
  cells.forEach((c, i) => {
    const e = c.kind === "deepNetwork" ? c.experiment : assert.fail("a deepNetwork cell");
    const b = DEEP_BOUNDARY_CELLS[Math.floor(i / 2)];
    assert.equal(e.seed, DEEP_SEEDS[1 + (i % 2)]);
    assert.equal(e.learningRate, s.lambdas[b.column]);
    assert.equal(e.labelNoise, s.noises[b.row]);
    assert.ok(!fullKeys.has(sweepKey(c)));
    assert.ok(
      fullKeys.has(sweepKey({ kind: "deepNetwork", experiment: { ...e, seed: DEEP_SEEDS[0] } })),
      "seed 0 is in deep-full",
    );
  });
});

Deno.test("combineDeepSeeds: mean and range over the finite seeds, majority classification, per-seed boundary", () => {
  const sgd = Array.from({ length: s.noises.length * n }, (_, i) => outcome(i % n >= 5 ? 0 : 64));
  const full = { size: "deep-full", panels: { sgd }, batch: [], relabel: [] } as unknown as DeepResults;
  // Every boundary cell gets seeds 1, 2 = (40, 20) except: the first (row 0, λ index 4) → (20, 10): majority low;
  // the second (row 0, index 5) → (diverged, diverged): majority diverged.
  const extra = DEEP_BOUNDARY_CELLS.flatMap((_, i) =>
    i === 0 ? [outcome(20), outcome(10)] : i === 1 ? [outcome(0, true), outcome(0, true)] : [outcome(40), outcome(20)]
  );
  const seeds = combineDeepSeeds(full, extra);
  const [a, b, c] = seeds.cells;
  assert.deepEqual([a.ranks, a.mean, a.min, a.max, a.lowCount, a.low, a.diverged], [
    [64, 20, 10],
    94 / 3,
    10,
    64,
    2,
    true,
    false,
  ]);
  assert.deepEqual([b.ranks.slice(0, 1), b.mean, b.divergedCount, b.low, b.diverged], [[0], 0, 2, false, true]);
  assert.deepEqual([c.ranks, c.lowCount, c.low], [[0, 40, 20], 2, true]);
  const grid = seededGrid(full, seeds);
  assert.equal(grid.low[4], true);
  assert.equal(grid.diverged[5], true);
  assert.equal(grid.rank[4], 94 / 3);
  assert.equal(grid.low[3], false, "outside the boundary: seed 0");
  assert.equal(firstLowRankLambdas("deep-full", grid.low)[0], s.lambdas[4]);
  const bySeed = firstLowRankBySeed(full, seeds);
  assert.deepEqual(bySeed.map((x) => x.lambdas[0]), [s.lambdas[5], s.lambdas[4], s.lambdas[4]]);
  assert.deepEqual(bySeed.map((x) => x.belowRun[0]), [false, true, true], "index 4 is the leftmost cell run");
  assert.throws(() => combineDeepSeeds(full, extra.slice(1)), RangeError);
});

Deno.test("the committed deep-seeds cache is complete", async () => {
  const full = await cachedDeepResults("deep-full", figures);
  const seeds = full && await cachedDeepSeeds(full, figures);
  assert.ok(seeds, "figures/sweeps/deep-seeds.jsonl holds every cell of deepSeedCells()");
  assert.equal(seeds.cells.length, DEEP_BOUNDARY_CELLS.length);
  for (const c of seeds.cells) assert.equal(c.outcomes.length, DEEP_SEEDS.length);
});

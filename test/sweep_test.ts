// Part IV: one cell of the rank experiment (lib/networks/trained_rank.ts), the sweep runner (lib/runtime/sweep.ts,
// bound to the built-in kinds in lib/sweep_kinds.ts: shards, cache keys, workers, known results, extra kinds) and the
// progress displays (lib/runtime/progress.ts).
import assert from "node:assert/strict";
import {
  createTwoLayerNetwork,
  effectiveRank,
  jupyterProgress,
  parseShard,
  runSweep,
  singularValues,
  type SweepCell,
  sweepKey,
  type SweepKind,
  terminalProgress,
  trainedRank,
  trainTwoLayerNetwork,
} from "../mod.ts";
import { deepNetworkExperiment, saddleNetworkExponent } from "../mod.ts";
import { assertClose } from "./assert_close.ts";
import { assertInvalid, assertRejectsInvalid } from "./assert_invalid.ts";

// --------------------------------------------------------------------------------------------------------- trainedRank

Deno.test("trainedRank is deterministic and is exactly train-then-measure with the documented seeds", () => {
  const e = { mu: 0.3, lambda: 0.1, dimension: 5, hidden: 4, steps: 1500, seed: "cell" };
  const r = trainedRank(e);
  assert.deepEqual(trainedRank({ ...e }), r, "same settings, same outcome");
  assert.notDeepEqual(trainedRank({ ...e, seed: "other" }).singularValues, r.singularValues, "another seed");
  // The documented recipe: weights from `${seed}/init` (initScale 0.01), data from `${seed}/data`, reduction "mean".
  const net = createTwoLayerNetwork({ inputs: 5, hidden: 4, outputs: 5, initScale: 0.01, seed: "cell/init" });
  const trained = trainTwoLayerNetwork(net, { kind: "gaussian", mu: 0.3, noiseStd: 2 }, {
    lambda: 0.1,
    steps: 1500,
    reduction: "mean",
    seed: "cell/data",
  });
  const s = singularValues(trained.network.U, 5, 4);
  assert.deepEqual(r.singularValues, Array.from(s));
  assert.equal(r.rank, s.filter((v) => v > 1e-3 * s[0]).length);
  assertClose(r.effectiveRank, effectiveRank(trained.network.U, 5, 4), { rel: 1e-15 }, "effective rank");
  assert.deepEqual([r.diverged, r.steps, r.singularValues.length], [false, 1500, 4]);
});

Deno.test("trainedRank: noise at a large learning rate collapses directions of U; clean data or a small λ do not", () => {
  // The qualitative claim of §4.4 on a d = 10 network (measured: ranks 7, 10 and 10 with these seeds).
  const base = { dimension: 10, steps: 8000, seed: 1 };
  const noisyLarge = trainedRank({ ...base, mu: 0.02, lambda: 0.2 });
  const cleanLarge = trainedRank({ ...base, mu: 0.9, lambda: 0.2 });
  const noisySmall = trainedRank({ ...base, mu: 0.02, lambda: 0.02 });
  assert.equal(cleanLarge.rank, 10, "μ = 0.9, λ = 0.2: full rank");
  assert.ok(noisyLarge.rank < 10, `μ = 0.02, λ = 0.2: rank ${noisyLarge.rank} < 10`);
  assert.equal(noisySmall.rank, 10, "μ = 0.02, λ = 0.02: full rank");
  assert.ok(noisyLarge.effectiveRank < cleanLarge.effectiveRank);
  // A diverged run reports it, with NaN ranks and no singular values (documented).
  const blown = trainedRank({ ...base, mu: 0.5, lambda: 5, steps: 1000 });
  assert.equal(blown.diverged, true);
  assert.ok(Number.isNaN(blown.rank) && Number.isNaN(blown.effectiveRank));
  assert.deepEqual(blown.singularValues, []);
  assert.ok(blown.steps < 1000);
});

Deno.test("trainedRank rejects bad input, naming function, parameter and value", () => {
  assertInvalid("mu", () => trainedRank({ mu: NaN, lambda: 0.1 }), RangeError, ["trainedRank", "experiment.mu", "NaN"]);
  assertInvalid("lambda", () => trainedRank({ mu: 0.1, lambda: -1 }), RangeError, ["experiment.lambda", "-1"]);
  assertInvalid("dimension", () => trainedRank({ mu: 0.1, lambda: 0.1, dimension: 0 }), RangeError, [
    "experiment.dimension",
    "0",
  ]);
  assertInvalid("tolerance", () => trainedRank({ mu: 0.1, lambda: 0.1, relativeTolerance: 0 }), RangeError, [
    "experiment.relativeTolerance",
  ]);
  assertInvalid("experiment", () => trainedRank(null as never), TypeError, ["trainedRank", "null"]);
});

// --------------------------------------------------------------------------------------------------------- parseShard,
// sweepKey

Deno.test("parseShard reads i/n with 1 ≤ i ≤ n and rejects everything else", () => {
  assert.deepEqual(parseShard("2/4"), { index: 2, count: 4 });
  assert.deepEqual(parseShard(" 1 / 1 "), { index: 1, count: 1 });
  assert.deepEqual(parseShard("10/12"), { index: 10, count: 12 });
  for (const bad of ["0/2", "3/2", "1/0", "a/b", "1/2/3", "-1/2", "1.5/2", "", "2"]) {
    assertInvalid(`parseShard(${JSON.stringify(bad)})`, () => parseShard(bad), RangeError, [
      "parseShard",
      JSON.stringify(bad),
    ]);
  }
  assertInvalid("parseShard(2)", () => parseShard(2 as unknown as string), TypeError, ["parseShard", "2"]);
});

Deno.test("sweepKey ignores key order and undefined fields, and distinguishes settings", () => {
  const a = sweepKey({ kind: "trainedRank", experiment: { mu: 0.1, lambda: 0.2, dimension: 10 } });
  assert.equal(a, sweepKey({ experiment: { dimension: 10, lambda: 0.2, mu: 0.1 }, kind: "trainedRank" }));
  assert.equal(
    a,
    sweepKey({ kind: "trainedRank", experiment: { mu: 0.1, lambda: 0.2, dimension: 10, seed: undefined } }),
  );
  assert.notEqual(a, sweepKey({ kind: "trainedRank", experiment: { mu: 0.1, lambda: 0.2, dimension: 11 } }));
  assert.notEqual(
    sweepKey({ kind: "saddleNetworkExponent", mu: 0.1, lambda: 0.2 }),
    sweepKey({ kind: "saddleNetworkExponent", mu: 0.2, lambda: 0.1 }),
  );
  // Nested options are canonical too; the key is JSON.
  const b = sweepKey({ kind: "saddleNetworkExponent", mu: 0.1, lambda: 0.2, options: { steps: 10, dimension: 2 } });
  assert.equal(
    b,
    sweepKey({ options: { dimension: 2, steps: 10 }, lambda: 0.2, kind: "saddleNetworkExponent", mu: 0.1 }),
  );
  assert.deepEqual(JSON.parse(b), {
    kind: "saddleNetworkExponent",
    lambda: 0.2,
    mu: 0.1,
    options: { dimension: 2, steps: 10 },
  });
});

// --------------------------------------------------------------------------------------------------------- runSweep

/** Six small cells of both kinds. */
const CELLS: SweepCell[] = [
  ...[0.05, 0.9].flatMap((mu) =>
    [0.05, 0.2].map((lambda) => ({
      kind: "trainedRank" as const,
      experiment: { mu, lambda, dimension: 6, steps: 1500, seed: 2 },
    }))
  ),
  { kind: "saddleNetworkExponent", mu: 0.5, lambda: 0.3, options: { dimension: 2, steps: 400, seed: 1 } },
  { kind: "saddleNetworkExponent", mu: 0.1, lambda: 0.9, options: { dimension: 2, steps: 400, seed: 1 } },
];

async function direct(cell: SweepCell): Promise<unknown> {
  return cell.kind === "trainedRank"
    ? trainedRank(cell.experiment)
    : cell.kind === "deepNetwork"
    ? await deepNetworkExperiment(cell.experiment)
    : saddleNetworkExponent(cell.mu, cell.lambda, cell.options);
}

Deno.test("runSweep: identical results with 1 and 2 workers, equal to direct calls", async () => {
  const expected = await Promise.all(CELLS.map(direct));
  const one = await runSweep(CELLS, { workers: 1 });
  const two = await runSweep(CELLS, { workers: 2 });
  assert.deepEqual(one, expected, "1 worker");
  assert.deepEqual(two, expected, "2 workers");
});

Deno.test("runSweep: Part V's deepNetwork cells (async, MNIST in each worker) are worker-independent too", async () => {
  const cells: SweepCell[] = [0.1, 0.6].map((learningRate) => ({
    kind: "deepNetwork" as const,
    experiment: { learningRate, labelNoise: 0.5, hidden: [16, 8], pool: 4, steps: 200, seed: 1 },
  }));
  const expected = await Promise.all(cells.map(direct));
  assert.deepEqual(await runSweep(cells, { workers: 1 }), expected, "1 worker");
  assert.deepEqual(await runSweep(cells, { workers: 2 }), expected, "2 workers");
});

Deno.test("runSweep: shards 1/2 and 2/2 split the cells and together give the full sweep", async () => {
  const expected = await Promise.all(CELLS.map(direct));
  const first = await runSweep(CELLS, { workers: 2, shard: "1/2" });
  const second = await runSweep(CELLS, { workers: 2, shard: { index: 2, count: 2 } });
  // Shard i holds the cells with index ≡ i − 1 (mod n); the others are undefined.
  CELLS.forEach((_, i) => {
    assert.equal(first[i] === undefined, i % 2 === 1, `cell ${i} in shard 1/2 iff i is even`);
    assert.equal(second[i] === undefined, i % 2 === 0, `cell ${i} in shard 2/2 iff i is odd`);
  });
  assert.deepEqual(CELLS.map((_, i) => first[i] ?? second[i]), expected);
});

Deno.test("runSweep: known results are returned as given, not recomputed; callbacks see only the rest", async () => {
  // Sentinels that no computation could produce prove the known cells were not recomputed.
  const sentinel0 = { rank: -1, effectiveRank: -1, singularValues: [], diverged: false, steps: -1 };
  const sentinel4 = { exponent: -123, standardError: 0 };
  const known = new Map<string, unknown>([[sweepKey(CELLS[0]), sentinel0], [sweepKey(CELLS[4]), sentinel4]]);
  const computed: string[] = [];
  const progress: [number, number, string][] = [];
  const results = await runSweep(CELLS, {
    workers: 2,
    known,
    onResult: async (key, cell, result) => {
      assert.equal(key, sweepKey(cell));
      assert.deepEqual(result, await direct(cell), `onResult for ${key} carries the result`);
      computed.push(key);
    },
    onProgress: (done, total, detail) => {
      progress.push([done, total, detail]);
    },
  });
  assert.equal(results[0], sentinel0);
  assert.equal(results[4], sentinel4);
  const expected = await Promise.all(CELLS.map(direct));
  for (const i of [1, 2, 3, 5]) assert.deepEqual(results[i], expected[i], `cell ${i} computed`);
  assert.deepEqual(computed.toSorted(), [1, 2, 3, 5].map((i) => sweepKey(CELLS[i])).toSorted(), "onResult calls");
  assert.deepEqual(progress[0], [2, 6, "2 cached"], "first progress: the known cells count as done");
  assert.deepEqual(progress.map((p) => p[0]), [2, 3, 4, 5, 6], "then one call per computed cell");
  assert.ok(progress.every((p) => p[1] === 6));
  // Everything known: no worker, no onResult.
  const allKnown = new Map(CELLS.map((c, i) => [sweepKey(c), i]));
  const none: string[] = [];
  assert.deepEqual(await runSweep(CELLS, { known: allKnown, onResult: (k) => void none.push(k) }), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(none, []);
  // Known results only count within the shard: shard 2/2 (cells 1, 3, 5) has none of them, shard 1/2 (cells 0, 2, 4)
  // has both.
  const shard2: [number, number, string][] = [];
  await runSweep(CELLS, { workers: 1, shard: "2/2", known, onProgress: (...p) => void shard2.push(p) });
  assert.deepEqual(shard2[0], [0, 3, "starting"], "shard 2/2");
  const shard1: [number, number, string][] = [];
  const r1 = await runSweep(CELLS, { workers: 1, shard: "1/2", known, onProgress: (...p) => void shard1.push(p) });
  assert.deepEqual(shard1.map((p) => p.slice(0, 2)), [[2, 3], [3, 3]], "shard 1/2");
  assert.deepEqual([r1[0], r1[2], r1[4]], [sentinel0, expected[2], sentinel4]);
});

Deno.test("runSweep: an empty sweep, and errors in cells come back with their class", async () => {
  const calls: unknown[] = [];
  assert.deepEqual(await runSweep([], { onProgress: (...p) => void calls.push(p) }), []);
  assert.deepEqual(calls, [[0, 0, "starting"]]);
  await assertRejectsInvalid(
    "bad cell (range)",
    () =>
      runSweep([{ kind: "trainedRank", experiment: { mu: NaN, lambda: 0.1, dimension: 2, steps: 5 } }], { workers: 1 }),
    RangeError,
    ["trainedRank", "experiment.mu", "NaN"],
  );
  await assertRejectsInvalid(
    "bad cell (type)",
    () =>
      runSweep(
        [{ kind: "saddleNetworkExponent", mu: 0.5, lambda: 0.1, options: { steps: "5" as unknown as number } }],
        {
          workers: 1,
        },
      ),
    TypeError,
    // Checked in the calling thread, before any worker starts: the message names runSweep and the cell's path.
    ["runSweep", "cells[0].options.steps", '"5"'],
  );
});

Deno.test("runSweep rejects bad arguments before starting workers", async () => {
  await assertRejectsInvalid("cells", () => runSweep(3 as never), TypeError, ["runSweep", "cells", "3"]);
  await assertRejectsInvalid(
    "cells[1]",
    () => runSweep([CELLS[0], { kind: "nope" } as never]),
    RangeError,
    ["runSweep", "cells[1].kind", '"nope"'],
  );
  await assertRejectsInvalid("workers", () => runSweep(CELLS, { workers: 0 }), RangeError, [
    "runSweep",
    "options.workers",
    "0",
  ]);
  await assertRejectsInvalid("shard", () => runSweep(CELLS, { shard: "3/2" }), RangeError, ['"3/2"']);
});

// --------------------------------------------------------------------------------------------------------- Progress

Deno.test("terminalProgress and jupyterProgress (outside Jupyter) run without throwing", async () => {
  const progress = terminalProgress("test");
  for (let i = 0; i <= 4; i++) await progress(i, 4, `step ${i}`);
  await terminalProgress("empty")(0, 0, "nothing to do");
  const j = jupyterProgress("test");
  await j(0, 2, "start");
  await j(2, 2, "done");
});

// Regression: bar() used to compute "-".repeat(width − n) unclamped, so done > total threw.
Deno.test("terminalProgress tolerates done > total and done < 0", async () => {
  await terminalProgress("overshoot")(5, 4, "more than total");
  await terminalProgress("negative")(-1, 4, "negative");
});

Deno.test("runSweep names itself and options.shard for a bad shard; trainedRank names its own settings", async () => {
  await assert.rejects(
    () =>
      runSweep([{ kind: "trainedRank", experiment: { mu: 0.1, lambda: 0.1, dimension: 2, steps: 1 } }], {
        shard: "3/2",
      }),
    (e: Error) =>
      e instanceof RangeError && /runSweep/.test(e.message) && /options\.shard/.test(e.message) &&
      /3\/2/.test(e.message),
  );
  assert.throws(
    () => trainedRank({ mu: 0.1, lambda: 0.1, activation: "sigmoid" as never }),
    (e: Error) => e instanceof RangeError && /trainedRank/.test(e.message) && /experiment\.activation/.test(e.message),
  );
  assert.throws(
    () => trainedRank({ mu: 0.1, lambda: 0.1, steps: 1.5 }),
    (e: Error) => e instanceof RangeError && /trainedRank/.test(e.message) && /experiment\.steps/.test(e.message),
  );
});

// --------------------------------------------------------------------------------------------------------- Cache keys
// are pinned: the committed caches (figures/sweeps/*.jsonl) are keyed by sweepKey.

Deno.test("sweepKey gives exactly the keys of the committed caches", async () => {
  assert.equal(
    sweepKey({
      kind: "trainedRank",
      experiment: {
        mu: 0.05,
        lambda: 0.025,
        dimension: 200,
        steps: 40000,
        seed: "fig7",
        activation: "linear",
        optimizer: "sgd",
        reduction: "mean",
      },
    }),
    '{"experiment":{"activation":"linear","dimension":200,"lambda":0.025,"mu":0.05,"optimizer":"sgd",' +
      '"reduction":"mean","seed":"fig7","steps":40000},"kind":"trainedRank"}',
  );
  assert.equal(
    sweepKey({
      mu: 0.05,
      lambda: 0.025,
      kind: "saddleNetworkExponent",
      options: { transient: 500, steps: 5000, seed: "exp", runs: 2, reduction: "mean", dimension: 20 },
    }),
    '{"kind":"saddleNetworkExponent","lambda":0.025,"mu":0.05,"options":{"dimension":20,"reduction":"mean",' +
      '"runs":2,"seed":"exp","steps":5000,"transient":500}}',
  );
  assert.equal(
    sweepKey({
      kind: "deepNetwork",
      experiment: {
        learningRate: 0.3,
        labelNoise: 0,
        hidden: [128, 128, 64],
        steps: 3000,
        seed: "fig1c",
        activation: "relu",
        noiseKind: "dynamic",
        optimizer: "sgd",
        pool: 1,
        relativeTolerance: 0.001,
        sparsityThreshold: 0.001,
        splitSeed: 0,
        testSize: 1000,
        batchSize: undefined,
      },
    }),
    '{"experiment":{"activation":"relu","hidden":[128,128,64],"labelNoise":0,"learningRate":0.3,' +
      '"noiseKind":"dynamic","optimizer":"sgd","pool":1,"relativeTolerance":0.001,"seed":"fig1c",' +
      '"sparsityThreshold":0.001,"splitSeed":0,"steps":3000,"testSize":1000},"kind":"deepNetwork"}',
  );
  // Every committed key is the sweepKey of the cell it encodes.
  for (const file of ["notebook", "full", "deep-notebook", "deep-full"]) {
    const text = await Deno.readTextFile(new URL(`../figures/sweeps/${file}.jsonl`, import.meta.url));
    const keys = text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l).key as string);
    assert.ok(keys.length > 0, file);
    for (const key of keys) assert.equal(sweepKey(JSON.parse(key)), key, `${file}: ${key}`);
  }
});

// --------------------------------------------------------------------------------------------------------- Kinds of
// one's own

Deno.test("runSweep runs cells of extra kinds (options.kinds) next to built-in ones, on any number of workers", async () => {
  type SquareCell = { kind: "square"; x: number };
  const square: SweepKind<SquareCell> = {
    module: new URL("./worker_pool_tasks.ts", import.meta.url).href,
    exportName: "square",
    args: (cell) => [cell.x],
    describe: (cell) => `x=${cell.x}`,
    validate: (cell, fn, path) => {
      if (typeof cell.x !== "number") {
        throw new TypeError(`Invalid ${path}.x in ${fn}: expected a number; received ${typeof cell.x}.`);
      }
    },
  };
  const cells: Array<SquareCell | SweepCell> = [{ kind: "square", x: 3 }, CELLS[4], { kind: "square", x: 5 }];
  const details: string[] = [];
  const expected = [9, await direct(CELLS[4]), 25];
  for (const workers of [1, 2, 3]) {
    const results = await runSweep(cells, {
      kinds: { square },
      workers,
      onProgress: (_, __, d) => void details.push(d),
    });
    assert.deepEqual(results, expected, `${workers} workers`);
  }
  assert.ok(details.includes("x=3") && details.includes("exponent μ=0.5 λ=0.3"), details.join(", "));
  await assertRejectsInvalid(
    "validator",
    () => runSweep([{ kind: "square", x: "3" as unknown as number }], { kinds: { square } }),
    TypeError,
    ["runSweep", "cells[0].x"],
  );
  await assertRejectsInvalid(
    "unknown kind",
    () => runSweep([{ kind: "square", x: 3 }] as never),
    RangeError,
    ["runSweep", "cells[0].kind", '"trainedRank" | "saddleNetworkExponent" | "deepNetwork"', '"square"'],
  );
  await assertRejectsInvalid(
    "built-in redefined",
    () => runSweep([], { kinds: { trainedRank: square } }),
    RangeError,
    ["runSweep", "options.kinds.trainedRank"],
  );
  await assertRejectsInvalid(
    "bad kind",
    () => runSweep([], { kinds: { square: { ...square, module: 3 as unknown as string } } }),
    TypeError,
    ["runSweep", "options.kinds.square.module", "3"],
  );
  await assertRejectsInvalid(
    "bad cell shape",
    () => runSweep([{ kind: "trainedRank", experiment: null as never }]),
    TypeError,
    [
      "runSweep",
      "cells[0].experiment",
      "null",
    ],
  );
});

/**
 * The generic sweep runner behind {@linkcode runSweep}: it knows no experiment. A table of cell kinds says, for each
 * `kind`, which module computes a cell and how ({@linkcode SweepKind}); the runner validates the cells, skips the ones
 * whose results are known (a cache the caller reads), computes the others on the worker pool of
 * `lib/runtime/worker_pool.ts` (dynamic scheduling, one cell at a time per worker), reports each as it finishes (a
 * cache the caller appends to), and returns the results in the order of the cells. Cells are pure, seeded functions of
 * their settings, so results do not depend on the number of workers or the order; `shard` splits a grid over machines
 * for job-array schedulers. The library's built-in kinds are declared next to their domain code
 * (`lib/networks/sweep_kinds.ts`, `lib/deep/sweep_kinds.ts`) and bound in `lib/sweep_kinds.ts`.
 *
 * The runner itself touches no files: the reproduce CLI (`reproduce/sweep.ts`) keeps the JSON-lines cache. Like
 * {@linkcode phaseDiagramInWorkers} it needs `--allow-read` (local module) or `--allow-import` (URL) for its workers.
 *
 * @module
 */

import * as check from "../core/validate.ts";
import type { ProgressCallback } from "./progress.ts";
import { runTasks, workerCount } from "./worker_pool.ts";

/**
 * One kind of sweep cell: the module and exported function that compute a cell in a worker, and how to read a cell. The
 * cell `{ kind, … }` is computed as `import(module)[exportName](...args(cell))` in a Web Worker; the arguments and the
 * result must survive `structuredClone`. The function must be pure (a seeded function of its arguments), so that
 * results are identical on any number of workers.
 *
 * @example A kind of your own, passed to runSweep through `options.kinds`
 * ```ts
 * import { runSweep, type SweepKind } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * type PowerCell = { kind: "power"; base: number; exponent: number };
 * // In a module of yours that exports `export function power(base: number, exponent: number): number`.
 * const power: SweepKind<PowerCell> = {
 *   module: new URL("./power.ts", import.meta.url).href,
 *   exportName: "power",
 *   args: (cell) => [cell.base, cell.exponent],
 *   describe: (cell) => `${cell.base}^${cell.exponent}`,
 *   validate: (cell, fn, path) => {
 *     if (typeof cell.base !== "number") {
 *       throw new TypeError(`Invalid ${path}.base in ${fn}: expected a number; received ${cell.base}.`);
 *     }
 *   },
 * };
 * // The validator rejects a bad cell before any worker starts; good cells run `power(base, exponent)` in workers.
 * const bad = [{ kind: "power" as const, base: "2" as unknown as number, exponent: 10 }];
 * await assert.rejects(() => runSweep(bad, { kinds: { power } }), TypeError);
 * ```
 *
 * @typeParam C The cells of this kind.
 */
export interface SweepKind<C extends { kind: string } = { kind: string }> {
  /** The URL of the module that exports the compute function: its `import.meta.url`, or one relative to it. */
  module: string;
  /** The name of the exported compute function. */
  exportName: string;
  /** The compute function's arguments for a cell. */
  args(cell: C): unknown[];
  /** A one-line description of a cell, for progress displays. */
  describe(cell: C): string;
  /**
   * Checks a cell's shape before any worker starts: throws a TypeError or RangeError naming `fn` and `path` (e.g.
   * `cells[3].experiment`). The compute function still validates the values themselves.
   */
  validate(cell: C, fn: string, path: string): void;
}

/** Cell kinds by name. */
export type SweepKinds = Readonly<Record<string, SweepKind>>;

/** A slice of a grid: cells whose index i satisfies i mod count = index − 1. */
export interface Shard {
  /** Which shard, 1-based. */
  index: number;
  /** How many shards. */
  count: number;
}

/** Options of {@linkcode runCells}: those of {@linkcode runSweep} without `kinds`. */
export interface RunCellsOptions<C> {
  /** The number of workers (see `lib/runtime/worker_pool.ts` for the caps). */
  workers?: number;
  /** Only this shard of the cells. */
  shard?: Shard | string;
  /** Results already known, by {@linkcode cellKey}. */
  known?: ReadonlyMap<string, unknown>;
  /** Called with each newly computed cell and its compute time in seconds, in completion order. */
  onResult?: (key: string, cell: C, result: unknown, seconds: number) => void | Promise<void>;
  /** Called after every finished cell (cached ones count as finished at the start). */
  onProgress?: ProgressCallback;
}

/**
 * Parses a shard written "i/n" (1 ≤ i ≤ n), as job-array schedulers number their tasks.
 *
 * @example
 * ```ts
 * import { parseShard } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseShard("2/4"), { index: 2, count: 4 });
 * assert.throws(() => parseShard("5/4"), RangeError);
 * ```
 *
 * @param text "i/n".
 * @returns The shard.
 */
export function parseShard(text: string): Shard {
  const fn = "parseShard";
  if (typeof text !== "string") {
    throw new TypeError(`Invalid text in ${fn}: expected "i/n"; received ${check.describe(text)}.`);
  }
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new RangeError(`Invalid text in ${fn}: expected "i/n" with 1 <= i <= n; received ${check.describe(text)}.`);
  }
  return { index, count };
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => [k, canonical(o[k])]));
  }
  return value;
}

/** The cache key of a cell (any kind): its JSON with sorted keys and no undefined fields. */
export function cellKey(cell: { readonly kind: string }): string {
  return JSON.stringify(canonical(cell));
}

/**
 * Runs the cells of a sweep whose kinds are in `kinds` and returns their results in the order of `cells` (`undefined`
 * for cells outside the shard). See {@linkcode runSweep} for the semantics.
 *
 * @param fn The public function's name, for error messages.
 * @param kinds The cell kinds by name.
 * @param cells The cells.
 * @param options Workers, shard, known results and callbacks.
 * @returns One result per cell (undefined outside the shard).
 */
export async function runCells<C extends { readonly kind: string }>(
  fn: string,
  kinds: SweepKinds,
  cells: readonly C[],
  options: RunCellsOptions<C> = {},
): Promise<unknown[]> {
  if (!Array.isArray(cells)) {
    throw new TypeError(`Invalid cells in ${fn}: expected an array; received ${check.describe(cells)}.`);
  }
  const names = Object.keys(kinds);
  cells.forEach((c, i) => {
    if (c === null || typeof c !== "object" || typeof c.kind !== "string" || !Object.hasOwn(kinds, c.kind)) {
      throw new TypeError(
        `Invalid cells[${i}] in ${fn}: expected { kind: ${names.map((k) => JSON.stringify(k)).join(" | ")}, … }; ` +
          `received ${check.describe(c)}.`,
      );
    }
    kinds[c.kind].validate(c, fn, `cells[${i}]`);
  });
  const o = check.options(fn, options);
  const workers = workerCount(fn, o.workers);
  let shard: Shard = { index: 1, count: 1 };
  if (o.shard !== undefined) {
    const text = typeof o.shard === "string" ? o.shard : `${o.shard?.index}/${o.shard?.count}`;
    try {
      shard = parseShard(text);
    } catch {
      throw new RangeError(
        `Invalid options.shard in ${fn}: expected "i/n" or { index, count } with 1 <= i <= n; received ${
          check.describe(o.shard)
        }.`,
      );
    }
  }
  const results: unknown[] = new Array(cells.length).fill(undefined);
  const todo: number[] = [];
  let done = 0;
  const mine = cells.map((_, i) => i).filter((i) => i % shard.count === shard.index - 1);
  for (const i of mine) {
    const key = cellKey(cells[i]);
    if (o.known?.has(key)) {
      results[i] = o.known.get(key);
      done++;
    } else todo.push(i);
  }
  const total = mine.length;
  await o.onProgress?.(done, total, done > 0 ? `${done} cached` : "starting");
  const tasks = todo.map((i) => {
    const kind = kinds[cells[i].kind];
    return { module: kind.module, name: kind.exportName, args: kind.args(cells[i]) };
  });
  await runTasks(fn, tasks, {
    workers,
    onResult: async (j, result, seconds) => {
      const cell = cells[todo[j]];
      results[todo[j]] = result;
      await o.onResult?.(cellKey(cell), cell, result, seconds);
      await o.onProgress?.(++done, total, kinds[cell.kind].describe(cell));
    },
  });
  return results;
}

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
  /**
   * The version of the code that computes a cell, stored with each cached result: bump it whenever a cell's result
   * would change, and cached results of another version are stale (recomputed, never used).
   * @default 0
   */
  codeVersion?: number;
  /**
   * Checks a result read back from a cache (diverged runs' nulls already restored to NaN): returns what is wrong with
   * it, or undefined if it has the shape and values the compute function gives. A result that fails is never used.
   */
  checkResult?(result: unknown, cell: C): string | undefined;
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

/** The format of a cache record ({@linkcode cacheRecord}); records of another format are stale. Internal. */
export const CACHE_FORMAT = 2;

/**
 * One cache record as a JSON line (without the newline): `{ key, format, code, result, seconds }`, with the cache
 * format and the code version of the cell's kind. NaN (a diverged run) is written null by JSON. Internal.
 */
export function cacheRecord(kinds: SweepKinds, key: string, result: unknown, seconds: number): string {
  const kind = kinds[(JSON.parse(key) as { kind: string }).kind];
  return JSON.stringify({
    key,
    format: CACHE_FORMAT,
    code: kind?.codeVersion ?? 0,
    result,
    seconds: Number(seconds.toFixed(3)),
  });
}

/** A cache line read by {@linkcode parseCacheRecord}: a usable record, or what is wrong with it. Internal. */
export type ParsedCacheRecord =
  | { ok: true; key: string; result: unknown; seconds: number }
  | { ok: false; problem: string; stale: boolean; key?: string };

/** A diverged training run is stored with null measurements (JSON has no NaN): restore NaN. */
function revive(result: unknown): unknown {
  const r = result as Record<string, unknown> & { diverged?: boolean };
  if (!r || typeof r !== "object" || Array.isArray(r) || r.diverged !== true) return result;
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? NaN : v]));
}

/**
 * Parses and validates one cache line against the schema of its cell kind: the line is JSON, the key is the canonical
 * key of a cell of a known kind that passes the kind's validator, the format and code version are current, and the
 * result passes the kind's `checkResult`. Pure; never throws. Internal.
 */
export function parseCacheRecord(line: string, kinds: SweepKinds): ParsedCacheRecord {
  const bad = (problem: string, key?: string): ParsedCacheRecord => ({ ok: false, problem, stale: false, key });
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return bad(`not JSON (truncated or garbage): ${check.describe(line.slice(0, 60))}`);
  }
  if (record === null || typeof record !== "object" || Array.isArray(record)) {
    return bad(`not a record: ${check.describe(record)}`);
  }
  const r = record as Record<string, unknown>;
  if (typeof r.key !== "string") return bad(`no key (received ${check.describe(r.key)})`);
  const key = r.key;
  let cell: unknown;
  try {
    cell = JSON.parse(key);
  } catch {
    return bad("the key is not JSON");
  }
  const c = cell as { kind?: unknown };
  if (c === null || typeof c !== "object" || typeof c.kind !== "string" || !Object.hasOwn(kinds, c.kind)) {
    return bad(`the key is not a cell of a known kind (${Object.keys(kinds).join(", ")})`, key);
  }
  if (cellKey(c as { kind: string }) !== key) return bad("the key is not the canonical key of its cell", key);
  const kind = kinds[c.kind];
  try {
    kind.validate(c as { kind: string }, "cache", "key");
  } catch (e) {
    return bad(`the key is not a valid cell: ${(e as Error).message}`, key);
  }
  if (!("result" in r) || r.result === undefined) return bad("a key without a result", key);
  if (r.format !== CACHE_FORMAT) {
    return {
      ok: false,
      stale: true,
      key,
      problem: `stale: cache format ${check.describe(r.format)}, now ${CACHE_FORMAT}`,
    };
  }
  const code = kind.codeVersion ?? 0;
  if (r.code !== code) {
    return {
      ok: false,
      stale: true,
      key,
      problem: `stale: computed by ${c.kind} code version ${check.describe(r.code)}, now ${code}`,
    };
  }
  if (typeof r.seconds !== "number" || !Number.isFinite(r.seconds) || r.seconds < 0) {
    return bad(`invalid seconds: ${check.describe(r.seconds)}`, key);
  }
  const result = revive(r.result);
  let problem: string | undefined;
  try {
    problem = kind.checkResult?.(result, c as { kind: string });
  } catch (e) {
    problem = (e as Error).message;
  }
  if (problem !== undefined) return bad(`invalid result: ${problem}`, key);
  return { ok: true, key, result, seconds: r.seconds };
}

/** A check of one field of a result: what is wrong with the value, or undefined. Internal. */
export type FieldCheck = (value: unknown, result: Record<string, unknown>) => string | undefined;

/** The first problem of a result against checks of its fields (every field required), or undefined. Internal. */
export function checkFields(result: unknown, fields: Record<string, FieldCheck>): string | undefined {
  if (result === null || typeof result !== "object" || Array.isArray(result)) {
    return `expected an object; received ${check.describe(result)}`;
  }
  const r = result as Record<string, unknown>;
  for (const [name, test] of Object.entries(fields)) {
    if (!Object.hasOwn(r, name)) return `${name} is missing`;
    const problem = test(r[name], r);
    if (problem !== undefined) return `${name}: ${problem}`;
  }
  return undefined;
}

/** Field checks for {@linkcode checkFields}. NaN is accepted where `diverged` is true and `nanIfDiverged` is set. Internal. */
export const fields = {
  /** A boolean. */
  boolean:
    ((v) => typeof v === "boolean" ? undefined : `expected a boolean; received ${check.describe(v)}`) as FieldCheck,
  /** An integer in [lo, hi]. */
  integer(lo: number, hi: number, nanIfDiverged = false): FieldCheck {
    return (v, r) =>
      nanIfDiverged && r.diverged === true && Number.isNaN(v)
        ? undefined
        : Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi
        ? undefined
        : `expected an integer in [${lo}, ${hi}]; received ${check.describe(v)}`;
  },
  /** A finite number in [lo, hi]. */
  number(lo = -Infinity, hi = Infinity, nanIfDiverged = false): FieldCheck {
    return (v, r) =>
      nanIfDiverged && r.diverged === true && Number.isNaN(v)
        ? undefined
        : typeof v === "number" && Number.isFinite(v) && v >= lo && v <= hi
        ? undefined
        : `expected a finite number in [${lo}, ${hi}]; received ${check.describe(v)}`;
  },
  /** An array of at most `maxLength` finite numbers in [lo, hi]. */
  numbers(maxLength: number, lo = -Infinity, hi = Infinity): FieldCheck {
    return (v) => {
      if (!Array.isArray(v) || v.length > maxLength) {
        return `expected an array of at most ${maxLength} numbers; received ${check.describe(v)}`;
      }
      const i = v.findIndex((x) => typeof x !== "number" || !Number.isFinite(x) || x < lo || x > hi);
      return i < 0 ? undefined : `[${i}]: expected a finite number in [${lo}, ${hi}]; received ${check.describe(v[i])}`;
    };
  },
};

/**
 * Checks one cell (named `path`, e.g. `cells[3]`) for the public function `fn`: an object whose `kind` is one of
 * `kinds`, and that passes its kind's validator. Internal.
 */
export function validateCell(fn: string, path: string, kinds: SweepKinds, cell: unknown): void {
  const names = Object.keys(kinds).map((k) => JSON.stringify(k)).join(" | ");
  const expected = `{ kind: ${names}, … }`;
  if (cell === null || typeof cell !== "object" || Array.isArray(cell)) {
    throw new TypeError(`Invalid ${path} in ${fn}: expected ${expected}; received ${check.describe(cell)}.`);
  }
  const kind = (cell as { kind?: unknown }).kind;
  if (typeof kind !== "string") {
    throw new TypeError(
      `Invalid ${path}.kind in ${fn}: expected one of ${names}; received ${check.describe(kind)}.`,
    );
  }
  if (!Object.hasOwn(kinds, kind)) {
    throw new RangeError(
      `Invalid ${path}.kind in ${fn}: expected one of ${names}; received ${check.describe(kind)}.`,
    );
  }
  kinds[kind].validate(cell as { kind: string }, fn, path);
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
  cells.forEach((c, i) => validateCell(fn, `cells[${i}]`, kinds, c));
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

/**
 * A sweep runner for grids of training runs (Figures 7–8): cells are computed by pure, seeded functions in
 * Web Workers (dynamic scheduling, one cell at a time per worker), so results do not depend on the number of
 * workers or the order; finished cells can be skipped (a cache the caller reads) and reported as they finish
 * (a cache the caller appends to); `shard` splits a grid over machines for job-array schedulers.
 *
 * The runner itself touches no files: the reproduce CLI (`reproduce/sweep.ts`) keeps the JSON-lines cache.
 * Like {@linkcode phaseDiagramInWorkers} it needs `--allow-read` (local module) or `--allow-import` (URL) for
 * its workers.
 *
 * @module
 */

import type { DeepExperiment, DeepOutcome } from "../deep/deep_network_experiment.ts";
import type { RankExperiment, RankOutcome } from "../networks/trained_rank.ts";
import type { SaddleNetworkExponentOptions } from "../networks/saddle_network_exponent.ts";
import * as check from "../core/validate.ts";
import { replyError, type WorkerReply } from "./worker_protocol.ts";

/** One cell of a sweep: the pure function to call and its arguments. */
export type SweepCell =
  | { kind: "trainedRank"; experiment: RankExperiment }
  | { kind: "saddleNetworkExponent"; mu: number; lambda: number; options?: SaddleNetworkExponentOptions }
  | { kind: "deepNetwork"; experiment: DeepExperiment };

/** The result of a {@linkcode SweepCell}, by kind. */
export type SweepResult<C extends SweepCell> = C extends { kind: "trainedRank" } ? RankOutcome
  : C extends { kind: "deepNetwork" } ? DeepOutcome
  : { exponent: number; standardError: number };

/** A slice of a grid: cells whose index i satisfies i mod count = index − 1. */
export interface Shard {
  /** Which shard, 1-based. */
  index: number;
  /** How many shards. */
  count: number;
}

/** A progress callback: `done` of `total` cells, with a short description of the last one. */
export type ProgressCallback = (done: number, total: number, detail: string) => void | Promise<void>;

/** Options of {@linkcode runSweep}. */
export interface SweepOptions {
  /** The number of workers. @default navigator.hardwareConcurrency */
  workers?: number;
  /** Only this shard of the cells (`{ index, count }` or "i/n"); the others are left `undefined`. */
  shard?: Shard | string;
  /** Results already known, by {@linkcode sweepKey} (e.g. read from a cache): not recomputed. */
  known?: ReadonlyMap<string, unknown>;
  /** Called with each newly computed cell and its compute time in seconds, in completion order (e.g. to append it to a cache). */
  onResult?: (key: string, cell: SweepCell, result: unknown, seconds: number) => void | Promise<void>;
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

/**
 * The cache key of a cell: its JSON with sorted keys, so equal settings give equal keys however they were
 * written.
 *
 * @example
 * ```ts
 * import { sweepKey } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   sweepKey({ kind: "trainedRank", experiment: { mu: 0.1, lambda: 0.2 } }),
 *   sweepKey({ experiment: { lambda: 0.2, mu: 0.1 }, kind: "trainedRank" }),
 * );
 * ```
 *
 * @param cell The cell.
 * @returns A string key.
 */
export function sweepKey(cell: SweepCell): string {
  return JSON.stringify(canonical(cell));
}

function describeCell(cell: SweepCell): string {
  if (cell.kind === "trainedRank") {
    const e = cell.experiment;
    return `${e.activation ?? "linear"} ${e.optimizer ?? "sgd"} μ=${e.mu} λ=${e.lambda}`;
  }
  if (cell.kind === "deepNetwork") {
    const e = cell.experiment;
    return `${e.optimizer ?? "sgd"} ${e.noiseKind ?? "dynamic"} noise=${e.labelNoise} λ=${e.learningRate} S=${
      e.batchSize ?? 32
    }`;
  }
  return `exponent μ=${cell.mu} λ=${cell.lambda}`;
}

/**
 * Runs the cells of a sweep in Web Workers and returns their results in the order of `cells` (`undefined`
 * for cells outside the shard). Each cell is a pure seeded function of its settings, so the results are
 * identical for any number of workers, any shard split and any resumption from `known` results.
 *
 * @example Four cells on two workers
 * ```ts ignore
 * import { runSweep } from "@probstab/sgd";
 *
 * const cells = [0.1, 0.9].flatMap((mu) =>
 *   [0.05, 0.2].map((lambda) => ({ kind: "trainedRank" as const, experiment: { mu, lambda, dimension: 10, steps: 5000 } }))
 * );
 * const results = await runSweep(cells, { workers: 2 });
 * ```
 *
 * @param cells The cells.
 * @param options Workers, shard, known results and callbacks.
 * @returns One result per cell (undefined outside the shard).
 */
export async function runSweep<C extends SweepCell>(
  cells: readonly C[],
  options: SweepOptions = {},
): Promise<Array<SweepResult<C> | undefined>> {
  const fn = "runSweep";
  if (!Array.isArray(cells)) {
    throw new TypeError(`Invalid cells in ${fn}: expected an array; received ${check.describe(cells)}.`);
  }
  cells.forEach((c, i) => {
    if (
      c === null || typeof c !== "object" ||
      (c.kind !== "trainedRank" && c.kind !== "saddleNetworkExponent" && c.kind !== "deepNetwork")
    ) {
      throw new TypeError(
        `Invalid cells[${i}] in ${fn}: expected { kind: "trainedRank" | "saddleNetworkExponent" | "deepNetwork", … }; received ${
          check.describe(c)
        }.`,
      );
    }
  });
  const o = check.options(fn, options);
  const workers = check.integerInRange(fn, "options.workers", o.workers ?? navigator.hardwareConcurrency);
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
  const results: Array<SweepResult<C> | undefined> = new Array(cells.length).fill(undefined);
  const todo: number[] = [];
  let done = 0;
  const mine = cells.map((_, i) => i).filter((i) => i % shard.count === shard.index - 1);
  for (const i of mine) {
    const key = sweepKey(cells[i]);
    if (o.known?.has(key)) {
      results[i] = o.known.get(key) as SweepResult<C>;
      done++;
    } else todo.push(i);
  }
  const total = mine.length;
  await o.onProgress?.(done, total, done > 0 ? `${done} cached` : "starting");
  let next = 0;
  let failed = false;
  const work = async () => {
    const worker = new Worker(new URL("./sweep_worker.ts", import.meta.url).href, { type: "module" });
    try {
      while (!failed && next < todo.length) {
        const i = todo[next++];
        const t0 = performance.now();
        const result = await new Promise<unknown>((resolve, reject) => {
          worker.onmessage = (e: MessageEvent<WorkerReply>) => {
            if (e.data.ok) resolve(e.data.result);
            else reject(replyError(e.data));
          };
          worker.onerror = (e) => {
            e.preventDefault();
            reject(new Error(e.message));
          };
          worker.postMessage(cells[i]);
        });
        if (failed) break;
        results[i] = result as SweepResult<C>;
        await o.onResult?.(sweepKey(cells[i]), cells[i], result, (performance.now() - t0) / 1000);
        await o.onProgress?.(++done, total, describeCell(cells[i]));
      }
    } catch (error) {
      failed = true; // the other workers stop after their current cell and report nothing more
      throw error;
    } finally {
      worker.terminate();
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, todo.length) }, work));
  return results;
}

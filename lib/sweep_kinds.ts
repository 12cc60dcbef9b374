/**
 * {@linkcode runSweep}: the generic sweep runner of `lib/runtime/sweep.ts` bound to the library's built-in cell kinds,
 * declared next to their domain code: `trainedRank` and `saddleNetworkExponent` (Part IV,
 * `lib/networks/sweep_kinds.ts`) and `deepNetwork` (Part V, `lib/deep/sweep_kinds.ts`). `options.kinds` adds kinds of
 * your own.
 *
 * @module
 */

import type { DeepExperiment, DeepOutcome } from "./deep/deep_network_experiment.ts";
import { deepNetworkKind } from "./deep/sweep_kinds.ts";
import type { RankExperiment, RankOutcome } from "./networks/trained_rank.ts";
import type { SaddleNetworkExponentOptions } from "./networks/saddle_network_exponent.ts";
import { saddleNetworkExponentKind, trainedRankKind } from "./networks/sweep_kinds.ts";
import type { ProgressCallback } from "./runtime/progress.ts";
import {
  cacheRecord,
  cellKey,
  parseCacheRecord,
  type ParsedCacheRecord,
  runCells,
  type Shard,
  type SweepKind,
  type SweepKinds,
  validateCell,
} from "./runtime/sweep.ts";
import * as check from "./core/validate.ts";

/** One cell of a sweep: the pure function to call and its arguments. */
export type SweepCell =
  | { kind: "trainedRank"; experiment: RankExperiment }
  | { kind: "saddleNetworkExponent"; mu: number; lambda: number; options?: SaddleNetworkExponentOptions }
  | { kind: "deepNetwork"; experiment: DeepExperiment };

/** The result of a {@linkcode SweepCell}, by kind. */
export type SweepResult<C extends SweepCell> = C extends { kind: "trainedRank" } ? RankOutcome
  : C extends { kind: "deepNetwork" } ? DeepOutcome
  : { exponent: number; standardError: number };

/** The built-in kinds, by name. */
const BUILT_IN: SweepKinds = {
  trainedRank: trainedRankKind as SweepKind,
  saddleNetworkExponent: saddleNetworkExponentKind as SweepKind,
  deepNetwork: deepNetworkKind as SweepKind,
};

/** Options of {@linkcode runSweep}. */
export interface SweepOptions<C extends { kind: string } = SweepCell> {
  /**
   * The number of workers, capped at 4 × `navigator.hardwareConcurrency` and at the number of cells to compute.
   * @default navigator.hardwareConcurrency
   */
  workers?: number;
  /** Only this shard of the cells (`{ index, count }` or "i/n"); the others are left `undefined`. */
  shard?: Shard | string;
  /** Results already known, by {@linkcode sweepKey} (e.g. read from a cache): not recomputed. */
  known?: ReadonlyMap<string, unknown>;
  /** Called with each newly computed cell and its compute time in seconds, in completion order (e.g. to append it to a cache). */
  onResult?: (key: string, cell: C, result: unknown, seconds: number) => void | Promise<void>;
  /** Called after every finished cell (cached ones count as finished at the start). */
  onProgress?: ProgressCallback;
  /**
   * Cell kinds of your own, by name, besides the built-in `trainedRank`, `saddleNetworkExponent` and `deepNetwork`
   * (which cannot be redefined): see {@linkcode SweepKind}.
   */
  kinds?: Readonly<Record<string, SweepKind>>;
}

/**
 * The cache key of a cell: its JSON with sorted keys, so equal settings give equal keys however they were written. The
 * cell is validated first (its kind, and for `saddleNetworkExponent` its μ, λ and options, as the function checks them),
 * so that no key is made for a cell that cannot be computed (NaN, for one, would be written null).
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
  validateCell("sweepKey", "cell", BUILT_IN, cell);
  return cellKey(cell);
}

/**
 * The cache record of a built-in cell as one JSON line (no newline): its key, the cache format, the code version of its
 * kind, the result and the compute time. Internal (the reproduce CLI writes the caches).
 */
export function sweepRecord(key: string, result: unknown, seconds: number): string {
  return cacheRecord(BUILT_IN, key, result, seconds);
}

/**
 * Parses and validates one cache line of a built-in cell against its kind's schema (see `parseCacheRecord` in
 * `lib/runtime/sweep.ts`). Pure; never throws. Internal (the experiments module reads the caches).
 */
export function parseSweepRecord(line: string): ParsedCacheRecord {
  return parseCacheRecord(line, BUILT_IN);
}

function allKinds(fn: string, extra: unknown): SweepKinds {
  if (extra === undefined) return BUILT_IN;
  if (extra === null || typeof extra !== "object" || Array.isArray(extra)) {
    throw new TypeError(
      `Invalid options.kinds in ${fn}: expected an object of kinds; received ${check.describe(extra)}.`,
    );
  }
  const kinds: Record<string, SweepKind> = { ...BUILT_IN };
  for (const [name, kind] of Object.entries(extra)) {
    const path = `options.kinds.${name}`;
    if (Object.hasOwn(BUILT_IN, name)) {
      throw new RangeError(
        `Invalid ${path} in ${fn}: expected a new kind name (${name} is built in); received a kind.`,
      );
    }
    if (kind === null || typeof kind !== "object") {
      throw new TypeError(`Invalid ${path} in ${fn}: expected a SweepKind; received ${check.describe(kind)}.`);
    }
    const k = kind as Record<string, unknown>;
    if (typeof k.module !== "string" || !URL.canParse(k.module)) {
      throw new TypeError(
        `Invalid ${path}.module in ${fn}: expected a module URL; received ${check.describe(k.module)}.`,
      );
    }
    if (typeof k.exportName !== "string") {
      throw new TypeError(
        `Invalid ${path}.exportName in ${fn}: expected a string; received ${check.describe(k.exportName)}.`,
      );
    }
    for (const method of ["args", "describe", "validate"]) {
      if (typeof k[method] !== "function") {
        throw new TypeError(
          `Invalid ${path}.${method} in ${fn}: expected a function; received ${check.describe(k[method])}.`,
        );
      }
    }
    if (k.codeVersion !== undefined && !Number.isInteger(k.codeVersion)) {
      throw new TypeError(
        `Invalid ${path}.codeVersion in ${fn}: expected an integer; received ${check.describe(k.codeVersion)}.`,
      );
    }
    if (k.checkResult !== undefined && typeof k.checkResult !== "function") {
      throw new TypeError(
        `Invalid ${path}.checkResult in ${fn}: expected a function; received ${check.describe(k.checkResult)}.`,
      );
    }
    kinds[name] = kind as SweepKind;
  }
  return kinds;
}

/**
 * Runs the cells of a sweep in Web Workers and returns their results in the order of `cells` (`undefined` for cells
 * outside the shard). Each cell is a pure seeded function of its settings, so the results are identical for any number
 * of workers, any shard split and any resumption from `known` results.
 *
 * Needs `--allow-read` (a local copy of the library) or `--allow-import` (a URL) for its workers; without it, it
 * rejects with one `Deno.errors.NotCapable` naming the flag.
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
export function runSweep<C extends SweepCell>(
  cells: readonly C[],
  options?: SweepOptions,
): Promise<Array<SweepResult<C> | undefined>>;
/**
 * Runs cells of your own kinds (with built-in ones, if you like) given in `options.kinds`: see {@linkcode SweepKind}.
 * The results are typed `unknown`.
 *
 * @example A kind of your own: see {@linkcode SweepKind}
 * ```ts
 * import { runSweep } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(await runSweep([], { kinds: {} }), []);
 * ```
 *
 * @param cells The cells.
 * @param options Extra kinds, workers, shard, known results and callbacks.
 * @returns One result per cell (undefined outside the shard).
 */
export function runSweep<C extends { kind: string }>(
  cells: readonly C[],
  options: SweepOptions<C> & { kinds: Readonly<Record<string, SweepKind>> },
): Promise<unknown[]>;
export function runSweep(
  cells: readonly { kind: string }[],
  options: SweepOptions<never> = {},
): Promise<unknown[]> {
  const fn = "runSweep";
  try {
    const kinds = allKinds(fn, options?.kinds);
    return runCells(fn, kinds, cells, options as SweepOptions<{ kind: string }>);
  } catch (error) {
    return Promise.reject(error);
  }
}

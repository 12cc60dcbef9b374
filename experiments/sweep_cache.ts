/**
 * Reading the JSON-lines cache of the sweeps: one line per finished cell, `{ "key", "format", "code", "result",
 * "seconds" }`, in `<out>/sweeps/<size>[.shard-i-of-n].jsonl`. Every file of a size is read back, so shards computed on
 * different machines are merged by copying their files into one folder. Every line is checked against the schema of
 * its cell kind (the key is a valid cell of a known kind, the cache format and the kind's code version are current, the
 * result has the shape and values the kind computes); a line that fails is reported with its file and line number and
 * never used, so its cell is recomputed. Reading needs `--allow-read` for the folder, at call time only; the reproduce
 * CLI writes the files.
 *
 * @module
 */

import { parseSweepRecord } from "../lib/sweep_kinds.ts";
import { check, place, text as checkText } from "./checks.ts";

/** The cache folder under an output folder (a path or a `file:` URL), as a path ending without a slash. */
export function cacheDir(out: string | URL): string | URL {
  place("cacheDir", "out", out);
  if (typeof out === "string") return `${out.replace(/\/+$/, "")}/sweeps`;
  return new URL("sweeps", out.href.replace(/\/*$/, "/"));
}

/** A line of a cache file that is not used: truncated, garbage, invalid, stale or conflicting. */
export interface CacheFault {
  /** The file (a path). */
  file: string;
  /** The line number, 1-based. */
  line: number;
  /** What is wrong with the line. */
  problem: string;
  /** True when the line is a valid record of an older cache format or code version. */
  stale: boolean;
  /** `file:line: problem`, with how the cell is recomputed. */
  message: string;
}

/** The results of a size's cache, by cell key, with the total compute time of the cached cells and the faults found. */
export type CachedResults = Map<string, unknown> & {
  /** The recorded compute time of the cached cells, in seconds. */
  seconds: number;
  /** The lines not used, in file and line order. */
  faults: CacheFault[];
  /** The files read. */
  files: string[];
  /** The number of non-empty lines read. */
  lines: number;
};

/** Options of {@linkcode readCache}. */
export interface ReadCacheOptions {
  /** Called with each fault as it is found (e.g. to print it on stderr); they are also listed in `faults`. */
  onFault?: (fault: CacheFault) => void;
}

/** A usable line of a cache file (see {@linkcode checkCacheText}). */
export interface CacheLine {
  /** The line number, 1-based. */
  line: number;
  /** The cell key. */
  key: string;
  /** The result (diverged runs' nulls restored to NaN). */
  result: unknown;
  /** The recorded compute time in seconds. */
  seconds: number;
}

/**
 * Checks the text of one cache file line by line (pure): the usable lines and the faults. A last line without its
 * newline is an interrupted write unless it is a complete valid record.
 *
 * @example
 * ```ts
 * import { checkCacheText } from "@probstab/sgd/experiments";
 * import assert from "node:assert/strict";
 *
 * const { records, faults } = checkCacheText('{"key":"{\\"kind\\":\\"nope\\"}"}\n{"key":', "a.jsonl", "notebook");
 * assert.equal(records.length, 0);
 * assert.deepEqual(faults.map((f) => f.line), [1, 2]);
 * assert.match(faults[1].message, /^a\.jsonl:2: incomplete last line/);
 * ```
 *
 * @param text The file's text.
 * @param file The file's name, for the messages.
 * @param size The size name, for the messages (how to recompute).
 * @returns The usable lines and the faults, in line order.
 */
export function checkCacheText(
  text: string,
  file: string,
  size: string,
): { records: CacheLine[]; faults: CacheFault[]; lines: number } {
  checkText("checkCacheText", "text", text);
  checkText("checkCacheText", "file", file);
  checkText("checkCacheText", "size", size);
  const records: CacheLine[] = [], faults: CacheFault[] = [];
  const lines = text.split("\n");
  const complete = text.endsWith("\n") || text === "";
  let count = 0;
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    count++;
    const parsed = parseSweepRecord(line);
    if (parsed.ok) {
      records.push({ line: i + 1, key: parsed.key, result: parsed.result, seconds: parsed.seconds });
      return;
    }
    const last = i === lines.length - 1 && !complete;
    const problem = last ? `incomplete last line (an interrupted write): ${parsed.problem}` : parsed.problem;
    faults.push(fault(file, i + 1, problem, parsed.stale, size));
  });
  return { records, faults, lines: count };
}

function fault(file: string, line: number, problem: string, stale: boolean, size: string): CacheFault {
  const how = `not used: \`deno task sweep --size ${size}\` (or \`deno task reproduce\`) recomputes the cell`;
  return { file, line, problem, stale, message: `${file}:${line}: ${problem}; ${how}` };
}

/**
 * Reads every cache file of a size under `<out>/sweeps/` into a map from cell key to result; `seconds` sums the
 * recorded compute times of the cells. Every line is validated (see the module doc): a truncated, garbage, invalid or
 * stale line is listed in `faults` (and passed to `options.onFault`) with its file and line number, and not used. Two
 * different results for one cell are both dropped (reported as a conflict). An absent folder gives an empty map.
 *
 * @param out The output folder holding `sweeps/`: a path or a `file:` URL (e.g. `"../figures"` from a notebook).
 * @param size The size name, e.g. `"notebook"` or `"deep-full"`.
 * @param options A callback for the faults.
 * @returns The usable results by cell key, with their compute time and the faults.
 */
export async function readCache(out: string | URL, size: string, options?: ReadCacheOptions): Promise<CachedResults> {
  place("readCache", "out", out);
  checkText("readCache", "size", size);
  if (options !== undefined) check.object("readCache", "options", options);
  if (options?.onFault !== undefined && typeof options.onFault !== "function") {
    throw new TypeError(
      `Invalid options.onFault in readCache: expected a function; received ${check.describe(options.onFault)}.`,
    );
  }
  const known: CachedResults = Object.assign(new Map<string, unknown>(), {
    seconds: 0,
    faults: [] as CacheFault[],
    files: [] as string[],
    lines: 0,
  });
  const dir = cacheDir(out);
  let entries: Deno.DirEntry[] = [];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return known;
    throw e;
  }
  const first = new Map<string, { file: string; line: number; json: string; seconds: number }>();
  const conflicted = new Set<string>();
  const report = (f: CacheFault) => {
    known.faults.push(f);
    options?.onFault?.(f);
  };
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isFile || !entry.name.startsWith(`${size}.`) || !entry.name.endsWith(".jsonl")) continue;
    const url = typeof dir === "string" ? undefined : new URL(entry.name, `${dir.href}/`);
    const file = url ? decodeURIComponent(url.pathname) : `${dir}/${entry.name}`;
    const text = await Deno.readTextFile(url ?? file);
    const { records, faults, lines } = checkCacheText(text, file, size);
    known.files.push(file);
    known.lines += lines;
    faults.forEach(report);
    for (const { line, key, result, seconds } of records) {
      const json = JSON.stringify(result);
      const seen = first.get(key);
      if (seen === undefined) {
        first.set(key, { file, line, json, seconds });
        known.set(key, result);
        known.seconds += seconds;
      } else if (seen.json !== json) {
        report(
          fault(file, line, `conflicts with ${seen.file}:${seen.line} (another result for the cell)`, false, size),
        );
        if (!conflicted.has(key)) {
          conflicted.add(key);
          known.delete(key);
          known.seconds -= seen.seconds;
        }
      }
    }
  }
  return known;
}

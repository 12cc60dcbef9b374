/**
 * The JSON-lines cache of the network sweeps: one line per finished cell, `{ "key": …, "result": … }`, in
 * `<out>/sweeps/<size>[.shard-i-of-n].jsonl`. Every file of a size is read back, so shards computed on
 * different machines are merged by copying their files into one folder. Only the reproduce CLIs use it.
 *
 * @module
 */

import type { SweepCell } from "../mod.ts";

/** The cache folder under an output folder. */
export function cacheDir(out: string): string {
  return `${out.replace(/\/+$/, "")}/sweeps`;
}

/** The cache file of a size (and shard). */
export function cacheFile(out: string, size: string, shard?: { index: number; count: number }): string {
  return `${cacheDir(out)}/${size}${shard && shard.count > 1 ? `.shard-${shard.index}-of-${shard.count}` : ""}.jsonl`;
}

/** A diverged training run is stored with null measurements (JSON has no NaN): restore NaN. */
function revive(result: unknown): unknown {
  const r = result as Record<string, unknown> & { diverged?: boolean };
  if (!r || typeof r !== "object" || r.diverged !== true) return result;
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? NaN : v]));
}

/** The results of a size's cache, by cell key, with the total compute time of the cached cells. */
export type CachedResults = Map<string, unknown> & { seconds: number };

/**
 * Reads every cache file of a size into a map from cell key to result (a truncated last line is skipped);
 * `seconds` sums the recorded compute times of the cells.
 */
export async function readCache(out: string, size: string): Promise<CachedResults> {
  const known = Object.assign(new Map<string, unknown>(), { seconds: 0 });
  const dir = cacheDir(out);
  let entries: Deno.DirEntry[] = [];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return known;
    throw e;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isFile || !entry.name.startsWith(`${size}.`) || !entry.name.endsWith(".jsonl")) continue;
    const text = await Deno.readTextFile(`${dir}/${entry.name}`);
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      try {
        const { key, result, seconds } = JSON.parse(line);
        if (typeof key === "string") {
          if (!known.has(key) && typeof seconds === "number") known.seconds += seconds;
          known.set(key, revive(result));
        }
      } catch { /* an interrupted write: the cell is recomputed */ }
    }
  }
  return known;
}

/** An `onResult` callback appending each finished cell to the cache file (one line, flushed at once). */
export async function cacheWriter(
  file: string,
): Promise<(key: string, cell: SweepCell, result: unknown, seconds: number) => Promise<void>> {
  await Deno.mkdir(file.slice(0, file.lastIndexOf("/")), { recursive: true });
  const encoder = new TextEncoder();
  return async (key, _cell, result, seconds) => {
    const line = JSON.stringify({ key, result, seconds: Number(seconds.toFixed(3)) }) + "\n";
    await Deno.writeFile(file, encoder.encode(line), { append: true });
  };
}

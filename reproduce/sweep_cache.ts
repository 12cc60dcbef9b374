/**
 * Writing the JSON-lines cache of the sweeps (read back by `readCache` of the experiments module): one line per
 * finished cell, `{ "key": …, "result": … }`, in `<out>/sweeps/<size>[.shard-i-of-n].jsonl`. Only the reproduce CLIs
 * write it.
 *
 * @module
 */

import type { SweepCell } from "../mod.ts";
import { cacheDir } from "../experiments/mod.ts";

/** The cache file of a size (and shard). */
export function cacheFile(out: string, size: string, shard?: { index: number; count: number }): string {
  const name = `${size}${shard && shard.count > 1 ? `.shard-${shard.index}-of-${shard.count}` : ""}.jsonl`;
  return `${cacheDir(out)}/${name}`;
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

/**
 * `deno task sweep`: runs the §4.4 network sweeps (Figures 7–8, Adam, batch size, the linearized saddle exponent; sizes
 * `notebook`, `full`) or Part V's deep-network grids (Figure 1(c), Figures 9–12; sizes `deep-notebook`, `deep-full`, and
 * `deep-seeds`: two more seeds at the cells next to the full SGD grid's boundary) on all cores, caching each finished cell in `<out>/sweeps/<size>*.jsonl`, so that an interrupted sweep resumes where it
 * stopped. `--shard i/n` computes every n-th cell (for a job array: run shards 1/n … n/n on n machines, copy their
 * `.jsonl` files into one `<out>/sweeps/`, then `deno task reproduce --full` draws the figures from the cache without
 * recomputing).
 *
 *     deno task sweep --size full                 # the paper's size (d = 200), about 35 min on 2 cores
 *     deno task sweep --size full --shard 2/8     # the second of 8 shards
 *     deno task sweep --size notebook --workers 1
 *     deno task sweep --size deep-full            # Part V's full grids on MNIST
 *     deno task sweep --size deep-seeds           # seeds 1 and 2 at the full SGD grid's boundary (44 runs)
 *     deno task sweep --verify                    # check every cache file under figures/sweeps/ (exit 1 if bad)
 *
 * Every cache line is validated when read (see `experiments/sweep_cache.ts`): a truncated, garbage, invalid or stale
 * line is reported on stderr with its file and line number, and its cell recomputed. Two processes on the same shard
 * take turns through a lock file (see `reproduce/sweep_cache.ts`), so no cell is computed twice. `--verify` checks the
 * cache files of every size (e.g. shards copied in from other machines) without computing: it prints every bad line
 * and a summary, and exits with 1 if any line is bad. `--limit n` keeps the first n cells of the grid (for tests).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { parseShard, runSweep, terminalProgress } from "../mod.ts";
import {
  DEEP_SEEDS_SIZE,
  DEEP_SIZES,
  deepNetworkCells,
  deepSeedCells,
  type DeepSize,
  NETWORK_SIZES,
  networkCells,
  type NetworkSize,
  readCache,
} from "../experiments/mod.ts";
import { cacheDir } from "../experiments/mod.ts";
import { cacheFile, openCache } from "./sweep_cache.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    size: { type: "string", default: "full" },
    shard: { type: "string", default: "1/1" },
    workers: { type: "string", default: String(navigator.hardwareConcurrency) },
    out: { type: "string", default: "figures" },
    verify: { type: "boolean", default: false },
    limit: { type: "string" },
  },
});
const names = [...Object.keys(NETWORK_SIZES), ...Object.keys(DEEP_SIZES), DEEP_SEEDS_SIZE];
if (values.verify) Deno.exit(await verify());
if (!names.includes(values.size)) {
  console.error(`Invalid --size: expected one of ${names.join(", ")}; received ${values.size}.`);
  Deno.exit(2);
}
const size = values.size;
const shard = parseShard(values.shard);
const workers = Number(values.workers);
const grid = size === DEEP_SEEDS_SIZE
  ? deepSeedCells()
  : size in DEEP_SIZES
  ? deepNetworkCells(size as DeepSize)
  : networkCells(size as NetworkSize);
const limit = values.limit === undefined ? grid.length : Number(values.limit);
if (!Number.isInteger(limit) || limit < 0) {
  console.error(`Invalid --limit: expected a non-negative integer; received ${values.limit}.`);
  Deno.exit(2);
}
const cells = grid.slice(0, limit);
// Take the shard's lock first, then read the cache: cells finished by a process that held the lock are not recomputed.
const cache = await openCache(cacheFile(values.out, size, shard));
const known = await readCache(values.out, size, { onFault: (f) => console.error(f.message) });
const started = performance.now();
let computed = 0;
try {
  await runSweep(cells, {
    workers,
    shard,
    known,
    onResult: (key, cell, result, seconds) => {
      computed++;
      return cache.write(key, cell, result, seconds);
    },
    onProgress: terminalProgress(`sweep ${size} ${shard.index}/${shard.count}`),
  });
} finally {
  await cache.close();
}
console.error(
  `sweep ${size}: shard ${shard.index}/${shard.count} of ${cells.length} cells done in ${
    ((performance.now() - started) / 1000).toFixed(1)
  } s, ${computed} computed (cache: ${cache.file})`,
);

/** `--verify`: checks every cache file of every size under `<out>/sweeps/`; returns the exit code. */
async function verify(): Promise<number> {
  let files = 0, lines = 0, bad = 0, stale = 0;
  const read = new Set<string>();
  for (const name of names) {
    const known = await readCache(values.out, name);
    known.files.forEach((f) => read.add(f));
    files += known.files.length;
    lines += known.lines;
    for (const f of known.faults) {
      console.error(f.message);
      bad++;
      if (f.stale) stale++;
    }
  }
  // A .jsonl file of no known size is never drawn: say so.
  const dir = String(cacheDir(values.out));
  const other: string[] = [];
  try {
    for (const e of Deno.readDirSync(dir)) {
      if (e.isFile && e.name.endsWith(".jsonl") && !read.has(`${dir}/${e.name}`)) other.push(`${dir}/${e.name}`);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  for (const f of other.sort()) console.error(`${f}: not the cache of a known size (${names.join(", ")}); not read`);
  console.error(
    `verify ${dir}: ${lines} lines in ${files} files, ${bad} bad${stale ? ` (${stale} stale)` : ""}${
      other.length ? `, ${other.length} unknown files` : ""
    }`,
  );
  return bad > 0 || other.length > 0 ? 1 : 0;
}

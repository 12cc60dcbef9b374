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
import { cacheFile, cacheWriter } from "./sweep_cache.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    size: { type: "string", default: "full" },
    shard: { type: "string", default: "1/1" },
    workers: { type: "string", default: String(navigator.hardwareConcurrency) },
    out: { type: "string", default: "figures" },
  },
});
const names = [...Object.keys(NETWORK_SIZES), ...Object.keys(DEEP_SIZES), DEEP_SEEDS_SIZE];
if (!names.includes(values.size)) {
  console.error(`Invalid --size: expected one of ${names.join(", ")}; received ${values.size}.`);
  Deno.exit(2);
}
const size = values.size;
const shard = parseShard(values.shard);
const workers = Number(values.workers);
const cells = size === DEEP_SEEDS_SIZE
  ? deepSeedCells()
  : size in DEEP_SIZES
  ? deepNetworkCells(size as DeepSize)
  : networkCells(size as NetworkSize);
const known = await readCache(values.out, size);
const file = cacheFile(values.out, size, shard);
const started = performance.now();
await runSweep(cells, {
  workers,
  shard,
  known,
  onResult: await cacheWriter(file),
  onProgress: terminalProgress(`sweep ${size} ${shard.index}/${shard.count}`),
});
console.error(
  `sweep ${size}: shard ${shard.index}/${shard.count} of ${cells.length} cells done in ${
    ((performance.now() - started) / 1000).toFixed(1)
  } s (cache: ${file})`,
);

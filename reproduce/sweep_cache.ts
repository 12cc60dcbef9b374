/**
 * Writing the JSON-lines cache of the sweeps (read back and validated by `readCache` of the experiments module): one
 * line per finished cell, `{ "key", "format", "code", "result", "seconds" }`, in
 * `<out>/sweeps/<size>[.shard-i-of-n].jsonl`. Only the reproduce CLIs write it, through {@linkcode openCache}:
 *
 * - a lock file `<file>.lock` makes one process at a time compute a cache file's cells: a second process on the same
 *   shard waits, then reads the cache again and computes only what is still missing. The holder touches the lock every
 *   {@linkcode LOCK_HEARTBEAT_MS}; a lock not touched for {@linkcode LOCK_STALE_MS} (its process was killed) is
 *   reclaimed;
 * - before appending, a file whose last line is incomplete (a crash mid-write) is repaired: the fragment is removed
 *   (it was reported by the reader and its cell is recomputed), so that the next record is not glued onto it.
 *
 * @module
 */

import type { SweepCell } from "../mod.ts";
import { sweepRecord } from "../lib/sweep_kinds.ts";
import { cacheDir, checkCacheText } from "../experiments/mod.ts";

/** How often the holder of a lock touches it. */
export const LOCK_HEARTBEAT_MS = 2_000;
/** A lock not touched for this long is stale (its process is gone) and is reclaimed. */
export const LOCK_STALE_MS = 20_000;

/** The cache file of a size (and shard). */
export function cacheFile(out: string, size: string, shard?: { index: number; count: number }): string {
  const name = `${size}${shard && shard.count > 1 ? `.shard-${shard.index}-of-${shard.count}` : ""}.jsonl`;
  return `${cacheDir(out)}/${name}`;
}

/** An open cache file: append records with `write`, then `close` (releases the lock). */
export interface OpenCache {
  /** The cache file. */
  file: string;
  /** An `onResult` callback appending each finished cell to the file (one line, flushed at once). */
  write: (key: string, cell: SweepCell, result: unknown, seconds: number) => Promise<void>;
  /** Releases the lock. */
  close: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

/**
 * Takes the lock `<file>.lock`: created exclusively, holding this process's pid and start time, touched every
 * {@linkcode LOCK_HEARTBEAT_MS}. Waits while another live process holds it; reclaims it when it is stale.
 */
async function lock(file: string, log: (message: string) => void): Promise<() => Promise<void>> {
  const path = `${file}.lock`;
  const mine = JSON.stringify({ pid: Deno.pid, started: new Date().toISOString(), nonce: crypto.randomUUID() });
  let told = false;
  for (;;) {
    try {
      await Deno.writeTextFile(path, mine, { createNew: true });
      break;
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    }
    const held = await readOrUndefined(path);
    const mtime = await Deno.stat(path).then((s) => s.mtime?.getTime() ?? 0, () => undefined);
    if (held === undefined || mtime === undefined) continue; // released meanwhile
    if (Date.now() - mtime > LOCK_STALE_MS) {
      // Reclaim by rename, so that two reclaimers cannot both remove it; put back a live lock moved by mistake.
      const moved = `${path}.stale-${Deno.pid}-${crypto.randomUUID()}`;
      try {
        await Deno.rename(path, moved);
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) continue;
        throw e;
      }
      if ((await readOrUndefined(moved)) === held) {
        log(`${path}: removed a stale lock (${held || "empty"}, untouched for ${((Date.now() - mtime) / 1000) | 0} s)`);
        await Deno.remove(moved);
      } else {
        await Deno.link(moved, path).catch(() => {});
        await Deno.remove(moved);
      }
      continue;
    }
    if (!told) {
      log(
        `${path}: another process computes this cache (${held}); waiting for it (a lock untouched for ${
          LOCK_STALE_MS / 1000
        } s is reclaimed)`,
      );
      told = true;
    }
    await sleep(250);
  }
  const heartbeat = setInterval(() => {
    const now = new Date();
    Deno.utime(path, now, now).catch(() => {});
  }, LOCK_HEARTBEAT_MS);
  Deno.unrefTimer(heartbeat); // never keeps the process alive; a lock left behind goes stale and is reclaimed
  return async () => {
    clearInterval(heartbeat);
    if ((await readOrUndefined(path)) === mine) await Deno.remove(path).catch(() => {});
  };
}

/**
 * Removes an incomplete last line (a crash mid-write) from a cache file, or ends a complete last record with its
 * newline, so that the next record starts on a line of its own. Call it holding the lock.
 */
export async function repairCacheFile(file: string, log: (message: string) => void): Promise<void> {
  const text = await readOrUndefined(file);
  if (text === undefined || text === "" || text.endsWith("\n")) return;
  const cut = text.lastIndexOf("\n") + 1;
  const { records } = checkCacheText(text.slice(cut), file, "");
  if (records.length === 1) {
    await Deno.writeTextFile(file, "\n", { append: true });
    return;
  }
  const line = text.slice(0, cut).split("\n").length;
  await Deno.truncate(file, new TextEncoder().encode(text.slice(0, cut)).length);
  log(`${file}:${line}: removed an incomplete last line (an interrupted write); its cell is recomputed`);
}

/**
 * Opens a cache file for appending: takes its lock (waiting for another process that holds it), then repairs an
 * incomplete last line. Read the cache after opening it, so that cells finished by a process that held the lock are
 * not recomputed.
 *
 * @param file The cache file ({@linkcode cacheFile}).
 * @param log Where to report waiting, stale locks and repairs (e.g. `console.error`).
 */
export async function openCache(file: string, log: (message: string) => void = console.error): Promise<OpenCache> {
  await Deno.mkdir(file.slice(0, file.lastIndexOf("/")), { recursive: true });
  const release = await lock(file, log);
  try {
    await repairCacheFile(file, log);
  } catch (e) {
    await release();
    throw e;
  }
  const encoder = new TextEncoder();
  return {
    file,
    write: async (key, _cell, result, seconds) => {
      await Deno.writeFile(file, encoder.encode(sweepRecord(key, result, seconds) + "\n"), { append: true });
    },
    close: release,
  };
}

/**
 * Reading the JSON-lines cache of the sweeps: one line per finished cell, `{ "key": …, "result": … }`, in
 * `<out>/sweeps/<size>[.shard-i-of-n].jsonl`. Every file of a size is read back, so shards computed on different
 * machines are merged by copying their files into one folder. Reading needs `--allow-read` for the folder, at call time
 * only; the reproduce CLI writes the files.
 *
 * @module
 */

/** The cache folder under an output folder (a path or a `file:` URL), as a path ending without a slash. */
export function cacheDir(out: string | URL): string | URL {
  if (typeof out === "string") return `${out.replace(/\/+$/, "")}/sweeps`;
  return new URL("sweeps", out.href.replace(/\/*$/, "/"));
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
 * Reads every cache file of a size under `<out>/sweeps/` into a map from cell key to result (a truncated last line is
 * skipped); `seconds` sums the recorded compute times of the cells. An absent folder gives an empty map.
 *
 * @param out The output folder holding `sweeps/`: a path or a `file:` URL (e.g. `"../figures"` from a notebook).
 * @param size The size name, e.g. `"notebook"` or `"deep-full"`.
 */
export async function readCache(out: string | URL, size: string): Promise<CachedResults> {
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
    const text = await Deno.readTextFile(
      typeof dir === "string" ? `${dir}/${entry.name}` : new URL(entry.name, `${dir.href}/`),
    );
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

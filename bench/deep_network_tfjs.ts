/**
 * One SGD step of a small deep network in TensorFlow.js, CPU (pure JS) and WebAssembly backends, at batch sizes 32 and
 * 1 — the library baseline against which the toolkit's own typed-array kernels are judged.
 *
 * Model "MLP-784-128-128-64-10": x (784, pixels in [0, 1)) → dense 128 + ReLU → dense 128 + ReLU → dense 64 + ReLU →
 * dense 10 (logits); loss = softmax cross-entropy averaged over the batch; plain SGD (no momentum, no weight decay),
 * learning rate 0.1; float32 (TF.js's only float dtype). Weights He normal (std √(2/fan_in)), biases 0. Same problem as
 * bench/deep_network.py (NumPy, float64), drawn from the same seeded generator (see `uniforms` below), so the losses of
 * the check steps printed by both must agree to float32 precision.
 *
 * Data: a pool of 64 batches made before timing (x ~ U[0, 1), labels uniform in 0–9, one-hot), kept as tensors; step t
 * uses batch t mod 64 (rows [32t, 32t + 32) of a 2048-row pool at S = 32, row t at S = 1). Data generation is not
 * timed.
 *
 * Backends: "cpu" (@tensorflow/tfjs-backend-cpu), "wasm-simd" and "wasm" (@tensorflow/tfjs-backend-wasm with its SIMD
 * and its plain binary, loaded from the npm package's dist/ folder via import.meta.resolve and setWasmPaths). The
 * threaded-SIMD binary cannot run under Deno: tfjs forces WASM_HAS_MULTITHREAD_SUPPORT to false when IS_NODE (true in
 * Deno); forced on, Emscripten's pthread pool does `new Worker(blob: URL)`, which Deno's node:worker_threads rejects
 * (ERR_WORKER_PATH: needs a file path), and with the Node globals hidden the browser path fails with "Classic workers
 * are not supported" (Deno only has module workers). Past that, each pthread worker would evaluate the module factory's
 * source (passed as a Blob), which refers to the bundle's module-scope `require$$0`/`require$$1` (fs, path) — the
 * reason tfjs disables threads under Node. `--try-threads` repeats the attempt and prints the error.
 *
 * Step variants, each timed (the fastest per backend and batch size is the result):
 *   - "minimize": tf.train.sgd(0.1).minimize(loss) over tf.variables, layers as relu(add(matMul(h, W), b));
 *   - "variableGrads": tf.variableGrads(loss), then W.assign(W − 0.1 g) by hand;
 *   - "fused+minimize", "fused+variableGrads": the same with tf.fused.matMul({bias, activation: "relu"}).
 * Each step runs in tf.tidy; the tensor count is checked to be constant. Loss: tf.losses.softmaxCrossEntropy.
 *
 * Timing: per backend and batch size a warm-up, then `--repeats` rounds (default 3) of `--steps32` (200) / `--steps1`
 * (1000) steps per variant, the variants interleaved round-robin (a busy second core hurts them alike); µs per step is
 * the best round (the median is printed too). Every variant starts from the same initial weights. The last lines are
 * JSON, one per backend and batch size:
 *   {"backend": ..., "batch": ..., "usPerStep": ..., "variant": ..., "medianUsPerStep": ..., ...}
 *
 * Checks (printed before the timings): the loss at the first 10 steps at S = 32 and the loss on batch 0 after them
 * (compare with deep_network.py); whether two runs of those 10 steps give bit-identical weights (determinism) and the
 * max |Δ| between variants and between backends.
 *
 * Run: deno run --allow-read --allow-env --allow-net bench/deep_network_tfjs.ts [--steps32 N] [--steps1 N]
 *        [--repeats K] [--backends cpu,wasm-simd,wasm] [--try-threads]
 * Permissions: only --allow-read is needed (Node's fs in the wasm backend reads the .wasm binaries from Deno's npm
 * cache; `--allow-read=$(deno info --json | jq -r .npmCache)` is enough; the cpu backend alone needs no permission).
 * --allow-env and --allow-net are accepted but unused: Deno fetches the npm packages into its cache without a
 * permission. The first run adds the tfjs packages to deno.lock (or pass --no-lock). Versions pinned below: tfjs-core,
 * tfjs-backend-cpu, tfjs-backend-wasm and tfjs 4.22.0 (the latest on npm when written).
 *
 * @module
 */

// deno-lint-ignore no-import-prefix
import * as tf from "npm:@tensorflow/tfjs-core@4.22.0";
// The gradient functions (tf.grad, optimizers) are not in tfjs-core's bundle: the union package @tensorflow/tfjs
// registers them (its dist/tf.node.js bundles them; tfjs-core's own dist/register_all_gradients.js is ESM with
// extensionless imports that Deno, like Node, cannot resolve). It is imported for that side effect only; it depends on
// the same tfjs-core and tfjs-backend-cpu versions, so there is one engine.
// deno-lint-ignore no-import-prefix
import { version as versionUnion } from "npm:@tensorflow/tfjs@4.22.0";
// deno-lint-ignore no-import-prefix
import { version_cpu } from "npm:@tensorflow/tfjs-backend-cpu@4.22.0";
// deno-lint-ignore no-import-prefix
import { setThreadsCount, setWasmPaths, version_wasm } from "npm:@tensorflow/tfjs-backend-wasm@4.22.0";

const LAYERS = [784, 128, 128, 64, 10];
const LR = 0.1;
const POOL_BATCHES = 64;
const POOL_ROWS = 32 * POOL_BATCHES;
const CHECK_STEPS = 10;

function argValue(name: string, fallback: string): string {
  const i = Deno.args.indexOf(name);
  return i >= 0 && i + 1 < Deno.args.length ? Deno.args[i + 1] : fallback;
}
const steps32 = Number(argValue("--steps32", "200"));
const steps1 = Number(argValue("--steps1", "1000"));
const repeats = Number(argValue("--repeats", "3"));
const backends = argValue("--backends", "cpu,wasm-simd,wasm").split(",");
const tryThreads = Deno.args.includes("--try-threads");

// ---------------------------------------------------------------------------------------------------------------
// Seeded data, identical to deep_network.py: mulberry32 as a counter-based generator, u_k = mix(seed + k·0x6D2B79F5)
// for k = 1, 2, …; normals by Box–Muller, z_i = √(−2 ln(1 − u_2i)) cos(2π u_2i+1).

function uniforms(seed: number, n: number): Float64Array {
  const out = new Float64Array(n);
  let a = seed | 0;
  for (let k = 0; k < n; k++) {
    a = (a + 0x6D2B79F5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[k] = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  return out;
}

function normals(seed: number, n: number): Float64Array {
  const u = uniforms(seed, 2 * n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(1 - u[2 * i])) * Math.cos(2 * Math.PI * u[2 * i + 1]);
  return out;
}

/** He-normal weights, row-major [fan_in, fan_out], seed 10 + layer index. */
function initialWeights(): Float32Array[] {
  const ws: Float32Array[] = [];
  for (let l = 0; l < LAYERS.length - 1; l++) {
    const fanIn = LAYERS[l], fanOut = LAYERS[l + 1];
    const z = normals(10 + l, fanIn * fanOut);
    const std = Math.sqrt(2 / fanIn);
    ws.push(Float32Array.from(z, (v) => v * std));
  }
  return ws;
}

const poolX = Float32Array.from(uniforms(1, POOL_ROWS * LAYERS[0]));
const poolY = Int32Array.from(uniforms(2, POOL_ROWS), (u) => Math.floor(10 * u));
const w0 = initialWeights();

// ---------------------------------------------------------------------------------------------------------------

type Batch = { x: tf.Tensor2D; y: tf.Tensor2D };
type Variant = { name: string; step: (b: Batch) => void };

function makeBatches(size: number): Batch[] {
  const d = LAYERS[0];
  const batches: Batch[] = [];
  for (let t = 0; t < POOL_BATCHES; t++) {
    const r0 = t * size;
    const x = tf.tensor2d(poolX.subarray(r0 * d, (r0 + size) * d), [size, d]);
    const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(poolY.subarray(r0, r0 + size), "int32"), 10), "float32"));
    batches.push({ x, y: y as tf.Tensor2D });
  }
  return batches;
}

class Model {
  readonly ws: tf.Variable[];
  readonly bs: tf.Variable[];
  readonly vars: tf.Variable[];
  constructor() {
    this.ws = w0.map((w, l) => tf.variable(tf.tensor2d(w, [LAYERS[l], LAYERS[l + 1]])));
    this.bs = LAYERS.slice(1).map((n) => tf.variable(tf.zeros([n])));
    this.vars = [...this.ws, ...this.bs];
  }
  reset(): void {
    tf.tidy(() => {
      this.ws.forEach((v, l) => v.assign(tf.tensor2d(w0[l], [LAYERS[l], LAYERS[l + 1]])));
      this.bs.forEach((v) => v.assign(tf.zeros(v.shape)));
    });
  }
  loss(b: Batch, fused: boolean): tf.Scalar {
    const last = this.ws.length - 1;
    let h: tf.Tensor2D = b.x;
    for (let l = 0; l <= last; l++) {
      if (fused) {
        const activation = l < last ? "relu" : "linear";
        h = tf.fused.matMul({ a: h, b: this.ws[l], bias: this.bs[l], activation }) as tf.Tensor2D;
      } else {
        const z = tf.add(tf.matMul(h, this.ws[l]), this.bs[l]) as tf.Tensor2D;
        h = l < last ? tf.relu(z) : z;
      }
    }
    return tf.losses.softmaxCrossEntropy(b.y, h) as tf.Scalar;
  }
  snapshot(): Float32Array[] {
    return this.vars.map((v) => v.dataSync() as Float32Array);
  }
  dispose(): void {
    this.vars.forEach((v) => v.dispose());
  }
}

function variants(m: Model): Variant[] {
  const out: Variant[] = [];
  const lr = tf.scalar(LR);
  for (const fused of [false, true]) {
    const opt = tf.train.sgd(LR);
    const prefix = fused ? "fused+" : "";
    out.push({
      name: prefix + "minimize",
      step: (b) => tf.tidy(() => void opt.minimize(() => m.loss(b, fused), false, m.vars)),
    });
    out.push({
      name: prefix + "variableGrads",
      step: (b) =>
        tf.tidy(() => {
          const { grads } = tf.variableGrads(() => m.loss(b, fused), m.vars);
          for (const v of m.vars) v.assign(tf.sub(v, tf.mul(lr, grads[v.name])));
        }),
    });
  }
  return out;
}

function maxAbsDiff(a: Float32Array[], b: Float32Array[]): number {
  let m = 0;
  a.forEach((x, i) => x.forEach((v, j) => (m = Math.max(m, Math.abs(v - b[i][j])))));
  return m;
}

function runCheck(m: Model, v: Variant, batches: Batch[]): { losses: number[]; final: number; w: Float32Array[] } {
  m.reset();
  const losses: number[] = [];
  for (let t = 0; t < CHECK_STEPS; t++) {
    losses.push(tf.tidy(() => m.loss(batches[t], false).dataSync()[0]));
    v.step(batches[t]);
  }
  const final = tf.tidy(() => m.loss(batches[0], false).dataSync()[0]);
  return { losses, final, w: m.snapshot() };
}

function timeRound(m: Model, v: Variant, batches: Batch[], steps: number): number {
  m.reset();
  m.vars[0].dataSync();
  const t0 = performance.now();
  for (let t = 0; t < steps; t++) v.step(batches[t % POOL_BATCHES]);
  m.vars[0].dataSync(); // the CPU and WASM backends run synchronously; this only makes sure
  return ((performance.now() - t0) * 1000) / steps;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

async function useBackend(name: string): Promise<void> {
  if (name === "cpu") {
    if (!(await tf.setBackend("cpu"))) throw new Error("cpu backend failed to initialize");
    return;
  }
  if (name !== "wasm" && name !== "wasm-simd") throw new Error(`unknown backend ${name} (cpu, wasm-simd, wasm)`);
  // The wasm backend registers itself as "wasm"; to switch between its SIMD and plain binaries, drop the instance, set
  // the flag and register the same factory again (kernels stay registered under "wasm").
  const factory = tf.findBackendFactory("wasm");
  if (factory == null) throw new Error("wasm backend not registered");
  tf.removeBackend("wasm");
  tf.env().set("WASM_HAS_SIMD_SUPPORT", name === "wasm-simd");
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  tf.registerBackend("wasm", factory, 0);
  if (!(await tf.setBackend("wasm"))) throw new Error(`${name} backend failed to initialize`);
}

const entry = import.meta.resolve("npm:@tensorflow/tfjs-backend-wasm@4.22.0");
setWasmPaths(entry.slice(0, entry.lastIndexOf("/") + 1));

console.log(
  `tfjs-core ${tf.version_core}, tfjs-backend-cpu ${version_cpu}, tfjs-backend-wasm ${version_wasm}, ` +
    `tfjs ${versionUnion.tfjs} (gradients); ` +
    `Deno ${Deno.version.deno} (V8 ${Deno.version.v8}); IS_NODE=${tf.env().getBool("IS_NODE")}`,
);
console.log(
  `MLP ${LAYERS.join("-")}, SGD lr ${LR}, float32; steps: ${steps32} at S = 32, ${steps1} at S = 1; ` +
    `best of ${repeats} rounds`,
);

const results: Record<string, unknown>[] = [];
const checkWeights: Record<string, Float32Array[]> = {};
for (const backend of backends) {
  await useBackend(backend);
  const m = new Model();
  const vs = variants(m);

  // Checks at S = 32: loss trajectory, determinism, agreement between variants.
  const b32 = makeBatches(32);
  const ref = runCheck(m, vs[0], b32);
  const again = runCheck(m, vs[0], b32);
  checkWeights[backend] = ref.w;
  console.log(`\n[${backend}] loss at steps 0..${CHECK_STEPS - 1}: ${ref.losses.map((x) => x.toFixed(7)).join(" ")}`);
  console.log(`[${backend}] loss on batch 0 after ${CHECK_STEPS} steps: ${ref.final.toFixed(7)}`);
  console.log(
    `[${backend}] deterministic (two runs of ${CHECK_STEPS} steps bit-identical): ${
      maxAbsDiff(ref.w, again.w) === 0
    }; max |Δw| vs ${vs[0].name}: ` +
      vs.slice(1).map((v) => `${v.name} ${maxAbsDiff(ref.w, runCheck(m, v, b32).w).toExponential(2)}`).join(", "),
  );
  if (backend !== backends[0] && checkWeights[backends[0]]) {
    console.log(
      `[${backend}] max |Δw| vs ${backends[0]}: ${maxAbsDiff(ref.w, checkWeights[backends[0]]).toExponential(2)}`,
    );
  }

  for (const [size, steps] of [[32, steps32], [1, steps1]]) {
    const batches = size === 32 ? b32 : makeBatches(1);
    for (const v of vs) timeRound(m, v, batches, Math.max(10, Math.floor(steps / 10))); // warm-up
    const tensorsBefore = tf.memory().numTensors;
    const times: number[][] = vs.map(() => []);
    for (let r = 0; r < repeats; r++) vs.forEach((v, i) => times[i].push(timeRound(m, v, batches, steps)));
    const leaked = tf.memory().numTensors - tensorsBefore;
    const best = vs.map((_, i) => Math.min(...times[i]));
    vs.forEach((v, i) =>
      console.log(
        `[${backend}] S = ${size} ${v.name.padEnd(20)} best ${best[i].toFixed(1).padStart(8)} µs/step, ` +
          `median ${median(times[i]).toFixed(1).padStart(8)}, rounds ${times[i].map((x) => x.toFixed(1)).join(" ")}`,
      )
    );
    if (leaked !== 0) console.log(`[${backend}] WARNING: ${leaked} tensors leaked during the timed rounds`);
    const k = best.indexOf(Math.min(...best));
    results.push({
      backend,
      batch: size,
      usPerStep: round(best[k]),
      variant: vs[k].name,
      medianUsPerStep: round(median(times[k])),
      steps,
      repeats,
      tfjs: tf.version_core,
      byVariant: Object.fromEntries(vs.map((v, i) => [v.name, round(best[i])])),
    });
    if (size === 1) batches.forEach((b) => tf.dispose([b.x, b.y]));
  }
  b32.forEach((b) => tf.dispose([b.x, b.y]));
  m.dispose();
}

if (tryThreads) {
  // Call the wasm factory directly: tf.setBackend would only log the error and return false.
  const factory = tf.findBackendFactory("wasm");
  tf.env().set("WASM_HAS_SIMD_SUPPORT", true);
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
  setThreadsCount(2);
  try {
    await factory!();
    results.push({
      backend: "wasm-threaded-simd",
      error: null,
      note: "initialized; rerun with --backends wasm-threaded-simd",
    });
  } catch (e) {
    results.push({ backend: "wasm-threaded-simd", error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
}

console.log();
for (const r of results) console.log(JSON.stringify(r));

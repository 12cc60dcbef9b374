/**
 * Part V's training step, toolkit vs NumPy (and TF.js, see `deep_network_tfjs.ts`): one plain-SGD step of the MLP
 * 784-128-128-64-10 (relu, softmax cross-entropy, float64) at batch sizes 32 and 1.
 *
 * Deno side: `trainDeepNetwork` end to end (batch drawing, copy, forward, backward, update) on two data pools of 2,048
 * images: uniform random pixels in [0, 1) (dense, the NumPy script's data) and real MNIST digits (≈ 80 % zero pixels,
 * which the toolkit's kernel skips exactly). Best of `--repeats` rounds.
 *
 * NumPy side: `deep_network.py --threads 1 --scipy` (one BLAS thread; its fastest variant). The ratio is NumPy/Deno (>
 * 1: Deno faster). Without python3 or NumPy it says so and prints the Deno timings.
 *
 * Run: deno run --allow-read --allow-run=python3 bench/compare_deep.ts [--repeats K]
 *
 * @module
 */

import { createDeepNetwork, type ImageDataset, loadMnist, trainDeepNetwork } from "../mod.ts";
import { Rng } from "../lib/core/random.ts";
import { runPython } from "./python.ts";

const args = Deno.args;
const REPEATS = args.includes("--repeats") ? Number(args[args.indexOf("--repeats") + 1]) : 5;
const SIZES = [784, 128, 128, 64, 10];
const POOL = 2048;

function randomPool(): ImageDataset {
  const rng = new Rng("bench/deep");
  return {
    images: Float64Array.from({ length: POOL * 784 }, () => rng.uniform()),
    labels: Uint8Array.from({ length: POOL }, () => rng.index(10)),
    count: POOL,
    features: 784,
  };
}

async function mnistPool(): Promise<ImageDataset> {
  const { train } = await loadMnist({ testSize: 1000, trainSize: POOL });
  return train;
}

/** Best µs per step over REPEATS rounds of `steps` steps (one warm-up round first). */
function time(data: ImageDataset, S: number, steps: number): number {
  const net = createDeepNetwork(SIZES, { seed: 1 });
  trainDeepNetwork(net, data, { batchSize: S, steps, learningRate: 0.1, seed: 0 });
  let best = Infinity;
  for (let k = 0; k < REPEATS; k++) {
    const t0 = performance.now();
    trainDeepNetwork(net, data, { batchSize: S, steps, learningRate: 0.1, seed: k });
    best = Math.min(best, ((performance.now() - t0) * 1000) / steps);
  }
  return best;
}

/** The fastest NumPy µs per step for each batch size (every JSON line of `deep_network.py`), or why none. */
async function numpy(): Promise<Map<number, number> | string> {
  const run = await runPython("./deep_network.py", ["--threads", "1", "--scipy"]);
  if (!run.ok) return run.reason;
  const best = new Map<number, number>();
  for (const line of run.stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const r = JSON.parse(line) as { batch: number; usPerStep: number };
    best.set(r.batch, Math.min(best.get(r.batch) ?? Infinity, r.usPerStep));
  }
  return best;
}

const pools = { "random pixels": randomPool(), "MNIST": await mnistPool() };
const deno: Record<string, Record<number, number>> = {};
for (const [name, data] of Object.entries(pools)) {
  deno[name] = { 32: time(data, 32, 300), 1: time(data, 1, 2000) };
}
const np = await numpy();
console.log("MLP 784-128-128-64-10, one SGD step, float64, µs per step (best of rounds)");
for (const S of [32, 1]) {
  const base = typeof np === "string" ? undefined : np.get(S);
  const cols = Object.entries(deno).map(([name, t]) =>
    `Deno ${name} ${t[S].toFixed(0)}${base ? ` (NumPy/Deno ${(base / t[S]).toFixed(2)})` : ""}`
  );
  console.log(`S = ${S}: NumPy (1 thread, random pixels) ${base?.toFixed(0) ?? "n/a"}; ${cols.join("; ")}`);
}
if (typeof np === "string") console.log(`NumPy baseline unavailable: ${np}`);

/**
 * The stability probe against NumPy and the targets: the Part V MLP's exact HVP (S = 32) against its gradient
 * (target ≤ 3×) and against NumPy's same R-operator (`bench/probe.py`, one BLAS thread); the top exponent at one λ with
 * 1,000 steps, S = 32, one direction (target < 30 s); a 1-D and a 2-D probe over 200 learning rates (target < 1 s).
 * Best of 5 rounds. Run: deno run --allow-read --allow-run=python3 bench/compare_probe.ts
 *
 * @module
 */

import {
  createDeepNetwork,
  deepNetworkModel,
  type DifferentiableModel,
  geomspace,
  loadMnist,
  scalarNetworkModel,
  stabilityProbe,
} from "../mod.ts";
import { Rng } from "../lib/core/random.ts";

const best = (f: () => void, calls: number, rounds = 5) => {
  let m = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    for (let k = 0; k < calls; k++) f();
    m = Math.min(m, (performance.now() - t) / calls);
  }
  return m;
};
const rng = new Rng("bench/probe");
const dense = {
  images: Float64Array.from({ length: 512 * 784 }, () => rng.uniform()),
  labels: Uint8Array.from({ length: 512 }, () => rng.index(10)),
  count: 512,
  features: 784,
};
const { train } = await loadMnist({ testSize: 1000, trainSize: 2048 });
const batch = Int32Array.from({ length: 32 }, (_, i) => i * 3);
const rows: string[] = [];
let ratioDense = NaN, hvpDense = NaN, gradDense = NaN;
for (const [name, data] of [["uniform pixels", dense], ["MNIST digits", train]] as const) {
  const model = deepNetworkModel(createDeepNetwork([784, 128, 128, 64, 10], { seed: 1 }), data);
  const v = model.parameters.map((_, i) => Math.sin(i));
  const g = best(() => model.gradient(model.parameters, batch), 20);
  const h = best(() => model.hessianVectorProduct(model.parameters, v, batch), 20);
  if (name === "uniform pixels") [gradDense, hvpDense, ratioDense] = [g, h, h / g];
  rows.push(
    `MLP ${model.dimension} parameters, S = 32, ${name}: gradient ${g.toFixed(2)} ms, HVP ${
      h.toFixed(2)
    } ms, HVP/gradient ${(h / g).toFixed(2)} (target ≤ 3)`,
  );
}
let numpy = "NumPy: unavailable";
try {
  const out = await new Deno.Command("python3", {
    args: [new URL("./probe.py", import.meta.url).pathname, "--threads", "1"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const r = JSON.parse(new TextDecoder().decode(out.stdout));
  numpy = `NumPy (1 thread, uniform pixels): gradient ${r.gradient_ms.toFixed(2)} ms, HVP ${
    r.hvp_ms.toFixed(2)
  } ms, HVP/gradient ${(r.hvp_ms / r.gradient_ms).toFixed(2)}; NumPy HVP / Deno HVP = ${
    (r.hvp_ms / hvpDense).toFixed(2)
  } (> 1: Deno faster), gradient ratio ${(r.gradient_ms / gradDense).toFixed(2)}`;
} catch (e) {
  numpy = `NumPy: unavailable (${(e as Error).message})`;
}
rows.push(numpy);

const mnist = deepNetworkModel(createDeepNetwork([784, 128, 128, 64, 10], { seed: 1 }), train);
let t = performance.now();
stabilityProbe(mnist, mnist.parameters, {
  lambdas: [0.1],
  batchSize: 32,
  steps: 500,
  runs: 2,
  transient: 0,
  maxIterations: 1,
  seed: 1,
});
rows.push(
  `top exponent, 1,000 steps (2 runs × 500), S = 32, one direction, MNIST MLP: ${
    ((performance.now() - t) / 1000).toFixed(1)
  } s (target < 30 s; includes one full-batch HVP for the sharpness)`,
);

const x = [0.3, 0.8, 1, 1.2, 3.1], h = x.map((v) => v * v);
const regression: DifferentiableModel = {
  dimension: 1,
  size: 5,
  gradient: (w, b) => Float64Array.of(b.reduce((s, i) => s + h[i] * w[0], 0) / b.length),
};
const lambdas = geomspace(0.01, 4, 200);
t = performance.now();
stabilityProbe(regression, [0], { lambdas });
rows.push(
  `1-D probe, 200 learning rates × 4 runs × 1,100 steps: ${
    ((performance.now() - t) / 1000).toFixed(2)
  } s (target < 1 s)`,
);
const xs = Float64Array.from({ length: 100 }, () => rng.normal()), ys = xs.map((v) => 0.3 * v + rng.normal());
const scalar = scalarNetworkModel({ x: xs, y: ys, activation: "swish" });
t = performance.now();
stabilityProbe(scalar, [0.2, 0.5], { lambdas });
rows.push(
  `2-D probe (swish network, N = 100), 200 learning rates: ${
    ((performance.now() - t) / 1000).toFixed(2)
  } s (target < 1 s)`,
);
console.log(rows.join("\n"));
console.log(`HVP/gradient (uniform pixels) ${ratioDense.toFixed(2)}`);

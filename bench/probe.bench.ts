// The stability probe: the Part V MLP's gradient and exact HVP (S = 32), and a 1-D probe over 200 learning rates.
// Compare with NumPy: deno run --allow-read --allow-run=python3 bench/compare_probe.ts
import { createDeepNetwork, deepNetworkModel, type DifferentiableModel, geomspace, stabilityProbe } from "../mod.ts";
import { Rng } from "../lib/core/random.ts";

const rng = new Rng("bench/probe");
const count = 512;
const data = {
  images: Float64Array.from({ length: count * 784 }, () => rng.uniform()),
  labels: Uint8Array.from({ length: count }, () => rng.index(10)),
  count,
  features: 784,
};
const model = deepNetworkModel(createDeepNetwork([784, 128, 128, 64, 10], { seed: 1 }), data);
const batch = Int32Array.from({ length: 32 }, (_, i) => i * 3);
const v = model.parameters.map((_, i) => Math.sin(i));
Deno.bench("MLP 126k gradient, S = 32 (dense pixels)", { group: "mlp", baseline: true }, () => {
  model.gradient(model.parameters, batch);
});
Deno.bench("MLP 126k exact HVP, S = 32 (dense pixels)", { group: "mlp" }, () => {
  model.hessianVectorProduct(model.parameters, v, batch);
});

const x = [0.3, 0.8, 1, 1.2, 3.1], h = x.map((t) => t * t);
const regression: DifferentiableModel = {
  dimension: 1,
  size: 5,
  gradient: (w, b) => Float64Array.of(b.reduce((s, i) => s + h[i] * w[0], 0) / b.length),
};
const lambdas = geomspace(0.01, 4, 200);
Deno.bench("1-D probe over 200 learning rates (1000 steps, 4 runs)", () => {
  stabilityProbe(regression, [0], { lambdas });
});

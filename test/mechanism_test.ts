// Part IV beyond the paper: the scaled tanh σ(z) = tanh(κz)/κ (lib/networks/activations.ts,
// lib/networks/two_layer_network.ts, lib/networks/trained_rank.ts) and the mechanism experiments
// (experiments/part4_mechanism.ts). The scaled tanh runs on the JS kernel only; κ = 1 must be tanh bit for bit.
import assert from "node:assert/strict";
import {
  activation,
  createTwoLayerNetwork,
  networkGradient,
  networkLoss,
  trainedRank,
  trainTwoLayerNetwork,
} from "../mod.ts";
import { NetworkKernel } from "../lib/networks/two_layer_network.ts";
import { activationFloors, floorSummary, regrowth } from "../experiments/mod.ts";

Deno.test("scaled tanh: σ, σ′, σ″ against tanh(κz)/κ and finite differences; κ = 1 is tanh exactly", () => {
  for (const kappa of [3, 0.3, 0.1]) {
    for (const z of [-2, -0.3, 0, 0.7, 4]) {
      const [s, ds, d2s] = activation("tanh", z, undefined, kappa);
      assert.equal(s, Math.tanh(kappa * z) / kappa);
      const h = 1e-5;
      const f = (x: number) => activation("tanh", x, undefined, kappa)[0];
      const g = (x: number) => activation("tanh", x, undefined, kappa)[1];
      assert.ok(Math.abs((f(z + h) - f(z - h)) / (2 * h) - ds) < 1e-8);
      assert.ok(Math.abs((g(z + h) - g(z - h)) / (2 * h) - d2s) < 1e-7);
    }
  }
  for (const z of [-1.3, 0.2, 5]) assert.deepEqual(activation("tanh", z, undefined, 1), activation("tanh", z));
  assert.throws(() => activation("relu", 1, undefined, 2), RangeError);
  assert.throws(() => activation("tanh", 1, undefined, 0), RangeError);
});

Deno.test("scaled tanh networks: validation, the gradient against finite differences, JS kernel only", () => {
  assert.throws(() => createTwoLayerNetwork({ inputs: 2, activation: "relu", activationScale: 2 }), RangeError);
  assert.throws(() => createTwoLayerNetwork({ inputs: 2, activation: "tanh", activationScale: -1 }), RangeError);
  assert.throws(() => trainedRank({ mu: 0.5, lambda: 0.1, dimension: 2, steps: 1, activationScale: 0.5 }), RangeError);
  assert.equal("activationScale" in createTwoLayerNetwork({ inputs: 2, activation: "tanh" }), false);
  const net = createTwoLayerNetwork({ inputs: 3, activation: "tanh", activationScale: 0.4, initScale: 0.8, seed: 3 });
  const X = [0.3, -1, 2, 1, 0.5, -0.2], Y = [0.1, 0.2, -0.3, 1, 0, 0.5];
  const g = networkGradient(net, X, Y);
  const e = 1e-6;
  for (const i of [0, 4, 8]) {
    const up = { ...net, W: Float64Array.from(net.W) }, down = { ...net, W: Float64Array.from(net.W) };
    up.W[i] += e;
    down.W[i] -= e;
    assert.ok(Math.abs((networkLoss(up, X, Y) - networkLoss(down, X, Y)) / (2 * e) - g.W[i]) < 1e-8);
  }
  const k = new NetworkKernel(net);
  assert.equal(k.backend, "js");
  assert.throws(() => new NetworkKernel(net, { backend: "wasm" }), /scaled tanh/);
});

Deno.test("scaled tanh κ = 1 trains bit-identically to tanh; small κ approaches the linear network", () => {
  const data = { kind: "gaussian" as const, mu: 0.3 };
  const opts = { lambda: 0.05, steps: 300, seed: 2, reduction: "mean" as const };
  const a = trainTwoLayerNetwork(createTwoLayerNetwork({ inputs: 4, activation: "tanh", seed: 1 }), data, opts);
  const b = trainTwoLayerNetwork(
    createTwoLayerNetwork({ inputs: 4, activation: "tanh", activationScale: 1, seed: 1 }),
    data,
    opts,
  );
  assert.deepEqual(b.network.W, a.network.W);
  assert.deepEqual(b.network.U, a.network.U);
  const lin = trainTwoLayerNetwork(createTwoLayerNetwork({ inputs: 4, initScale: 0.1, seed: 1 }), data, opts);
  const small = trainTwoLayerNetwork(
    createTwoLayerNetwork({ inputs: 4, activation: "tanh", activationScale: 1e-4, initScale: 0.1, seed: 1 }),
    data,
    opts,
  );
  for (let i = 0; i < 16; i++) assert.ok(Math.abs(small.network.U[i] - lin.network.U[i]) < 1e-6);
});

Deno.test("mechanism experiments: the floor falls with κ; shrunk units regrow (small settings)", () => {
  const runs = activationFloors({ dimension: 10, mu: 0.05, lambda: 0.2, steps: 4000, scales: [1, 0.1], seeds: ["t"] });
  const rows = floorSummary(runs);
  assert.equal(rows.length, 3);
  assert.ok(rows[0].floor < 1e-5, `linear floor ${rows[0].floor}`);
  assert.ok(rows[1].floor > 10 * rows[2].floor, `κ = 1: ${rows[1].floor}, κ = 0.1: ${rows[2].floor}`);
  const r = regrowth({
    dimension: 10,
    mu: 0.15,
    lambda: 0.25,
    trainSteps: 3000,
    shrunk: 2,
    factor: 1e-2,
    regrowSteps: 3000,
    every: 500,
    seed: "t",
  });
  assert.equal(r.times.length, 7);
  assert.ok(Math.abs(r.norms[0] - 1e-2) < 1e-12);
  assert.ok(r.norms[r.norms.length - 1] > 0.1);
});

// Part IV: the activations and the two-layer networks f(x) = U σ(W x) (lib/networks/activations.ts,
// lib/networks/two_layer_network.ts). Derivatives are checked against central finite differences with tolerances
// derived from the difference step; training is checked for determinism, for the loss conventions, against a
// hand-computed step, for Adam, for divergence and on a finite dataset. These run on the default kernel (WebAssembly
// SIMD in Deno); test/network_wasm_test.ts compares it with the JS reference kernel.
import assert from "node:assert/strict";
import {
  activation,
  ACTIVATIONS,
  createTwoLayerNetwork,
  networkGradient,
  networkLoss,
  networkOutput,
  randomNormal,
  trainTwoLayerNetwork,
} from "../mod.ts";
import type { Activation, TwoLayerNetwork } from "../mod.ts";
import { assertClose } from "./assert_close.ts";
import { assertInvalid, type InvalidCase } from "./assert_invalid.ts";

/** Element-wise assertClose with the index in the label. */
function assertAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: { abs?: number; rel?: number },
  label: string,
): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < actual.length; i++) assertClose(actual[i], expected[i], tolerance, `${label}[${i}]`);
}

/** The largest |a_i − b_i| (for identities that hold up to rounding). */
function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

// --------------------------------------------------------------------------------------------------------- Activations

Deno.test("ACTIVATIONS lists the four activations of the paper", () => {
  assert.deepEqual([...ACTIVATIONS], ["linear", "tanh", "relu", "swish"]);
});

Deno.test("activation: σ′ and σ″ match central finite differences (relu away from its kink)", () => {
  // Central differences with step h: truncation h²·max|σ‴|/6 (≤ 1e-10 · 2 here) plus rounding ~eps·|σ|/h (≤ 1e-10 for
  // |σ| ≤ 3): the tolerance 1e-8 is two orders of magnitude above both.
  const h = 1e-5;
  const tol = { abs: 1e-8 };
  const zs = [-2.7, -1.3, -0.41, -0.05, 0.03, 0.2, 0.77, 1.9, 3.1];
  for (const name of ACTIVATIONS) {
    for (const z of zs) {
      if (name === "relu" && Math.abs(z) <= h) continue;
      const [f, d1, d2] = activation(name, z);
      const [fp, d1p] = activation(name, z + h);
      const [fm, d1m] = activation(name, z - h);
      assertClose(d1, (fp - fm) / (2 * h), tol, `${name}′(${z})`);
      assertClose(d2, (d1p - d1m) / (2 * h), tol, `${name}″(${z})`);
      assert.ok(Number.isFinite(f), `${name}(${z}) is finite`);
    }
  }
});

Deno.test("activation: values against their definitions, special points and the out argument", () => {
  const tol = { abs: 1e-15, rel: 1e-15 };
  for (const z of [-3, -0.5, 0.25, 2]) {
    assertClose(activation("linear", z)[0], z, tol, `linear(${z})`);
    assertClose(activation("tanh", z)[0], Math.tanh(z), tol, `tanh(${z})`);
    assertClose(activation("relu", z)[0], Math.max(z, 0), tol, `relu(${z})`);
    assertClose(activation("swish", z)[0], z / (1 + Math.exp(-z)), { rel: 4e-16 }, `swish(${z})`);
  }
  assert.deepEqual(Array.from(activation("linear", 0)), [0, 1, 0]);
  assert.deepEqual(Array.from(activation("tanh", 0), (v) => v + 0), [0, 1, 0]); // (+ 0: σ″ may be −0)
  assert.deepEqual(Array.from(activation("relu", 0)), [0, 0, 0]); // documented: σ′(0) = 0
  assert.deepEqual(Array.from(activation("relu", -2)), [0, 0, 0]);
  assert.deepEqual(Array.from(activation("relu", 2)), [2, 1, 0]);
  assert.deepEqual(Array.from(activation("swish", 0)), [0, 0.5, 0.5]);
  // Swish tends to relu far from 0.
  assertClose(activation("swish", 40)[1], 1, { abs: 1e-15 }, "swish′(40)");
  assertClose(activation("swish", -40)[0], 0, { abs: 1e-15 }, "swish(−40)");
  const out = new Float64Array(3);
  assert.equal(activation("tanh", 0.3, out), out, "writes into and returns out");
  assert.equal(out[0], Math.tanh(0.3));
});

// --------------------------------------------------------------------------------------------------------- Networks:
// output, loss, gradient

/** A 3 → 4 → 2 network with O(1) weights, and a batch of 5 samples. */
function smallProblem(act: Activation, seed = 11) {
  const net = createTwoLayerNetwork({ inputs: 3, hidden: 4, outputs: 2, activation: act, initScale: 0.8, seed });
  const X = randomNormal(15, { seed: `${seed}/X` });
  const Y = randomNormal(10, { seed: `${seed}/Y` });
  return { net, X, Y, n: 5 };
}

/** f(x) = U σ(W x), written out independently of the library's kernels. */
function directOutput(net: TwoLayerNetwork, x: ArrayLike<number>, xo = 0): number[] {
  const a: number[] = [];
  for (let i = 0; i < net.hidden; i++) {
    let z = 0;
    for (let j = 0; j < net.inputs; j++) z += net.W[i * net.inputs + j] * x[xo + j];
    a.push(activation(net.activation, z)[0]);
  }
  const f: number[] = [];
  for (let k = 0; k < net.outputs; k++) {
    let s = 0;
    for (let i = 0; i < net.hidden; i++) s += net.U[k * net.hidden + i] * a[i];
    f.push(s);
  }
  return f;
}

Deno.test("createTwoLayerNetwork: shapes, defaults, seeded N(0, initScale²) weights", () => {
  const net = createTwoLayerNetwork({ inputs: 3, hidden: 4, outputs: 2, activation: "tanh", seed: 1 });
  assert.equal(net.W.length, 12);
  assert.equal(net.U.length, 8);
  assert.equal(net.activation, "tanh");
  const d = createTwoLayerNetwork({ inputs: 5 });
  assert.deepEqual([d.inputs, d.hidden, d.outputs, d.activation], [5, 5, 5, "linear"]);
  assert.deepEqual(createTwoLayerNetwork({ inputs: 5 }), d, "same seed, same weights");
  const other = createTwoLayerNetwork({ inputs: 5, seed: 1 });
  assert.notDeepEqual(other.W, d.W, "different seeds, different weights");
  // The default initScale 1e-3: 50 weights of standard deviation 1e-3 lie within 5e-3 (P(|z| > 5) ≈ 6e-7 each).
  assert.ok(maxAbs(d.W) < 5e-3 && maxAbs(d.U) < 5e-3, `weights ${maxAbs(d.W)}, ${maxAbs(d.U)} within 5·initScale`);
  // initScale scales the same draws exactly (scale · N(0, 1) with the same stream).
  const big = createTwoLayerNetwork({ inputs: 5, initScale: 2e-3 });
  assert.deepEqual(Array.from(big.W), Array.from(d.W, (w) => 2 * w));
});

Deno.test("networkOutput and networkLoss equal a direct evaluation, for every activation", () => {
  const tol = { abs: 1e-14, rel: 1e-14 };
  for (const act of ACTIVATIONS) {
    const { net, X, Y, n } = smallProblem(act);
    let total = 0;
    for (let b = 0; b < n; b++) {
      const f = directOutput(net, X, 3 * b);
      assertAllClose(networkOutput(net, X.subarray(3 * b, 3 * b + 3)), f, tol, `${act} f(x_${b})`);
      total += 0.5 * ((f[0] - Y[2 * b]) ** 2 + (f[1] - Y[2 * b + 1]) ** 2);
    }
    assertClose(networkLoss(net, X, Y), total / n, tol, `${act} mean loss`);
  }
  // A linear network is the product UW: [3]·[2]·1.5 = 9.
  const lin = {
    inputs: 1,
    hidden: 1,
    outputs: 1,
    activation: "linear" as const,
    W: Float64Array.of(2),
    U: Float64Array.of(3),
  };
  assert.deepEqual(Array.from(networkOutput(lin, [1.5])), [9]);
  assert.equal(networkLoss(lin, [1, 2], [0, 0]), (36 + 144) / 4);
});

/** Central finite differences of networkLoss with respect to every weight. */
function finiteDifferenceGradient(net: TwoLayerNetwork, X: ArrayLike<number>, Y: ArrayLike<number>, h: number) {
  const grad = (key: "W" | "U") =>
    Float64Array.from(net[key], (v, i) => {
      const up = { ...net, [key]: Float64Array.from(net[key]) };
      const down = { ...net, [key]: Float64Array.from(net[key]) };
      up[key][i] = v + h;
      down[key][i] = v - h;
      return (networkLoss(up, X, Y) - networkLoss(down, X, Y)) / (2 * h);
    });
  return { W: grad("W"), U: grad("U") };
}

Deno.test("networkGradient matches central finite differences of networkLoss (3 → 4 → 2, every activation)", () => {
  // Step h = 1e-6 on losses of size O(1): rounding error ≈ eps·L/h ≈ 1e-10, truncation ≈ h²·|L‴| ≈ 1e-12; tolerance
  // 1e-8 absolute + 1e-6 relative.
  const h = 1e-6;
  const tol = { abs: 1e-8, rel: 1e-6 };
  for (const act of ACTIVATIONS) {
    const { net, X, Y, n } = smallProblem(act);
    if (act === "relu") {
      // The finite difference is only valid if no pre-activation crosses the kink: |z| > h·max|x| everywhere.
      let minZ = Infinity;
      for (let b = 0; b < n; b++) {
        for (let i = 0; i < net.hidden; i++) {
          let z = 0;
          for (let j = 0; j < 3; j++) z += net.W[i * 3 + j] * X[3 * b + j];
          minZ = Math.min(minZ, Math.abs(z));
        }
      }
      assert.ok(minZ > 1e-3, `relu pre-activations away from 0 (min |z| = ${minZ})`);
    }
    // The whole batch, and a single sample.
    for (const [label, Xs, Ys] of [["batch", X, Y], ["one sample", X.subarray(3, 6), Y.subarray(2, 4)]] as const) {
      const g = networkGradient(net, Xs, Ys);
      const fd = finiteDifferenceGradient(net, Xs, Ys, h);
      assertAllClose(g.W, fd.W, tol, `${act}, ${label}: ∂L/∂W`);
      assertAllClose(g.U, fd.U, tol, `${act}, ${label}: ∂L/∂U`);
    }
  }
});

Deno.test("networkGradient of a batch is the mean of the per-sample gradients", () => {
  for (const act of ACTIVATIONS) {
    const { net, X, Y, n } = smallProblem(act, 5);
    const g = networkGradient(net, X, Y);
    const mean = { W: new Float64Array(12), U: new Float64Array(8) };
    for (let b = 0; b < n; b++) {
      const gb = networkGradient(net, X.subarray(3 * b, 3 * b + 3), Y.subarray(2 * b, 2 * b + 2));
      for (let i = 0; i < 12; i++) mean.W[i] += gb.W[i] / n;
      for (let i = 0; i < 8; i++) mean.U[i] += gb.U[i] / n;
    }
    // Same sums in a different order: rounding only (≤ a few eps times the largest term).
    const scale = Math.max(maxAbs(g.W), maxAbs(g.U), 1);
    assertAllClose(g.W, mean.W, { abs: 1e-14 * scale }, `${act} ∂L/∂W`);
    assertAllClose(g.U, mean.U, { abs: 1e-14 * scale }, `${act} ∂L/∂U`);
  }
});

Deno.test("the network functions do not mutate their inputs", () => {
  const { net, X, Y } = smallProblem("swish");
  const [W, U, Xc, Yc] = [
    Float64Array.from(net.W),
    Float64Array.from(net.U),
    Float64Array.from(X),
    Float64Array.from(Y),
  ];
  networkOutput(net, X.subarray(0, 3));
  networkLoss(net, X, Y);
  networkGradient(net, X, Y);
  trainTwoLayerNetwork(net, { kind: "dataset", X, Y }, { lambda: 0.1, steps: 20, batchSize: 2 });
  trainTwoLayerNetwork(net, { kind: "dataset", X, Y }, { lambda: 0.1, steps: 20, optimizer: "adam" });
  assert.deepEqual([net.W, net.U, X, Y], [W, U, Xc, Yc]);
});

// --------------------------------------------------------------------------------------------------------- Training

Deno.test("trainTwoLayerNetwork: one SGD step on a one-sample dataset is W − λ∇L (fused S = 1 and batch paths)", () => {
  // With one sample every draw is that sample, so a step is exactly θ − λ·∇L(θ) (batch of S copies: the same mean
  // gradient). The fused S = 1 kernel updates U in place but uses the old U for W's gradient.
  const lambda = 0.07;
  for (const act of ACTIVATIONS) {
    const { net, X, Y } = smallProblem(act, 3);
    const x = X.subarray(0, 3), y = Y.subarray(0, 2);
    const g = networkGradient(net, x, y);
    const expectedW = Float64Array.from(net.W, (w, i) => w - lambda * g.W[i]);
    const expectedU = Float64Array.from(net.U, (u, i) => u - lambda * g.U[i]);
    for (const batchSize of [1, 3]) {
      const r = trainTwoLayerNetwork(net, { kind: "dataset", X: x, Y: y }, {
        lambda,
        steps: 1,
        batchSize,
        recordEvery: 1,
      });
      // Rounding only: a few eps relative to the weights.
      assertAllClose(r.network.W, expectedW, { abs: 1e-15, rel: 1e-14 }, `${act}, S = ${batchSize}: W`);
      assertAllClose(r.network.U, expectedU, { abs: 1e-15, rel: 1e-14 }, `${act}, S = ${batchSize}: U`);
      // The recorded loss is the minibatch loss before the step.
      assertClose(r.losses[0], networkLoss(net, x, y), { rel: 1e-14 }, `${act}, S = ${batchSize}: loss`);
      assert.deepEqual([r.steps, r.diverged, Array.from(r.times)], [1, false, [0]]);
    }
  }
});

Deno.test("trainTwoLayerNetwork is deterministic: same seed, same weights; another seed, other weights", () => {
  const net = createTwoLayerNetwork({ inputs: 3, hidden: 5, outputs: 3, activation: "tanh", initScale: 0.3, seed: 2 });
  for (const optimizer of ["sgd", "adam"] as const) {
    for (const batchSize of [1, 4]) {
      const o = { lambda: 0.01, steps: 300, batchSize, optimizer, recordEvery: 10, seed: 7 };
      const a = trainTwoLayerNetwork(net, { kind: "gaussian", mu: 0.5 }, o);
      const b = trainTwoLayerNetwork(net, { kind: "gaussian", mu: 0.5 }, o);
      assert.deepEqual(a, b, `${optimizer}, S = ${batchSize}: identical runs`);
      assert.equal(a.losses.length, 30);
      assert.deepEqual(Array.from(a.times), Array.from({ length: 30 }, (_, i) => 10 * i));
      const c = trainTwoLayerNetwork(net, { kind: "gaussian", mu: 0.5 }, { ...o, seed: 8 });
      assert.notDeepEqual(c.network.W, a.network.W, `${optimizer}, S = ${batchSize}: seeds 7 and 8 differ`);
      // The string seed "7" is the number 7's stream (seeds are formatted into the stream name).
      assert.deepEqual(trainTwoLayerNetwork(net, { kind: "gaussian", mu: 0.5 }, { ...o, seed: "7" }), a);
    }
  }
});

Deno.test('trainTwoLayerNetwork: reduction "mean" is "sum" with λ·2/outputs (SGD), losses scaled by 2/outputs', () => {
  // outputs = 3: the factor 2/3 is not a power of two, so "mean" really rounds differently from "sum".
  const net = createTwoLayerNetwork({ inputs: 3, hidden: 6, outputs: 3, activation: "swish", initScale: 0.4, seed: 3 });
  const lambda = 0.03;
  const scale = 2 / net.outputs;
  const data = { kind: "gaussian" as const, mu: 0.3 };
  // S = 1: both go through the fused kernel with the same step λ·(2/outputs): bit-for-bit equal.
  const base = { steps: 400, recordEvery: 7, seed: 4 };
  const mean1 = trainTwoLayerNetwork(net, data, { ...base, lambda, reduction: "mean" });
  const sum1 = trainTwoLayerNetwork(net, data, { ...base, lambda: lambda * scale, reduction: "sum" });
  assert.deepEqual(mean1.network, sum1.network, "S = 1: identical weights");
  assert.deepEqual(mean1.losses, sum1.losses.map((l) => scale * l), "S = 1: losses times 2/outputs");
  // S = 4: the JS kernel accumulates the gradient with weight (2/outputs)/S instead of 1/S, so the two runs differ by
  // rounding only (measured: 3e-16 relative after 400 steps; the WebAssembly kernel folds the scale into the step,
  // λ·(2/outputs)/S, and they agree exactly); tolerance 1e-12 relative to the largest weight.
  const mean4 = trainTwoLayerNetwork(net, data, { ...base, batchSize: 4, lambda, reduction: "mean" });
  const sum4 = trainTwoLayerNetwork(net, data, { ...base, batchSize: 4, lambda: lambda * scale, reduction: "sum" });
  for (const key of ["W", "U"] as const) {
    const d = maxAbsDiff(mean4.network[key], sum4.network[key]);
    const allowed = 1e-12 * maxAbs(sum4.network[key]);
    assert.ok(d <= allowed, `S = 4, ${key}: max difference ${d.toExponential(3)} exceeds ${allowed.toExponential(3)}`);
  }
  assertAllClose(mean4.losses, sum4.losses.map((l) => scale * l), { rel: 1e-12 }, "S = 4: losses");
  // The default is "sum".
  assert.deepEqual(
    trainTwoLayerNetwork(net, data, { ...base, lambda }),
    trainTwoLayerNetwork(net, data, {
      ...base,
      lambda,
      reduction: "sum",
    }),
  );
});

/** The loss on a fixed held-out set of the §4.4 task with μ = 1 (y = x). */
function identityLoss(net: TwoLayerNetwork): number {
  const X = randomNormal(200 * net.inputs, { seed: "held-out" });
  return networkLoss(net, X, X);
}

Deno.test("trainTwoLayerNetwork with Adam learns y = x and differs from SGD", () => {
  const net = createTwoLayerNetwork({
    inputs: 3,
    hidden: 3,
    outputs: 3,
    activation: "linear",
    initScale: 0.1,
    seed: 5,
  });
  const o = { lambda: 0.01, steps: 3000, seed: 6, optimizer: "adam" as const, recordEvery: 100 };
  const adam = trainTwoLayerNetwork(net, { kind: "gaussian", mu: 1 }, o);
  assert.equal(adam.diverged, false);
  assert.ok(adam.losses.every(Number.isFinite));
  const before = identityLoss(net), after = identityLoss(adam.network);
  // Start: U W ≈ 0, loss ≈ ½E‖x‖² = 1.5; Adam at λ = 0.01 fits UW = I to ~λ (its steps do not shrink with the
  // gradient), so the loss must have dropped by more than a factor 100.
  assert.ok(before > 1, `initial loss ${before} ≈ 1.5`);
  assert.ok(after < before / 100, `Adam: loss ${before} → ${after}, expected a drop by more than 100×`);
  const sgd = trainTwoLayerNetwork(net, { kind: "gaussian", mu: 1 }, { ...o, optimizer: "sgd" });
  assert.notDeepEqual(sgd.network.W, adam.network.W);
  // Batches and custom hyperparameters run too (and change the result).
  const adam4 = trainTwoLayerNetwork(net, { kind: "gaussian", mu: 1 }, { ...o, batchSize: 4, beta1: 0.5 });
  assert.ok(identityLoss(adam4.network) < before / 100);
  assert.notDeepEqual(adam4.network.W, adam.network.W);
});

Deno.test("trainTwoLayerNetwork reports divergence at a huge learning rate and stops there", () => {
  const net = createTwoLayerNetwork({ inputs: 3, activation: "linear", initScale: 1, seed: 1 });
  for (const batchSize of [1, 3]) {
    const r = trainTwoLayerNetwork(net, { kind: "gaussian", mu: 0.5 }, {
      lambda: 1e3,
      steps: 1000,
      batchSize,
      recordEvery: 1,
    });
    assert.equal(r.diverged, true, `S = ${batchSize}: diverged`);
    assert.ok(r.steps < 1000, `S = ${batchSize}: stopped early, after ${r.steps} steps`);
    assert.ok(
      !Number.isFinite(r.losses[r.losses.length - 1]),
      `S = ${batchSize}: the last recorded loss is not finite`,
    );
  }
  // Adam's normalized steps do not blow up, and a moderate λ does not diverge with SGD.
  assert.equal(
    trainTwoLayerNetwork(net, { kind: "gaussian", mu: 0.5 }, { lambda: 0.01, steps: 200, optimizer: "adam" }).diverged,
    false,
  );
  const ok = trainTwoLayerNetwork(net, { kind: "gaussian", mu: 0.5 }, { lambda: 1e-3, steps: 200 });
  assert.deepEqual([ok.diverged, ok.steps, ok.losses.length], [false, 200, 0]);
});

Deno.test("trainTwoLayerNetwork on a finite dataset (tanh 3 → 4 → 2) reduces the training loss", () => {
  // Targets from a teacher network of the same shape: the student can fit them.
  const teacher = createTwoLayerNetwork({
    inputs: 3,
    hidden: 4,
    outputs: 2,
    activation: "tanh",
    initScale: 1,
    seed: 9,
  });
  const N = 12;
  const X = randomNormal(3 * N, { seed: "dataset" });
  const Y = new Float64Array(2 * N);
  for (let b = 0; b < N; b++) Y.set(networkOutput(teacher, X.subarray(3 * b, 3 * b + 3)), 2 * b);
  const student = createTwoLayerNetwork({
    inputs: 3,
    hidden: 4,
    outputs: 2,
    activation: "tanh",
    initScale: 0.5,
    seed: 10,
  });
  const before = networkLoss(student, X, Y);
  const o = { lambda: 0.1, steps: 3000, batchSize: 2, seed: 1 };
  const r = trainTwoLayerNetwork(student, { kind: "dataset", X, Y }, o);
  const after = networkLoss(r.network, X, Y);
  assert.equal(r.diverged, false);
  assert.ok(after < before / 5, `training loss ${before} → ${after}: expected a drop by more than 5×`);
  assert.deepEqual(trainTwoLayerNetwork(student, { kind: "dataset", X: Array.from(X), Y: Array.from(Y) }, o), r);
  // Outputs ≠ inputs are fine on a dataset, but not on the Gaussian task.
  assertInvalid(
    "gaussian task with outputs ≠ inputs",
    () => trainTwoLayerNetwork(student, { kind: "gaussian", mu: 0.5 }, { lambda: 0.1, steps: 1 }),
    RangeError,
    ["trainTwoLayerNetwork", "data", "outputs = inputs"],
  );
});

// --------------------------------------------------------------------------------------------------------- Validation

Deno.test("network functions reject bad input with a TypeError or RangeError naming function, parameter, value", () => {
  const net = createTwoLayerNetwork({ inputs: 2, hidden: 3, outputs: 2 });
  const data = { kind: "gaussian" as const, mu: 0.5 };
  const cases: InvalidCase[] = [
    ["activation name", () => createTwoLayerNetwork({ inputs: 2, activation: "sigmoid" as Activation }), RangeError, [
      "createTwoLayerNetwork",
      "options.activation",
      '"sigmoid"',
    ]],
    ["activation type", () => createTwoLayerNetwork({ inputs: 2, activation: 3 as unknown as Activation }), TypeError, [
      "createTwoLayerNetwork",
      "options.activation",
      "3",
    ]],
    ["inputs 0", () => createTwoLayerNetwork({ inputs: 0 }), RangeError, [
      "createTwoLayerNetwork",
      "options.inputs",
      "0",
    ]],
    ["hidden 2.5", () => createTwoLayerNetwork({ inputs: 2, hidden: 2.5 }), RangeError, ["options.hidden", "2.5"]],
    ["inputs string", () => createTwoLayerNetwork({ inputs: "2" as unknown as number }), TypeError, [
      "options.inputs",
      '"2"',
    ]],
    ["initScale", () => createTwoLayerNetwork({ inputs: 2, initScale: -1 }), RangeError, ["options.initScale", "-1"]],
    ["seed NaN", () => createTwoLayerNetwork({ inputs: 2, seed: NaN }), RangeError, ["options.seed", "NaN"]],
    ["options null", () => createTwoLayerNetwork(null as never), TypeError, [
      "createTwoLayerNetwork",
      "options",
      "null",
    ]],
    ["net not a network", () => networkOutput({} as TwoLayerNetwork, [1, 2]), TypeError, [
      "networkOutput",
      "net",
      "an object",
    ]],
    ["net wrong W length", () => networkLoss({ ...net, W: new Float64Array(5) }, [1, 2], [1, 2]), TypeError, [
      "networkLoss",
      "net",
    ]],
    ["x length", () => networkOutput(net, [1, 2, 3]), RangeError, ["networkOutput", "x", "length 3"]],
    ["x NaN", () => networkOutput(net, [1, NaN]), RangeError, ["networkOutput", "x", "NaN at index 1"]],
    ["X ragged", () => networkLoss(net, [1, 2, 3], [1, 2]), RangeError, ["networkLoss", "X", "received 3"]],
    ["Y length", () => networkGradient(net, [1, 2], [1, 2, 3]), RangeError, ["networkGradient", "Y", "received 3"]],
    ["X empty", () => networkGradient(net, [], []), RangeError, ["networkGradient", "X", "empty"]],
    ["lambda", () => trainTwoLayerNetwork(net, data, { lambda: -0.1, steps: 1 }), RangeError, [
      "trainTwoLayerNetwork",
      "options.lambda",
      "-0.1",
    ]],
    ["steps", () => trainTwoLayerNetwork(net, data, { lambda: 0.1, steps: 1.5 }), RangeError, ["options.steps", "1.5"]],
    ["steps missing", () => trainTwoLayerNetwork(net, data, { lambda: 0.1 } as never), TypeError, [
      "options.steps",
      "undefined",
    ]],
    ["batchSize", () => trainTwoLayerNetwork(net, data, { lambda: 0.1, steps: 1, batchSize: 0 }), RangeError, [
      "options.batchSize",
      "0",
    ]],
    [
      "reduction",
      () => trainTwoLayerNetwork(net, data, { lambda: 0.1, steps: 1, reduction: "avg" as "sum" }),
      RangeError,
      [
        "options.reduction",
        '"avg"',
      ],
    ],
    [
      "optimizer",
      () => trainTwoLayerNetwork(net, data, { lambda: 0.1, steps: 1, optimizer: "rmsprop" as "sgd" }),
      RangeError,
      [
        "options.optimizer",
        '"rmsprop"',
      ],
    ],
    ["epsilon", () => trainTwoLayerNetwork(net, data, { lambda: 0.1, steps: 1, epsilon: 0 }), RangeError, [
      "options.epsilon",
      "0",
    ]],
    ["recordEvery", () => trainTwoLayerNetwork(net, data, { lambda: 0.1, steps: 1, recordEvery: -1 }), RangeError, [
      "options.recordEvery",
      "-1",
    ]],
    ["data kind", () => trainTwoLayerNetwork(net, { kind: "mnist" } as never, { lambda: 0.1, steps: 1 }), RangeError, [
      "trainTwoLayerNetwork",
      "data.kind",
      '"mnist"',
    ]],
    [
      "data.X",
      () => trainTwoLayerNetwork(net, { kind: "dataset", X: null, Y: [1] } as never, { lambda: 0.1, steps: 1 }),
      TypeError,
      [
        "trainTwoLayerNetwork",
        "data.X",
        "null",
      ],
    ],
    ["data null", () => trainTwoLayerNetwork(net, null as never, { lambda: 0.1, steps: 1 }), TypeError, [
      "data",
      "null",
    ]],
    ["mu", () => trainTwoLayerNetwork(net, { kind: "gaussian", mu: NaN }, { lambda: 0.1, steps: 1 }), RangeError, [
      "data.mu",
      "NaN",
    ]],
    [
      "noiseStd",
      () => trainTwoLayerNetwork(net, { kind: "gaussian", mu: 0.5, noiseStd: -2 }, { lambda: 0.1, steps: 1 }),
      RangeError,
      [
        "data.noiseStd",
        "-2",
      ],
    ],
    [
      "dataset X",
      () => trainTwoLayerNetwork(net, { kind: "dataset", X: [1, 2, 3], Y: [1, 2] }, { lambda: 0.1, steps: 1 }),
      RangeError,
      [
        "trainTwoLayerNetwork",
        "X",
        "received 3",
      ],
    ],
    [
      "dataset Y",
      () => trainTwoLayerNetwork(net, { kind: "dataset", X: [1, 2], Y: [1] }, { lambda: 0.1, steps: 1 }),
      RangeError,
      [
        "Y",
        "received 1",
      ],
    ],
  ];
  for (const c of cases) assertInvalid(...c);
});

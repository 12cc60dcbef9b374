// Part V: the MNIST digits (lib/deep/mnist.ts), the deep network (lib/deep/deep_network.ts) and one experiment cell
// (lib/deep/deep_network_experiment.ts). The gradient is checked against an independent NumPy back-propagation
// (test/fixtures/generate_part5.py, itself confirmed by finite differences there) and against central finite
// differences here; training is checked step by step against the gradient, for determinism, for label noise and for the
// measurements (rank, dead units, sparsity, accuracy).
import assert from "node:assert/strict";
import {
  createDeepNetwork,
  deepNetworkExperiment,
  deepNetworkGradient,
  evaluateDeepNetwork,
  layerSparsity,
  loadMnist,
  numericalRank,
  penultimateFeatures,
  trainDeepNetwork,
} from "../mod.ts";
import type { DeepActivation, DeepNetwork, ImageDataset } from "../mod.ts";
import { Rng } from "../lib/core/random.ts";
import { DeepKernel } from "../lib/deep/deep_network.ts";
import { assertClose } from "./assert_close.ts";
import { assertInvalid, assertRejectsInvalid, type InvalidCase } from "./assert_invalid.ts";

interface Case {
  activation: DeepActivation;
  sizes: number[];
  weights: number[][];
  biases: number[][];
  images: number[];
  labels: number[];
  loss: number;
  gradWeights: number[][];
  gradBiases: number[][];
  learningRate: number;
  sgdWeights: number[][];
  sgdBiases: number[][];
  adamWeights: number[][];
  adamBiases: number[][];
}

const fixture = JSON.parse(await Deno.readTextFile(new URL("./fixtures/deep_network.json", import.meta.url))) as {
  cases: Case[];
};
const digits = JSON.parse(await Deno.readTextFile(new URL("./fixtures/mnist_digits.json", import.meta.url))) as {
  counts: number[];
  pixelSums: number[];
  pooledMeanSums: number[];
};

function networkOf(c: Case): DeepNetwork {
  return {
    sizes: c.sizes,
    activation: c.activation,
    weights: c.weights.map((w) => Float64Array.from(w)),
    biases: c.biases.map((b) => Float64Array.from(b)),
  };
}

function dataOf(c: Case): ImageDataset {
  return {
    images: Float64Array.from(c.images),
    labels: Uint8Array.from(c.labels),
    count: c.labels.length,
    features: c.sizes[0],
  };
}

function assertAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < actual.length; i++) assertClose(actual[i], expected[i], { abs: tol, rel: tol }, `${label}[${i}]`);
}

/** The plain loops the kernel started from (one term per pass): the optimized kernel must match them bit for bit. */
class PlainKernel extends DeepKernel {
  override forward(net: DeepNetwork, S: number): void {
    const L = this.sizes.length - 1;
    const relu = this.activation === "relu", tanh = this.activation === "tanh";
    for (let l = 0; l < L; l++) {
      const nIn = this.sizes[l], nOut = this.sizes[l + 1];
      const a = this.acts[l], z = this.acts[l + 1];
      const w = net.weights[l], b = net.biases[l];
      for (let s = 0; s < S; s++) {
        const zo = s * nOut;
        for (let o = 0; o < nOut; o++) z[zo + o] = b[o];
        const ai = s * nIn;
        for (let i = 0; i < nIn; i++) {
          const x = a[ai + i];
          if (x === 0) continue;
          const wi = i * nOut;
          for (let o = 0; o < nOut; o++) z[zo + o] += x * w[wi + o];
        }
        if (l + 1 < L) {
          if (relu) { for (let o = 0; o < nOut; o++) if (!(z[zo + o] > 0)) z[zo + o] = 0; }
          else if (tanh) { for (let o = 0; o < nOut; o++) z[zo + o] = Math.tanh(z[zo + o]); }
        }
      }
    }
  }

  override backward(net: DeepNetwork, S: number): void {
    const L = this.sizes.length - 1;
    const relu = this.activation === "relu", tanh = this.activation === "tanh";
    for (let l = L - 1; l >= 0; l--) {
      const nIn = this.sizes[l], nOut = this.sizes[l + 1];
      const a = this.acts[l], g = this.errs[l + 1];
      const w = net.weights[l], gw = this.gradW[l], gb = this.gradB[l];
      gw.fill(0);
      gb.fill(0);
      for (let s = 0; s < S; s++) {
        const go = s * nOut;
        for (let o = 0; o < nOut; o++) gb[o] += g[go + o];
      }
      // ∂W = aᵀ g, input-major: row i accumulates a[s, i] · g[s, :].
      for (let i = 0; i < nIn; i++) {
        const wi = i * nOut;
        for (let s = 0; s < S; s++) {
          const x = a[s * nIn + i];
          if (x === 0) continue;
          const go = s * nOut;
          for (let o = 0; o < nOut; o++) gw[wi + o] += x * g[go + o];
        }
      }
      if (l === 0) break;
      // g_l = (g W_lᵀ) ⊙ σ′: a dot product of g[s, :] with row i of W, skipped where σ′ = 0.
      const gp = this.errs[l];
      for (let s = 0; s < S; s++) {
        const go = s * nOut, ai = s * nIn;
        for (let i = 0; i < nIn; i++) {
          const x = a[ai + i];
          if (relu && !(x > 0)) {
            gp[ai + i] = 0;
            continue;
          }
          const wi = i * nOut;
          let acc = 0;
          for (let o = 0; o < nOut; o++) acc += g[go + o] * w[wi + o];
          gp[ai + i] = tanh ? acc * (1 - x * x) : acc;
        }
      }
    }
  }
}

// --------------------------------------------------------------------------------------------------------- MNIST

const split = await loadMnist({ testSize: 1000, seed: 0 });

Deno.test("loadMnist: the package's 10,000 digits, per-class counts and pixel sums as NumPy reads them", async () => {
  const all = [split.test, split.train];
  const counts = new Array(10).fill(0), sums = new Array(10).fill(0);
  for (const d of all) {
    for (let i = 0; i < d.count; i++) {
      counts[d.labels[i]]++;
      for (let k = 0; k < 784; k++) sums[d.labels[i]] += d.images[i * 784 + k];
    }
  }
  assert.deepEqual(counts, digits.counts);
  // Tolerance: 784·1000 additions of 3-decimal numbers in another order, relative 1e-12.
  for (let c = 0; c < 10; c++) assertClose(sums[c], digits.pixelSums[c], { rel: 1e-12 }, `pixel sum of class ${c}`);
  // 2 × 2 pooling keeps the mean of each image: pooled sums are the full sums / 4, and the pooled class mean image sums
  // to NumPy's.
  const pooled = await loadMnist({ testSize: 1000, seed: 0, pool: 2 });
  assert.equal(pooled.train.features, 196);
  const psum = new Array(10).fill(0);
  for (const d of [pooled.test, pooled.train]) {
    for (let i = 0; i < d.count; i++) for (let k = 0; k < 196; k++) psum[d.labels[i]] += d.images[i * 196 + k];
  }
  for (let c = 0; c < 10; c++) {
    assertClose(psum[c] / counts[c], digits.pooledMeanSums[c], { rel: 1e-12 }, `pooled mean image sum, class ${c}`);
  }
});

Deno.test("loadMnist: the split is a seeded permutation, disjoint, and the same for the same seed", async () => {
  const again = await loadMnist({ testSize: 1000, seed: 0 });
  assert.deepEqual(again.test.labels, split.test.labels);
  assert.deepEqual(again.train.images.subarray(0, 784 * 5), split.train.images.subarray(0, 784 * 5));
  const other = await loadMnist({ testSize: 1000, seed: 1 });
  assert.notDeepEqual(other.test.labels, split.test.labels);
  // Disjoint: no held-out image is also a training image (compare exact pixel rows by a hash).
  const key = (d: ImageDataset, i: number) => d.images.subarray(i * 784, i * 784 + 784).join(",");
  const trainKeys = new Set(Array.from({ length: split.train.count }, (_, i) => key(split.train, i)));
  let shared = 0;
  for (let i = 0; i < split.test.count; i++) if (trainKeys.has(key(split.test, i))) shared++;
  // MNIST has a few exact duplicate images; allow none beyond what identical digits explain (measured: 0).
  assert.equal(shared, 0, "held-out images that are also training images");
  // Every class is present in the held-out set in roughly its share (binomial, 1000 draws: within 5 SD).
  for (let c = 0; c < 10; c++) {
    const n = split.test.labels.filter((y) => y === c).length;
    const p = digits.counts[c] / 10000;
    assert.ok(Math.abs(n - 1000 * p) < 5 * Math.sqrt(1000 * p * (1 - p)), `class ${c}: ${n} held-out images`);
  }
});

Deno.test("loadMnist: bad options get clear errors", async () => {
  const cases: InvalidCase[] = [
    ["testSize 0", () => loadMnist({ testSize: 0 }), RangeError, ["loadMnist", "testSize", "0"]],
    ["too many", () => loadMnist({ testSize: 1000, trainSize: 9500 }), RangeError, ["loadMnist", "trainSize", "9500"]],
    ["pool 3", () => loadMnist({ pool: 3 as 2 }), RangeError, ["loadMnist", "pool", "3"]],
    ["seed NaN", () => loadMnist({ seed: NaN }), RangeError, ["loadMnist", "seed", "NaN"]],
  ];
  for (const c of cases) await assertRejectsInvalid(...c);
});

// --------------------------------------------------------------------------------------------------------- The
// gradient

for (const c of fixture.cases) {
  Deno.test(`deepNetworkGradient (${c.activation}): loss and gradient equal NumPy's back-propagation`, () => {
    const g = deepNetworkGradient(networkOf(c), dataOf(c));
    // Tolerance 1e-12: the same sums in another order on O(1) numbers.
    assertClose(g.loss, c.loss, { abs: 1e-12, rel: 1e-12 }, "loss");
    for (let l = 0; l < 3; l++) {
      assertAllClose(g.weights[l], c.gradWeights[l], 1e-12, `∂W${l}`);
      assertAllClose(g.biases[l], c.gradBiases[l], 1e-12, `∂b${l}`);
    }
  });
}

Deno.test("DeepKernel: the unrolled kernel is bit-for-bit the plain loops over 60 SGD steps (relu, tanh, linear; S = 32, 5, 1)", () => {
  for (const activation of ["relu", "tanh", "linear"] as const) {
    for (const S of [32, 5, 1]) {
      const sizes = [784, 24, 20, 12, 10];
      const start = createDeepNetwork(sizes, { seed: 4, activation });
      const nets = [0, 1].map(() => ({
        ...start,
        weights: start.weights.map((w) => w.slice()),
        biases: start.biases.map((b) => b.slice()),
      }));
      const kernels = [new DeepKernel(sizes, activation, S), new PlainKernel(sizes, activation, S)];
      for (let t = 0; t < 60; t++) {
        const rows = Int32Array.from({ length: S }, (_, i) => (t * 37 + i * 101) % split.train.count);
        const labels = Uint8Array.from(rows, (r) => split.train.labels[r]);
        kernels.forEach((k, v) => {
          k.loadBatch(split.train.images, rows, S);
          k.forward(nets[v], S);
          k.softmaxError(labels, S);
          k.backward(nets[v], S);
          nets[v].weights.forEach((w, l) => w.forEach((_, j) => (w[j] -= 0.2 * k.gradW[l][j])));
          nets[v].biases.forEach((b, l) => b.forEach((_, j) => (b[j] -= 0.2 * k.gradB[l][j])));
        });
      }
      // Exact equality (Object.is on every weight): the same sums in the same order.
      nets[0].weights.forEach((w, l) =>
        w.forEach((x, j) =>
          assert.ok(
            Object.is(x, nets[1].weights[l][j]),
            `${activation} S=${S} W${l}[${j}]: ${x} vs ${nets[1].weights[l][j]}`,
          )
        )
      );
    }
  }
});

Deno.test("deepNetworkGradient: central finite differences (relu away from kinks, tanh)", () => {
  for (const activation of ["relu", "tanh"] as const) {
    const net = createDeepNetwork([6, 5, 4, 3], { seed: 5, activation });
    const rng = new Rng("fd");
    const data: ImageDataset = {
      images: Float64Array.from({ length: 4 * 6 }, () => rng.uniform()),
      labels: Uint8Array.of(0, 2, 1, 2),
      count: 4,
      features: 6,
    };
    const g = deepNetworkGradient(net, data);
    const h = 1e-6;
    for (let l = 0; l < 3; l++) {
      for (const [arr, grad] of [[net.weights[l], g.weights[l]], [net.biases[l], g.biases[l]]] as const) {
        for (let j = 0; j < arr.length; j++) {
          const old = arr[j];
          arr[j] = old + h;
          const up = deepNetworkGradient(net, data).loss;
          arr[j] = old - h;
          const down = deepNetworkGradient(net, data).loss;
          arr[j] = old;
          // Central difference: truncation O(h²·|L‴|) and rounding O(eps/h) ≈ 1e-10; tolerance 1e-7.
          assertClose(grad[j], (up - down) / (2 * h), { abs: 1e-7 }, `${activation} layer ${l} entry ${j}`);
        }
      }
    }
  }
});

// --------------------------------------------------------------------------------------------------------- Training

for (const c of fixture.cases) {
  Deno.test(`trainDeepNetwork (${c.activation}): one SGD and one Adam step on the whole data set match NumPy`, () => {
    // An epoch-sampled batch of the whole data set is a permutation of it: the step is the full-batch step.
    const data = dataOf(c);
    const net = networkOf(c);
    const common = { learningRate: c.learningRate, batchSize: data.count, steps: 1, sampling: "epoch" as const };
    const sgd = trainDeepNetwork(net, data, common);
    // Tolerance 1e-14: the batch sums are taken in a permuted order (rounding only).
    for (let l = 0; l < 3; l++) {
      assertAllClose(sgd.network.weights[l], c.sgdWeights[l], 1e-14, `SGD W${l}`);
      assertAllClose(sgd.network.biases[l], c.sgdBiases[l], 1e-14, `SGD b${l}`);
    }
    // The input network is not modified.
    assert.deepEqual(Array.from(net.weights[0]), c.weights[0]);
    const adam = trainDeepNetwork(net, data, { ...common, optimizer: "adam" });
    // Adam's first step is −λ·g/(|g| + ε): for |g| ≫ ε it is ±λ, and a rounding of g of 1e-16 relative moves it by ≈
    // λ·ε·1e-16/|g|; entries with |g| < 1e-6 (none here) would need a looser tolerance.
    for (let l = 0; l < 3; l++) {
      assertAllClose(adam.network.weights[l], c.adamWeights[l], 1e-13, `Adam W${l}`);
      assertAllClose(adam.network.biases[l], c.adamBiases[l], 1e-13, `Adam b${l}`);
    }
  });
}

Deno.test("trainDeepNetwork: epoch sampling visits every image once per epoch; replacement sampling differs", () => {
  // A data set of one-hot-like images whose gradients are distinguishable is overkill: check through the training loss
  // instead — with S = count and epoch sampling, every step sees the whole set, so the loss of step 1 equals the
  // full-batch loss of the initial network.
  const c = fixture.cases[1];
  const data = dataOf(c);
  const full = deepNetworkGradient(networkOf(c), data).loss;
  const epoch = trainDeepNetwork(networkOf(c), data, { batchSize: data.count, steps: 1, recordEvery: 1 });
  assertClose(epoch.losses[0], full, { rel: 1e-14 }, "epoch batch loss");
  const repl = trainDeepNetwork(networkOf(c), data, {
    batchSize: data.count,
    steps: 1,
    recordEvery: 1,
    sampling: "replacement",
  });
  // With replacement, 9 draws from 9 images repeat one with probability 1 − 9!/9⁹ ≈ 0.999.
  assert.notEqual(repl.losses[0], full);
});

Deno.test("trainDeepNetwork: deterministic, seeds matter, losses recorded per window", () => {
  const small = {
    ...split.train,
    count: 500,
    images: split.train.images.subarray(0, 500 * 784),
    labels: split.train.labels.subarray(0, 500),
  };
  const net = createDeepNetwork([784, 16, 10], { seed: 3 });
  const a = trainDeepNetwork(net, small, { steps: 50, seed: 1, labelNoise: 0.5, recordEvery: 20 });
  const b = trainDeepNetwork(net, small, { steps: 50, seed: 1, labelNoise: 0.5, recordEvery: 20 });
  const c = trainDeepNetwork(net, small, { steps: 50, seed: 2, labelNoise: 0.5, recordEvery: 20 });
  assert.deepEqual(a.network.weights, b.network.weights);
  assert.notDeepEqual(a.network.weights[1], c.network.weights[1]);
  assert.equal(a.losses.length, 3); // windows of 20, 20, 10 steps
  assert.ok(a.losses.every((x) => Number.isFinite(x) && x > 0));
});

Deno.test("trainDeepNetwork: full label noise (noise = 1) makes labels uninformative — accuracy near chance", () => {
  const net = createDeepNetwork([784, 32, 10], { seed: 3 });
  const noisy = trainDeepNetwork(net, split.train, { steps: 400, seed: 1, labelNoise: 1, learningRate: 0.05 });
  const clean = trainDeepNetwork(net, split.train, { steps: 400, seed: 1, labelNoise: 0, learningRate: 0.05 });
  const accNoisy = evaluateDeepNetwork(noisy.network, split.test).accuracy;
  const accClean = evaluateDeepNetwork(clean.network, split.test).accuracy;
  // 1000 held-out images: chance is 0.1 ± 0.0095 (binomial SD); a network that learned nothing stays within the largest
  // class share (0.113) plus 5 SD.
  assert.ok(accNoisy < 0.113 + 5 * 0.0095, `accuracy with noise 1: ${accNoisy}`);
  assert.ok(accClean > 0.85, `accuracy without noise: ${accClean}`);
});

Deno.test("trainDeepNetwork: static noise corrupts a fixed fraction ≈ noise·9/10 of the labels", () => {
  // The statistics of the corruption the trainer applies with its stream `${seed}/noise`.
  const rng = new Rng("4/noise");
  const labels = split.train.labels;
  let changed = 0;
  for (let i = 0; i < labels.length; i++) if (rng.uniform() < 0.5 && rng.index(10) !== labels[i]) changed++;
  const p = 0.5 * 0.9, n = labels.length;
  assert.ok(Math.abs(changed / n - p) < 5 * Math.sqrt(p * (1 - p) / n), `changed ${changed / n}`);
  // And static vs dynamic training differ, each deterministic.
  const net = createDeepNetwork([784, 8, 10], { seed: 1 });
  const st = trainDeepNetwork(net, split.train, { steps: 30, seed: 4, labelNoise: 0.5, noiseKind: "static" });
  const st2 = trainDeepNetwork(net, split.train, { steps: 30, seed: 4, labelNoise: 0.5, noiseKind: "static" });
  const dy = trainDeepNetwork(net, split.train, { steps: 30, seed: 4, labelNoise: 0.5, noiseKind: "dynamic" });
  assert.deepEqual(st.network.weights, st2.network.weights);
  assert.notDeepEqual(st.network.weights[0], dy.network.weights[0]);
});

Deno.test('trainDeepNetwork: relabel "other" (§4.4\'s flip) never keeps the true label; "uniform" (App. B.4) may', () => {
  // With noise 1 and static noise, "other" gives every image a wrong label: the network learns to avoid the true class,
  // and held-out accuracy falls below chance; "uniform" leaves the labels uninformative (≈ chance).
  const net = createDeepNetwork([784, 32, 10], { seed: 3 });
  const common = { steps: 600, seed: 1, labelNoise: 1, learningRate: 0.05, noiseKind: "static" as const };
  const other = trainDeepNetwork(net, split.train, { ...common, relabel: "other" });
  const uniform = trainDeepNetwork(net, split.train, { ...common, relabel: "uniform" });
  const accOther = evaluateDeepNetwork(other.network, split.test).accuracy;
  const accUniform = evaluateDeepNetwork(uniform.network, split.test).accuracy;
  // Chance 0.1 ± 0.0095 (binomial SD for 1000 images); "other" must be clearly below, "uniform" near chance.
  assert.ok(accOther < 0.1 - 3 * 0.0095, `accuracy with every label flipped to another class: ${accOther}`);
  assert.ok(
    Math.abs(accUniform - 0.1) < 0.013 + 5 * 0.0095,
    `accuracy with labels reselected uniformly: ${accUniform}`,
  );
});

Deno.test("trainDeepNetwork: a huge learning rate diverges or kills every unit, and says so", () => {
  const net = createDeepNetwork([784, 16, 16, 10], { seed: 1 });
  const r = trainDeepNetwork(net, split.train, { steps: 200, learningRate: 50, seed: 1 });
  if (r.diverged) assert.ok(r.steps < 200);
  else {
    const f = penultimateFeatures(r.network, split.test);
    assert.equal(numericalRank(f, 1000, 16), 0, "all penultimate units dead");
  }
});

// ---------------------------------------------------------------------------------------------------------
// Measurements

Deno.test("penultimateFeatures and layerSparsity: shapes, dead units and thresholds", () => {
  const net = createDeepNetwork([784, 12, 6, 10], { seed: 2 });
  // Kill penultimate units 0 and 3 by a large negative bias: their features are exactly 0.
  net.biases[1][0] = -1e6;
  net.biases[1][3] = -1e6;
  const f = penultimateFeatures(net, split.test);
  assert.equal(f.length, 1000 * 6);
  for (let i = 0; i < 1000; i++) assert.ok(f[i * 6] === 0 && f[i * 6 + 3] === 0);
  assert.equal(numericalRank(f, 1000, 6), 4);
  const s = layerSparsity(net, { threshold: 1e9 });
  assert.deepEqual(s, [1, 1, 1]);
});

Deno.test("deepNetworkExperiment: deterministic, learns without noise, and reports dead units", async () => {
  const e = { learningRate: 0.1, labelNoise: 0, hidden: [24, 12], pool: 2 as const, steps: 300, seed: 3 };
  const a = await deepNetworkExperiment(e);
  const b = await deepNetworkExperiment(e);
  assert.deepEqual(a, b);
  assert.ok(a.testAccuracy > 0.8, `accuracy ${a.testAccuracy}`);
  assert.ok(a.rank <= 12 - a.deadUnits);
  assert.equal(a.singularValues.length, 12);
  assert.equal(a.sparsity.length, 3);
});

Deno.test("deep network functions: bad input gets clear errors", async () => {
  const net = createDeepNetwork([4, 3, 2], { seed: 1 });
  const data: ImageDataset = { images: new Float64Array(8), labels: Uint8Array.of(0, 1), count: 2, features: 4 };
  const cases: InvalidCase[] = [
    ["sizes short", () => createDeepNetwork([4]), RangeError, ["createDeepNetwork", "sizes", "1"]],
    ["sizes 0", () => createDeepNetwork([4, 0, 2]), RangeError, ["createDeepNetwork", "sizes[1]", "0"]],
    ["activation", () => createDeepNetwork([4, 2], { activation: "gelu" as "relu" }), RangeError, [
      "activation",
      '"gelu"',
    ]],
    ["lr negative", () => trainDeepNetwork(net, data, { learningRate: -1 }), RangeError, [
      "trainDeepNetwork",
      "learningRate",
      "-1",
    ]],
    ["lr NaN", () => trainDeepNetwork(net, data, { learningRate: NaN }), RangeError, ["learningRate", "NaN"]],
    ["batch 1.5", () => trainDeepNetwork(net, data, { batchSize: 1.5 }), RangeError, ["batchSize", "1.5"]],
    ["noise 2", () => trainDeepNetwork(net, data, { labelNoise: 2 }), RangeError, ["labelNoise", "2"]],
    ["noise kind", () => trainDeepNetwork(net, data, { noiseKind: "x" as "static" }), RangeError, ["noiseKind", '"x"']],
    ["relabel", () => trainDeepNetwork(net, data, { relabel: "y" as "other" }), RangeError, ["relabel", '"y"']],
    ["beta1 1", () => trainDeepNetwork(net, data, { optimizer: "adam", beta1: 1 }), RangeError, ["beta1", "1"]],
    [
      "features",
      () => deepNetworkGradient(net, { ...data, features: 5, images: new Float64Array(10) }),
      RangeError,
      ["deepNetworkGradient", "data.features", "5"],
    ],
    [
      "NaN pixel",
      () => evaluateDeepNetwork(net, { ...data, images: Float64Array.of(0, NaN, 0, 0, 0, 0, 0, 0) }),
      RangeError,
      ["evaluateDeepNetwork", "data.images", "NaN"],
    ],
    ["label 7", () => deepNetworkGradient(net, { ...data, labels: Uint8Array.of(0, 7) }), RangeError, [
      "data.labels",
      "7",
    ]],
    [
      "NaN weight",
      () =>
        penultimateFeatures({ ...net, weights: [Float64Array.of(NaN, ...new Float64Array(11)), net.weights[1]] }, data),
      RangeError,
      ["penultimateFeatures", "NaN"],
    ],
    ["no hidden", () => penultimateFeatures(createDeepNetwork([4, 2]), data), RangeError, [
      "penultimateFeatures",
      "hidden",
    ]],
    ["threshold", () => layerSparsity(net, { threshold: 0 }), RangeError, ["layerSparsity", "threshold", "0"]],
    ["network null", () => layerSparsity(null as unknown as DeepNetwork), TypeError, [
      "layerSparsity",
      "network",
      "null",
    ]],
  ];
  for (const c of cases) assertInvalid(...c);
  await assertRejectsInvalid(
    "experiment lr",
    () => deepNetworkExperiment({ learningRate: Infinity, labelNoise: 0 }),
    RangeError,
    ["deepNetworkExperiment", "learningRate", "Infinity"],
  );
  await assertRejectsInvalid(
    "experiment noise",
    () => deepNetworkExperiment({ learningRate: 0.1, labelNoise: -0.1 }),
    RangeError,
    ["deepNetworkExperiment", "labelNoise", "-0.1"],
  );
});

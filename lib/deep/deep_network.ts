/**
 * A small deep classifier for Part V (the CPU-scale stand-in for §4.4's ResNet-18): a multilayer perceptron x → σ(x W₀
 * + b₀) → … → σ(· W_{L−2} + b_{L−2}) → · W_{L−1} + b_{L−1} (logits) with softmax cross-entropy, trained by plain SGD or
 * Adam with dynamic or static label noise (App. B.4), on typed arrays.
 *
 * @module
 */

import { Rng } from "../core/random.ts";
import type { ImageDataset } from "./mnist.ts";
import * as check from "../core/validate.ts";
import { DeepKernel } from "./deep_kernel.ts";
import { deepWasmEnabled, WasmDeepKernel } from "./deep_wasm.ts";

export { DeepKernel };

/** The hidden-layer activations of a deep network (ResNet-18 uses relu). */
export const DEEP_ACTIVATIONS = ["relu", "tanh", "linear"] as const;

/** A hidden-layer activation name. */
export type DeepActivation = typeof DEEP_ACTIVATIONS[number];

/**
 * A multilayer perceptron. Layer l maps `sizes[l]` units to `sizes[l + 1]`; its weights are stored input-major,
 * `weights[l][i · sizes[l + 1] + o]` being the weight from unit i to unit o (so a batch of rows X goes forward as X·W +
 * b, NumPy's convention). The last layer is linear (the logits); all others apply the activation. The penultimate layer
 * `sizes[sizes.length − 2]` is the representation whose rank App. B.4 measures.
 */
export interface DeepNetwork {
  /** The layer widths, input first, number of classes last. */
  sizes: readonly number[];
  /** The hidden-layer activation. */
  activation: DeepActivation;
  /** One weight matrix per layer, input-major (sizes[l] × sizes[l + 1]). */
  weights: Float64Array[];
  /** One bias vector per layer (sizes[l + 1]). */
  biases: Float64Array[];
}

/** Options of {@linkcode createDeepNetwork}. */
export interface CreateDeepNetworkOptions {
  /** The hidden-layer activation. @default "relu" */
  activation?: DeepActivation;
  /** The seed of the initial weights (stream `${seed}/init`). @default 0 */
  seed?: number | string;
  /** Multiplies He's standard deviation √(2/fan-in) of the initial weights (biases start at 0). @default 1 */
  initScale?: number;
}

function checkSizes(fn: string, sizes: unknown, param = "sizes"): number[] {
  if (!Array.isArray(sizes)) {
    throw new TypeError(
      `Invalid ${param} in ${fn}: expected an array of layer widths; received ${check.describe(sizes)}.`,
    );
  }
  if (sizes.length < 2) {
    throw new RangeError(`Invalid ${param} in ${fn}: expected at least 2 layer widths; received ${sizes.length}.`);
  }
  return sizes.map((n, i) => check.integerInRange(fn, `${param}[${i}]`, n, 1, 1 << 16));
}

/**
 * A deep network with He-normal initial weights (standard deviation initScale·√(2/fan-in), the usual choice for relu
 * networks and PyTorch's `kaiming_normal_`) and zero biases.
 *
 * @example A 784 → 128 → 64 → 10 network
 * ```ts
 * import { createDeepNetwork } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const net = createDeepNetwork([784, 128, 64, 10], { seed: 1 });
 * assert.equal(net.weights.length, 3);
 * assert.equal(net.weights[0].length, 784 * 128);
 * assert.equal(net.biases[2].length, 10);
 * ```
 *
 * @param sizes The layer widths: input, hidden layers, classes.
 * @param options The activation, seed and scale.
 * @returns A new network.
 */
export function createDeepNetwork(sizes: readonly number[], options: CreateDeepNetworkOptions = {}): DeepNetwork {
  const fn = "createDeepNetwork";
  const n = checkSizes(fn, sizes);
  const o = check.options(fn, options);
  const activation = check.oneOf(fn, "options.activation", o.activation ?? "relu", DEEP_ACTIVATIONS);
  const seed = check.seed(fn, "options.seed", o.seed ?? 0);
  const scale = check.positiveNumber(fn, "options.initScale", o.initScale ?? 1);
  const rng = new Rng(`${seed}/init`);
  const weights: Float64Array[] = [];
  const biases: Float64Array[] = [];
  for (let l = 0; l + 1 < n.length; l++) {
    const std = scale * Math.sqrt(2 / n[l]);
    const w = new Float64Array(n[l] * n[l + 1]);
    for (let k = 0; k < w.length; k++) w[k] = std * rng.normal();
    weights.push(w);
    biases.push(new Float64Array(n[l + 1]));
  }
  return { sizes: n, activation, weights, biases };
}

/** Validates a network (shapes and finite entries); returns its sizes. Internal. */
export function checkNetwork(fn: string, param: string, net: unknown): number[] {
  if (net === null || typeof net !== "object") {
    throw new TypeError(`Invalid ${param} in ${fn}: expected a DeepNetwork; received ${check.describe(net)}.`);
  }
  const d = net as DeepNetwork;
  const sizes = checkSizes(fn, d.sizes, `${param}.sizes`);
  check.oneOf(fn, `${param}.activation`, d.activation, DEEP_ACTIVATIONS);
  for (const key of ["weights", "biases"] as const) {
    if (!Array.isArray(d[key])) {
      throw new TypeError(
        `Invalid ${param}.${key} in ${fn}: expected an array of Float64Arrays; received ${check.describe(d[key])}.`,
      );
    }
  }
  for (let l = 0; l + 1 < sizes.length; l++) {
    const w = d.weights[l], b = d.biases[l];
    if (!(w instanceof Float64Array) || w.length !== sizes[l] * sizes[l + 1]) {
      throw new RangeError(
        `Invalid ${param}.weights[${l}] in ${fn}: expected a Float64Array of length ${
          sizes[l] * sizes[l + 1]
        }; received ${check.describe(w)}.`,
      );
    }
    if (!(b instanceof Float64Array) || b.length !== sizes[l + 1]) {
      throw new RangeError(
        `Invalid ${param}.biases[${l}] in ${fn}: expected a Float64Array of length ${sizes[l + 1]}; received ${
          check.describe(b)
        }.`,
      );
    }
    for (const [key, a] of [["weights", w], ["biases", b]] as const) {
      for (let k = 0; k < a.length; k++) {
        if (!Number.isFinite(a[k])) {
          throw new RangeError(
            `Invalid ${param}.${key}[${l}] in ${fn}: expected finite weights; received ${a[k]} at index ${k}.`,
          );
        }
      }
    }
  }
  return sizes;
}

/** A deep copy of a network. */
function copyNetwork(net: DeepNetwork): DeepNetwork {
  return {
    sizes: [...net.sizes],
    activation: net.activation,
    weights: net.weights.map((w) => w.slice()),
    biases: net.biases.map((b) => b.slice()),
  };
}

/** Validates a dataset against an input width. Internal. */
export function checkDataset(fn: string, param: string, data: unknown, inputs: number, classes: number): ImageDataset {
  if (data === null || typeof data !== "object") {
    throw new TypeError(`Invalid ${param} in ${fn}: expected an ImageDataset; received ${check.describe(data)}.`);
  }
  const d = data as ImageDataset;
  const count = check.integerInRange(fn, `${param}.count`, d.count, 1);
  if (d.features !== inputs) {
    throw new RangeError(
      `Invalid ${param}.features in ${fn}: expected ${inputs} (the network's input width); received ${
        check.describe(d.features)
      }.`,
    );
  }
  if (!(d.images instanceof Float64Array) || d.images.length !== count * inputs) {
    throw new RangeError(
      `Invalid ${param}.images in ${fn}: expected a Float64Array of length ${count * inputs}; received ${
        check.describe(d.images)
      }.`,
    );
  }
  if (!(d.labels instanceof Uint8Array) || d.labels.length !== count) {
    throw new RangeError(
      `Invalid ${param}.labels in ${fn}: expected a Uint8Array of length ${count}; received ${
        check.describe(d.labels)
      }.`,
    );
  }
  for (let k = 0; k < d.images.length; k++) {
    if (!Number.isFinite(d.images[k])) {
      throw new RangeError(
        `Invalid ${param}.images in ${fn}: expected finite pixels; received ${d.images[k]} at ${k}.`,
      );
    }
  }
  for (let k = 0; k < count; k++) {
    if (d.labels[k] >= classes) {
      throw new RangeError(
        `Invalid ${param}.labels in ${fn}: expected classes 0–${classes - 1}; received ${d.labels[k]} at ${k}.`,
      );
    }
  }
  return d;
}

/** The loss and exact gradient of a deep network on a set of labelled images. */
export interface DeepGradient {
  /** The mean softmax cross-entropy. */
  loss: number;
  /** ∂loss/∂W per layer, in the layout of {@linkcode DeepNetwork.weights}. */
  weights: Float64Array[];
  /** ∂loss/∂b per layer. */
  biases: Float64Array[];
}

/**
 * The mean softmax cross-entropy of a network on labelled images and its exact gradient (back-propagation; see
 * {@linkcode DeepKernel} for the formulas). The gradient that {@linkcode trainDeepNetwork} steps along, exposed for
 * tests and teaching; checked against central finite differences and a NumPy implementation.
 *
 * @example The gradient of the bias of the logits sums to zero (softmax is shift-invariant)
 * ```ts
 * import { createDeepNetwork, deepNetworkGradient } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const net = createDeepNetwork([4, 3, 2], { seed: 2 });
 * const data = { images: Float64Array.of(1, 0, 0.5, 0.2, 0, 1, 0.3, 0.9), labels: Uint8Array.of(0, 1), count: 2, features: 4 };
 * const g = deepNetworkGradient(net, data);
 * assert.ok(Math.abs(g.biases[1][0] + g.biases[1][1]) < 1e-15);
 * ```
 *
 * @param network The network.
 * @param data The images and labels.
 * @returns The loss and the gradients.
 */
export function deepNetworkGradient(network: DeepNetwork, data: ImageDataset): DeepGradient {
  const fn = "deepNetworkGradient";
  const sizes = checkNetwork(fn, "network", network);
  const d = checkDataset(fn, "data", data, sizes[0], sizes[sizes.length - 1]);
  const k = new DeepKernel(sizes, network.activation, d.count);
  k.acts[0].set(d.images);
  k.forward(network, d.count);
  const loss = k.softmaxError(d.labels, d.count);
  k.backward(network, d.count);
  return { loss, weights: k.gradW.map((g) => g.slice()), biases: k.gradB.map((g) => g.slice()) };
}

/**
 * The representation of the penultimate layer (the last hidden layer, after its activation) for every image: a `count ×
 * sizes[L − 1]` row-major matrix. App. B.4 measures the rank of this matrix on 1,000 held-out images.
 *
 * @example
 * ```ts
 * import { createDeepNetwork, penultimateFeatures } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const net = createDeepNetwork([4, 5, 3, 2], { seed: 1 });
 * const f = penultimateFeatures(net, { images: new Float64Array(8).fill(0.5), labels: Uint8Array.of(0, 1), count: 2, features: 4 });
 * assert.equal(f.length, 2 * 3);
 * ```
 *
 * @param network The network.
 * @param data The images (labels are not used).
 * @returns The features, one row per image.
 */
export function penultimateFeatures(network: DeepNetwork, data: ImageDataset): Float64Array {
  const fn = "penultimateFeatures";
  const sizes = checkNetwork(fn, "network", network);
  const d = checkDataset(fn, "data", data, sizes[0], sizes[sizes.length - 1]);
  if (sizes.length < 3) {
    throw new RangeError(`Invalid network in ${fn}: expected at least one hidden layer; received sizes [${sizes}].`);
  }
  const L = sizes.length - 1;
  const h = sizes[L - 1];
  const out = new Float64Array(d.count * h);
  const chunk = 256;
  const k = new DeepKernel(sizes, network.activation, Math.min(chunk, d.count));
  for (let start = 0; start < d.count; start += chunk) {
    const S = Math.min(chunk, d.count - start);
    k.acts[0].set(d.images.subarray(start * sizes[0], (start + S) * sizes[0]));
    k.forward(network, S);
    out.set(k.acts[L - 1].subarray(0, S * h), start * h);
  }
  return out;
}

/** Accuracy and loss of a network on labelled images. */
export interface DeepEvaluation {
  /** The fraction of images whose largest logit is the label's (ties: the first largest). */
  accuracy: number;
  /** The mean softmax cross-entropy. */
  loss: number;
}

/**
 * The accuracy and mean cross-entropy of a network on labelled images (test accuracy in App. B.4).
 *
 * @example An untrained 10-class network is near chance (10 %)
 * ```ts
 * import { createDeepNetwork, evaluateDeepNetwork, loadMnist } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const { test } = await loadMnist({ testSize: 500, trainSize: 10 });
 * const { accuracy } = evaluateDeepNetwork(createDeepNetwork([784, 32, 10], { seed: 3 }), test);
 * assert.ok(accuracy < 0.35);
 * ```
 *
 * @param network The network.
 * @param data The images and labels.
 * @returns Accuracy and loss.
 */
export function evaluateDeepNetwork(network: DeepNetwork, data: ImageDataset): DeepEvaluation {
  const fn = "evaluateDeepNetwork";
  const sizes = checkNetwork(fn, "network", network);
  const d = checkDataset(fn, "data", data, sizes[0], sizes[sizes.length - 1]);
  const L = sizes.length - 1, C = sizes[L];
  const chunk = 256;
  const k = new DeepKernel(sizes, network.activation, Math.min(chunk, d.count));
  let correct = 0, loss = 0;
  for (let start = 0; start < d.count; start += chunk) {
    const S = Math.min(chunk, d.count - start);
    k.acts[0].set(d.images.subarray(start * sizes[0], (start + S) * sizes[0]));
    k.forward(network, S);
    const z = k.acts[L];
    for (let s = 0; s < S; s++) {
      let best = 0;
      for (let c = 1; c < C; c++) if (z[s * C + c] > z[s * C + best]) best = c;
      if (best === d.labels[start + s]) correct++;
    }
    loss += k.softmaxError(d.labels.subarray(start, start + S), S) * S;
  }
  return { accuracy: correct / d.count, loss: loss / d.count };
}

/** One bias-corrected Adam update of the parameters p with gradient g and moments m, v (c₁, c₂: the corrections). */
function adamStep(
  p: Float64Array,
  g: Float64Array,
  m: Float64Array,
  v: Float64Array,
  lr: number,
  beta1: number,
  beta2: number,
  eps: number,
  c1: number,
  c2: number,
): void {
  for (let j = 0; j < p.length; j++) {
    const gj = g[j];
    m[j] = beta1 * m[j] + (1 - beta1) * gj;
    v[j] = beta2 * v[j] + (1 - beta2) * gj * gj;
    p[j] -= lr * (m[j] * c1) / (Math.sqrt(v[j] * c2) + eps);
  }
}

/** Options of {@linkcode trainDeepNetwork}. */
export interface TrainDeepNetworkOptions {
  /** The learning rate λ. @default 0.1 */
  learningRate?: number;
  /** `"sgd"` (plain, no momentum, no weight decay) or `"adam"`. @default "sgd" */
  optimizer?: "sgd" | "adam";
  /** Adam's β₁. @default 0.9 */
  beta1?: number;
  /** Adam's β₂. @default 0.999 */
  beta2?: number;
  /** Adam's ε. @default 1e-8 */
  epsilon?: number;
  /** The batch size S. @default 32 */
  batchSize?: number;
  /** The number of SGD steps. @default 2000 */
  steps?: number;
  /** The probability that a label is replaced by a uniformly random class (0 ≤ noise ≤ 1). @default 0 */
  labelNoise?: number;
  /** `"dynamic"`: resampled for every sample at every step (App. B.4); `"static"`: corrupted once before training. @default "dynamic" */
  noiseKind?: "dynamic" | "static";
  /**
   * The replacement label: `"uniform"` — a uniformly random class, possibly the true one (App. B.4: "reselecting the
   * label from a uniform distribution"); `"other"` — a uniformly random *other* class (§4.4: "a correct label is
   * flipped to a random label"). At noise p the true label survives with probability 1 − 0.9p or 1 − p. @default
   * "uniform"
   */
  relabel?: "uniform" | "other";
  /**
   * How batches are drawn: `"epoch"` — the images in a fresh seeded random order every epoch, batch after batch
   * (PyTorch's shuffled DataLoader, how the paper's ResNets were trained); `"replacement"` — S images drawn uniformly
   * with replacement at every step (the sampling of the paper's theory). @default "epoch"
   */
  sampling?: "epoch" | "replacement";
  /** The seed of the batches (`${seed}/batches`) and of the label noise (`${seed}/noise`). @default 0 */
  seed?: number | string;
  /** Record the mean training loss over windows of this many steps. @default 100 */
  recordEvery?: number;
}

/** What {@linkcode trainDeepNetwork} returns. */
export interface DeepTrainingResult {
  /** The trained network (a new object: the input network is not modified). */
  network: DeepNetwork;
  /** The mean (noisy-label) training loss of each window of `recordEvery` steps. */
  losses: Float64Array;
  /** True when the loss or the weights became non-finite; training then stopped. */
  diverged: boolean;
  /** The steps taken. */
  steps: number;
}

/**
 * Trains a deep network on labelled images with plain SGD, θ ← θ − λ∇L_batch (no momentum, no weight decay, as in §4.4
 * / App. B.4), or with Adam (Kingma & Ba 2014, bias-corrected), on the mean softmax cross-entropy of batches of S
 * images drawn uniformly with replacement, with label noise: with probability `labelNoise` an image's label is replaced
 * by a uniformly random class (which may be the true one, so the fraction of wrong labels is noise·9/10) — afresh at
 * every step ("dynamic", the paper's setting) or once before training ("static", Figure 11).
 *
 * Deterministic: the same settings give the same network bit for bit (plain f64 arithmetic in a fixed order). A run
 * whose loss or weights become non-finite stops and reports `diverged: true`.
 *
 * @example A few hundred steps learn the digits well above chance
 * ```ts
 * import { createDeepNetwork, evaluateDeepNetwork, loadMnist, trainDeepNetwork } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const { train, test } = await loadMnist({ pool: 2, trainSize: 3000 });
 * const net = createDeepNetwork([196, 32, 10], { seed: 1 });
 * const trained = trainDeepNetwork(net, train, { learningRate: 0.1, steps: 300, seed: 1 });
 * assert.ok(evaluateDeepNetwork(trained.network, test).accuracy > 0.7);
 * ```
 *
 * @param network The initial network (not modified).
 * @param data The training images and labels.
 * @param options Optimizer, learning rate, batch size, steps, label noise and seed.
 * @returns The trained network and its loss history.
 */
export function trainDeepNetwork(
  network: DeepNetwork,
  data: ImageDataset,
  options: TrainDeepNetworkOptions = {},
): DeepTrainingResult {
  const fn = "trainDeepNetwork";
  const sizes = checkNetwork(fn, "network", network);
  const C = sizes[sizes.length - 1];
  const d = checkDataset(fn, "data", data, sizes[0], C);
  const o = check.options(fn, options);
  const lr = check.learningRate(fn, "options.learningRate", o.learningRate ?? 0.1);
  const optimizer = check.oneOf(fn, "options.optimizer", o.optimizer ?? "sgd", ["sgd", "adam"] as const);
  const beta1 = check.finiteNumber(fn, "options.beta1", o.beta1 ?? 0.9);
  const beta2 = check.finiteNumber(fn, "options.beta2", o.beta2 ?? 0.999);
  const eps = check.positiveNumber(fn, "options.epsilon", o.epsilon ?? 1e-8);
  for (const [name, b] of [["beta1", beta1], ["beta2", beta2]] as const) {
    if (b < 0 || b >= 1) throw new RangeError(`Invalid options.${name} in ${fn}: expected 0 <= β < 1; received ${b}.`);
  }
  const S = check.integerInRange(fn, "options.batchSize", o.batchSize ?? 32, 1, 1 << 16);
  const steps = check.integerInRange(fn, "options.steps", o.steps ?? 2000, 0);
  const noise = check.finiteNumber(fn, "options.labelNoise", o.labelNoise ?? 0);
  if (noise < 0 || noise > 1) {
    throw new RangeError(`Invalid options.labelNoise in ${fn}: expected a probability in [0, 1]; received ${noise}.`);
  }
  const kind = check.oneOf(fn, "options.noiseKind", o.noiseKind ?? "dynamic", ["dynamic", "static"] as const);
  const relabel = check.oneOf(fn, "options.relabel", o.relabel ?? "uniform", ["uniform", "other"] as const);
  const sampling = check.oneOf(fn, "options.sampling", o.sampling ?? "epoch", ["epoch", "replacement"] as const);
  const seed = check.seed(fn, "options.seed", o.seed ?? 0);
  const every = check.integerInRange(fn, "options.recordEvery", o.recordEvery ?? 100, 1);

  const params = network.weights.reduce((n, w, l) => n + w.length + network.biases[l].length + 8, 0);
  const wasm = deepWasmEnabled()
    ? new WasmDeepKernel(sizes, network.activation, S, params * (optimizer === "adam" ? 3 : 1))
    : undefined;
  // With WebAssembly the weights being trained live in the kernel's memory (copied out at the end).
  const net = wasm ? wasm.adopt(network) : copyNetwork(network);
  const k = wasm ?? new DeepKernel(sizes, net.activation, S);
  const zeros = (n: number) => wasm ? wasm.zeros(n) : new Float64Array(n);
  const batches = new Rng(`${seed}/batches`);
  const noiseRng = new Rng(`${seed}/noise`);
  const newLabel = (y: number) => relabel === "uniform" ? noiseRng.index(C) : (y + 1 + noiseRng.index(C - 1)) % C;
  let labels = d.labels;
  if (kind === "static" && noise > 0) {
    labels = d.labels.slice();
    for (let i = 0; i < labels.length; i++) if (noiseRng.uniform() < noise) labels[i] = newLabel(labels[i]);
  }
  const rows = new Int32Array(S);
  const order = Int32Array.from({ length: d.count }, (_, i) => i);
  let position = d.count; // start with a shuffle
  const drawBatch = () => {
    if (sampling === "replacement") {
      batches.fillIndices(rows, d.count);
      return;
    }
    for (let s = 0; s < S; s++) {
      if (position === d.count) {
        for (let i = d.count - 1; i > 0; i--) {
          const j = batches.index(i + 1);
          const t = order[i];
          order[i] = order[j];
          order[j] = t;
        }
        position = 0;
      }
      rows[s] = order[position++];
    }
  };
  const batchLabels = new Uint8Array(S);
  const adam = optimizer === "adam"
    ? {
      mW: net.weights.map((w) => zeros(w.length)),
      vW: net.weights.map((w) => zeros(w.length)),
      mB: net.biases.map((b) => zeros(b.length)),
      vB: net.biases.map((b) => zeros(b.length)),
    }
    : undefined;
  // Adam's update: in WebAssembly on the kernel's memory, else the JS loop (the same operations in the same order).
  const adamUpdate = wasm ? wasm.adam.bind(wasm) : adamStep;
  const losses = new Float64Array(Math.ceil(steps / every));
  let windowLoss = 0, taken = 0, diverged = false;
  for (let t = 0; t < steps; t++) {
    drawBatch();
    for (let s = 0; s < S; s++) {
      batchLabels[s] = kind === "dynamic" && noise > 0 && noiseRng.uniform() < noise
        ? newLabel(labels[rows[s]])
        : labels[rows[s]];
    }
    k.loadBatch(d.images, rows, S);
    k.forward(net, S);
    const loss = k.softmaxError(batchLabels, S);
    if (!Number.isFinite(loss)) {
      diverged = true;
      break;
    }
    if (wasm && !adam) {
      wasm.backwardSgd(net, S, lr); // the backward pass and the SGD update in one sweep
    } else if (adam) {
      k.backward(net, S);
      const c1 = 1 / (1 - Math.pow(beta1, t + 1)), c2 = 1 / (1 - Math.pow(beta2, t + 1));
      for (let l = 0; l < net.weights.length; l++) {
        adamUpdate(net.weights[l], k.gradW[l], adam.mW[l], adam.vW[l], lr, beta1, beta2, eps, c1, c2);
        adamUpdate(net.biases[l], k.gradB[l], adam.mB[l], adam.vB[l], lr, beta1, beta2, eps, c1, c2);
      }
    } else {
      k.backward(net, S);
      for (let l = 0; l < net.weights.length; l++) {
        const w = net.weights[l], g = k.gradW[l];
        for (let j = 0; j < w.length; j++) w[j] -= lr * g[j];
        const b = net.biases[l], gb = k.gradB[l];
        for (let j = 0; j < b.length; j++) b[j] -= lr * gb[j];
      }
    }
    taken = t + 1;
    windowLoss += loss;
    if (taken % every === 0 || taken === steps) {
      losses[Math.floor((taken - 1) / every)] = windowLoss / (taken % every === 0 ? every : taken % every);
      windowLoss = 0;
    }
  }
  if (!diverged) {
    outer: for (let l = 0; l < net.weights.length; l++) {
      for (const a of [net.weights[l], net.biases[l]]) {
        for (let j = 0; j < a.length; j++) {
          if (!Number.isFinite(a[j])) {
            diverged = true;
            break outer;
          }
        }
      }
    }
  }
  return {
    network: wasm ? copyNetwork(net) : net,
    losses: diverged ? losses.slice(0, Math.floor(taken / every)) : losses,
    diverged,
    steps: taken,
  };
}

/** Options of {@linkcode layerSparsity}. */
export interface LayerSparsityOptions {
  /** A weight counts as ≈ 0 when |w| < threshold. @default 1e-3 */
  threshold?: number;
}

/**
 * The sparsity of each layer of a deep network (App. B.4, Figures 9–10): the fraction of its weights (biases excluded)
 * with |w| < threshold.
 *
 * @example
 * ```ts
 * import { createDeepNetwork, layerSparsity } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const net = createDeepNetwork([100, 50, 10], { seed: 1 });
 * net.weights[1].fill(0, 0, 250); // half of the last layer
 * const s = layerSparsity(net);
 * assert.equal(s[1], 0.5);
 * assert.ok(s[0] < 0.02);
 * ```
 *
 * @param network The network.
 * @param options The threshold.
 * @returns One fraction per layer, first layer first.
 */
export function layerSparsity(network: DeepNetwork, options: LayerSparsityOptions = {}): number[] {
  const fn = "layerSparsity";
  checkNetwork(fn, "network", network);
  const o = check.options(fn, options);
  const threshold = check.positiveNumber(fn, "options.threshold", o.threshold ?? 1e-3);
  return network.weights.map((w) => {
    let n = 0;
    for (let j = 0; j < w.length; j++) if (Math.abs(w[j]) < threshold) n++;
    return n / w.length;
  });
}

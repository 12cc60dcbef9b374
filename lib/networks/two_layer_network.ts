/**
 * Two-layer networks f(x) = U σ(W x) with MSE loss ℓ = ½‖f(x) − y‖² (§4.2–4.4), trained by SGD or Adam with exact
 * gradients (no allocation per step): by the float64 WebAssembly SIMD kernels of `network_wasm.ts` where the runtime
 * has WebAssembly SIMD, else by the plain-JS reference kernel {@linkcode JsNetworkKernel} (see {@linkcode
 * NetworkKernel}). The scaled tanh σ(z) = tanh(κz)/κ (`activationScale` κ ≠ 1) runs on the JS kernel only.
 *
 * @module
 */

import { type Activation, checkActivation, checkActivationScale } from "./activations.ts";
import { acquireWasmKernel, releaseWasmKernel } from "./wasm/kernel_pool.ts";
import { wasmNetworkAvailable, type WasmNetworkKernel } from "./wasm/network_wasm.ts";
import { Rng } from "../core/random.ts";
import * as check from "../core/validate.ts";

/** A network f(x) = U σ(W x): W is hidden × inputs, U is outputs × hidden, both row-major. */
export interface TwoLayerNetwork {
  /** The input dimension. */
  inputs: number;
  /** The number of hidden units. */
  hidden: number;
  /** The output dimension. */
  outputs: number;
  /** The activation σ. */
  activation: Activation;
  /**
   * The scale κ of a scaled tanh σ(z) = tanh(κz)/κ (`activation: "tanh"` only); absent or 1: the plain activation.
   * Networks with κ ≠ 1 train on the JS reference kernel (the WebAssembly kernels have no scaled tanh).
   */
  activationScale?: number;
  /** The first layer, hidden × inputs, row-major. */
  W: Float64Array;
  /** The last layer, outputs × hidden, row-major. */
  U: Float64Array;
}

/** Options of {@linkcode createTwoLayerNetwork}. */
export interface TwoLayerNetworkOptions {
  /** The input dimension. */
  inputs: number;
  /** The number of hidden units. @default inputs */
  hidden?: number;
  /** The output dimension. @default inputs */
  outputs?: number;
  /** The activation. @default "linear" */
  activation?: Activation;
  /**
   * The scale κ > 0 of a scaled tanh σ(z) = tanh(κz)/κ (slope 1 at 0, cubic term −κ²z³/3; the linear network as κ →
   * 0): `activation: "tanh"` only. Given, it is stored on the network as `activationScale`; κ ≠ 1 trains on the JS
   * reference kernel, κ = 1 is `"tanh"` exactly. @default 1
   */
  activationScale?: number;
  /** The standard deviation of the initial weights (small: near the saddle at the origin). @default 1e-3 */
  initScale?: number;
  /** The seed of the initial weights. @default 0 */
  seed?: number | string;
}

/**
 * A network with i.i.d. N(0, initScale²) weights (seeded): small weights start near the rank-0 saddle at the origin, as
 * in §4.4.
 *
 * @example A 3 → 4 → 2 tanh network
 * ```ts
 * import { createTwoLayerNetwork } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const net = createTwoLayerNetwork({ inputs: 3, hidden: 4, outputs: 2, activation: "tanh", seed: 1 });
 * assert.equal(net.W.length, 12);
 * assert.equal(net.U.length, 8);
 * ```
 *
 * @example A scaled tanh σ(z) = tanh(0.1 z)/0.1: the same weights, a nearly linear network
 * ```ts
 * import { createTwoLayerNetwork, networkOutput } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const net = createTwoLayerNetwork({ inputs: 2, activation: "tanh", activationScale: 0.1, initScale: 1, seed: 1 });
 * const linear = { ...createTwoLayerNetwork({ inputs: 2, initScale: 1, seed: 1 }) };
 * const [a, b] = [networkOutput(net, [1, -1]), networkOutput(linear, [1, -1])];
 * assert.equal(net.activationScale, 0.1);
 * assert.ok(Math.abs(a[0] - b[0]) < 0.1 * Math.abs(b[0]) + 1e-3);
 * ```
 *
 * @param options Sizes, activation, initial scale and seed.
 * @returns A new network.
 */
export function createTwoLayerNetwork(options: TwoLayerNetworkOptions): TwoLayerNetwork {
  const fn = "createTwoLayerNetwork";
  const o = check.options(fn, options);
  const inputs = check.integerInRange(fn, "options.inputs", o.inputs);
  const hidden = check.integerInRange(fn, "options.hidden", o.hidden ?? inputs);
  const outputs = check.integerInRange(fn, "options.outputs", o.outputs ?? inputs);
  check.sizeLimit(fn, "options.hidden", hidden * (inputs + outputs), "the weights W and U");
  const act = checkActivation(fn, "options.activation", o.activation ?? "linear");
  const kappa = o.activationScale === undefined
    ? undefined
    : checkActivationScale(fn, "options.activationScale", o.activationScale, act);
  const scale = check.learningRate(fn, "options.initScale", o.initScale ?? 1e-3);
  const seed = check.seed(fn, "options.seed", o.seed ?? 0);
  const rng = Rng.stream(seed, 0);
  const W = Float64Array.from({ length: hidden * inputs }, () => scale * rng.normal());
  const U = Float64Array.from({ length: outputs * hidden }, () => scale * rng.normal());
  return kappa === undefined
    ? { inputs, hidden, outputs, activation: act, W, U }
    : { inputs, hidden, outputs, activation: act, activationScale: kappa, W, U };
}

function checkNetwork(fn: string, net: TwoLayerNetwork): void {
  if (net !== null && typeof net === "object" && "W" in net && "inputs" in net) {
    check.integerInRange(fn, "net.inputs", net.inputs);
    check.integerInRange(fn, "net.hidden", net.hidden);
    check.integerInRange(fn, "net.outputs", net.outputs);
    checkActivation(fn, "net.activation", net.activation);
    for (const key of ["W", "U"] as const) {
      const a = net[key];
      if (!(a instanceof Float64Array)) {
        throw new TypeError(`Invalid net.${key} in ${fn}: expected a Float64Array; received ${check.describe(a)}.`);
      }
      for (let i = 0; i < a.length; i++) {
        if (!Number.isFinite(a[i])) {
          throw new RangeError(`Invalid net.${key} in ${fn}: expected finite weights; received ${a[i]} at index ${i}.`);
        }
      }
    }
  }
  if (
    net === null || typeof net !== "object" || !(net.W instanceof Float64Array) || !(net.U instanceof Float64Array) ||
    net.W.length !== net.hidden * net.inputs || net.U.length !== net.outputs * net.hidden
  ) {
    throw new TypeError(
      `Invalid net in ${fn}: expected a network from createTwoLayerNetwork; received ${check.describe(net)}.`,
    );
  }
  if (net.activationScale !== undefined) {
    checkActivationScale(fn, "net.activationScale", net.activationScale, net.activation);
  }
}

/** True for a scaled tanh with κ ≠ 1 (the JS kernel only). */
function isScaled(net: TwoLayerNetwork): boolean {
  return net.activationScale !== undefined && net.activationScale !== 1;
}

/** σ and σ′ of a vector, one switch per call. Internal. */
function activate(name: Activation, z: Float64Array, a: Float64Array, d: Float64Array, n: number): void {
  switch (name) {
    case "linear":
      for (let i = 0; i < n; i++) {
        a[i] = z[i];
        d[i] = 1;
      }
      break;
    case "tanh":
      for (let i = 0; i < n; i++) {
        const t = Math.tanh(z[i]);
        a[i] = t;
        d[i] = 1 - t * t;
      }
      break;
    case "relu":
      for (let i = 0; i < n; i++) {
        const v = z[i];
        a[i] = v > 0 ? v : 0;
        d[i] = v > 0 ? 1 : 0;
      }
      break;
    case "swish":
      for (let i = 0; i < n; i++) {
        const v = z[i];
        const s = 1 / (1 + Math.exp(-v));
        a[i] = v * s;
        d[i] = s + v * s * (1 - s);
      }
      break;
  }
}

/** σ and σ′ of the scaled tanh σ(z) = tanh(κz)/κ of a vector. Internal. */
function activateScaledTanh(kappa: number, z: Float64Array, a: Float64Array, d: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const t = Math.tanh(kappa * z[i]);
    a[i] = t / kappa;
    d[i] = 1 - t * t;
  }
}

/**
 * The plain-JS reference kernel: the forward and backward pass of one network with preallocated buffers, per-sample or
 * batch-mean gradients, SGD and Adam updates, on `net.W` and `net.U` in place. One sample at a time: two matrix–vector
 * products forward and two rank-one updates backward; at batch size 1 SGD fuses the update into the backward pass.
 * {@linkcode NetworkKernel} uses it when WebAssembly SIMD is unavailable (or on request); the tests compare the
 * WebAssembly kernels with it. Internal class.
 */
export class JsNetworkKernel {
  /** Pre-activations W x of the last sample. */
  readonly z: Float64Array;
  /** Activations σ(z). */
  readonly a: Float64Array;
  /** Derivatives σ′(z). */
  readonly d: Float64Array;
  /** Back-propagated Uᵀr. */
  readonly ga: Float64Array;
  /** Residuals f − y. */
  readonly r: Float64Array;
  /** The gradient with respect to W (after {@linkcode JsNetworkKernel.gradient}). */
  readonly gW: Float64Array;
  /** The gradient with respect to U. */
  readonly gU: Float64Array;
  private mW: Float64Array | undefined;
  private vW: Float64Array | undefined;
  private mU: Float64Array | undefined;
  private vU: Float64Array | undefined;
  private t = 0;

  /**
   * Allocates the buffers for one network.
   *
   * @param net The network (its W and U are updated in place).
   */
  constructor(readonly net: TwoLayerNetwork) {
    this.z = new Float64Array(net.hidden);
    this.a = new Float64Array(net.hidden);
    this.d = new Float64Array(net.hidden);
    this.ga = new Float64Array(net.hidden);
    this.r = new Float64Array(net.outputs);
    this.gW = new Float64Array(net.W.length);
    this.gU = new Float64Array(net.U.length);
  }

  /** Forward pass for sample `x` (at offset `xo`): fills z, a, d, and r = f − y; returns ½‖r‖². */
  forward(x: Float64Array, xo: number, y: Float64Array, yo: number): number {
    const { inputs: n, hidden: h, outputs: o, W, U } = this.net;
    const { z, a, r } = this;
    for (let i = 0; i < h; i++) {
      let s = 0;
      const wo = i * n;
      for (let j = 0; j < n; j++) s += W[wo + j] * x[xo + j];
      z[i] = s;
    }
    const kappa = this.net.activationScale;
    if (kappa === undefined || kappa === 1) activate(this.net.activation, z, a, this.d, h);
    else activateScaledTanh(kappa, z, a, this.d, h);
    let loss = 0;
    for (let k = 0; k < o; k++) {
      let s = 0;
      const uo = k * h;
      for (let i = 0; i < h; i++) s += U[uo + i] * a[i];
      const rk = s - y[yo + k];
      r[k] = rk;
      loss += rk * rk;
    }
    return loss / 2;
  }

  /** One fused SGD step on one sample: U ← U − λ r aᵀ, W ← W − λ (Uᵀr ⊙ σ′) xᵀ (with the old U). */
  sgdSample(x: Float64Array, xo: number, y: Float64Array, yo: number, lambda: number): number {
    const loss = this.forward(x, xo, y, yo);
    const { inputs: n, hidden: h, outputs: o, W, U } = this.net;
    const { a, d, ga, r } = this;
    ga.fill(0);
    for (let k = 0; k < o; k++) {
      const rk = r[k];
      if (rk === 0) continue;
      const c = lambda * rk;
      const uo = k * h;
      for (let i = 0; i < h; i++) {
        ga[i] += U[uo + i] * rk;
        U[uo + i] -= c * a[i];
      }
    }
    for (let i = 0; i < h; i++) {
      const g = lambda * ga[i] * d[i];
      if (g === 0) continue;
      const wo = i * n;
      for (let j = 0; j < n; j++) W[wo + j] -= g * x[xo + j];
    }
    return loss;
  }

  /** Accumulates the gradient of ½‖f − y‖² for one sample into gW, gU (scaled by `weight`). */
  accumulate(x: Float64Array, xo: number, y: Float64Array, yo: number, weight: number): number {
    const loss = this.forward(x, xo, y, yo);
    const { inputs: n, hidden: h, outputs: o, U } = this.net;
    const { a, d, ga, r, gW, gU } = this;
    ga.fill(0);
    for (let k = 0; k < o; k++) {
      const rk = r[k];
      const uo = k * h;
      const c = weight * rk;
      for (let i = 0; i < h; i++) {
        ga[i] += U[uo + i] * rk;
        gU[uo + i] += c * a[i];
      }
    }
    for (let i = 0; i < h; i++) {
      const g = weight * ga[i] * d[i];
      if (g === 0) continue;
      const wo = i * n;
      for (let j = 0; j < n; j++) gW[wo + j] += g * x[xo + j];
    }
    return loss;
  }

  /**
   * The batch-mean gradient of S samples (rows of X and Y) into gW, gU, times `scale` (the loss convention: 1 for ½‖f −
   * y‖², 2/outputs for ‖f − y‖²/outputs); returns the mean loss in the same convention.
   */
  gradient(X: Float64Array, Y: Float64Array, S: number, scale = 1): number {
    this.gW.fill(0);
    this.gU.fill(0);
    let loss = 0;
    for (let b = 0; b < S; b++) loss += this.accumulate(X, b * this.net.inputs, Y, b * this.net.outputs, scale / S);
    return (scale * loss) / S;
  }

  /** One optimizer step on a batch (loss scaled by `scale`, see gradient); returns its mean loss before the step. */
  step(
    X: Float64Array,
    Y: Float64Array,
    S: number,
    lambda: number,
    optimizer: "sgd" | "adam",
    adam: AdamSettings,
    scale = 1,
  ): number {
    if (optimizer === "sgd" && S === 1) return scale * this.sgdSample(X, 0, Y, 0, lambda * scale);
    const loss = this.gradient(X, Y, S, scale);
    const { W, U } = this.net;
    if (optimizer === "sgd") {
      for (let i = 0; i < W.length; i++) W[i] -= lambda * this.gW[i];
      for (let i = 0; i < U.length; i++) U[i] -= lambda * this.gU[i];
      return loss;
    }
    if (!this.mW) {
      this.mW = new Float64Array(W.length);
      this.vW = new Float64Array(W.length);
      this.mU = new Float64Array(U.length);
      this.vU = new Float64Array(U.length);
    }
    this.t++;
    const { beta1, beta2, epsilon } = adam;
    const c1 = 1 / (1 - Math.pow(beta1, this.t));
    const c2 = 1 / (1 - Math.pow(beta2, this.t));
    adamUpdate(W, this.gW, this.mW, this.vW!, lambda, beta1, beta2, epsilon, c1, c2);
    adamUpdate(U, this.gU, this.mU!, this.vU!, lambda, beta1, beta2, epsilon, c1, c2);
    return loss;
  }
}

/** Adam's hyperparameters. */
export interface AdamSettings {
  /** The decay of the first-moment average β₁. @default 0.9 */
  beta1: number;
  /** The decay of the second-moment average β₂. @default 0.999 */
  beta2: number;
  /** The denominator's ε. @default 1e-8 */
  epsilon: number;
}

function adamUpdate(
  p: Float64Array,
  g: Float64Array,
  m: Float64Array,
  v: Float64Array,
  lambda: number,
  b1: number,
  b2: number,
  eps: number,
  c1: number,
  c2: number,
) {
  for (let i = 0; i < p.length; i++) {
    const gi = g[i];
    const mi = b1 * m[i] + (1 - b1) * gi;
    const vi = b2 * v[i] + (1 - b2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] -= (lambda * (mi * c1)) / (Math.sqrt(vi * c2) + eps);
  }
}

/** Which implementation runs a {@linkcode NetworkKernel}: the WebAssembly SIMD kernels or the JS reference. */
export type NetworkBackend = "wasm" | "js";

let defaultBackend: "auto" | NetworkBackend = "auto";

/**
 * Sets the backend that {@linkcode trainTwoLayerNetwork} and {@linkcode networkGradient} (and every {@linkcode
 * NetworkKernel} constructed without a `backend` option) use: for tests and benchmarks that compare the WebAssembly
 * kernels with the JS reference. Internal (not exported from mod.ts).
 *
 * @param backend `"auto"` (the default), `"wasm"` or `"js"`.
 * @returns The previous setting.
 */
export function setNetworkBackend(backend: "auto" | NetworkBackend): "auto" | NetworkBackend {
  const previous = defaultBackend;
  defaultBackend = backend;
  return previous;
}

/** Options of {@linkcode NetworkKernel}. */
export interface NetworkKernelOptions {
  /**
   * `"auto"`: the WebAssembly SIMD kernels where the runtime supports WebAssembly SIMD, else the JS reference kernel;
   * `"wasm"` (throws if unsupported) or `"js"` to choose. @default "auto"
   */
  backend?: "auto" | NetworkBackend;
  /** The batch size the staging slots hold at first (they grow on demand in `step`). @default 1 */
  maxBatch?: number;
  /** Allocate Adam's buffers at once (else on the first Adam step). @default false */
  adam?: boolean;
}

/**
 * The kernel behind {@linkcode trainTwoLayerNetwork} and {@linkcode networkGradient}: one SGD or Adam step on a batch,
 * or the exact gradient, for one network, without allocation per step. Internal class.
 *
 * Backends: where WebAssembly SIMD is available (checked once with `WebAssembly.validate` on a tiny SIMD module), the
 * float64 WebAssembly SIMD kernels of `network_wasm.ts` — register-tiled f64x2 products, vectorized tanh and swish, at
 * S = 1 a fused pass over U and a rank-one pass over W that can also compute the next sample's W x′ (look-ahead, used
 * by the staged API); multiply and add kept separate (no relaxed-SIMD FMA) so results are the same on every machine.
 * Otherwise, and always for a scaled tanh (`activationScale` ≠ 1, which the WebAssembly kernels do not implement),
 * {@linkcode JsNetworkKernel}, the reference. The two agree up to floating-point rounding (the sums are
 * ordered differently and the SIMD tanh and exp are within a few ulp of Math.tanh and Math.exp).
 *
 * Weights: the JS backend updates `net.W` and `net.U` in place; the WebAssembly backend keeps them (padded to multiples
 * of 8) in its own memory, so call {@linkcode NetworkKernel.load} after changing `net.W` or `net.U` and {@linkcode
 * NetworkKernel.store} before reading them (both are no-ops for the JS backend).
 *
 * Batches: {@linkcode NetworkKernel.step} copies a batch in; the staged API ({@linkcode NetworkKernel.stagedX},
 * {@linkcode NetworkKernel.stagedY}, {@linkcode NetworkKernel.stepStaged}) lets the caller write samples straight into
 * one of two slots (rows at stride `xStride` and `yStride`).
 */
export class NetworkKernel {
  /** The implementation in use. */
  readonly backend: NetworkBackend;
  /** The row stride of the staged inputs (`inputs`, padded to a multiple of 8 for the WebAssembly backend). */
  readonly xStride: number;
  /** The row stride of the staged targets (`outputs`, padded likewise). */
  readonly yStride: number;
  private readonly js: JsNetworkKernel | undefined;
  private wasm: WasmNetworkKernel | undefined;
  private jsX: Float64Array[] = [];
  private jsY: Float64Array[] = [];

  /**
   * Chooses the backend and loads the network's current weights.
   *
   * @param net The network (its current weights are loaded).
   * @param options The backend and the initial batch size.
   */
  constructor(readonly net: TwoLayerNetwork, options: NetworkKernelOptions = {}) {
    const want = options.backend ?? defaultBackend;
    const maxBatch = options.maxBatch ?? 1;
    if (want === "wasm" && !wasmNetworkAvailable()) {
      throw new Error("NetworkKernel: WebAssembly SIMD is not available in this runtime.");
    }
    // The WebAssembly kernels have no scaled tanh: such a network always runs on the JS reference kernel.
    if (options.backend === "wasm" && isScaled(net)) {
      throw new Error(
        "NetworkKernel: the WebAssembly kernels have no scaled tanh (activationScale ≠ 1); use the JS backend.",
      );
    }
    if (want !== "js" && !isScaled(net) && wasmNetworkAvailable()) {
      try {
        const k = acquireWasmKernel(net, maxBatch);
        if (options.adam) k.reserveAdam();
        k.setWeights(net.W, net.U);
        this.wasm = k;
      } catch (e) {
        // A network too large for a WebAssembly memory (4 GiB) runs on the JS kernel, unless asked otherwise.
        if (want === "wasm" || !(e instanceof RangeError)) throw e;
      }
    }
    this.backend = this.wasm ? "wasm" : "js";
    if (this.wasm) {
      this.xStride = this.wasm.xStride;
      this.yStride = this.wasm.yStride;
    } else {
      this.js = new JsNetworkKernel(net);
      this.xStride = net.inputs;
      this.yStride = net.outputs;
      this.reserveJs(maxBatch);
    }
  }

  /** Makes the JS backend's staging slots hold batches of `S`. */
  private reserveJs(S: number): void {
    if (this.jsX.length > 0 && this.jsX[0].length >= S * this.xStride) return;
    this.jsX = [0, 1].map(() => new Float64Array(S * this.xStride));
    this.jsY = [0, 1].map(() => new Float64Array(S * this.yStride));
  }

  /**
   * Hands the WebAssembly kernel back to a small pool for the next kernel of the same shape (instantiating one costs
   * ~0.1 ms); this kernel must not be used afterwards. Optional (without it the kernel is simply garbage-collected); a
   * no-op for the JS backend.
   */
  release(): void {
    if (this.wasm) releaseWasmKernel(this.wasm);
    this.wasm = undefined;
  }

  /** Copies `net.W` and `net.U` into the kernel (WebAssembly backend; clears Adam's state there). */
  load(): void {
    this.wasm?.setWeights(this.net.W, this.net.U);
  }

  /** Copies the kernel's weights into `net.W` and `net.U` (WebAssembly backend). */
  store(): void {
    this.wasm?.getWeights(this.net.W, this.net.U);
  }

  /** Allocates Adam's buffers now (before taking staged views: allocating may move them). */
  reserveAdam(): void {
    this.wasm?.reserveAdam();
  }

  /**
   * The staged inputs of `slot` (0 or 1): rows of `xStride` values, of which the caller writes columns 0…inputs−1 of
   * rows 0…S−1 (the rest must stay 0). A view valid until the slots grow (a `step` with a larger batch) or Adam's
   * buffers are allocated.
   *
   * @param slot 0 or 1.
   * @returns The writable view.
   */
  stagedX(slot: 0 | 1): Float64Array {
    return this.wasm ? this.wasm.stagedX(slot) : this.jsX[slot];
  }

  /**
   * The staged targets of `slot`, as {@linkcode NetworkKernel.stagedX} with `yStride` and `outputs`.
   *
   * @param slot 0 or 1.
   * @returns The writable view.
   */
  stagedY(slot: 0 | 1): Float64Array {
    return this.wasm ? this.wasm.stagedY(slot) : this.jsY[slot];
  }

  /**
   * One optimizer step on the S samples staged in `slot` (S at most the `maxBatch` the slots were made for).
   *
   * @param slot The staged batch.
   * @param S The batch size.
   * @param lambda The learning rate.
   * @param optimizer `"sgd"` or `"adam"`.
   * @param adam Adam's hyperparameters.
   * @param scale The loss scale (1 for ½‖f − y‖², 2/outputs for ‖f − y‖²/outputs).
   * @param nextSlot SGD at S = 1, WebAssembly backend: the slot where the next step's sample is already
   *   staged, so that this step's pass over W also computes its W x′ (that slot must not change before the
   *   next step); −1 if unknown.
   * @returns The batch's mean loss before the step (times `scale`).
   */
  stepStaged(
    slot: 0 | 1,
    S: number,
    lambda: number,
    optimizer: "sgd" | "adam",
    adam: AdamSettings,
    scale = 1,
    nextSlot = -1,
  ): number {
    if (this.wasm) {
      const loss = optimizer === "sgd"
        ? this.wasm.sgd(slot, S, lambda * scale, S === 1 ? nextSlot : -1)
        : this.wasm.adam(slot, S, lambda, adam, scale);
      return (scale * loss) / S;
    }
    return this.js!.step(this.jsX[slot], this.jsY[slot], S, lambda, optimizer, adam, scale);
  }

  /**
   * One optimizer step on a batch (rows of X and Y); the semantics of {@linkcode JsNetworkKernel.step}.
   *
   * @param X Inputs, S × inputs, row-major.
   * @param Y Targets, S × outputs, row-major.
   * @param S The batch size.
   * @param lambda The learning rate.
   * @param optimizer `"sgd"` or `"adam"`.
   * @param adam Adam's hyperparameters.
   * @param scale The loss scale (1 for ½‖f − y‖², 2/outputs for ‖f − y‖²/outputs).
   * @returns The batch's mean loss before the step (times `scale`).
   */
  step(
    X: Float64Array,
    Y: Float64Array,
    S: number,
    lambda: number,
    optimizer: "sgd" | "adam",
    adam: AdamSettings,
    scale = 1,
  ): number {
    if (!this.wasm) return this.js!.step(X, Y, S, lambda, optimizer, adam, scale);
    this.wasm.stage(0, X, Y, S);
    return this.stepStaged(0, S, lambda, optimizer, adam, scale);
  }

  /**
   * The gradient of the batch-mean loss (times `scale`) over N samples.
   *
   * @param X Inputs, N × inputs, row-major.
   * @param Y Targets, N × outputs, row-major.
   * @param N The number of samples.
   * @param scale The loss scale.
   * @param gW Receives ∂L/∂W (hidden × inputs).
   * @param gU Receives ∂L/∂U (outputs × hidden).
   * @returns The mean loss (times `scale`).
   */
  gradient(X: Float64Array, Y: Float64Array, N: number, scale: number, gW: Float64Array, gU: Float64Array): number {
    if (this.wasm) return this.wasm.gradient(X, Y, N, scale, gW, gU);
    const loss = this.js!.gradient(X, Y, N, scale);
    gW.set(this.js!.gW);
    gU.set(this.js!.gU);
    return loss;
  }
}

/**
 * The output f(x) = U σ(W x) of a network for one input.
 *
 * @example A linear network is the product UW
 * ```ts
 * import { networkOutput } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const net = { inputs: 1, hidden: 1, outputs: 1, activation: "linear" as const, W: Float64Array.of(2), U: Float64Array.of(3) };
 * assert.deepEqual(Array.from(networkOutput(net, [1.5])), [9]);
 * ```
 *
 * @param net The network.
 * @param x An input of length `net.inputs`.
 * @returns f(x), a new array of length `net.outputs`.
 */
export function networkOutput(net: TwoLayerNetwork, x: ArrayLike<number>): Float64Array {
  const fn = "networkOutput";
  checkNetwork(fn, net);
  const xs = check.finiteArray(fn, "x", x);
  if (xs.length !== net.inputs) {
    throw new RangeError(`Invalid x in ${fn}: expected length ${net.inputs}; received length ${xs.length}.`);
  }
  const k = new JsNetworkKernel(net);
  const zero = new Float64Array(net.outputs);
  k.forward(xs, 0, zero, 0);
  return Float64Array.from(k.r);
}

/** Validates samples X and Y (named `${at}X` and `${at}Y` in messages): fresh copies and the number of rows. */
function readSamples(fn: string, net: TwoLayerNetwork, X: ArrayLike<number>, Y: ArrayLike<number>, at = "") {
  const x = check.finiteArray(fn, `${at}X`, X);
  const y = check.finiteArray(fn, `${at}Y`, Y);
  if (x.length % net.inputs !== 0) {
    throw new RangeError(
      `Invalid ${at}X in ${fn}: expected N × ${net.inputs} values (row-major); received ${x.length}.`,
    );
  }
  const n = x.length / net.inputs;
  if (y.length !== n * net.outputs) {
    throw new RangeError(
      `Invalid ${at}Y in ${fn}: expected ${n} × ${net.outputs} values (row-major); received ${y.length}.`,
    );
  }
  return { x, y, n };
}

/**
 * The mean loss (1/N)·Σᵢ ½‖f(xᵢ) − yᵢ‖² over N samples (rows of X and Y).
 *
 * @example
 * ```ts
 * import { networkLoss } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const net = { inputs: 1, hidden: 1, outputs: 1, activation: "linear" as const, W: Float64Array.of(1), U: Float64Array.of(1) };
 * assert.equal(networkLoss(net, [1, 2], [0, 0]), (1 + 4) / 4);
 * ```
 *
 * @param net The network.
 * @param X Inputs, N × inputs, row-major.
 * @param Y Targets, N × outputs, row-major.
 * @returns The mean loss.
 */
export function networkLoss(net: TwoLayerNetwork, X: ArrayLike<number>, Y: ArrayLike<number>): number {
  const fn = "networkLoss";
  checkNetwork(fn, net);
  const { x, y, n } = readSamples(fn, net, X, Y);
  const k = new JsNetworkKernel(net);
  let s = 0;
  for (let i = 0; i < n; i++) s += k.forward(x, i * net.inputs, y, i * net.outputs);
  return s / n;
}

/**
 * The exact gradient of the mean loss over N samples with respect to W and U (backpropagation).
 *
 * @example Checked against a finite difference
 * ```ts
 * import { networkGradient, networkLoss } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const net = { inputs: 1, hidden: 1, outputs: 1, activation: "tanh" as const, W: Float64Array.of(0.7), U: Float64Array.of(-1.2) };
 * const g = networkGradient(net, [0.5, -1], [0.3, 0.2]);
 * const e = 1e-6, up = { ...net, W: Float64Array.of(0.7 + e) }, down = { ...net, W: Float64Array.of(0.7 - e) };
 * const fd = (networkLoss(up, [0.5, -1], [0.3, 0.2]) - networkLoss(down, [0.5, -1], [0.3, 0.2])) / (2 * e);
 * assert.ok(Math.abs(g.W[0] - fd) < 1e-8);
 * ```
 *
 * @param net The network.
 * @param X Inputs, N × inputs, row-major.
 * @param Y Targets, N × outputs, row-major.
 * @returns `{ W, U }`: new arrays shaped like the network's.
 */
export function networkGradient(
  net: TwoLayerNetwork,
  X: ArrayLike<number>,
  Y: ArrayLike<number>,
): { W: Float64Array; U: Float64Array } {
  const fn = "networkGradient";
  checkNetwork(fn, net);
  const { x, y, n } = readSamples(fn, net, X, Y);
  const W = new Float64Array(net.W.length);
  const U = new Float64Array(net.U.length);
  const k = new NetworkKernel(net, { maxBatch: Math.min(n, 64) });
  k.gradient(x, y, n, 1, W, U);
  k.release();
  return { W, U };
}

/** Options of {@linkcode trainTwoLayerNetwork}. */
export interface TrainingOptions {
  /** The learning rate λ ≥ 0. */
  lambda: number;
  /** The number of steps. */
  steps: number;
  /** The batch size S. @default 1 */
  batchSize?: number;
  /**
   * The per-sample loss: `"sum"` is ½‖f(x) − y‖² (the paper's 1-D convention); `"mean"` is ‖f(x) − y‖²/outputs
   * (PyTorch's `nn.MSELoss()` default), whose gradient is 2/outputs times smaller. @default "sum"
   */
  reduction?: "sum" | "mean";
  /** `"sgd"` or `"adam"` (Kingma & Ba 2014). @default "sgd" */
  optimizer?: "sgd" | "adam";
  /** Adam's β₁. @default 0.9 */
  beta1?: number;
  /** Adam's β₂. @default 0.999 */
  beta2?: number;
  /** Adam's ε. @default 1e-8 */
  epsilon?: number;
  /** Record the minibatch loss every this many steps (0: never). @default 0 */
  recordEvery?: number;
  /** The seed of the data stream. @default 0 */
  seed?: number | string;
}

/** Where the training data come from. */
export type TrainingData =
  /** The §4.4 task: at every step fresh x ~ N(0, I), y = μx + (1 − μ)ε, ε ~ N(0, σ²I) (outputs = inputs). */
  | { kind: "gaussian"; mu: number; noiseStd?: number }
  /** A finite dataset sampled with replacement: rows of X (N × inputs) and Y (N × outputs). */
  | { kind: "dataset"; X: ArrayLike<number>; Y: ArrayLike<number> };

/** The result of a training run. */
export interface TrainingResult {
  /** The trained network (a copy; the input network is not modified). */
  network: TwoLayerNetwork;
  /** The steps at which minibatch losses were recorded. */
  times: Float64Array;
  /** The recorded minibatch losses. */
  losses: Float64Array;
  /** True when the loss or the weights became non-finite (training stopped there). */
  diverged: boolean;
  /** The number of steps taken. */
  steps: number;
}

/**
 * Trains a copy of a two-layer network by SGD or Adam on the MSE loss (½‖f(x) − y‖² or ‖f(x) − y‖²/outputs), either on
 * the §4.4 task (fresh Gaussian samples every step) or on a finite dataset (batches drawn with replacement), with exact
 * gradients. Divergence (a non-finite loss or weight) stops training and is reported.
 *
 * Kernel ({@linkcode NetworkKernel}): float64 WebAssembly SIMD kernels built in memory (no file, no permission),
 * register-tiled f64x2 products over the whole batch, vectorized tanh/swish, and at batch size 1 a fused pass over U
 * and one pass over W that also computes the next sample's W x′ (drawn one step ahead, in the same order). Multiply and
 * add are separate IEEE operations (no fused multiply-add), so results are the same on every machine; they differ from
 * the plain-JS reference kernel (used where WebAssembly SIMD is unavailable) by rounding only, ~1e-15 in the weights
 * after 200 steps. Measured on 200 → 200 → 200 tanh (bench/compare_network.ts, 2-core AMD EPYC, Deno 2.9, best of 9):
 * one SGD step takes ~23 µs at batch size 1 (NumPy with SciPy's BLAS: ~29 µs, so 1.25–1.3× faster) and ~670 µs at batch
 * size 32 (NumPy: ~320 µs with OpenBLAS's AVX-512 FMA, so ~0.5×); the JS fallback ~110 µs and ~3,500 µs. Drawing the
 * §4.4 task's Gaussian data adds ~34 ns per number (~14 µs per step at batch size 1, ~450 µs at 32). Layer sizes are
 * padded internally to multiples of 8, which leaves the steps exactly unchanged. A scaled tanh (`activationScale` κ ≠ 1,
 * σ(z) = tanh(κz)/κ) always trains on the JS reference kernel, ~5× slower.
 *
 * @example A linear network learns y = x
 * ```ts
 * import { createTwoLayerNetwork, trainTwoLayerNetwork } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const net = createTwoLayerNetwork({ inputs: 2, activation: "linear", initScale: 0.3, seed: 1 });
 * const r = trainTwoLayerNetwork(net, { kind: "gaussian", mu: 1 }, { lambda: 0.05, steps: 3000, seed: 2, recordEvery: 100 });
 * assert.ok(r.losses[r.losses.length - 1] < 1e-3);
 * ```
 *
 * @param net The starting network (not modified).
 * @param data The §4.4 Gaussian task or a dataset.
 * @param options Learning rate, steps, batch size, optimizer, recording and seed.
 * @returns The trained network, the loss trace and whether it diverged.
 */
export function trainTwoLayerNetwork(
  net: TwoLayerNetwork,
  data: TrainingData,
  options: TrainingOptions,
): TrainingResult {
  const fn = "trainTwoLayerNetwork";
  checkNetwork(fn, net);
  const o = check.options(fn, options);
  const lambda = check.learningRate(fn, "options.lambda", o.lambda);
  const steps = check.integerInRange(fn, "options.steps", o.steps);
  const S = check.integerInRange(fn, "options.batchSize", o.batchSize ?? 1);
  const reduction = check.oneOf(fn, "options.reduction", o.reduction ?? "sum", ["sum", "mean"] as const);
  const scale = reduction === "sum" ? 1 : 2 / net.outputs;
  const optimizer = check.oneOf(fn, "options.optimizer", o.optimizer ?? "sgd", ["sgd", "adam"] as const);
  const adam = {
    beta1: check.learningRate(fn, "options.beta1", o.beta1 ?? 0.9),
    beta2: check.learningRate(fn, "options.beta2", o.beta2 ?? 0.999),
    epsilon: check.positiveNumber(fn, "options.epsilon", o.epsilon ?? 1e-8),
  };
  const every = check.integerInRange(fn, "options.recordEvery", o.recordEvery ?? 0, 0);
  const seed = check.seed(fn, "options.seed", o.seed ?? 0);
  if (data === null || typeof data !== "object") {
    throw new TypeError(
      `Invalid data in ${fn}: expected { kind: "gaussian", mu } or { kind: "dataset", X, Y }; received ${
        check.describe(data)
      }.`,
    );
  }
  check.oneOf(fn, "data.kind", data.kind, ["gaussian", "dataset"] as const);
  // The dataset's samples are checked before anything is allocated.
  const samples = data.kind === "dataset" ? readSamples(fn, net, data.X, data.Y, "data.") : undefined;
  const copy: TwoLayerNetwork = { ...net, W: Float64Array.from(net.W), U: Float64Array.from(net.U) };
  const kernel = new NetworkKernel(copy, { maxBatch: S, adam: optimizer === "adam" }); // no allocation later
  const rng = Rng.stream(seed, 0);
  const { inputs: n, outputs: nOut } = net;
  const { xStride, yStride } = kernel;
  const Xs = [kernel.stagedX(0), kernel.stagedX(1)];
  const Ys = [kernel.stagedY(0), kernel.stagedY(1)];
  // Fills slot `slot` with the next batch (rows at the kernel's strides; the draws in the order of the rows).
  let fill: (slot: 0 | 1) => void;
  if (data.kind === "gaussian") {
    if (net.outputs !== net.inputs) {
      throw new RangeError(
        `Invalid data in ${fn}: the Gaussian task needs outputs = inputs; received ${net.outputs} and ${net.inputs}.`,
      );
    }
    const mu = check.finiteNumber(fn, "data.mu", data.mu);
    const sigma = check.learningRate(fn, "data.noiseStd", data.noiseStd ?? 2);
    fill = (slot) => {
      const X = Xs[slot], Y = Ys[slot];
      for (let b = 0; b < S; b++) {
        const xo = b * xStride, yo = b * yStride;
        for (let j = 0; j < n; j++) {
          const x = rng.normal();
          X[xo + j] = x;
          Y[yo + j] = mu * x + (1 - mu) * sigma * rng.normal();
        }
      }
    };
  } else {
    const { x, y, n: rows } = samples!;
    const idx = new Int32Array(S);
    fill = (slot) => {
      const X = Xs[slot], Y = Ys[slot];
      rng.fillIndices(idx, rows);
      for (let b = 0; b < S; b++) {
        const xi = idx[b] * n, xo = b * xStride, yi = idx[b] * nOut, yo = b * yStride;
        for (let j = 0; j < n; j++) X[xo + j] = x[xi + j];
        for (let k = 0; k < nOut; k++) Y[yo + k] = y[yi + k];
      }
    };
  }
  // SGD at S = 1 on the WebAssembly backend: the next sample is drawn before this step's pass over W, which then also
  // computes its W x′ (the draws keep their order, so the data are the same).
  const lookahead = optimizer === "sgd" && S === 1 && kernel.backend === "wasm";
  const times: number[] = [];
  const losses: number[] = [];
  let diverged = false;
  let t = 0;
  let slot: 0 | 1 = 0;
  if (steps > 0) fill(0);
  for (; t < steps; t++) {
    let next: 0 | 1 | -1 = -1;
    if (lookahead) {
      if (t + 1 < steps) fill(next = slot === 0 ? 1 : 0);
    } else if (t > 0) fill(slot);
    const loss = kernel.stepStaged(slot, S, lambda, optimizer, adam, scale, next);
    if (every > 0 && t % every === 0) {
      times.push(t);
      losses.push(loss);
    }
    if (!Number.isFinite(loss)) {
      diverged = true;
      break;
    }
    if (next !== -1) slot = next;
  }
  kernel.store();
  kernel.release();
  if (!diverged && (!copy.W.every(Number.isFinite) || !copy.U.every(Number.isFinite))) diverged = true;
  return { network: copy, times: Float64Array.from(times), losses: Float64Array.from(losses), diverged, steps: t };
}

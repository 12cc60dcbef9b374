/**
 * Adapters that turn the toolkit's own models into {@linkcode DifferentiableModel}s with exact Hessian-vector products
 * (Pearlmutter's R-operator: forward-over-reverse differentiation of the back-propagation), for the stability probe.
 *
 * @module
 */

import { type Activation, activationValues } from "../networks/activations.ts";
import type { ScalarModel } from "../networks/scalar_network.ts";
import type { TwoLayerNetwork } from "../networks/two_layer_network.ts";
import { checkDataset, checkNetwork, DeepKernel, type DeepNetwork } from "../deep/deep_network.ts";
import type { ImageDataset } from "../deep/mnist.ts";
import * as check from "../core/validate.ts";
import type { DifferentiableModel } from "./model.ts";

/** A model with its current parameters, as the adapters return it. */
export interface AdaptedModel extends DifferentiableModel {
  /** The model's name, for error messages. */
  name: string;
  /** The hessianVectorProduct is always present (exact). */
  hessianVectorProduct(w: Float64Array, v: Float64Array, batch: Int32Array): Float64Array;
  /** The parameters of the adapted network, flattened in the adapter's order (a copy). */
  parameters: Float64Array;
}

/**
 * The §4.3 one-neuron network f(x) = u·σ(w x) with per-sample loss ½(uσ(wxᵢ) − yᵢ)² as a {@linkcode
 * DifferentiableModel} with parameters (u, w) and its closed-form per-sample Hessians (L_uu = σ², L_uw = σ·uxσ′ +
 * r·xσ′, L_ww = (uxσ′)² + r·ux²σ″ with r = uσ − y, as {@linkcode scalarPointInfo}), so its Hessian-vector product is
 * exact.
 *
 * @example Probe the §4.3 saddle at the origin
 * ```ts
 * import { scalarNetworkModel, stabilityProbe } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const model = scalarNetworkModel({ x: [1, -1, 2], y: [1, -0.5, 1], activation: "swish" });
 * const probe = stabilityProbe(model, [0, 0], { lambdas: [0.1], steps: 200 });
 * assert.ok(probe.minEigenvalue < 0); // a saddle
 * assert.equal(probe.rows[0].verdict.gd, "unstable");
 * ```
 *
 * @param model The data and activation (x, y, activation).
 * @returns A model of dimension 2 (u, w) and size N; `parameters` is (0, 0).
 */
export function scalarNetworkModel(model: ScalarModel): AdaptedModel {
  const fn = "scalarNetworkModel";
  if (model === null || typeof model !== "object") {
    throw new TypeError(`Invalid model in ${fn}: expected { x, y, activation }; received ${check.describe(model)}.`);
  }
  const x = check.finiteArray(fn, "model.x", model.x);
  const y = check.finiteArray(fn, "model.y", model.y);
  check.sameLength(fn, "model.y", y, x, "model.x");
  const act = check.oneOf(fn, "model.activation", model.activation, ["linear", "tanh", "relu", "swish"] as const);
  const s = new Float64Array(3);
  const terms = (u: number, w: number, i: number, o: Float64Array) => {
    activationValues(act as Activation, w * x[i], s);
    const r = u * s[0] - y[i], fu = s[0], fw = u * x[i] * s[1];
    o[0] = r * fu;
    o[1] = r * fw;
    o[2] = fu * fu;
    o[3] = fu * fw + r * x[i] * s[1];
    o[4] = fw * fw + r * u * x[i] * x[i] * s[2];
  };
  const o = new Float64Array(5);
  return {
    name: `scalarNetworkModel(${act})`,
    dimension: 2,
    size: x.length,
    parameters: new Float64Array(2),
    gradient(p, batch) {
      const g = new Float64Array(2);
      for (const i of batch) {
        terms(p[0], p[1], i, o);
        g[0] += o[0];
        g[1] += o[1];
      }
      g[0] /= batch.length;
      g[1] /= batch.length;
      return g;
    },
    hessianVectorProduct(p, v, batch) {
      const g = new Float64Array(2);
      for (const i of batch) {
        terms(p[0], p[1], i, o);
        g[0] += o[2] * v[0] + o[3] * v[1];
        g[1] += o[3] * v[0] + o[4] * v[1];
      }
      g[0] /= batch.length;
      g[1] /= batch.length;
      return g;
    },
  };
}

/** A finite dataset for {@linkcode twoLayerNetworkModel}: rows of X (N × inputs) and Y (N × outputs). */
export interface SampleData {
  /** Inputs, N × inputs, row-major. */
  X: ArrayLike<number>;
  /** Targets, N × outputs, row-major. */
  Y: ArrayLike<number>;
}

/**
 * The §4.4 two-layer network f(x) = U σ(W x) on a fixed sample, per-sample loss ½‖f(xᵢ) − yᵢ‖² (the convention of
 * {@linkcode networkLoss}), as a {@linkcode DifferentiableModel} with parameters [W (hidden × inputs, row-major), U
 * (outputs × hidden)] and an exact Hessian-vector product by the R-operator: Rz = V_W x, Ra = σ′⊙Rz, Rr = V_U a + U Ra,
 * R∂U = Rr aᵀ + r Raᵀ, R∂W = [(V_Uᵀr + UᵀRr)⊙σ′ + (Uᵀr)⊙σ″⊙Rz] xᵀ.
 *
 * @example Its gradient is networkGradient's
 * ```ts
 * import { createTwoLayerNetwork, networkGradient, twoLayerNetworkModel } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const net = createTwoLayerNetwork({ inputs: 2, hidden: 3, activation: "tanh", seed: 1 });
 * const X = [1, 0.5, -0.2, 0.3], Y = [0.1, 0.2, -0.3, 0.4];
 * const model = twoLayerNetworkModel(net, { X, Y });
 * const g = model.gradient(model.parameters, Int32Array.of(0, 1));
 * const ref = networkGradient(net, X, Y);
 * assert.ok(Math.abs(g[0] - ref.W[0]) < 1e-12 && Math.abs(g[6] - ref.U[0]) < 1e-12);
 * ```
 *
 * @param net The network (its current W and U become `parameters`).
 * @param data The fixed sample.
 * @returns The model, of dimension W.length + U.length and size N.
 */
export function twoLayerNetworkModel(net: TwoLayerNetwork, data: SampleData): AdaptedModel {
  const fn = "twoLayerNetworkModel";
  if (net === null || typeof net !== "object") {
    throw new TypeError(`Invalid net in ${fn}: expected a TwoLayerNetwork; received ${check.describe(net)}.`);
  }
  const nIn = check.integerInRange(fn, "net.inputs", net.inputs);
  const h = check.integerInRange(fn, "net.hidden", net.hidden);
  const nOut = check.integerInRange(fn, "net.outputs", net.outputs);
  const act = check.oneOf(fn, "net.activation", net.activation, ["linear", "tanh", "relu", "swish"] as const);
  const W0 = check.finiteArray(fn, "net.W", net.W), U0 = check.finiteArray(fn, "net.U", net.U);
  if (W0.length !== h * nIn) {
    throw new RangeError(`Invalid net.W in ${fn}: expected length ${h * nIn}; received length ${W0.length}.`);
  }
  if (U0.length !== nOut * h) {
    throw new RangeError(`Invalid net.U in ${fn}: expected length ${nOut * h}; received length ${U0.length}.`);
  }
  if (data === null || typeof data !== "object") {
    throw new TypeError(`Invalid data in ${fn}: expected { X, Y }; received ${check.describe(data)}.`);
  }
  const X = check.finiteArray(fn, "data.X", data.X), Y = check.finiteArray(fn, "data.Y", data.Y);
  if (X.length % nIn !== 0) {
    throw new RangeError(`Invalid data.X in ${fn}: expected N × ${nIn} values; received ${X.length}.`);
  }
  const n = X.length / nIn;
  if (Y.length !== n * nOut) {
    throw new RangeError(`Invalid data.Y in ${fn}: expected ${n} × ${nOut} values; received ${Y.length}.`);
  }
  const nw = h * nIn, d = nw + nOut * h;
  const z = new Float64Array(h), a = new Float64Array(h), s1 = new Float64Array(h), s2 = new Float64Array(h);
  const r = new Float64Array(nOut), ga = new Float64Array(h), rz = new Float64Array(h), ra = new Float64Array(h);
  const rr = new Float64Array(nOut), s = new Float64Array(3);
  const forward = (p: Float64Array, i: number) => {
    const xo = i * nIn;
    for (let j = 0; j < h; j++) {
      let t = 0;
      for (let k = 0; k < nIn; k++) t += p[j * nIn + k] * X[xo + k];
      z[j] = t;
      activationValues(act as Activation, t, s);
      a[j] = s[0];
      s1[j] = s[1];
      s2[j] = s[2];
    }
    for (let o = 0; o < nOut; o++) {
      let t = 0;
      for (let j = 0; j < h; j++) t += p[nw + o * h + j] * a[j];
      r[o] = t - Y[i * nOut + o];
    }
    ga.fill(0);
    for (let o = 0; o < nOut; o++) for (let j = 0; j < h; j++) ga[j] += p[nw + o * h + j] * r[o];
  };
  return {
    name: `twoLayerNetworkModel(${nIn}→${h}→${nOut}, ${act})`,
    dimension: d,
    size: n,
    parameters: Float64Array.of(...W0, ...U0),
    gradient(p, batch) {
      const g = new Float64Array(d);
      for (const i of batch) {
        forward(p, i);
        for (let o = 0; o < nOut; o++) for (let j = 0; j < h; j++) g[nw + o * h + j] += r[o] * a[j];
        for (let j = 0; j < h; j++) {
          const gz = ga[j] * s1[j];
          for (let k = 0; k < nIn; k++) g[j * nIn + k] += gz * X[i * nIn + k];
        }
      }
      for (let k = 0; k < d; k++) g[k] /= batch.length;
      return g;
    },
    hessianVectorProduct(p, v, batch) {
      const g = new Float64Array(d);
      for (const i of batch) {
        forward(p, i);
        const xo = i * nIn;
        for (let j = 0; j < h; j++) {
          let t = 0;
          for (let k = 0; k < nIn; k++) t += v[j * nIn + k] * X[xo + k];
          rz[j] = t;
          ra[j] = s1[j] * t;
        }
        for (let o = 0; o < nOut; o++) {
          let t = 0;
          for (let j = 0; j < h; j++) t += v[nw + o * h + j] * a[j] + p[nw + o * h + j] * ra[j];
          rr[o] = t;
        }
        for (let o = 0; o < nOut; o++) {
          for (let j = 0; j < h; j++) g[nw + o * h + j] += rr[o] * a[j] + r[o] * ra[j];
        }
        for (let j = 0; j < h; j++) {
          let rga = 0;
          for (let o = 0; o < nOut; o++) rga += v[nw + o * h + j] * r[o] + p[nw + o * h + j] * rr[o];
          const rgz = rga * s1[j] + ga[j] * s2[j] * rz[j];
          for (let k = 0; k < nIn; k++) g[j * nIn + k] += rgz * X[xo + k];
        }
      }
      for (let k = 0; k < d; k++) g[k] /= batch.length;
      return g;
    },
  };
}

/** A deep network adapted by {@linkcode deepNetworkModel}. */
export interface DeepNetworkModel extends AdaptedModel {
  /** The network with parameters w (a new object; the layout of {@linkcode DeepNetwork}). */
  toNetwork(w: Float64Array): DeepNetwork;
}

/**
 * A Part V multilayer perceptron on a labelled image set (mean softmax cross-entropy, the loss of {@linkcode
 * trainDeepNetwork}) as a {@linkcode DifferentiableModel} with parameters [W₀, b₀, W₁, b₁, …] (each Wₗ input-major, as
 * in {@linkcode DeepNetwork}) and an exact Hessian-vector product by the R-operator (forward-over-reverse): with
 * direction (Vₗ, cₗ), Rzₗ₊₁ = Raₗ Wₗ + aₗ Vₗ + cₗ, Raₗ = σ′(zₗ)⊙Rzₗ; Rδ_L = p⊙(Rz_L − ⟨p, Rz_L⟩)/S; R∂Wₗ = Raₗᵀδₗ₊₁ +
 * aₗᵀRδₗ₊₁; Rδₗ = (Rδₗ₊₁Wₗᵀ + δₗ₊₁Vₗᵀ)⊙σ′(zₗ) + (δₗ₊₁Wₗᵀ)⊙σ″(zₗ)⊙Rzₗ. For relu σ″ = 0 (the Hessian of the
 * piecewise-quadratic region containing w; at a kink it is one-sided). Like the library's gradient kernel, the product
 * skips exact zeros: zero inputs (MNIST pixels are ≈ 80 % zero) in the forward and ∂W products, and dead relu units (a
 * = Ra = 0, σ′ = 0) in every product; the skipped terms are exact zeros. The passes are fused: z and Rz in one pass
 * over Wₗ and Vₗ; R∂Wₗ = aₗᵀRδₗ₊₁ + Raₗᵀδₗ₊₁ in one pass over its rows; δₗ, Rδₗ in one pass over Wₗ and Vₗ. On the 784
 * → 128 → 128 → 64 → 10 relu MLP with S = 32 it costs 1.1–1.5× the gradient on MNIST digits (`bench/compare_probe.ts`).
 *
 * @example The product agrees with a difference of gradients
 * ```ts
 * import { createDeepNetwork, deepNetworkModel } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const net = createDeepNetwork([4, 3, 2], { activation: "tanh", seed: 1 });
 * const data = { images: Float64Array.of(1, 0, 0.5, 0.2, 0, 1, 0.3, 0.9), labels: Uint8Array.of(0, 1), count: 2, features: 4 };
 * const model = deepNetworkModel(net, data);
 * const w = model.parameters, v = w.map((_, i) => Math.sin(i)), b = Int32Array.of(0, 1), e = 1e-5;
 * const hv = model.hessianVectorProduct(w, v, b);
 * const up = model.gradient(w.map((x, i) => x + e * v[i]), b), down = model.gradient(w.map((x, i) => x - e * v[i]), b);
 * assert.ok(hv.every((h, i) => Math.abs(h - (up[i] - down[i]) / (2 * e)) < 1e-8));
 * ```
 *
 * @param network The network (its weights become `parameters`).
 * @param dataset The training images and labels (the samples).
 * @returns The model, of dimension Σₗ (sizes[l] + 1)·sizes[l + 1] and size `dataset.count`.
 */
export function deepNetworkModel(network: DeepNetwork, dataset: ImageDataset): DeepNetworkModel {
  const fn = "deepNetworkModel";
  const sizes = checkNetwork(fn, "network", network);
  const act = network.activation;
  const L = sizes.length - 1;
  const wOff: number[] = [], bOff: number[] = [];
  let d = 0;
  for (let l = 0; l < L; l++) {
    wOff.push(d);
    d += sizes[l] * sizes[l + 1];
    bOff.push(d);
    d += sizes[l + 1];
  }
  const parameters = new Float64Array(d);
  for (let l = 0; l < L; l++) {
    parameters.set(network.weights[l], wOff[l]);
    parameters.set(network.biases[l], bOff[l]);
  }
  const { images, labels, count } = checkDataset(fn, "dataset", dataset, sizes[0], sizes[L]);
  const tanh = act === "tanh", relu = act === "relu";
  // The gradient is the library's back-propagation kernel; the product shares its activation and error buffers and adds
  // its R-buffers.
  let kernel: DeepKernel | undefined;
  let racts: Float64Array[] = [], rdels: Float64Array[] = [];
  const ensure = (S: number): DeepKernel => {
    if (kernel && S <= kernel.maxBatch) return kernel;
    racts = sizes.map((n) => new Float64Array(S * n));
    rdels = sizes.map((n) => new Float64Array(S * n));
    return kernel = new DeepKernel(sizes, act, S);
  };
  /** Softmax of the logits in P (in place) and δ_L = (p − onehot)/S into D. */
  const softmax = (P: Float64Array, D: Float64Array, batch: Int32Array) => {
    const S = batch.length, C = sizes[L];
    for (let s = 0; s < S; s++) {
      const r = s * C;
      let m = -Infinity;
      for (let c = 0; c < C; c++) m = Math.max(m, P[r + c]);
      let t = 0;
      for (let c = 0; c < C; c++) t += P[r + c] = Math.exp(P[r + c] - m);
      const y = labels[batch[s]];
      for (let c = 0; c < C; c++) D[r + c] = ((P[r + c] /= t) - (c === y ? 1 : 0)) / S;
    }
  };
  const toNetwork = (w: Float64Array): DeepNetwork => ({
    sizes: sizes.slice(),
    activation: act,
    weights: sizes.slice(0, L).map((n, l) => w.slice(wOff[l], wOff[l] + n * sizes[l + 1])),
    biases: sizes.slice(0, L).map((_, l) => w.slice(bOff[l], bOff[l] + sizes[l + 1])),
  });
  return {
    name: `deepNetworkModel([${sizes.join(", ")}], ${act})`,
    dimension: d,
    size: count,
    parameters,
    toNetwork,
    gradient(p, batch) {
      const S = batch.length, k = ensure(S);
      const net: DeepNetwork = {
        sizes,
        activation: act,
        weights: wOff.map((o, l) => p.subarray(o, o + sizes[l] * sizes[l + 1])),
        biases: bOff.map((o, l) => p.subarray(o, o + sizes[l + 1])),
      };
      k.loadBatch(images, batch, S);
      k.forward(net, S);
      softmax(k.acts[L], k.errs[L], batch);
      k.backward(net, S);
      const g = new Float64Array(d);
      for (let l = 0; l < L; l++) {
        g.set(k.gradW[l], wOff[l]);
        g.set(k.gradB[l], bOff[l]);
      }
      return g;
    },
    hessianVectorProduct(p, v, batch) {
      const S = batch.length, k = ensure(S), { acts, errs: dels } = k;
      k.loadBatch(images, batch, S);
      // Fused forward and R-forward: zₗ₊₁ = aₗWₗ + bₗ and Rzₗ₊₁ = aₗVₗ + cₗ + RaₗWₗ in one pass over the inputs that
      // are not both zero (Ra₀ = 0; a dead relu unit has a = Ra = 0).
      for (let l = 0; l < L; l++) {
        const nIn = sizes[l], nOut = sizes[l + 1], wo = wOff[l], bo = bOff[l];
        const a = acts[l], ra = racts[l], z = acts[l + 1], rz = racts[l + 1];
        for (let s = 0; s < S; s++) {
          const oo = s * nOut, ai = s * nIn;
          for (let o = 0; o < nOut; o++) {
            z[oo + o] = p[bo + o];
            rz[oo + o] = v[bo + o];
          }
          if (l === 0) {
            for (let i = 0; i < nIn; i++) {
              const x = a[ai + i];
              if (x === 0) continue;
              const wi = wo + i * nOut;
              for (let o = 0; o < nOut; o++) {
                z[oo + o] += x * p[wi + o];
                rz[oo + o] += x * v[wi + o];
              }
            }
          } else {
            for (let i = 0; i < nIn; i++) {
              const x = a[ai + i], rx = ra[ai + i];
              if (x === 0 && rx === 0) continue;
              const wi = wo + i * nOut;
              for (let o = 0; o < nOut; o++) {
                z[oo + o] += x * p[wi + o];
                rz[oo + o] += x * v[wi + o] + rx * p[wi + o];
              }
            }
          }
          if (l + 1 < L) {
            for (let o = oo; o < oo + nOut; o++) {
              const zk = z[o];
              if (relu) {
                if (zk > 0) continue;
                z[o] = 0;
                rz[o] = 0; // Ra = σ′(z)⊙Rz
              } else if (tanh) {
                const t = Math.tanh(zk);
                z[o] = t;
                rz[o] *= 1 - t * t;
              }
            }
          }
        }
      }
      // Softmax; δ_L = (p − onehot)/S and Rδ_L = p ⊙ (Rz − ⟨p, Rz⟩)/S.
      const C = sizes[L], P = acts[L], RZ = racts[L], RD = rdels[L];
      softmax(P, dels[L], batch);
      for (let s = 0; s < S; s++) {
        const r = s * C;
        let q = 0;
        for (let c = 0; c < C; c++) q += P[r + c] * RZ[r + c];
        for (let c = 0; c < C; c++) RD[r + c] = (P[r + c] * (RZ[r + c] - q)) / S;
      }
      const g = new Float64Array(d);
      for (let l = L - 1; l >= 0; l--) {
        const nIn = sizes[l], nOut = sizes[l + 1], wo = wOff[l], bo = bOff[l];
        const a = acts[l], ra = racts[l], del = dels[l + 1], rdel = rdels[l + 1];
        // R∂bₗ = Σ Rδₗ₊₁; R∂Wₗ = aₗᵀRδₗ₊₁ + Raₗᵀδₗ₊₁, row by row of Wₗ over the samples where aₗ or Raₗ is nonzero.
        for (let s = 0; s < S; s++) for (let o = 0; o < nOut; o++) g[bo + o] += rdel[s * nOut + o];
        for (let i = 0; i < nIn; i++) {
          const wi = wo + i * nOut;
          for (let s = 0; s < S; s++) {
            const x = a[s * nIn + i], rx = l === 0 ? 0 : ra[s * nIn + i];
            if (x === 0 && rx === 0) continue;
            const so = s * nOut;
            if (rx === 0) { for (let o = 0; o < nOut; o++) g[wi + o] += x * rdel[so + o]; }
            else for (let o = 0; o < nOut; o++) g[wi + o] += x * rdel[so + o] + rx * del[so + o];
          }
        }
        if (l === 0) break;
        // e = δₗ₊₁Wₗᵀ, Rδₗ = (Rδₗ₊₁Wₗᵀ + δₗ₊₁Vₗᵀ)⊙σ′ + e⊙σ″⊙Rz, δₗ = e⊙σ′, in one pass over Wₗ and Vₗ; dead relu units
        // (σ′ = 0) are skipped.
        const e = dels[l], rd = rdels[l];
        for (let s = 0; s < S; s++) {
          const so = s * nOut, ai = s * nIn;
          for (let i = 0; i < nIn; i++) {
            const k = ai + i, ak = a[k];
            if (relu && !(ak > 0)) {
              e[k] = 0;
              rd[k] = 0;
              continue;
            }
            const wi = wo + i * nOut;
            let te = 0, tr = 0;
            for (let o = 0; o < nOut; o++) {
              const dv = del[so + o];
              te += dv * p[wi + o];
              tr += rdel[so + o] * p[wi + o] + dv * v[wi + o];
            }
            if (tanh) {
              const s1 = 1 - ak * ak;
              rd[k] = tr * s1 - 2 * te * ak * ra[k]; // σ″(z)·Rz = −2a(1 − a²)·Rz = −2a·Ra
              e[k] = te * s1;
            } else {
              rd[k] = tr;
              e[k] = te;
            }
          }
        }
      }
      return g;
    },
  };
}

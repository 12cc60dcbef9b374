/**
 * The deep-MLP training kernel ({@linkcode DeepKernel}): forward pass, softmax cross-entropy and back-propagation in
 * plain f64 loops — the reference of the WebAssembly kernel (`deep_wasm.ts`) and its fallback. Internal module
 * (re-exported by deep_network.ts for the tests, not from mod.ts).
 *
 * @module
 */

import type { DeepActivation, DeepNetwork } from "./deep_network.ts";

/**
 * The forward and backward pass of a deep network on a batch, with preallocated buffers (no allocation per step).
 * Internal: {@linkcode trainDeepNetwork} and {@linkcode deepNetworkGradient} drive it.
 *
 * Forward: a₀ = x, zₗ₊₁ = aₗWₗ + bₗ, aₗ₊₁ = σ(zₗ₊₁) (no σ on the logits z_L), p = softmax(z_L), loss (1/S)Σₛ −log
 * p_{s,yₛ}. Backward: g_L = (p − onehot(y))/S, ∂Wₗ = aₗᵀgₗ₊₁, ∂bₗ = Σₛ gₗ₊₁, gₗ = (gₗ₊₁Wₗᵀ) ⊙ σ′(zₗ) with σ′ read from
 * aₗ (relu: aₗ > 0; tanh: 1 − aₗ²). Products skip zero activations and zero back-propagated errors (MNIST pixels are ≈
 * 80 % zero, dead relu units are zero), which changes no sum: the skipped terms are exact zeros. The sums over inputs
 * (forward, ∂W) take four nonzero terms per pass over a row, added one after the other as ((z + x₀w₀) + x₁w₁) + …, and
 * the dot products of the backward pass run four rows at a time with separate accumulators: every sum is formed in the
 * same order as the plain loop, so the results are bit-for-bit those of the plain kernel (tested) while each row is
 * read and written a quarter as often (1.4–1.5× faster).
 */
export class DeepKernel {
  readonly sizes: number[];
  readonly activation: DeepActivation;
  readonly maxBatch: number;
  /** Activations per layer (a₀ = the input batch), S × sizes[l]. */
  readonly acts: Float64Array[];
  /** Back-propagated errors per layer (index l: ∂loss/∂zₗ), S × sizes[l]; index 0 unused. */
  readonly errs: Float64Array[];
  /** Gradients of the weights and biases. */
  readonly gradW: Float64Array[];
  readonly gradB: Float64Array[];
  /** Scratch: the indices of the nonzero terms of one sum. */
  private readonly nz: Int32Array;

  /**
   * @param sizes The layer widths.
   * @param activation The hidden-layer activation.
   * @param maxBatch The largest batch.
   * @param alloc Where the activations, errors and gradients live (the WebAssembly kernel passes views of
   *   its memory); by default new arrays.
   */
  constructor(
    sizes: readonly number[],
    activation: DeepActivation,
    maxBatch: number,
    alloc: (length: number) => Float64Array = (n) => new Float64Array(n),
  ) {
    this.sizes = [...sizes];
    this.activation = activation;
    this.maxBatch = maxBatch;
    this.acts = this.sizes.map((n) => alloc(n * maxBatch));
    this.errs = this.sizes.map((n, l) => alloc(l === 0 ? 0 : n * maxBatch));
    this.gradW = this.sizes.slice(0, -1).map((n, l) => alloc(n * this.sizes[l + 1]));
    this.gradB = this.sizes.slice(1).map((n) => alloc(n));
    this.nz = new Int32Array(Math.max(maxBatch, ...this.sizes));
  }

  /** Copies rows `rows[0..S)` of `images` into a₀. */
  loadBatch(images: Float64Array, rows: ArrayLike<number>, S: number): void {
    const n = this.sizes[0];
    const a0 = this.acts[0];
    for (let s = 0; s < S; s++) a0.set(images.subarray(rows[s] * n, rows[s] * n + n), s * n);
  }

  /** The forward pass of the batch in a₀ (S rows); the logits end in acts[L]. */
  forward(net: DeepNetwork, S: number): void {
    const L = this.sizes.length - 1;
    const relu = this.activation === "relu", tanh = this.activation === "tanh";
    const nz = this.nz;
    for (let l = 0; l < L; l++) {
      const nIn = this.sizes[l], nOut = this.sizes[l + 1];
      const a = this.acts[l], z = this.acts[l + 1];
      const w = net.weights[l], b = net.biases[l];
      for (let s = 0; s < S; s++) {
        const zo = s * nOut;
        for (let o = 0; o < nOut; o++) z[zo + o] = b[o];
        const ai = s * nIn;
        let n = 0;
        for (let i = 0; i < nIn; i++) if (a[ai + i] !== 0) nz[n++] = i;
        let k = 0;
        for (; k + 4 <= n; k += 4) {
          const i0 = nz[k], i1 = nz[k + 1], i2 = nz[k + 2], i3 = nz[k + 3];
          const x0 = a[ai + i0], x1 = a[ai + i1], x2 = a[ai + i2], x3 = a[ai + i3];
          const w0 = i0 * nOut, w1 = i1 * nOut, w2 = i2 * nOut, w3 = i3 * nOut;
          for (let o = 0; o < nOut; o++) {
            z[zo + o] = (((z[zo + o] + x0 * w[w0 + o]) + x1 * w[w1 + o]) + x2 * w[w2 + o]) + x3 * w[w3 + o];
          }
        }
        for (; k < n; k++) {
          const i = nz[k], x = a[ai + i], wi = i * nOut;
          for (let o = 0; o < nOut; o++) z[zo + o] += x * w[wi + o];
        }
        if (l + 1 < L) {
          if (relu) { for (let o = 0; o < nOut; o++) if (!(z[zo + o] > 0)) z[zo + o] = 0; }
          else if (tanh) { for (let o = 0; o < nOut; o++) z[zo + o] = Math.tanh(z[zo + o]); }
        }
      }
    }
  }

  /**
   * Softmax cross-entropy of the logits in acts[L] against `labels` (S of them): writes g_L and returns the mean loss
   * (log-sum-exp with the maximum subtracted).
   */
  softmaxError(labels: ArrayLike<number>, S: number): number {
    const L = this.sizes.length - 1;
    const C = this.sizes[L];
    const z = this.acts[L], g = this.errs[L];
    let loss = 0;
    for (let s = 0; s < S; s++) {
      const r = s * C;
      let m = -Infinity;
      for (let c = 0; c < C; c++) if (z[r + c] > m) m = z[r + c];
      let sum = 0;
      for (let c = 0; c < C; c++) {
        const e = Math.exp(z[r + c] - m);
        g[r + c] = e;
        sum += e;
      }
      const y = labels[s];
      loss += Math.log(sum) - (z[r + y] - m);
      const inv = 1 / (sum * S);
      for (let c = 0; c < C; c++) g[r + c] *= inv;
      g[r + y] -= 1 / S;
    }
    return loss / S;
  }

  /** The backward pass: fills gradW and gradB from g_L (requires forward and softmaxError first). */
  backward(net: DeepNetwork, S: number): void {
    const L = this.sizes.length - 1;
    const relu = this.activation === "relu", tanh = this.activation === "tanh";
    const nz = this.nz;
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
      for (let i = 0; i < nIn; i++) {
        const wi = i * nOut;
        let n = 0;
        for (let s = 0; s < S; s++) if (a[s * nIn + i] !== 0) nz[n++] = s;
        let k = 0;
        for (; k + 4 <= n; k += 4) {
          const s0 = nz[k], s1 = nz[k + 1], s2 = nz[k + 2], s3 = nz[k + 3];
          const x0 = a[s0 * nIn + i], x1 = a[s1 * nIn + i], x2 = a[s2 * nIn + i], x3 = a[s3 * nIn + i];
          const g0 = s0 * nOut, g1 = s1 * nOut, g2 = s2 * nOut, g3 = s3 * nOut;
          for (let o = 0; o < nOut; o++) {
            gw[wi + o] = (((gw[wi + o] + x0 * g[g0 + o]) + x1 * g[g1 + o]) + x2 * g[g2 + o]) + x3 * g[g3 + o];
          }
        }
        for (; k < n; k++) {
          const s = nz[k], x = a[s * nIn + i], go = s * nOut;
          for (let o = 0; o < nOut; o++) gw[wi + o] += x * g[go + o];
        }
      }
      if (l === 0) break;
      const gp = this.errs[l];
      for (let s = 0; s < S; s++) {
        const go = s * nOut, ai = s * nIn;
        let n = 0;
        for (let i = 0; i < nIn; i++) {
          const x = a[ai + i];
          if (relu && !(x > 0)) gp[ai + i] = 0;
          else nz[n++] = i;
        }
        let k = 0;
        for (; k + 4 <= n; k += 4) {
          const i0 = nz[k], i1 = nz[k + 1], i2 = nz[k + 2], i3 = nz[k + 3];
          const w0 = i0 * nOut, w1 = i1 * nOut, w2 = i2 * nOut, w3 = i3 * nOut;
          let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
          for (let o = 0; o < nOut; o++) {
            const gv = g[go + o];
            c0 += gv * w[w0 + o];
            c1 += gv * w[w1 + o];
            c2 += gv * w[w2 + o];
            c3 += gv * w[w3 + o];
          }
          if (tanh) {
            const a0 = a[ai + i0], a1 = a[ai + i1], a2 = a[ai + i2], a3 = a[ai + i3];
            c0 *= 1 - a0 * a0;
            c1 *= 1 - a1 * a1;
            c2 *= 1 - a2 * a2;
            c3 *= 1 - a3 * a3;
          }
          gp[ai + i0] = c0;
          gp[ai + i1] = c1;
          gp[ai + i2] = c2;
          gp[ai + i3] = c3;
        }
        for (; k < n; k++) {
          const i = nz[k], wi = i * nOut;
          let acc = 0;
          for (let o = 0; o < nOut; o++) acc += g[go + o] * w[wi + o];
          const x = a[ai + i];
          gp[ai + i] = tanh ? acc * (1 - x * x) : acc;
        }
      }
    }
  }
}

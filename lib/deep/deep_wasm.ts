/**
 * The WebAssembly SIMD version of {@linkcode DeepKernel} (`deep_codegen.ts` writes the module): the same sums in the
 * same order, so bit for bit the same activations, gradients and trained weights (tested in test/deep_wasm_test.ts
 * against the JS kernel, which stays the reference and the fallback). Internal module (not exported from mod.ts).
 *
 * The activations, errors, gradients — and the weights of the network being trained (see {@linkcode
 * WasmDeepKernel.adopt}) — live in the module's memory as Float64Array views, allocated once, so the JS parts of the
 * step (activations, softmax) work on them unchanged.
 *
 * @module
 */

import type { DeepActivation, DeepNetwork } from "./deep_network.ts";
import { DeepKernel } from "./deep_kernel.ts";
import { deepModuleBytes } from "./deep_codegen.ts";
import type { AdamExport } from "../networks/wasm/emit.ts";
import { cachedModule } from "../networks/wasm/module_cache.ts";
import { roundUp } from "../networks/wasm/padding.ts";
import { wasmNetworkAvailable } from "../networks/wasm/network_wasm.ts";

interface DeepExports {
  memory: WebAssembly.Memory;
  axpy(y: number, base: number, row: number, nz: number, n: number, x: number, xs: number, nOut: number): void;
  dotS(
    c: number,
    w: number,
    row: number,
    gT: number,
    nOut: number,
    nIn: number,
    tRow: number,
    cRow: number,
    Sp: number,
  ): void;
  dot1(c: number, w: number, row: number, g: number, nOut: number, nIn4: number): void;
  sgd(p: number, g: number, bytes: number, lr: number): void;
  adam: AdamExport;
  forward(z: number, b: number, w: number, a: number, nIn: number, nOut: number, S: number, nz: number): void;
  relu(d: number, a: number, bytes: number): void;
  transpose(gT: number, g: number, nOut: number, S: number, tRow: number): void;
  gradW(
    w: number,
    g: number,
    a: number,
    nIn: number,
    nOut: number,
    S: number,
    nz: number,
    row: number,
    lr: number,
    fused: number,
  ): void;
}

let enabled = true;

/**
 * Whether `trainDeepNetwork` uses the WebAssembly kernel (when the runtime has SIMD). For tests and benchmarks: the JS
 * kernel gives the same bits.
 *
 * @param on False to force the JS kernel.
 */
export function setDeepWasm(on: boolean): void {
  enabled = on;
}

/**
 * Whether the WebAssembly deep kernel is available and enabled.
 *
 * @returns True if {@linkcode WasmDeepKernel} is used for training.
 */
export function deepWasmEnabled(): boolean {
  return enabled && wasmNetworkAvailable();
}

/** A bump allocator over doubles, 16-byte aligned blocks (every block a whole number of f64x2 vectors). */
class Arena {
  bytes = 16; // [0, 8): the constant 1
  take(length: number): number {
    const at = this.bytes;
    this.bytes += roundUp(Math.max(length, 1), 2) * 8;
    return at;
  }
}

/** {@linkcode DeepKernel} with the products in WebAssembly SIMD, bit for bit the same results. */
export class WasmDeepKernel extends DeepKernel {
  private readonly x: DeepExports;
  /** Scratch index list (i32) and the list 0, 1, …, maxBatch − 1. */
  private readonly nzAt: number;
  private readonly iotaAt: number;
  /** The errors of one layer transposed, o-major, rows of Sp doubles. */
  private readonly gTAt: number;
  private readonly Sp: number;
  /** Scratch: one row of the weight gradient, zero past its end. */
  private readonly row: Float64Array;
  /** The arrays of adopted networks and Adam moments: byte offsets of views of this memory. */
  private readonly arena: Arena;

  /**
   * @param sizes The layer widths.
   * @param activation The hidden-layer activation.
   * @param maxBatch The largest batch.
   * @param extra Doubles to reserve for {@linkcode adopt} and {@linkcode zeros} (weights, biases, moments).
   */
  constructor(sizes: readonly number[], activation: DeepActivation, maxBatch: number, extra = 0) {
    const Sp = roundUp(maxBatch, 8);
    const arena = new Arena();
    const maxN = Math.max(...sizes);
    // Reserve everything first (rows padded to Sp samples for the transposed-error kernel), then allocate.
    const lengths: number[] = [];
    for (const n of sizes) lengths.push(n * Sp, n * Sp); // acts, errs
    for (let l = 0; l + 1 < sizes.length; l++) lengths.push(sizes[l] * sizes[l + 1], sizes[l + 1]);
    const total = 16 + lengths.reduce((a, n) => a + roundUp(Math.max(n, 1), 2) * 8, 0) +
      roundUp(Math.max(Sp, maxN), 4) * 4 * 2 + roundUp(maxN * Sp, 2) * 8 + roundUp(maxN + 2, 2) * 8 +
      roundUp(extra, 2) * 8 + 64 * 16;
    const mod = cachedModule("deep-mlp", deepModuleBytes);
    const x = new WebAssembly.Instance(mod).exports as unknown as DeepExports;
    const pages = Math.ceil(total / 65536) - x.memory.buffer.byteLength / 65536;
    if (pages > 0) x.memory.grow(pages);
    const buf = x.memory.buffer;
    const f64 = new Float64Array(buf);
    f64[0] = 1;
    const nzAt = arena.take(roundUp(Math.max(Sp, maxN), 2) / 2);
    const iotaAt = arena.take(roundUp(Sp, 2) / 2);
    const gTAt = arena.take(maxN * Sp);
    const rowAt = arena.take(maxN + 2);
    let count = 0;
    super(sizes, activation, maxBatch, (length) => {
      // acts, then errs (one per layer each): Sp rows reserved, the view holds maxBatch rows.
      const reserve = count < 2 * sizes.length ? sizes[count % sizes.length] * Sp : length;
      count++;
      return new Float64Array(buf, arena.take(reserve), length);
    });
    this.x = x;
    this.Sp = Sp;
    this.arena = arena;
    this.nzAt = nzAt;
    this.iotaAt = iotaAt;
    new Int32Array(buf, iotaAt, Sp).forEach((_, i, a) => (a[i] = i));
    this.gTAt = gTAt;
    this.row = new Float64Array(buf, rowAt, maxN + 2);
  }

  /**
   * A zero-filled array of `length` doubles in the kernel's memory (from the `extra` reserve).
   *
   * @param length The length.
   * @returns The view.
   */
  zeros(length: number): Float64Array {
    const at = this.arena.take(length);
    if (this.arena.bytes > this.x.memory.buffer.byteLength) {
      throw new RangeError("WasmDeepKernel: extra reserve exceeded");
    }
    return new Float64Array(this.x.memory.buffer, at, length).fill(0);
  }

  /**
   * A copy of `net` whose weights and biases live in the kernel's memory (from the `extra` reserve), so that {@linkcode
   * forward} and {@linkcode backward} run in WebAssembly.
   *
   * @param net The network.
   * @returns The copy.
   */
  adopt(net: DeepNetwork): DeepNetwork {
    const copy = (a: Float64Array) => {
      const v = this.zeros(a.length);
      v.set(a);
      return v;
    };
    return {
      sizes: [...net.sizes],
      activation: net.activation,
      weights: net.weights.map(copy),
      biases: net.biases.map(copy),
    };
  }

  private owns(net: DeepNetwork): boolean {
    const buf = this.x.memory.buffer;
    return net.weights.every((w) => w.buffer === buf) && net.biases.every((b) => b.buffer === buf);
  }

  /** p ← p − λ g (p, g views of this memory, the same length): `trainDeepNetwork`'s SGD update. */
  sgd(p: Float64Array, g: Float64Array, lr: number): void {
    this.x.sgd(p.byteOffset, g.byteOffset, roundUp(p.length, 2) * 8, lr);
  }

  /** Adam's update of p (views of this memory, the same length): `trainDeepNetwork`'s `adamStep` in WebAssembly. */
  adam(
    p: Float64Array,
    g: Float64Array,
    m: Float64Array,
    v: Float64Array,
    lr: number,
    b1: number,
    b2: number,
    eps: number,
    c1: number,
    c2: number,
  ): void {
    const len = roundUp(p.length, 2);
    this.x.adam(p.byteOffset, g.byteOffset, m.byteOffset, v.byteOffset, len, lr, b1, 1 - b1, b2, 1 - b2, eps, c1, c2);
  }

  override forward(net: DeepNetwork, S: number): void {
    if (!this.owns(net)) return super.forward(net, S);
    const L = this.sizes.length - 1;
    const relu = this.activation === "relu", tanh = this.activation === "tanh";
    const x = this.x;
    for (let l = 0; l < L; l++) {
      const nIn = this.sizes[l], nOut = this.sizes[l + 1];
      const a = this.acts[l], z = this.acts[l + 1];
      const w = net.weights[l], b = net.biases[l];
      x.forward(z.byteOffset, b.byteOffset, w.byteOffset, a.byteOffset, nIn, nOut, S, this.nzAt);
      if (l + 1 < L) {
        if (relu) x.relu(z.byteOffset, z.byteOffset, roundUp(S * nOut, 2) * 8);
        else if (tanh) { for (let k = 0; k < S * nOut; k++) z[k] = Math.tanh(z[k]); }
      }
    }
  }

  override backward(net: DeepNetwork, S: number): void {
    if (!this.owns(net)) return super.backward(net, S);
    this.backprop(net, S, 0);
  }

  /**
   * The backward pass and the SGD step W ← W − λ∂W, b ← b − λ∂b in one sweep — bit for bit {@linkcode backward} then
   * {@linkcode sgd}: each layer's errors are propagated with its old weights first, then each row of ∂W is formed (the
   * same sums) and subtracted at once; rows whose input is zero in every sample have ∂W = 0 exactly and are skipped (W
   * − λ·0 = W). gradW is not filled.
   *
   * @param net The network (adopted by this kernel).
   * @param S The batch size.
   * @param lr The learning rate λ.
   */
  backwardSgd(net: DeepNetwork, S: number, lr: number): void {
    if (!this.owns(net)) throw new Error("WasmDeepKernel.backwardSgd: the network is not adopted by this kernel");
    this.backprop(net, S, lr);
  }

  private backprop(net: DeepNetwork, S: number, lr: number): void {
    const L = this.sizes.length - 1;
    const relu = this.activation === "relu", tanh = this.activation === "tanh";
    const x = this.x;
    const fused = lr !== 0;
    for (let l = L - 1; l >= 0; l--) {
      const nIn = this.sizes[l], nOut = this.sizes[l + 1];
      const a = this.acts[l], g = this.errs[l + 1];
      const w = net.weights[l], gw = this.gradW[l], gb = this.gradB[l];
      gb.fill(0);
      x.axpy(gb.byteOffset, g.byteOffset, nOut * 8, this.iotaAt, S, 0, 0, nOut); // x = the constant 1
      if (l > 0) {
        const gp = this.errs[l];
        if (S > 1) {
          const Sp = this.Sp;
          x.transpose(this.gTAt, g.byteOffset, nOut, S, Sp * 8);
          x.dotS(gp.byteOffset, w.byteOffset, nOut * 8, this.gTAt, nOut, nIn, Sp * 8, nIn * 8, roundUp(S, 8));
        } else {
          const nIn4 = nIn & ~3;
          if (nIn4 > 0) x.dot1(gp.byteOffset, w.byteOffset, nOut * 8, g.byteOffset, nOut, nIn4);
          for (let i = nIn4; i < nIn; i++) {
            const wi = i * nOut;
            let acc = 0;
            for (let o = 0; o < nOut; o++) acc += g[o] * w[wi + o];
            gp[i] = acc;
          }
        }
        if (relu) {
          x.relu(gp.byteOffset, a.byteOffset, roundUp(S * nIn, 2) * 8);
        } else if (tanh) {
          for (let k = 0; k < S * nIn; k++) gp[k] *= 1 - a[k] * a[k];
        }
      }
      if (!fused) gw.fill(0);
      // Fused: axpySgd (the first pass from +0, the last one into W) — faster at every batch size than the former
      // gradWSgd with the row in registers (backward S = 1: 24 → 21 µs, S = 8: 105 → 85, S = 32: 340 → 315).
      const dst = fused ? w.byteOffset : gw.byteOffset;
      x.gradW(dst, g.byteOffset, a.byteOffset, nIn, nOut, S, this.nzAt, this.row.byteOffset, lr, fused ? 1 : 0);
      if (fused) this.sgd(net.biases[l], gb, lr);
    }
  }
}

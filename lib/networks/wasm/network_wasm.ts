/**
 * The WebAssembly SIMD (f64x2) kernels of the two-layer network f(x) = U σ(W x) (`two_layer_network.ts`): one SGD or
 * Adam step, and the exact gradient, for a batch of S samples. Internal module (not exported from mod.ts);
 * `NetworkKernel` in `two_layer_network.ts` picks these kernels when the runtime has WebAssembly SIMD and otherwise
 * falls back to its plain-JS reference kernel. This file is the runtime: a kernel instance, its memory layout and the
 * zero padding. The parts:
 *
 * - `two_layer_codegen.ts`: the code generator (the tiled products, the fused passes at S = 1, Adam) and the method of
 *   one step;
 * - `simd_math.ts`: σ and σ′ (the exponential polynomial, tanh, swish) and their accuracy;
 * - `emit.ts`: instruction sequences both generators use;
 * - `module_cache.ts`: the compiled module per padded shape;
 * - `padding.ts`: the padded layout and why it is exact;
 * - `kernel_pool.ts`: released kernels kept for reuse.
 *
 * Any layer sizes: the layers are zero-padded to multiples of 8 and the batch to a multiple of 4 inside the module's
 * memory, which leaves every step of the real weights unchanged (`padding.ts`). Each kernel instance has its own
 * memory: the padded weights, two staging slots for the batch, and the work buffers (Z, A, D, G, R; the gradient and
 * Adam's moments on first use), allocated 64-byte aligned, so that nothing is allocated per step.
 *
 * @module
 */

import type { Activation } from "../activations.ts";
import { wasmSimdSupported } from "../../runtime/wasm_builder.ts";
import { networkModule } from "./module_cache.ts";
import { copyPadded, copyUnpadded, roundUp } from "./padding.ts";
import type { NetworkExports } from "./two_layer_codegen.ts";

let simd: boolean | undefined;

/**
 * Whether the WebAssembly SIMD kernels can run here (checked once: `WebAssembly.validate` on a tiny SIMD module).
 *
 * @returns True if {@linkcode WasmNetworkKernel} can be constructed.
 */
export function wasmNetworkAvailable(): boolean {
  return simd ??= wasmSimdSupported();
}

/** The sizes and activation of a network. */
export interface NetworkShape {
  /** The input dimension n. */
  inputs: number;
  /** The number of hidden units h. */
  hidden: number;
  /** The output dimension o. */
  outputs: number;
  /** The activation σ. */
  activation: Activation;
}

/** Adam's state pointers. */
interface AdamState {
  mW: number;
  vW: number;
  mU: number;
  vU: number;
  t: number;
}

/**
 * One network's weights and work buffers in the memory of an instance of the shape's module, and the steps on them. The
 * weights live in the module's memory (padded): {@linkcode WasmNetworkKernel.setWeights} and {@linkcode
 * WasmNetworkKernel.getWeights} copy them in and out. The batch is staged in one of two slots ({@linkcode
 * WasmNetworkKernel.stagedX}, {@linkcode WasmNetworkKernel.stagedY}: row strides `xStride`, `yStride`), so that at S =
 * 1 the next sample can be staged before this step's pass over W (look-ahead). Nothing is allocated per step. Internal
 * class.
 */
export class WasmNetworkKernel {
  /** The padded input dimension (a multiple of 8): the row stride of W and of the staged X. */
  readonly xStride: number;
  /** The padded hidden dimension (a multiple of 8): the row stride of U. */
  readonly hStride: number;
  /** The padded output dimension (a multiple of 8): the row stride of the staged Y. */
  readonly yStride: number;
  /** The largest batch the staging slots hold (more: they are reallocated). */
  maxBatch = 0;
  private readonly x: NetworkExports;
  private readonly mem: WebAssembly.Memory;
  private buf: ArrayBuffer;
  private f64: Float64Array;
  private top = 64;
  private readonly W: number;
  private readonly U: number;
  private gW = 0;
  private gU = 0;
  private adamState: AdamState | undefined;
  private Z = 0;
  private A = 0;
  private D = 0;
  private G = 0;
  private R = 0;
  private readonly X = [0, 0];
  private readonly Y = [0, 0];
  /** The slot whose W x is already in Z (computed by the previous step's look-ahead pass), or −1. */
  private zReady = -1;
  /** Rows of U (outputs) and W (hidden) that the row-tiled kernels visit: the real ones, rounded up to 4. */
  private readonly oRows: number;
  private readonly hRows: number;

  /** The network's sizes and activation. */
  readonly shape: NetworkShape;

  /**
   * Instantiates the shape's module (compiled once per shape and cached) with zero weights.
   *
   * @param shape The network's sizes and activation.
   * @param maxBatch The batch size to stage (the slots grow on demand).
   */
  constructor(shape: NetworkShape, maxBatch = 1) {
    const { inputs, hidden, outputs, activation } = shape;
    this.shape = { inputs, hidden, outputs, activation };
    this.xStride = roundUp(inputs, 8);
    this.hStride = roundUp(hidden, 8);
    this.yStride = roundUp(outputs, 8);
    this.oRows = roundUp(outputs, 4);
    this.hRows = roundUp(hidden, 4);
    const mod = networkModule(this.xStride, this.hStride, this.yStride, activation);
    this.x = new WebAssembly.Instance(mod).exports as unknown as NetworkExports;
    this.mem = this.x.memory;
    this.buf = this.mem.buffer as ArrayBuffer;
    this.f64 = new Float64Array(this.buf);
    this.W = this.alloc(this.hStride * this.xStride);
    this.U = this.alloc(this.yStride * this.hStride);
    this.reserveBatch(maxBatch);
  }

  /** A zeroed block of `count` doubles (64-byte aligned); returns its byte address. */
  private alloc(count: number): number {
    const at = this.top;
    this.top = roundUp(at + count * 8, 64);
    const need = this.top - this.mem.buffer.byteLength;
    if (need > 0) this.mem.grow(Math.ceil(need / 65536));
    if (this.mem.buffer !== this.buf) {
      this.buf = this.mem.buffer as ArrayBuffer;
      this.f64 = new Float64Array(this.buf);
    }
    return at;
  }

  /** The size of the kernel's memory in bytes. */
  get memoryBytes(): number {
    return this.mem.buffer.byteLength;
  }

  /** The whole memory as doubles (a fresh view if the memory grew). */
  private heap(): Float64Array {
    if (this.mem.buffer !== this.buf) {
      this.buf = this.mem.buffer as ArrayBuffer;
      this.f64 = new Float64Array(this.buf);
    }
    return this.f64;
  }

  /**
   * Makes the staging slots and work buffers hold batches of `S` (no-op if they do; else they move, and earlier staged
   * views are stale).
   *
   * @param S The batch size.
   */
  reserveBatchSize(S: number): void {
    this.reserveBatch(S);
  }

  /** Allocates staging slots and work buffers for batches of `S` (if the current ones are smaller). */
  private reserveBatch(S: number): void {
    if (S <= this.maxBatch) return;
    const Sp = roundUp(S, 4);
    const hS = Sp * this.hStride;
    this.Z = this.alloc(hS);
    this.A = this.alloc(hS);
    this.D = this.alloc(hS);
    this.G = this.alloc(hS);
    this.R = this.alloc(Sp * this.yStride);
    for (const s of [0, 1]) {
      this.X[s] = this.alloc(Sp * this.xStride);
      this.Y[s] = this.alloc(Sp * this.yStride);
    }
    this.maxBatch = Sp;
    this.zReady = -1;
  }

  /**
   * The staged inputs of `slot` (0 or 1): `maxBatch` rows of `xStride` doubles, of which the caller fills rows 0…S−1,
   * columns 0…inputs−1 (the padding must stay 0). A view of the module's memory: valid until the next call that
   * reserves a larger batch or Adam's buffers.
   *
   * @param slot 0 or 1.
   * @returns The view.
   */
  stagedX(slot: number): Float64Array {
    return new Float64Array(this.heap().buffer, this.X[slot], this.maxBatch * this.xStride);
  }

  /**
   * The staged targets of `slot`: as {@linkcode WasmNetworkKernel.stagedX} with `yStride` and outputs.
   *
   * @param slot 0 or 1.
   * @returns The view.
   */
  stagedY(slot: number): Float64Array {
    return new Float64Array(this.heap().buffer, this.Y[slot], this.maxBatch * this.yStride);
  }

  /**
   * Copies S samples (rows of `inputs` and `outputs` values) into `slot`, growing the slots if needed.
   *
   * @param slot 0 or 1.
   * @param X Inputs, S × inputs, row-major.
   * @param Y Targets, S × outputs, row-major.
   * @param S The number of samples.
   */
  stage(slot: number, X: ArrayLike<number>, Y: ArrayLike<number>, S: number): void {
    this.reserveBatch(S);
    const mem = this.heap();
    const { inputs: n, outputs: o } = this.shape;
    const xs = this.X[slot] / 8, ys = this.Y[slot] / 8;
    for (let b = 0; b < S; b++) {
      const xo = xs + b * this.xStride, yo = ys + b * this.yStride;
      for (let j = 0; j < n; j++) mem[xo + j] = X[b * n + j];
      for (let k = 0; k < o; k++) mem[yo + k] = Y[b * o + k];
    }
    if (slot === this.zReady) this.zReady = -1;
  }

  /**
   * Sets the weights (W: hidden × inputs, U: outputs × hidden, row-major); clears Adam's state.
   *
   * @param W The first layer.
   * @param U The last layer.
   */
  setWeights(W: ArrayLike<number>, U: ArrayLike<number>): void {
    const { inputs: n, hidden: h, outputs: o } = this.shape;
    const mem = this.heap();
    copyPadded(mem, this.W / 8, this.xStride, W, h, n, this.hStride);
    copyPadded(mem, this.U / 8, this.hStride, U, o, h, this.yStride);
    this.zReady = -1;
    if (this.adamState) this.resetAdam();
  }

  /**
   * Copies the weights out.
   *
   * @param W Receives the first layer (hidden × inputs).
   * @param U Receives the last layer (outputs × hidden).
   */
  getWeights(W: Float64Array, U: Float64Array): void {
    const { inputs: n, hidden: h, outputs: o } = this.shape;
    const mem = this.heap();
    copyUnpadded(W, mem, this.W / 8, this.xStride, h, n);
    copyUnpadded(U, mem, this.U / 8, this.hStride, o, h);
  }

  /** Allocates the gradient buffers on first use. */
  private ensureGradient(): void {
    if (this.gW !== 0) return;
    this.gW = this.alloc(this.hStride * this.xStride);
    this.gU = this.alloc(this.yStride * this.hStride);
  }

  /** Zeroes Adam's moments and step count. */
  private resetAdam(): void {
    const a = this.adamState!;
    const mem = this.heap();
    mem.fill(0, a.mW / 8, a.mW / 8 + this.hStride * this.xStride);
    mem.fill(0, a.vW / 8, a.vW / 8 + this.hStride * this.xStride);
    mem.fill(0, a.mU / 8, a.mU / 8 + this.yStride * this.hStride);
    mem.fill(0, a.vU / 8, a.vU / 8 + this.yStride * this.hStride);
    a.t = 0;
  }

  /** Allocates the gradient and Adam buffers now (they are otherwise allocated on first use). */
  reserveAdam(): void {
    this.ensureGradient();
    if (this.adamState) return;
    const w = this.hStride * this.xStride, u = this.yStride * this.hStride;
    this.adamState = { mW: this.alloc(w), vW: this.alloc(w), mU: this.alloc(u), vU: this.alloc(u), t: 0 };
  }

  /** Forward pass of the S staged samples of `slot` (Z, A, D, R = F − Y); returns Σ_b ½‖r_b‖². */
  private forward(slot: number, S: number): number {
    const { x } = this;
    if (S === 1) {
      if (this.zReady !== slot) x.mvZ(this.Z, this.X[slot], this.W, 1);
      x.act(this.Z, this.A, this.D, this.hStride);
      x.mvF(this.R, this.A, this.U, 1);
    } else {
      const Sp = roundUp(S, 4);
      x.ntZ(this.Z, this.X[slot], this.W, Sp);
      x.act(this.Z, this.A, this.D, S * this.hStride);
      x.ntF(this.R, this.A, this.U, Sp);
    }
    this.zReady = -1;
    return x.residual(this.R, this.Y[slot], S * this.yStride) / 2;
  }

  /**
   * One SGD step on the S staged samples of `slot`: U ← U − (λ/S) Rᵀ A, W ← W − (λ/S) Gᵀ X. At S = 1 with `nextSlot` ≥
   * 0 (already staged), the pass over W also computes the next step's W x′.
   *
   * @param slot The staged batch.
   * @param S The number of samples (≤ maxBatch).
   * @param lambda The step λ (already times the loss scale).
   * @param nextSlot At S = 1: the slot of the next step's sample (look-ahead), or −1.
   * @returns Σ_b ½‖f(x_b) − y_b‖² before the step (not divided by S).
   */
  sgd(slot: number, S: number, lambda: number, nextSlot = -1): number {
    const loss = this.forward(slot, S);
    const { x } = this;
    if (S === 1) {
      this.heap().fill(0, this.G / 8, this.G / 8 + this.hStride);
      x.fusedU(this.U, this.R, this.A, this.G, -lambda, this.oRows);
      if (nextSlot >= 0) {
        x.gerWNext(this.W, this.G, this.D, this.X[slot], -lambda, this.hRows, this.X[nextSlot], this.Z);
        this.zReady = nextSlot;
      } else x.gerW(this.W, this.G, this.D, this.X[slot], -lambda, this.hRows);
      return loss;
    }
    const c = -lambda / S;
    x.axGA(this.G, this.R, this.U, this.shape.outputs, this.D, roundUp(S, 4)); // G = (R U) ⊙ D, old U
    x.axU(this.U, this.R, this.A, S, c, this.oRows);
    x.axW(this.W, this.G, this.X[slot], S, c, this.hRows);
    return loss;
  }

  /**
   * The gradient of `weight`·Σ_b ½‖f(x_b) − y_b‖² over the S staged samples of `slot`, into the internal gradient
   * buffers: `accumulate` false overwrites them, true adds to them.
   */
  private gradientStaged(slot: number, S: number, weight: number, accumulate: boolean): number {
    this.ensureGradient();
    const mem = this.heap();
    const { x } = this;
    const loss = this.forward(slot, S);
    if (S === 1 && !accumulate) {
      mem.fill(0, this.G / 8, this.G / 8 + this.hStride);
      x.fusedUGrad(this.U, this.R, this.A, this.G, weight, this.oRows, this.gU);
      x.gerWGrad(this.W, this.G, this.D, this.X[slot], weight, this.hRows, this.gW);
      return loss;
    }
    if (!accumulate) {
      mem.fill(0, this.gW / 8, this.gW / 8 + this.hStride * this.xStride);
      mem.fill(0, this.gU / 8, this.gU / 8 + this.yStride * this.hStride);
    }
    x.axGA(this.G, this.R, this.U, this.shape.outputs, this.D, roundUp(S, 4));
    x.axU(this.gU, this.R, this.A, S, weight, this.oRows);
    x.axW(this.gW, this.G, this.X[slot], S, weight, this.hRows);
    return loss;
  }

  /**
   * One Adam step on the S staged samples of `slot` (the JS kernel's update, see `adamKernel`).
   *
   * @param slot The staged batch.
   * @param S The number of samples.
   * @param lambda The learning rate.
   * @param adam β₁, β₂, ε.
   * @param scale The loss scale (gradient weight scale/S).
   * @returns Σ_b ½‖f(x_b) − y_b‖² before the step (not divided by S).
   */
  adam(
    slot: number,
    S: number,
    lambda: number,
    adam: { beta1: number; beta2: number; epsilon: number },
    scale: number,
  ): number {
    this.reserveAdam();
    const loss = this.gradientStaged(slot, S, scale / S, false);
    const a = this.adamState!;
    a.t++;
    const { beta1, beta2, epsilon } = adam;
    const c1 = 1 / (1 - Math.pow(beta1, a.t));
    const c2 = 1 / (1 - Math.pow(beta2, a.t));
    const w = this.hStride * this.xStride, u = this.yStride * this.hStride;
    this.x.adam(this.W, this.gW, a.mW, a.vW, w, lambda, beta1, 1 - beta1, beta2, 1 - beta2, epsilon, c1, c2);
    this.x.adam(this.U, this.gU, a.mU, a.vU, u, lambda, beta1, 1 - beta1, beta2, 1 - beta2, epsilon, c1, c2);
    return loss;
  }

  /**
   * The gradient of scale·(1/N)·Σ_b ½‖f(x_b) − y_b‖² over N samples (rows of X and Y), in chunks of at most `maxBatch`
   * (at least 64) samples staged in slot 0.
   *
   * @param X Inputs, N × inputs, row-major.
   * @param Y Targets, N × outputs, row-major.
   * @param N The number of samples.
   * @param scale The loss scale.
   * @param gW Receives ∂/∂W (hidden × inputs).
   * @param gU Receives ∂/∂U (outputs × hidden).
   * @returns The mean loss scale·(1/N)·Σ_b ½‖f(x_b) − y_b‖².
   */
  gradient(X: Float64Array, Y: Float64Array, N: number, scale: number, gW: Float64Array, gU: Float64Array): number {
    const { inputs: n, hidden: h, outputs: o } = this.shape;
    this.reserveBatch(Math.min(N, 64));
    const chunk = Math.max(this.maxBatch, 1);
    let loss = 0;
    for (let b = 0; b < N; b += chunk) {
      const S = Math.min(chunk, N - b);
      this.stage(0, X.subarray(b * n, (b + S) * n), Y.subarray(b * o, (b + S) * o), S);
      loss += this.gradientStaged(0, S, scale / N, b > 0);
    }
    const mem = this.heap();
    copyUnpadded(gW, mem, this.gW / 8, this.xStride, h, n);
    copyUnpadded(gU, mem, this.gU / 8, this.hStride, o, h);
    return (scale * loss) / N;
  }
}

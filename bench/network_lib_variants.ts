/**
 * The library's network kernel (`NetworkKernel`, lib/networks/two_layer_network.ts) as a bench variant stepping on rows
 * of the shared data pool (`network_inputs.ts`), for `compare_network.ts` and `two_layer_sgd.bench.ts`. Not a bench
 * file itself.
 *
 * Two ways to feed it, both copying the batch into the kernel's memory every step (as `trainTwoLayerNetwork` writes its
 * freshly drawn batch there; NumPy slices the pool without copying):
 *
 * - `staged`: the rows are written into a staging slot, and at S = 1 the next step's sample into the other slot first,
 *   so that the pass over W also computes the next W x′ (look-ahead) — exactly how `trainTwoLayerNetwork` drives the
 *   kernel;
 * - `step`: `NetworkKernel.step(X, Y, S, …)` on the pool rows (copied in; no look-ahead).
 *
 * @module
 */

import { NetworkKernel, type TwoLayerNetwork } from "../lib/networks/two_layer_network.ts";
import type { Dims } from "./network_inputs.ts";

const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/** `NetworkKernel` (WebAssembly SIMD or JS backend) on the pool. */
export class LibKernelVariant {
  readonly name: string;
  readonly kernel: NetworkKernel;
  private readonly net: TwoLayerNetwork;
  private readonly views = new Map<string, [Float64Array, Float64Array]>();
  private slot: 0 | 1 = 0;
  /** The pool row already staged in `slot` (by the previous step's look-ahead), or −1. */
  private ready = -1;

  /**
   * Creates the kernel on zero weights (`reset` sets them).
   *
   * @param d The sizes and activation.
   * @param X The pool's inputs (rows × inputs).
   * @param Y The pool's targets (rows × outputs).
   * @param Smax The largest batch size.
   * @param backend `"wasm"` or `"js"`.
   * @param mode `"staged"` (as trainTwoLayerNetwork) or `"step"` (NetworkKernel.step).
   */
  constructor(
    private readonly d: Dims,
    private readonly X: Float64Array,
    private readonly Y: Float64Array,
    Smax: number,
    readonly backend: "wasm" | "js",
    readonly mode: "staged" | "step",
  ) {
    this.net = {
      inputs: d.inputs,
      hidden: d.hidden,
      outputs: d.outputs,
      activation: d.activation,
      W: new Float64Array(d.hidden * d.inputs),
      U: new Float64Array(d.outputs * d.hidden),
    };
    this.kernel = new NetworkKernel(this.net, { backend, maxBatch: Smax });
    this.name = backend === "wasm"
      ? (mode === "staged"
        ? "lib NetworkKernel, WebAssembly SIMD (staged, look-ahead at S = 1: as trainTwoLayerNetwork)"
        : "lib NetworkKernel.step, WebAssembly SIMD (batch copied in, no look-ahead)")
      : "lib NetworkKernel, JS fallback (JsNetworkKernel)";
  }

  /** Sets the weights (copied into the kernel). */
  reset(W: Float64Array, U: Float64Array): void {
    this.net.W.set(W);
    this.net.U.set(U);
    this.kernel.load();
    this.ready = -1;
  }

  /** Copies pool rows [row0, row0 + S) into staging slot `slot`. */
  private put(slot: 0 | 1, row0: number, S: number): void {
    const { inputs: n, outputs: o } = this.d;
    const xs = this.kernel.stagedX(slot), ys = this.kernel.stagedY(slot);
    const { xStride, yStride } = this.kernel;
    for (let b = 0; b < S; b++) {
      const xi = (row0 + b) * n, yi = (row0 + b) * o, xo = b * xStride, yo = b * yStride;
      for (let j = 0; j < n; j++) xs[xo + j] = this.X[xi + j];
      for (let k = 0; k < o; k++) ys[yo + k] = this.Y[yi + k];
    }
  }

  /**
   * One SGD step on pool rows [row0, row0 + S) with learning rate λ; `next` is the next step's first row (staged ahead
   * for the look-ahead pass at S = 1).
   */
  step(row0: number, S: number, lambda: number, next?: number): void {
    if (this.mode === "step") {
      const key = `${row0}:${S}`;
      let v = this.views.get(key);
      if (!v) {
        const { inputs: n, outputs: o } = this.d;
        v = [this.X.subarray(row0 * n, (row0 + S) * n), this.Y.subarray(row0 * o, (row0 + S) * o)];
        this.views.set(key, v);
      }
      this.kernel.step(v[0], v[1], S, lambda, "sgd", ADAM);
      return;
    }
    if (this.ready !== row0) this.put(this.slot, row0, S);
    if (S === 1 && next !== undefined && this.backend === "wasm") {
      const other = this.slot === 0 ? 1 : 0;
      this.put(other, next, 1);
      this.kernel.stepStaged(this.slot, 1, lambda, "sgd", ADAM, 1, other);
      this.slot = other;
      this.ready = next;
      return;
    }
    this.kernel.stepStaged(this.slot, S, lambda, "sgd", ADAM);
    this.ready = -1;
  }

  /** The current weights as Float64Array copies. */
  weights(): { W: Float64Array; U: Float64Array } {
    this.kernel.store();
    return { W: Float64Array.from(this.net.W), U: Float64Array.from(this.net.U) };
  }
}

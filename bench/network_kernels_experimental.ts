/**
 * Experimental kernels for one SGD step of the two-layer network f(x) = U σ(W x) (lib/networks/two_layer_network.ts),
 * measured against the library's `NetworkKernel` by `bench/compare_network.ts` and `two_layer_sgd.bench.ts`.
 * Not a bench file itself.
 *
 * One step on a batch X (S × n), Y (S × o), loss ½‖f − y‖² per sample, batch mean:
 *
 *     Z = X Wᵀ, A = σ(Z), D = σ′(Z), R = A Uᵀ − Y, G = (R U) ⊙ D,
 *     U ← U − (λ/S) Rᵀ A,  W ← W − (λ/S) Gᵀ X      (G with the old U).
 *
 * Variants (all step on rows [row0, row0 + S) of a data pool, like `two_layer_sgd.py`):
 *
 * - `lib`: `NetworkKernel.step` (S separate forward passes and rank-one accumulations into gW, gU, then
 *   one update pass; fused update at S = 1).
 * - `js-blocked` (Float64Array): the batch as matrices; the four products are register-tiled loops
 *   (Z and F: 2 × 4 dot-product tiles; R U, Rᵀ A and Gᵀ X: 4-row × 2-column tiles accumulating over the
 *   batch, written straight into U and W, so no gW, gU buffers and one pass over each weight matrix).
 * - `js-blocked-f32`: the same code on Float32Array storage (the arithmetic is still double in JS).
 * - `wasm-f64x2` / `wasm-f64x2-fma`: the same tiles as a WebAssembly SIMD module (2 doubles per vector),
 *   with separate multiply and add or with relaxed-SIMD `f64x2.relaxed_madd` (a fused multiply-add on CPUs
 *   with FMA; relaxed, so the rounding may differ between machines); the element-wise parts (tanh, R − Y,
 *   GA ⊙ D) in JS on views of the module's memory.
 * - `+simd tanh`: the element-wise parts in wasm SIMD too, with a vectorized tanh (an expm1 polynomial, a few
 *   ulp from Math.tanh; Math.tanh costs ~10 ns per element, 60–100 µs per step at S = 32).
 * - `+look-ahead` (S = 1): this step's rank-one update of W fused with the next step's W x′ (one pass over W
 *   instead of two); needs the next sample when the step is taken.
 * - `wasm-f32x4…`: the same in single precision (4 floats per vector; weights, data and products in
 *   Float32, so the result differs from float64 at the 1e-7 relative level).
 *
 * The wasm modules are written directly as bytes (`wasm_builder.ts`), specialized to the layer sizes; the
 * tile shapes are parameters (`Tiles`). At S = 1 they use a matrix–vector tile (1 × 8), a fused pass over U
 * that computes Uᵀr and updates U at once (4 rows per pass) and a 4-row rank-one update of W. Sizes must be
 * multiples of 8 and S = 1 or a multiple of 4; zero-padding the layers to such sizes leaves the
 * SGD trajectory unchanged (padded weights get zero gradients), which is how a library version would
 * handle other sizes.
 *
 * Also here: `WasmGramSingularValues`, the library's singularValues with the Gram matrix formed by the
 * wasm dot-product kernel.
 *
 * @module
 */

import { symmetricEigenvalues } from "../lib/networks/numerical_rank.ts";
import { NetworkKernel, type TwoLayerNetwork } from "../lib/networks/two_layer_network.ts";
import { buildModule, Func, op, T, type ValType } from "./wasm_builder.ts";

/** The sizes and activation of the benchmarked network. */
export interface Dims {
  inputs: number;
  hidden: number;
  outputs: number;
  activation: "tanh" | "linear";
}

/** One kernel variant: SGD steps on rows of a fixed data pool. */
export interface Variant {
  readonly name: string;
  /** Sets the weights (copied, converted to the variant's precision). */
  reset(W: Float64Array, U: Float64Array): void;
  /**
   * One SGD step on pool rows [row0, row0 + S) with learning rate λ; `next` is the next step's first row
   * (used only by the look-ahead variant).
   */
  step(row0: number, S: number, lambda: number, next?: number): void;
  /** The current weights as Float64Array copies. */
  weights(): { W: Float64Array; U: Float64Array };
}

const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/** The library kernel, `NetworkKernel.step`. */
export class LibVariant implements Variant {
  readonly name = "lib (NetworkKernel.step)";
  private readonly net: TwoLayerNetwork;
  private readonly kernel: NetworkKernel;
  private readonly views = new Map<string, [Float64Array, Float64Array]>();
  constructor(private readonly d: Dims, private readonly X: Float64Array, private readonly Y: Float64Array) {
    this.net = {
      inputs: d.inputs,
      hidden: d.hidden,
      outputs: d.outputs,
      activation: d.activation,
      W: new Float64Array(d.hidden * d.inputs),
      U: new Float64Array(d.outputs * d.hidden),
    };
    this.kernel = new NetworkKernel(this.net);
  }
  reset(W: Float64Array, U: Float64Array): void {
    this.net.W.set(W);
    this.net.U.set(U);
    this.kernel.load(); // the wasm backend keeps its own padded copy of the weights
  }
  step(row0: number, S: number, lambda: number): void {
    const key = `${row0}:${S}`;
    let v = this.views.get(key);
    if (!v) {
      const { inputs: n, outputs: o } = this.d;
      v = [this.X.subarray(row0 * n, (row0 + S) * n), this.Y.subarray(row0 * o, (row0 + S) * o)];
      this.views.set(key, v);
    }
    this.kernel.step(v[0], v[1], S, lambda, "sgd", ADAM);
  }
  weights(): { W: Float64Array; U: Float64Array } {
    this.kernel.store();
    return { W: Float64Array.from(this.net.W), U: Float64Array.from(this.net.U) };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Plain JS, register-tiled (Float64Array; a copy on Float32Array storage below).

/** C[m][i] = Σ_k A[ao + m·K + k] · B[i·K + k] for m < M, i < N (rows of A and B contiguous): 2 × 4 tiles. */
export function ntGemm(
  C: Float64Array,
  A: Float64Array,
  ao: number,
  B: Float64Array,
  M: number,
  N: number,
  K: number,
): void {
  let m = 0;
  for (; m + 1 < M; m += 2) {
    const a0 = ao + m * K, a1 = a0 + K;
    let i = 0;
    for (; i + 3 < N; i += 4) {
      const b0 = i * K, b1 = b0 + K, b2 = b1 + K, b3 = b2 + K;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let k = 0; k < K; k++) {
        const x0 = A[a0 + k], x1 = A[a1 + k];
        const w0 = B[b0 + k], w1 = B[b1 + k], w2 = B[b2 + k], w3 = B[b3 + k];
        s00 += x0 * w0;
        s01 += x0 * w1;
        s02 += x0 * w2;
        s03 += x0 * w3;
        s10 += x1 * w0;
        s11 += x1 * w1;
        s12 += x1 * w2;
        s13 += x1 * w3;
      }
      const c0 = m * N + i, c1 = c0 + N;
      C[c0] = s00;
      C[c0 + 1] = s01;
      C[c0 + 2] = s02;
      C[c0 + 3] = s03;
      C[c1] = s10;
      C[c1 + 1] = s11;
      C[c1 + 2] = s12;
      C[c1 + 3] = s13;
    }
    for (; i < N; i++) {
      let s0 = 0, s1 = 0;
      for (let k = 0; k < K; k++) {
        s0 += A[a0 + k] * B[i * K + k];
        s1 += A[a1 + k] * B[i * K + k];
      }
      C[m * N + i] = s0;
      C[(m + 1) * N + i] = s1;
    }
  }
  for (; m < M; m++) {
    const a0 = ao + m * K;
    let i = 0;
    for (; i + 3 < N; i += 4) {
      const b0 = i * K, b1 = b0 + K, b2 = b1 + K, b3 = b2 + K;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0; k < K; k++) {
        const x = A[a0 + k];
        s0 += x * B[b0 + k];
        s1 += x * B[b1 + k];
        s2 += x * B[b2 + k];
        s3 += x * B[b3 + k];
      }
      const c = m * N + i;
      C[c] = s0;
      C[c + 1] = s1;
      C[c + 2] = s2;
      C[c + 3] = s3;
    }
    for (; i < N; i++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += A[a0 + k] * B[i * K + k];
      C[m * N + i] = s;
    }
  }
}

/**
 * C[r][j] = β·C[r][j] + α Σ_{s<Sn} M[r·rs + s·ss] · B[bo + s·N + j] for r < Rn, j < N (C and B rows of
 * length N): 4-row × 2-column register tiles, the sum over s innermost. β is 0 or 1.
 */
export function axpyGemm(
  C: Float64Array,
  M: Float64Array,
  rs: number,
  ss: number,
  B: Float64Array,
  bo: number,
  Sn: number,
  Rn: number,
  N: number,
  alpha: number,
  beta: 0 | 1,
): void {
  let r = 0;
  for (; r + 3 < Rn; r += 4) {
    const m0 = r * rs, m1 = m0 + rs, m2 = m1 + rs, m3 = m2 + rs;
    const c0 = r * N, c1 = c0 + N, c2 = c1 + N, c3 = c2 + N;
    let j = 0;
    for (; j + 1 < N; j += 2) {
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
      let b = bo + j;
      let q = 0;
      for (let s = 0; s < Sn; s++) {
        const u0 = B[b], u1 = B[b + 1];
        const k0 = M[m0 + q], k1 = M[m1 + q], k2 = M[m2 + q], k3 = M[m3 + q];
        s00 += k0 * u0;
        s01 += k0 * u1;
        s10 += k1 * u0;
        s11 += k1 * u1;
        s20 += k2 * u0;
        s21 += k2 * u1;
        s30 += k3 * u0;
        s31 += k3 * u1;
        b += N;
        q += ss;
      }
      if (beta === 0) {
        C[c0 + j] = alpha * s00;
        C[c0 + j + 1] = alpha * s01;
        C[c1 + j] = alpha * s10;
        C[c1 + j + 1] = alpha * s11;
        C[c2 + j] = alpha * s20;
        C[c2 + j + 1] = alpha * s21;
        C[c3 + j] = alpha * s30;
        C[c3 + j + 1] = alpha * s31;
      } else {
        C[c0 + j] += alpha * s00;
        C[c0 + j + 1] += alpha * s01;
        C[c1 + j] += alpha * s10;
        C[c1 + j + 1] += alpha * s11;
        C[c2 + j] += alpha * s20;
        C[c2 + j + 1] += alpha * s21;
        C[c3 + j] += alpha * s30;
        C[c3 + j + 1] += alpha * s31;
      }
    }
    for (; j < N; j++) {
      for (let i = 0; i < 4; i++) {
        let s = 0;
        for (let t = 0; t < Sn; t++) s += M[(r + i) * rs + t * ss] * B[bo + t * N + j];
        C[(r + i) * N + j] = beta * C[(r + i) * N + j] + alpha * s;
      }
    }
  }
  for (; r < Rn; r++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let t = 0; t < Sn; t++) s += M[r * rs + t * ss] * B[bo + t * N + j];
      C[r * N + j] = beta * C[r * N + j] + alpha * s;
    }
  }
}

/** σ, σ′ in place: A = σ(Z), D = σ′(Z) for `len` entries. */
function activate64(act: "tanh" | "linear", Z: Float64Array, A: Float64Array, D: Float64Array, len: number) {
  if (act === "tanh") {
    for (let i = 0; i < len; i++) {
      const t = Math.tanh(Z[i]);
      A[i] = t;
      D[i] = 1 - t * t;
    }
  } else {
    for (let i = 0; i < len; i++) {
      A[i] = Z[i];
      D[i] = 1;
    }
  }
}

/** The batch as matrices with the register-tiled JS products above (Float64Array). */
export class JsBlockedVariant implements Variant {
  readonly name = "js-blocked (Float64Array, register tiles)";
  readonly W: Float64Array;
  readonly U: Float64Array;
  private readonly Z: Float64Array;
  private readonly A: Float64Array;
  private readonly D: Float64Array;
  private readonly R: Float64Array;
  private readonly G: Float64Array;
  constructor(
    private readonly d: Dims,
    private readonly X: Float64Array,
    private readonly Y: Float64Array,
    Smax: number,
  ) {
    const { inputs: n, hidden: h, outputs: o } = d;
    this.W = new Float64Array(h * n);
    this.U = new Float64Array(o * h);
    this.Z = new Float64Array(Smax * h);
    this.A = new Float64Array(Smax * h);
    this.D = new Float64Array(Smax * h);
    this.R = new Float64Array(Smax * o);
    this.G = new Float64Array(Smax * h);
  }
  reset(W: Float64Array, U: Float64Array): void {
    this.W.set(W);
    this.U.set(U);
  }
  step(row0: number, S: number, lambda: number): void {
    const { inputs: n, hidden: h, outputs: o } = this.d;
    const { W, U, Z, A, D, R, G, X, Y } = this;
    const xo = row0 * n, yo = row0 * o;
    ntGemm(Z, X, xo, W, S, h, n); // Z = X Wᵀ
    activate64(this.d.activation, Z, A, D, S * h);
    ntGemm(R, A, 0, U, S, o, h); // F = A Uᵀ
    for (let i = 0; i < S * o; i++) R[i] -= Y[yo + i];
    axpyGemm(G, R, o, 1, U, 0, o, S, h, 1, 0); // GA = R U (old U)
    for (let i = 0; i < S * h; i++) G[i] *= D[i];
    const c = -lambda / S;
    axpyGemm(U, R, 1, o, A, 0, S, o, h, c, 1); // U += c Rᵀ A
    axpyGemm(W, G, 1, h, X, xo, S, h, n, c, 1); // W += c Gᵀ X
  }
  weights(): { W: Float64Array; U: Float64Array } {
    return { W: Float64Array.from(this.W), U: Float64Array.from(this.U) };
  }
}

// The same two products on Float32Array storage (a copy: one function per element type keeps V8's
// element-kind feedback monomorphic).

function ntGemm32(C: Float32Array, A: Float32Array, ao: number, B: Float32Array, M: number, N: number, K: number) {
  for (let m = 0; m < M; m += 2) {
    const a0 = ao + m * K, a1 = m + 1 < M ? a0 + K : a0;
    for (let i = 0; i < N; i += 4) {
      const b0 = i * K, b1 = b0 + K, b2 = b1 + K, b3 = b2 + K;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let k = 0; k < K; k++) {
        const x0 = A[a0 + k], x1 = A[a1 + k];
        const w0 = B[b0 + k], w1 = B[b1 + k], w2 = B[b2 + k], w3 = B[b3 + k];
        s00 += x0 * w0;
        s01 += x0 * w1;
        s02 += x0 * w2;
        s03 += x0 * w3;
        s10 += x1 * w0;
        s11 += x1 * w1;
        s12 += x1 * w2;
        s13 += x1 * w3;
      }
      const c0 = m * N + i;
      C[c0] = s00;
      C[c0 + 1] = s01;
      C[c0 + 2] = s02;
      C[c0 + 3] = s03;
      if (m + 1 < M) {
        const c1 = c0 + N;
        C[c1] = s10;
        C[c1 + 1] = s11;
        C[c1 + 2] = s12;
        C[c1 + 3] = s13;
      }
    }
  }
}

function axpyGemm32(
  C: Float32Array,
  M: Float32Array,
  rs: number,
  ss: number,
  B: Float32Array,
  bo: number,
  Sn: number,
  Rn: number,
  N: number,
  alpha: number,
  beta: 0 | 1,
) {
  for (let r = 0; r < Rn; r += 4) {
    const m0 = r * rs, m1 = m0 + rs, m2 = m1 + rs, m3 = m2 + rs;
    const c0 = r * N, c1 = c0 + N, c2 = c1 + N, c3 = c2 + N;
    for (let j = 0; j < N; j += 2) {
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
      let b = bo + j;
      let q = 0;
      for (let s = 0; s < Sn; s++) {
        const u0 = B[b], u1 = B[b + 1];
        const k0 = M[m0 + q], k1 = M[m1 + q], k2 = M[m2 + q], k3 = M[m3 + q];
        s00 += k0 * u0;
        s01 += k0 * u1;
        s10 += k1 * u0;
        s11 += k1 * u1;
        s20 += k2 * u0;
        s21 += k2 * u1;
        s30 += k3 * u0;
        s31 += k3 * u1;
        b += N;
        q += ss;
      }
      C[c0 + j] = beta * C[c0 + j] + alpha * s00;
      C[c0 + j + 1] = beta * C[c0 + j + 1] + alpha * s01;
      C[c1 + j] = beta * C[c1 + j] + alpha * s10;
      C[c1 + j + 1] = beta * C[c1 + j + 1] + alpha * s11;
      C[c2 + j] = beta * C[c2 + j] + alpha * s20;
      C[c2 + j + 1] = beta * C[c2 + j + 1] + alpha * s21;
      C[c3 + j] = beta * C[c3 + j] + alpha * s30;
      C[c3 + j + 1] = beta * C[c3 + j + 1] + alpha * s31;
    }
  }
}

/** `JsBlockedVariant` on Float32Array storage (needs rows, hidden, outputs multiples of 4, N even). */
export class JsBlocked32Variant implements Variant {
  readonly name = "js-blocked-f32 (Float32Array storage)";
  private readonly W: Float32Array;
  private readonly U: Float32Array;
  private readonly X: Float32Array;
  private readonly Y: Float32Array;
  private readonly Z: Float32Array;
  private readonly A: Float32Array;
  private readonly D: Float32Array;
  private readonly R: Float32Array;
  private readonly G: Float32Array;
  constructor(private readonly d: Dims, X: Float64Array, Y: Float64Array, Smax: number) {
    const { inputs: n, hidden: h, outputs: o } = d;
    if (h % 4 || o % 4 || n % 2 || h % 2) throw new RangeError("js-blocked-f32 needs hidden, outputs % 4 = 0");
    this.X = Float32Array.from(X);
    this.Y = Float32Array.from(Y);
    this.W = new Float32Array(h * n);
    this.U = new Float32Array(o * h);
    this.Z = new Float32Array(Smax * h);
    this.A = new Float32Array(Smax * h);
    this.D = new Float32Array(Smax * h);
    this.R = new Float32Array(Smax * o);
    this.G = new Float32Array(Smax * h);
  }
  reset(W: Float64Array, U: Float64Array): void {
    this.W.set(W);
    this.U.set(U);
  }
  step(row0: number, S: number, lambda: number): void {
    const { inputs: n, hidden: h, outputs: o } = this.d;
    const { W, U, Z, A, D, R, G, X, Y } = this;
    const xo = row0 * n, yo = row0 * o;
    ntGemm32(Z, X, xo, W, S, h, n);
    if (this.d.activation === "tanh") {
      for (let i = 0; i < S * h; i++) {
        const t = Math.tanh(Z[i]);
        A[i] = t;
        D[i] = 1 - t * t;
      }
    } else {
      A.set(Z.subarray(0, S * h));
      D.fill(1);
    }
    ntGemm32(R, A, 0, U, S, o, h);
    for (let i = 0; i < S * o; i++) R[i] -= Y[yo + i];
    axpyGemm32(G, R, o, 1, U, 0, o, S, h, 1, 0);
    for (let i = 0; i < S * h; i++) G[i] *= D[i];
    const c = -lambda / S;
    axpyGemm32(U, R, 1, o, A, 0, S, o, h, c, 1);
    axpyGemm32(W, G, 1, h, X, xo, S, h, n, c, 1);
  }
  weights(): { W: Float64Array; U: Float64Array } {
    return { W: Float64Array.from(this.W), U: Float64Array.from(this.U) };
  }
}

// ---------------------------------------------------------------------------------------------------------
// WebAssembly SIMD.

/** A precision: element bytes, lanes per v128 and the matching opcodes. */
interface Precision {
  e: number;
  lanes: number;
  scalar: ValType;
  splatLoad: (offset: number) => number[];
  splat: number[];
  vadd: number[];
  vmul: number[];
  vmadd: number[];
  /** Sum of the lanes of the v128 in local `v`. */
  hsum: (v: number) => number[];
  store: (offset: number) => number[];
}

const F64: Precision = {
  e: 8,
  lanes: 2,
  scalar: T.f64,
  splatLoad: op.load64splat,
  splat: op.f64x2splat,
  vadd: op.f64x2add,
  vmul: op.f64x2mul,
  vmadd: op.f64x2madd,
  hsum: (v) => [...op.get(v), ...op.f64x2lane(0), ...op.get(v), ...op.f64x2lane(1), ...op.f64add],
  store: op.f64store,
};

const F32: Precision = {
  e: 4,
  lanes: 4,
  scalar: T.f32,
  splatLoad: op.load32splat,
  splat: op.f32x4splat,
  vadd: op.f32x4add,
  vmul: op.f32x4mul,
  vmadd: op.f32x4madd,
  hsum: (v) => [
    ...op.get(v),
    ...op.f32x4lane(0),
    ...op.get(v),
    ...op.f32x4lane(1),
    ...op.f32add,
    ...op.get(v),
    ...op.f32x4lane(2),
    ...op.get(v),
    ...op.f32x4lane(3),
    ...op.f32add,
    ...op.f32add,
  ],
  store: op.f32store,
};

/** Bytes leaving a·b + c on the stack (a, b, c: byte arrays pushing one v128 each). */
function madd(P: Precision, fused: boolean, a: number[], b: number[], c: number[]): number[] {
  return fused ? [...a, ...b, ...c, ...P.vmadd] : [...c, ...a, ...b, ...P.vmul, ...P.vadd];
}

/** The tile shapes of the generated kernels. */
export interface Tiles {
  /** Rows of A × rows of B in the dot-product kernel (Z = X Wᵀ, F = A Uᵀ). */
  ntMR: number;
  ntNR: number;
  /** Rows of C × vectors per row in the accumulating kernel (R U, Rᵀ A, Gᵀ X). */
  axRR: number;
  axJV: number;
  /** S = 1: rows of W (U) per matrix–vector tile, rows per fused pass over U, rows per rank-one pass over W. */
  mvNR: number;
  uRR: number;
  gerRR: number;
  /** Unrolling of the reduction loops (the dot products' k, the accumulations' s). */
  ntUnroll: number;
  axUnroll: number;
}

export const DEFAULT_TILES: Tiles = {
  ntMR: 2,
  ntNR: 4,
  axRR: 4,
  axJV: 2,
  mvNR: 8,
  uRR: 4,
  gerRR: 4,
  ntUnroll: 1,
  axUnroll: 1,
};

/** Options of {@linkcode WasmVariant}. */
export interface WasmOptions {
  precision: "f64" | "f32";
  /** relaxed_madd (FMA) instead of multiply and add. */
  fused: boolean;
  /** tanh, R − Y and G ⊙ D in wasm SIMD too (else JS loops on views of the memory). */
  simdElementwise: boolean;
  /**
   * S = 1: fuse this step's rank-one update of W with the next step's W x′ (one pass over W instead of two);
   * needs the next sample's row (`step(row0, 1, λ, next)`).
   */
  lookahead?: boolean;
  tiles?: Partial<Tiles>;
  name?: string;
}

/**
 * C[m][i] = Σ_k A[m][k] B[i][k] (rows of length K; C rows of length N), MR × NR tiles, m < M (runtime).
 * Params (C, A, B, M), byte addresses.
 */
function ntKernel(
  P: Precision,
  fused: boolean,
  name: string,
  MR: number,
  NR: number,
  K: number,
  N: number,
  unroll = 1,
): Func {
  const f = new Func(name, [T.i32, T.i32, T.i32, T.i32]);
  const [C, A, B, M] = [0, 1, 2, 3];
  const pa = f.local(T.i32), pc = f.local(T.i32), pb = f.local(T.i32), pcn = f.local(T.i32);
  const paEnd = f.local(T.i32), pbEnd = f.local(T.i32), p = f.local(T.i32), q = f.local(T.i32), r = f.local(T.i32);
  const acc = Array.from({ length: MR * NR }, () => f.local(T.v128));
  const av = Array.from({ length: MR }, () => f.local(T.v128));
  const bv = f.local(T.v128);
  const rowA = K * P.e, rowC = N * P.e;
  if (rowA % (16 * unroll) || N % NR) throw new RangeError(`${name}: K % (lanes·unroll) and N % NR must be 0`);
  f.emit(
    op.get(A),
    op.get(M),
    op.i32(rowA),
    op.mul,
    op.add,
    op.set(paEnd),
    op.get(A),
    op.set(pa),
    op.get(C),
    op.set(pc),
    op.get(B),
    op.i32(N * rowA),
    op.add,
    op.set(pbEnd),
    op.loop, // m
    op.get(B),
    op.set(pb),
    op.get(pc),
    op.set(pcn),
    op.loop, // i
  );
  for (const a of acc) f.emit(op.v128zero, op.set(a));
  f.emit(op.i32(0), op.set(p), op.loop); // k
  f.emit(op.get(pa), op.get(p), op.add, op.set(q), op.get(pb), op.get(p), op.add, op.set(r));
  // The MR rows of A in registers; each row of B loaded once and used at once (MR·NR + MR + 1 live vectors).
  for (let u = 0; u < unroll; u++) {
    for (let i = 0; i < MR; i++) f.emit(op.get(q), op.v128load(i * rowA + 16 * u), op.set(av[i]));
    for (let j = 0; j < NR; j++) {
      f.emit(op.get(r), op.v128load(j * rowA + 16 * u), op.set(bv));
      for (let i = 0; i < MR; i++) {
        f.emit(madd(P, fused, op.get(av[i]), op.get(bv), op.get(acc[i * NR + j])), op.set(acc[i * NR + j]));
      }
    }
  }
  f.emit(op.get(p), op.i32(16 * unroll), op.add, op.tee(p), op.i32(rowA), op.ne, op.brIf(0), op.end);
  for (let i = 0; i < MR; i++) {
    for (let j = 0; j < NR; j++) f.emit(op.get(pcn), P.hsum(acc[i * NR + j]), P.store(i * rowC + j * P.e));
  }
  f.emit(
    op.get(pcn),
    op.i32(NR * P.e),
    op.add,
    op.set(pcn),
    op.get(pb),
    op.i32(NR * rowA),
    op.add,
    op.tee(pb),
    op.get(pbEnd),
    op.ne,
    op.brIf(0),
    op.end, // i
    op.get(pc),
    op.i32(MR * rowC),
    op.add,
    op.set(pc),
    op.get(pa),
    op.i32(MR * rowA),
    op.add,
    op.tee(pa),
    op.get(paEnd),
    op.ne,
    op.brIf(0),
    op.end, // m
  );
  return f;
}

/**
 * C[r][j] = β·C[r][j] + α Σ_{s<Sn} M[r·rs + s·ss] · B[s][j] (C and B rows of N elements), RR rows × JV
 * vectors per tile. Params (C, M, B, Sn, α, Rn).
 */
function axKernel(
  P: Precision,
  fused: boolean,
  name: string,
  RR: number,
  JV: number,
  N: number,
  rs: number,
  ss: number,
  beta: 0 | 1,
  unroll = 1,
): Func {
  const f = new Func(name, [T.i32, T.i32, T.i32, T.i32, P.scalar, T.i32]);
  const [C, M, B, Sn, alpha, Rn] = [0, 1, 2, 3, 4, 5];
  const pc = f.local(T.i32), pm = f.local(T.i32), pj = f.local(T.i32), pb = f.local(T.i32);
  const pms = f.local(T.i32), pmEnd = f.local(T.i32), pcEnd = f.local(T.i32), q = f.local(T.i32);
  const acc = Array.from({ length: RR * JV }, () => f.local(T.v128));
  const bv = Array.from({ length: JV }, () => f.local(T.v128));
  const cf = f.local(T.v128), al = f.local(T.v128);
  const row = N * P.e;
  if (N % (JV * P.lanes)) throw new RangeError(`${name}: N must be a multiple of ${JV * P.lanes}`);
  f.emit(
    op.get(alpha),
    P.splat,
    op.set(al),
    op.get(C),
    op.get(Rn),
    op.i32(row),
    op.mul,
    op.add,
    op.set(pcEnd),
    op.get(C),
    op.set(pc),
    op.get(M),
    op.set(pm),
    op.loop, // r
    op.i32(0),
    op.set(pj),
    op.loop, // j
  );
  for (const a of acc) f.emit(op.v128zero, op.set(a));
  f.emit(
    op.get(B),
    op.get(pj),
    op.add,
    op.set(pb),
    op.get(pm),
    op.set(pms),
    op.get(pm),
    op.get(Sn),
    op.i32(ss * P.e),
    op.mul,
    op.add,
    op.set(pmEnd),
    op.loop, // s
  );
  for (let u = 0; u < unroll; u++) {
    for (let v = 0; v < JV; v++) f.emit(op.get(pb), op.v128load(16 * v + u * row), op.set(bv[v]));
    for (let i = 0; i < RR; i++) {
      f.emit(op.get(pms), P.splatLoad((i * rs + u * ss) * P.e), op.set(cf));
      for (let v = 0; v < JV; v++) {
        f.emit(madd(P, fused, op.get(bv[v]), op.get(cf), op.get(acc[i * JV + v])), op.set(acc[i * JV + v]));
      }
    }
  }
  f.emit(
    op.get(pb),
    op.i32(unroll * row),
    op.add,
    op.set(pb),
    op.get(pms),
    op.i32(unroll * ss * P.e),
    op.add,
    op.tee(pms),
    op.get(pmEnd),
    op.ne,
    op.brIf(0),
    op.end, // s
    op.get(pc),
    op.get(pj),
    op.add,
    op.set(q),
  );
  for (let i = 0; i < RR; i++) {
    for (let v = 0; v < JV; v++) {
      const off = i * row + 16 * v;
      f.emit(op.get(q));
      if (beta) f.emit(madd(P, fused, op.get(acc[i * JV + v]), op.get(al), [...op.get(q), ...op.v128load(off)]));
      else f.emit(op.get(acc[i * JV + v]), op.get(al), P.vmul);
      f.emit(op.v128store(off));
    }
  }
  f.emit(
    op.get(pj),
    op.i32(16 * JV),
    op.add,
    op.tee(pj),
    op.i32(row),
    op.ne,
    op.brIf(0),
    op.end, // j
    op.get(pm),
    op.i32(RR * rs * P.e),
    op.add,
    op.set(pm),
    op.get(pc),
    op.i32(RR * row),
    op.add,
    op.tee(pc),
    op.get(pcEnd),
    op.ne,
    op.brIf(0),
    op.end, // r
  );
  return f;
}

/**
 * S = 1, the pass over U: ga += Uᵀ r (old U) and U += c r aᵀ, RR rows per pass. Params (U, r, a, ga, c, Rn);
 * rows of N elements.
 */
function fusedUKernel(P: Precision, fused: boolean, name: string, RR: number, N: number): Func {
  const f = new Func(name, [T.i32, T.i32, T.i32, T.i32, P.scalar, T.i32]);
  const [U, rp, a, ga, c, Rn] = [0, 1, 2, 3, 4, 5];
  const pu = f.local(T.i32), pr = f.local(T.i32), prEnd = f.local(T.i32), pj = f.local(T.i32);
  const qu = f.local(T.i32), qg = f.local(T.i32), qa = f.local(T.i32);
  const rk = Array.from({ length: RR }, () => f.local(T.v128));
  const ck = Array.from({ length: RR }, () => f.local(T.v128));
  const g = f.local(T.v128), av = f.local(T.v128), u = f.local(T.v128), cs = f.local(T.v128);
  const row = N * P.e;
  f.emit(
    op.get(c),
    P.splat,
    op.set(cs),
    op.get(rp),
    op.get(Rn),
    op.i32(P.e),
    op.mul,
    op.add,
    op.set(prEnd),
    op.get(U),
    op.set(pu),
    op.get(rp),
    op.set(pr),
    op.loop, // k
  );
  for (let i = 0; i < RR; i++) {
    f.emit(op.get(pr), P.splatLoad(i * P.e), op.tee(rk[i]), op.get(cs), P.vmul, op.set(ck[i]));
  }
  f.emit(op.i32(0), op.set(pj), op.loop); // j
  f.emit(
    op.get(pu),
    op.get(pj),
    op.add,
    op.set(qu),
    op.get(ga),
    op.get(pj),
    op.add,
    op.tee(qg),
    op.v128load(0),
    op.set(g),
    op.get(a),
    op.get(pj),
    op.add,
    op.tee(qa),
    op.v128load(0),
    op.set(av),
  );
  for (let i = 0; i < RR; i++) {
    f.emit(op.get(qu), op.v128load(i * row), op.set(u));
    f.emit(madd(P, fused, op.get(u), op.get(rk[i]), op.get(g)), op.set(g));
    f.emit(op.get(qu), madd(P, fused, op.get(av), op.get(ck[i]), op.get(u)), op.v128store(i * row));
  }
  f.emit(
    op.get(qg),
    op.get(g),
    op.v128store(0),
    op.get(pj),
    op.i32(16),
    op.add,
    op.tee(pj),
    op.i32(row),
    op.ne,
    op.brIf(0),
    op.end, // j
    op.get(pu),
    op.i32(RR * row),
    op.add,
    op.set(pu),
    op.get(pr),
    op.i32(RR * P.e),
    op.add,
    op.tee(pr),
    op.get(prEnd),
    op.ne,
    op.brIf(0),
    op.end, // k
  );
  return f;
}

/** C[r][j] += α u[r] v[j], RR rows per pass. Params (C, u, v, α, Rn); rows of N elements. */
function gerKernel(P: Precision, fused: boolean, name: string, RR: number, N: number): Func {
  const f = new Func(name, [T.i32, T.i32, T.i32, P.scalar, T.i32]);
  const [C, up, v, alpha, Rn] = [0, 1, 2, 3, 4];
  const pc = f.local(T.i32), pu = f.local(T.i32), puEnd = f.local(T.i32), pj = f.local(T.i32);
  const qc = f.local(T.i32);
  const ck = Array.from({ length: RR }, () => f.local(T.v128));
  const vv = f.local(T.v128), cs = f.local(T.v128);
  const row = N * P.e;
  f.emit(
    op.get(alpha),
    P.splat,
    op.set(cs),
    op.get(up),
    op.get(Rn),
    op.i32(P.e),
    op.mul,
    op.add,
    op.set(puEnd),
    op.get(C),
    op.set(pc),
    op.get(up),
    op.set(pu),
    op.loop,
  );
  for (let i = 0; i < RR; i++) f.emit(op.get(pu), P.splatLoad(i * P.e), op.get(cs), P.vmul, op.set(ck[i]));
  f.emit(op.i32(0), op.set(pj), op.loop);
  f.emit(op.get(pc), op.get(pj), op.add, op.set(qc), op.get(v), op.get(pj), op.add, op.v128load(0), op.set(vv));
  for (let i = 0; i < RR; i++) {
    f.emit(op.get(qc), madd(P, fused, op.get(vv), op.get(ck[i]), [...op.get(qc), ...op.v128load(i * row)]));
    f.emit(op.v128store(i * row));
  }
  f.emit(
    op.get(pj),
    op.i32(16),
    op.add,
    op.tee(pj),
    op.i32(row),
    op.ne,
    op.brIf(0),
    op.end,
    op.get(pc),
    op.i32(RR * row),
    op.add,
    op.set(pc),
    op.get(pu),
    op.i32(RR * P.e),
    op.add,
    op.tee(pu),
    op.get(puEnd),
    op.ne,
    op.brIf(0),
    op.end,
  );
  return f;
}

/**
 * S = 1 with look-ahead: the rank-one update of W for this step fused with the next step's W x′, in one
 * pass over W: W[i] += c g[i] x, then z′[i] = W[i] · x′ (the new W). Params (W, g, x, x′, z′, c, Rn); rows of
 * N elements; RR rows per pass.
 */
function gerDotKernel(P: Precision, fused: boolean, name: string, RR: number, N: number): Func {
  const f = new Func(name, [T.i32, T.i32, T.i32, T.i32, T.i32, P.scalar, T.i32]);
  const [W, gp, x, xn, zn, c, Rn] = [0, 1, 2, 3, 4, 5, 6];
  const pw = f.local(T.i32), pg = f.local(T.i32), pgEnd = f.local(T.i32), pj = f.local(T.i32);
  const qw = f.local(T.i32), pz = f.local(T.i32);
  const ck = Array.from({ length: RR }, () => f.local(T.v128));
  const acc = Array.from({ length: RR }, () => f.local(T.v128));
  const xv = f.local(T.v128), xnv = f.local(T.v128), w = f.local(T.v128), cs = f.local(T.v128);
  const row = N * P.e;
  f.emit(
    op.get(c),
    P.splat,
    op.set(cs),
    op.get(gp),
    op.get(Rn),
    op.i32(P.e),
    op.mul,
    op.add,
    op.set(pgEnd),
    op.get(W),
    op.set(pw),
    op.get(gp),
    op.set(pg),
    op.get(zn),
    op.set(pz),
    op.loop,
  );
  for (let i = 0; i < RR; i++) {
    f.emit(op.get(pg), P.splatLoad(i * P.e), op.get(cs), P.vmul, op.set(ck[i]), op.v128zero, op.set(acc[i]));
  }
  f.emit(op.i32(0), op.set(pj), op.loop);
  f.emit(op.get(pw), op.get(pj), op.add, op.set(qw));
  f.emit(op.get(x), op.get(pj), op.add, op.v128load(0), op.set(xv));
  f.emit(op.get(xn), op.get(pj), op.add, op.v128load(0), op.set(xnv));
  for (let i = 0; i < RR; i++) {
    f.emit(madd(P, fused, op.get(xv), op.get(ck[i]), [...op.get(qw), ...op.v128load(i * row)]), op.set(w));
    f.emit(op.get(qw), op.get(w), op.v128store(i * row));
    f.emit(madd(P, fused, op.get(w), op.get(xnv), op.get(acc[i])), op.set(acc[i]));
  }
  f.emit(op.get(pj), op.i32(16), op.add, op.tee(pj), op.i32(row), op.ne, op.brIf(0), op.end);
  for (let i = 0; i < RR; i++) f.emit(op.get(pz), P.hsum(acc[i]), P.store(i * P.e));
  f.emit(
    op.get(pz),
    op.i32(RR * P.e),
    op.add,
    op.set(pz),
    op.get(pw),
    op.i32(RR * row),
    op.add,
    op.set(pw),
    op.get(pg),
    op.i32(RR * P.e),
    op.add,
    op.tee(pg),
    op.get(pgEnd),
    op.ne,
    op.brIf(0),
    op.end,
  );
  return f;
}

/**
 * A = tanh(Z), D = 1 − A² for `len` entries (a multiple of the lanes), vectorized: with y = min(2|x|, c) and
 * y = k ln 2 + r (|r| ≤ ln2/2), expm1(y) = 2ᵏ·expm1(r) + (2ᵏ − 1) with expm1(r) a Taylor polynomial (to r¹³/13!
 * in f64, r⁷/7! in f32) and 2ᵏ built from the exponent bits; tanh|x| = expm1(y)/(expm1(y) + 2), then the
 * sign of x. No cancellation for small |x|, so the error is a few ulp (checked against Math.tanh by
 * compare_network.ts). NaN propagates. Params (Z, A, D, len).
 */
function tanhKernel(P: Precision, name: string): Func {
  const f = new Func(name, [T.i32, T.i32, T.i32, T.i32]);
  const [Z, A, D, len] = [0, 1, 2, 3];
  const p = f.local(T.i32), end = f.local(T.i32);
  const x = f.local(T.v128), y = f.local(T.v128), kf = f.local(T.v128), k = f.local(T.v128);
  const r = f.local(T.v128), hh = f.local(T.v128), q = f.local(T.v128), sc = f.local(T.v128);
  const em = f.local(T.v128), t = f.local(T.v128);
  const d64 = P.e === 8;
  const c = d64 ? op.f64x2const : op.f32x4const;
  const V = d64
    ? { abs: op.f64x2abs, min: op.f64x2min, sub: op.f64x2sub, div: op.f64x2div, shl: op.i64x2shl }
    : { abs: op.f32x4abs, min: op.f32x4min, sub: op.f32x4sub, div: op.f32x4div, shl: op.i32x4shl };
  const clamp = d64 ? 40 : 20;
  const magic = d64 ? 2 ** 52 + 1023 : 2 ** 23 + 127;
  const ln2hi = d64 ? 6.93147180369123816490e-01 : 0.693359375;
  const ln2lo = d64 ? 1.90821492927058770002e-10 : -2.12194440e-4;
  const terms = d64 ? 12 : 6; // coefficients 1/(j + 2)!, j < terms
  const coef: number[] = [];
  let fact = 1;
  for (let j = 2; j < terms + 2; j++) coef.push(1 / (fact *= j));
  const mul = P.vmul, add = P.vadd;
  f.emit(op.get(len), op.i32(P.e), op.mul, op.set(end), op.i32(0), op.set(p), op.loop);
  f.emit(op.get(Z), op.get(p), op.add, op.v128load(0), op.tee(x), V.abs, c(2), mul, c(clamp), V.min, op.set(y));
  f.emit(op.get(y), c(1 / Math.LN2), mul, c(magic), add, op.tee(kf), c(magic), V.sub, op.set(k));
  f.emit(op.get(y), op.get(k), c(ln2hi), mul, V.sub, op.get(k), c(ln2lo), mul, V.sub, op.set(r));
  f.emit(c(coef[terms - 1]), op.set(hh));
  for (let j = terms - 2; j >= 0; j--) f.emit(op.get(hh), op.get(r), mul, c(coef[j]), add, op.set(hh));
  f.emit(op.get(r), op.get(r), mul, op.get(hh), mul, op.get(r), add, op.set(q)); // expm1(r)
  f.emit(op.get(kf), d64 ? op.i32(52) : op.i32(23), V.shl, op.set(sc)); // 2ᵏ
  f.emit(op.get(sc), op.get(q), mul, op.get(sc), c(1), V.sub, add, op.tee(em));
  f.emit(op.get(em), c(2), add, V.div, op.set(t));
  const sign = d64 ? op.i64x2const(-0x8000000000000000n) : op.i32x4const(-0x80000000);
  f.emit(op.get(A), op.get(p), op.add, op.get(t), op.get(x), sign, op.v128and, op.v128or, op.v128store(0));
  f.emit(op.get(D), op.get(p), op.add, c(1), op.get(t), op.get(t), mul, V.sub, op.v128store(0));
  f.emit(op.get(p), op.i32(16), op.add, op.tee(p), op.get(end), op.ne, op.brIf(0), op.end);
  return f;
}

/** dst[i] = dst[i] − src[i] (`sub`) or dst[i]·src[i] (`mul`), `len` a multiple of the lanes. Params (dst, src, len). */
function elementwiseKernel(P: Precision, name: string, which: "sub" | "mul"): Func {
  const f = new Func(name, [T.i32, T.i32, T.i32]);
  const [dst, src, len] = [0, 1, 2];
  const p = f.local(T.i32), end = f.local(T.i32), q = f.local(T.i32);
  const vop = which === "mul" ? P.vmul : (P.e === 8 ? op.f64x2sub : op.f32x4sub);
  f.emit(op.get(len), op.i32(P.e), op.mul, op.set(end), op.i32(0), op.set(p), op.loop);
  f.emit(op.get(dst), op.get(p), op.add, op.tee(q), op.get(q), op.v128load(0), op.get(src), op.get(p), op.add);
  f.emit(op.v128load(0), vop, op.v128store(0));
  f.emit(op.get(p), op.i32(16), op.add, op.tee(p), op.get(end), op.ne, op.brIf(0), op.end);
  return f;
}

type Exports = Record<string, CallableFunction> & { memory: WebAssembly.Memory };

/** The WebAssembly SIMD kernels, f64x2 or f32x4, with or without relaxed fused multiply-add. */
export class WasmVariant implements Variant {
  readonly name: string;
  private readonly x: Exports;
  private readonly P: Precision;
  private readonly ptr: Record<"W" | "U" | "Z" | "A" | "D" | "R" | "G" | "X" | "Y", number>;
  // deno-lint-ignore no-explicit-any
  private readonly v: Record<"W" | "U" | "Z" | "A" | "D" | "R" | "G" | "Y", any>;
  private readonly ew: Elementwise<Float64Array> | Elementwise<Float32Array>;

  readonly tiles: Tiles;
  readonly simdElementwise: boolean;
  readonly lookahead: boolean;

  constructor(private readonly d: Dims, X: Float64Array, Y: Float64Array, Smax: number, o: WasmOptions) {
    const precision = o.precision;
    const fused = o.fused;
    const P = precision === "f64" ? F64 : F32;
    this.P = P;
    this.ew = precision === "f64" ? EW64 : EW32;
    this.simdElementwise = o.simdElementwise;
    this.lookahead = o.lookahead ?? false;
    const { inputs: n, hidden: h, outputs: out } = d;
    const t: Tiles = { ...DEFAULT_TILES, ...o.tiles };
    this.tiles = t;
    this.name = o.name ?? `wasm-${precision === "f64" ? "f64x2" : "f32x4"}${fused ? "-fma" : ""}` +
        (o.simdElementwise ? " +simd tanh" : "") + (o.lookahead ? " +look-ahead" : "") +
        (o.tiles
          ? ` (nt ${t.ntMR}×${t.ntNR}/${t.ntUnroll}, ax ${t.axRR}×${t.axJV}/${t.axUnroll}, S=1 ${t.mvNR}/${t.uRR}/${t.gerRR})`
          : "");
    const funcs = [
      ntKernel(P, fused, "ntZ", t.ntMR, t.ntNR, n, h, t.ntUnroll), // Z = X Wᵀ
      ntKernel(P, fused, "ntF", t.ntMR, t.ntNR, h, out, t.ntUnroll), // F = A Uᵀ
      ntKernel(P, fused, "ntZ1", 1, t.mvNR, n, h, t.ntUnroll),
      ntKernel(P, fused, "ntF1", 1, t.mvNR, h, out, t.ntUnroll),
      axKernel(P, fused, "axGA", t.axRR, t.axJV, h, out, 1, 0, t.axUnroll), // GA = R U
      axKernel(P, fused, "axU", t.axRR, t.axJV, h, 1, out, 1, t.axUnroll), // U += c Rᵀ A
      axKernel(P, fused, "axW", t.axRR, t.axJV, n, 1, h, 1, t.axUnroll), // W += c Gᵀ X
      fusedUKernel(P, fused, "fusedU", t.uRR, h),
      gerKernel(P, fused, "gerW", t.gerRR, n),
      gerDotKernel(P, fused, "gerDotW", t.gerRR, n),
      tanhKernel(P, "tanh"),
      elementwiseKernel(P, "vsub", "sub"),
      elementwiseKernel(P, "vmul", "mul"),
    ];
    const o2 = out;
    // Layout (bytes, 64-aligned): W, U, Z, A, D, R, G, X pool, Y pool.
    const sizes = { W: h * n, U: o2 * h, Z: Smax * h, A: Smax * h, D: Smax * h, R: Smax * o2, G: Smax * h };
    const ptr: Record<string, number> = {};
    let at = 64;
    for (const [k, len] of Object.entries(sizes)) {
      ptr[k] = at;
      at += Math.ceil((len * P.e) / 64) * 64;
    }
    ptr.X = at;
    at += Math.ceil((X.length * P.e) / 64) * 64;
    ptr.Y = at;
    at += Y.length * P.e;
    const bytes = buildModule(funcs, Math.ceil(at / 65536) + 1);
    this.x = new WebAssembly.Instance(new WebAssembly.Module(bytes as BufferSource)).exports as Exports;
    const buf = this.x.memory.buffer;
    const Arr = precision === "f64" ? Float64Array : Float32Array;
    const view = (k: string, len: number) => new Arr(buf, ptr[k], len);
    this.v = {
      W: view("W", sizes.W),
      U: view("U", sizes.U),
      Z: view("Z", sizes.Z),
      A: view("A", sizes.A),
      D: view("D", sizes.D),
      R: view("R", sizes.R),
      G: view("G", sizes.G),
      Y: view("Y", Y.length),
    };
    view("X", X.length).set(X);
    this.v.Y.set(Y);
    this.ptr = ptr as WasmVariant["ptr"];
  }

  reset(W: Float64Array, U: Float64Array): void {
    this.v.W.set(W);
    this.v.U.set(U);
    this.zReady = -1;
  }

  /** S = 1 only: Z already holds W x for this step's x (computed by the previous step's look-ahead pass). */
  private zReady = -1;

  step(row0: number, S: number, lambda: number, next?: number): void {
    const { inputs: n, hidden: h, outputs: o, activation } = this.d;
    const { x, ptr, P } = this;
    const { Z, A, D, R, G, Y } = this.v;
    const xp = ptr.X + row0 * n * P.e;
    const yo = row0 * o;
    const single = S === 1 || S % this.tiles.ntMR !== 0;
    if (S !== 1) this.zReady = -1;
    if (S === 1 && this.zReady === row0) {
      // z = W x was computed with the current W by the previous step's look-ahead pass.
    } else if (single) {
      for (let b = 0; b < S; b++) (x.ntZ1 as NtFn)(ptr.Z + b * h * P.e, xp + b * n * P.e, ptr.W, 1);
    } else (x.ntZ as NtFn)(ptr.Z, xp, ptr.W, S);
    const len = S * h;
    const ew = this.ew;
    const simdEw = this.simdElementwise;
    if (simdEw && activation === "tanh") (x.tanh as EwFn)(ptr.Z, ptr.A, ptr.D, len);
    else ew.act(activation, Z, A, D, len);
    if (single) { for (let b = 0; b < S; b++) (x.ntF1 as NtFn)(ptr.R + b * o * P.e, ptr.A + b * h * P.e, ptr.U, 1); }
    else (x.ntF as NtFn)(ptr.R, ptr.A, ptr.U, S);
    if (simdEw) (x.vsub as (d: number, s: number, l: number) => void)(ptr.R, ptr.Y + yo * P.e, S * o);
    else ew.sub(R, Y, yo, S * o);
    if (S === 1) {
      G.fill(0, 0, h);
      (x.fusedU as (U: number, r: number, a: number, ga: number, c: number, Rn: number) => void)(
        ptr.U,
        ptr.R,
        ptr.A,
        ptr.G,
        -lambda,
        o,
      );
      if (simdEw) (x.vmul as (d: number, s: number, l: number) => void)(ptr.G, ptr.D, h);
      else ew.mul(G, D, h);
      if (this.lookahead && next !== undefined) {
        // W += −λ g xᵀ and z′ = W x′ for the next sample, in one pass over W.
        (x.gerDotW as (W: number, g: number, x: number, xn: number, z: number, c: number, Rn: number) => void)(
          ptr.W,
          ptr.G,
          xp,
          ptr.X + next * n * P.e,
          ptr.Z,
          -lambda,
          h,
        );
        this.zReady = next;
      } else {
        (x.gerW as (C: number, u: number, v: number, a: number, Rn: number) => void)(ptr.W, ptr.G, xp, -lambda, h);
        this.zReady = -1;
      }
      return;
    }
    if (S % this.tiles.axRR !== 0 || S % this.tiles.axUnroll !== 0) {
      throw new RangeError(`${this.name}: S must be 1 or a multiple of the tile rows`);
    }
    (x.axGA as AxFn)(ptr.G, ptr.R, ptr.U, o, 1, S); // GA = R U
    if (simdEw) (x.vmul as (d: number, s: number, l: number) => void)(ptr.G, ptr.D, len);
    else ew.mul(G, D, len);
    const c = -lambda / S;
    (x.axU as AxFn)(ptr.U, ptr.R, ptr.A, S, c, o); // U += c Rᵀ A
    (x.axW as AxFn)(ptr.W, ptr.G, xp, S, c, h); // W += c Gᵀ X
  }

  weights(): { W: Float64Array; U: Float64Array } {
    return { W: Float64Array.from(this.v.W), U: Float64Array.from(this.v.U) };
  }
}

/** The element-wise parts, one copy per element type (monomorphic typed-array accesses). */
interface Elementwise<A> {
  act(act: "tanh" | "linear", Z: A, Acts: A, D: A, len: number): void;
  sub(R: A, Y: A, yo: number, len: number): void;
  mul(G: A, D: A, len: number): void;
}

const EW64: Elementwise<Float64Array> = {
  act: activate64,
  sub(R, Y, yo, len) {
    for (let i = 0; i < len; i++) R[i] -= Y[yo + i];
  },
  mul(G, D, len) {
    for (let i = 0; i < len; i++) G[i] *= D[i];
  },
};

const EW32: Elementwise<Float32Array> = {
  act(act, Z, A, D, len) {
    if (act === "tanh") {
      for (let i = 0; i < len; i++) {
        const t = Math.tanh(Z[i]);
        A[i] = t;
        D[i] = 1 - t * t;
      }
    } else {
      for (let i = 0; i < len; i++) {
        A[i] = Z[i];
        D[i] = 1;
      }
    }
  },
  sub(R, Y, yo, len) {
    for (let i = 0; i < len; i++) R[i] -= Y[yo + i];
  },
  mul(G, D, len) {
    for (let i = 0; i < len; i++) G[i] *= D[i];
  },
};

type EwFn = (Z: number, A: number, D: number, len: number) => void;
type NtFn = (C: number, A: number, B: number, M: number) => void;
type AxFn = (C: number, M: number, B: number, Sn: number, alpha: number, Rn: number) => void;

/** All variants for the given problem (the pool rows X, Y are shared, copied into each variant's storage). */
export function allVariants(d: Dims, X: Float64Array, Y: Float64Array, Smax: number): Variant[] {
  const wasm = (o: WasmOptions) => new WasmVariant(d, X, Y, Smax, o);
  return [
    new LibVariant(d, X, Y),
    new JsBlockedVariant(d, X, Y, Smax),
    new JsBlocked32Variant(d, X, Y, Smax),
    wasm({ precision: "f64", fused: false, simdElementwise: false }),
    wasm({ precision: "f64", fused: true, simdElementwise: false }),
    wasm({ precision: "f64", fused: false, simdElementwise: true }),
    wasm({ precision: "f64", fused: false, simdElementwise: true, lookahead: true }),
    wasm({ precision: "f64", fused: true, simdElementwise: true }),
    wasm({ precision: "f64", fused: true, simdElementwise: true, lookahead: true }),
    wasm({ precision: "f32", fused: false, simdElementwise: false }),
    wasm({ precision: "f32", fused: true, simdElementwise: false }),
    wasm({ precision: "f32", fused: true, simdElementwise: true }),
    wasm({ precision: "f32", fused: true, simdElementwise: true, lookahead: true }),
  ];
}

// ---------------------------------------------------------------------------------------------------------
// Numerical rank: the Gram matrix by the wasm dot-product kernel, then the library's tridiagonal QL.

/**
 * `singularValues` (lib/networks/numerical_rank.ts) with the Gram matrix formed by the WebAssembly f64x2 2 × 4
 * dot-product kernel (all k² entries, columns zero-padded to the tile sizes) instead of the scalar
 * upper-triangle loop; the eigenvalues by the library's `symmetricEigenvalues`. One module per shape.
 */
export class WasmGramSingularValues {
  private readonly x: Exports;
  private readonly T: Float64Array;
  private readonly G: Float64Array;
  private readonly k: number;
  private readonly kp: number;
  private readonly len: number;
  private readonly gPtr: number;
  private readonly tPtr: number;

  constructor(readonly rows: number, readonly cols: number) {
    this.k = Math.min(rows, cols);
    const long = Math.max(rows, cols);
    this.kp = Math.ceil(this.k / 4) * 4; // M % 2 = 0 and N % 4 = 0
    this.len = Math.ceil(long / 2) * 2; // K % 2 = 0
    const f = ntKernel(F64, false, "gram", 2, 4, this.len, this.kp);
    this.tPtr = 64;
    this.gPtr = this.tPtr + Math.ceil((this.kp * this.len * 8) / 64) * 64;
    const end = this.gPtr + this.kp * this.kp * 8;
    const bytes = buildModule([f], Math.ceil(end / 65536) + 1);
    this.x = new WebAssembly.Instance(new WebAssembly.Module(bytes as BufferSource)).exports as Exports;
    this.T = new Float64Array(this.x.memory.buffer, this.tPtr, this.kp * this.len);
    this.G = new Float64Array(this.x.memory.buffer, this.gPtr, this.kp * this.kp);
  }

  /** The singular values of a rows × cols row-major matrix, descending. */
  singularValues(A: ArrayLike<number>): Float64Array {
    const { rows: m, cols: n, k, kp, len, T, G } = this;
    if (A.length !== m * n) throw new RangeError(`expected ${m} × ${n} entries; received ${A.length}`);
    // T: k rows (the columns of A if n ≤ m, else the rows of A), each zero-padded to len.
    if (n <= m) {
      for (let p = 0; p < n; p++) for (let i = 0; i < m; i++) T[p * len + i] = A[i * n + p];
    } else {
      for (let p = 0; p < m; p++) for (let j = 0; j < n; j++) T[p * len + j] = A[p * n + j];
    }
    (this.x.gram as NtFn)(this.gPtr, this.tPtr, this.tPtr, kp);
    const g = new Float64Array(k * k);
    for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) g[p * k + q] = G[p * kp + q];
    const ev = symmetricEigenvalues(g, k);
    return Float64Array.from(ev, (v) => Math.sqrt(Math.max(0, v))).sort().reverse();
  }
}

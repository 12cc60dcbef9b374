/**
 * The WebAssembly SIMD (f64x2) kernels of the two-layer network f(x) = U σ(W x) (`two_layer_network.ts`):
 * one SGD or Adam step, and the exact gradient, for a batch of S samples. Internal module (not exported from
 * mod.ts); `NetworkKernel` in `two_layer_network.ts` picks these kernels when the runtime has WebAssembly SIMD
 * and otherwise falls back to its plain-JS reference kernel.
 *
 * One step on a batch X (S × n), Y (S × o), per-sample loss ½‖f − y‖², batch mean:
 *
 *     Z = X Wᵀ, A = σ(Z), D = σ′(Z), R = A Uᵀ − Y, G = (R U) ⊙ D,
 *     U ← U − (λ/S) Rᵀ A,  W ← W − (λ/S) Gᵀ X      (G with the old U).
 *
 * - The products are register-tiled loops over f64x2 vectors (2 × 4 dot-product tiles for Z and R; 4-row ×
 *   2-vector tiles accumulating over the batch for R U, Rᵀ A and Gᵀ X, written straight into U and W).
 * - At S = 1: matrix–vector tiles (1 × 8), one fused pass over U that computes Uᵀr and updates U, and one
 *   rank-one pass over W — which, when the trainer already knows the next sample ("look-ahead"), also computes
 *   the next step's W x′ with the new W (one pass over W per step instead of two; the same sums in the same
 *   order as the separate pass, so bit-for-bit the same result).
 * - Multiply and add are separate instructions (no relaxed-SIMD fused multiply-add), so every operation is an
 *   IEEE-754 double operation and the results are the same on every machine.
 * - σ and σ′ are vectorized too: tanh(x) = expm1(2|x|)/(expm1(2|x|) + 2) with the sign of x, and swish's
 *   sigmoid 1/(1 + e⁻ᶻ), from an exponential built as 2ᵏ·e^r (|r| ≤ ln2/2, a degree-13 Taylor polynomial by
 *   Estrin's scheme, 2ᵏ from the exponent bits). They are within a few ulp of the JS formulas with Math.tanh
 *   and Math.exp, not bit-identical to them: measured over 4·10⁵ random arguments, tanh within 5.2e-16
 *   relative, swish within 4.5e-16 (test/network_wasm_test.ts checks 8e-16 and 1e-15, and the special values
 *   ±0, ±∞, NaN and overflow).
 * - The backward pass at S = 1 (U's update, Uᵀr, the rank-one update of W) and Adam's update are the JS
 *   reference kernel's operations in the same order, so they round identically; the forward dot products
 *   and the batch sums are summed in another order (two lanes, then their sum), so results differ from the
 *   JS kernel by rounding only.
 *
 * Any layer sizes: the layers are zero-padded to multiples of 8 and the batch to a multiple of 4 inside the
 * module's memory. Padded weights get exactly zero gradients (their inputs, hidden activations σ(0) = 0 or
 * residuals are exactly zero), and padded batch rows never enter the sums, so the padding leaves every step
 * of the real weights unchanged. The module is specialized to the padded sizes and the activation (row
 * lengths are constants), compiled synchronously (`new WebAssembly.Module`, a few ms) and cached per shape;
 * each kernel instance has its own memory, and released instances are pooled for reuse.
 *
 * @module
 */

import type { Activation } from "../activations.ts";
import { buildModule, Func, op, T, wasmSimdSupported } from "../../runtime/wasm_builder.ts";

// ---------------------------------------------------------------------------------------------------------
// Code generation (f64x2; multiply and add are separate instructions).

/** Bytes leaving c + a·b on the stack (a, b, c: byte arrays pushing one v128 each). */
function madd(a: number[], b: number[], c: number[]): number[] {
  return [...c, ...a, ...b, ...op.f64x2mul, ...op.f64x2add];
}

/** The sum of the two lanes of the v128 in local `v` (lane 0 + lane 1). */
function hsum(v: number): number[] {
  return [...op.get(v), ...op.f64x2lane(0), ...op.get(v), ...op.f64x2lane(1), ...op.f64add];
}

/** `p += step; br_if (p != end)` closing a do-while loop over the local `p` (end: bytes pushing an i32). */
function next(p: number, step: number, end: number[]): number[] {
  return [...op.get(p), ...op.i32(step), ...op.add, ...op.tee(p), ...end, ...op.ne, ...op.brIf(0), ...op.end];
}

/**
 * C[m][i] = Σ_k A[m][k] B[i][k] (A, B rows of K doubles, C rows of N), MR × NR tiles, m < M (runtime, a
 * multiple of MR). Each entry: two lane sums over k (even k in lane 0, odd k in lane 1), then lane 0 + lane 1.
 * Params (C, A, B, M), byte addresses.
 */
function ntKernel(name: string, MR: number, NR: number, K: number, N: number, unroll = 1): Func {
  const f = new Func(name, [T.i32, T.i32, T.i32, T.i32]);
  const [C, A, B, M] = [0, 1, 2, 3];
  const pa = f.local(T.i32), pc = f.local(T.i32), pb = f.local(T.i32), pcn = f.local(T.i32);
  const paEnd = f.local(T.i32), pbEnd = f.local(T.i32), p = f.local(T.i32), q = f.local(T.i32), r = f.local(T.i32);
  const acc = Array.from({ length: MR * NR }, () => f.local(T.v128));
  const av = Array.from({ length: MR }, () => f.local(T.v128));
  const bv = f.local(T.v128);
  const rowA = K * 8, rowC = N * 8;
  if (K % (2 * unroll) || N % NR) throw new RangeError(`${name}: K must be a multiple of ${2 * unroll}, N of ${NR}`);
  f.emit(op.get(A), op.get(M), op.i32(rowA), op.mul, op.add, op.set(paEnd), op.get(A), op.set(pa));
  f.emit(op.get(C), op.set(pc), op.get(B), op.i32(N * rowA), op.add, op.set(pbEnd));
  f.emit(op.loop, op.get(B), op.set(pb), op.get(pc), op.set(pcn)); // m
  f.emit(op.loop); // i
  for (const a of acc) f.emit(op.v128zero, op.set(a));
  f.emit(op.i32(0), op.set(p), op.loop); // k
  f.emit(op.get(pa), op.get(p), op.add, op.set(q), op.get(pb), op.get(p), op.add, op.set(r));
  for (let u = 0; u < unroll; u++) {
    for (let i = 0; i < MR; i++) f.emit(op.get(q), op.v128load(i * rowA + 16 * u), op.set(av[i]));
    for (let j = 0; j < NR; j++) {
      f.emit(op.get(r), op.v128load(j * rowA + 16 * u), op.set(bv));
      for (let i = 0; i < MR; i++) {
        f.emit(madd(op.get(av[i]), op.get(bv), op.get(acc[i * NR + j])), op.set(acc[i * NR + j]));
      }
    }
  }
  f.emit(next(p, 16 * unroll, op.i32(rowA)));
  for (let i = 0; i < MR; i++) {
    for (let j = 0; j < NR; j++) f.emit(op.get(pcn), hsum(acc[i * NR + j]), op.f64store(i * rowC + j * 8));
  }
  f.emit(op.get(pcn), op.i32(NR * 8), op.add, op.set(pcn));
  f.emit(next(pb, NR * rowA, op.get(pbEnd))); // i
  f.emit(op.get(pc), op.i32(MR * rowC), op.add, op.set(pc));
  f.emit(next(pa, MR * rowA, op.get(paEnd))); // m
  return f;
}

/**
 * Σ_{s<Sn} M[r·rs + s·ss] · B[s][j] for r < Rn (runtime, a multiple of RR), j < N (B rows of N doubles),
 * accumulated over s in order, RR rows × JV vectors per tile; then, by `mode`:
 * `"acc"`: C[r][j] += α·Σ (params C, M, B, Sn, α, Rn); `"mulD"`: C[r][j] = Σ · D[r][j] (params C, M, B, Sn,
 * D, Rn; D shaped like C).
 */
function axKernel(name: string, RR: number, JV: number, N: number, rs: number, ss: number, mode: "acc" | "mulD"): Func {
  const f = new Func(name, [T.i32, T.i32, T.i32, T.i32, mode === "acc" ? T.f64 : T.i32, T.i32]);
  const [C, M, B, Sn, alphaOrD, Rn] = [0, 1, 2, 3, 4, 5];
  const pc = f.local(T.i32), pm = f.local(T.i32), pj = f.local(T.i32), pb = f.local(T.i32);
  const pms = f.local(T.i32), pmEnd = f.local(T.i32), pcEnd = f.local(T.i32), q = f.local(T.i32), qd = f.local(T.i32);
  const acc = Array.from({ length: RR * JV }, () => f.local(T.v128));
  const bv = Array.from({ length: JV }, () => f.local(T.v128));
  const cf = f.local(T.v128), al = f.local(T.v128);
  const row = N * 8;
  if (N % (JV * 2)) throw new RangeError(`${name}: N must be a multiple of ${JV * 2}`);
  if (mode === "acc") f.emit(op.get(alphaOrD), op.f64x2splat, op.set(al));
  f.emit(
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
  );
  f.emit(op.loop, op.i32(0), op.set(pj), op.loop); // r, j
  for (const a of acc) f.emit(op.v128zero, op.set(a));
  f.emit(op.get(B), op.get(pj), op.add, op.set(pb), op.get(pm), op.set(pms));
  f.emit(op.get(pm), op.get(Sn), op.i32(ss * 8), op.mul, op.add, op.set(pmEnd), op.loop); // s
  for (let v = 0; v < JV; v++) f.emit(op.get(pb), op.v128load(16 * v), op.set(bv[v]));
  for (let i = 0; i < RR; i++) {
    f.emit(op.get(pms), op.load64splat(i * rs * 8), op.set(cf));
    for (let v = 0; v < JV; v++) {
      f.emit(madd(op.get(bv[v]), op.get(cf), op.get(acc[i * JV + v])), op.set(acc[i * JV + v]));
    }
  }
  f.emit(op.get(pb), op.i32(row), op.add, op.set(pb));
  f.emit(next(pms, ss * 8, op.get(pmEnd))); // s
  f.emit(op.get(pc), op.get(pj), op.add, op.set(q));
  if (mode === "mulD") f.emit(op.get(q), op.get(C), op.sub, op.get(alphaOrD), op.add, op.set(qd));
  for (let i = 0; i < RR; i++) {
    for (let v = 0; v < JV; v++) {
      const off = i * row + 16 * v;
      f.emit(op.get(q));
      if (mode === "acc") f.emit(madd(op.get(acc[i * JV + v]), op.get(al), [...op.get(q), ...op.v128load(off)]));
      else f.emit(op.get(acc[i * JV + v]), op.get(qd), op.v128load(off), op.f64x2mul);
      f.emit(op.v128store(off));
    }
  }
  f.emit(next(pj, 16 * JV, op.i32(row))); // j
  f.emit(op.get(pm), op.i32(RR * rs * 8), op.add, op.set(pm));
  f.emit(next(pc, RR * row, op.get(pcEnd))); // r
  return f;
}

/**
 * S = 1, one pass over U (rows of N doubles, RR rows per pass, k < Rn): ga += Uᵀ r in the order of k (old U),
 * and `"update"`: U[k] += (c·r_k)·a, or `"grad"`: gU[k] = (c·r_k)·a. Params (U, r, a, ga, c, Rn[, gU]).
 */
function fusedUKernel(name: string, RR: number, N: number, mode: "update" | "grad"): Func {
  const params = [T.i32, T.i32, T.i32, T.i32, T.f64, T.i32];
  if (mode === "grad") params.push(T.i32);
  const f = new Func(name, params);
  const [U, rp, a, ga, c, Rn, gU] = [0, 1, 2, 3, 4, 5, 6];
  const pu = f.local(T.i32), pr = f.local(T.i32), prEnd = f.local(T.i32), pj = f.local(T.i32);
  const qu = f.local(T.i32), qg = f.local(T.i32), qo = f.local(T.i32);
  const rk = Array.from({ length: RR }, () => f.local(T.v128));
  const ck = Array.from({ length: RR }, () => f.local(T.v128));
  const g = f.local(T.v128), av = f.local(T.v128), u = f.local(T.v128), cs = f.local(T.v128);
  const row = N * 8;
  f.emit(op.get(c), op.f64x2splat, op.set(cs), op.get(rp), op.get(Rn), op.i32(8), op.mul, op.add, op.set(prEnd));
  f.emit(op.get(U), op.set(pu), op.get(rp), op.set(pr), op.loop); // k
  for (let i = 0; i < RR; i++) {
    f.emit(op.get(pr), op.load64splat(i * 8), op.tee(rk[i]), op.get(cs), op.f64x2mul, op.set(ck[i]));
  }
  f.emit(op.i32(0), op.set(pj), op.loop); // j
  f.emit(op.get(pu), op.get(pj), op.add, op.set(qu));
  f.emit(op.get(ga), op.get(pj), op.add, op.tee(qg), op.v128load(0), op.set(g));
  f.emit(op.get(a), op.get(pj), op.add, op.v128load(0), op.set(av));
  if (mode === "grad") f.emit(op.get(qu), op.get(U), op.sub, op.get(gU), op.add, op.set(qo));
  for (let i = 0; i < RR; i++) {
    f.emit(op.get(qu), op.v128load(i * row), op.set(u));
    f.emit(madd(op.get(u), op.get(rk[i]), op.get(g)), op.set(g));
    if (mode === "update") f.emit(op.get(qu), madd(op.get(ck[i]), op.get(av), op.get(u)), op.v128store(i * row));
    else f.emit(op.get(qo), op.get(ck[i]), op.get(av), op.f64x2mul, op.v128store(i * row));
  }
  f.emit(op.get(qg), op.get(g), op.v128store(0));
  f.emit(next(pj, 16, op.i32(row))); // j
  f.emit(op.get(pu), op.i32(RR * row), op.add, op.set(pu));
  f.emit(next(pr, RR * 8, op.get(prEnd))); // k
  return f;
}

/**
 * S = 1, one pass over W (rows of N doubles, RR rows per pass, i < Rn) with g_i = (c·ga_i)·d_i:
 * `"update"`: W[i] += g_i·x; `"lookahead"`: the same, then z′_i = W[i]·x′ with the new W (two lane sums, then
 * lane 0 + lane 1, as `ntKernel`); `"grad"`: gW[i] = g_i·x.
 * Params (W, ga, d, x, c, Rn) + (x′, z′) for `"lookahead"` or (gW) for `"grad"`.
 */
function gerKernel(name: string, RR: number, N: number, mode: "update" | "lookahead" | "grad"): Func {
  const params = [T.i32, T.i32, T.i32, T.i32, T.f64, T.i32];
  if (mode === "lookahead") params.push(T.i32, T.i32);
  if (mode === "grad") params.push(T.i32);
  const f = new Func(name, params);
  const [W, gp, dp, x, c, Rn, p6, p7] = [0, 1, 2, 3, 4, 5, 6, 7];
  const pw = f.local(T.i32), pg = f.local(T.i32), pgEnd = f.local(T.i32), pj = f.local(T.i32);
  const qw = f.local(T.i32), pz = f.local(T.i32), qo = f.local(T.i32);
  const ck = Array.from({ length: RR }, () => f.local(T.v128));
  const acc = Array.from({ length: RR }, () => f.local(T.v128));
  const xv = f.local(T.v128), xnv = f.local(T.v128), w = f.local(T.v128), cs = f.local(T.v128);
  const row = N * 8;
  f.emit(op.get(c), op.f64x2splat, op.set(cs), op.get(gp), op.get(Rn), op.i32(8), op.mul, op.add, op.set(pgEnd));
  f.emit(op.get(W), op.set(pw), op.get(gp), op.set(pg));
  if (mode === "lookahead") f.emit(op.get(p7), op.set(pz));
  f.emit(op.loop); // i
  for (let i = 0; i < RR; i++) {
    // g_i = (c·ga_i)·d_i (d at the same offset from D as ga from G).
    f.emit(op.get(pg), op.load64splat(i * 8), op.get(cs), op.f64x2mul);
    f.emit(op.get(pg), op.get(gp), op.sub, op.get(dp), op.add, op.load64splat(i * 8), op.f64x2mul, op.set(ck[i]));
    if (mode === "lookahead") f.emit(op.v128zero, op.set(acc[i]));
  }
  f.emit(op.i32(0), op.set(pj), op.loop); // j
  f.emit(op.get(pw), op.get(pj), op.add, op.set(qw));
  f.emit(op.get(x), op.get(pj), op.add, op.v128load(0), op.set(xv));
  if (mode === "lookahead") f.emit(op.get(p6), op.get(pj), op.add, op.v128load(0), op.set(xnv));
  if (mode === "grad") f.emit(op.get(qw), op.get(W), op.sub, op.get(p6), op.add, op.set(qo));
  for (let i = 0; i < RR; i++) {
    if (mode === "grad") {
      f.emit(op.get(qo), op.get(ck[i]), op.get(xv), op.f64x2mul, op.v128store(i * row));
      continue;
    }
    f.emit(madd(op.get(ck[i]), op.get(xv), [...op.get(qw), ...op.v128load(i * row)]), op.set(w));
    f.emit(op.get(qw), op.get(w), op.v128store(i * row));
    if (mode === "lookahead") f.emit(madd(op.get(xnv), op.get(w), op.get(acc[i])), op.set(acc[i]));
  }
  f.emit(next(pj, 16, op.i32(row))); // j
  if (mode === "lookahead") {
    for (let i = 0; i < RR; i++) f.emit(op.get(pz), hsum(acc[i]), op.f64store(i * 8));
    f.emit(op.get(pz), op.i32(RR * 8), op.add, op.set(pz));
  }
  f.emit(op.get(pw), op.i32(RR * row), op.add, op.set(pw));
  f.emit(next(pg, RR * 8, op.get(pgEnd))); // i
  return f;
}

const LN2_HI = 6.93147180369123816490e-01; // fdlibm: the high part of ln 2 (k·LN2_HI is exact for |k| < 2²⁰)
const LN2_LO = 1.90821492927058770002e-10;
/** 1/(j + 2)! for j < 12: expm1(r) = r + r²·Σ_j r^j/(j + 2)!, truncation below 1e-17 for |r| ≤ ln2/2. */
const EXPM1_COEF = (() => {
  const c: number[] = [];
  let fact = 1;
  for (let j = 2; j < 14; j++) c.push(1 / (fact *= j));
  return c;
})();

/**
 * v128 constants held in locals set once before a loop (V8 would otherwise rebuild each 128-bit constant
 * inside the loop): `get(v)` pushes the constant (v, v); `prologue()` returns the bytes that set the locals.
 */
class Constants {
  private readonly locals = new Map<string, { local: number; bytes: number[] }>();
  constructor(private readonly f: Func) {}
  get(v: number): number[] {
    const key = Object.is(v, -0) ? "-0" : String(v);
    let e = this.locals.get(key);
    if (!e) this.locals.set(key, e = { local: this.f.local(T.v128), bytes: op.f64x2const(v) });
    return op.get(e.local);
  }
  prologue(): number[] {
    return [...this.locals.values()].flatMap((e) => [...e.bytes, ...op.set(e.local)]);
  }
}

/**
 * Emits, for the v128 in local `y` (both lanes in [−708, 710] or NaN): local `sc` = 2^(k − shift) and local
 * `q` = expm1(r), where y = k ln2 + r with k an integer and |r| ≤ ln2/2, so that
 * e^y = 2^shift·(sc + sc·q) and, for shift 0, expm1(y) = sc·q + (sc − 1). `shift` = 1 keeps 2^(k − 1) a
 * normal double up to y = 710 (k = 1024).
 */
function expParts(f: Func, c: Constants, y: number, sc: number, q: number, shift: 0 | 1): void {
  const kf = f.local(T.v128), k = f.local(T.v128), r = f.local(T.v128), h = f.local(T.v128);
  const r2 = f.local(T.v128), r4 = f.local(T.v128);
  const mul = op.f64x2mul, add = op.f64x2add, sub = op.f64x2sub;
  // y/ln2 + magic rounds y/ln2 to the integer k and holds k − shift + 1023 in the low mantissa bits.
  const magic = 2 ** 52 + 1023 - shift;
  f.emit(op.get(y), c.get(1 / Math.LN2), mul, c.get(magic), add, op.tee(kf), c.get(magic), sub, op.set(k));
  f.emit(op.get(y), op.get(k), c.get(LN2_HI), mul, sub, op.get(k), c.get(LN2_LO), mul, sub, op.set(r));
  // h = Σ_{j<12} c_j r^j by Estrin's scheme (pairs, quads, then r⁴ and r⁸: a short dependency chain).
  const C = EXPM1_COEF;
  const pair = (j: number) => [...c.get(C[j]), ...op.get(r), ...c.get(C[j + 1]), ...mul, ...add];
  const quad = (j: number) => [...pair(j), ...pair(j + 2), ...op.get(r2), ...mul, ...add];
  f.emit(op.get(r), op.get(r), mul, op.tee(r2), op.get(r2), mul, op.set(r4));
  f.emit(quad(0), quad(4), op.get(r4), mul, add, quad(8), op.get(r4), op.get(r4), mul, mul, add, op.set(h));
  f.emit(op.get(r2), op.get(h), mul, op.get(r), add, op.set(q)); // expm1(r) = r + r²·h
  f.emit(op.get(kf), op.i32(52), op.i64x2shl, op.set(sc)); // 2^(k − shift) from the low bits
}

/**
 * A = σ(Z), D = σ′(Z) for `len` doubles (even). Params (Z, A, D, len). The formulas are the JS kernel's
 * (tanh: D = 1 − A²; relu: z > 0 ? z : 0 and 1 : 0; swish: s = 1/(1 + e⁻ᶻ), A = z·s, D = s + A·(1 − s)),
 * with tanh and e⁻ᶻ vectorized (see the module comment).
 */
function activationKernel(name: string, act: Activation): Func {
  const f = new Func(name, [T.i32, T.i32, T.i32, T.i32]);
  const [Z, A, D, len] = [0, 1, 2, 3];
  const p = f.local(T.i32), end = f.local(T.i32);
  const x = f.local(T.v128), y = f.local(T.v128), sc = f.local(T.v128), q = f.local(T.v128);
  const t = f.local(T.v128), s = f.local(T.v128), m = f.local(T.v128);
  const c = new Constants(f);
  const mul = op.f64x2mul, add = op.f64x2add, sub = op.f64x2sub;
  const head = [...op.get(len), ...op.i32(8), ...op.mul, ...op.set(end), ...op.i32(0), ...op.set(p)];
  const body = f.body;
  f.body = [];
  const storeA = (v: number[]) => f.emit(op.get(A), op.get(p), op.add, v, op.v128store(0));
  const storeD = (v: number[]) => f.emit(op.get(D), op.get(p), op.add, v, op.v128store(0));
  f.emit(op.loop, op.get(Z), op.get(p), op.add, op.v128load(0), op.set(x));
  switch (act) {
    case "linear":
      storeA(op.get(x));
      storeD(c.get(1));
      break;
    case "relu":
      f.emit(op.get(x), op.v128zero, op.f64x2gt, op.set(m)); // all ones where z > 0 (not for NaN)
      storeA([...op.get(x), ...op.get(m), ...op.v128and]);
      storeD([...c.get(1), ...op.get(m), ...op.v128and]);
      break;
    case "tanh": {
      // y = min(2|x|, 40) (tanh 20 = 1 in double); t = expm1(y)/(expm1(y) + 2); A = t with the sign of x.
      f.emit(op.get(x), op.f64x2abs, c.get(2), mul, c.get(40), op.f64x2min, op.set(y));
      expParts(f, c, y, sc, q, 0);
      f.emit(op.get(sc), op.get(q), mul, op.get(sc), c.get(1), sub, add, op.tee(m)); // expm1(y)
      f.emit(op.get(m), c.get(2), add, op.f64x2div, op.set(t));
      storeA([...op.get(t), ...op.get(x), ...c.get(-0), ...op.v128and, ...op.v128or]);
      storeD([...c.get(1), ...op.get(t), ...op.get(t), ...mul, ...sub]);
      break;
    }
    case "swish": {
      // e = e^(−z) with −z clamped to [−708, 710] (e^−708 ≪ eps, e^710 overflows to +∞ as in Math.exp).
      f.emit(op.get(x), op.f64x2neg, c.get(710), op.f64x2min, c.get(-708), op.f64x2max, op.set(y));
      expParts(f, c, y, sc, q, 1);
      f.emit(op.get(sc), op.get(sc), op.get(q), mul, add, c.get(2), mul, op.set(t)); // e = 2·(sc + sc·q)
      f.emit(c.get(1), c.get(1), op.get(t), add, op.f64x2div, op.set(s)); // s = 1/(1 + e)
      f.emit(op.get(x), op.get(s), mul, op.set(t)); // A = z·s
      storeA(op.get(t));
      storeD([...op.get(s), ...op.get(t), ...c.get(1), ...op.get(s), ...sub, ...mul, ...add]);
      break;
    }
  }
  f.emit(next(p, 16, op.get(end)));
  f.body = [...body, ...head, ...c.prologue(), ...f.body];
  return f;
}

/** R −= Y for `len` doubles (even); returns Σ R² (two lane sums, then lane 0 + lane 1). Params (R, Y, len). */
function residualKernel(name: string): Func {
  const f = new Func(name, [T.i32, T.i32, T.i32], [T.f64]);
  const [R, Y, len] = [0, 1, 2];
  const p = f.local(T.i32), end = f.local(T.i32), q = f.local(T.i32), r = f.local(T.v128), acc = f.local(T.v128);
  f.emit(op.get(len), op.i32(8), op.mul, op.set(end), op.i32(0), op.set(p), op.v128zero, op.set(acc), op.loop);
  f.emit(op.get(R), op.get(p), op.add, op.tee(q), op.get(q), op.v128load(0), op.get(Y), op.get(p), op.add);
  f.emit(op.v128load(0), op.f64x2sub, op.tee(r), op.v128store(0));
  f.emit(op.get(acc), op.get(r), op.get(r), op.f64x2mul, op.f64x2add, op.set(acc));
  f.emit(next(p, 16, op.get(end)));
  f.emit(hsum(acc));
  return f;
}

/**
 * Adam on `len` doubles (even), the JS kernel's operations in its order: m = β₁m + (1 − β₁)g,
 * v = β₂v + ((1 − β₂)g)g, p −= (λ(m c₁))/(√(v c₂) + ε). Params (p, g, m, v, len, λ, β₁, 1 − β₁, β₂, 1 − β₂, ε,
 * c₁, c₂).
 */
function adamKernel(name: string): Func {
  const f = new Func(name, [T.i32, T.i32, T.i32, T.i32, T.i32, ...new Array<typeof T.f64>(8).fill(T.f64)]);
  const [P, G, M, V, len, lam, b1, ob1, b2, ob2, eps, c1, c2] = Array.from({ length: 13 }, (_, i) => i);
  const p = f.local(T.i32), end = f.local(T.i32);
  const vs = [lam, b1, ob1, b2, ob2, eps, c1, c2].map((i) => {
    const l = f.local(T.v128);
    f.emit(op.get(i), op.f64x2splat, op.set(l));
    return l;
  });
  const [vLam, vB1, vOb1, vB2, vOb2, vEps, vC1, vC2] = vs;
  const g = f.local(T.v128), m = f.local(T.v128), v = f.local(T.v128);
  const mul = op.f64x2mul, add = op.f64x2add;
  const at = (base: number) => [...op.get(base), ...op.get(p), ...op.add];
  f.emit(op.get(len), op.i32(8), op.mul, op.set(end), op.i32(0), op.set(p), op.loop);
  f.emit(at(G), op.v128load(0), op.set(g));
  f.emit(op.get(vB1), at(M), op.v128load(0), mul, op.get(vOb1), op.get(g), mul, add, op.set(m));
  f.emit(op.get(vB2), at(V), op.v128load(0), mul, op.get(vOb2), op.get(g), mul, op.get(g), mul, add, op.set(v));
  f.emit(at(M), op.get(m), op.v128store(0), at(V), op.get(v), op.v128store(0));
  f.emit(at(P), at(P), op.v128load(0), op.get(vLam), op.get(m), op.get(vC1), mul, mul);
  f.emit(op.get(v), op.get(vC2), mul, op.f64x2sqrt, op.get(vEps), add, op.f64x2div, op.f64x2sub, op.v128store(0));
  f.emit(next(p, 16, op.get(end)));
  return f;
}

/**
 * The tile shapes: (2 × 4) dot-product tiles and (4 rows × 2 vectors) accumulation tiles, 1 × 8 at S = 1, 4
 * rows per pass over U and W, no unrolling of the reduction loops. Measured on the 200 → 200 → 200 step
 * (AMD EPYC, V8 13): other shapes (4 × 2, 2 × 2, 1 × 8, 2 × 4 accumulation, unrolled by 2 or 4, 2 or 8 rows
 * per pass) are equal within noise or slower. The products run at about 11·10⁹ multiply–adds per second,
 * near the limit of two f64x2 multiplies and two f64x2 adds per cycle without FMA.
 */
const TILES = { ntMR: 2, ntNR: 4, axRR: 4, axJV: 2, mvNR: 8, uRR: 4, gerRR: 4, ntU: 1 };

/** The exported functions of a network module. */
interface NetworkExports {
  memory: WebAssembly.Memory;
  ntZ(C: number, A: number, B: number, M: number): void;
  ntF(C: number, A: number, B: number, M: number): void;
  mvZ(C: number, A: number, B: number, M: number): void;
  mvF(C: number, A: number, B: number, M: number): void;
  axGA(C: number, M: number, B: number, Sn: number, D: number, Rn: number): void;
  axU(C: number, M: number, B: number, Sn: number, alpha: number, Rn: number): void;
  axW(C: number, M: number, B: number, Sn: number, alpha: number, Rn: number): void;
  fusedU(U: number, r: number, a: number, ga: number, c: number, Rn: number): void;
  fusedUGrad(U: number, r: number, a: number, ga: number, c: number, Rn: number, gU: number): void;
  gerW(W: number, ga: number, d: number, x: number, c: number, Rn: number): void;
  gerWNext(W: number, ga: number, d: number, x: number, c: number, Rn: number, xn: number, zn: number): void;
  gerWGrad(W: number, ga: number, d: number, x: number, c: number, Rn: number, gW: number): void;
  act(Z: number, A: number, D: number, len: number): void;
  residual(R: number, Y: number, len: number): number;
  adam(
    p: number,
    g: number,
    m: number,
    v: number,
    len: number,
    lambda: number,
    b1: number,
    ob1: number,
    b2: number,
    ob2: number,
    eps: number,
    c1: number,
    c2: number,
  ): void;
}

const roundUp = (v: number, m: number) => Math.ceil(v / m) * m;

const moduleCache = new Map<string, WebAssembly.Module>();
const MODULE_CACHE_SIZE = 16;

/** The compiled module for padded sizes (n, h, o) and an activation (cached; synchronous compilation). */
function networkModule(n: number, h: number, o: number, act: Activation): WebAssembly.Module {
  const key = `${n},${h},${o},${act}`;
  const hit = moduleCache.get(key);
  if (hit) {
    moduleCache.delete(key); // most recently used last
    moduleCache.set(key, hit);
    return hit;
  }
  const t = TILES;
  const funcs = [
    ntKernel("ntZ", t.ntMR, t.ntNR, n, h, t.ntU), // Z = X Wᵀ
    ntKernel("ntF", t.ntMR, t.ntNR, h, o, t.ntU), // F = A Uᵀ
    ntKernel("mvZ", 1, t.mvNR, n, h),
    ntKernel("mvF", 1, t.mvNR, h, o),
    axKernel("axGA", t.axRR, t.axJV, h, o, 1, "mulD"), // G = (R U) ⊙ D
    axKernel("axU", t.axRR, t.axJV, h, 1, o, "acc"), // U += α Rᵀ A
    axKernel("axW", t.axRR, t.axJV, n, 1, h, "acc"), // W += α Gᵀ X
    fusedUKernel("fusedU", t.uRR, h, "update"),
    fusedUKernel("fusedUGrad", t.uRR, h, "grad"),
    gerKernel("gerW", t.gerRR, n, "update"),
    gerKernel("gerWNext", t.gerRR, n, "lookahead"),
    gerKernel("gerWGrad", t.gerRR, n, "grad"),
    activationKernel("act", act),
    residualKernel("residual"),
    adamKernel("adam"),
  ];
  const mod = new WebAssembly.Module(buildModule(funcs, 1));
  moduleCache.set(key, mod);
  if (moduleCache.size > MODULE_CACHE_SIZE) moduleCache.delete(moduleCache.keys().next().value!);
  return mod;
}

let simd: boolean | undefined;

/**
 * Whether the WebAssembly SIMD kernels can run here (checked once: `WebAssembly.validate` on a tiny SIMD
 * module).
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
 * One network's weights and work buffers in the memory of an instance of the shape's module, and the steps
 * on them. The weights live in the module's memory (padded): {@linkcode WasmNetworkKernel.setWeights} and
 * {@linkcode WasmNetworkKernel.getWeights} copy them in and out. The batch is staged in one of two slots
 * ({@linkcode WasmNetworkKernel.stagedX}, {@linkcode WasmNetworkKernel.stagedY}: row strides `xStride`,
 * `yStride`), so that at S = 1 the next sample can be staged before this step's pass over W (look-ahead).
 * Nothing is allocated per step. Internal class.
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
    this.buf = this.mem.buffer;
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
      this.buf = this.mem.buffer;
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
      this.buf = this.mem.buffer;
      this.f64 = new Float64Array(this.buf);
    }
    return this.f64;
  }

  /**
   * Makes the staging slots and work buffers hold batches of `S` (no-op if they do; else they move, and
   * earlier staged views are stale).
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
   * The staged inputs of `slot` (0 or 1): `maxBatch` rows of `xStride` doubles, of which the caller fills
   * rows 0…S−1, columns 0…inputs−1 (the padding must stay 0). A view of the module's memory: valid until the
   * next call that reserves a larger batch or Adam's buffers.
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
    for (let i = 0; i < h; i++) {
      W.set(mem.subarray(this.W / 8 + i * this.xStride, this.W / 8 + i * this.xStride + n), i * n);
    }
    for (let k = 0; k < o; k++) {
      U.set(mem.subarray(this.U / 8 + k * this.hStride, this.U / 8 + k * this.hStride + h), k * h);
    }
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
   * One SGD step on the S staged samples of `slot`: U ← U − (λ/S) Rᵀ A, W ← W − (λ/S) Gᵀ X. At S = 1 with
   * `nextSlot` ≥ 0 (already staged), the pass over W also computes the next step's W x′.
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
   * The gradient of `weight`·Σ_b ½‖f(x_b) − y_b‖² over the S staged samples of `slot`, into the internal
   * gradient buffers: `accumulate` false overwrites them, true adds to them.
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
   * The gradient of scale·(1/N)·Σ_b ½‖f(x_b) − y_b‖² over N samples (rows of X and Y), in chunks of at most
   * `maxBatch` (at least 64) samples staged in slot 0.
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
    const w0 = this.gW / 8, u0 = this.gU / 8;
    for (let i = 0; i < h; i++) gW.set(mem.subarray(w0 + i * this.xStride, w0 + i * this.xStride + n), i * n);
    for (let k = 0; k < o; k++) gU.set(mem.subarray(u0 + k * this.hStride, u0 + k * this.hStride + h), k * h);
    return (scale * loss) / N;
  }
}

const pool = new Map<string, WasmNetworkKernel[]>();
const POOL_SHAPES = 8;
const POOL_PER_SHAPE = 2;
const POOL_MAX_BYTES = 16 << 20;
const shapeKey = (s: NetworkShape) => `${s.inputs},${s.hidden},${s.outputs},${s.activation}`;

/**
 * A kernel for `shape`: a released one if the pool has one (instantiating a module and growing its memory
 * costs ~0.1 ms, more than a small network's gradient), else a new one. Its weights and Adam state are
 * whatever {@linkcode WasmNetworkKernel.setWeights} sets next.
 *
 * @param shape The network's sizes and activation.
 * @param maxBatch The batch size to stage.
 * @returns The kernel.
 */
export function acquireWasmKernel(shape: NetworkShape, maxBatch: number): WasmNetworkKernel {
  const key = shapeKey(shape);
  const free = pool.get(key);
  const k = free?.pop();
  if (k) {
    k.reserveBatchSize(maxBatch);
    return k;
  }
  return new WasmNetworkKernel(shape, maxBatch);
}

/**
 * Returns a kernel to the pool (at most 2 per shape and 8 shapes, the least recently released dropped; kernels
 * whose memory exceeds 16 MiB are not kept); the caller must not use it afterwards.
 *
 * @param k The kernel.
 */
export function releaseWasmKernel(k: WasmNetworkKernel): void {
  if (k.memoryBytes > POOL_MAX_BYTES) return; // large networks: instantiation is cheap next to their steps
  const key = shapeKey(k.shape);
  const free = pool.get(key) ?? [];
  pool.delete(key);
  if (free.length < POOL_PER_SHAPE) free.push(k);
  pool.set(key, free);
  if (pool.size > POOL_SHAPES) pool.delete(pool.keys().next().value!);
}

/** dst rows (stride `stride`, `rowsPadded` rows) = src (rows × cols), zero elsewhere. */
function copyPadded(
  dst: Float64Array,
  at: number,
  stride: number,
  src: ArrayLike<number>,
  rows: number,
  cols: number,
  rowsPadded: number,
): void {
  dst.fill(0, at, at + rowsPadded * stride);
  if (src instanceof Float64Array) {
    for (let i = 0; i < rows; i++) dst.set(src.subarray(i * cols, (i + 1) * cols), at + i * stride);
    return;
  }
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) dst[at + i * stride + j] = src[i * cols + j];
  }
}

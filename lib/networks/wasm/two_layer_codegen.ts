/**
 * The code generator of the two-layer network kernels (`network_wasm.ts`): the bytes of one WebAssembly module per
 * padded shape and activation, with one SGD or Adam step and the exact gradient of f(x) = U σ(W x) for a batch of S
 * samples. Internal module (not exported from mod.ts).
 *
 * One step on a batch X (S × n), Y (S × o), per-sample loss ½‖f − y‖², batch mean:
 *
 *     Z = X Wᵀ, A = σ(Z), D = σ′(Z), R = A Uᵀ − Y, G = (R U) ⊙ D,
 *     U ← U − (λ/S) Rᵀ A,  W ← W − (λ/S) Gᵀ X      (G with the old U).
 *
 * Method:
 *
 * - The products are register-tiled loops over f64x2 vectors (2 × 4 dot-product tiles for Z and R; 4-row × 2-vector
 *   tiles accumulating over the batch for R U, Rᵀ A and Gᵀ X, written straight into U and W).
 * - At S = 1: matrix–vector tiles (1 × 8), one fused pass over U that computes Uᵀr and updates U, and one rank-one pass
 *   over W — which, when the trainer already knows the next sample ("look-ahead"), also computes the next step's W x′
 *   with the new W (one pass over W per step instead of two; the same sums in the same order as the separate pass, so
 *   bit-for-bit the same result).
 * - Multiply and add are separate instructions (`emit.ts`), so every operation is an IEEE-754 double operation and the
 *   results are the same on every machine. σ and σ′ come from `simd_math.ts`.
 * - The backward pass at S = 1 (U's update, Uᵀr, the rank-one update of W) and Adam's update are the JS reference
 *   kernel's operations in the same order, so they round identically; the forward dot products and the batch sums are
 *   summed in another order (two lanes, then their sum), so results differ from the JS kernel by rounding only.
 * - The module is specialized to the padded sizes (row lengths are constants): the layers are multiples of 8, the batch
 *   a multiple of 4 (the runtime pads them, see `network_wasm.ts`).
 *
 * @module
 */

import type { Activation } from "../activations.ts";
import { buildModule, Func, op, T } from "../../runtime/wasm_builder.ts";
import { type AdamExport, adamKernel, hsum, madd, next } from "./emit.ts";
import { activationKernel } from "./simd_math.ts";

/**
 * C[m][i] = Σ_k A[m][k] B[i][k] (A, B rows of K doubles, C rows of N), MR × NR tiles, m < M (runtime, a multiple of
 * MR). Each entry: two lane sums over k (even k in lane 0, odd k in lane 1), then lane 0 + lane 1. Params (C, A, B, M),
 * byte addresses.
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
 * Σ_{s<Sn} M[r·rs + s·ss] · B[s][j] for r < Rn (runtime, a multiple of RR), j < N (B rows of N doubles), accumulated
 * over s in order, RR rows × JV vectors per tile; then, by `mode`: `"acc"`: C[r][j] += α·Σ (params C, M, B, Sn, α, Rn);
 * `"mulD"`: C[r][j] = Σ · D[r][j] (params C, M, B, Sn, D, Rn; D shaped like C).
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
 * S = 1, one pass over U (rows of N doubles, RR rows per pass, k < Rn): ga += Uᵀ r in the order of k (old U), and
 * `"update"`: U[k] += (c·r_k)·a, or `"grad"`: gU[k] = (c·r_k)·a. Params (U, r, a, ga, c, Rn[, gU]).
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
 * S = 1, one pass over W (rows of N doubles, RR rows per pass, i < Rn) with g_i = (c·ga_i)·d_i: `"update"`: W[i] +=
 * g_i·x; `"lookahead"`: the same, then z′_i = W[i]·x′ with the new W (two lane sums, then lane 0 + lane 1, as
 * `ntKernel`); `"grad"`: gW[i] = g_i·x. Params (W, ga, d, x, c, Rn) + (x′, z′) for `"lookahead"` or (gW) for `"grad"`.
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
 * The tile shapes: (2 × 4) dot-product tiles and (4 rows × 2 vectors) accumulation tiles, 1 × 8 at S = 1, 4 rows per
 * pass over U and W, no unrolling of the reduction loops. Measured on the 200 → 200 → 200 step (AMD EPYC, V8 13): other
 * shapes (4 × 2, 2 × 2, 1 × 8, 2 × 4 accumulation, unrolled by 2 or 4, 2 or 8 rows per pass) are equal within noise or
 * slower. The products run at about 11·10⁹ multiply–adds per second, near the limit of two f64x2 multiplies and two
 * f64x2 adds per cycle without FMA.
 */
const TILES = { ntMR: 2, ntNR: 4, axRR: 4, axJV: 2, mvNR: 8, uRR: 4, gerRR: 4, ntU: 1 };

/** The exported functions of a network module. */
export interface NetworkExports {
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
  adam: AdamExport;
}

/**
 * The module's bytes for padded sizes (n, h, o), each a multiple of 8, and an activation: the functions of {@linkcode
 * NetworkExports} and one growable memory.
 *
 * @param n The padded input dimension.
 * @param h The padded hidden dimension.
 * @param o The padded output dimension.
 * @param act The activation.
 * @returns The module's bytes.
 */
export function networkModuleBytes(n: number, h: number, o: number, act: Activation): Uint8Array<ArrayBuffer> {
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
  return buildModule(funcs, 1);
}

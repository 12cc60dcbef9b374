/**
 * The code generator of the deep-MLP WebAssembly kernel (`deep_wasm.ts`): one module, independent of the network's
 * shape (sizes are runtime arguments), with the loops of {@linkcode DeepKernel} as f64x2 SIMD. Internal module (not
 * exported from mod.ts).
 *
 * Bit for bit the JS kernel: every vector lane is one output of the JS loops and receives the same sequence of
 * roundings — vectorized across the output index, never across a sum. Multiply and add are separate instructions
 * (`emit.ts`, no fused multiply-add).
 *
 * - `axpy`: y[o] ← (((y[o] + x₀ r₀[o]) + x₁ r₁[o]) + x₂ r₂[o]) + x₃ r₃[o] over groups of four listed rows, then the
 *   last one to three in one pass — the forward pass (rows of W at the nonzero inputs), the weight gradient (rows of the errors at the
 *   samples with a nonzero input) and the bias gradient (x = 1); 8 output vectors per iteration. `axpySgd`: the same
 *   from y = +0, its last pass storing W − λy into W (the fused weight gradient and SGD step).
 * - `relu`, `transpose`: relu and its mask on the errors; the errors transposed for `dotS`.
 * - `dotS`: the back-propagated errors c[s][i] = Σₒ g[s][o] W[i][o] summed over o in order, lanes = two samples (the
 *   errors transposed, o-major, so two samples are adjacent).
 * - `dot1`: the same at S = 1, lanes = two rows i, i + 1 of W.
 * - `forward`, `gradW`: a layer's forward pass and its weight gradient (optionally with the SGD step fused), whole
 *   layers per call: the index lists of nonzero inputs are built here and `axpy` is called per sample or per row.
 * - `sgd`, `adam` (`emit.ts`, shared with the two-layer kernels): the updates of `trainDeepNetwork`, element-wise in
 *   the same operation order.
 *
 * @module
 */

import { buildModule, Func, op, T } from "../runtime/wasm_builder.ts";
import { adamKernel, madd, next } from "../networks/wasm/emit.ts";

/**
 * Output vectors per iteration of `axpy` (S = 32 MNIST forward layer 0 / its weight gradient + SGD, µs, same process,
 * busy machine: 1 → 126–128 / 153–234, 4 → 119–120 / 141–142, 8 → 114 / 133–134).
 */
const AXPY_UNROLL = 8;

/**
 * y[o] += Σₜ x[idx_t] · row(idx_t)[o] over the listed indices, four per pass (the last one to three in one), the
 * outputs `unroll` vectors per iteration (one address computation per row for them).
 */
function axpyFunc(unroll: number, sgd = false): Func {
  // (y, base, row, nz, n, x, xs, nOut), byte addresses; row = row length in bytes, xs = stride of x in bytes. With
  // `sgd` also (w, λ): y starts from +0 (not loaded) and the last pass stores w[o] − λ·y[o] into w instead of y.
  const params = [T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32];
  const f = new Func(sgd ? "axpySgd" : "axpy", sgd ? [...params, T.i32, T.f64] : params);
  const [Y, BASE, ROW, NZ, N, X, XS, NOUT, WP, LR] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const wo = f.local(T.i32), lr = f.local(T.v128);
  const k = f.local(T.i32), kEnd = f.local(T.i32), kEnd4 = f.local(T.i32), o = f.local(T.i32), vEnd = f.local(T.i32);
  const uEnd = f.local(T.i32), yo = f.local(T.i32);
  const r = [0, 1, 2, 3].map(() => f.local(T.i32));
  const ro = [0, 1, 2, 3].map(() => f.local(T.i32));
  const xs = [0, 1, 2, 3].map(() => f.local(T.f64));
  const xv = [0, 1, 2, 3].map(() => f.local(T.v128));
  const U = unroll, ub = Math.log2(16 * U);
  f.emit(op.get(NOUT), op.i32(1), op.shrU, op.i32(4), op.shl, op.set(vEnd));
  f.emit(op.get(NOUT), op.i32(ub - 3), op.shrU, op.i32(ub), op.shl, op.set(uEnd)); // whole groups of U vectors
  f.emit(op.get(NZ), op.get(N), op.i32(2), op.shl, op.add, op.set(kEnd));
  f.emit(op.get(NZ), op.get(N), op.i32(-4), op.and, op.i32(2), op.shl, op.add, op.set(kEnd4));
  f.emit(op.get(NZ), op.set(k));
  if (sgd) f.emit(op.get(LR), op.f64x2splat, op.set(lr));
  const pass = (terms: number) => {
    for (let t = 0; t < terms; t++) {
      f.emit(op.get(k), op.i32load(4 * t), op.tee(r[t])); // idx
      f.emit(op.get(XS), op.mul, op.get(X), op.add, op.f64load(0), op.tee(xs[t]), op.f64x2splat, op.set(xv[t]));
      f.emit(op.get(r[t]), op.get(ROW), op.mul, op.get(BASE), op.add, op.set(r[t]));
    }
    if (!sgd) return body(terms, false, false);
    // First pass (k = nz): y from +0; last pass (k + 4·terms = kEnd): into w.
    const last = [...op.get(k), ...op.i32(4 * terms), ...op.add, ...op.get(kEnd), ...op.eq];
    f.emit(op.get(k), op.get(NZ), op.eq, op.if, last, op.if);
    body(terms, true, true);
    f.emit(op.else);
    body(terms, true, false);
    f.emit(op.end, op.else, last, op.if);
    body(terms, false, true);
    f.emit(op.else);
    body(terms, false, false);
    f.emit(op.end, op.end);
  };
  const body = (terms: number, first: boolean, toW: boolean) => {
    // `vecs` vectors at byte o per iteration, o from the current o to `end`.
    const vloop = (vecs: number, end: number) => {
      f.emit(op.loop, op.get(Y), op.get(o), op.add, op.set(yo));
      if (toW) f.emit(op.get(WP), op.get(o), op.add, op.set(wo));
      for (let t = 0; t < terms; t++) f.emit(op.get(r[t]), op.get(o), op.add, op.set(ro[t]));
      for (let v = 0; v < vecs; v++) {
        let acc = first ? op.v128zero : [...op.get(yo), ...op.v128load(16 * v)];
        for (let t = 0; t < terms; t++) acc = madd(op.get(xv[t]), [...op.get(ro[t]), ...op.v128load(16 * v)], acc);
        if (toW) {
          f.emit(op.get(wo), op.get(wo), op.v128load(16 * v), op.get(lr), acc, op.f64x2mul, op.f64x2sub);
          f.emit(op.v128store(16 * v));
        } else f.emit(op.get(yo), acc, op.v128store(16 * v));
      }
      f.emit(next(o, 16 * vecs, op.get(end)));
    };
    f.emit(op.i32(0), op.set(o), op.get(uEnd), op.if);
    vloop(U, uEnd);
    f.emit(op.end);
    if (U > 1) {
      // The last whole vectors (fewer than U), one per iteration.
      f.emit(op.get(o), op.get(vEnd), op.ne, op.if);
      vloop(1, vEnd);
      f.emit(op.end);
    }
    // Odd nOut: the last output, scalar.
    f.emit(op.get(NOUT), op.i32(1), op.and, op.if);
    let s = first ? op.f64const(0) : [...op.get(Y), ...op.get(vEnd), ...op.add, ...op.f64load(0)];
    for (let t = 0; t < terms; t++) {
      s = [
        ...s,
        ...op.get(xs[t]),
        ...op.get(r[t]),
        ...op.get(vEnd),
        ...op.add,
        ...op.f64load(0),
        ...op.f64mul,
        ...op.f64add,
      ];
    }
    if (toW) {
      f.emit(op.get(WP), op.get(vEnd), op.add, op.get(WP), op.get(vEnd), op.add, op.f64load(0), op.get(LR), s);
      f.emit(op.f64mul, op.f64sub, op.f64store(0), op.end);
    } else f.emit(op.get(Y), op.get(vEnd), op.add, s, op.f64store(0), op.end);
  };
  f.emit(op.get(kEnd4), op.get(NZ), op.ne, op.if, op.loop);
  pass(4);
  f.emit(next(k, 16, op.get(kEnd4)), op.end);
  // The last 1–3 listed rows in one pass (k = kEnd4 here).
  const rem = (bytes: number) => [...op.get(kEnd), ...op.get(kEnd4), ...op.sub, ...op.i32(bytes), ...op.eq];
  f.emit(rem(4), op.if);
  pass(1);
  f.emit(op.else, rem(8), op.if);
  pass(2);
  f.emit(op.else, rem(12), op.if);
  pass(3);
  f.emit(op.end, op.end, op.end);
  return f;
}

/**
 * c[s][i] = Σₒ w[i][o] gT[o][s] (o in order) for i < nIn and s < Sp (a multiple of 8), 8 samples per pass. Params (c,
 * w, row, gT, nOut, nIn, tRow, cRow, Sp): c rows of cRow bytes, W rows of `row` bytes, gT rows of tRow bytes.
 */
function dotSFunc(): Func {
  const f = new Func("dotS", [T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32]);
  const [C, W, ROW, GT, NOUT, NIN, TROW, CROW, SP] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const i = f.local(T.i32), sp = f.local(T.i32), pw = f.local(T.i32), pwEnd = f.local(T.i32), pt = f.local(T.i32);
  const wi = f.local(T.i32), q = f.local(T.i32), spEnd = f.local(T.i32);
  const acc = [0, 1, 2, 3].map(() => f.local(T.v128));
  const wv = f.local(T.v128);
  f.emit(op.get(SP), op.i32(3), op.shl, op.set(spEnd), op.i32(0), op.set(i), op.get(W), op.set(wi));
  f.emit(op.loop); // i
  f.emit(op.i32(0), op.set(sp), op.loop); // samples, 8 per pass
  for (const a of acc) f.emit(op.v128zero, op.set(a));
  f.emit(op.get(wi), op.tee(pw), op.get(NOUT), op.i32(3), op.shl, op.add, op.set(pwEnd));
  f.emit(op.get(GT), op.get(sp), op.add, op.set(pt), op.loop); // o
  f.emit(op.get(pw), op.load64splat(0), op.set(wv));
  acc.forEach((a, v) => f.emit(madd(op.get(wv), [...op.get(pt), ...op.v128load(16 * v)], op.get(a)), op.set(a)));
  f.emit(op.get(pt), op.get(TROW), op.add, op.set(pt));
  f.emit(next(pw, 8, op.get(pwEnd))); // o
  // Store the 8 sums: sample sp/8 + 2v + lane, column i.
  f.emit(op.get(C), op.get(i), op.i32(3), op.shl, op.add, op.get(sp), op.i32(3), op.shrU, op.get(CROW), op.mul, op.add);
  f.emit(op.set(q));
  for (const a of acc) {
    for (const lane of [0, 1]) {
      f.emit(op.get(q), op.get(a), op.v128store64lane(0, lane), op.get(q), op.get(CROW), op.add, op.set(q));
    }
  }
  f.emit(next(sp, 64, op.get(spEnd))); // samples
  f.emit(op.get(wi), op.get(ROW), op.add, op.set(wi));
  f.emit(next(i, 1, op.get(NIN))); // i
  return f;
}

/**
 * c[i] = Σₒ g[o] w[i][o] (o in order) for i < nIn4 (a positive multiple of 4), lanes = rows i, i + 1. Params (c, w,
 * row, g, nOut, nIn4).
 */
function dot1Func(): Func {
  const f = new Func("dot1", [T.i32, T.i32, T.i32, T.i32, T.i32, T.i32]);
  const [C, W, ROW, G, NOUT, NIN4] = [0, 1, 2, 3, 4, 5];
  const i = f.local(T.i32), pg = f.local(T.i32), pgEnd = f.local(T.i32), wi = f.local(T.i32);
  const p = [0, 1, 2, 3].map(() => f.local(T.i32));
  const acc = [0, 1].map(() => f.local(T.v128));
  const gv = f.local(T.v128);
  f.emit(op.get(G), op.get(NOUT), op.i32(3), op.shl, op.add, op.set(pgEnd), op.i32(0), op.set(i));
  f.emit(op.get(W), op.set(wi), op.loop); // i, 4 per pass
  for (const a of acc) f.emit(op.v128zero, op.set(a));
  for (let t = 0; t < 4; t++) f.emit(op.get(wi), op.get(ROW), op.i32(t), op.mul, op.add, op.set(p[t]));
  f.emit(op.get(G), op.set(pg), op.loop); // o
  f.emit(op.get(pg), op.load64splat(0), op.set(gv));
  for (let v = 0; v < 2; v++) {
    const wpair = [...op.get(p[2 * v + 1]), ...op.get(p[2 * v]), ...op.load64splat(0), ...op.v128load64lane(0, 1)];
    f.emit(madd(wpair, op.get(gv), op.get(acc[v])), op.set(acc[v]));
  }
  for (const pt of p) f.emit(op.get(pt), op.i32(8), op.add, op.set(pt));
  f.emit(next(pg, 8, op.get(pgEnd))); // o
  f.emit(op.get(C), op.get(i), op.i32(3), op.shl, op.add, op.get(acc[0]), op.v128store(0));
  f.emit(op.get(C), op.get(i), op.i32(3), op.shl, op.add, op.get(acc[1]), op.v128store(16));
  f.emit(op.get(wi), op.get(ROW), op.i32(2), op.shl, op.add, op.set(wi));
  f.emit(next(i, 4, op.get(NIN4))); // i
  return f;
}

/** p ← p − λ g over `bytes` (a positive multiple of 16). Params (p, g, bytes, λ). */
function sgdFunc(): Func {
  const f = new Func("sgd", [T.i32, T.i32, T.i32, T.f64]);
  const [P, G, BYTES, LR] = [0, 1, 2, 3];
  const j = f.local(T.i32), lr = f.local(T.v128);
  f.emit(op.get(LR), op.f64x2splat, op.set(lr), op.i32(0), op.set(j), op.loop);
  f.emit(op.get(P), op.get(j), op.add);
  f.emit(op.get(P), op.get(j), op.add, op.v128load(0), op.get(lr), op.get(G), op.get(j), op.add, op.v128load(0));
  f.emit(op.f64x2mul, op.f64x2sub, op.v128store(0));
  f.emit(next(j, 16, op.get(BYTES)));
  return f;
}

/** The indices of the exported functions, in {@linkcode deepModuleBytes}'s order (`call` targets). */
const AXPY = 0, AXPY_SGD = 9;

/**
 * Appends to `f` the list of the indices t < count whose double at p₀ + t·stride is nonzero (`i32` at NZ + 4n, n
 * counted in local `n`, p₀ in local `p0`, the stride in local `stride`, t in local `t`, the address in local `p`).
 */
function nonzeroList(
  f: Func,
  nz: number[],
  p0: number,
  stride: number[],
  count: number[],
  n: number,
  t: number,
  p: number,
) {
  f.emit(op.i32(0), op.set(n), op.i32(0), op.set(t), op.get(p0), op.set(p), op.loop);
  f.emit(op.get(p), op.f64load(0), op.f64const(0), op.f64ne, op.if);
  f.emit(nz, op.get(n), op.i32(2), op.shl, op.add, op.get(t), op.i32store(0));
  f.emit(op.get(n), op.i32(1), op.add, op.set(n), op.end);
  f.emit(op.get(p), stride, op.add, op.set(p));
  f.emit(next(t, 1, count));
}

/**
 * One layer forward, z[s] = b + Σᵢ a[s][i] W[i] over the nonzero a[s][i] (i ascending), for s < S: the JS kernel's
 * loop with its index list built here. Params (z, b, w, a, nIn, nOut, S, nz), byte addresses; nz = i32 scratch of nIn.
 */
function forwardFunc(): Func {
  const f = new Func("forward", [T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32]);
  const [Z, B, W, A, NIN, NOUT, S, NZ] = [0, 1, 2, 3, 4, 5, 6, 7];
  const s = f.local(T.i32), zr = f.local(T.i32), ar = f.local(T.i32), n = f.local(T.i32), t = f.local(T.i32);
  const p = f.local(T.i32), o = f.local(T.i32), rowB = f.local(T.i32), inB = f.local(T.i32);
  f.emit(op.get(NOUT), op.i32(3), op.shl, op.set(rowB), op.get(NIN), op.i32(3), op.shl, op.set(inB));
  f.emit(op.i32(0), op.set(s), op.get(Z), op.set(zr), op.get(A), op.set(ar), op.loop); // s
  // z[s] = b (copied double by double)
  f.emit(op.i32(0), op.set(o), op.loop);
  f.emit(op.get(zr), op.get(o), op.add, op.get(B), op.get(o), op.add, op.f64load(0), op.f64store(0));
  f.emit(next(o, 8, op.get(rowB)));
  nonzeroList(f, op.get(NZ), ar, op.i32(8), op.get(NIN), n, t, p);
  f.emit(op.get(n), op.if);
  f.emit(
    op.get(zr),
    op.get(W),
    op.get(rowB),
    op.get(NZ),
    op.get(n),
    op.get(ar),
    op.i32(8),
    op.get(NOUT),
    op.call(AXPY),
  );
  f.emit(op.end);
  f.emit(op.get(zr), op.get(rowB), op.add, op.set(zr), op.get(ar), op.get(inB), op.add, op.set(ar));
  f.emit(next(s, 1, op.get(S)));
  return f;
}

/**
 * The weight gradient of one layer, row by row: for each input i, the samples s with a[s][i] ≠ 0 (ascending) and
 * ∂W[i] = Σₛ a[s][i] g[s] over them; rows with no such sample are skipped. Not fused: ∂W[i] is accumulated into w's
 * row i (the gradient array, zeroed by the caller). Fused (`axpySgd`): ∂W[i] is summed from +0 (its first pass),
 * through the scratch row between passes, and its last pass stores W[i] − λ∂W[i] into W[i] — the operations of zeroing
 * a scratch row, `axpy` into it and `sgd`, without the zeroing and the SGD pass. Params (w, g, a, nIn, nOut, S, nz,
 * row, λ, fused), byte addresses; nz = i32 scratch of S, row = scratch of nOut + 2 doubles.
 */
function gradWFunc(): Func {
  const f = new Func("gradW", [T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.f64, T.i32]);
  const [W, G, A, NIN, NOUT, S, NZ, ROW, LR, FUSED] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const i = f.local(T.i32), ai = f.local(T.i32), wi = f.local(T.i32), n = f.local(T.i32), t = f.local(T.i32);
  const p = f.local(T.i32), rowB = f.local(T.i32), inB = f.local(T.i32);
  f.emit(op.get(NOUT), op.i32(3), op.shl, op.set(rowB), op.get(NIN), op.i32(3), op.shl, op.set(inB));
  f.emit(op.i32(0), op.set(i), op.get(A), op.set(ai), op.get(W), op.set(wi), op.loop); // i
  nonzeroList(f, op.get(NZ), ai, op.get(inB), op.get(S), n, t, p);
  f.emit(op.get(n), op.if);
  f.emit(op.get(FUSED), op.if);
  f.emit(op.get(ROW), op.get(G), op.get(rowB), op.get(NZ), op.get(n), op.get(ai), op.get(inB), op.get(NOUT));
  f.emit(op.get(wi), op.get(LR), op.call(AXPY_SGD));
  f.emit(op.else);
  f.emit(op.get(wi), op.get(G), op.get(rowB), op.get(NZ), op.get(n), op.get(ai), op.get(inB), op.get(NOUT));
  f.emit(op.call(AXPY), op.end);
  f.emit(op.end);
  f.emit(op.get(ai), op.i32(8), op.add, op.set(ai), op.get(wi), op.get(rowB), op.add, op.set(wi));
  f.emit(next(i, 1, op.get(NIN)));
  return f;
}

/**
 * d[k] ← d[k] if a[k] > 0, else +0 (NaN included), over `bytes` (a positive multiple of 16): relu (d = a = z) and its
 * mask on the errors (a = the activations) — the JS kernel's `if (!(a[k] > 0)) d[k] = 0`. Params (d, a, bytes).
 */
function reluFunc(): Func {
  const f = new Func("relu", [T.i32, T.i32, T.i32]);
  const [D, A, BYTES] = [0, 1, 2];
  const j = f.local(T.i32);
  f.emit(op.i32(0), op.set(j), op.loop, op.get(D), op.get(j), op.add);
  f.emit(op.get(D), op.get(j), op.add, op.v128load(0), op.get(A), op.get(j), op.add, op.v128load(0));
  f.emit(op.v128zero, op.f64x2gt, op.v128and, op.v128store(0));
  f.emit(next(j, 16, op.get(BYTES)));
  return f;
}

/**
 * gT[o][s] = g[s][o] for s < S, o < nOut: the errors transposed for `dotS`. Params (gT, g, nOut, S, tRow), byte
 * addresses, gT rows of tRow bytes.
 */
function transposeFunc(): Func {
  const f = new Func("transpose", [T.i32, T.i32, T.i32, T.i32, T.i32]);
  const [GT, G, NOUT, S, TROW] = [0, 1, 2, 3, 4];
  const s = f.local(T.i32), o = f.local(T.i32), src = f.local(T.i32), dst = f.local(T.i32);
  f.emit(op.get(G), op.set(src), op.i32(0), op.set(s), op.loop); // s
  f.emit(op.get(GT), op.get(s), op.i32(3), op.shl, op.add, op.set(dst), op.i32(0), op.set(o), op.loop); // o
  f.emit(op.get(dst), op.get(src), op.f64load(0), op.f64store(0));
  f.emit(op.get(dst), op.get(TROW), op.add, op.set(dst), op.get(src), op.i32(8), op.add, op.set(src));
  f.emit(next(o, 1, op.get(NOUT)));
  f.emit(next(s, 1, op.get(S)));
  return f;
}

/**
 * The bytes of the deep-MLP module (shape-independent; 1 page of memory, grown by the kernel).
 *
 * @returns The module's bytes.
 */
export function deepModuleBytes(): Uint8Array<ArrayBuffer> {
  return buildModule(
    [
      axpyFunc(AXPY_UNROLL),
      dotSFunc(),
      dot1Func(),
      sgdFunc(),
      adamKernel("adam"),
      forwardFunc(),
      gradWFunc(),
      reluFunc(),
      transposeFunc(),
      axpyFunc(AXPY_UNROLL, true),
    ],
    1,
  );
}

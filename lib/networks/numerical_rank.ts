/**
 * Singular values and numerical rank of a matrix (the rank of a trained network's last layer, §4.4 and App. B.4).
 *
 * @module
 */

import * as check from "../core/validate.ts";
import { buildModule, Func, op, T, wasmSimdSupported } from "../runtime/wasm_builder.ts";
import { madd, next } from "./wasm/emit.ts";

/**
 * The Gram kernel: G[p][q] = Σᵢ B[i][p] B[i][q] (i ascending, from +0) for every p < np and q ≥ 8⌊p/8⌋, tiles of 2 × 8
 * held in f64x2 registers over the whole sum; multiply and add separate (no FMA). Params (B, G, rows, np): byte
 * addresses, B rows × np and G np × np row-major, np a positive multiple of 8.
 */
function gramFunc(): Func {
  const f = new Func("gram", [T.i32, T.i32, T.i32, T.i32]);
  const [B, G, ROWS, NP] = [0, 1, 2, 3];
  const p = f.local(T.i32), q = f.local(T.i32), pb = f.local(T.i32), pEnd = f.local(T.i32), rowB = f.local(T.i32);
  const g = f.local(T.i32), a0 = f.local(T.v128), a1 = f.local(T.v128);
  const v = [0, 1, 2, 3].map(() => f.local(T.v128));
  const acc = Array.from({ length: 8 }, () => f.local(T.v128));
  f.emit(op.get(NP), op.i32(3), op.shl, op.set(rowB));
  f.emit(op.get(ROWS), op.get(rowB), op.mul, op.get(B), op.add, op.set(pEnd)); // end of B
  f.emit(op.i32(0), op.set(p), op.loop); // p, byte offset of column p, 2 per pass
  f.emit(op.get(p), op.i32(-64), op.and, op.set(q), op.loop); // q, byte offset, 8 per pass
  for (const a of acc) f.emit(op.v128zero, op.set(a));
  f.emit(op.get(B), op.set(pb), op.loop); // i: pb = the address of row i
  f.emit(op.get(pb), op.get(p), op.add, op.load64splat(0), op.set(a0));
  f.emit(op.get(pb), op.get(p), op.add, op.load64splat(8), op.set(a1));
  v.forEach((x, t) => f.emit(op.get(pb), op.get(q), op.add, op.v128load(16 * t), op.set(x)));
  v.forEach((x, t) => {
    f.emit(madd(op.get(a0), op.get(x), op.get(acc[t])), op.set(acc[t]));
    f.emit(madd(op.get(a1), op.get(x), op.get(acc[4 + t])), op.set(acc[4 + t]));
  });
  f.emit(op.get(pb), op.get(rowB), op.add, op.tee(pb), op.get(pEnd), op.ne, op.brIf(0), op.end);
  // Store rows p and p + 1 of the tile.
  f.emit(op.get(G), op.get(p), op.i32(3), op.shrU, op.get(rowB), op.mul, op.add, op.get(q), op.add, op.set(g));
  for (let t = 0; t < 4; t++) f.emit(op.get(g), op.get(acc[t]), op.v128store(16 * t));
  f.emit(op.get(g), op.get(rowB), op.add, op.set(g));
  for (let t = 0; t < 4; t++) f.emit(op.get(g), op.get(acc[4 + t]), op.v128store(16 * t));
  f.emit(next(q, 64, op.get(rowB)));
  f.emit(next(p, 16, op.get(rowB)));
  return f;
}

/**
 * Householder step, the products: t[j] = Σₖ S[k][j] u[k] (k = 0 … l, in order, from +0) for j < 8⌈(l + 1)/8⌉, tiles of
 * 8 j in registers — with S symmetric (both triangles), S[k][j] is the JS loop's a[j][k] for k ≤ j and a[k][j] for k >
 * j, so t[j] is its gg bit for bit. Params (S, u, t, l + 1, row bytes).
 */
function tdotFunc(): Func {
  const f = new Func("tdot", [T.i32, T.i32, T.i32, T.i32, T.i32]);
  const [S, U, TT, L1, ROWB] = [0, 1, 2, 3, 4];
  const j = f.local(T.i32), jEnd = f.local(T.i32), pk = f.local(T.i32), pu = f.local(T.i32), uEnd = f.local(T.i32);
  const uv = f.local(T.v128);
  const acc = [0, 1, 2, 3].map(() => f.local(T.v128));
  f.emit(op.get(L1), op.i32(7), op.add, op.i32(-8), op.and, op.i32(3), op.shl, op.set(jEnd));
  f.emit(op.get(U), op.get(L1), op.i32(3), op.shl, op.add, op.set(uEnd));
  f.emit(op.i32(0), op.set(j), op.loop); // j, byte offset, 8 per pass
  for (const x of acc) f.emit(op.v128zero, op.set(x));
  f.emit(op.get(S), op.get(j), op.add, op.set(pk), op.get(U), op.set(pu), op.loop); // k
  f.emit(op.get(pu), op.load64splat(0), op.set(uv));
  acc.forEach((x, t) => f.emit(madd([...op.get(pk), ...op.v128load(16 * t)], op.get(uv), op.get(x)), op.set(x)));
  f.emit(op.get(pk), op.get(ROWB), op.add, op.set(pk));
  f.emit(next(pu, 8, op.get(uEnd)));
  acc.forEach((x, t) => f.emit(op.get(TT), op.get(j), op.add, op.get(x), op.v128store(16 * t)));
  f.emit(next(j, 64, op.get(jEnd)));
  return f;
}

/**
 * Householder step, the rank-2 update: S[j][k] −= u[j] e[k] + e[j] u[k] for j ≤ l and k < 2⌈(l + 1)/2⌉ (the JS loop's
 * a[j][k] −= ff·e[k] + gg·a[i][k] on both triangles; the lane past an odd l + 1 writes column l + 1, never read again).
 * Params (S, u, e, l + 1, row bytes).
 */
function tupdFunc(): Func {
  const f = new Func("tupd", [T.i32, T.i32, T.i32, T.i32, T.i32]);
  const [S, U, E, L1, ROWB] = [0, 1, 2, 3, 4];
  const j = f.local(T.i32), row = f.local(T.i32), k = f.local(T.i32), kEnd = f.local(T.i32);
  const ff = f.local(T.v128), gg = f.local(T.v128);
  f.emit(op.get(L1), op.i32(1), op.add, op.i32(-2), op.and, op.i32(3), op.shl, op.set(kEnd));
  f.emit(op.i32(0), op.set(j), op.get(S), op.set(row), op.loop); // j, byte offset
  f.emit(op.get(U), op.get(j), op.add, op.load64splat(0), op.set(ff));
  f.emit(op.get(E), op.get(j), op.add, op.load64splat(0), op.set(gg));
  f.emit(op.i32(0), op.set(k), op.loop); // k, byte offset
  f.emit(op.get(row), op.get(k), op.add);
  f.emit(op.get(row), op.get(k), op.add, op.v128load(0));
  f.emit(op.get(ff), op.get(E), op.get(k), op.add, op.v128load(0), op.f64x2mul);
  f.emit(op.get(gg), op.get(U), op.get(k), op.add, op.v128load(0), op.f64x2mul, op.f64x2add);
  f.emit(op.f64x2sub, op.v128store(0));
  f.emit(next(k, 16, op.get(kEnd)));
  f.emit(op.get(row), op.get(ROWB), op.add, op.set(row));
  f.emit(op.get(j), op.i32(8), op.add, op.tee(j), op.get(L1), op.i32(3), op.shl, op.ne, op.brIf(0), op.end);
  return f;
}

interface RankExports {
  memory: WebAssembly.Memory;
  gram(b: number, g: number, rows: number, np: number): void;
  tdot(s: number, u: number, t: number, l1: number, rowBytes: number): void;
  tupd(s: number, u: number, e: number, l1: number, rowBytes: number): void;
}

let rankExports: RankExports | undefined;
let gramWasm = true;
let simd: boolean | undefined;

/** The module's exports with at least `bytes` of memory. */
function rankWasm(bytes: number): RankExports {
  rankExports ??= new WebAssembly.Instance(
    new WebAssembly.Module(buildModule([gramFunc(), tdotFunc(), tupdFunc()], 1)),
  ).exports as unknown as RankExports;
  const grow = Math.ceil(bytes / 65536) - rankExports.memory.buffer.byteLength / 65536;
  if (grow > 0) rankExports.memory.grow(grow);
  return rankExports;
}

/**
 * Whether {@linkcode singularValues} forms the Gram matrix in WebAssembly (when the runtime has SIMD). For tests and
 * benchmarks: the JS loops give the same bits. Internal.
 *
 * @param on False to force the JS loops.
 */
export function setGramWasm(on: boolean): void {
  gramWasm = on;
}

/**
 * The Gram matrix G = BᵀB (k × k, row-major, both triangles) of the rows × k matrix B = A (transposed: B = Aᵀ) in
 * WebAssembly: each entry the JS loops' sum, in the same order, so the same bits. Internal.
 */
function gramWasmOf(A: ArrayLike<number>, m: number, n: number, transposed: boolean): Float64Array {
  const rows = transposed ? n : m, k = transposed ? m : n;
  const np = Math.ceil(k / 8) * 8;
  const bBytes = rows * np * 8, total = bBytes + np * np * 8;
  const x = rankWasm(total);
  const B = new Float64Array(x.memory.buffer, 0, rows * np);
  B.fill(0);
  if (transposed) {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) B[j * np + i] = A[i * n + j];
  } else {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) B[i * np + j] = A[i * n + j];
  }
  x.gram(0, bBytes, rows, np);
  const Gp = new Float64Array(x.memory.buffer, bBytes, np * np);
  const G = new Float64Array(k * k);
  for (let p = 0; p < k; p++) for (let q = p; q < k; q++) G[p * k + q] = Gp[p * np + q];
  return G;
}

/**
 * The upper triangle of the Gram matrix of the rows × cols matrix A: AᵀA if cols ≤ rows, else AAᵀ (k = min(rows, cols),
 * k × k row-major; the lower triangle left zero). In WebAssembly when available and enabled, else the JS loops: the
 * same bits either way (each entry a sum from +0 over the same products in the same order; the JS loop's skipped zero
 * products change nothing, the sums never being −0). Internal.
 *
 * @param A The entries, row-major (finite).
 * @param m The number of rows.
 * @param n The number of columns.
 * @param useWasm False for the JS loops (the reference).
 * @returns G, k × k.
 */
export function gramUpper(A: ArrayLike<number>, m: number, n: number, useWasm = gramWasm): Float64Array {
  if (useWasm && m > 0 && n > 0 && (simd ??= wasmSimdSupported())) return gramWasmOf(A, m, n, n > m);
  const k = Math.min(m, n);
  const G = new Float64Array(k * k);
  if (n <= m) {
    // AᵀA (n × n): G[p][q] = Σ_i A[i][p] A[i][q].
    for (let i = 0; i < m; i++) {
      const o = i * n;
      for (let p = 0; p < n; p++) {
        const v = A[o + p];
        if (v === 0) continue;
        const gp = p * n;
        for (let q = p; q < n; q++) G[gp + q] += v * A[o + q];
      }
    }
  } else {
    // AAᵀ (m × m).
    for (let p = 0; p < m; p++) {
      for (let q = p; q < m; q++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += A[p * n + j] * A[q * n + j];
        G[p * m + q] = s;
      }
    }
  }
  return G;
}

/**
 * Eigenvalues of a real symmetric n × n matrix (row-major, the lower triangle read; overwritten), by Householder
 * reduction to tridiagonal form and the implicit QL algorithm (as in Numerical Recipes' tred2/tqli, eigenvalues only):
 * O(n³) with a small constant. The reduction's O(n³) loops run in WebAssembly when available (and enabled, see
 * {@linkcode setGramWasm}), bit for bit the JS loops. Internal.
 */
export function symmetricEigenvalues(a: Float64Array, n: number, useWasm = gramWasm): Float64Array {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (useWasm && n > 1 && (simd ??= wasmSimdSupported())) tridiagonalizeWasm(a, n, d, e);
  else tridiagonalize(a, n, d, e);
  return tridiagonalEigenvalues(d, e, n);
}

/**
 * The Householder reduction in WebAssembly: the matrix held with both triangles (mirrored from the lower one), so the
 * products Σₖ a[j][k] u[k] (lower part) + Σₖ a[k][j] u[k] (upper part) become one pass over rows k vectorized across j,
 * and the rank-2 update is applied to both triangles (its two mirrored entries get the same bits: + and × commute
 * exactly). The O(n) scalar steps stay here, in the JS loop's order.
 */
function tridiagonalizeWasm(a: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  const np = Math.ceil(n / 8) * 8, rowB = np * 8;
  const tAt = n * rowB, eAt = tAt + rowB;
  const x = rankWasm(eAt + rowB);
  const S = new Float64Array(x.memory.buffer, 0, n * np);
  const t = new Float64Array(x.memory.buffer, tAt, np);
  const ew = new Float64Array(x.memory.buffer, eAt, np);
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < np; q++) S[p * np + q] = q >= n ? 0 : p >= q ? a[p * n + q] : a[q * n + p];
  }
  t.fill(0);
  ew.fill(0);
  for (let i = n - 1; i > 0; i--) {
    const l = i - 1, ui = i * np;
    let h = 0;
    if (l > 0) {
      let scale = 0;
      for (let k = 0; k <= l; k++) scale += Math.abs(S[ui + k]);
      if (scale === 0) ew[i] = S[ui + l];
      else {
        for (let k = 0; k <= l; k++) {
          S[ui + k] /= scale;
          h += S[ui + k] * S[ui + k];
        }
        let f = S[ui + l];
        const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
        ew[i] = scale * g;
        h -= f * g;
        S[ui + l] = f - g;
        x.tdot(0, ui * 8, tAt, l + 1, rowB);
        f = 0;
        for (let j = 0; j <= l; j++) {
          ew[j] = t[j] / h;
          f += ew[j] * S[ui + j];
        }
        const hh = f / (h + h);
        for (let j = 0; j <= l; j++) ew[j] = ew[j] - hh * S[ui + j];
        x.tupd(0, ui * 8, eAt, l + 1, rowB);
      }
    } else ew[i] = S[ui + l];
    d[i] = h;
  }
  for (let i = 0; i < n; i++) {
    d[i] = S[i * np + i];
    e[i] = ew[i];
  }
}

/** The Householder reduction (tred2, eigenvalues only): the JS reference. d = the diagonal, e = the off-diagonal. */
function tridiagonalize(a: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let i = n - 1; i > 0; i--) {
    const l = i - 1;
    let h = 0;
    if (l > 0) {
      let scale = 0;
      for (let k = 0; k <= l; k++) scale += Math.abs(a[i * n + k]);
      if (scale === 0) e[i] = a[i * n + l];
      else {
        for (let k = 0; k <= l; k++) {
          a[i * n + k] /= scale;
          h += a[i * n + k] * a[i * n + k];
        }
        let f = a[i * n + l];
        const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
        e[i] = scale * g;
        h -= f * g;
        a[i * n + l] = f - g;
        f = 0;
        for (let j = 0; j <= l; j++) {
          let gg = 0;
          for (let k = 0; k <= j; k++) gg += a[j * n + k] * a[i * n + k];
          for (let k = j + 1; k <= l; k++) gg += a[k * n + j] * a[i * n + k];
          e[j] = gg / h;
          f += e[j] * a[i * n + j];
        }
        const hh = f / (h + h);
        for (let j = 0; j <= l; j++) {
          const ff = a[i * n + j];
          const gg = e[j] - hh * ff;
          e[j] = gg;
          for (let k = 0; k <= j; k++) a[j * n + k] -= ff * e[k] + gg * a[i * n + k];
        }
      }
    } else e[i] = a[i * n + l];
    d[i] = h;
  }
  for (let i = 0; i < n; i++) d[i] = a[i * n + i];
}

/** Implicit QL on the tridiagonal (d, e) (tqli, eigenvalues only): d is overwritten with the eigenvalues. */
function tridiagonalEigenvalues(d: Float64Array, e: Float64Array, n: number): Float64Array {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    let m: number;
    do {
      for (m = l; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= Number.EPSILON * dd) break;
      }
      if (m !== l) {
        if (iter++ === 60) break;
        let g = (d[l + 1] - d[l]) / (2 * e[l]);
        let r = Math.hypot(g, 1);
        g = d[m] - d[l] + e[l] / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)));
        let s = 1, c = 1, p = 0;
        let i: number;
        for (i = m - 1; i >= l; i--) {
          const f = s * e[i];
          const b = c * e[i];
          r = Math.hypot(f, g);
          e[i + 1] = r;
          if (r === 0) {
            d[i + 1] -= p;
            e[m] = 0;
            break;
          }
          s = f / r;
          c = g / r;
          g = d[i + 1] - p;
          r = (d[i] - g) * s + 2 * c * b;
          p = s * r;
          d[i + 1] = g + p;
          g = c * r - b;
        }
        if (r === 0 && i >= l) continue;
        d[l] -= p;
        e[l] = g;
        e[m] = 0;
      }
    } while (m !== l);
  }
  return d;
}

/**
 * The singular values of a rows × cols matrix (row-major), in descending order: the square roots of the eigenvalues of
 * the smaller Gram matrix (AᵀA or AAᵀ), computed by Householder tridiagonalization and implicit QL. The Gram matrix
 * squares the condition number: the error of σᵢ is about min(rows, cols)·ε·σ_max²/σᵢ (ε = 2⁻⁵²), so σᵢ is accurate to
 * ~1e-12 relative near σ_max, ~1e-7 at 1e-5·σ_max, and values below about 1e-8·σ_max are not resolved (measured against
 * NumPy's SVD in test/). Ample for numerical ranks with relative tolerances ≥ 1e-6.
 *
 * @example A rank-one matrix
 * ```ts
 * import { singularValues } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const s = singularValues([1, 2, 2, 4], 2, 2); // (1, 2)ᵀ(1, 2)
 * assert.ok(Math.abs(s[0] - 5) < 1e-12 && s[1] < 1e-7);
 * ```
 *
 * @param matrix The entries, row-major. Finite.
 * @param rows The number of rows.
 * @param cols The number of columns.
 * @returns min(rows, cols) singular values, descending.
 */
export function singularValues(matrix: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const fn = "singularValues";
  const A = check.finiteArray(fn, "matrix", matrix);
  const m = check.integerInRange(fn, "rows", rows);
  const n = check.integerInRange(fn, "cols", cols);
  if (A.length !== m * n) {
    throw new RangeError(`Invalid matrix in ${fn}: expected ${m} × ${n} = ${m * n} entries; received ${A.length}.`);
  }
  const k = Math.min(m, n);
  const G = gramUpper(A, m, n);
  for (let p = 0; p < k; p++) for (let q = 0; q < p; q++) G[p * k + q] = G[q * k + p];
  const ev = symmetricEigenvalues(G, k);
  return Float64Array.from(ev, (v) => Math.sqrt(Math.max(0, v))).sort().reverse();
}

/** Options of {@linkcode numericalRank}. */
export interface NumericalRankOptions {
  /** Singular values above relativeTolerance·σ_max count. @default 1e-3 */
  relativeTolerance?: number;
}

/**
 * The numerical rank of a matrix: the number of singular values above `relativeTolerance`·σ_max (0 for a zero matrix).
 * §4.4 measures the rank of the last layer after training; near the rank-0 saddle all singular values shrink together,
 * so the relative tolerance separates the collapsed directions.
 *
 * @example
 * ```ts
 * import { numericalRank } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * assert.equal(numericalRank([1, 0, 0, 1e-6], 2, 2), 1);
 * assert.equal(numericalRank([1, 0, 0, 1e-6], 2, 2, { relativeTolerance: 1e-9 }), 2);
 * ```
 *
 * @param matrix The entries, row-major.
 * @param rows The number of rows.
 * @param cols The number of columns.
 * @param options The relative tolerance.
 * @returns The numerical rank.
 */
export function numericalRank(
  matrix: ArrayLike<number>,
  rows: number,
  cols: number,
  options: NumericalRankOptions = {},
): number {
  const fn = "numericalRank";
  const o = check.options(fn, options);
  const tol = check.positiveNumber(fn, "options.relativeTolerance", o.relativeTolerance ?? 1e-3);
  const { A, m, n } = checkMatrix(fn, matrix, rows, cols);
  return rankOf(singularValues(A, m, n), tol);
}

/** The checks of singularValues, reported under the name of the public function that calls it (internal). */
function checkMatrix(fn: string, matrix: ArrayLike<number>, rows: number, cols: number) {
  const m = check.integerInRange(fn, "rows", rows);
  const n = check.integerInRange(fn, "cols", cols);
  check.sizeLimit(fn, "rows", m * n, "the matrix (rows × cols)");
  const A = check.finiteArray(fn, "matrix", matrix);
  if (A.length !== m * n) {
    throw new RangeError(`Invalid matrix in ${fn}: expected ${m} × ${n} = ${m * n} entries; received ${A.length}.`);
  }
  return { A, m, n };
}

/** The numerical rank from descending singular values: how many exceed relativeTolerance·s₀ (internal). */
export function rankOf(s: ArrayLike<number>, relativeTolerance: number): number {
  if (s.length === 0 || s[0] === 0) return 0;
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s[i] > relativeTolerance * s[0]) n++;
  return n;
}

/**
 * The effective rank of Roy & Vetterli (2007): exp of the Shannon entropy of the normalized singular values pᵢ =
 * sᵢ/Σⱼsⱼ, i.e. exp(−Σ pᵢ log pᵢ). A continuous measure between 1 (one direction) and min(rows, cols) (all singular
 * values equal), useful where the numerical rank is all-or-nothing (Adam, §B.3). 0 for a zero matrix.
 *
 * @example Equal singular values give the full rank; one dominant value gives about 1
 * ```ts
 * import { effectiveRank } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * assert.ok(Math.abs(effectiveRank([2, 0, 0, 2], 2, 2) - 2) < 1e-12);
 * assert.ok(effectiveRank([1, 0, 0, 1e-6], 2, 2) < 1.001);
 * ```
 *
 * @param matrix The entries, row-major.
 * @param rows The number of rows.
 * @param cols The number of columns.
 * @returns exp(entropy of the normalized singular values).
 */
export function effectiveRank(matrix: ArrayLike<number>, rows: number, cols: number): number {
  const { A, m, n } = checkMatrix("effectiveRank", matrix, rows, cols);
  return effectiveRankOf(singularValues(A, m, n));
}

/** The effective rank from singular values (internal; validated by the callers). */
export function effectiveRankOf(s: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < s.length; i++) total += s[i];
  if (total === 0) return 0;
  let h = 0;
  for (let i = 0; i < s.length; i++) {
    const p = s[i] / total;
    if (p > 0) h -= p * Math.log(p);
  }
  return Math.exp(h);
}

/**
 * Singular values and numerical rank of a matrix (the rank of a trained network's last layer, §4.4 and App. B.4).
 *
 * @module
 */

import * as check from "../core/validate.ts";

/**
 * Eigenvalues of a real symmetric n × n matrix (row-major; overwritten), by Householder reduction to tridiagonal form
 * and the implicit QL algorithm (as in Numerical Recipes' tred2/tqli, eigenvalues only): O(n³) with a small constant (≈
 * 20 ms for n = 200). Internal.
 */
export function symmetricEigenvalues(a: Float64Array, n: number): Float64Array {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
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
  // Implicit QL on the tridiagonal (d, e).
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

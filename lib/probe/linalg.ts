/**
 * Small dense symmetric eigenvalue solvers and a Lanczos iteration with full reorthogonalization, used by the stability
 * probe. Internal module, not re-exported by `mod.ts`.
 *
 * @module
 */

/**
 * All eigenvalues of a symmetric n × n matrix (row-major; only the symmetric part is used) by cyclic Jacobi rotations,
 * to full double accuracy (sweeps until the off-diagonal mass is below 10⁻³⁰ of the total). Returns them in descending
 * order; `vectors`, when given (length n²), receives the eigenvectors as columns in the same order.
 */
export function symmetricEigen(matrix: Float64Array, n: number, vectors?: Float64Array): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) a[i * n + j] = 0.5 * (matrix[i * n + j] + matrix[j * n + i]);
  }
  const v = vectors ? new Float64Array(n * n) : undefined;
  if (v) { for (let i = 0; i < n; i++) v[i * n + i] = 1; }
  let total = 0;
  for (let k = 0; k < n * n; k++) total += a[k] * a[k];
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += 2 * a[i * n + j] * a[i * n + j];
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const app = a[p * n + p], aqq = a[q * n + q];
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        if (v) {
          for (let k = 0; k < n; k++) {
            const vkp = v[k * n + p], vkq = v[k * n + q];
            v[k * n + p] = c * vkp - s * vkq;
            v[k * n + q] = s * vkp + c * vkq;
          }
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j] - a[i * n + i]);
  const values = Float64Array.from(order, (i) => a[i * n + i]);
  if (v && vectors) {
    for (let c = 0; c < n; c++) for (let k = 0; k < n; k++) vectors[k * n + c] = v[k * n + order[c]];
  }
  return values;
}

/** The result of {@linkcode lanczosExtremes}. */
export interface LanczosResult {
  /** The largest Ritz value. */
  top: number;
  /** Its residual bound |β_k s_k|: an eigenvalue of the operator lies within this distance. */
  topResidual: number;
  /** The smallest Ritz value. */
  bottom: number;
  /** Its residual bound. */
  bottomResidual: number;
  /** The Krylov dimension reached. */
  iterations: number;
}

/**
 * The extreme eigenvalues of a symmetric linear operator by Lanczos with full reorthogonalization (twice, so the basis
 * stays orthonormal to rounding). Stops when the top Ritz value's residual bound is at most `tolerance`·max(|top|,
 * |bottom|), when the Krylov space is invariant (β below 10⁻¹⁴ of the operator's scale: then the Ritz values are exact
 * eigenvalues of the operator restricted to it), or after `maxIterations`. `dot` is the inner product in which the
 * operator is symmetric.
 */
export function lanczosExtremes(
  apply: (x: Float64Array, out: Float64Array) => void,
  start: Float64Array,
  options: {
    tolerance: number;
    maxIterations: number;
    dot?: (a: Float64Array, b: Float64Array) => number;
  },
): LanczosResult {
  const n = start.length;
  const dot = options.dot ?? ((a: Float64Array, b: Float64Array) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  });
  const basis: Float64Array[] = [];
  const alpha: number[] = [], beta: number[] = [];
  let q = start.slice();
  const nq = Math.sqrt(dot(q, q));
  if (!(nq > 0)) throw new RangeError("lanczosExtremes: the start vector is zero.");
  for (let i = 0; i < n; i++) q[i] /= nq;
  const w = new Float64Array(n);
  let result: LanczosResult = { top: 0, topResidual: Infinity, bottom: 0, bottomResidual: Infinity, iterations: 0 };
  let scale = 0;
  for (let k = 0; k < options.maxIterations; k++) {
    basis.push(q);
    apply(q, w);
    const a = dot(q, w);
    alpha.push(a);
    for (let i = 0; i < n; i++) w[i] -= a * q[i] + (k > 0 ? beta[k - 1] * basis[k - 1][i] : 0);
    for (let pass = 0; pass < 2; pass++) {
      for (const b of basis) {
        const c = dot(b, w);
        for (let i = 0; i < n; i++) w[i] -= c * b[i];
      }
    }
    const b = Math.sqrt(Math.max(0, dot(w, w)));
    scale = Math.max(scale, Math.abs(a), b);
    const m = k + 1;
    const invariant = b <= 1e-14 * scale || m >= n;
    const last = invariant || m >= options.maxIterations;
    if (!last && m > 20 && m % 5 !== 0) {
      beta.push(b);
      q = new Float64Array(n);
      for (let i = 0; i < n; i++) q[i] = w[i] / b;
      continue;
    }
    const t = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      t[i * m + i] = alpha[i];
      if (i + 1 < m) t[i * m + i + 1] = t[(i + 1) * m + i] = beta[i];
    }
    const vec = new Float64Array(m * m);
    const ritz = symmetricEigen(t, m, vec);
    result = {
      top: ritz[0],
      topResidual: invariant ? 0 : Math.abs(b * vec[(m - 1) * m]),
      bottom: ritz[m - 1],
      bottomResidual: invariant ? 0 : Math.abs(b * vec[(m - 1) * m + m - 1]),
      iterations: m,
    };
    const size = Math.max(Math.abs(result.top), Math.abs(result.bottom));
    if (invariant || result.topResidual <= options.tolerance * size) break;
    beta.push(b);
    q = new Float64Array(n);
    for (let i = 0; i < n; i++) q[i] = w[i] / b;
  }
  return result;
}

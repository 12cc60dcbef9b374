/**
 * The zero padding of the network kernels: matrices live in the module's memory with rows padded to a multiple of 8
 * doubles (one f64x2 tile row) and extra zero rows. Internal module (not exported from mod.ts).
 *
 * Why it is exact: padded weights get exactly zero gradients (their inputs, hidden activations σ(0) = 0 or residuals
 * are exactly zero), and padded batch rows never enter the sums, so the padding leaves every step of the real weights
 * unchanged (test/network_wasm_test.ts checks a 3 → 5 → 2 network bit for bit against the same network embedded in 8 →
 * 8 → 8).
 *
 * @module
 */

/**
 * `v` rounded up to a multiple of `m`.
 *
 * @param v A non-negative number.
 * @param m The multiple.
 * @returns The smallest multiple of `m` that is ≥ v.
 */
export const roundUp = (v: number, m: number): number => Math.ceil(v / m) * m;

/**
 * Writes a rows × cols matrix into padded storage: `rowsPadded` rows of `stride` doubles from index `at` of `dst`, the
 * matrix in the top-left corner, zero elsewhere.
 *
 * @param dst The memory, as doubles.
 * @param at The first index of the padded matrix.
 * @param stride The padded row length.
 * @param src The matrix, row-major.
 * @param rows Its rows.
 * @param cols Its columns.
 * @param rowsPadded The padded number of rows.
 */
export function copyPadded(
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

/**
 * Reads a rows × cols matrix out of padded storage (rows of `stride` doubles from index `at` of `src`).
 *
 * @param dst Receives the matrix, row-major.
 * @param src The memory, as doubles.
 * @param at The first index of the padded matrix.
 * @param stride The padded row length.
 * @param rows The matrix's rows.
 * @param cols Its columns.
 */
export function copyUnpadded(
  dst: Float64Array,
  src: Float64Array,
  at: number,
  stride: number,
  rows: number,
  cols: number,
): void {
  for (let i = 0; i < rows; i++) dst.set(src.subarray(at + i * stride, at + i * stride + cols), i * cols);
}

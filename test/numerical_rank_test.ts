/**
 * Singular values, numerical and effective ranks (lib/networks/numerical_rank.ts) against NumPy
 * (test/fixtures/singular_values.json, written by `python3 test/fixtures/generate_part4.py`: numpy.linalg.svd on the
 * matrix itself).
 *
 * Tolerances. The toolkit takes square roots of the eigenvalues of the Gram matrix G = AᵀA (or AAᵀ), k × k with k =
 * min(rows, cols). A backward-stable symmetric eigensolver perturbs each eigenvalue of G by about k·eps·‖G‖ =
 * k·eps·σ_max², so σᵢ = √λᵢ moves by about k·eps·σ_max²/(2σᵢ): relative accuracy is lost like (σ_max/σᵢ)² — at σᵢ =
 * 1e-5·σ_max about 1e-7, and singular values below √(k·eps)·σ_max are not resolved at all (the documented limit,
 * ~1e-8·σ_max). The tests therefore require, for σᵢ > 1e-6·σ_max,
 *   |σ̂ᵢ − σᵢ| ≤ 1e-12·σᵢ + k·eps·σ_max²/σᵢ
 * (the measured errors are below a quarter of this), and for the exact zeros of the rank-7 product σ̂ᵢ ≤
 * √(k·eps)·σ_max. A uniform "relative 1e-9" tolerance holds only down to ≈ 1e-3·σ_max with this method.
 *
 * @module
 */

import assert from "node:assert/strict";
import { effectiveRank, numericalRank, singularValues } from "../mod.ts";
import { effectiveRankOf, symmetricEigenvalues } from "../lib/networks/numerical_rank.ts";
import { assertClose } from "./assert_close.ts";
import { assertInvalid } from "./assert_invalid.ts";

const EPS = Number.EPSILON;

interface SvdCase {
  name: string;
  description: string;
  rows: number;
  cols: number;
  matrix: number[];
  singularValues: number[];
  sigmaMax: number;
  numericalRank: { "1e-3": number; "1e-6": number };
  rankMargin: { "1e-3": number; "1e-6": number };
  effectiveRank: number;
  zeroBelow?: number;
}

const fixture: { cases: SvdCase[] } = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/singular_values.json", import.meta.url)),
);

Deno.test("fixture: the expected matrices are present", () => {
  assert.deepEqual(fixture.cases.map((c) => [c.name, c.rows, c.cols]), [
    ["gauss5x3", 5, 3],
    ["gauss3x5", 3, 5],
    ["gauss40", 40, 40],
    ["rank7", 30, 30],
    ["graded20x12", 20, 12],
    ["gauss200", 200, 200],
  ]);
});

for (const c of fixture.cases) {
  Deno.test(`singularValues, numericalRank, effectiveRank vs NumPy: ${c.name} (${c.description})`, () => {
    const k = Math.min(c.rows, c.cols);
    const s = singularValues(c.matrix, c.rows, c.cols);
    assert.equal(s.length, k);
    for (let i = 1; i < k; i++) assert.ok(s[i] <= s[i - 1], `${c.name}: descending at ${i}`);
    const smax = c.sigmaMax;
    const zeroBound = Math.sqrt(k * EPS) * smax;
    for (let i = 0; i < k; i++) {
      const expected = c.singularValues[i];
      if (c.zeroBelow !== undefined && expected < c.zeroBelow * smax) {
        // An exact zero of the matrix (rank-7 product): below the resolution of the Gram method.
        assert.ok(
          s[i] >= 0 && s[i] <= zeroBound,
          `${c.name}: σ[${i}] should be an unresolved zero ≤ √(k·eps)·σ_max = ${zeroBound}; actual ${s[i]}`,
        );
        continue;
      }
      assert.ok(expected > 1e-6 * smax, `${c.name}: fixture σ[${i}] above 1e-6·σ_max`);
      assertClose(s[i], expected, { abs: (k * EPS * smax * smax) / expected, rel: 1e-12 }, `${c.name}: σ[${i}]`);
    }
    // Ranks: the fixture guarantees every σᵢ is ≥ 0.1 % away from the threshold, far more than the error above.
    for (const [label, tol] of [["1e-3", 1e-3], ["1e-6", 1e-6]] as const) {
      assert.ok(c.rankMargin[label] >= 1e-3);
      assert.equal(
        numericalRank(c.matrix, c.rows, c.cols, { relativeTolerance: tol }),
        c.numericalRank[label],
        `${c.name}: numerical rank at relative tolerance ${label}`,
      );
    }
    assert.equal(numericalRank(c.matrix, c.rows, c.cols), c.numericalRank["1e-3"], `${c.name}: default tolerance 1e-3`);
    // Effective rank exp(H), H = −Σ pᵢ log pᵢ, pᵢ = σᵢ/Σσ: to first order, changing σᵢ by Δᵢ changes H by at most Σ
    // (|Δᵢ|/Σσ)(1 + |log pᵢ|) (plus the change of the normalization, of the same size). The tolerance is 4 times that
    // bound evaluated with the actual deviations Δᵢ (dominated by the unresolved zeros of the rank-7 product, ≈
    // 1e-8·σ_max each), times the effective rank, plus 1e-12 relative.
    const total = c.singularValues.reduce((a, b) => a + b, 0);
    let bound = 0;
    for (let i = 0; i < k; i++) {
      const p = Math.max(s[i], c.singularValues[i]) / total;
      if (p > 0) bound += (Math.abs(s[i] - c.singularValues[i]) / total) * (1 + Math.abs(Math.log(p)));
    }
    const erank = effectiveRank(c.matrix, c.rows, c.cols);
    assertClose(erank, c.effectiveRank, { abs: 4 * c.effectiveRank * bound, rel: 1e-12 }, `${c.name}: effective rank`);
    assert.ok(erank >= 1 && erank <= k, `${c.name}: 1 ≤ effective rank ${erank} ≤ ${k}`);
  });
}

Deno.test("singularValues: transposition, scaling, and inputs left untouched", () => {
  const c = fixture.cases.find((x) => x.name === "gauss5x3")!;
  const A = Float64Array.from(c.matrix);
  const At = new Float64Array(15);
  for (let i = 0; i < 5; i++) for (let j = 0; j < 3; j++) At[j * 5 + i] = A[i * 3 + j];
  const s = singularValues(A, 5, 3);
  const st = singularValues(At, 3, 5); // the AAᵀ branch
  for (let i = 0; i < 3; i++) assertClose(st[i], s[i], { rel: 1e-14 }, `σ[${i}](Aᵀ) = σ[${i}](A)`);
  // Scaling by a power of two scales exactly (the Gram matrix by 4, its eigenvalues by 4, the roots by 2).
  assert.deepEqual(singularValues(A.map((v) => 2 * v), 5, 3), s.map((v) => 2 * v));
  assert.deepEqual(A, Float64Array.from(c.matrix), "the input is not modified");
  // Plain arrays work like typed arrays.
  assert.deepEqual(singularValues(c.matrix, 5, 3), s);
});

Deno.test("singularValues, numericalRank, effectiveRank: special matrices", () => {
  // Diagonal: the absolute diagonal, sorted.
  assert.deepEqual(Array.from(singularValues([3, 0, 0, 0, -5, 0, 0, 0, 1], 3, 3)), [5, 3, 1]);
  // Rank one: (1, 2)ᵀ(1, 2) has σ = 5 and 0 (the zero to about √(2·eps)·5).
  const r1 = singularValues([1, 2, 2, 4], 2, 2);
  assertClose(r1[0], 5, { rel: 4 * EPS }, "rank one: σ₀");
  assert.ok(r1[1] <= Math.sqrt(2 * EPS) * 5, `rank one: σ₁ = ${r1[1]} unresolved zero`);
  assert.equal(numericalRank([1, 2, 2, 4], 2, 2), 1);
  // Zero matrix: rank 0 and effective rank 0 (documented), no NaN.
  assert.deepEqual(Array.from(singularValues(new Float64Array(6), 2, 3)), [0, 0]);
  assert.equal(numericalRank(new Float64Array(6), 2, 3), 0);
  assert.equal(effectiveRank(new Float64Array(6), 2, 3), 0);
  // A single entry, a row and a column.
  assert.deepEqual(Array.from(singularValues([-7], 1, 1)), [7]);
  assertClose(singularValues([3, 4], 1, 2)[0], 5, { rel: 2 * EPS }, "row (3, 4)");
  assertClose(singularValues([3, 4], 2, 1)[0], 5, { rel: 2 * EPS }, "column (3, 4)ᵀ");
  // The documented examples of the tolerance and of the effective rank.
  assert.equal(numericalRank([1, 0, 0, 1e-6], 2, 2), 1);
  assert.equal(numericalRank([1, 0, 0, 1e-6], 2, 2, { relativeTolerance: 1e-9 }), 2);
  assertClose(effectiveRank([2, 0, 0, 2], 2, 2), 2, { rel: 1e-15 }, "equal singular values: full effective rank");
  // Singular values (1, 1e-6): entropy of (p, 1 − p), p = 1e-6/(1 + 1e-6).
  const p = 1e-6 / (1 + 1e-6);
  assertClose(
    effectiveRank([1, 0, 0, 1e-6], 2, 2),
    Math.exp(-p * Math.log(p) - (1 - p) * Math.log1p(-p)),
    { rel: 1e-12 },
    "effective rank of diag(1, 1e-6)",
  );
});

Deno.test("effectiveRankOf: closed forms", () => {
  assert.equal(effectiveRankOf([0, 0, 0]), 0);
  assert.equal(effectiveRankOf([4]), 1);
  assertClose(effectiveRankOf([1, 1, 1, 1, 0, 0]), 4, { rel: 1e-15 }, "four equal values and two zeros");
  // p = (1/2, 1/4, 1/4): H = ½ log 2 + ½ log 4 = (3/2) log 2, exp H = 2^{3/2}.
  assertClose(effectiveRankOf([2, 1, 1]), 2 ** 1.5, { rel: 1e-15 }, "(1/2, 1/4, 1/4)");
});

Deno.test("symmetricEigenvalues: eigenvalues of H·D·H (H a Householder reflection) are D", () => {
  // H = I − 2vvᵀ/(vᵀv) is orthogonal and symmetric, so A = H D H has eigenvalues D exactly; A is formed in floating
  // point, so the computed eigenvalues may move by about n·eps·max|D| (tolerance 1e-14·max|D|).
  for (const D of [[3], [2, -1], [5, 1, 1, -2, 0, 7.5], Array.from({ length: 25 }, (_, i) => (i - 12) ** 3 / 100)]) {
    const n = D.length;
    const v = Array.from({ length: n }, (_, i) => Math.cos(1.7 * i + 0.3));
    const vv = v.reduce((a, b) => a + b * b, 0);
    const H = (i: number, j: number) => (i === j ? 1 : 0) - (2 * v[i] * v[j]) / vv;
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += H(i, k) * D[k] * H(k, j);
        A[i * n + j] = s;
      }
    }
    // Exactly symmetric input.
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A[i * n + j] = A[j * n + i];
    const ev = Array.from(symmetricEigenvalues(A, n)).sort((a, b) => a - b);
    const expected = [...D].sort((a, b) => a - b);
    const scale = Math.max(...D.map(Math.abs));
    for (let i = 0; i < n; i++) assertClose(ev[i], expected[i], { abs: 1e-14 * scale }, `n = ${n}: λ[${i}]`);
  }
  // A tridiagonal matrix with known spectrum: the path graph's Laplacian-like [−1 2 −1] has 2 − 2cos(kπ/(n+1)).
  const n = 30;
  const T = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    T[i * n + i] = 2;
    if (i + 1 < n) T[i * n + i + 1] = T[(i + 1) * n + i] = -1;
  }
  const ev = Array.from(symmetricEigenvalues(T, n)).sort((a, b) => a - b);
  for (let k = 1; k <= n; k++) {
    assertClose(ev[k - 1], 2 - 2 * Math.cos((k * Math.PI) / (n + 1)), { abs: 1e-14 * 4 }, `[−1 2 −1], λ_${k}`);
  }
});

Deno.test("numerical rank functions reject bad input, naming function, parameter and value", () => {
  assertInvalid("size mismatch", () => singularValues([1, 2, 3], 2, 2), RangeError, ["singularValues", "matrix", "3"]);
  assertInvalid("rows 0", () => singularValues([1], 0, 1), RangeError, ["singularValues", "rows", "0"]);
  assertInvalid("cols 1.5", () => singularValues([1], 1, 1.5), RangeError, ["singularValues", "cols", "1.5"]);
  assertInvalid("NaN entry", () => singularValues([1, NaN], 1, 2), RangeError, ["singularValues", "matrix", "NaN"]);
  assertInvalid("empty", () => singularValues([], 1, 1), RangeError, ["singularValues", "matrix", "empty"]);
  assertInvalid("not an array", () => singularValues(null as never, 1, 1), TypeError, [
    "singularValues",
    "matrix",
    "null",
  ]);
  assertInvalid(
    "tolerance 0",
    () => numericalRank([1], 1, 1, { relativeTolerance: 0 }),
    RangeError,
    ["numericalRank", "options.relativeTolerance", "0"],
  );
  assertInvalid(
    "tolerance string",
    () => numericalRank([1], 1, 1, { relativeTolerance: "1e-3" as unknown as number }),
    TypeError,
    ["numericalRank", "options.relativeTolerance", '"1e-3"'],
  );
  assertInvalid("effectiveRank", () => effectiveRank([1, Infinity], 1, 2), RangeError, ["matrix", "Infinity"]);
});

/**
 * The WebAssembly fast path of `singularValues` (lib/networks/numerical_rank.ts) against its JS reference, bit for bit:
 * the Gram matrix (`gramUpper`), the symmetric eigenvalues (Householder reduction in WebAssembly) and the singular values on random matrices of many shapes (square, tall, wide, odd and
 * non-multiple-of-8 sizes, with exact zeros, which the JS loop skips), so the ranks in the committed caches stay valid.
 *
 * @module
 */

import assert from "node:assert/strict";
import { singularValues } from "../mod.ts";
import { gramUpper, setGramWasm, symmetricEigenvalues } from "../lib/networks/numerical_rank.ts";
import { Rng } from "../lib/core/random.ts";
import { wasmSimdSupported } from "../lib/runtime/wasm_builder.ts";

const SHAPES: [number, number][] = [
  [1, 1],
  [2, 1],
  [1, 5],
  [7, 3],
  [3, 7],
  [13, 9],
  [9, 13],
  [17, 50],
  [50, 17],
  [64, 64],
  [10, 200],
  [200, 200],
];

function randomMatrix(rng: Rng, m: number, n: number): Float64Array {
  // About 30 % exact zeros, some negative zeros, a wide range of magnitudes.
  return Float64Array.from({ length: m * n }, () => {
    const u = rng.uniform();
    if (u < 0.25) return 0;
    if (u < 0.3) return -0;
    return (rng.uniform() - 0.5) * Math.pow(10, 4 * rng.uniform() - 2);
  });
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

Deno.test("singularValues: WebAssembly SIMD is available here", () => {
  assert.ok(wasmSimdSupported());
});

Deno.test("gramUpper: the WebAssembly Gram matrix is bit for bit the JS loops' (random shapes, zeros)", () => {
  const rng = new Rng("test/numerical_rank_wasm/gram");
  for (const [m, n] of SHAPES) {
    for (let rep = 0; rep < 3; rep++) {
      const A = randomMatrix(rng, m, n);
      assert.ok(sameBits(gramUpper(A, m, n, true), gramUpper(A, m, n, false)), `${m} × ${n}`);
    }
  }
});

Deno.test("singularValues: the fast path gives the JS path's bits (random shapes; a rank-deficient product)", () => {
  const rng = new Rng("test/numerical_rank_wasm/sv");
  const cases = SHAPES.map(([m, n]) => ({ m, n, A: randomMatrix(rng, m, n) }));
  // Rank 7: a 60 × 7 times 7 × 40 product.
  const U = randomMatrix(rng, 60, 7), V = randomMatrix(rng, 7, 40);
  const P = new Float64Array(60 * 40);
  for (let i = 0; i < 60; i++) {
    for (let j = 0; j < 40; j++) for (let t = 0; t < 7; t++) P[i * 40 + j] += U[i * 7 + t] * V[t * 40 + j];
  }
  cases.push({ m: 60, n: 40, A: P });
  try {
    for (const { m, n, A } of cases) {
      setGramWasm(false);
      const ref = singularValues(A, m, n);
      setGramWasm(true);
      assert.ok(sameBits(singularValues(A, m, n), ref), `${m} × ${n}`);
    }
  } finally {
    setGramWasm(true);
  }
});

Deno.test("symmetricEigenvalues: the WebAssembly Householder reduction gives the JS loops' bits (lower triangle read)", () => {
  const rng = new Rng("test/numerical_rank_wasm/eig");
  for (const n of [1, 2, 3, 5, 8, 9, 16, 17, 31, 64, 100, 200]) {
    for (const zeros of [false, true]) {
      const a = new Float64Array(n * n);
      for (let p = 0; p < n; p++) {
        for (let q = 0; q <= p; q++) {
          const v = zeros && rng.uniform() < 0.5 ? 0 : rng.uniform() - 0.5;
          a[p * n + q] = v;
          a[q * n + p] = v;
        }
      }
      // Zero rows (the reduction's scale = 0 branch) and, once, garbage in the upper triangle (not read).
      if (zeros && n > 3) { for (let q = 0; q < n; q++) a[2 * n + q] = a[q * n + 2] = 0; }
      const upper = a.slice();
      if (n > 1) { for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) upper[p * n + q] = 1e300; }
      const ref = symmetricEigenvalues(a.slice(), n, false);
      assert.ok(sameBits(symmetricEigenvalues(a.slice(), n, true), ref), `n = ${n}`);
      assert.ok(sameBits(symmetricEigenvalues(upper, n, true), symmetricEigenvalues(upper.slice(), n, false)));
    }
  }
});

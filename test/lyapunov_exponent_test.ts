// m = E log|1 − λh| and its batch-size-S version: analytic cases, exact against Monte Carlo, windows.
import assert from "node:assert/strict";
import {
  batchMeanDistribution,
  countBatches,
  criticalLearningRates,
  lyapunovExponent,
  minibatchLyapunovExponent,
  randomNormal,
  stabilityWindows,
} from "../mod.ts";
import { assertClose } from "./assert_close.ts";

Deno.test("lyapunovExponent: analytic values", () => {
  assertClose(lyapunovExponent([1], 0.5), Math.log(0.5), { abs: 1e-16 }, "one point");
  assertClose(lyapunovExponent([1, 9], 0.5), (Math.log(0.5) + Math.log(3.5)) / 2, { abs: 1e-16 }, "two points");
  assertClose(lyapunovExponent([-1, 2], 1), (Math.log(2) + Math.log(1)) / 2, { abs: 1e-16 }, "negative curvature");
  assert.equal(lyapunovExponent([3], 0), 0);
  assert.equal(lyapunovExponent([0.5, 2, 3], 2), -Infinity, "1 − 2·0.5 = 0 exactly");
  // Factors that would overflow or underflow a naive product are handled.
  const big = new Float64Array(2000).fill(1e10);
  assertClose(lyapunovExponent(big, 1e10), Math.log(1e20 - 1), { rel: 1e-13 }, "huge factors");
  const tiny = new Float64Array(2000).fill(1 - 1e-12);
  assertClose(lyapunovExponent(tiny, 1), Math.log(1 - (1 - 1e-12)), { rel: 1e-3 }, "tiny factors");
});

Deno.test("lyapunovExponent agrees with a plain sum of logarithms on Gaussian data", () => {
  const x = randomNormal(10_000, { seed: 9 });
  const h = x.map((v) => v * v);
  for (const l of [0.01, 0.3, 1, 2.5, 40]) {
    let s = 0;
    for (const v of h) s += Math.log(Math.abs(1 - l * v));
    assertClose(lyapunovExponent(h, l), s / h.length, { abs: 1e-12 }, `λ = ${l}`);
  }
});

Deno.test("batchMeanDistribution: weights sum to 1, mean and variance of the batch mean are exact", () => {
  const h = [0.5, 1, 1, 2, 7];
  const mean = h.reduce((a, b) => a + b) / h.length;
  const variance = h.reduce((a, b) => a + (b - mean) ** 2, 0) / h.length;
  for (const s of [1, 2, 3, 6]) {
    const { values, weights } = batchMeanDistribution(h, s);
    assert.equal(values.length, countBatches(4, s), "one entry per multiset of the 4 distinct values");
    const total = weights.reduce((a, b) => a + b, 0);
    assertClose(total, 1, { abs: 1e-14 }, `S = ${s}: total probability`);
    const m1 = values.reduce((a, v, i) => a + v * weights[i], 0);
    const m2 = values.reduce((a, v, i) => a + (v - mean) ** 2 * weights[i], 0);
    assertClose(m1, mean, { rel: 1e-14 }, `S = ${s}: E[Ȳ]`);
    assertClose(m2, variance / s, { rel: 1e-12 }, `S = ${s}: Var[Ȳ] = Var[h]/S`);
  }
});

Deno.test("minibatchLyapunovExponent: S = 1 is lyapunovExponent; exact and Monte Carlo agree", () => {
  const h = Array.from(randomNormal(8, { seed: 4 }), (v) => v * v);
  const one = minibatchLyapunovExponent(h, 0.7);
  assert.equal(one.method, "exact");
  assert.equal(one.value, lyapunovExponent(h, 0.7));
  for (const s of [2, 5]) {
    for (const l of [0.3, 1.1, 3]) {
      const exact = minibatchLyapunovExponent(h, l, { batchSize: s });
      assert.equal(exact.method, "exact");
      assert.equal(exact.standardError, 0);
      const mc = minibatchLyapunovExponent(h, l, { batchSize: s, method: "monte-carlo", samples: 40_000, seed: 2 });
      assert.equal(mc.method, "monte-carlo");
      // Statistical test, fixed seed: within 4 standard errors (fails with probability 6e-5 for a random seed).
      assertClose(mc.value, exact.value, { abs: 4 * mc.standardError }, `S = ${s}, λ = ${l}: MC vs exact`);
    }
  }
  // "auto" switches to Monte Carlo beyond maxExactBatches, and says so.
  const auto = minibatchLyapunovExponent(h, 0.5, { batchSize: 4, maxExactBatches: 10, samples: 1000 });
  assert.equal(auto.method, "monte-carlo");
  assert.equal(auto.batches, 1000);
  // Same seed, same answer.
  assert.deepEqual(
    minibatchLyapunovExponent(h, 0.5, { batchSize: 4, method: "monte-carlo", seed: "a", samples: 500 }),
    minibatchLyapunovExponent(h, 0.5, { batchSize: 4, method: "monte-carlo", seed: "a", samples: 500 }),
  );
  // A batch whose mean makes the factor exactly 0 gives −∞ (almost-sure convergence).
  assert.equal(minibatchLyapunovExponent([0.25, 0.75], 2, { batchSize: 2 }).value, -Infinity);
});

Deno.test("minibatchLyapunovExponent tends to the GD exponent log|1 − λE[h]| as S grows", () => {
  const h = Array.from(randomNormal(200, { seed: 8 }), (v) => v * v);
  const mean = h.reduce((a, b) => a + b) / h.length;
  const l = 1.5 / mean; // GD factor 1 − λE[h] = −0.5
  const big = minibatchLyapunovExponent(h, l, { batchSize: 4096, samples: 20_000, seed: 1 });
  assert.equal(big.method, "monte-carlo");
  assertClose(big.value, Math.log(Math.abs(1 - l * mean)), { abs: 0.02 }, "S = 4096");
});

Deno.test("stabilityWindows: closed form for one and two points", () => {
  const one = stabilityWindows([4]);
  assert.equal(one.length, 1);
  assert.equal(one[0][0], 0);
  assertClose(one[0][1], 0.5, { rel: 1e-15 }, "|1 − 4λ| < 1 up to λ = 2/4");
  // h = {1, 9}: |1 − λ||1 − 9λ| < 1 on (0, (10 − √28)/18) ∪ ((10 + √28)/18, 10/9).
  const two = stabilityWindows([1, 9]);
  assert.equal(two.length, 2);
  assert.equal(two[0][0], 0);
  assertClose(two[0][1], (10 - Math.sqrt(28)) / 18, { rel: 1e-14 }, "end of first window");
  assertClose(two[1][0], (10 + Math.sqrt(28)) / 18, { rel: 1e-14 }, "start of second window");
  assertClose(two[1][1], 10 / 9, { rel: 1e-14 }, "largest stable λ");
});

Deno.test("stabilityWindows: every critical rate is inside a window, m changes sign at every edge", () => {
  const x = randomNormal(40, { seed: 12 });
  const h = x.map((v) => v * v);
  const windows = stabilityWindows(h);
  for (const r of criticalLearningRates(x)) {
    assert.ok(windows.some(([a, b]) => a <= r && r <= b), `1/x² = ${r} is in a window`);
  }
  for (const [a, b] of windows) {
    assert.ok(b >= a);
    if (a === b) {
      // A window narrower than the double spacing: its pole, where m = −∞ only if λh rounds to 1.
      assert.ok(criticalLearningRates(x).some((r) => Math.abs(r - a) <= 4 * Number.EPSILON * r), `${a} is a pole`);
      continue;
    }
    const inside = lyapunovExponent(h, a + (b - a) * 0.37);
    assert.ok(inside < 0 || inside === -Infinity, `m < 0 inside [${a}, ${b}]`);
    if (a > 0) assert.ok(lyapunovExponent(h, a * (1 - 1e-9)) > 0, `m > 0 just before ${a}`);
    assert.ok(lyapunovExponent(h, b * (1 + 1e-9)) > 0, `m > 0 just after ${b}`);
  }
  // The first window starts at 0 and contains (0, 1/h_max] (concavity, E[h] > 0).
  assert.equal(windows[0][0], 0);
  assert.ok(windows[0][1] >= 1 / Math.max(...h));
  // lambdaMax restricts the search without changing the windows below it.
  const cut = stabilityWindows(h, { lambdaMax: windows[1][1] * 1.0001 });
  assert.deepEqual(cut.slice(0, 2), windows.slice(0, 2));
});

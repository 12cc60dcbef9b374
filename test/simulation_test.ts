// The seeded generator and the SGD simulators: bit-exact streams, determinism across worker splits, and statistical
// tests with fixed seeds and stated tolerances.
import assert from "node:assert/strict";
import { seedrandom } from "../lib/core/deps.ts";
import { Rng } from "../lib/core/random.ts";
import {
  convergedFraction,
  lyapunovExponent,
  minibatchLyapunovExponent,
  randomNormal,
  simulateInterpolatingSGD,
  simulateLinearRegressionSGD,
} from "../mod.ts";
import { assertClose, meanAndStandardError } from "./assert_close.ts";

Deno.test("Rng reproduces seedrandom's Tyche-i int32 stream bit for bit", () => {
  for (const seed of ["0:0", "hello", "42:7"]) {
    const reference = seedrandom.tychei(seed);
    const rng = new Rng(seed);
    for (let i = 0; i < 1000; i++) assert.equal(rng.nextInt32(), reference.int32(), `seed ${seed}, draw ${i}`);
  }
});

Deno.test("Rng.fillIndices runs the same Tyche-i stream, cut into chunks", () => {
  // n = 2¹⁶: every 32-bit output gives two 16-bit indices (low half first), none rejected.
  const reference = new Rng("chunks");
  const expected = new Int32Array(1000);
  for (let i = 0; i < 1000; i += 2) {
    const u = reference.nextInt32();
    expected[i] = u & 0xffff;
    expected[i + 1] = u >>> 16;
  }
  const out = new Int32Array(1000);
  new Rng("chunks").fillIndices(out, 65536);
  assert.deepEqual(out, expected);
  // n = 1000: 10-bit chunks, three per output, chunks ≥ 1000 rejected.
  const ref2 = new Rng("chunks");
  const kept: number[] = [];
  while (kept.length < 1000) {
    let u = ref2.nextInt32();
    for (let j = 0; j < 3 && kept.length < 1000; j++, u >>>= 10) if ((u & 1023) < 1000) kept.push(u & 1023);
  }
  const out2 = new Int32Array(1000);
  new Rng("chunks").fillIndices(out2, 1000);
  assert.deepEqual(Array.from(out2), kept);
});

Deno.test("Rng.fillIndices for n = 1 and n = 2", () => {
  const one = new Int32Array(100);
  new Rng("one").fillIndices(one, 1);
  assert.ok(one.every((k) => k === 0));
  const two = new Int32Array(40_000);
  new Rng("two").fillIndices(two, 2);
  const ones = two.reduce((s, k) => s + k, 0) / two.length;
  assertClose(ones, 0.5, { abs: 4 * Math.sqrt(0.25 / two.length) }, "fraction of ones");
});

Deno.test("Rng.index and Rng.fillIndices are uniform (chi-square, fixed seed, 0.1% level)", () => {
  for (const n of [7, 1000, 65536, 65537, 3_000_000]) {
    const rng = Rng.stream("uniformity", n);
    const bins = 7;
    const counts = new Float64Array(bins);
    const draws = 70_000;
    const block = new Int32Array(draws);
    Rng.stream("block", n).fillIndices(block, n);
    const blockCounts = new Float64Array(bins);
    for (const k of block) blockCounts[Math.floor((k * bins) / n)]++;
    for (let i = 0; i < draws; i++) {
      const k = rng.index(n);
      assert.ok(k >= 0 && k < n && Number.isInteger(k));
      counts[Math.floor((k * bins) / n)]++;
    }
    // Bins of equal probability up to n mod 7 (≤ 6/n relative).
    const expected = draws / bins;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    // χ²(6) 0.999 quantile = 22.46.
    assert.ok(chi2 < 22.46, `n = ${n}: chi-square ${chi2.toFixed(2)} exceeds 22.46 (p < 0.001); counts ${counts}`);
    const chi2b = blockCounts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    assert.ok(chi2b < 22.46, `fillIndices, n = ${n}: chi-square ${chi2b.toFixed(2)} exceeds 22.46; ${blockCounts}`);
  }
});

Deno.test("randomNormal: moments and Kolmogorov–Smirnov (fixed seed, 1% level)", () => {
  const n = 20_000;
  const x = randomNormal(n, { seed: "ks", mean: 2, std: 3 });
  const { mean, se } = meanAndStandardError(x);
  assertClose(mean, 2, { abs: 4 * se }, "sample mean within 4 standard errors");
  const z = Float64Array.from(x, (v) => (v - 2) / 3).sort();
  // Φ via the complementary error function (Abramowitz–Stegun 7.1.26 is too coarse; use a series).
  const phi = (t: number) => 0.5 * (1 + erf(t / Math.SQRT2));
  let d = 0;
  for (let i = 0; i < n; i++) d = Math.max(d, Math.abs(phi(z[i]) - i / n), Math.abs(phi(z[i]) - (i + 1) / n));
  const critical = 1.628 / Math.sqrt(n); // KS 1% level
  assert.ok(d < critical, `KS statistic ${d} exceeds ${critical}`);
});

/** erf by its Taylor series (|x| < 3) or continued fraction, accurate to ~1e-12. */
function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  if (a < 3) {
    let term = a;
    let sum = a;
    for (let k = 1; k < 200; k++) {
      term *= (-a * a) / k;
      const add = term / (2 * k + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    return (s * 2 * sum) / Math.sqrt(Math.PI);
  }
  // erfc continued fraction (Lentz) for large |x|.
  let f = a;
  for (let k = 60; k >= 1; k--) f = a + (k / 2) / f;
  return s * (1 - Math.exp(-a * a) / (Math.sqrt(Math.PI) * f));
}

Deno.test("simulators are deterministic and do not depend on how trajectories are split", () => {
  const h = [0.2, 1, 1.7];
  const a = simulateInterpolatingSGD(h, 0.9, { steps: 50, trajectories: 5, seed: "s" });
  const b = simulateInterpolatingSGD(h, 0.9, { steps: 50, trajectories: 5, seed: "s" });
  assert.deepEqual(a, b);
  // The first 3 of 5 trajectories equal a run of 3: trajectory k has its own stream.
  const c = simulateInterpolatingSGD(h, 0.9, { steps: 50, trajectories: 3, seed: "s" });
  assert.deepEqual(c.values, a.values.slice(0, 3 * a.times.length));
  const other = simulateInterpolatingSGD(h, 0.9, { steps: 50, trajectories: 5, seed: "t" });
  assert.notDeepEqual(other.values, a.values);
  // recordEvery records 0, k, 2k, …, steps, and subsamples the same trajectories.
  const sparse = simulateInterpolatingSGD(h, 0.9, { steps: 50, trajectories: 5, seed: "s", recordEvery: 20 });
  assert.deepEqual(Array.from(sparse.times), [0, 20, 40, 50]);
  for (let k = 0; k < 5; k++) {
    for (const [j, t] of [[1, 20], [2, 40], [3, 50]]) {
      assert.equal(sparse.values[k * 4 + j], a.values[k * a.times.length + t]);
    }
  }
});

Deno.test("simulateInterpolatingSGD: the mean of log|v_T| is m·T (S = 1) and m_S·T (S = 3)", () => {
  const h = Array.from(randomNormal(30, { seed: 21 }), (v) => v * v);
  const T = 400;
  for (const [s, l] of [[1, 0.8], [1, 2.2], [3, 1.4]] as const) {
    const run = simulateInterpolatingSGD(h, l, { steps: T, trajectories: 4000, batchSize: s, recordEvery: T, seed: 5 });
    const final = Float64Array.from({ length: run.trajectories }, (_, k) => run.values[k * 2 + 1]);
    const { mean, se } = meanAndStandardError(final);
    const m = s === 1 ? lyapunovExponent(h, l) : minibatchLyapunovExponent(h, l, { batchSize: s }).value;
    // Statistical test with a fixed seed: within 4 standard errors.
    assertClose(mean / T, m, { abs: (4 * se) / T }, `S = ${s}, λ = ${l}: E log|v_T| / T`);
  }
});

Deno.test("Prop. 3: at λ = 1/x_i², P(v_t ≠ 0) = (1 − 1/N)^t", () => {
  const h = [0.25, 1, 2, 4]; // λ = 4 makes 1 − 4·0.25 = 0 exactly
  const K = 20_000;
  const run = simulateInterpolatingSGD(h, 4, { steps: 10, trajectories: K, seed: 1 });
  for (let t = 1; t <= 10; t++) {
    let alive = 0;
    for (let k = 0; k < K; k++) if (run.values[k * 11 + t] !== -Infinity) alive++;
    const p = 0.75 ** t;
    const sd = Math.sqrt((p * (1 - p)) / K);
    assertClose(alive / K, p, { abs: 4 * sd }, `t = ${t}: fraction not yet converged`);
  }
});

Deno.test("convergedFraction tends to 1 when m < 0 and to 0 when m > 0 (Prop. 1)", () => {
  const h = Array.from(randomNormal(20, { seed: 2 }), (v) => v * v);
  const stable = 0.3; // below 1/h_max: m < 0 by concavity
  assert.ok(lyapunovExponent(h, stable) < 0);
  const unstable = 0.5 * (2 / Math.min(...h.filter((v) => v > 1e-3))) + 3; // far beyond every window
  assert.ok(lyapunovExponent(h, unstable) > 0);
  const eps = 1e-3;
  const p1 = convergedFraction(
    simulateInterpolatingSGD(h, stable, { steps: 3000, trajectories: 400, recordEvery: 3000 }),
    eps,
  );
  const p2 = convergedFraction(
    simulateInterpolatingSGD(h, unstable, { steps: 3000, trajectories: 400, recordEvery: 3000 }),
    eps,
  );
  assert.ok(p1[1] > 0.99, `stable: ${p1[1]}`);
  assert.ok(p2[1] < 0.01, `unstable: ${p2[1]}`);
});

Deno.test("simulateLinearRegressionSGD without interpolation: E[w_∞] = E[xy]/E[x²] below λ_DS", () => {
  const x = [0.5, 1, 1.5, 2];
  const y = [1, 0.5, 2, 1.2]; // no line through the origin fits
  const exy = x.reduce((s, v, i) => s + v * y[i], 0) / 4;
  const ex2 = x.reduce((s, v) => s + v * v, 0) / 4;
  // Stationary mean from E[w'] = E[1 − λx²]E[w] + λE[xy], whatever λ (while the mean converges).
  const run = simulateLinearRegressionSGD(x, y, 0.2, { steps: 2000, trajectories: 4000, recordEvery: 2000, seed: 3 });
  const final = Float64Array.from({ length: 4000 }, (_, k) => run.values[k * 2 + 1]);
  const { mean, se } = meanAndStandardError(final);
  assertClose(mean, exy / ex2, { abs: 4 * se }, "stationary mean");
  // Batch size S: the same stationary mean, smaller spread.
  const big = simulateLinearRegressionSGD(x, y, 0.2, {
    steps: 2000,
    trajectories: 4000,
    recordEvery: 2000,
    seed: 3,
    batchSize: 8,
  });
  const finalBig = Float64Array.from({ length: 4000 }, (_, k) => big.values[k * 2 + 1]);
  const r = meanAndStandardError(finalBig);
  assertClose(r.mean, exy / ex2, { abs: 4 * r.se }, "stationary mean, S = 8");
  assert.ok(r.se < se, "larger batches fluctuate less");
});

// Part III: exponents from trajectories, the QR spectrum against analytic ground truth, tail indices, the loss monitor.
import assert from "node:assert/strict";
import {
  distanceExponent,
  hillTailIndex,
  kestenTailIndex,
  lossExponent,
  lyapunovExponent,
  lyapunovSpectrum,
  minibatchLyapunovExponent,
  randomNormal,
  rankOneLyapunovSpectrum,
  RobustLossMonitor,
  sgdTailIndex,
  simulateInterpolatingSGD,
  simulateLinearRegressionSGD,
  topShare,
} from "../mod.ts";
import { assertClose } from "./assert_close.ts";
import { Rng } from "../lib/core/random.ts";

Deno.test("distanceExponent: E log|v_t|² = 2(log|v0| + m t); Var/t² decays like 1/t", () => {
  const h = [0.3, 1, 1.8];
  const l = 0.7;
  const m = lyapunovExponent(h, l);
  const run = simulateInterpolatingSGD(h, l, { steps: 800, trajectories: 3000, recordEvery: 200, v0: 2, seed: 4 });
  const est = distanceExponent(run);
  assertClose(est.mean[0], 2 * Math.log(2), { abs: 1e-12 }, "m_w(0)");
  est.times.forEach((t, j) => {
    if (t === 0) return;
    assertClose(est.mean[j], 2 * (Math.log(2) + m * t), { abs: 4 * est.standardError[j] }, `m_w(${t})`);
  });
  // The per-step variance of log|1 − λh| gives Var log|v_t|² = 4 t Var.
  const logs = h.map((v) => Math.log(Math.abs(1 - l * v)));
  const step = logs.reduce((s, v) => s + (v - m) ** 2, 0) / 3;
  const j = est.times.length - 1;
  assertClose(est.variance[j], 4 * 800 * step, { rel: 0.1 }, "Var log|v_T|² (10%, sampling error ~3%)");
  assert.ok(est.varianceOverT2[j] < est.varianceOverT2[1], "Var/t² decreases");
});

Deno.test("lossExponent at an interpolation minimum is m_w + log(E[x²]/2) trajectory by trajectory", () => {
  const x = [0.5, 1, 2], y = x.map((v) => -2 * v);
  const run = simulateLinearRegressionSGD(x, y, 0.4, { steps: 30, trajectories: 20, w0: 1, seed: 2, recordEvery: 10 });
  const loss = lossExponent(run, x, y);
  const dist = distanceExponent({ ...run, values: Float64Array.from(run.values, (w) => Math.log(Math.abs(w + 2))) });
  loss.mean.forEach((v, j) =>
    assertClose(v, dist.mean[j] + Math.log((0.25 + 1 + 4) / 3 / 2), { abs: 1e-9 }, `t = ${loss.times[j]}`)
  );
});

Deno.test("topShare", () => {
  assert.equal(topShare([1, 1, 1, 1], 0.25), 0.25);
  assert.equal(topShare([0, 0], 0.5), 0);
  assertClose(topShare([1, 2, 3, 4], 0.5), 7 / 10, { abs: 1e-15 }, "top half");
});

Deno.test("lyapunovSpectrum: commuting Hessians give E log|1 − λh_k| per direction (S = 1 and S = 2)", () => {
  const diag = [[1, 3, -0.5], [2, -1, 0.2], [0.5, 0.8, 1.5], [1.2, 2.5, -0.3]];
  const hessians = diag.map((d) => [[d[0], 0, 0], [0, d[1], 0], [0, 0, d[2]]]);
  for (const s of [1, 2]) {
    const l = 0.45;
    const res = lyapunovSpectrum(hessians, l, { steps: 20_000, transient: 500, batchSize: s, runs: 4, seed: 3 });
    const expected = [0, 1, 2].map((k) => minibatchLyapunovExponent(diag.map((d) => d[k]), l, { batchSize: s }).value)
      .sort((a, b) => b - a);
    res.exponents.forEach((m, j) =>
      assertClose(m, expected[j], { abs: 5 * res.standardError[j] + 2e-3 }, `S = ${s}, exponent ${j + 1}`)
    );
  }
});

Deno.test("lyapunovSpectrum: d = 1 is the exponent of eq. 7; the sum of exponents is E log|det(I − λĤ)|", () => {
  const h = [0.2, 0.9, 1.7];
  const one = lyapunovSpectrum(h.map((v) => [[v]]), 0.8, { steps: 40_000, seed: 5 });
  assertClose(one.exponents[0], lyapunovExponent(h, 0.8), { abs: 5 * one.standardError[0] }, "d = 1");
  // Random symmetric 2 × 2 Hessians (indefinite allowed).
  const g = randomNormal(30, { seed: 6 });
  const hs = Array.from({ length: 10 }, (_, i) => [[g[3 * i], g[3 * i + 1]], [g[3 * i + 1], g[3 * i + 2]]]);
  const l = 0.5;
  const res = lyapunovSpectrum(hs, l, { steps: 40_000, seed: 7 });
  const logDet = hs.reduce((s, H) => {
    const a = 1 - l * H[0][0], b = -l * H[0][1], d = 1 - l * H[1][1];
    return s + Math.log(Math.abs(a * d - b * b));
  }, 0) / hs.length;
  const sum = res.exponents[0] + res.exponents[1];
  const se = Math.hypot(res.standardError[0], res.standardError[1]);
  assertClose(sum, logDet, { abs: 5 * se + 1e-3 }, "sum of exponents");
  assert.ok(res.exponents[0] >= res.exponents[1], "descending");
});

Deno.test("rankOneLyapunovSpectrum equals lyapunovSpectrum with Ĥ = xxᵀ, and sums to E log|1 − λ‖x‖²|", () => {
  const g = randomNormal(40, { seed: 8 });
  const x = Array.from({ length: 10 }, (_, i) => Array.from(g.subarray(4 * i, 4 * i + 4)));
  const hs = x.map((v) => v.map((a) => v.map((b) => a * b)));
  const options = { steps: 5000, transient: 100, seed: 9, batchSize: 2 };
  const a = rankOneLyapunovSpectrum(x, 0.05, options);
  const b = lyapunovSpectrum(hs, 0.05, options);
  a.exponents.forEach((m, j) => assertClose(m, b.exponents[j], { abs: 1e-10 }, `exponent ${j + 1}`));
  const s1 = rankOneLyapunovSpectrum(x, 0.05, { steps: 40_000, seed: 10 });
  const exact = x.reduce((s, v) => s + Math.log(Math.abs(1 - 0.05 * v.reduce((t, c) => t + c * c, 0))), 0) / 10;
  const sum = s1.exponents.reduce((s, m) => s + m, 0);
  assertClose(sum, exact, { abs: 1e-3 }, "Σ exponents = E log|1 − λ‖x‖²|");
});

Deno.test("small λ: the top exponent tends to log(1 − λμ_min(H)), whatever the start", () => {
  // Ĥ = diag(h1, h2) with E[h] = (1, 0.25): the slowest direction has μ_min = 0.25.
  const hs = [[[0.5, 0], [0, 0.1]], [[1.5, 0], [0, 0.4]]];
  const l = 0.01;
  const r = lyapunovSpectrum(hs, l, { steps: 20_000, exponents: 1, seed: 11 });
  assertClose(r.exponents[0], Math.log(1 - l * 0.25), { abs: 5 * r.standardError[0] + 1e-5 }, "top exponent");
});

Deno.test("kestenTailIndex and sgdTailIndex", () => {
  assertClose(kestenTailIndex([2, 0]), 1, { abs: 1e-12 }, "a ∈ {2, 0}");
  const k = kestenTailIndex([3, 1 / 9, 0.5]);
  assertClose((3 ** k + 9 ** -k + 0.5 ** k) / 3, 1, { abs: 1e-12 }, "E|a|^κ = 1");
  assert.equal(kestenTailIndex([0.5, -0.9]), Infinity);
  assert.throws(() => kestenTailIndex([2, 0.6]), RangeError);
  const x = [0.5, 1, 1.5, 2];
  const a = x.map((v) => 1 - 0.7 * v * v);
  assertClose(sgdTailIndex(x, 0.7), kestenTailIndex(a), { abs: 1e-12 }, "S = 1");
  // S = 2 by the exact batch distribution; equals κ of the 16 ordered pairs.
  const pairs = x.flatMap((u) => x.map((v) => 1 - 0.7 * (u * u + v * v) / 2));
  assertClose(sgdTailIndex(x, 0.7, 2), kestenTailIndex(pairs), { abs: 1e-12 }, "S = 2");
});

Deno.test("hillTailIndex recovers a Pareto index; SGD's stationary tail matches Kesten–Goldie", () => {
  // (z₁² + z₂²)/2 ~ Exp(1), so X = exp(E/κ) has P(X > s) = s^−κ exactly.
  const z = randomNormal(80_000, { seed: 12 });
  const pareto = Array.from({ length: 40_000 }, (_, i) => Math.exp((z[2 * i] ** 2 + z[2 * i + 1] ** 2) / 2 / 1.5));
  const hill = hillTailIndex(pareto, 2000);
  assertClose(hill.tailIndex, 1.5, { abs: 4 * hill.standardError }, "Pareto κ = 1.5");
  // Non-interpolating regression (20 Gaussian points, random labels) at a critical rate λ = 1/x_j² with κ ≈ 2.7: a = 1
  // − λx² (one a = 0: the reset of eq. 28), b = λxy; lattice-free, so Hill sees the Kesten–Goldie tail.
  const x = randomNormal(20, { seed: 3 }), y = randomNormal(20, { seed: 4 });
  const l = 0.4580185417930657; // one of the critical rates 1/x_j² of this sample
  const kappa = sgdTailIndex(x, l);
  assertClose(kappa, 2.7032, { abs: 1e-3 }, "κ of this setting");
  const run = simulateLinearRegressionSGD(x, y, l, { steps: 300, trajectories: 40_000, recordEvery: 300, seed: 13 });
  const final = Float64Array.from({ length: 40_000 }, (_, k) => run.values[2 * k + 1]);
  const est = hillTailIndex(final, 400);
  // The Hill estimator is biased at finite k: 20% tolerance.
  assertClose(est.tailIndex, kappa, { rel: 0.2 }, "Hill on the stationary sample");
});

Deno.test("RobustLossMonitor: window and exponential averages, exact", () => {
  const m = new RobustLossMonitor({ window: 3 });
  const losses = [1, 4, 16, 64];
  let r = m.push(losses[0]);
  for (const v of losses.slice(1)) r = m.push(v);
  assertClose(r.meanLoss, (4 + 16 + 64) / 3, { rel: 1e-15 }, "window mean");
  assertClose(r.robustLoss, 16, { rel: 1e-12 }, "geometric mean of the window");
  assert.equal(m.readings().length, 4);
  assert.equal(m.push(0).robustLoss, 0);
  const e = new RobustLossMonitor({ halfLife: 1 });
  e.push(1);
  const last = e.push(4);
  assertClose(last.meanLoss, (0.5 * 1 + 4) / 1.5, { rel: 1e-15 }, "weighted mean");
  assertClose(last.robustLoss, Math.exp((0.5 * 0 + Math.log(4)) / 1.5), { rel: 1e-12 }, "weighted geometric mean");
  assert.throws(() => m.push(-1), RangeError);
  assert.throws(() => m.push(NaN), RangeError);
});

Deno.test("lyapunovSpectrum and rankOneLyapunovSpectrum sort the exponents, largest first, where QR's columns are not", () => {
  // One step of a fixed factor A from QR's random start q₁ (the run's first two normals): column 1 gets log‖Aq₁‖,
  // column 2 gets log|det A| − log‖Aq₁‖. Seeds where the columns come out ascending are picked from the stream, the
  // exponents must come back reordered (with their errors and trace columns).
  const cases = [
    // I − λH = diag(2, ½) (λ = 1, H = diag(−1, ½)): log|det| = 0.
    { logDet: 0, norm: (c: number, s: number) => Math.hypot(2 * c, 0.5 * s), fn: "lyapunovSpectrum" },
    // I − λxxᵀ = diag(−2, 1) (λ = 3, x = (1, 0)): log|det| = log 2.
    { logDet: Math.log(2), norm: (c: number, s: number) => Math.hypot(2 * c, s), fn: "rankOneLyapunovSpectrum" },
  ];
  for (const { logDet, norm, fn } of cases) {
    const raw = (seed: number) => {
      const cols = [0, 1].map((r) => {
        const rng = Rng.stream(seed, r);
        const a = rng.normal(), b = rng.normal();
        return Math.log(norm(a, b) / Math.hypot(a, b));
      });
      const c1 = (cols[0] + cols[1]) / 2;
      return [c1, logDet - c1];
    };
    const seed = Array.from({ length: 200 }, (_, s) => s).find((s) => raw(s)[0] < raw(s)[1] - 0.1)!;
    assert.ok(seed !== undefined, `${fn}: a seed with QR columns out of order`);
    const o = { steps: 1, transient: 0, runs: 2, seed };
    const res = fn === "lyapunovSpectrum"
      ? lyapunovSpectrum([[[-1, 0], [0, 0.5]]], 1, o)
      : rankOneLyapunovSpectrum([[1, 0]], 3, o);
    const [c1, c2] = raw(seed);
    assertClose(res.exponents[0], c2, { abs: 1e-12 }, `${fn}: largest first (QR's column 2)`);
    assertClose(res.exponents[1], c1, { abs: 1e-12 }, `${fn}: then QR's column 1`);
    assert.deepEqual(Array.from(res.trace.estimates), Array.from(res.exponents), `${fn}: the trace is reordered too`);
    const other = fn === "lyapunovSpectrum"
      ? lyapunovSpectrum([[[-1, 0], [0, 0.5]]], 1, { ...o, seed: seed + 1000 })
      : rankOneLyapunovSpectrum([[1, 0]], 3, { ...o, seed: seed + 1000 });
    assert.ok(other.exponents[0] >= other.exponents[1], `${fn}: descending for another seed too`);
  }
});

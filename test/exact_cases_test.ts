// Exact small cases and invariances, written to catch realistic one-line bugs (each kills at least one mutant of
// `deno task mutate`, scripts/mutate.ts): hand-computed values, n − 1 formulas on hand-built runs, the sign of m on a
// dense grid inside and outside the stability windows, and the scale invariance of the numerical rank.
import assert from "node:assert/strict";
import {
  countBatches,
  criticalLearningRates,
  distanceExponent,
  effectiveRank,
  geomspace,
  hillTailIndex,
  kestenTailIndex,
  lambdaDS,
  lambdaGD,
  lambdaSS,
  linspace,
  lossExponent,
  lyapunovExponent,
  meanSquareFactor,
  minibatchLyapunovExponent,
  numericalRank,
  stabilityWindows,
  topShare,
} from "../mod.ts";
import { rankOf } from "../lib/networks/numerical_rank.ts";

function close(actual: number, expected: number, tol = 1e-12, what = "") {
  assert.ok(
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    `${what}: expected ${expected}, got ${actual}`,
  );
}

/** The adjacent doubles of a positive finite x. */
function nextUp(x: number): number {
  const f = new Float64Array([x]);
  const b = new BigInt64Array(f.buffer);
  b[0] += 1n;
  return f[0];
}
function nextDown(x: number): number {
  const f = new Float64Array([x]);
  const b = new BigInt64Array(f.buffer);
  b[0] -= 1n;
  return f[0];
}

Deno.test("stabilityWindows: m < 0 exactly inside the windows and m ≥ 0 in the gaps, on a dense grid (outlier)", () => {
  // Ten bulk points and one outlier: a window from 0 past 1/outlier, a gap, then the bulk's window beyond 1/h_min. With
  // the outlier at 1e4 the gap covers the midpoint between the poles 1/1e4 and 1/1.09.
  for (const outlier of [100, 1e4]) {
    const h = [1, 1.01, 1.02, 1.03, 1.04, 1.05, 1.06, 1.07, 1.08, 1.09, outlier];
    checkWindows(h);
  }
});

function checkWindows(h: number[]) {
  const windows = stabilityWindows(h);
  assert.ok(windows.length >= 2, `expected at least two windows, got ${JSON.stringify(windows)}`);
  const last = windows[windows.length - 1][1];
  const inside = (l: number) => windows.some(([a, b]) => a <= l && l <= b);
  let checked = 0;
  for (let i = 1; i <= 20000; i++) {
    const l = (1.5 * last * i) / 20000;
    const m = lyapunovExponent(h, l);
    if (inside(l)) assert.ok(m < 0, `λ = ${l} is reported stable but m = ${m}`);
    else assert.ok(m >= 0, `λ = ${l} is reported unstable but m = ${m}`);
    checked++;
  }
  assert.deepEqual(checked, 20000);
  // Each end is the outermost double with m < 0: m < 0 at the end, m ≥ 0 one double further out.
  for (const [a, b] of windows) {
    assert.ok(lyapunovExponent(h, b) < 0, `m(${b}) should be < 0`);
    assert.ok(lyapunovExponent(h, nextUp(b)) >= 0, `m just above the window end ${b} should be ≥ 0`);
    if (a > 0) {
      assert.ok(lyapunovExponent(h, a) < 0, `m(${a}) should be < 0`);
      assert.ok(lyapunovExponent(h, nextDown(a)) >= 0, `m just below the window start ${a} should be ≥ 0`);
    }
  }
}

Deno.test("stabilityWindows: two adjacent points whose windows meet at a pole are one window", () => {
  // h = [1, 1.01]: m < 0 on (0, root] without a gap (the poles 1/1.01 and 1 lie in one stable stretch).
  const windows = stabilityWindows([1, 1.01]);
  assert.deepEqual(windows.length, 1);
  assert.deepEqual(windows[0][0], 0);
  assert.ok(windows[0][1] > 1);
});

Deno.test("hillTailIndex: exact on [8, 4, 2, 1] with k = 2", () => {
  const est = hillTailIndex([8, -4, 2, 1], 2); // |values|, sorted: 8, 4, 2, 1
  assert.deepEqual(est.threshold, 2);
  assert.deepEqual(est.k, 2);
  const kappa = 2 / (Math.log(4) + Math.log(2));
  close(est.tailIndex, kappa, 1e-14, "tailIndex");
  close(est.standardError, kappa / Math.SQRT2, 1e-14, "standardError");
});

Deno.test("distanceExponent: the n − 1 formulas on a hand-built run", () => {
  // Three trajectories of log|v| at t = 0, 2, 4; distanceExponent doubles them: 2, 2, 2 | 2, 4, 6 | 4, 8, 18.
  const run = {
    times: new Float64Array([0, 2, 4]),
    trajectories: 3,
    values: new Float64Array([1, 1, 2, 1, 2, 4, 1, 3, 9]),
  };
  const est = distanceExponent(run);
  assert.deepEqual([...est.mean], [2, 4, 10]);
  assert.deepEqual([...est.variance], [0, 4, 52]); // Σ(x − x̄)²/(K − 1)
  close(est.standardError[1], Math.sqrt(4 / 3), 1e-14, "standardError[1]");
  close(est.standardError[2], Math.sqrt(52 / 3), 1e-14, "standardError[2]");
  assert.deepEqual([...est.exponent], [0, 1, 2]); // (mean(t) − mean(0))/t
  assert.deepEqual([...est.varianceOverT2], [0, 1, 3.25]);
});

Deno.test("lossExponent: exact on a hand-built run around the minimizer w* = 2", () => {
  // x = [1, 2], y = 2x: L(w) = E[x²](w − 2)²/2 = 1.25 (w − 2)².
  const run = { times: new Float64Array([0, 1]), trajectories: 2, values: new Float64Array([3, 4, 1, 0]) };
  const est = lossExponent(run, [1, 2], [2, 4]);
  close(est.mean[0], Math.log(1.25), 1e-14, "mean[0]");
  close(est.mean[1], Math.log(5), 1e-14, "mean[1]");
});

Deno.test("topShare: exact shares of [1, 2, 3, 4]", () => {
  assert.deepEqual(topShare([4, 1, 3, 2], 0.5), 0.7);
  assert.deepEqual(topShare([4, 1, 3, 2], 0.3), 0.7); // ⌈0.3·4⌉ = 2 values
  assert.deepEqual(topShare([4, 1, 3, 2], 0.25), 0.4);
});

Deno.test("kestenTailIndex: E|a|^κ = 1 exactly at the root, with and without weights", () => {
  const k = kestenTailIndex([3, 1 / 9]);
  close((3 ** k + 9 ** -k) / 2, 1, 1e-12, "equal weights");
  // Weighted drift 0.1·log 4 + 0.9·log 0.5 < 0, though the unweighted mean of the logs is > 0.
  const kw = kestenTailIndex([4, 0.5], { weights: [0.1, 0.9] });
  close(0.1 * 4 ** kw + 0.9 * 0.5 ** kw, 1, 1e-12, "weighted");
  assert.ok(kw > 0);
});

Deno.test("numericalRank: invariant under scaling the matrix (a relative tolerance)", () => {
  // Singular values 1, 2e-3, 5e-4: two above 1e-3·σ_max at every scale.
  const base = [1, 0, 0, 0, 2e-3, 0, 0, 0, 5e-4];
  for (const c of [1e-6, 1e-3, 1, 1e3, 1e6]) {
    assert.deepEqual(numericalRank(base.map((v) => c * v), 3, 3), 2, `scale ${c}`);
    assert.deepEqual(numericalRank(base.map((v) => c * v), 3, 3, { relativeTolerance: 1e-2 }), 1, `scale ${c}`);
  }
});

Deno.test("rankOf counts singular values strictly above the tolerance", () => {
  assert.deepEqual(rankOf([1, 1e-3, 1e-4], 1e-3), 1);
  assert.deepEqual(rankOf([4, 2, 1], 0.25), 2);
  assert.deepEqual(rankOf([0, 0], 1e-3), 0);
});

Deno.test("effectiveRank: exact for singular values 3 and 1", () => {
  const p = [0.75, 0.25];
  close(effectiveRank([3, 0, 0, 1], 2, 2), Math.exp(-(p[0] * Math.log(p[0]) + p[1] * Math.log(p[1]))), 1e-12, "");
});

Deno.test("linspace and geomspace: exact interior points", () => {
  assert.deepEqual([...linspace(0, 1, 5)], [0, 0.25, 0.5, 0.75, 1]);
  const g = geomspace(1, 1000, 4);
  [1, 10, 100, 1000].forEach((v, i) => close(g[i], v, 1e-14, `geomspace[${i}]`));
});

Deno.test("thresholds: exact values for x = [1, 2] (h = 2.5, E x⁴ = 8.5)", () => {
  const x = [1, 2];
  close(lambdaGD(x), 0.8, 1e-15, "lambdaGD");
  close(lambdaDS(x, 1), 5 / 8.5, 1e-15, "lambdaDS S=1");
  close(lambdaDS(x, 2), 5 / (4.25 + 0.5 * 6.25), 1e-15, "lambdaDS S=2");
  close(lambdaSS(x, 2), 0.8 / 1.5, 1e-15, "lambdaSS S=2");
  close(meanSquareFactor(x, 0.4, 2), 1 - 2 + 0.16 * (4.25 + 0.5 * 6.25), 1e-14, "meanSquareFactor");
  assert.deepEqual([...criticalLearningRates([2, -1, 0.5, 0])], [0.25, 1, 4]);
});

Deno.test("lyapunovExponent: exact values, −∞ at a pole", () => {
  close(lyapunovExponent([1, 3], 0.5), Math.log(0.5), 1e-15, "m");
  close(lyapunovExponent([1, 2, 4], 0.2), (Math.log(0.8) + Math.log(0.6) + Math.log(0.2)) / 3, 1e-15, "m of three");
  assert.deepEqual(lyapunovExponent([1, 3], 1), -Infinity);
});

Deno.test("minibatchLyapunovExponent: exact enumeration, Monte Carlo agreement, and the n − 1 standard error", () => {
  assert.deepEqual(countBatches(3, 2), 6);
  assert.deepEqual(countBatches(4, 3), 20);
  const h = [0, 2, 4];
  // S = 2: batch means 0, 1, 2 (1/9 each), 2 (2/9: {0,4}), 3 (2/9), 1 (2/9: {0,2}) → 0 (1/9), 1 (2/9), 2 (3/9), 3 (2/9), 4 (1/9).
  const l = 0.1;
  const exact = (1 / 9) * 0 + (2 / 9) * Math.log(0.9) + (3 / 9) * Math.log(0.8) + (2 / 9) * Math.log(0.7) +
    (1 / 9) * Math.log(0.6);
  const e = minibatchLyapunovExponent(h, l, { batchSize: 2, method: "exact" });
  close(e.value, exact, 1e-14, "exact");
  const mc = minibatchLyapunovExponent(h, l, { batchSize: 2, method: "monte-carlo", samples: 20000, seed: 3 });
  assert.ok(Math.abs(mc.value - exact) < 5 * mc.standardError, `${mc.value} vs ${exact} ± ${mc.standardError}`);
  // Two samples, one of each value 0 and a = log 0.5: the sample standard deviation over n − 1 gives SE = |a|/2.
  const a = Math.log(0.5);
  let found = false;
  for (let seed = 0; seed < 64 && !found; seed++) {
    const r = minibatchLyapunovExponent([0, 2], 0.25, { method: "monte-carlo", samples: 2, seed });
    if (Math.abs(r.value - a / 2) < 1e-15) {
      close(r.standardError, Math.abs(a) / 2, 1e-14, "standardError");
      found = true;
    }
  }
  assert.ok(found, "no seed drew both values");
});

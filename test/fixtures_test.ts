/**
 * Compares the library with independent reference values computed in Python (test/fixtures/generate.py: brute-force
 * enumeration in exact rational arithmetic, high-precision logarithms, dense grids refined by Brent's method).
 * Regenerate the fixtures with `python3 test/fixtures/generate.py`.
 *
 * Tolerances: a comparison passes when |actual − expected| ≤ max(abs, rel·|expected|); infinite expected values (stored
 * as the string "-Infinity") must be matched exactly.
 *
 * @module
 */

import { AssertionError } from "node:assert";
import assert from "node:assert/strict";
import {
  batchMeanDistribution,
  criticalLearningRates,
  lambdaDS,
  lambdaGD,
  lambdaSS,
  lyapunovExponent,
  meanSquareFactor,
  minibatchLyapunovExponent,
  outlierStabilityMap,
  stabilityWindows,
} from "../mod.ts";

/** A number as stored in the fixtures: -∞ is the string "-Infinity" (JSON has no infinities). */
type Encoded = number | "-Infinity" | "Infinity" | null;

function decode(v: Encoded): number {
  if (v === "-Infinity" || v === null) return -Infinity;
  if (v === "Infinity") return Infinity;
  return v;
}

interface Tolerance {
  /** Absolute tolerance. @default 0 */
  abs?: number;
  /** Relative tolerance, relative to |expected|. @default 0 */
  rel?: number;
}

/**
 * Throws an `AssertionError` unless |actual − expected| ≤ max(abs, rel·|expected|). Infinite expected values must be
 * matched exactly; NaN never passes.
 */
function assertClose(
  actual: number,
  expected: number,
  tolerance: Tolerance,
  label: string,
): void {
  const abs = tolerance.abs ?? 0;
  const rel = tolerance.rel ?? 0;
  if (actual === expected) return; // also covers ±Infinity
  const difference = Math.abs(actual - expected);
  if (
    Number.isFinite(expected) && Number.isFinite(actual) &&
    difference <= Math.max(abs, rel * Math.abs(expected))
  ) {
    return;
  }
  throw new AssertionError({
    message: `${label}: expected ${expected}, actual ${actual}, difference ${difference} exceeds tolerance ` +
      `(abs ${abs}, rel ${rel})`,
    actual,
    expected,
    operator: "assertClose",
  });
}

/** Element-wise {@linkcode assertClose}, after checking the lengths. */
function assertAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: Tolerance,
  label: string,
): void {
  assert.equal(
    actual.length,
    expected.length,
    `${label}: expected length ${expected.length}, actual length ${actual.length}`,
  );
  for (let i = 0; i < expected.length; i++) {
    assertClose(actual[i], expected[i], tolerance, `${label}[${i}]`);
  }
}

async function load<T>(name: string): Promise<T> {
  return JSON.parse(
    await Deno.readTextFile(new URL(`./fixtures/${name}`, import.meta.url)),
  ) as T;
}

// --------------------------------------------------------------------------------------------------- a. λ_GD, λ_DS,
// λ_SS and the mean-square factor
// ---------------------------------------------------------------------------------------------------

interface LinearStabilityFixture {
  datasets: Array<{
    name: string;
    x: number[];
    cases: Array<{
      batchSize: number;
      method: "enumeration" | "closed-form";
      batchMeanMoment1: number;
      batchMeanMoment2: number;
      lambdaGD: number;
      lambdaDS: number;
      lambdaSS: number;
      meanSquareFactor: Array<{ lambda: number; value: number; scale: number }>;
    }>;
  }>;
}

Deno.test("fixtures: lambdaGD, lambdaDS, lambdaSS, meanSquareFactor (exact rationals)", async (t) => {
  const fixture = await load<LinearStabilityFixture>("linear_stability.json");
  // Closed forms of a few sums: a handful of roundings, so 1e-12 relative.
  const closedForm = { rel: 1e-12 };
  for (const { name, x, cases } of fixture.datasets) {
    await t.step(name, () => {
      for (const c of cases) {
        const label = `${name}, S = ${c.batchSize} (${c.method})`;
        assertClose(lambdaGD(x), c.lambdaGD, closedForm, `${label}: lambdaGD`);
        assertClose(lambdaDS(x, c.batchSize), c.lambdaDS, closedForm, `${label}: lambdaDS`);
        assertClose(lambdaSS(x, c.batchSize), c.lambdaSS, closedForm, `${label}: lambdaSS`);
        for (const { lambda, value, scale } of c.meanSquareFactor) {
          // 1 − 2λA + λ²B cancels: the error is relative to the size of the terms, scale = 1 + 2λA + λ²B.
          assertClose(
            meanSquareFactor(x, lambda, c.batchSize),
            value,
            { abs: 1e-12 * scale },
            `${label}: meanSquareFactor at lambda = ${lambda}`,
          );
        }
      }
    });
  }
});

// --------------------------------------------------------------------------------------------------- b. The Lyapunov
// exponent at batch size 1
// ---------------------------------------------------------------------------------------------------

interface LyapunovFixture {
  arrays: Array<{
    name: string;
    h: number[];
    cases: Array<{
      lambda: number;
      expected: Encoded;
      exactReal: Encoded;
      numpy: Encoded;
      nearPole: boolean;
    }>;
  }>;
}

Deno.test("fixtures: lyapunovExponent (256-bit logarithms)", async (t) => {
  const fixture = await load<LyapunovFixture>("lyapunov_exponent.json");
  // A mean of logarithms of O(1)–O(1e5) factors: the library's error is about 1e-16·max|log f|, far below 1e-12 even
  // for N = 1000.
  const tolerance = { abs: 1e-12 };
  for (const { name, h, cases } of fixture.arrays) {
    await t.step(`${name} (N = ${h.length})`, () => {
      for (const c of cases) {
        const actual = lyapunovExponent(h, c.lambda);
        const label = `${name}, lambda = ${c.lambda}`;
        // The exponent of the float64 factors |1 − λh|, as the library documents.
        assertClose(actual, decode(c.expected), tolerance, `${label} (float64 factors)`);
        // Away from poles, the float64 factors do not matter: the exponent of the exact reals agrees.
        if (!c.nearPole) {
          assertClose(actual, decode(c.exactReal), tolerance, `${label} (exact-real factors)`);
        }
      }
    });
  }
});

// --------------------------------------------------------------------------------------------------- c. The Lyapunov
// exponent at batch size S
// ---------------------------------------------------------------------------------------------------

interface MinibatchFixture {
  arrays: Array<{
    name: string;
    h: number[];
    cases: Array<{
      batchSize: number;
      lambda: number;
      expected: Encoded;
      orderedBatches: number;
      distinctMultisets: number;
      minAbsFactor: number;
    }>;
  }>;
}

Deno.test("fixtures: minibatchLyapunovExponent (enumeration of all N^S ordered batches)", async (t) => {
  const fixture = await load<MinibatchFixture>("minibatch_lyapunov_exponent.json");
  // Every factor |1 − λȲ| ≥ 1e-3 (or exactly 0), so float64 batch means cost < 1e-13 per logarithm.
  const tolerance = { abs: 1e-12 };
  for (const { name, h, cases } of fixture.arrays) {
    await t.step(name, () => {
      for (const c of cases) {
        const label = `${name}, S = ${c.batchSize}, lambda = ${c.lambda}`;
        const result = minibatchLyapunovExponent(h, c.lambda, { batchSize: c.batchSize });
        assert.equal(result.method, "exact", `${label}: method`);
        assert.equal(result.standardError, 0, `${label}: standardError`);
        if (c.batchSize > 1 && result.value !== -Infinity) {
          assert.equal(result.batches, c.distinctMultisets, `${label}: batches (distinct multisets)`);
        }
        assertClose(result.value, decode(c.expected), tolerance, label);
      }
    });
  }
});

// --------------------------------------------------------------------------------------------------- d. The
// distribution of the batch mean
// ---------------------------------------------------------------------------------------------------

interface BatchMeanFixture {
  arrays: Array<{
    name: string;
    h: number[];
    cases: Array<{ batchSize: number; values: number[]; weights: number[] }>;
  }>;
}

/**
 * Sorts a distribution by value and merges values within 1e-12 (relative) of the previous one, as the generator groups
 * the exact means; each group keeps its smallest value and the sum of its weights.
 */
function aggregate(
  values: ArrayLike<number>,
  weights: ArrayLike<number>,
): { values: number[]; weights: number[] } {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const out = { values: [] as number[], weights: [] as number[] };
  let last = NaN;
  for (const i of order) {
    const v = values[i];
    if (out.values.length > 0 && v - last <= 1e-12 * Math.abs(v)) {
      out.weights[out.weights.length - 1] += weights[i];
    } else {
      out.values.push(v);
      out.weights.push(weights[i]);
    }
    last = v;
  }
  return out;
}

Deno.test("fixtures: batchMeanDistribution (enumeration of all N^S ordered batches)", async (t) => {
  const fixture = await load<BatchMeanFixture>("batch_mean_distribution.json");
  for (const { name, h, cases } of fixture.arrays) {
    await t.step(name, () => {
      for (const c of cases) {
        const label = `${name}, S = ${c.batchSize}`;
        const d = batchMeanDistribution(h, c.batchSize);
        assert.equal(d.values.length, d.weights.length, `${label}: values and weights lengths`);
        const total = Array.from(d.weights).reduce((a, b) => a + b, 0);
        assertClose(total, 1, { abs: 1e-14 }, `${label}: total probability`);
        const got = aggregate(d.values, d.weights);
        // A batch mean is a sum of S doubles divided by S: a few ulps.
        assertAllClose(got.values, c.values, { rel: 1e-13 }, `${label}: values`);
        // Probabilities from logarithms: relative error ~1e-16·|log w|.
        assertAllClose(got.weights, c.weights, { abs: 1e-15, rel: 1e-12 }, `${label}: weights`);
      }
    });
  }
});

// --------------------------------------------------------------------------------------------------- e. Stability
// windows ---------------------------------------------------------------------------------------------------

interface WindowsFixture {
  arrays: Array<{ name: string; h: number[]; windows: Array<[number, number]> }>;
}

Deno.test("fixtures: stabilityWindows (dense grid + Brent)", async (t) => {
  const fixture = await load<WindowsFixture>("stability_windows.json");
  // Both sides find the sign change of the same float64 m to near full precision, and m′ is large at every endpoint
  // (well conditioned): 1e-12 relative. A lower end of 0 must be exactly 0.
  const tolerance = { rel: 1e-12 };
  for (const { name, h, windows } of fixture.arrays) {
    await t.step(name, () => {
      const actual = stabilityWindows(h);
      assert.equal(
        actual.length,
        windows.length,
        `${name}: expected ${windows.length} windows ${JSON.stringify(windows)}, actual ${actual.length} ` +
          JSON.stringify(actual),
      );
      windows.forEach(([lower, upper], k) => {
        assertClose(actual[k][0], lower, tolerance, `${name}: window ${k} lower`);
        assertClose(actual[k][1], upper, tolerance, `${name}: window ${k} upper`);
      });
    });
  }
});

// --------------------------------------------------------------------------------------------------- f. The Figure 2
// map ---------------------------------------------------------------------------------------------------

interface OutlierMapFixture {
  x: number[];
  lambdas: number[];
  outlierSizes: number[];
  size: number;
  m: Encoded[];
  nearPoleCells: Array<{ index: number; outlierSize: number; lambda: number; exactReal: Encoded }>;
  lambdaGD: number[];
  lambdaDS: number[];
}

Deno.test("fixtures: outlierStabilityMap (Figure 2)", async () => {
  const f = await load<OutlierMapFixture>("outlier_stability_map.json");
  const map = outlierStabilityMap(f.x, { lambdas: f.lambdas, outlierSizes: f.outlierSizes });
  assert.equal(map.size, f.size, "size");
  assertAllClose(map.lambdas, f.lambdas, {}, "lambdas (echoed)");
  assertAllClose(map.outlierSizes, f.outlierSizes, {}, "outlierSizes (echoed)");
  assert.equal(map.m.length, f.m.length, "m length");
  const L = f.lambdas.length;
  for (let i = 0; i < f.m.length; i++) {
    const r = Math.floor(i / L);
    const k = i % L;
    // Mean of 50 logarithms: 1e-12 absolute. Cells where λc rounds to 1 are -Infinity (nearPoleCells).
    assertClose(
      map.m[i],
      decode(f.m[i]),
      { abs: 1e-12 },
      `m[outlier ${r} = ${f.outlierSizes[r]}][lambda ${k} = ${f.lambdas[k]}]`,
    );
  }
  assertAllClose(map.lambdaGD, f.lambdaGD, { rel: 1e-12 }, "lambdaGD");
  assertAllClose(map.lambdaDS, f.lambdaDS, { rel: 1e-12 }, "lambdaDS");
});

// --------------------------------------------------------------------------------------------------- g. Critical
// learning rates ---------------------------------------------------------------------------------------------------

interface CriticalFixture {
  cases: Array<{ x: number[]; expected: number[] }>;
}

Deno.test("fixtures: criticalLearningRates", async (t) => {
  const fixture = await load<CriticalFixture>("critical_learning_rates.json");
  for (const { x, expected } of fixture.cases) {
    const label = `x = ${JSON.stringify(x)}`;
    await t.step(label.length > 60 ? `${label.slice(0, 57)}...` : label, () => {
      // 1/(x·x) rounds twice: within a couple of ulps of the correctly rounded 1/x².
      assertAllClose(criticalLearningRates(x), expected, { rel: 1e-15 }, label);
    });
  }
});

// λ_GD, λ_DS, λ_SS: analytic cases, and the derivation of λ_DS proved by exact enumeration of every ordered batch
// (independent of the closed form and of batchMeanDistribution).
import assert from "node:assert/strict";
import { lambdaDS, lambdaGD, lambdaSS, meanSquareFactor, printedLambdaDS, randomNormal } from "../mod.ts";
import { assertClose } from "./assert_close.ts";

/** E[(1 − λȲ)²] by enumerating all Nˢ ordered batches (each of probability N⁻ˢ). */
function enumeratedMeanSquare(x: number[], lambda: number, s: number): number {
  const n = x.length;
  let total = 0;
  const idx = new Array(s).fill(0);
  for (let count = 0; count < n ** s; count++) {
    let c = count;
    for (let j = 0; j < s; j++) {
      idx[j] = c % n;
      c = Math.floor(c / n);
    }
    const ybar = idx.reduce((acc, i) => acc + x[i] * x[i], 0) / s;
    total += (1 - lambda * ybar) ** 2;
  }
  return total / n ** s;
}

Deno.test("lambdaGD is 2/E[x²] (eq. 3)", () => {
  assert.equal(lambdaGD([1, 3]), 0.4);
  assert.equal(lambdaGD([-2]), 0.5);
  assertClose(lambdaGD(Float64Array.of(0.1, 0.2, 0.3)), 2 / ((0.01 + 0.04 + 0.09) / 3), { rel: 1e-15 }, "three points");
});

Deno.test("lambdaDS: the second moment contracts exactly below it, by enumeration of all batches", async (t) => {
  const datasets: Record<string, number[]> = {
    "integers": [1, 2, 3],
    "outlier": [0.3, 0.9, 1.1, 4],
    "gaussian": Array.from(randomNormal(5, { seed: 11 })),
  };
  for (const [name, x] of Object.entries(datasets)) {
    for (const s of [1, 2, 3, 4]) {
      await t.step(`${name}, S = ${s}`, () => {
        const l = lambdaDS(x, s);
        // At the threshold the factor is exactly 1; just below, < 1; just above, > 1.
        assertClose(enumeratedMeanSquare(x, l, s), 1, { abs: 1e-12 }, `E[(1 − λȲ)²] at λ_DS`);
        assert.ok(enumeratedMeanSquare(x, l * (1 - 1e-6), s) < 1, "contracts just below λ_DS");
        assert.ok(enumeratedMeanSquare(x, l * (1 + 1e-6), s) > 1, "grows just above λ_DS");
        // The closed-form factor agrees with the enumeration at several learning rates.
        for (const f of [0.1, 0.5, 1.7]) {
          assertClose(
            meanSquareFactor(x, f * l, s),
            enumeratedMeanSquare(x, f * l, s),
            { rel: 1e-12 },
            `factor at ${f}λ_DS`,
          );
        }
      });
    }
  }
});

Deno.test("lambdaDS special cases: S = 1, S → ∞, Gaussian S/(S + 2)", () => {
  const x = [0.5, 1, 2, 3];
  const h = x.reduce((s, v) => s + v * v, 0) / 4;
  const h2 = x.reduce((s, v) => s + v ** 4, 0) / 4;
  assertClose(lambdaDS(x, 1), (2 * h) / h2, { rel: 1e-15 }, "S = 1: 2E[x²]/E[x⁴]");
  assertClose(lambdaDS(x, 1e9), lambdaGD(x), { rel: 1e-8 }, "S → ∞ gives λ_GD");
  // For Gaussian data E[x⁴] = 3E[x²]², so λ_DS = (2/h)·S/(S + 2): check on a large sample (5% tolerance, the sampling
  // error of the sample kurtosis at n = 200,000 is about 1%).
  const g = randomNormal(200_000, { seed: 5 });
  for (const s of [1, 4, 16]) {
    assertClose(lambdaDS(g, s) * (1 + 2 / s) / 2, 1 / (Array.from(g).reduce((a, v) => a + v * v, 0) / g.length), {
      rel: 0.05,
    }, `Gaussian S = ${s}`);
  }
});

Deno.test("lambdaSS is (2/h)/(1 + 1/S) and halves λ_GD at S = 1", () => {
  const x = [0.5, 1, 2];
  assertClose(lambdaSS(x, 1), lambdaGD(x) / 2, { rel: 1e-15 }, "S = 1");
  assertClose(lambdaSS(x, 3), lambdaGD(x) * 0.75, { rel: 1e-15 }, "S = 3");
});

Deno.test("printed eqs. (4)/(21) and (22) agree with the derivation only at S = 1", () => {
  const x = Array.from(randomNormal(1000, { seed: 3 }));
  assertClose(printedLambdaDS(x, 1, "4"), lambdaDS(x, 1), { rel: 1e-14 }, "eq. 4, S = 1");
  assert.equal(printedLambdaDS(x, 5, "21"), printedLambdaDS(x, 5, "4"));
  for (const s of [2, 4, 16]) {
    const derived = lambdaDS(x, s);
    assert.ok(Math.abs(printedLambdaDS(x, s, "4") / derived - 1) > 0.05, `eq. 4 differs at S = ${s}`);
  }
  // Eq. 22 is not the Gaussian case of eq. 21: with E[x⁴] = 3h², eq. 21 gives S²/(3 + (S − 1)²).
  const s = 4;
  assertClose(printedLambdaDS([1], s, "22"), 2 * 16 / (12 + 9), { rel: 1e-15 }, "eq. 22 as printed");
  // Eq. 26 (extreme outlier) is N times smaller than the derived 2/x²_max at S = 1.
  const outlier = [...Array(99).fill(0.1), 100];
  assertClose(lambdaDS(outlier, 1) / printedLambdaDS(outlier, 1, "26"), 100, { rel: 1e-3 }, "eq. 26 ratio");
});

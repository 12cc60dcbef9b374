/**
 * The paper's printed formulas for the mean-square threshold λ_DS, kept verbatim so that the notebooks and the claims
 * report can compare them with the derivation ({@linkcode lambdaDS}). They are errata: do not use them as thresholds.
 *
 * @module
 */

import { squareMoments } from "../core/moments.ts";
import * as check from "../core/validate.ts";

/** The printed equations for λ_DS that {@linkcode printedLambdaDS} reproduces. */
export type PrintedLambdaDSEquation = "4" | "21" | "22" | "24" | "26";

/**
 * λ_DS as printed in the paper, for comparison with the derived {@linkcode lambdaDS}:
 *
 * - `"4"` and `"21"` (identical): 2S²E[x²] / (E[x⁴] + (S − 1)²E[x²]²);
 * - `"22"` (Gaussian data): (2/E[x²])·S²/(3S + (S − 1)²), evaluated with the data's E[x²];
 * - `"24"` (two points, x₁ large): 2S²/(x₁²·(2 + (S − 1)²)), with x₁ the largest |xᵢ| and N = 2;
 * - `"26"` (an extreme outlier among N points): 2S²/(N·x²_max)·1/(1 + (S − 1)²/N), eq. (27) at S = 1.
 *
 * The derivation gives 2S·E[x²]/(E[x⁴] + (S − 1)E[x²]²) instead; in the same limits, (2/E[x²])·S/(S + 2) for Gaussian
 * data, 4S/((S + 1)x₁²) for two points, and 2S/(x²_max·(1 + (S − 1)/N)) for an extreme outlier. At S = 1 the printed
 * forms agree with it except eq. (24), a factor 2 too small (it is half the paper's own eq. 21), and eq. (26)/(27), N
 * times too small.
 *
 * @example Eq. (4) is right at S = 1 and wrong at S = 2
 * ```ts
 * import { lambdaDS, printedLambdaDS } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const x = [1, 2, 3];
 * assert.ok(Math.abs(printedLambdaDS(x, 1, "4") - lambdaDS(x, 1)) < 1e-15);
 * assert.ok(Math.abs(printedLambdaDS(x, 2, "4") - lambdaDS(x, 2)) > 0.01);
 * ```
 *
 * @param x The inputs xᵢ, each equally likely. Non-empty, finite, not all 0.
 * @param batchSize The batch size S, a positive integer.
 * @param equation Which printed equation to evaluate.
 * @returns The printed formula's value on this dataset.
 */
export function printedLambdaDS(
  x: ArrayLike<number>,
  batchSize: number,
  equation: PrintedLambdaDSEquation,
): number {
  const fn = "printedLambdaDS";
  const data = check.finiteArray(fn, "x", x);
  const s = check.integerInRange(fn, "batchSize", batchSize);
  const eq = check.oneOf(
    fn,
    "equation",
    equation,
    ["4", "21", "22", "24", "26"] as const,
  );
  const { h, h2 } = squareMoments(data);
  if (h === 0) {
    throw new RangeError(
      `Invalid x in ${fn}: expected at least one non-zero input; received all zeros.`,
    );
  }
  let max2 = 0;
  for (const v of data) max2 = Math.max(max2, v * v);
  switch (eq) {
    case "4":
    case "21":
      return (2 * s * s * h) / (h2 + (s - 1) ** 2 * h * h);
    case "22":
      return (2 / h) * (s * s) / (3 * s + (s - 1) ** 2);
    case "24":
      return (2 * s * s) / (max2 * (2 + (s - 1) ** 2));
    case "26":
      return (2 * s * s) / (data.length * max2) /
        (1 + (s - 1) ** 2 / data.length);
  }
}

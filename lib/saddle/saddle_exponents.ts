/**
 * The linearized dynamics of SGD around the rank-0 saddle of a two-layer model (§4.2, Prop. 2, App. A.6): its two
 * Lyapunov exponents, its mean-square factor, and its phase.
 *
 * @module
 */

import { batchMeanDistribution, countBatches } from "../core/batch_distribution.ts";
import { logAbsOneMinusSum } from "../core/log_abs_sum.ts";
import * as check from "../core/validate.ts";

/** The five phases of SGD around the saddle (Figure 1(b)), in legend order. */
export const SADDLE_PHASES = ["Ia", "Ib", "II", "III", "IV"] as const;

/** A phase of SGD around the saddle: see {@linkcode saddlePhase}. */
export type SaddlePhase = typeof SADDLE_PHASES[number];

/** What each phase means, for legends and tables. */
export const SADDLE_PHASE_NAMES: Readonly<Record<SaddlePhase, string>> = {
  Ia: "Ia: correct learning (w → u), in probability only",
  Ib: "Ib: correct learning (w → u), also in mean square",
  II: "II: incorrect learning (w → −u)",
  III: "III: converges to the low-rank saddle",
  IV: "IV: complete instability",
};

/** The exponents and the mean-square factor of the saddle dynamics. */
export interface SaddleExponents {
  /** E log|1 − λχ̄|: w − u → 0 in probability iff it is < 0. */
  minus: number;
  /** E log|1 + λχ̄|: w + u → 0 in probability iff it is < 0. */
  plus: number;
  /** E(1 − λχ̄)²: w − u → 0 in mean square iff it is < 1. */
  meanSquare: number;
}

/** Options of {@linkcode saddleExponents} and {@linkcode saddlePhase}. */
export interface SaddleExponentsOptions {
  /** The batch size S: χ̄ is the mean of χ over S draws with replacement. @default 1 */
  batchSize?: number;
  /** The largest number of distinct batches to enumerate (exact only). @default 1_000_000 */
  maxBatches?: number;
}

/**
 * The Lyapunov exponents and the mean-square factor of SGD around the saddle of ℓ = −χ·Σᵢ uᵢwᵢ (eq. 65), where χ = x·y
 * takes the values `chi`, each equally likely, and a batch averages χ over S draws with replacement (eq. 66 with χ̄).
 * In the variables h = w + u and m = w − u the dynamics decouple (eq. 67): hₜ₊₁ = (1 + λχ̄)hₜ and mₜ₊₁ = (1 − λχ̄)mₜ,
 * so
 *
 * - minus = E log|1 − λχ̄| governs w − u, plus = E log|1 + λχ̄| governs w + u (Prop. 2: each converges to 0 in
 *   probability iff its exponent is negative);
 * - meanSquare = E(1 − λχ̄)² = 1 − 2λE[χ] + λ²(E[χ²]/S + (1 − 1/S)E[χ]²): w − u → 0 in mean square iff < 1.
 *
 * Method: exact, over the batch-mean distribution ({@linkcode batchMeanDistribution}) when S > 1. For χ ∈ {1, a} at S =
 * 1 these are eqs. (68)–(69): plus = ½log|(1 + λ)(1 + λa)|, minus = ½log|(1 − λ)(1 − λa)|.
 *
 * @example Eqs. (68)–(69)
 * ```ts
 * import { saddleExponents } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const { minus, plus, meanSquare } = saddleExponents([1, -0.5], 1.5);
 * assert.ok(Math.abs(plus - 0.5 * Math.log(2.5 * 0.25)) < 1e-15);
 * assert.ok(Math.abs(minus - 0.5 * Math.log(0.5 * 1.75)) < 1e-15);
 * assert.equal(meanSquare, (0.25 + 1.75 ** 2) / 2);
 * ```
 *
 * @param chi The values of χ = x·y, each equally likely. Non-empty, finite.
 * @param lambda The learning rate λ ≥ 0.
 * @param options The batch size.
 * @returns `{ minus, plus, meanSquare }`.
 */
export function saddleExponents(
  chi: ArrayLike<number>,
  lambda: number,
  options: SaddleExponentsOptions = {},
): SaddleExponents {
  return evaluate("saddleExponents", chi, lambda, options);
}

/** Validates the arguments of {@linkcode saddleExponents} or {@linkcode saddlePhase} and evaluates. */
function evaluate(
  fn: string,
  chi: ArrayLike<number>,
  lambda: number,
  options: SaddleExponentsOptions,
): SaddleExponents {
  const data = check.finiteArray(fn, "chi", chi);
  const l = check.learningRate(fn, "lambda", lambda);
  const o = check.options(fn, options);
  const s = check.integerInRange(fn, "options.batchSize", o.batchSize ?? 1);
  const maxBatches = check.integerInRange(fn, "options.maxBatches", o.maxBatches ?? 1_000_000);
  return chiDistribution(fn, data, s, maxBatches).at(l);
}

/** The phase of a set of exponents (the rule of {@linkcode saddlePhase}). */
export function phaseOf(exponents: SaddleExponents): SaddlePhase {
  check.object("phaseOf", "exponents", exponents);
  // ±Infinity is a valid exponent (a factor that can be exactly 0); NaN is not.
  const minus = check.notNaN("phaseOf", "exponents.minus", exponents.minus);
  const plus = check.notNaN("phaseOf", "exponents.plus", exponents.plus);
  const meanSquare = check.notNaN("phaseOf", "exponents.meanSquare", exponents.meanSquare);
  if (minus < 0) return plus < 0 ? "III" : meanSquare < 1 ? "Ib" : "Ia";
  return plus < 0 ? "II" : "IV";
}

/**
 * The phase of SGD around the saddle (Figure 1(b), §4.2), from the signs of the exponents of {@linkcode
 * saddleExponents}:
 *
 * - III — minus < 0 and plus < 0: w − u and w + u both → 0, the low-rank saddle attracts;
 * - IV — minus ≥ 0 and plus ≥ 0: complete instability;
 * - II — minus ≥ 0, plus < 0: w → −u, incorrect learning;
 * - I — minus < 0, plus ≥ 0: w → u, correct learning; **Ib** when it also converges in mean square (meanSquare < 1),
 *   **Ia** when only in probability.
 *
 * The split of phase I follows the Figure 1 caption ("in phase Ib, the model also converges in variance"); §4.2's text
 * calls the mean-square region Ia instead — a conflict in the paper. An exponent exactly 0 (a boundary) counts as not
 * converging.
 *
 * @example The four corners of Figure 1(b)
 * ```ts
 * import { saddlePhase } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * assert.equal(saddlePhase([1, 0.5], 0.5), "Ib"); // small λ, little noise
 * assert.equal(saddlePhase([1, -0.5], 1.5), "III"); // strong noise, large λ: the saddle attracts
 * assert.equal(saddlePhase([1, 3], 3), "IV");
 * ```
 *
 * @param chi The values of χ = x·y, each equally likely. Non-empty, finite.
 * @param lambda The learning rate λ ≥ 0.
 * @param options The batch size.
 * @returns `"Ia" | "Ib" | "II" | "III" | "IV"`.
 */
export function saddlePhase(chi: ArrayLike<number>, lambda: number, options: SaddleExponentsOptions = {}): SaddlePhase {
  return phaseOf(evaluate("saddlePhase", chi, lambda, options));
}

/**
 * The distribution of χ̄ for a finite χ and batch size S, ready to evaluate the exponents at any λ. Internal; shared
 * with the phase diagrams.
 */
export function chiDistribution(fn: string, chi: Float64Array, batchSize: number, maxBatches: number) {
  const n = chi.length;
  let m1 = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    m1 += chi[i];
    m2 += chi[i] * chi[i];
  }
  m1 /= n;
  m2 /= n;
  const negated = Float64Array.from(chi, (v) => -v);
  const distinct = batchSize === 1 ? n : countBatches(new Set(chi).size, batchSize);
  if (distinct > maxBatches) {
    throw new RangeError(
      `Invalid batchSize in ${fn}: expected at most ${maxBatches} distinct batches to enumerate; received ` +
        `${batchSize}, which gives ${distinct}.`,
    );
  }
  const dist = batchSize === 1 ? undefined : batchMeanDistribution(chi, batchSize, { maxBatches });
  const second = m2 / batchSize + (1 - 1 / batchSize) * m1 * m1;
  return {
    at(l: number): SaddleExponents {
      const meanSquare = 1 - 2 * l * m1 + l * l * second;
      if (l === 0) return { minus: 0, plus: 0, meanSquare: 1 };
      if (!dist) {
        return { minus: logAbsOneMinusSum(chi, l) / n, plus: logAbsOneMinusSum(negated, l) / n, meanSquare };
      }
      let minus = 0;
      let plus = 0;
      for (let k = 0; k < dist.values.length; k++) {
        const v = l * dist.values[k];
        minus += dist.weights[k] * Math.log(Math.abs(1 - v));
        plus += dist.weights[k] * Math.log(Math.abs(1 + v));
      }
      return { minus, plus, meanSquare };
    },
  };
}

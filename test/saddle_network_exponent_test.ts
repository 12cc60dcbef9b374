// Part IV: the top Lyapunov exponent of SGD linearized at the rank-0 saddle of a d → h → d network
// (lib/networks/saddle_network_exponent.ts).
//
// At d = h = 1 the linearized step is (W, U) ← (W + λχU, U + λχW) with χ = x·y: the maps commute, W + U is multiplied
// by 1 + λχ and W − U by 1 − λχ, so the top exponent is max(E log|1 + λχ|, E log|1 − λχ|) — the 1-D theory of Prop. 2,
// computed to ~2e-10 by gaussianSaddleExponents (its `plus` and `minus`).
//
// Statistical tolerance. The estimate is (1/T)·Σ log of the per-step growth over runs·T i.i.d. steps; after the
// transient the direction is aligned with the dominant factor, so it equals the sample mean of log|1 + λχ_t| (dominant
// sign) up to a boundary term O(1/T). Its standard error is sd/√(runs·T) with sd the standard deviation of one log|1 +
// λχ| — estimated here by Monte Carlo from 2·10⁵ independent draws of χ (a relative error of a few per cent on sd,
// irrelevant at the margin used). Tolerance: 4 standard errors plus 1/T for the boundary term (a 4σ deviation has
// two-sided probability 6e-5 for a fresh seed; the seed is fixed).
import assert from "node:assert/strict";
import { gaussianSaddleExponents, randomNormal, saddleNetworkExponent } from "../mod.ts";
import { assertClose, meanAndStandardError } from "./assert_close.ts";
import { assertInvalid } from "./assert_invalid.ts";

/** The standard deviation of log|1 + sign·λχ|, χ = x(μx + (1 − μ)σz), by Monte Carlo (fixed seed). */
function stepStandardDeviation(mu: number, lambda: number, sign: 1 | -1, noiseStd = 2, n = 200_000): number {
  const x = randomNormal(n, { seed: "sd/x" });
  const z = randomNormal(n, { seed: "sd/z" });
  const logs = Float64Array.from(
    x,
    (xi, i) => Math.log(Math.abs(1 + sign * lambda * xi * (mu * xi + (1 - mu) * noiseStd * z[i]))),
  );
  return meanAndStandardError(logs).se * Math.sqrt(n);
}

for (const [mu, lambda] of [[0.06, 0.2], [1, 0.05]] as const) {
  Deno.test(`saddleNetworkExponent at dimension 1 equals max(E log|1 ± λxy|) (μ = ${mu}, λ = ${lambda})`, () => {
    const steps = 100_000, runs = 8;
    const theory = gaussianSaddleExponents(mu, lambda, { noiseStd: 2 });
    const expected = Math.max(theory.plus, theory.minus);
    const sign = theory.plus >= theory.minus ? 1 : -1;
    const sd = stepStandardDeviation(mu, lambda, sign);
    const se = sd / Math.sqrt(runs * steps);
    const r = saddleNetworkExponent(mu, lambda, { dimension: 1, steps, runs, seed: 3 });
    assertClose(r.exponent, expected, { abs: 4 * se + 1 / steps }, `exponent (standard error ${se.toExponential(2)})`);
    // The reported standard error (from 8 runs: 7 degrees of freedom) agrees with the theoretical one within a factor 3
    // (P(χ²₇/7 ∉ [1/9, 9]) < 1e-3).
    assert.ok(
      r.standardError > se / 3 && r.standardError < 3 * se,
      `reported standard error ${r.standardError} vs ${se} from the per-step standard deviation`,
    );
    // The two theory exponents are separated far beyond the noise, so the max is unambiguous.
    assert.ok(Math.abs(theory.plus - theory.minus) > 20 * se);
  });
}

Deno.test("saddleNetworkExponent: the noiseless task (μ = 1) at a small λ escapes the saddle, in every dimension", () => {
  // 1-D theory: plus ≈ λμ − λ²E[χ²]/2 = 0.05 − 0.00375 > 0.
  assert.ok(gaussianSaddleExponents(1, 0.05).plus > 0.04);
  for (const dimension of [1, 3, 8]) {
    const r = saddleNetworkExponent(1, 0.05, { dimension, steps: 4000, runs: 4, seed: 1 });
    assert.ok(
      r.exponent - 5 * r.standardError > 0,
      `d = ${dimension}: exponent ${r.exponent} ± ${r.standardError} should be positive`,
    );
  }
  // λ = 0: the map is the identity, every log-norm is 0.
  assert.deepEqual(saddleNetworkExponent(0.5, 0, { dimension: 3, steps: 50, seed: 1 }), {
    exponent: 0,
    standardError: 0,
  });
});

Deno.test("saddleNetworkExponent: exact identities between settings (same random stream)", () => {
  const o = { dimension: 1, steps: 3000, runs: 3, seed: 5 };
  const base = saddleNetworkExponent(0.3, 0.4, o);
  assert.deepEqual(saddleNetworkExponent(0.3, 0.4, o), base, "deterministic");
  assert.notDeepEqual(saddleNetworkExponent(0.3, 0.4, { ...o, seed: 6 }), base, "another seed");
  // Only c = σ′(0) enters: tanh equals linear; swish (c = ½) at λ equals linear at λ/2.
  assert.deepEqual(saddleNetworkExponent(0.3, 0.4, { ...o, activation: "tanh" }), base);
  assert.deepEqual(saddleNetworkExponent(0.3, 0.8, { ...o, activation: "swish" }), base);
  // reduction "mean" scales the step by 2/d: at d = 1 it is "sum" at 2λ (powers of two: bit for bit).
  assert.deepEqual(saddleNetworkExponent(0.3, 0.2, { ...o, reduction: "mean" }), base);
  const d4 = { ...o, dimension: 4, steps: 500 };
  assert.deepEqual(saddleNetworkExponent(0.3, 0.8, { ...d4, reduction: "mean" }), saddleNetworkExponent(0.3, 0.4, d4));
});

Deno.test("saddleNetworkExponent rejects bad input, naming function, parameter and value", () => {
  const fn = "saddleNetworkExponent";
  assertInvalid("mu", () => saddleNetworkExponent(1.5, 0.1), RangeError, [fn, "mu", "1.5"]);
  assertInvalid("lambda", () => saddleNetworkExponent(0.5, -1), RangeError, [fn, "lambda", "-1"]);
  assertInvalid("runs", () => saddleNetworkExponent(0.5, 0.1, { runs: 1 }), RangeError, [fn, "options.runs", "1"]);
  assertInvalid("dimension", () => saddleNetworkExponent(0.5, 0.1, { dimension: 0 }), RangeError, [
    "options.dimension",
    "0",
  ]);
  assertInvalid("transient", () => saddleNetworkExponent(0.5, 0.1, { transient: -1 }), RangeError, [
    "options.transient",
  ]);
  assertInvalid("reduction", () => saddleNetworkExponent(0.5, 0.1, { reduction: "none" as "sum" }), RangeError, [
    "options.reduction",
    '"none"',
  ]);
  assertInvalid("activation", () => saddleNetworkExponent(0.5, 0.1, { activation: "elu" as "relu" }), RangeError, [
    "options.activation",
    '"elu"',
  ]);
  // relu has no linearization at the saddle (gated units): rejected, saying why.
  assertInvalid("relu", () => saddleNetworkExponent(0.5, 0.1, { activation: "relu" }), RangeError, [
    "saddleNetworkExponent",
    "options.activation",
    '"relu"',
    "gated",
  ]);
});

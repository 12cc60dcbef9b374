/**
 * Claims rows "beyond the paper" for the stability probe (issue 12, notebook 16). Each verdict is computed from the
 * measured values by the criterion stated in its row.
 *
 * @module
 */

import {
  type Activation,
  createDeepNetwork,
  createTwoLayerNetwork,
  deepNetworkModel,
  type DifferentiableModel,
  finiteDifferenceHessianVectorProduct,
  lyapunovExponent,
  meanSquareFactor,
  minibatchLyapunovExponent,
  randomNormal,
  saddleExponents,
  saddleNetworkExponent,
  scalarNetworkModel,
  type StabilityProbe,
  stabilityProbe,
  twoLayerNetworkModel,
} from "../mod.ts";
import { agreeIf, type ClaimDefinition, defineClaim } from "./claims.ts";
import { FIGURE5, figure5Model, figure5Points } from "./part4_scalar.ts";
import { check } from "./checks.ts";

const NOTEBOOK = "16_your_own_model";
const fmt = (v: number, digits = 4) => Number(v.toPrecision(digits)).toString();

const x1 = [0.3, 0.8, 1, 1.2, 3.1];
const h1 = x1.map((v) => v * v);
const regression: DifferentiableModel = {
  name: "1-D regression",
  dimension: 1,
  size: x1.length,
  gradient: (w, b) => Float64Array.of(b.reduce((s, i) => s + h1[i] * w[0], 0) / b.length),
};

const chi2 = [1, -0.5, 2, 0.3];
const batchMean = (b: Int32Array) => b.reduce((s, i) => s + chi2[i], 0) / b.length;
const saddle2: DifferentiableModel = {
  name: "§4.2 saddle",
  dimension: 2,
  size: chi2.length,
  gradient: (w, b) => Float64Array.of(-batchMean(b) * w[1], -batchMean(b) * w[0]),
  hessianVectorProduct: (_w, v, b) => Float64Array.of(-batchMean(b) * v[1], -batchMean(b) * v[0]),
};

/** The probes of {@linkcode probeRegression} and {@linkcode probeSaddle}: one per batch size. */
export interface BatchProbe {
  /** The batch size S. */
  batchSize: number;
  /** The probe at that batch size. */
  probe: StabilityProbe;
}

let regressionCache: BatchProbe[] | undefined;

/**
 * Claim VI-01 and notebook 16 (§1): the probe on 1-D regression with an outlier (x = 0.3, 0.8, 1, 1.2, 3.1, per-sample
 * loss ½(w x_i)², at w = 0) for S = 1 and 3 at λ = 0.3, 0.9, 1.6 (3000 steps, 6 runs, seed 1). Computed once.
 *
 * @returns One probe per batch size.
 *
 * @example The probe's mean-square factor is meanSquareFactor's
 * ```ts
 * import assert from "node:assert/strict";
 * import { meanSquareFactor } from "@probstab/sgd";
 * import { probeRegression } from "@probstab/sgd/experiments";
 * const [{ probe }] = probeRegression();
 * const ms = meanSquareFactor([0.3, 0.8, 1, 1.2, 3.1], 0.3);
 * assert(Math.abs(probe.rows[0].meanSquareFactor! - ms) < 1e-12 * ms);
 * ```
 */
export function probeRegression(): BatchProbe[] {
  regressionCache ??= [1, 3].map((S) => ({
    batchSize: S,
    probe: stabilityProbe(regression, [0], { lambdas: [0.3, 0.9, 1.6], batchSize: S, steps: 3000, runs: 6, seed: 1 }),
  }));
  return regressionCache;
}

let saddleCache: BatchProbe[] | undefined;

/**
 * Claim VI-02 and notebook 16 (§1): the probe at the §4.2 saddle ℓ = −χuw with χ ∈ {1, −0.5, 2, 0.3} (exact
 * Hessian-vector products), two QR directions, for S = 1 and 2 at λ = 0.3, 0.9, 1.8 (3000 steps, 6 runs, seed 2).
 * Computed once.
 *
 * @returns One probe per batch size.
 *
 * @example Both exponents are positive at λ = 1.8
 * ```ts
 * import assert from "node:assert/strict";
 * import { probeSaddle } from "@probstab/sgd/experiments";
 * const [{ probe }] = probeSaddle();
 * assert(probe.rows[2].exponents.every((m) => m > 0));
 * ```
 */
export function probeSaddle(): BatchProbe[] {
  saddleCache ??= [1, 2].map((S) => ({
    batchSize: S,
    probe: stabilityProbe(saddle2, [0, 0], {
      lambdas: [0.3, 0.9, 1.8],
      batchSize: S,
      directions: 2,
      steps: 3000,
      runs: 6,
      seed: 2,
    }),
  }));
  return saddleCache;
}

const swishCache = new Map<string, StabilityProbe>();

/**
 * Claim VI-03 and notebook 16 (§2): the probe at a point of the §4.3 swish network (notebook 12's sample, seed 119:
 * the minima A, B and the saddle C of `figure5Points`) on the 19 learning rates of `FIGURE5.lambdas` (2000 steps,
 * seed = the point's name). Computed once per point.
 *
 * @param name The point: "A", "B" or "C".
 * @returns The probe.
 *
 * @example At A, GD's threshold is 2/h_a ≈ 1.25
 * ```ts
 * import assert from "node:assert/strict";
 * import { swishProbe } from "@probstab/sgd/experiments";
 * assert(Math.abs(swishProbe("A").lambdaGD - 1.249) < 0.01);
 * ```
 */
export function swishProbe(name: "A" | "B" | "C"): StabilityProbe {
  if (name !== "A" && name !== "B" && name !== "C") {
    throw new RangeError(`Invalid name in swishProbe: expected "A", "B" or "C"; received ${String(name)}.`);
  }
  if (!swishCache.has(name)) {
    const data = figure5Model();
    const p = figure5Points(data).find((q) => q.name === name)!;
    swishCache.set(
      name,
      stabilityProbe(scalarNetworkModel(data), [p.u, p.w], { lambdas: FIGURE5.lambdas, steps: 2000, seed: name }),
    );
  }
  return swishCache.get(name)!;
}

/**
 * Claim VI-04 and notebook 16: the R-operator Hessian-vector product of a tanh MLP (12 → 8 → 6 → 4, 6 samples, seed
 * "VI-04") against the Richardson central difference of its gradient.
 *
 * @returns The largest gap relative to the largest entry, and the number of parameters.
 *
 * @example The two agree to far below 10⁻⁸
 * ```ts
 * import assert from "node:assert/strict";
 * import { deepHvpCheck } from "@probstab/sgd/experiments";
 * assert(deepHvpCheck().relativeGap < 1e-8);
 * ```
 */
export function deepHvpCheck(): { relativeGap: number; parameters: number } {
  const images = randomNormal(6 * 12, { seed: "VI-04" }).map((v) => Math.max(0, v));
  const data = { images, labels: Uint8Array.of(0, 1, 2, 3, 1, 0), count: 6, features: 12 };
  const model = deepNetworkModel(createDeepNetwork([12, 8, 6, 4], { activation: "tanh", seed: 1 }), data);
  const v = randomNormal(model.dimension, { seed: "VI-04 v" }), b = Int32Array.of(0, 1, 2, 3, 4, 5);
  const exact = model.hessianVectorProduct(model.parameters, v, b);
  const fd = finiteDifferenceHessianVectorProduct(
    { dimension: model.dimension, size: model.size, gradient: model.gradient },
    model.parameters,
    v,
    b,
  ).value;
  let gap = 0, scale = 0;
  for (let i = 0; i < exact.length; i++) {
    gap = Math.max(gap, Math.abs(exact[i] - fd[i]));
    scale = Math.max(scale, Math.abs(exact[i]));
  }
  return { relativeGap: gap / scale, parameters: model.dimension };
}

/** Options of {@linkcode saddleNetworkComparison}. */
export interface SaddleNetworkComparisonOptions {
  /** The input = hidden = output width d. @default 1 */
  dimension?: number;
  /** The activation (linear, tanh or swish: σ(0) = 0, so W = U = 0 is stationary). @default "linear" */
  activation?: Activation;
  /** Independent finite samples (data sets) the probe is run on. @default 8 */
  dataSets?: number;
  /** Samples N per data set. @default 5000 */
  size?: number;
  /** Steps per probe run (2 runs per data set) and per saddleNetworkExponent run (8 runs). @default 3000 */
  steps?: number;
  /** The seed. @default "saddle-network" */
  seed?: string;
}

/**
 * The probe at the rank-0 saddle W = U = 0 of the §4.4 network f(x) = Uσ(Wx) (per-sample loss ½‖f(x) − y‖², x ~ N(0,
 * I_d), y = μx + 2(1 − μ)ε, S = 1, hidden width d) against {@linkcode saddleNetworkExponent}, which draws fresh
 * Gaussian samples every step. The probe needs a fixed finite sample, whose empirical distribution differs from the
 * Gaussian by O(1/√N): so it is run on `dataSets` independent samples of N points, and its estimate is the mean over
 * them with the standard error of their spread (which contains both the SGD sampling error and the finite-sample
 * error). `z` = |gap| / √(SE_probe² + SE_saddle²).
 */
export function saddleNetworkComparison(
  mu: number,
  lambda: number,
  options: SaddleNetworkComparisonOptions = {},
): { probe: number; probeError: number; saddle: number; saddleError: number; z: number } {
  const fn = "saddleNetworkComparison";
  check.finiteNumber(fn, "mu", mu);
  check.learningRate(fn, "lambda", lambda);
  check.options(fn, options);
  if (options.dimension !== undefined) check.integerInRange(fn, "options.dimension", options.dimension, 1, 4096);
  if (options.activation !== undefined) {
    check.oneOf(fn, "options.activation", options.activation, ["linear", "tanh", "swish"]);
  }
  if (options.dataSets !== undefined) check.integerInRange(fn, "options.dataSets", options.dataSets, 2, 1e6);
  if (options.size !== undefined) check.integerInRange(fn, "options.size", options.size, 1, 1e8);
  if (options.steps !== undefined) check.integerInRange(fn, "options.steps", options.steps, 1, 1e8);
  if (options.seed !== undefined) check.seed(fn, "options.seed", options.seed);
  const d = options.dimension ?? 1, act = options.activation ?? "linear", K = options.dataSets ?? 8;
  const n = options.size ?? 5000, steps = options.steps ?? 3000, seed = options.seed ?? "saddle-network";
  const tag = `${seed} ${d} ${act} ${mu} ${lambda}`;
  // Computed once per setting, so that notebook 16's cell and claim VI-05 read the same runs.
  const key = `${tag} ${K} ${n} ${steps}`;
  if (!comparisonCache.has(key)) comparisonCache.set(key, compareAtSaddle(mu, lambda, d, act, K, n, steps, tag));
  return { ...comparisonCache.get(key)! };
}

type Comparison = { probe: number; probeError: number; saddle: number; saddleError: number; z: number };
const comparisonCache = new Map<string, Comparison>();

function compareAtSaddle(
  mu: number,
  lambda: number,
  d: number,
  act: Activation,
  K: number,
  n: number,
  steps: number,
  tag: string,
): Comparison {
  const net = createTwoLayerNetwork({ inputs: d, hidden: d, outputs: d, activation: act });
  net.W.fill(0);
  net.U.fill(0);
  const per: number[] = [];
  for (let k = 0; k < K; k++) {
    const X = randomNormal(n * d, { seed: `${tag} x ${k}` }), e = randomNormal(n * d, { seed: `${tag} e ${k}` });
    const model = twoLayerNetworkModel(net, { X, Y: X.map((x, i) => mu * x + (1 - mu) * 2 * e[i]) });
    const probe = stabilityProbe(model, model.parameters, { lambdas: [lambda], steps, runs: 2, seed: `${tag} ${k}` });
    per.push(probe.rows[0].lyapunovExponent);
  }
  const mean = per.reduce((a, b) => a + b, 0) / K;
  const probeError = Math.sqrt(per.reduce((a, b) => a + (b - mean) ** 2, 0) / (K - 1) / K);
  const ref = saddleNetworkExponent(mu, lambda, { dimension: d, activation: act, steps, runs: 8, seed: tag });
  const z = Math.abs(mean - ref.exponent) / Math.hypot(probeError, ref.standardError);
  return { probe: mean, probeError, saddle: ref.exponent, saddleError: ref.standardError, z };
}

/** The (d, activation, μ, λ) points of claim VI-05, notebook 16 and the test. */
export const SADDLE_NETWORK_POINTS: [number, Activation, number, number][] = [
  [1, "linear", 1, 0.1],
  [1, "linear", 0.2, 0.3],
  [1, "linear", 0, 0.5],
  [1, "swish", 0.1, 1],
  [2, "linear", 0.2, 0.3],
  [2, "tanh", 0, 0.5],
  [2, "linear", 0.5, 1],
];

/** The probe's rows "beyond the paper". */
export const PROBE_CLAIMS: ClaimDefinition[] = [
  defineClaim({
    id: "VI-01",
    where: "Beyond the paper: §2 eq. (5), Prop. 1 — the probe on 1-D regression",
    claim:
      "At the interpolation minimum of 1-D regression (x = 0.3, 0.8, 1, 1.2, 3.1; S = 1 and 3; λ = 0.3, 0.9, 1.6), the probe's mean-square factor equals meanSquareFactor(x, λ, S) (criterion: max relative gap < 1e-12) and its exponent equals Part I's exact exponent (lyapunovExponent, minibatchLyapunovExponent) (criterion: every |gap| < 3 SE).",
    notebook: NOTEBOOK,
    measure() {
      // The probes of notebook 16's first table.
      let msGap = 0, zMax = 0;
      for (const { batchSize: S, probe } of probeRegression()) {
        for (const row of probe.rows) {
          const ms = meanSquareFactor(x1, row.lambda, S);
          const exact = S === 1
            ? lyapunovExponent(h1, row.lambda)
            : minibatchLyapunovExponent(h1, row.lambda, { batchSize: S }).value;
          msGap = Math.max(msGap, Math.abs(row.meanSquareFactor! - ms) / ms);
          zMax = Math.max(zMax, Math.abs(row.lyapunovExponent - exact) / row.standardError);
        }
      }
      return {
        measured: `max relative mean-square gap ${msGap.toExponential(1)}; max exponent gap ${fmt(zMax, 2)} SE`,
        values: { msGap, zMax },
      };
    },
    judge: ({ msGap, zMax }) =>
      agreeIf(msGap < 1e-12 && zMax < 3, "the mean-square gap is < 1e-12 (relative) and every exponent gap < 3 SE"),
  }),
  defineClaim({
    id: "VI-02",
    where: "Beyond the paper: §4.2, Prop. 2 — the probe at the saddle",
    claim:
      "At the §4.2 saddle ℓ = −χuw (χ ∈ {1, −0.5, 2, 0.3}, S = 1 and 2, λ ∈ {0.3, 0.9, 1.8}), the probe's two QR exponents equal Prop. 2's max and min of E log|1 ± λχ̄| (criterion: every |gap| < 3 SE).",
    notebook: NOTEBOOK,
    measure() {
      // The probes of notebook 16's saddle table.
      let zMax = 0;
      for (const { batchSize: S, probe } of probeSaddle()) {
        for (const row of probe.rows) {
          const e = saddleExponents(chi2, row.lambda, { batchSize: S });
          const exact = [Math.max(e.plus, e.minus), Math.min(e.plus, e.minus)];
          for (let k = 0; k < 2; k++) {
            zMax = Math.max(zMax, Math.abs(row.exponents[k] - exact[k]) / row.exponentErrors[k]);
          }
        }
      }
      return {
        measured: `max exponent gap ${fmt(zMax, 2)} SE over 12 exponents`,
        values: { zMax },
      };
    },
    judge: ({ zMax }) => agreeIf(zMax < 3, "every exponent gap is < 3 SE"),
  }),
  defineClaim({
    id: "VI-03",
    where: "Beyond the paper: §4.3 — the probe at the swish network's minimum A",
    claim:
      "At the minimum A (w < 0) of the §4.3 swish network (100 points, seed 119), SGD's linearization loses probabilistic stability (first λ of Figure 5's 19-point grid in [0.005, 3] with exponent > 2 SE) well before GD's λ_GD = 2/h (criterion: λ_prob < λ_GD / 2): a transition that 2/h misses.",
    notebook: NOTEBOOK,
    measure() {
      // The probe of notebook 16's §2 at A.
      const a = figure5Points(figure5Model())[0];
      const probe = swishProbe("A");
      const first = probe.rows.find((r) => r.verdict.probability === "unstable");
      const lp = first?.lambda ?? Infinity;
      return {
        measured: `A = (${fmt(a.u, 3)}, ${fmt(a.w, 3)}): λ_prob ≈ ${fmt(lp, 3)}, λ_GD = ${fmt(probe.lambdaGD, 3)}`,
        values: { lp, lambdaGD: probe.lambdaGD },
      };
    },
    judge: ({ lp, lambdaGD }) => agreeIf(lp < lambdaGD / 2, "λ_prob < λ_GD/2"),
  }),
  defineClaim({
    id: "VI-05",
    where: "Beyond the paper: §4.4 — the probe at the two-layer network's rank-0 saddle",
    claim:
      "At W = U = 0 of f(x) = Uσ(Wx) on the §4.4 data (x ~ N(0, I_d), y = μx + 2(1 − μ)ε, S = 1; d = 1 and 2; linear, tanh, swish; 7 (μ, λ) points), the probe's top exponent on 8 finite samples of 5,000 points equals saddleNetworkExponent's (fresh samples each step) (criterion: every |gap| < 3 combined SE, the probe's SE taken over the 8 samples).",
    notebook: NOTEBOOK,
    measure() {
      let zMax = 0;
      const signs: string[] = [];
      for (const [d, act, mu, lambda] of SADDLE_NETWORK_POINTS) {
        const c = saddleNetworkComparison(mu, lambda, { dimension: d, activation: act, seed: "VI-05" });
        zMax = Math.max(zMax, c.z);
        signs.push(`${fmt(c.probe, 3)}/${fmt(c.saddle, 3)}`);
      }
      return {
        measured: `probe/saddle exponents ${signs.join(", ")}; max gap ${fmt(zMax, 2)} combined SE`,
        values: { zMax },
      };
    },
    judge: ({ zMax }) => agreeIf(zMax < 3, "every gap is < 3 combined SE"),
  }),
  defineClaim({
    id: "VI-04",
    where: "Beyond the paper: Part V — the deep adapter's exact Hessian-vector product",
    claim:
      "The R-operator Hessian-vector product of a tanh MLP (12 → 8 → 6 → 4, 6 samples) equals the Richardson central difference of its gradient (criterion: max relative gap < 1e-8).",
    notebook: NOTEBOOK,
    measure() {
      const { relativeGap, parameters } = deepHvpCheck();
      return {
        measured: `max relative gap ${relativeGap.toExponential(1)} over ${parameters} parameters`,
        values: { relativeGap },
      };
    },
    judge: ({ relativeGap }) => agreeIf(relativeGap < 1e-8, "the max relative gap is < 1e-8"),
  }),
];

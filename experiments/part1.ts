/**
 * Part I of the paper (§2–§3.2, §4.1, App. A.1–A.2, A.4.1, Figure 2): the settings of Figure 2 and the figures `deno
 * task reproduce` writes. The claims are in `part1_claims.ts`.
 *
 * @module
 */

import {
  convergedFraction,
  criticalLearningRates,
  geomspace,
  lambdaDS,
  lambdaGD,
  lambdaSS,
  linspace,
  lyapunovExponent,
  type OutlierStabilityMap,
  outlierStabilityMap,
  plotConvergedFraction,
  plotLyapunovExponent,
  plotStabilityMap,
  plotThresholdsByBatchSize,
  plotTrajectories,
  randomNormal,
  simulateInterpolatingSGD,
  stabilityWindows,
} from "../mod.ts";
import { check } from "./checks.ts";
import { fmt, type NamedFigure } from "./claims.ts";

/** The settings of Figure 2 used by the notebooks and the reproduce CLI. */
export const FIGURE2 = {
  /** Dataset sizes of panels (a)–(c); panel (d) zooms into (c). */
  sizes: [10, 100, 1000],
  /** The seed of the standard-normal data x₂ … x_N. */
  seed: 1,
  /** The learning rates of panels (a)–(c). */
  lambdas: (): Float64Array => linspace(0.005, 4, 600),
  /** The learning rates of panel (d). */
  zoomLambdas: (): Float64Array => linspace(0.00001, 0.005, 600),
  /** The outlier sizes c = x₁². */
  outlierSizes: (): Float64Array => geomspace(1, 1e4, 400),
} as const;

/** The Figure 2 map for a dataset of N points: N − 1 standard normals (seeded) and one outlier. */
export function figure2Map(n: number, zoom = false): OutlierStabilityMap {
  check.integerInRange("figure2Map", "n", n, 2, 1e7);
  check.boolean("figure2Map", "zoom", zoom);
  return outlierStabilityMap(randomNormal(n - 1, { seed: FIGURE2.seed }), {
    lambdas: zoom ? FIGURE2.zoomLambdas() : FIGURE2.lambdas(),
    outlierSizes: FIGURE2.outlierSizes(),
  });
}

const sq = (x: ArrayLike<number>) => Array.from(x, (v) => v * v);

/**
 * Prop. 3 at a critical learning rate (notebook 02 and claim I-07 use the same runs): x = {0.5, 1, 1.5, 2}, λ = 1/0.5² = 4
 * makes 1 − λx² = 0 for the first point, so each step lands on w* with probability 1/N.
 */
export const PROP3 = {
  /** The data. */
  x: [0.5, 1, 1.5, 2],
  /** The learning rate 1/x₁². */
  lambda: 4,
  /** Steps per run. */
  steps: 30,
  /** Independent runs. */
  trajectories: 50_000,
  /** The seed. */
  seed: 2,
} as const;

/** One step of {@linkcode prop3Experiment}: the fraction of runs not yet at w*, the bound and its standard error. */
export interface Prop3Row {
  /** The step t. */
  t: number;
  /** The fraction of runs with w_t ≠ w* (v_t ≠ 0 exactly). */
  measured: number;
  /** The bound (1 − 1/N)^t. */
  bound: number;
  /** The binomial standard error of a fraction equal to the bound. */
  se: number;
  /** (measured − bound)/se (0 at t = 0). */
  z: number;
}

let prop3Cache:
  | { run: ReturnType<typeof simulateInterpolatingSGD>; converged: Float64Array; rows: Prop3Row[] }
  | undefined;

/**
 * Runs {@linkcode PROP3} (once; later calls return the same runs): {@linkcode PROP3}.trajectories runs of
 * simulateInterpolatingSGD from v₀ = 1, the fraction of runs with v_t = 0 exactly, and per step t the fraction not yet
 * converged against the bound (1 − 1/N)^t.
 *
 * @example The first step
 * ```ts
 * import assert from "node:assert/strict";
 * import { prop3Experiment } from "@probstab/sgd/experiments";
 * const { rows } = prop3Experiment();
 * assert(Math.abs(rows[1].measured - 0.75) < 4 * rows[1].se);
 * ```
 */
export function prop3Experiment(): {
  run: ReturnType<typeof simulateInterpolatingSGD>;
  converged: Float64Array;
  rows: Prop3Row[];
} {
  if (prop3Cache) return prop3Cache;
  const { x, lambda, steps, trajectories: n, seed } = PROP3;
  const run = simulateInterpolatingSGD(sq(x), lambda, { steps, trajectories: n, v0: 1, seed });
  const converged = convergedFraction(run, Number.MIN_VALUE);
  const rows = Array.from(run.times, (t, j) => {
    const bound = (1 - 1 / x.length) ** t, se = Math.sqrt(bound * (1 - bound) / n);
    return { t, measured: 1 - converged[j], bound, se, z: se > 0 ? (1 - converged[j] - bound) / se : 0 };
  });
  prop3Cache = { run, converged: Float64Array.from(converged), rows };
  return prop3Cache;
}

/**
 * Prop. 1 checked by simulation (notebook 03 and claims I-11 and I-12 use the same runs): Gaussian N = 20 (seed 2),
 * 500 runs × 4000 steps (seed 4) at six learning rates on both sides of m = 0.
 */
export const PROP1 = {
  /** Dataset size and seed of the standard-normal x. */
  size: 20,
  /** The seed of the data. */
  dataSeed: 2,
  /** The learning rates. */
  lambdas: [1, 2.5, 2.85, 3.5, 3.95, 5],
  /** Steps per run. */
  steps: 4000,
  /** Runs per learning rate. */
  trajectories: 500,
  /** Record every this many steps. */
  recordEvery: 40,
  /** The seed of the runs. */
  seed: 4,
} as const;

/** One learning rate of {@linkcode prop1Runs}. */
export interface Prop1Series {
  /** The learning rate. */
  l: number;
  /** m = E log|1 − λx²|. */
  m: number;
  /** The recorded steps. */
  times: Float64Array;
  /** The fraction of runs with |w_t − w*| < 10⁻⁶ at each recorded step. */
  fraction: Float64Array;
}

let prop1Cache: Prop1Series[] | undefined;

/**
 * Runs {@linkcode PROP1} (once; later calls return the same runs): per learning rate, m and the fraction of the runs
 * within 10⁻⁶ of w* at each recorded step.
 *
 * @example Prop. 1 at λ = 1 (m < 0): every run converges
 * ```ts
 * import assert from "node:assert/strict";
 * import { prop1Runs } from "@probstab/sgd/experiments";
 * const s = prop1Runs().find((r) => r.l === 1)!;
 * assert(s.m < 0 && s.fraction[s.fraction.length - 1] === 1);
 * ```
 */
export function prop1Runs(): Prop1Series[] {
  if (prop1Cache) return prop1Cache;
  const h = sq(randomNormal(PROP1.size, { seed: PROP1.dataSeed }));
  const { steps, trajectories, recordEvery, seed } = PROP1;
  prop1Cache = PROP1.lambdas.map((l) => {
    const run = simulateInterpolatingSGD(h, l, { steps, trajectories, recordEvery, seed });
    return {
      l,
      m: lyapunovExponent(h, l),
      times: run.times,
      fraction: Float64Array.from(convergedFraction(run, 1e-6)),
    };
  });
  return prop1Cache;
}

/** The Part I figures, built one by one (each step reported through `onProgress`). */
export function* part1Figures(): Generator<NamedFigure> {
  const panels = ["a", "b", "c"];
  for (const [i, n] of FIGURE2.sizes.entries()) {
    yield {
      name: `figure2${panels[i]}_outlier_stability_N${n}`,
      caption: `Figure 2(${panels[i]}): stability against one outlier, N = ${n}`,
      figure: plotStabilityMap(figure2Map(n), { title: `Figure 2(${panels[i]}): N = ${n}` }),
    };
  }
  const last = FIGURE2.sizes[FIGURE2.sizes.length - 1];
  yield {
    name: `figure2d_outlier_stability_N${last}_zoom`,
    caption: `Figure 2(d): zoom of (c) at small learning rates`,
    figure: plotStabilityMap(figure2Map(last, true), { title: `Figure 2(d): N = ${last}, small learning rates` }),
  };
  const g = randomNormal(1000, { seed: 2 });
  yield {
    name: "thresholds_by_batch_size",
    caption: "λ_GD, λ_DS (derived and printed) and λ_SS against the batch size, Gaussian data",
    figure: plotThresholdsByBatchSize(g, { title: "Linear-stability thresholds against the batch size" }),
  };
  const x = randomNormal(20, { seed: 2 });
  const h = sq(x);
  const lambdas = linspace(0, 8, 1600);
  yield {
    name: "lyapunov_exponent_gaussian_N20",
    caption: "m(λ) for 20 Gaussian points, with λ_GD, λ_DS, λ_SS and the critical rates 1/x_i²",
    figure: plotLyapunovExponent({ lambdas, m: lambdas.map((l) => lyapunovExponent(h, l)) }, {
      title: "Lyapunov exponent m(λ), N = 20",
      thresholds: { "λ_DS": lambdaDS(x), "λ_SS": lambdaSS(x), "λ_GD": lambdaGD(x) },
      criticalRates: criticalLearningRates(x),
      windows: stabilityWindows(h, { lambdaMax: 8 }),
    }),
  };
  const critical = [0.5, 1, 1.5, 2];
  yield {
    name: "trajectories_critical_learning_rate",
    caption: "Prop. 3: trajectories at λ = 1/x_i² (x = {0.5, 1, 1.5, 2}, λ = 4)",
    figure: plotTrajectories(
      simulateInterpolatingSGD(sq(critical), 4, { steps: 40, trajectories: 200, seed: 1 }),
      { title: "At λ = 1/x_i² every trajectory lands on w*", maxTrajectories: 60 },
    ),
  };
  const series = [1.5, 2.5, 3.5, 5].map((l) => {
    const run = simulateInterpolatingSGD(h, l, { steps: 2000, trajectories: 400, recordEvery: 20, seed: 4 });
    return {
      label: `λ = ${l}, m = ${fmt(lyapunovExponent(h, l), 3)}`,
      times: run.times,
      fraction: convergedFraction(run, 1e-6),
    };
  });
  yield {
    name: "converged_fraction_gaussian_N20",
    caption: "Prop. 1: P(|w_t − w*| < 10⁻⁶) against t for four learning rates",
    figure: plotConvergedFraction(series, { title: "Convergence in probability follows the sign of m" }),
  };
}

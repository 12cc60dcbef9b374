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

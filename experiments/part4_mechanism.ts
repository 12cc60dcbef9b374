/**
 * Part IV, beyond the paper: why the tanh network of §4.4 keeps its rank (the explanation of claim IV-14, issue 14).
 * With an elementwise nonlinearity the only exactly low-rank states are dead units; tanh's cubic term leaks into the
 * collapsed directions and puts a floor under the small singular values of U. Two experiments: (a) the floor under a
 * scaled tanh σ(z) = tanh(κz)/κ as κ → 0 (the linear network in the limit); (b) hidden units shrunk near zero after
 * training, then trained on: do they regrow? Pure functions of their settings and seeds.
 *
 * @module
 */

import {
  createTwoLayerNetwork,
  type Figure,
  numericalRank,
  Plot,
  plotDocument,
  trainedRank,
  trainTwoLayerNetwork,
  type TwoLayerNetwork,
} from "../mod.ts";
import { array, check, floorRuns, regrowthCell, regrowthCells, text } from "./checks.ts";
import { agreeIf, type ClaimDefinition, defineClaim, fmt, type NamedFigure } from "./claims.ts";

/** Experiment (a): one low-rank cell of the linear network at d = 20 (the notebook sweep's cell and steps). */
export const FLOOR = {
  dimension: 20,
  mu: 0.05,
  lambda: 0.15,
  steps: 10_000,
  /** The scales κ of σ(z) = tanh(κz)/κ (κ = 1 is tanh). */
  scales: [3, 1, 0.3, 0.1],
  seeds: ["fig7", "mech/1", "mech/2"],
} as const;

/** One trained network of experiment (a). */
export interface FloorRun {
  /** "linear" or "tanh". */
  activation: "linear" | "tanh";
  /** κ, or NaN for the linear network. */
  kappa: number;
  /** The seed. */
  seed: string;
  /** The numerical rank of U (relative tolerance 1e-3). */
  rank: number;
  /** The singular values of U divided by the largest, descending. */
  normalized: number[];
  /**
   * The floor: the median of σᵢ/σ_max over the d − r smallest singular values, r the rank of the linear network at
   * the same seed (the directions the linear network collapses).
   */
  floor: number;
}

/**
 * Experiment (a): trains the linear network and the scaled tanh networks σ(z) = tanh(κz)/κ, κ ∈ `FLOOR.scales`, at
 * one low-rank cell of the linear network, for each seed, and measures the floor of the small singular values.
 *
 * @param settings The cell, steps, scales and seeds.
 * @returns One run per seed and activation, the linear network first.
 */
export function activationFloors(
  settings: {
    dimension: number;
    mu: number;
    lambda: number;
    steps: number;
    scales: readonly number[];
    seeds: readonly string[];
  } = FLOOR,
): FloorRun[] {
  const fn = "activationFloors";
  check.object(fn, "settings", settings);
  check.integerInRange(fn, "settings.dimension", settings.dimension, 1, 4096);
  check.finiteNumber(fn, "settings.mu", settings.mu);
  check.learningRate(fn, "settings.lambda", settings.lambda);
  check.integerInRange(fn, "settings.steps", settings.steps, 1, 1e8);
  check.finiteArray(fn, "settings.scales", settings.scales).forEach((k, i) =>
    check.positiveNumber(fn, `settings.scales[${i}]`, k)
  );
  array(fn, "settings.seeds", settings.seeds).forEach((s, i) => text(fn, `settings.seeds[${i}]`, s));
  const { dimension: d, mu, lambda, steps } = settings;
  return settings.seeds.flatMap((seed) => {
    const run = (kappa: number) => {
      const o = trainedRank({
        mu,
        lambda,
        dimension: d,
        steps,
        seed,
        ...(Number.isNaN(kappa) ? {} : { activation: "tanh" as const, activationScale: kappa }),
      });
      const s = o.singularValues;
      return { kappa, rank: o.rank, normalized: s.map((v) => v / s[0]) };
    };
    const runs = [run(NaN), ...settings.scales.map(run)];
    const collapsed = d - runs[0].rank;
    return runs.map((r) => {
      const tail = r.normalized.slice(d - Math.max(collapsed, 1)).sort((a, b) => a - b);
      const floor = tail.length % 2
        ? tail[(tail.length - 1) / 2]
        : (tail[tail.length / 2 - 1] + tail[tail.length / 2]) / 2;
      return { activation: Number.isNaN(r.kappa) ? "linear" : "tanh", seed, floor, ...r } as FloorRun;
    });
  });
}

/** Experiment (a) summarized per activation over the seeds. */
export interface FloorSummary {
  /** "linear" or "tanh(κz)/κ, κ = …". */
  label: string;
  /** κ (NaN: linear). */
  kappa: number;
  /** The geometric mean of the floors over the seeds. */
  floor: number;
  /** The smallest and largest floor. */
  floorRange: [number, number];
  /** The ranks, one per seed. */
  ranks: number[];
  /** The median rank. */
  medianRank: number;
}

/**
 * Summarizes {@linkcode activationFloors} per activation.
 *
 * @param runs The runs.
 * @returns One row per activation, in the order of the runs.
 */
export function floorSummary(runs: FloorRun[]): FloorSummary[] {
  floorRuns("floorSummary", runs);
  const kappas = [...new Set(runs.map((r) => String(r.kappa)))];
  return kappas.map((k) => {
    const v = runs.filter((r) => String(r.kappa) === k);
    const floors = v.map((r) => r.floor);
    const ranks = v.map((r) => r.rank);
    const sorted = [...ranks].sort((a, b) => a - b);
    const kappa = v[0].kappa;
    return {
      label: Number.isNaN(kappa) ? "linear" : kappa === 1 ? "tanh (κ = 1)" : `tanh(κz)/κ, κ = ${kappa}`,
      kappa,
      floor: Math.exp(floors.reduce((a, f) => a + Math.log(Math.max(f, 1e-300)), 0) / floors.length),
      floorRange: [Math.min(...floors), Math.max(...floors)],
      ranks,
      medianRank: sorted[Math.floor((sorted.length - 1) / 2)],
    };
  });
}

/** The settings of experiment (b). */
export interface RegrowthSettings {
  /** d (inputs = hidden = outputs). */
  dimension: number;
  /** μ. */
  mu: number;
  /** λ (loss ‖f − y‖²/d, as in the sweep). */
  lambda: number;
  /** The training steps before shrinking. */
  trainSteps: number;
  /** How many hidden units to shrink (units 0…k−1). */
  shrunk: number;
  /** The factor applied to their rows of W and columns of U. */
  factor: number;
  /** The steps trained after shrinking. */
  regrowSteps: number;
  /** Record every this many steps. */
  every: number;
  /** The seed (weights `${seed}/init`, data `${seed}/data`, then `${seed}/regrow/t`). */
  seed: string;
}

/** Experiment (b) at d = 20: four cells of the tanh network, 5 of 20 units shrunk by 1e-2. */
export const REGROWTH_CELLS: readonly RegrowthSettings[] = [[0.05, 0.1], [0.05, 0.25], [0.15, 0.1], [0.15, 0.25]].map((
  [mu, lambda],
) => ({
  dimension: 20,
  mu,
  lambda,
  trainSteps: 10_000,
  shrunk: 5,
  factor: 1e-2,
  regrowSteps: 10_000,
  every: 250,
  seed: "fig7",
}));

/** Experiment (b) at the paper's size: d = 200, λ = 0.15, μ = 0.05, 20 units shrunk by 1e-2 (about 5 s). */
export const REGROWTH_LARGE: RegrowthSettings = {
  dimension: 200,
  mu: 0.05,
  lambda: 0.15,
  trainSteps: 40_000,
  shrunk: 20,
  factor: 1e-2,
  regrowSteps: 20_000,
  every: 2000,
  seed: "fig7",
};

/** What experiment (b) measures. */
export interface Regrowth {
  /** The settings. */
  settings: RegrowthSettings;
  /** The rank of U after training, before shrinking. */
  rankBefore: number;
  /** The mean norm ‖(Wᵢ, U·ᵢ)‖ of the units to be shrunk, before shrinking. */
  normBefore: number;
  /** The median norm of the other units, before shrinking. */
  normOthers: number;
  /** The steps after the shrink at which the values below were recorded (0: right after shrinking). */
  times: number[];
  /** The mean norm of the shrunk units divided by `normBefore`. */
  norms: number[];
  /** The rank of U. */
  ranks: number[];
  /** The first recorded step at which the shrunk units are back to half their norm (NaN: not within the run). */
  halfTime: number;
}

function unitNorm(net: TwoLayerNetwork, i: number): number {
  let s = 0;
  for (let j = 0; j < net.inputs; j++) s += net.W[i * net.inputs + j] ** 2;
  for (let k = 0; k < net.outputs; k++) s += net.U[k * net.hidden + i] ** 2;
  return Math.sqrt(s);
}

/**
 * Experiment (b): trains a d → d → d tanh network on the §4.4 task (loss ‖f − y‖²/d), multiplies the rows of W and
 * the columns of U of the first k hidden units by `factor`, and trains on, recording the shrunk units' norm and the
 * rank of U.
 *
 * @param settings The cell, sizes and schedule.
 * @returns The norms and ranks over the steps after the shrink.
 */
export function regrowth(settings: RegrowthSettings): Regrowth {
  const fn = "regrowth";
  check.object(fn, "settings", settings);
  const dimension = check.integerInRange(fn, "settings.dimension", settings.dimension, 1, 4096);
  check.finiteNumber(fn, "settings.mu", settings.mu);
  check.learningRate(fn, "settings.lambda", settings.lambda);
  check.integerInRange(fn, "settings.trainSteps", settings.trainSteps, 1, 1e8);
  check.integerInRange(fn, "settings.shrunk", settings.shrunk, 1, dimension);
  check.positiveNumber(fn, "settings.factor", settings.factor);
  check.integerInRange(fn, "settings.regrowSteps", settings.regrowSteps, 1, 1e8);
  check.integerInRange(fn, "settings.every", settings.every, 1, settings.regrowSteps);
  text(fn, "settings.seed", settings.seed);
  const { dimension: d, mu, lambda, shrunk: k, seed } = settings;
  const data = { kind: "gaussian" as const, mu };
  const opts = { lambda, reduction: "mean" as const };
  const start = createTwoLayerNetwork({ inputs: d, activation: "tanh", initScale: 0.01, seed: `${seed}/init` });
  let net = trainTwoLayerNetwork(start, data, { ...opts, steps: settings.trainSteps, seed: `${seed}/data` }).network;
  const rank = () => numericalRank(net.U, d, d);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const shrunkNorm = () => mean(Array.from({ length: k }, (_, i) => unitNorm(net, i)));
  const rankBefore = rank();
  const normBefore = shrunkNorm();
  const others = Array.from({ length: d - k }, (_, i) => unitNorm(net, i + k)).sort((a, b) => a - b);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < d; j++) net.W[i * d + j] *= settings.factor;
    for (let o = 0; o < d; o++) net.U[o * d + i] *= settings.factor;
  }
  const times = [0], norms = [shrunkNorm() / normBefore], ranks = [rank()];
  for (let t = settings.every; t <= settings.regrowSteps; t += settings.every) {
    net = trainTwoLayerNetwork(net, data, { ...opts, steps: settings.every, seed: `${seed}/regrow/${t}` }).network;
    times.push(t);
    norms.push(shrunkNorm() / normBefore);
    ranks.push(rank());
  }
  const half = norms.findIndex((v) => v >= 0.5);
  return {
    settings,
    rankBefore,
    normBefore,
    normOthers: others[Math.floor((others.length - 1) / 2)],
    times,
    norms,
    ranks,
    halfTime: half < 0 ? NaN : times[half],
  };
}

/** The Okabe–Ito palette (colour-blind safe). */
const OKABE_ITO = ["#000000", "#E69F00", "#56B4E9", "#009E73", "#D55E00", "#0072B2", "#CC79A7"];

/**
 * Figure of experiment (a): the normalized spectra of U per activation, for the first seed.
 *
 * @param runs Experiment (a).
 * @returns The named figure.
 */
export function floorFigure(runs: FloorRun[]): NamedFigure {
  floorRuns("floorFigure", runs);
  const seed = runs[0].seed;
  const s = FLOOR;
  const spectra = runs.filter((r) => r.seed === seed).flatMap((r) =>
    r.normalized.map((v, i) => ({
      i: i + 1,
      v: Math.max(v, 1e-12),
      a: Number.isNaN(r.kappa) ? "linear" : `κ = ${r.kappa}`,
    }))
  );
  const labels = [...new Set(spectra.map((p) => p.a))];
  return {
    name: "mechanism1_scaled_tanh_floor",
    caption:
      "Beyond the paper (IV-19): normalized singular values of U for the linear network and σ(z) = tanh(κz)/κ; dashed: the rank tolerance 1e-3",
    figure: Plot.plot({
      document: plotDocument(),
      width: 600,
      height: 320,
      title: `σᵢ/σ_max of U, tanh(κz)/κ vs linear (d = ${s.dimension}, μ = ${s.mu}, λ = ${s.lambda})`,
      y: { type: "log", label: "↑ σᵢ / σ_max (0 drawn at 1e-12)", grid: true, tickFormat: ".0e" },
      x: { label: "index i →" },
      color: { legend: true, domain: labels, range: OKABE_ITO.slice(0, labels.length), label: "activation" },
      marks: [
        Plot.line(spectra, { x: "i", y: "v", stroke: "a" }),
        Plot.dot(spectra, { x: "i", y: "v", stroke: "a", symbol: "a" }),
        Plot.ruleY([1e-3], { strokeDasharray: "4 3" }),
      ],
    }) as Figure,
  };
}

/**
 * Figure of experiment (b): the shrunk units' norm (relative to before the shrink) over the steps after it.
 *
 * @param cells Experiment (b), any number of cells.
 * @returns The named figure.
 */
export function regrowthFigure(cells: Regrowth[]): NamedFigure {
  regrowthCells("regrowthFigure", "cells", cells);
  const curves = cells.flatMap((c) =>
    c.times.map((t, j) => ({
      t,
      v: Math.max(c.norms[j], 1e-4),
      c: `d = ${c.settings.dimension}, μ = ${c.settings.mu}, λ = ${c.settings.lambda}`,
    }))
  );
  const names = [...new Set(curves.map((p) => p.c))];
  return {
    name: "mechanism2_unit_regrowth",
    caption:
      "Beyond the paper (IV-20): tanh units shrunk by 1e-2 after training regrow; dashed: half their norm before the shrink",
    figure: Plot.plot({
      document: plotDocument(),
      width: 600,
      height: 320,
      title: "Shrunk tanh units regrow (shrunk by 1e-2 after training)",
      y: { type: "log", label: "↑ norm of the shrunk units / before shrinking", grid: true, tickFormat: ".0e" },
      x: { label: "steps after the shrink →" },
      color: { legend: true, domain: names, range: OKABE_ITO.slice(1, names.length + 1), label: "cell" },
      marks: [Plot.line(curves, { x: "t", y: "v", stroke: "c" }), Plot.ruleY([0.5], { strokeDasharray: "4 3" })],
    }) as Figure,
  };
}

/**
 * The two figures of the mechanism, for `deno task reproduce`.
 *
 * @param runs Experiment (a).
 * @param cells Experiment (b), any number of cells.
 * @yields {@linkcode floorFigure} and {@linkcode regrowthFigure}.
 */
export function* mechanismFigures(runs: FloorRun[], cells: Regrowth[]): Generator<NamedFigure> {
  floorRuns("mechanismFigures", runs);
  regrowthCells("mechanismFigures", "cells", cells);
  yield floorFigure(runs);
  yield regrowthFigure(cells);
}

/**
 * The claim rows of the mechanism (beyond the paper: the explanation of IV-14).
 *
 * @param runs Experiment (a).
 * @param cells Experiment (b) at d = 20.
 * @param large Experiment (b) at d = 200 (optional).
 * @returns IV-19 and IV-20.
 */
export function part4MechanismClaims(runs: FloorRun[], cells: Regrowth[], large?: Regrowth): ClaimDefinition[] {
  floorRuns("part4MechanismClaims", runs);
  regrowthCells("part4MechanismClaims", "cells", cells);
  if (large !== undefined) regrowthCell("part4MechanismClaims", "large", large);
  const d = FLOOR.dimension;
  return [
    defineClaim({
      id: "IV-19",
      where: "§4.4, Figure 8 (beyond the paper: why IV-14 disagrees)",
      claim:
        "tanh's cubic term puts a floor under the small singular values of U (≈1e-3–5e-2 of σ_max vs ≈1e-8 linear); with σ(z) = tanh(κz)/κ the floor falls as κ → 0 and the rank drops (issue 14)",
      notebook: "13_low_rank_phase_diagrams",
      measure() {
        const rows = floorSummary(runs);
        const lin = rows[0], at = (k: number) => rows.find((r) => r.kappa === k)!;
        const floors = {
          linearMax: lin.floorRange[1],
          k01: at(0.1).floor,
          k03: at(0.3).floor,
          k1: at(1).floor,
          k3: at(3).floor,
        };
        const ranks = { k01: at(0.1).medianRank, k1: at(1).medianRank };
        return {
          measured: `d = ${d}, μ = ${FLOOR.mu}, λ = ${FLOOR.lambda}, ${FLOOR.steps} steps, ${
            runs.length / rows.length
          } seeds: floor (median σᵢ/σ_max over the directions the linear net collapses; geometric mean) and rank: ${
            rows.map((r) => `${r.label}: ${fmt(r.floor, 2)}, rank ${r.ranks.join("/")}`).join("; ")
          }`,
          values: { floors, ranks, d },
        };
      },
      judge: ({ floors: f, ranks: r, d }) =>
        agreeIf(
          f.linearMax < 1e-6 && f.k1 >= 1e-3 && f.k3 >= 1e-3 && f.k01 < f.k03 && f.k03 < f.k1 && r.k01 < r.k1 &&
            r.k01 <= 0.9 * d,
          "the linear floor is < 1e-6, the floor at κ ≥ 1 is ≥ 1e-3 and falls from κ = 1 to 0.3 to 0.1, and the median " +
            "rank at κ = 0.1 is ≤ 0.9d and below tanh's",
        ),
    }),
    defineClaim({
      id: "IV-20",
      where: "§4.4 (beyond the paper: why IV-14 disagrees)",
      claim:
        "Hidden tanh units forced near zero after training regrow to order one within 2–5k steps, and the rank of U comes back (d = 200: 20 units, rank 180 → 198) (issue 14)",
      notebook: "13_low_rank_phase_diagrams",
      measure() {
        const all = large ? [...cells, large] : cells;
        const grows = (c: Regrowth) => c.norms[c.norms.length - 1] >= 10 * c.norms[0];
        const back = (c: Regrowth) => c.ranks[c.ranks.length - 1] >= Math.min(c.rankBefore, c.settings.dimension - 1);
        return {
          measured:
            `units shrunk by 1e-2 (norm after the shrink → after n steps, relative to before; steps to half; rank before → after the shrink → end): ${
              all.map((c) =>
                `d = ${c.settings.dimension}, ${c.settings.shrunk} units, μ = ${c.settings.mu}, λ = ${c.settings.lambda}: ${
                  fmt(c.norms[0], 2)
                } → ${fmt(c.norms[c.norms.length - 1], 2)} after ${c.times[c.times.length - 1]}, half at ${
                  Number.isNaN(c.halfTime) ? `> ${c.times[c.times.length - 1]}` : c.halfTime
                }; rank ${c.rankBefore} → ${c.ranks[0]} → ${c.ranks[c.ranks.length - 1]}`
              ).join("; ")
            }`,
          values: { grows: all.map(grows), back: all.map(back) },
        };
      },
      judge: ({ grows, back }) =>
        agreeIf(
          grows.every(Boolean) && back.every(Boolean),
          "every shrunk norm grows ≥ 10× and the rank returns to ≥ min(rank before, d − 1)",
        ),
    }),
  ];
}

/**
 * Part V of the paper at CPU scale (Figure 1(c), the end of §4.4, App. B.4, Figures 9–12): deep networks on
 * real MNIST digits with label noise — the grids, the claims checked by the toolkit and the figures
 * `deno task reproduce` writes. Notebook 14 walks through the same computations at the notebook's size;
 * `deno task reproduce --full` (or `deno task sweep --size deep-full`) runs the full grids.
 *
 * @module
 */

import {
  type DeepExperiment,
  type DeepOutcome,
  gaussianPhaseDiagram,
  geomspace,
  linspace,
  plotRankDiagram,
  type RankBoundary,
  type RankDiagram,
  runSweep,
  type SweepCell,
  sweepKey,
  type SweepOptions,
} from "../mod.ts";
import { type ClaimDefinition, fmt } from "./claims.ts";
import type { NamedFigure } from "./part1.ts";
import { batchSizeFigure, NETWORK_SIZES, type NetworkResults } from "./part4.ts";
import { readCache } from "./sweep_cache.ts";

// ---------------------------------------------------------------------------------------------------------
// The model and the grids

/**
 * The model of every Part V run: MNIST 28 × 28 → 128 → 128 → 64 → 10, relu, He initialization, softmax
 * cross-entropy; 9,000 training digits and 1,000 held-out digits (split seed 0); the rank of the 64-wide
 * penultimate representation of the 1,000 held-out digits at relative tolerance 10⁻³; sparsity = fraction of
 * |w| < 10⁻³. Chosen by measurement (README, notebook 14): a conv net was not needed to see the effect, and
 * this MLP trains at ≈ 2–3 ms per step of 32 images on one core.
 */
export const DEEP_MODEL = {
  hidden: [128, 128, 64],
  activation: "relu",
  pool: 1,
  testSize: 1000,
  splitSeed: 0,
  relativeTolerance: 1e-3,
  sparsityThreshold: 1e-3,
} as const satisfies Partial<DeepExperiment>;

/** The width of the penultimate representation. */
export const PENULTIMATE = DEEP_MODEL.hidden[DEEP_MODEL.hidden.length - 1];

/** The grid sizes: the notebook's (about a minute on 2 cores) and the full one (`reproduce --full`). */
export const DEEP_SIZES = {
  "deep-notebook": {
    steps: 1000,
    lambdas: linspace(0.3, 1.2, 4),
    noises: linspace(0, 0.9, 3),
    batch: { batchSizes: [8, 32, 128], learningRate: 0.6, noises: [0.9] },
  },
  "deep-full": {
    steps: 3000,
    lambdas: linspace(0.15, 1.2, 8),
    noises: linspace(0, 0.9, 7),
    batch: { batchSizes: [4, 8, 16, 32, 64, 128], learningRate: 0.6, noises: [0.45, 0.9] },
  },
} as const;

/** A grid size name. */
export type DeepSize = keyof typeof DEEP_SIZES;

/**
 * The panels: SGD with dynamic label noise (Figure 1(c1)), Adam (Figure 1(c4); its learning rate is λ/50 —
 * Adam's step per coordinate is about its learning rate whatever the gradient's scale, measured: 0.002–0.024
 * spans its transition), and SGD with static noise (Figures 10–11).
 */
export const DEEP_PANELS: ReadonlyArray<
  { name: string; optimizer: "sgd" | "adam"; noiseKind: "dynamic" | "static"; lambdaScale: number }
> = [
  { name: "sgd", optimizer: "sgd", noiseKind: "dynamic", lambdaScale: 1 },
  { name: "adam", optimizer: "adam", noiseKind: "dynamic", lambdaScale: 1 / 50 },
  { name: "static", optimizer: "sgd", noiseKind: "static", lambdaScale: 1 },
];

/** The experiment of one grid cell. */
export function deepExperiment(
  size: DeepSize,
  settings: Pick<DeepExperiment, "learningRate" | "labelNoise"> & Partial<DeepExperiment>,
): DeepExperiment {
  return { ...DEEP_MODEL, hidden: [...DEEP_MODEL.hidden], steps: DEEP_SIZES[size].steps, seed: "fig1c", ...settings };
}

/** The cells of one panel, row-major: noise rows × λ columns. */
export function deepCells(size: DeepSize, panel: (typeof DEEP_PANELS)[number]): SweepCell[] {
  const s = DEEP_SIZES[size];
  return Array.from(s.noises).flatMap((labelNoise) =>
    Array.from(s.lambdas).map((lambda) => ({
      kind: "deepNetwork" as const,
      experiment: deepExperiment(size, {
        learningRate: lambda * panel.lambdaScale,
        labelNoise,
        optimizer: panel.optimizer,
        noiseKind: panel.noiseKind,
      }),
    }))
  );
}

/** The cells of the batch-size experiment (Figure 12): SGD, dynamic noise, fixed λ and number of steps. */
export function deepBatchCells(size: DeepSize): SweepCell[] {
  const b = DEEP_SIZES[size].batch;
  return b.noises.flatMap((labelNoise) =>
    b.batchSizes.map((batchSize) => ({
      kind: "deepNetwork" as const,
      experiment: deepExperiment(size, { learningRate: b.learningRate, labelNoise, batchSize, seed: "fig12" }),
    }))
  );
}

/**
 * The two readings of "label noise" (§4.4: a label "is flipped to a random label"; App. B.4: "reselecting the
 * label from a uniform distribution"), compared at the largest noise and the smallest λ of the grid: the
 * grid itself uses App. B.4's (`relabel: "uniform"`); these cells use §4.4's (`"other"`), static and dynamic.
 */
export function deepRelabelCells(size: DeepSize): SweepCell[] {
  const s = DEEP_SIZES[size];
  return (["static", "dynamic"] as const).map((noiseKind) => ({
    kind: "deepNetwork" as const,
    experiment: deepExperiment(size, {
      learningRate: s.lambdas[0],
      labelNoise: s.noises[s.noises.length - 1],
      noiseKind,
      relabel: "other",
    }),
  }));
}

/** Every cell of one size (for the sweep CLI and sharding). */
export function deepNetworkCells(size: DeepSize): SweepCell[] {
  return [...DEEP_PANELS.flatMap((p) => deepCells(size, p)), ...deepBatchCells(size), ...deepRelabelCells(size)];
}

/** All results of the Part V grids at one size. */
export interface DeepResults {
  size: DeepSize;
  panels: Record<string, DeepOutcome[]>;
  batch: DeepOutcome[];
  /** The cells of {@linkcode deepRelabelCells}: static, then dynamic noise with §4.4's relabeling. */
  relabel: DeepOutcome[];
}

/** Runs (or reads from `options.known`) every cell of one size. */
export async function deepResults(size: DeepSize, options: SweepOptions = {}): Promise<DeepResults> {
  const groups = DEEP_PANELS.map((p) => [p.name, deepCells(size, p)] as const);
  const batchCells = deepBatchCells(size);
  const relabelCells = deepRelabelCells(size);
  const results = await runSweep([...groups.flatMap(([, c]) => c), ...batchCells, ...relabelCells], options);
  if (results.some((r) => r === undefined)) {
    throw new RangeError("Invalid options.shard in deepResults: a figure needs every cell.");
  }
  let o = 0;
  const take = (n: number) => results.slice(o, o += n) as DeepOutcome[];
  const panels: Record<string, DeepOutcome[]> = {};
  for (const [name, cells] of groups) panels[name] = take(cells.length);
  const batch = take(batchCells.length);
  return { size, panels, batch, relabel: take(relabelCells.length) };
}

/**
 * The results of one size from the sweep cache alone (`<out>/sweeps/<size>*.jsonl`), computing nothing:
 * undefined when a cell is missing. `seconds` is the total compute time of the cached cells (one core each).
 */
export async function cachedDeepResults(
  size: DeepSize,
  out = "figures",
): Promise<(DeepResults & { seconds: number }) | undefined> {
  const known = await readCache(out, size);
  if (deepNetworkCells(size).some((c) => !known.has(sweepKey(c)))) return undefined;
  return { ...(await deepResults(size, { known, workers: 1 })), seconds: known.seconds };
}

// ---------------------------------------------------------------------------------------------------------
// Reading the grids

/** "Low rank" in Part V: at most half of the penultimate representation's 64 directions left. */
export const DEEP_LOW_RANK = 0.5;

/** Whether a run ended with a low-rank representation; false for a diverged run. */
export function isDeepLowRank(r: DeepOutcome): boolean {
  return !r.diverged && r.rank <= DEEP_LOW_RANK * PENULTIMATE;
}

/** A measurement of one panel as a {@linkcode RankDiagram} (rows = noise levels; NaN for diverged runs). */
export function deepDiagram(
  size: DeepSize,
  outcomes: DeepOutcome[],
  field: "rank" | "testAccuracy" | "deadUnits" | "effectiveRank" | { sparsity: number } = "rank",
  lambdaScale = 1,
): RankDiagram {
  const s = DEEP_SIZES[size];
  const value = (r: DeepOutcome) =>
    r.diverged ? NaN : typeof field === "string" ? r[field] : r.sparsity[field.sparsity];
  return {
    lambdas: Float64Array.from(s.lambdas, (l) => l * lambdaScale),
    mus: s.noises,
    values: outcomes.map(value),
    maxRank: field === "testAccuracy"
      ? 1
      : typeof field === "object"
      ? Math.max(...outcomes.map(value).filter(Number.isFinite), 1e-9)
      : PENULTIMATE,
  };
}

/**
 * The observed phase boundary: for each noise level, the smallest λ of the grid whose run ended with low
 * rank (∞ when none did).
 */
export function criticalLearningRates(size: DeepSize, outcomes: DeepOutcome[], lambdaScale = 1): number[] {
  const s = DEEP_SIZES[size];
  const n = s.lambdas.length;
  return Array.from(s.noises, (_, row) => {
    for (let k = 0; k < n; k++) if (isDeepLowRank(outcomes[row * n + k])) return s.lambdas[k] * lambdaScale;
    return Infinity;
  });
}

/** Whether any noise level reached low rank. */
function finiteRates(xs: number[]): boolean {
  return xs.some(Number.isFinite);
}

/** Whether f(0) > f(n − 1) and f falls overall (Spearman-free: the last third below the first third). */
function nonIncreasingMeans(n: number, f: (r: number) => number): boolean {
  const values = Array.from({ length: n }, (_, r) => f(r));
  const third = Math.max(1, Math.floor(n / 3));
  const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
  return values[n - 1] < values[0] && mean(values.slice(-third)) < mean(values.slice(0, third));
}

/** Whether a sequence never increases (∞ allowed). */
function nonIncreasing(xs: number[]): boolean {
  return xs.every((x, i) => i === 0 || x <= xs[i - 1]);
}

/** The 1-D theory (Prop. 2, Gaussian data, σ = 2) at (λ₁D, μ = 1 − noise): does the saddle attract? */
function theoryAttracts(lambdas1D: ArrayLike<number>, noises: ArrayLike<number>): boolean[] {
  const mus = Float64Array.from(noises, (p) => 1 - p);
  const d = gaussianPhaseDiagram({ lambdas: Float64Array.from(lambdas1D), mus, noiseStd: 2 });
  return Array.from(d.plus, (p, i) => Math.max(p, d.minus[i]) < 0);
}

/**
 * The two-layer theory as a classifier of the deep grid: the 1-D saddle of Prop. 2 (σ = 2) attracts at
 * (c·λ, μ = 1 − noise) ⇔ low rank, with the one free scale c (the deep network's λ and the 1-D model's λ are
 * not the same quantity) chosen to maximize the agreement over a geometric grid of c. Returns the best c (per
 * unit of the panel's rate, λ·lambdaScale), the agreement there, and for reference the agreement of the best
 * rule that ignores the noise ("low rank iff λ ≥ λ₀" for one λ₀).
 */
export function theoryFit(size: DeepSize, outcomes: DeepOutcome[], lambdaScale = 1) {
  const s = DEEP_SIZES[size];
  const finite = outcomes.map((r) => !r.diverged);
  const low = outcomes.map(isDeepLowRank);
  let best = { scale: NaN, agree: -1 };
  for (const c of geomspace(0.01, 10, 121)) {
    const pred = theoryAttracts(Float64Array.from(s.lambdas, (l) => l * c), s.noises);
    let agree = 0;
    pred.forEach((p, i) => {
      if (finite[i] && p === low[i]) agree++;
    });
    if (agree > best.agree) best = { scale: c, agree };
  }
  const n = finite.filter(Boolean).length;
  // Reference: the best rule that ignores the noise (low rank iff λ ≥ λ₀ for one λ₀).
  let baseline = 0;
  for (let k = 0; k <= s.lambdas.length; k++) {
    let agree = 0;
    outcomes.forEach((_r, i) => {
      if (finite[i] && (i % s.lambdas.length >= k) === low[i]) agree++;
    });
    baseline = Math.max(baseline, agree);
  }
  return { scale: best.scale / lambdaScale, agree: best.agree, n, baseline };
}

/**
 * The boundary of the fitted 1-D theory, drawn on a deep panel: λ₁D = scale × the panel's rate (the grid's λ
 * times `lambdaScale`, e.g. Adam's λ/50).
 */
export function fittedTheoryBoundary(size: DeepSize, scale: number, lambdaScale = 1): RankBoundary {
  const s = DEEP_SIZES[size];
  const lambdas = linspace(s.lambdas[0] * lambdaScale, s.lambdas[s.lambdas.length - 1] * lambdaScale, 60);
  const noises = linspace(0, s.noises[s.noises.length - 1], 61);
  const mus = Float64Array.from(noises, (p) => 1 - p);
  const d = gaussianPhaseDiagram({ lambdas: Float64Array.from(lambdas, (l) => l * scale), mus, noiseStd: 2 });
  return {
    label: `1-D saddle attracts beyond this line (λ₁D = ${fmt(scale, 3)}·λ)`,
    lambdas,
    mus: noises,
    values: Float64Array.from(d.plus, (p, i) => Math.max(p, d.minus[i])),
    stroke: "#d62728",
  };
}

/** Part IV's two-layer rank diagram re-drawn over (λ, 1 − μ), the axes of Figure 1(c2–c3). */
export function twoLayerNoiseDiagram(results: NetworkResults, panel: "linear" | "tanh"): RankDiagram {
  const s = NETWORK_SIZES[results.size];
  const nl = s.lambdas.length, nm = s.mus.length;
  const values = new Float64Array(nl * nm);
  results.panels[panel].forEach((r, i) => {
    const row = nm - 1 - Math.floor(i / nl);
    values[row * nl + (i % nl)] = r.diverged ? NaN : r.rank;
  });
  return {
    lambdas: s.lambdas,
    mus: Float64Array.from(s.mus, (_, r) => 1 - s.mus[nm - 1 - r]),
    values,
    maxRank: s.dimension,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Figures

const NOISE_AXIS = { y: { label: "↑ label noise" }, rowName: "noise" };

/** The figures of Part V (and, given Part IV's results, Figure 1(c2–c3) over the same axes). */
export function* part5Figures(results: DeepResults, twoLayer?: NetworkResults): Generator<NamedFigure> {
  const { size } = results;
  const s = DEEP_SIZES[size];
  const tag = size === "deep-full" ? "" : "_notebook";
  const steps = `${s.steps} steps, batch 32`;
  for (const p of DEEP_PANELS) {
    const outcomes = results.panels[p.name];
    const fit = theoryFit(size, outcomes, p.lambdaScale);
    const what = p.name === "sgd"
      ? "SGD, dynamic label noise"
      : p.name === "adam"
      ? "Adam, dynamic label noise"
      : "SGD, static label noise";
    const id = p.name === "sgd" ? "figure1c1" : p.name === "adam" ? "figure1c4" : "figure11";
    yield {
      name: `${id}_mnist_rank_${p.name}${tag}`,
      caption: `${
        p.name === "static" ? "Figure 11 (left)" : p.name === "sgd" ? "Figure 1(c1)" : "Figure 1(c4)"
      } at CPU scale: rank of the 64-wide penultimate representation of 1,000 held-out MNIST digits, ${what}`,
      figure: plotRankDiagram(deepDiagram(size, outcomes, "rank", p.lambdaScale), {
        ...NOISE_AXIS,
        boundaries: Number.isFinite(fit.scale) ? [fittedTheoryBoundary(size, fit.scale, p.lambdaScale)] : [],
        title: `${what}: penultimate rank`,
        subtitle: `MNIST MLP, ${steps}. Line: 1-D theory, μ = 1 − noise (${fit.agree}/${fit.n} cells agree)`,
        width: 560,
        height: 420,
        color: { label: "rank of the penultimate representation" },
        x: { label: p.name === "adam" ? "Adam learning rate →" : "learning rate λ →" },
      }),
    };
    yield {
      name: `${id}_mnist_accuracy_${p.name}${tag}`,
      caption: `${p.name === "static" ? "Figure 11 (right)" : "App. B.4"}: test accuracy, ${what}`,
      figure: plotRankDiagram(deepDiagram(size, outcomes, "testAccuracy", p.lambdaScale), {
        ...NOISE_AXIS,
        title: `${what}: test accuracy`,
        subtitle: `MNIST MLP, ${steps}; 1,000 held-out digits`,
        width: 560,
        height: 420,
        color: { label: "test accuracy", scheme: "magma", domain: [0, 1] },
        x: { label: p.name === "adam" ? "Adam learning rate →" : "learning rate λ →" },
      }),
    };
  }
  for (const p of DEEP_PANELS.filter((q) => q.name !== "adam")) {
    const outcomes = results.panels[p.name];
    const layers = DEEP_MODEL.hidden.length + 1;
    for (let l = 0; l < layers; l++) {
      const diagram = deepDiagram(size, outcomes, { sparsity: l }, p.lambdaScale);
      yield {
        name: `${p.name === "sgd" ? "figure9" : "figure10"}_sparsity_layer${l + 1}${tag}`,
        caption: `${p.name === "sgd" ? "Figure 9" : "Figure 10"} at CPU scale: sparsity (|w| < 10⁻³) of layer ${
          l + 1
        }, ${p.noiseKind} label noise`,
        figure: plotRankDiagram({ ...diagram, maxRank: Math.max(0.05, diagram.maxRank) }, {
          ...NOISE_AXIS,
          title: `Layer ${l + 1} (${[28 * 28, ...DEEP_MODEL.hidden][l]} → ${
            [...DEEP_MODEL.hidden, 10][l]
          }): sparsity, ${p.noiseKind} noise`,
          subtitle: "fraction of weights with |w| < 10⁻³",
          width: 560,
          height: 420,
          color: { label: "sparsity", scheme: "blues" },
        }),
      };
    }
  }
  const b = s.batch;
  const rows = results.batch.map((r, i) => ({
    S: b.batchSizes[i % b.batchSizes.length],
    series: `noise ${b.noises[Math.floor(i / b.batchSizes.length)]}`,
    rank: r.diverged ? NaN : r.rank,
  }));
  yield {
    name: `figure12_mnist_batch_size${tag}`,
    caption:
      `Figure 12 at CPU scale: penultimate rank against the batch size (λ = ${b.learningRate}, ${s.steps} steps)`,
    figure: batchSizeFigure(rows, PENULTIMATE, {
      title: `Batch size and the penultimate rank`,
      subtitle: `MNIST, MLP 784-128-128-64-10, SGD, λ = ${b.learningRate}, ${s.steps} steps`,
      y: { label: "↑ penultimate rank" },
    }),
  };
  if (twoLayer) {
    const d = NETWORK_SIZES[twoLayer.size].dimension;
    for (const [panel, id] of [["linear", "figure1c2"], ["tanh", "figure1c3"]] as const) {
      yield {
        name: `${id}_two_layer_${panel}_d${d}`,
        caption: `Figure 1(${id.slice(-2)}): Part IV's ${panel} two-layer network (d = ${d}) over (λ, noise = 1 − μ)`,
        figure: plotRankDiagram(twoLayerNoiseDiagram(twoLayer, panel), {
          ...NOISE_AXIS,
          y: { label: "↑ noise 1 − μ" },
          title: `Two-layer ${panel} network, d = ${d}: rank of U`,
          subtitle: "Part IV's runs (Figures 7–8) with the noise 1 − μ upward, as in Figure 1(c)",
          width: 560,
          height: 420,
        }),
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Claims

const rates = (xs: number[]) => xs.map((x) => (Number.isFinite(x) ? fmt(x, 3) : "none")).join(", ");

/** The claims of Part V checked on the results of one size. */
export function part5Claims(results: DeepResults): ClaimDefinition[] {
  const { size } = results;
  const s = DEEP_SIZES[size];
  const notebook = "14_deep_networks";
  const grid = `${s.lambdas.length} λ × ${s.noises.length} noise levels, ${s.steps} steps`;
  const sgd = results.panels.sgd, adam = results.panels.adam, stat = results.panels.static;
  const row = (outcomes: DeepOutcome[], r: number) => outcomes.slice(r * s.lambdas.length, (r + 1) * s.lambdas.length);
  const lowCount = (xs: DeepOutcome[]) => xs.filter(isDeepLowRank).length;
  return [
    {
      id: "V-01",
      where: "§4.4, Figure 1(c1), App. B.4",
      claim:
        "With label noise and a large learning rate, SGD's penultimate representation collapses to low rank; noise lowers the rank",
      notebook,
      measure() {
        const crit = criticalLearningRates(size, sgd);
        const top = row(sgd, s.noises.length - 1), bottom = row(sgd, 0);
        // Does noise lower the rank at a fixed λ? Columns where both ends are finite and not both collapsed.
        let lower = 0, columns = 0;
        top.forEach((t, k) => {
          const b = bottom[k];
          if (t.diverged || b.diverged || (t.rank === 0 && b.rank === 0)) return;
          columns++;
          if (t.rank < b.rank) lower++;
        });
        const meanRank = (outcomes: DeepOutcome[]) => {
          const finite = outcomes.filter((o) => !o.diverged);
          return finite.reduce((a, o) => a + o.rank, 0) / Math.max(1, finite.length);
        };
        const below = (r: number) => row(sgd, r).filter((_, k) => s.lambdas[k] < (crit[0] ?? Infinity));
        return {
          measured: `MLP on MNIST (${grid}): rank ≤ 32 of 64 in ${lowCount(sgd)}/${sgd.length} cells, all at λ ≥ ${
            fmt(Math.min(...crit), 3)
          }; first low-rank λ per noise level ${Array.from(s.noises, (p) => fmt(p, 2)).join("/")}: ${
            rates(crit)
          }. Below the clean run's collapse (λ < ${fmt(crit[0], 3)}) the mean rank falls with noise: ${
            Array.from(s.noises, (_, r) => fmt(meanRank(below(r)), 3)).join(", ")
          }; the noisiest row has the lower rank in ${lower}/${columns} λ columns`,
          verdict: finiteRates(crit) && lower >= 0.75 * columns &&
              nonIncreasingMeans(s.noises.length, (r) => meanRank(below(r)))
            ? "agree"
            : "disagree",
        };
      },
    },
    {
      id: "V-02",
      where: "Figure 1(c1–c3)",
      claim: "“The phase boundary agrees qualitatively with simple two-layer networks” (the 1-D theory of Parts II/IV)",
      notebook,
      measure() {
        const fit = theoryFit(size, sgd);
        const adamFit = theoryFit(size, adam, 1 / 50);
        return {
          measured: `SGD: the 1-D saddle boundary (Prop. 2, σ = 2, μ = 1 − noise) with one fitted scale λ₁D = ${
            fmt(fit.scale, 3)
          }·λ classifies ${fit.agree}/${fit.n} cells (low rank ⇔ attracting); the best noise-blind threshold in λ classifies ${fit.baseline}/${fit.n}. Adam: ${adamFit.agree}/${adamFit.n} vs ${adamFit.baseline}/${adamFit.n}`,
          verdict: fit.agree > fit.baseline ? "agree" : "disagree",
        };
      },
    },
    {
      id: "V-03",
      where: "Figure 1(c4), App. B.3",
      claim: "Adam shows the same phase diagram: low rank at large learning rate and noise",
      notebook,
      measure() {
        const crit = criticalLearningRates(size, adam, 1 / 50);
        const top = row(adam, s.noises.length - 1), bottom = row(adam, 0);
        return {
          measured: `Adam (learning rate λ/50): rank ≤ 32 in ${
            lowCount(adam)
          }/${adam.length} cells; first low-rank rate per noise level: ${rates(crit)}; ${
            lowCount(top)
          }/${top.length} at the largest noise vs ${lowCount(bottom)}/${bottom.length} without`,
          verdict: nonIncreasing(crit) && lowCount(top) > lowCount(bottom) ? "agree" : "disagree",
        };
      },
    },
    {
      id: "V-04",
      where: "§4.4 (last paragraph), Figure 11",
      claim:
        "“The effect is not due to having a dynamical label noise”: static noise gives “the same results with almost the same regime boundaries”",
      notebook,
      measure() {
        let same = 0, n = 0;
        sgd.forEach((r, i) => {
          if (r.diverged || stat[i].diverged) return;
          n++;
          if (isDeepLowRank(r) === isDeepLowRank(stat[i])) same++;
        });
        return {
          measured:
            `low-rank classification identical in ${same}/${n} cells; first low-rank λ per noise level: dynamic ${
              rates(criticalLearningRates(size, sgd))
            }; static ${rates(criticalLearningRates(size, stat))}`,
          verdict: same >= 0.8 * n ? "agree" : "disagree",
        };
      },
    },
    {
      id: "V-05",
      where: "Figure 11 caption",
      claim:
        "With static noise, “the model has full rank but random-guess level performance for large noise and small learning rates”",
      notebook,
      measure() {
        const top = row(stat, s.noises.length - 1);
        const r0 = top[0];
        const other = results.relabel[0];
        return {
          measured: `static noise ${fmt(s.noises[s.noises.length - 1], 2)}, λ = ${
            fmt(s.lambdas[0], 3)
          }, labels reselected uniformly (App. B.4): rank ${r0.rank}/64, test accuracy ${
            fmt(r0.testAccuracy, 3)
          } (chance ≈ 0.1; noise 0: ${
            fmt(row(stat, 0)[0].testAccuracy, 3)
          }) — the true label keeps probability 1 − 0.9p = ${
            fmt(1 - 0.9 * s.noises[s.noises.length - 1], 2)
          }, more than any other class. Flipped to another class (§4.4's wording): rank ${other.rank}/64, accuracy ${
            fmt(other.testAccuracy, 3)
          }`,
          // The caption holds under §4.4's definition (see V-08 for the two definitions).
          verdict: !other.diverged && other.rank > 32 && other.testAccuracy < 0.2 ? "agree" : "disagree",
        };
      },
    },
    {
      id: "V-06",
      where: "Figure 12, App. B.4",
      claim: "“The rank of the learned representation decreases as we decrease the batch size of SGD”",
      notebook,
      measure() {
        const b = s.batch;
        const series = b.noises.map((p, j) => ({
          p,
          ranks: results.batch.slice(j * b.batchSizes.length, (j + 1) * b.batchSizes.length).map((r) =>
            r.diverged ? NaN : r.rank
          ),
        }));
        const monotone = series.every(({ ranks }) => ranks.every((x, i) => i === 0 || x >= ranks[i - 1] - 2));
        const rises = series.every(({ ranks }) => ranks[ranks.length - 1] > ranks[0]);
        return {
          measured: `λ = ${b.learningRate}, ${s.steps} steps, S = ${b.batchSizes.join(", ")}: ${
            series.map(({ p, ranks }) => `noise ${p}: ranks ${ranks.join(", ")}`).join("; ")
          }`,
          verdict: monotone && rises ? "agree" : "disagree",
        };
      },
    },
    {
      id: "V-07",
      where: "App. B.4, Figures 9–10",
      claim:
        "The sparsity of the layers (fraction of weights ≈ 0) shows the same phase diagram (the paper: “qualitatively similar”)",
      notebook,
      measure() {
        const layers = DEEP_MODEL.hidden.length + 1;
        const byLayer = Array.from({ length: layers }, (_, l) => {
          const low = sgd.filter(isDeepLowRank).map((r) => r.sparsity[l]);
          const full = sgd.filter((r) => !r.diverged && !isDeepLowRank(r)).map((r) => r.sparsity[l]);
          const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / Math.max(1, xs.length);
          return { low: mean(low), full: mean(full) };
        });
        // P(|w| < t) for w ~ N(0, σ²) is ≈ 2t/(σ√(2π)) for t ≪ σ; layer 1: σ = √(2/784).
        const init = (2 * DEEP_MODEL.sparsityThreshold) / (Math.sqrt(2 / 784) * Math.sqrt(2 * Math.PI));
        const differs = byLayer.some(({ low, full }) => low > 2 * full + 0.01);
        return {
          measured: `mean sparsity (|w| < 10⁻³) of layers 1–${layers} in low-rank vs full-rank cells: ${
            byLayer.map(({ low, full }) => `${fmt(100 * low, 2)}% vs ${fmt(100 * full, 2)}%`).join("; ")
          } (He initialization alone gives ≈ ${
            fmt(100 * init, 2)
          }% in layer 1). Without weight decay a dead unit's weights get no gradient and stay at their initial values, so no sparsity phase appears`,
          verdict: differs ? "agree" : "disagree",
        };
      },
    },
    {
      id: "V-08",
      where: "§4.4 vs App. B.4",
      claim:
        "Label noise: “a correct label is flipped to a random label with probability noise” (§4.4) vs “the probability of reselecting the label from a uniform distribution” (App. B.4)",
      notebook,
      measure() {
        const p = s.noises[s.noises.length - 1];
        const [st, dy] = results.relabel;
        const uniformStatic = row(stat, s.noises.length - 1)[0], uniformDynamic = row(sgd, s.noises.length - 1)[0];
        return {
          measured:
            `the two definitions differ: at noise p the true label keeps probability 1 − p + p/10 (reselect) or 1 − p (flip); at p = ${
              fmt(p, 2)
            }, λ = ${fmt(s.lambdas[0], 3)}: test accuracy ${fmt(uniformStatic.testAccuracy, 3)} (reselect) vs ${
              fmt(st.testAccuracy, 3)
            } (flip), static noise; ${fmt(uniformDynamic.testAccuracy, 3)} vs ${
              fmt(dy.testAccuracy, 3)
            }, dynamic. The toolkit's grids use App. B.4's definition`,
          verdict: "errata",
        };
      },
    },
    {
      id: "V-09",
      where: "§4.4, Figure 1(c1) vs (c2–c3)",
      claim:
        "As in the two-layer phase diagrams, the low-rank phase starts at a smaller learning rate when the noise is larger (the boundary slopes)",
      notebook,
      measure() {
        const crit = criticalLearningRates(size, sgd);
        const adamCrit = criticalLearningRates(size, adam, 1 / 50);
        const last = crit.length - 1;
        return {
          measured: `first λ with rank ≤ 32 per noise level ${Array.from(s.noises, (p) => fmt(p, 2)).join("/")}: SGD ${
            rates(crit)
          }; Adam (rate λ/50) ${rates(adamCrit)}`,
          verdict: nonIncreasing(crit) && crit[last] < crit[0] ? "agree" : "disagree",
        };
      },
    },
  ];
}

/**
 * §4.3 over many samples, not one: for each of `count` samples of the paper's setup (100 points y = 0.1·swish(x) +
 * 0.9ε, x, ε ~ N(0, 1); sample s is `figure5Model(s)`, tested on `figure5Test()`), every stationary point
 * of L(u, w) in the box w ∈ [−10, 10], u ∈ [−100, 100] (`scalarStationaryPoints`), the minima on each side of w = 0,
 * their sharpness, their correlation sign and test loss, and where SGD started at each minimum ends as λ grows
 * (`solutionSelectionSweep`), aggregated over all two-minimum samples with the spread across samples. Pure functions of
 * their arguments (all seeded); the results are cached per argument set so the claim rows share one computation.
 *
 * @module
 */

import { agreeIf, type ClaimDefinition, defineClaim, type Judgement } from "./claims.ts";
import {
  type ProgressCallback,
  scalarLandscape,
  type ScalarModel,
  type ScalarStationaryPoint,
  scalarStationaryPoints,
  solutionSelectionSweep,
} from "../mod.ts";
import { callback, check, scalarModel } from "./checks.ts";
import { FIGURE5, figure5Model, figure5Test } from "./part4_scalar.ts";

/** §4.3 over samples: their number, the box searched and Figure 5's learning rates. */
export const SECTION43 = {
  /** The samples scanned: seeds 0, 1, …, samples − 1 (each built by `figure5Model(seed)`). */
  samples: 400,
  /** The box in which every stationary point is found. */
  box: { w: [-10, 10] as [number, number], u: [-100, 100] as [number, number] },
  /** Figure 5's 19 learning rates, 0.005 … 3 (geometric). */
  lambdas: FIGURE5.lambdas,
  /** The teacher's slope at x = 0 is 0.1·swish′(0) = 0.05 > 0: the correct sign of f′(0) = u·w·swish′(0). */
  teacherSlope: 0.05,
};

/** A minimum of one sample with what §4.3 says about it. */
export interface Section43Minimum {
  /** The output weight. */
  u: number;
  /** The input weight. */
  w: number;
  /** The training loss. */
  loss: number;
  /** The largest Hessian eigenvalue (½·mean convention). */
  sharpness: number;
  /** ½·mean (f − y)² on the test data. */
  testLoss: number;
  /** u·w > 0: f′(0) has the teacher's (positive) sign. */
  correctSign: boolean;
  /** Training loss of the saddle C (½·mean y²) minus this minimum's. */
  depth: number;
}

/** The stationary-point analysis of one sample. */
export interface Section43SampleAnalysis {
  /** The sample's seed s (`fig5-x-${s}`, `fig5-e-${s}`). */
  seed: number;
  /** Every stationary point in the box. */
  points: ScalarStationaryPoint[];
  /** The lowest minimum with w < 0 (Figure 5's side of A), if any. */
  A?: Section43Minimum;
  /** The lowest minimum with w > 0 (Figure 5's side of B), if any. */
  B?: Section43Minimum;
  /** The test loss of the saddle C = (0, 0) (f = 0). */
  testLossC: number;
}

/** Analyses one sample: its stationary points in §4.3's box, the lowest minimum on each side of w = 0. */
export function analyzeSection43Sample(seed: number, test: ScalarModel = figure5Test()): Section43SampleAnalysis {
  check.integerInRange("analyzeSection43Sample", "seed", seed, 0);
  scalarModel("analyzeSection43Sample", "test", test);
  const model = figure5Model(seed);
  const points = scalarStationaryPoints(model, SECTION43.box);
  const c = points.find((p) => p.source === "origin")!;
  const testLoss = (u: number, w: number) => scalarLandscape(test, { us: [u], ws: [w] }).loss[0];
  const side = (sign: number): Section43Minimum | undefined => {
    const p = points.filter((q) => q.kind === "minimum" && Math.sign(q.w) === sign).sort((a, b) => a.loss - b.loss)[0];
    return p && {
      u: p.u,
      w: p.w,
      loss: p.loss,
      sharpness: p.eigenvalues[0],
      testLoss: testLoss(p.u, p.w),
      correctSign: p.u * p.w > 0,
      depth: c.loss - p.loss,
    };
  };
  return { seed, points, A: side(-1), B: side(1), testLossC: testLoss(0, 0) };
}

/** Landscape statistics over samples 0, 1, …, count − 1. */
export interface Section43LandscapeStatistics {
  /** The samples scanned. */
  count: number;
  /** The seeds with minima on both sides of w = 0 (in the box). */
  twoMinima: number[];
  /** Of those, how many have both minima deeper than 10⁻³ (training loss below C's by more). */
  deeperThan1e3: number;
  /** Of those, how many have both minima within |w| ≤ 3. */
  withinW3: number;
  /** Two-minimum samples whose minima have opposite correlation signs. */
  oppositeSigns: number;
  /** Of the two-minimum samples: the w < 0 minimum is the sharper. */
  leftSharper: number;
  /** Of the opposite-sign samples: the correct-sign minimum is the sharper. */
  correctSharper: number;
  /** Of the opposite-sign samples: the correct-sign minimum has the lower test loss. */
  correctGeneralizes: number;
  /** Of the opposite-sign samples: test loss correct < C < wrong (§4.3: "C better than B, worse than A"). */
  cBetween: number;
  /** Of the two-minimum samples: C's test loss is below both minima's. */
  cBest: number;
  /** Of the opposite-sign samples: the sharper minimum has the lower test loss. */
  sharperGeneralizes: number;
  /** The per-sample analyses of the two-minimum samples. */
  analyses: Section43SampleAnalysis[];
}

const landscapeCache = new Map<number, Section43LandscapeStatistics>();

/**
 * Landscape statistics over `count` samples (seeded; cached per count, so every later call with the same count returns
 * the same object at once). About 10–15 s for 400 samples; `onProgress` is called after each sample.
 */
export function section43LandscapeStatistics(
  count: number = SECTION43.samples,
  onProgress?: ProgressCallback,
): Section43LandscapeStatistics {
  check.integerInRange("section43LandscapeStatistics", "count", count, 1, 1e6);
  if (onProgress !== undefined) callback("section43LandscapeStatistics", "onProgress", onProgress);
  const hit = landscapeCache.get(count);
  if (hit) return hit;
  const test = figure5Test();
  const analyses: Section43SampleAnalysis[] = [];
  for (let s = 0; s < count; s++) {
    const a = analyzeSection43Sample(s, test);
    if (a.A && a.B) analyses.push(a);
    onProgress?.(s + 1, count, `sample ${s}`);
  }
  const two = analyses as Required<Section43SampleAnalysis>[];
  const opp = two.filter((a) => a.A.correctSign !== a.B.correctSign);
  const split = (a: Required<Section43SampleAnalysis>) => a.A.correctSign ? [a.A, a.B] : [a.B, a.A];
  const stats: Section43LandscapeStatistics = {
    count,
    twoMinima: two.map((a) => a.seed),
    deeperThan1e3: two.filter((a) => a.A.depth > 1e-3 && a.B.depth > 1e-3).length,
    withinW3: two.filter((a) => Math.abs(a.A.w) <= 3 && Math.abs(a.B.w) <= 3).length,
    oppositeSigns: opp.length,
    leftSharper: two.filter((a) => a.A.sharpness > a.B.sharpness).length,
    correctSharper: opp.filter((a) => split(a)[0].sharpness > split(a)[1].sharpness).length,
    correctGeneralizes: opp.filter((a) => split(a)[0].testLoss < split(a)[1].testLoss).length,
    cBetween: opp.filter((a) => split(a)[0].testLoss < a.testLossC && a.testLossC < split(a)[1].testLoss).length,
    cBest: two.filter((a) => a.testLossC < Math.min(a.A.testLoss, a.B.testLoss)).length,
    sharperGeneralizes: opp.filter((a) => {
      const [p, q] = a.A.sharpness > a.B.sharpness ? [a.A, a.B] : [a.B, a.A];
      return p.testLoss < q.testLoss;
    }).length,
    analyses,
  };
  landscapeCache.set(count, stats);
  return stats;
}

/** Options of {@linkcode section43SelectionStatistics}. */
export interface Section43SelectionOptions {
  /** Samples 0 … count − 1 are scanned for two minima. @default 400 */
  count?: number;
  /** SGD steps per run. @default 5000 (Figure 5's) */
  steps?: number;
  /** Runs per sample, start and λ. @default 10 */
  runs?: number;
  /** Called after each sample and start (not part of the cache key). */
  onProgress?: ProgressCallback;
}

/** Where SGD ends, per start and λ, aggregated over the two-minimum samples. */
export interface Section43SelectionStatistics {
  /** The learning rates (Figure 5's 19). */
  lambdas: Float64Array;
  /** "A", "B", "C", "elsewhere", "diverged". */
  classes: string[];
  /** The number of samples aggregated. */
  samples: number;
  /** Runs per sample, start and λ. */
  runs: number;
  /** SGD steps per run. */
  steps: number;
  /** Per start ("A": the w < 0 minimum, "B": w > 0): mean over samples of the fraction per class, `[j * C + c]`. */
  mean: Record<"A" | "B", Float64Array>;
  /** The 10th percentile over samples of the same fractions. */
  q10: Record<"A" | "B", Float64Array>;
  /** The 90th percentile over samples of the same fractions. */
  q90: Record<"A" | "B", Float64Array>;
}

const selectionCache = new Map<string, Section43SelectionStatistics>();

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const p = q * (s.length - 1), i = Math.floor(p);
  return i + 1 < s.length ? s[i] + (p - i) * (s[i + 1] - s[i]) : s[i];
}

/**
 * For each two-minimum sample and each start (A, B), `solutionSelectionSweep` over Figure 5's 19 learning rates (runs
 * assigned to the nearest of A, B, C — C only within 10⁻³ —, else "elsewhere" or "diverged"; seed
 * `s43-${sample}-${start}`), then the mean and the 10th/90th percentiles over samples of each fraction. Cached per
 * (count, steps, runs): the claim rows and a notebook share one computation (about 50 s at the defaults).
 */
export function section43SelectionStatistics(options: Section43SelectionOptions = {}): Section43SelectionStatistics {
  const fn = "section43SelectionStatistics";
  check.options(fn, options);
  if (options.count !== undefined) check.integerInRange(fn, "options.count", options.count, 1, 1e6);
  if (options.steps !== undefined) check.integerInRange(fn, "options.steps", options.steps, 1, 1e8);
  if (options.runs !== undefined) check.integerInRange(fn, "options.runs", options.runs, 1, 1e6);
  if (options.onProgress !== undefined) callback(fn, "options.onProgress", options.onProgress);
  const count = options.count ?? SECTION43.samples, steps = options.steps ?? 5000, runs = options.runs ?? 10;
  const key = `${count}/${steps}/${runs}`;
  const hit = selectionCache.get(key);
  if (hit) return hit;
  const { analyses } = section43LandscapeStatistics(count);
  const test = figure5Test();
  const L = SECTION43.lambdas.length;
  const classes = ["A", "B", "C", "elsewhere", "diverged"];
  const C = classes.length;
  const per: Record<"A" | "B", Float64Array[]> = { A: [], B: [] };
  let done = 0;
  for (const a of analyses) {
    const model = figure5Model(a.seed);
    const named = [
      { name: "A", u: a.A!.u, w: a.A!.w },
      { name: "B", u: a.B!.u, w: a.B!.w },
      { name: "C", u: 0, w: 0, radius: 1e-3 },
    ];
    for (const start of ["A", "B"] as const) {
      const p = a[start]!;
      const sw = solutionSelectionSweep(model, test, [p.u, p.w], named, SECTION43.lambdas, {
        steps,
        trajectories: runs,
        seed: `s43-${a.seed}-${start}`,
      });
      per[start].push(sw.fractions);
      options.onProgress?.(++done, 2 * analyses.length, `seed ${a.seed} from ${start}`);
    }
  }
  const agg = (f: (v: number[]) => number) =>
    Object.fromEntries((["A", "B"] as const).map((s) => [
      s,
      Float64Array.from({ length: L * C }, (_, i) => f(per[s].map((fr) => fr[i]))),
    ])) as Record<"A" | "B", Float64Array>;
  const out: Section43SelectionStatistics = {
    lambdas: SECTION43.lambdas,
    classes,
    samples: analyses.length,
    runs,
    steps,
    mean: agg((v) => v.reduce((x, y) => x + y, 0) / v.length),
    q10: agg((v) => quantile(v, 0.1)),
    q90: agg((v) => quantile(v, 0.9)),
  };
  selectionCache.set(key, out);
  return out;
}

const pct = (num: number, den: number) => `${num}/${den} (${den ? Math.round((100 * num) / den) : 0} %)`;

/** The landscape statistics as a small table: one row per quantity. */
export function section43SummaryTable(stats: Section43LandscapeStatistics = section43LandscapeStatistics()): {
  quantity: string;
  value: string;
}[] {
  check.fields("section43SummaryTable", "stats", stats, { count: "integer", oppositeSigns: "count" });
  const n = stats.twoMinima.length, o = stats.oppositeSigns;
  return [
    { quantity: "samples scanned", value: String(stats.count) },
    { quantity: "minima on both sides of w = 0 (|w| ≤ 10, |u| ≤ 100)", value: pct(n, stats.count) },
    { quantity: "… both deeper than 1e-3 below C", value: pct(stats.deeperThan1e3, stats.count) },
    { quantity: "… both within |w| ≤ 3", value: pct(stats.withinW3, stats.count) },
    { quantity: "… with opposite correlation signs", value: pct(o, n) },
    { quantity: "the w < 0 minimum is the sharper", value: pct(stats.leftSharper, n) },
    { quantity: "the correct-sign minimum is the sharper", value: pct(stats.correctSharper, o) },
    { quantity: "the correct-sign minimum generalizes better", value: pct(stats.correctGeneralizes, o) },
    { quantity: "the sharper minimum generalizes better", value: pct(stats.sharperGeneralizes, o) },
    { quantity: "test loss: correct < C < wrong", value: pct(stats.cBetween, o) },
    { quantity: "C generalizes better than both minima", value: pct(stats.cBest, n) },
  ];
}

/** Where SGD ends as a table: per start and λ, the mean fraction per class and its 10–90 % range over samples. */
export function section43SelectionTable(stats: Section43SelectionStatistics = section43SelectionStatistics()): {
  start: string;
  lambda: number;
  A: string;
  B: string;
  C: string;
  elsewhere: string;
  diverged: string;
}[] {
  check.fields("section43SelectionTable", "stats", stats, { lambdas: "finites", samples: "count", runs: "integer" });
  for (const key of ["mean", "q10", "q90"] as const) {
    check.object("section43SelectionTable", `stats.${key}`, stats[key]);
  }
  const C = stats.classes.length;
  const cell = (s: "A" | "B", j: number, c: number) =>
    `${stats.mean[s][j * C + c].toFixed(2)} [${stats.q10[s][j * C + c].toFixed(2)}, ${
      stats.q90[s][j * C + c].toFixed(2)
    }]`;
  return (["A", "B"] as const).flatMap((s) =>
    Array.from(stats.lambdas, (lambda, j) => ({
      start: s,
      lambda: Number(lambda.toPrecision(3)),
      A: cell(s, j, 0),
      B: cell(s, j, 1),
      C: cell(s, j, 2),
      elsewhere: cell(s, j, 3),
      diverged: cell(s, j, 4),
    }))
  );
}

/** "agree" when the share is ≥ `agree`, "partly" from `partly`, else "disagree" (the rule the rows state). */
function byShare(share: number, agree = 0.75, partly = 0.5): Judgement {
  const pc = (x: number) => `${Math.round(100 * x)} %`;
  return {
    verdict: share >= agree ? "agree" : share >= partly ? "partly" : "disagree",
    criterion: `agree if the share is ≥ ${pc(agree)}, partly from ${pc(partly)}, else disagree`,
  };
}

/** §4.3's statements as statistical statements over 400 samples of its setup. */
export const SECTION43_SAMPLE_CLAIMS: ClaimDefinition[] = [
  defineClaim({
    id: "IV-S1",
    where: "§4.3",
    claim:
      "“There are two local minima” (one on each side of w = 0), read as typical of the setup: agree if ≥ 50 % of 400 samples have them, partly if 5–50 %, disagree below 5 %",
    notebook: "12_solution_selection",
    measure() {
      const s = section43LandscapeStatistics();
      const share = s.twoMinima.length / s.count;
      return {
        measured: `${
          pct(s.twoMinima.length, s.count)
        } of samples have minima on both sides (box |w| ≤ 10, |u| ≤ 100); ${
          pct(s.deeperThan1e3, s.count)
        } with both deeper than 10⁻³ below C, ${pct(s.withinW3, s.count)} with both at |w| ≤ 3`,
        values: { share },
      };
    },
    judge: ({ share }) => byShare(share, 0.5, 0.05),
  }),
  defineClaim({
    id: "IV-S2",
    where: "§4.3",
    claim:
      "The minimum that captures the correct correlation (f′(0) > 0, like the teacher) generalizes better — over the two-minimum samples with opposite signs: agree if it does in ≥ 75 %, partly 50–75 %, else disagree",
    notebook: "12_solution_selection",
    measure() {
      const s = section43LandscapeStatistics();
      return {
        measured: `lower test loss at the correct-sign minimum in ${
          pct(s.correctGeneralizes, s.oppositeSigns)
        } of the ${s.oppositeSigns} opposite-sign samples (of ${s.twoMinima.length} with two minima)`,
        values: { share: s.correctGeneralizes / s.oppositeSigns },
      };
    },
    judge: ({ share }) => byShare(share),
  }),
  defineClaim({
    id: "IV-S3",
    where: "§4.3",
    claim:
      "The better (correct-sign) solution A is the sharper one, h_a > h_b — over the opposite-sign samples: agree if ≥ 75 %, partly 50–75 %, else disagree",
    notebook: "12_solution_selection",
    measure() {
      const s = section43LandscapeStatistics();
      return {
        measured: `the correct-sign minimum is the sharper in ${
          pct(s.correctSharper, s.oppositeSigns)
        }; the w < 0 one in ${
          pct(s.leftSharper, s.twoMinima.length)
        } of all two-minimum samples; the sharper one generalizes better in ${
          pct(s.sharperGeneralizes, s.oppositeSigns)
        }`,
        values: { share: s.correctSharper / s.oppositeSigns },
      };
    },
    judge: ({ share }) => byShare(share),
  }),
  defineClaim({
    id: "IV-S4",
    where: "§4.3",
    claim:
      "The saddle C generalizes better than B and slightly worse than A (test loss correct-sign < C < wrong-sign) — over the opposite-sign samples: agree if ≥ 75 %, partly 50–75 %, else disagree",
    notebook: "12_solution_selection",
    measure() {
      const s = section43LandscapeStatistics();
      return {
        measured: `correct < C < wrong in ${pct(s.cBetween, s.oppositeSigns)}; C better than both minima in ${
          pct(s.cBest, s.twoMinima.length)
        } of the two-minimum samples`,
        values: { share: s.cBetween / s.oppositeSigns },
      };
    },
    judge: ({ share }) => byShare(share),
  }),
  defineClaim({
    id: "IV-S5",
    where: "§4.3, Figure 5",
    claim:
      "“Instead of jumping between local minima, SGD at a large learning rate transitions from minima to saddles” — averaged over the two-minimum samples, from each start: agree if at some λ > 50 % of runs end at C and at every λ < 10 % at the other minimum; partly if one of the two holds; else disagree",
    notebook: "12_solution_selection",
    measure() {
      const st = section43SelectionStatistics();
      const C = st.classes.length, L = st.lambdas.length;
      const rows = (["A", "B"] as const).map((s) => {
        const other = s === "A" ? 1 : 0;
        let toC = 0, toOther = 0, at = 0;
        for (let j = 0; j < L; j++) {
          if (st.mean[s][j * C + 2] > toC) [toC, at] = [st.mean[s][j * C + 2], j];
          toOther = Math.max(toOther, st.mean[s][j * C + other]);
        }
        return { s, toC, at: st.lambdas[at], toOther };
      });
      return {
        measured: `${st.samples} samples × ${st.runs} runs × ${st.steps} steps per start and λ: ${
          rows.map((r) =>
            `from ${r.s}, at most ${(100 * r.toC).toFixed(0)} % end at C (λ = ${r.at.toPrecision(3)}) and at most ${
              (100 * r.toOther).toFixed(0)
            } % at the other minimum`
          ).join("; ")
        }`,
        values: { toC: rows.map((r) => r.toC), toOther: rows.map((r) => r.toOther) },
      };
    },
    judge: ({ toC, toOther }) => {
      const c = toC.every((v) => v > 0.5), o = toOther.every((v) => v < 0.1);
      return {
        verdict: c && o ? "agree" : c || o ? "partly" : "disagree",
        criterion: "agree if from both starts > 50 % end at C at some λ and < 10 % at the other minimum at every λ; " +
          "partly if one of the two holds; else disagree",
      };
    },
  }),
  defineClaim({
    id: "IV-S6",
    where: "§4.3, Figure 5",
    claim:
      "At the largest learning rates SGD diverges (after C) — averaged over the two-minimum samples: agree if > 50 % of runs diverge at λ = 3 from both starts, else disagree",
    notebook: "12_solution_selection",
    measure() {
      const st = section43SelectionStatistics();
      const C = st.classes.length, j = st.lambdas.length - 1;
      const d = (["A", "B"] as const).map((s) => st.mean[s][j * C + 4]);
      return {
        measured: `at λ = ${st.lambdas[j]}: ${(100 * d[0]).toFixed(0)} % (from A), ${
          (100 * d[1]).toFixed(0)
        } % (from B) diverged`,
        values: { diverged: d },
      };
    },
    judge: ({ diverged }) =>
      agreeIf(diverged.every((v) => v > 0.5), "> 50 % of runs diverge at λ = 3 from both starts"),
  }),
];

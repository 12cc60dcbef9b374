/**
 * Part II of the paper (§4.2, App. A.6, Figures 1(b), 3 and 4): the claims checked by the toolkit and the figures `deno
 * task reproduce` writes. The notebooks 05–07 walk through the same computations.
 *
 * @module
 */

import {
  finitePhaseDiagram,
  gaussianBatchPhaseDiagram,
  gaussianPhaseDiagram,
  linspace,
  type PhaseDiagram,
  phaseDiagramInWorkers,
  plotPhaseDiagram,
  SADDLE_PHASES,
  saddleExponents,
  saddlePhase,
  simulateSaddleSGD,
  twoPointPhaseDiagram,
} from "../mod.ts";
import { array, callback, check, phaseDiagram } from "./checks.ts";
import { agreeIf, type ClaimDefinition, defineClaim, errataWhen, fmt, graded } from "./claims.ts";
import type { NamedFigure } from "./claims.ts";

/** The grids of the Part II figures, shared by the notebooks and the reproduce CLI. */
export const PART2 = {
  figure1b: (): { lambdas: Float64Array; as: Float64Array } => ({
    lambdas: linspace(0.005, 3, 400),
    as: linspace(-1, 3, 400),
  }),
  figure3Left: (): { lambdas: Float64Array; mus: Float64Array } => ({
    lambdas: linspace(0.005, 3, 400),
    mus: linspace(0, 1, 400),
  }),
  figure3Right: (): { lambdas: Float64Array; batchSizes: number[] } => ({
    lambdas: linspace(0.005, 3, 400),
    batchSizes: Array.from({ length: 64 }, (_, i) => i + 1),
  }),
  figure4Sizes: [3, 4, 8, 10, 24, 100],
  figure4: (size: number, seed = 1): { lambdas: Float64Array; mus: Float64Array; size: number; seed: number } => ({
    lambdas: linspace(0.005, 3, 300),
    mus: linspace(0, 1, 300),
    size,
    seed,
  }),
  /** The grid of the finite-N study of Figure 4 (notebook 07, claims II-10 and II-11). */
  finiteGrid: (): { lambdas: Float64Array; mus: Float64Array } => ({
    lambdas: linspace(0.005, 3, 200),
    mus: linspace(0, 1, 200),
  }),
  /** The dataset sizes of that study. */
  finiteSizes: [3, 4, 8, 10, 24, 100, 1000, 10000],
  /** The dataset seeds of that study at size n: 0–7 (0–2 at N = 10⁴). */
  finiteSeeds: (n: number): number[] => Array.from({ length: n === 10000 ? 3 : 8 }, (_, s) => s),
  /** The grid of the batch-size study of §4.2 (notebook 06, claim II-09): 300 λ in [0.005, 3], S = 1 … 64. */
  batchStudyGrid: (): { lambdas: Float64Array; batchSizes: number[] } => ({
    lambdas: linspace(0.005, 3, 300),
    batchSizes: Array.from({ length: 64 }, (_, i) => i + 1),
  }),
} as const;

const finiteCache = new Map<number, PhaseDiagram[]>();
let finiteInfinite: PhaseDiagram | undefined;

/**
 * The finite-N phase diagrams of the Figure 4 study on {@linkcode PART2}.finiteGrid, for each size its datasets
 * {@linkcode PART2}.finiteSeeds, and the N = ∞ diagram on the same grid. Computed once per size (later calls return
 * the same diagrams), so that notebook 07's cells and its claims rows II-10 and II-11 read the same diagrams.
 *
 * @param sizes The dataset sizes (default {@linkcode PART2}.finiteSizes): integers ≥ 1.
 * @returns The diagrams by size, and the N = ∞ diagram.
 *
 * @example Eight datasets of size 3
 * ```ts
 * import assert from "node:assert/strict";
 * import { finiteSizeDiagrams } from "@probstab/sgd/experiments";
 * const { diagrams, infinite } = finiteSizeDiagrams([3]);
 * assert(diagrams.get(3)!.length === 8 && infinite.phase.length === 200 * 200);
 * ```
 */
export function finiteSizeDiagrams(
  sizes: readonly number[] = PART2.finiteSizes,
): { diagrams: Map<number, PhaseDiagram[]>; infinite: PhaseDiagram } {
  array("finiteSizeDiagrams", "sizes", sizes).forEach((n, i) =>
    check.integerInRange("finiteSizeDiagrams", `sizes[${i}]`, n, 1, 1e6)
  );
  const grid = PART2.finiteGrid();
  finiteInfinite ??= gaussianPhaseDiagram(grid);
  const diagrams = new Map(sizes.map((n) => {
    if (!finiteCache.has(n)) {
      finiteCache.set(n, PART2.finiteSeeds(n).map((seed) => finitePhaseDiagram({ ...grid, size: n, seed })));
    }
    return [n, finiteCache.get(n)!];
  }));
  return { diagrams, infinite: finiteInfinite };
}

const PHASE = (name: string) => SADDLE_PHASES.indexOf(name as typeof SADDLE_PHASES[number]);

/** |a − b|, 0 when both are the same infinity (m = −∞ at λχ = ±1). */
const gap = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b));

/** The fraction of cells of `d` whose phase differs from `e` (same grid), optionally restricted to rows. */
export function phaseMismatch(
  d: PhaseDiagram,
  e: PhaseDiagram,
  rowFilter: (row: number) => boolean = () => true,
): number {
  const d1 = phaseDiagram("phaseMismatch", "d", d), d2 = phaseDiagram("phaseMismatch", "e", e);
  if (d2.phase.length !== d1.phase.length) {
    throw new RangeError(
      `Invalid e in phaseMismatch: expected the grid of d (${d1.phase.length} cells); received ${d2.phase.length}.`,
    );
  }
  callback("phaseMismatch", "rowFilter", rowFilter);
  let diff = 0;
  let n = 0;
  const L = d.lambdas.length;
  for (let i = 0; i < d.phase.length; i++) {
    if (!rowFilter(d.rows[Math.floor(i / L)])) continue;
    n++;
    if (d.phase[i] !== e.phase[i]) diff++;
  }
  return diff / n;
}

/** The fraction of cells of a diagram in a phase. */
export function phaseArea(d: PhaseDiagram, phase: string): number {
  phaseDiagram("phaseArea", "d", d);
  check.oneOf("phaseArea", "phase", phase, SADDLE_PHASES);
  const p = PHASE(phase);
  return d.phase.reduce((s, v) => s + (v === p ? 1 : 0), 0) / d.phase.length;
}

/**
 * The points (a, λ) of the Prop. 2 simulations, two per phase away from the boundaries (notebook 05 and claim II-01).
 */
export const SADDLE_SIMULATION_POINTS: ReadonlyArray<readonly [number, number]> = [
  [2, 1.3],
  [0.3, 2.7],
  [0.5, 0.5],
  [2, 0.3],
  [-0.5, 2.5],
  [-0.8, 1.6],
  [-0.5, 1.5],
  [-0.8, 0.6],
  [3, 3],
  [0, 2.5],
];

let saddleSimulationCache: SaddleSimulation[] | undefined;

/** One point of {@linkcode saddleSimulations}. */
export interface SaddleSimulation {
  /** χ ∈ {1, a}. */
  a: number;
  /** The learning rate. */
  l: number;
  /** The phase Prop. 2 predicts (saddlePhase). */
  predicted: string;
  /** The simulation (simulateSaddleSGD: 300 runs × 2000 steps, d = 10, seed 10 + the point's index). */
  sim: ReturnType<typeof simulateSaddleSGD>;
}

/**
 * Simulates SGD at the saddle at {@linkcode SADDLE_SIMULATION_POINTS} (once; later calls return the same runs): 300
 * runs × 2000 steps each, seed 10 + j at the j-th point, with the phase Prop. 2 predicts.
 *
 * @example Every point lands in its predicted phase
 * ```ts
 * import assert from "node:assert/strict";
 * import { saddleSimulations } from "@probstab/sgd/experiments";
 * assert(saddleSimulations().every((r) => r.sim.majority === r.predicted.replace(/[ab]$/, "")));
 * ```
 */
export function saddleSimulations(): SaddleSimulation[] {
  saddleSimulationCache ??= SADDLE_SIMULATION_POINTS.map(([a, l], j) => ({
    a,
    l,
    predicted: saddlePhase([1, a], l),
    sim: simulateSaddleSGD([1, a], l, { steps: 2000, trajectories: 300, seed: 10 + j }),
  }));
  return saddleSimulationCache;
}

/** The result of {@linkcode batchSizeStudy}. */
export interface BatchSizeStudy {
  /** The λ–S diagram on {@linkcode PART2}.batchStudyGrid() at μ = 0.06, σ = 2, N = ∞ (rows S = 1 … 64). */
  diagram: PhaseDiagram;
  /** How many of the learning rates reach phase III for some S ≤ 64. */
  columns: number;
  /** How many of those lose it monotonically: III for S = 1 … S₀ and for no larger S. */
  monotone: number;
  /** The smallest λ at which a larger S enters phase III after a smaller S was outside it (Infinity if none). */
  firstViolation: number;
  /** For each phase name, the fraction of the learning rates in that phase at S = 1 … 64 (index S − 1). */
  shares: Record<string, number[]>;
}

let batchStudyCache: BatchSizeStudy | undefined;

/**
 * The batch-size study of §4.2's last claim (claim II-09 and notebook 06): the Gaussian λ–S diagram on
 * {@linkcode PART2}.batchStudyGrid() (300 learning rates in [0.005, 3], S = 1 … 64, μ = 0.06), the number of learning
 * rates where phase III occurs and where it is lost monotonically as S grows, and the share of each phase per S.
 * Computed once (later calls return the same object), so that the notebook's cell and the claim row read one study.
 *
 * @returns The diagram and its counts.
 *
 * @example Phase III is lost monotonically only at small λ
 * ```ts
 * import assert from "node:assert/strict";
 * import { batchSizeStudy } from "@probstab/sgd/experiments";
 * const study = batchSizeStudy();
 * assert(study.monotone < study.columns && study.columns <= 300);
 * assert(study.shares.III[0] > 0 && study.shares.III[63] < study.shares.III[15]);
 * ```
 */
export function batchSizeStudy(): BatchSizeStudy {
  if (batchStudyCache) return batchStudyCache;
  const diagram = gaussianBatchPhaseDiagram({ ...PART2.batchStudyGrid(), mu: 0.06 });
  const L = diagram.lambdas.length, R = diagram.rows.length;
  const iii = PHASE("III");
  let columns = 0;
  let monotone = 0;
  let firstViolation = Infinity;
  for (let k = 0; k < L; k++) {
    const col = Array.from({ length: R }, (_, r) => diagram.phase[r * L + k] === iii);
    if (!col.some(Boolean)) continue;
    columns++;
    if (col.every((v, r) => !v || col.slice(0, r).every(Boolean))) monotone++;
    else firstViolation = Math.min(firstViolation, diagram.lambdas[k]);
  }
  const shares = Object.fromEntries(SADDLE_PHASES.map((name, ph) => [
    name,
    Array.from({ length: R }, (_, r) => diagram.phase.subarray(r * L, (r + 1) * L).filter((v) => v === ph).length / L),
  ]));
  batchStudyCache = { diagram, columns, monotone, firstViolation, shares };
  return batchStudyCache;
}

const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

/**
 * True when `values[j] < values[i]` whenever sizes[j] ≥ 3·sizes[i] (a trend that tolerates noise between close sizes);
 * a value that has reached 0 and stays 0 counts as falling (the phase has vanished).
 */
function falls(sizes: number[], values: number[]): boolean {
  return sizes.every((a, i) => sizes.every((b, j) => b < 3 * a || values[j] < values[i] || values[j] === 0));
}

/** Cells in phase III that also converge in mean square (meanSquare < 1). */
function overlapIIIMeanSquare(d: PhaseDiagram) {
  let count = 0;
  let margin = 0;
  for (let i = 0; i < d.phase.length; i++) {
    if (d.minus[i] < 0 && d.plus[i] < 0 && d.meanSquare[i] < 1) {
      count++;
      margin = Math.max(margin, Math.min(-d.minus[i], -d.plus[i], 1 - d.meanSquare[i]));
    }
  }
  return { count, margin };
}

/** The claims of Part II (§4.2, App. A.6, Figures 1(b), 3 and 4), computed on demand. */
export const PART2_CLAIMS: ClaimDefinition[] = [
  defineClaim({
    id: "II-01",
    where: "Prop. 2, App. A.6 eqs. (65)–(67)",
    claim: "w_t − u_t →p 0 iff E log|1 − λxy| < 0, and w_t + u_t →p 0 iff E log|1 + λxy| < 0",
    notebook: "05_saddle_phases",
    measure() {
      // The simulations of notebook 05.
      const rows = saddleSimulations();
      return {
        measured: "χ ∈ {1, a}, 300 runs × 2000 steps, d = 10, two points per phase: " +
          rows.map((r) =>
            `(a = ${r.a}, λ = ${r.l}) predicted ${r.predicted}, simulated ${r.sim.majority} in ${
              fmt(100 * r.sim.fractions[r.sim.majority], 3)
            }%`
          ).join("; "),
        values: {
          points: rows.map((r) => ({
            predicted: r.predicted.replace(/[ab]$/, ""),
            simulated: r.sim.majority,
            share: r.sim.fractions[r.sim.majority],
          })),
        },
      };
    },
    judge: ({ points }) =>
      agreeIf(
        points.every((p) => p.simulated === p.predicted && p.share > 0.9),
        "at every point the simulated majority phase (of > 90 % of the runs) is the predicted one",
      ),
  }),
  defineClaim({
    id: "II-02",
    where: "App. A.6, eqs. (68)–(69)",
    claim: "For χ ∈ {1, a}: E log|1 + λχ| = ½log|(1 + λ)(1 + λa)|, E log|1 − λχ| = ½log|(1 − λ)(1 − λa)|",
    notebook: "05_saddle_phases",
    measure() {
      let worst = 0;
      for (const a of linspace(-1, 3, 41)) {
        for (const l of linspace(0.05, 3, 60)) {
          const e = saddleExponents([1, a], l);
          worst = Math.max(
            worst,
            gap(e.plus, 0.5 * Math.log(Math.abs((1 + l) * (1 + l * a)))),
            gap(e.minus, 0.5 * Math.log(Math.abs((1 - l) * (1 - l * a)))),
          );
        }
      }
      return { measured: `largest difference over 41 × 60 (a, λ): ${fmt(worst, 2)}`, values: { worst } };
    },
    judge: ({ worst }) => agreeIf(worst <= 1e-12, "the largest difference is ≤ 10⁻¹²"),
  }),
  defineClaim({
    id: "II-03",
    where: "App. A.6 (end of proof)",
    claim:
      "“There are four cases: (1) both conditions are satisfied; (2) one of the two is satisfied; (3) none is satisfied”",
    notebook: "05_saddle_phases",
    measure() {
      // The cases the two conditions make, counted on the Figure 1(b) grid: the distinct sign pairs of the exponents.
      const d = twoPointPhaseDiagram(PART2.figure1b());
      const pairs = new Set<string>();
      for (let i = 0; i < d.phase.length; i++) pairs.add(`${d.minus[i] < 0}${d.plus[i] < 0}`);
      return {
        measured:
          `three cases are listed, the two conditions make ${pairs.size} on the Figure 1(b) grid: case (2) is two ` +
          "phases, I (only w − u → 0) and II (only w + u → 0); Figure 1(b) then splits I into Ia and Ib by mean-square " +
          "convergence, five in all",
        values: { listed: 3, announced: 4, cases: pairs.size },
      };
    },
    judge: ({ listed, announced, cases }) =>
      errataWhen(
        listed !== cases || announced !== cases,
        "the number of cases listed (3) or announced (4) differs from the sign pairs found on the grid",
      ),
  }),
  defineClaim({
    id: "II-04",
    where: "Figure 1 caption vs §4.2",
    claim: "Caption: “in phase Ib, the model also converges in variance”; §4.2: the mean-square region is Ia",
    notebook: "05_saddle_phases",
    measure() {
      const d = twoPointPhaseDiagram(PART2.figure1b());
      const ib = PHASE("Ib");
      let ms = 0;
      let inIb = 0;
      for (let i = 0; i < d.phase.length; i++) {
        if (d.minus[i] < 0 && d.plus[i] >= 0 && d.meanSquare[i] < 1) ms++;
        if (d.phase[i] === ib) inIb++;
      }
      return {
        measured:
          `the two texts conflict; the toolkit follows the caption: ${ms} of 160,000 cells of phase I converge in ` +
          `mean square, all ${inIb} labelled Ib`,
        values: { ms },
      };
    },
    judge: ({ ms }) =>
      errataWhen(
        ms > 0,
        "some phase-I cells converge in mean square (then the caption, Ib, and §4.2, Ia, cannot both be right)",
        [ms],
      ),
  }),
  defineClaim({
    id: "II-05",
    where: "§4.2, observation (1)",
    claim: "SGD converges to the low-rank saddle only with strong gradient noise and a large, but not too large, λ",
    notebook: "05_saddle_phases",
    measure() {
      const d = twoPointPhaseDiagram(PART2.figure1b());
      const L = d.lambdas.length;
      const iii = PHASE("III");
      let amax = -Infinity;
      const bands: number[][] = [];
      const band = (a: number) => {
        const r = d.rows.reduce((best, v, i) => (Math.abs(v - a) < Math.abs(d.rows[best] - a) ? i : best), 0);
        let lo = Infinity, hi = -Infinity;
        for (let k = 0; k < L; k++) {
          if (d.phase[r * L + k] === iii) {
            lo = Math.min(lo, d.lambdas[k]);
            hi = Math.max(hi, d.lambdas[k]);
          }
        }
        bands.push([lo, hi]);
        return `a = ${fmt(d.rows[r], 3)}: λ ∈ [${fmt(lo, 3)}, ${fmt(hi, 3)}]`;
      };
      d.rows.forEach((a, r) => {
        for (let k = 0; k < L; k++) if (d.phase[r * L + k] === iii) amax = Math.max(amax, a);
      });
      const text = [-0.9, -0.6, -0.45].map(band).join("; ");
      return {
        measured: `Figure 1(b) grid: phase III only for a ≤ ${fmt(amax, 3)} (E[χ] = (1 + a)/2 ≤ ${
          fmt((1 + amax) / 2, 3)
        }, noise-dominated); ${text} — the band starts at larger λ as the noise weakens and ends near λ ≈ 1.4–1.6`,
        values: { amax, bands },
      };
    },
    judge: ({ amax, bands }) =>
      agreeIf(
        amax < 0 && bands.every((b, i) => b[1] < 2 && (i === 0 || b[0] > bands[i - 1][0])),
        "phase III occurs only for a < 0 (strong noise), its λ band ends below 2 and starts later as the noise weakens " +
          "(a = −0.9, −0.6, −0.45)",
      ),
  }),
  defineClaim({
    id: "II-06",
    where: "§4.2, observation (2)",
    claim: "The region of convergence to the saddle (III) never overlaps convergence in mean square",
    notebook: "05_saddle_phases",
    measure() {
      const two = overlapIIIMeanSquare(twoPointPhaseDiagram(PART2.figure1b()));
      const gauss = overlapIIIMeanSquare(gaussianPhaseDiagram(PART2.figure3Left()));
      return {
        measured:
          `Figure 1(b), 400 × 400: ${two.count} cells in both; Gaussian model of Figure 3 (400 × 400): ${gauss.count} ` +
          `cells in both, a sliver along the III/Ib boundary (largest margin ${fmt(gauss.margin, 2)})`,
        values: { twoPoint: two.count, gaussian: gauss.count },
      };
    },
    judge: ({ twoPoint, gaussian }) =>
      graded(
        twoPoint === 0 && gaussian === 0,
        twoPoint === 0 || gaussian === 0,
        "no cell is in both regions in either model",
        "one model (Figure 1(b) or the Gaussian one) has no such cell",
      ),
  }),
  defineClaim({
    id: "II-07",
    where: "§4.2, the case a < −1",
    claim: "“The case for a < −1 is symmetric to this case up to a rescaling”",
    notebook: "05_saddle_phases",
    measure() {
      // χ ∈ {1, a}, a < −1, equals a·χ' with χ' ∈ {1/a, 1}: minus(a, λ) = plus(1/a, λ|a|) and vice versa.
      let worst = 0;
      for (const a of [-1.5, -2, -4]) {
        for (const l of linspace(0.05, 2, 40)) {
          const e = saddleExponents([1, a], l);
          const f = saddleExponents([1 / a, 1], l * Math.abs(a));
          worst = Math.max(worst, gap(e.minus, f.plus), gap(e.plus, f.minus));
        }
      }
      return {
        measured: `with χ = a·χ', χ' ∈ {1/a, 1}: minus(a, λ) = plus(1/a, |a|λ) and plus(a, λ) = minus(1/a, |a|λ) to ${
          fmt(worst, 2)
        } — phases I and II swap (E[χ] < 0, so w → −u is the correct sign there)`,
        values: { worst },
      };
    },
    judge: ({ worst }) => agreeIf(worst <= 1e-12, "the exponents match to ≤ 10⁻¹²"),
  }),
  defineClaim({
    id: "II-08",
    where: "§4.2, Figures 3–4",
    claim: "Phase II seems to disappear as N becomes large",
    notebook: "06_gaussian_phase_diagrams",
    measure() {
      // The grid of notebook 06's left diagram.
      const inf = gaussianPhaseDiagram({ lambdas: linspace(0.005, 3, 250), mus: linspace(0, 1, 250) });
      return {
        measured: `N = ∞ (Gaussian, 250 × 250): phase II covers ${fmt(100 * phaseArea(inf, "II"), 3)}% of the diagram`,
        values: { area: phaseArea(inf, "II") },
      };
    },
    judge: ({ area }) => agreeIf(area === 0, "phase II covers no cell at N = ∞"),
  }),
  defineClaim({
    id: "II-09",
    where: "§4.2 (last sentences), Figure 3 right",
    claim: "At fixed λ and noise, a larger batch makes it more and more difficult to converge to the low-rank solution",
    notebook: "06_gaussian_phase_diagrams",
    measure() {
      // The study of notebook 06 (section "The batch-size claim of §4.2"): the same diagram and counts.
      const { columns, monotone, firstViolation, shares } = batchSizeStudy();
      const area = [1, 4, 16, 64].map((s) => `S = ${s}: ${fmt(100 * shares.III[s - 1], 3)}%`);
      return {
        measured:
          `μ = 0.06, N = ∞, λ ∈ (0, 3]: of ${columns} learning rates where III occurs, ${monotone} lose it monotonically ` +
          `as S grows; from λ ≈ ${
            fmt(firstViolation, 3)
          } a larger S first ENTERS phase III (from IV or Ia). Share of λ in III: ${area.join(", ")}`,
        values: { columns, monotone },
      };
    },
    judge: ({ columns, monotone }) =>
      agreeIf(monotone === columns, "at every λ where III occurs it is lost monotonically as S grows"),
  }),
  defineClaim({
    id: "II-10",
    where: "§4.2, Figure 4 observation (1)",
    claim: "As N → ∞ the finite-N phase diagram tends to something smooth and universal (the N = ∞ diagram)",
    notebook: "07_finite_datasets",
    measure() {
      // The diagrams of notebook 07.
      const { diagrams, infinite } = finiteSizeDiagrams();
      const sizes = [...diagrams.keys()];
      const mismatch = sizes.map((n) => mean(diagrams.get(n)!.map((d) => phaseMismatch(d, infinite))));
      const rows = sizes.map((n, i) => `N = ${n}: ${fmt(100 * mismatch[i], 3)}%`);
      return {
        measured: `cells (200 × 200 grid) whose phase differs from N = ∞, mean over 8 datasets (3 at N = 10⁴): ${
          rows.join(", ")
        }`,
        values: { sizes, mismatch },
      };
    },
    judge: ({ sizes, mismatch }) =>
      agreeIf(
        falls(sizes, mismatch) && mismatch[sizes.indexOf(1000)] < 0.1,
        "the share at each N is below the share at every N at least 3× smaller, and below 10 % at N = 1000",
      ),
  }),
  defineClaim({
    id: "II-11",
    where: "§4.2, Figure 4 observation (2)",
    claim: "Phase II seems to disappear as N becomes large",
    notebook: "07_finite_datasets",
    measure() {
      // The diagrams of notebook 07.
      const { diagrams, infinite } = finiteSizeDiagrams();
      const sizes = [...diagrams.keys()];
      const areas = sizes.map((n) => mean(diagrams.get(n)!.map((d) => phaseArea(d, "II"))));
      const rows = sizes.map((n, i) => `N = ${n}: ${fmt(100 * areas[i], 3)}%`);
      return {
        measured: `area of phase II (200 × 200 grid), mean over 8 datasets (3 at N = 10⁴): ${rows.join(", ")}; N = ∞: ${
          fmt(100 * phaseArea(infinite, "II"), 3)
        }%`,
        values: { sizes, areas },
      };
    },
    judge: ({ sizes, areas }) =>
      agreeIf(
        falls(sizes, areas) && areas[sizes.indexOf(1000)] < 0.01,
        "the area at each N is below the area at every N at least 3× smaller, and below 1 % at N = 1000",
      ),
  }),
  defineClaim({
    id: "II-12",
    where: "§4.2, Figure 4 observation (3)",
    claim: "The lower part of the phase diagram is universal: the same shape for all samplings and dataset sizes",
    notebook: "07_finite_datasets",
    measure() {
      // The lower part's signature: the band of λ in phase III at μ = 0 (pure noise).
      const lambdas = linspace(0.005, 3, 600);
      const bandAtZero = (d: PhaseDiagram) => {
        const ks = lambdas.map((_, k) => k).filter((k) => d.phase[k] === PHASE("III"));
        return ks.length ? [lambdas[ks[0]], lambdas[ks[ks.length - 1]]] : undefined;
      };
      const inf = bandAtZero(gaussianPhaseDiagram({ lambdas, mus: [0] }))!;
      const rows = [3, 8, 24, 100].map((n) => {
        const bands = Array.from(
          { length: 8 },
          (_, seed) => bandAtZero(finitePhaseDiagram({ lambdas, mus: [0], size: n, seed })),
        );
        const present = bands.filter((b) => b !== undefined) as number[][];
        const ends = present.map((b) => b[1]);
        return { n, present: present.length, ends };
      });
      const text = rows.map(({ n, present, ends }) =>
        `N = ${n}: III at μ = 0 in ${present}/8 samplings` +
        (present ? `, ending between λ = ${fmt(Math.min(...ends), 2)} and ${fmt(Math.max(...ends), 2)}` : "")
      );
      return {
        measured: `${text.join("; ")}; N = ∞: λ ∈ [${fmt(inf[0], 2)}, ${
          fmt(inf[1], 2)
        }]. The lower part settles only from N ≈ 24–100`,
        values: { rows: rows.map((r) => ({ present: r.present, ends: r.ends })), infiniteEnd: inf[1] },
      };
    },
    judge: ({ rows, infiniteEnd }) =>
      agreeIf(
        rows.every((r) => r.present === 8 && r.ends.every((e) => Math.abs(e - infiniteEnd) <= 0.2)),
        "at every N all 8 samplings have phase III at μ = 0, its band ending within 0.2 of the N = ∞ end",
      ),
  }),
];

/** The Part II figures. */
export async function* part2Figures(workers?: number): AsyncGenerator<NamedFigure> {
  if (workers !== undefined) check.integerInRange("part2Figures", "workers", workers);
  yield {
    name: "figure1b_phase_diagram",
    caption: "Figure 1(b): the phases of SGD around the saddle, χ ∈ {1, a}",
    figure: plotPhaseDiagram(twoPointPhaseDiagram(PART2.figure1b()), { title: "Figure 1(b): χ = 1 or a" }),
  };
  const left = await phaseDiagramInWorkers({ kind: "gaussianPhaseDiagram", options: PART2.figure3Left() }, { workers });
  yield {
    name: "figure3_left_lambda_mu",
    caption: "Figure 3 (left): λ–μ phase diagram, S = 1, N = ∞",
    figure: plotPhaseDiagram(left, { title: "Figure 3 (left): S = 1, N = ∞" }),
  };
  const right = await phaseDiagramInWorkers({ kind: "gaussianBatchPhaseDiagram", options: PART2.figure3Right() }, {
    workers,
  });
  yield {
    name: "figure3_right_lambda_batch",
    caption: "Figure 3 (right): λ–S phase diagram, μ = 0.06, N = ∞",
    figure: plotPhaseDiagram(right, { title: "Figure 3 (right): μ = 0.06, N = ∞" }),
  };
  for (const n of PART2.figure4Sizes) {
    const d = await phaseDiagramInWorkers({ kind: "finitePhaseDiagram", options: PART2.figure4(n) }, { workers });
    yield {
      name: `figure4_finite_N${n}`,
      caption: `Figure 4: λ–μ phase diagram for a dataset of N = ${n}`,
      figure: plotPhaseDiagram(d, { title: `Figure 4: N = ${n}` }),
    };
  }
}

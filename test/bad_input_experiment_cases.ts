// The bad-input battery's table for the experiments module (experiments/mod.ts, `@probstab/sgd/experiments`; issue 11,
// items 1 and 7): one cheap valid call per function export, read by test/bad_input_cases.ts, which generates the cases
// (ids prefixed "experiments/"). The results the figures and claims are drawn from are read from the committed sweep
// caches in figures/sweeps/ (no computation); they are replaced whole by each bad value but not walked into (opaque):
// their fields are the library's outcomes, whose own checks are covered by the library's table.
import * as ex from "../experiments/mod.ts";
import { sweepKey, twoPointPhaseDiagram } from "../mod.ts";
import type { Entry } from "./bad_input_cases.ts";

const FIGURES = new URL("../figures/", import.meta.url);
const NOTEBOOKS = new URL("../notebooks/", import.meta.url);

const net = (await ex.cachedNetworkResults("notebook", FIGURES))!;
const deepNotebook = (await ex.cachedDeepResults("deep-notebook", FIGURES))!;
const deepFull = (await ex.cachedDeepResults("deep-full", FIGURES))!;
const seeds = (await ex.cachedDeepSeeds(deepFull, FIGURES))!;
const seedKnown = await ex.readCache(FIGURES, ex.DEEP_SEEDS_SIZE);
const netKnown = await ex.readCache(FIGURES, "notebook");
const deepKnown = await ex.readCache(FIGURES, "deep-notebook");
if (!net || !deepNotebook || !deepFull || !seeds) {
  throw new Error("the committed sweep caches in figures/ are incomplete");
}
const seedOutcomes = ex.deepSeedCells().map((c) => seedKnown.get(sweepKey(c)));

const claimRow = (verdict: "agree" | "errata" = "errata") => ({
  id: "I-01",
  where: "§2",
  claim: "a claim",
  notebook: "01_x",
  measured: "1.5",
  verdict,
  criterion: "errata if the printed value differs",
});
const notebook = () => ({ name: "01_x", cells: [{ cell_type: "markdown", source: "## Erratum I-01\ntext" }] });
const definition = () => ({
  id: "X-01",
  where: "§1",
  claim: "a claim",
  notebook: "01_x",
  measure: () => ({ measured: "1", values: { x: 1 } }),
  judge: ({ x }: { x: number }) => ({ verdict: x === 1 ? "agree" as const : "disagree" as const, criterion: "x = 1" }),
});
const phase = () => twoPointPhaseDiagram({ lambdas: [0.5, 1], as: [0.5, 1] });
const scalarRun = () => ({
  times: new Float64Array([0, 1, 2]),
  trajectories: 2,
  u: new Float64Array([1, 0.5, 0.25, 1, 0.6, 0.3]),
  w: new Float64Array([1, 0.5, 0.2, 1, 0.4, 0.1]),
});
const floorSettings = () => ({
  dimension: 2,
  mu: 0.05,
  lambda: 0.15,
  steps: 20,
  scales: [1],
  seeds: ["a", "b"],
});
const floorRuns = ex.activationFloors(floorSettings());
const regrowthSettings = () => ({
  dimension: 3,
  mu: 0.05,
  lambda: 0.1,
  trainSteps: 20,
  shrunk: 1,
  factor: 1e-2,
  regrowSteps: 20,
  every: 10,
  seed: "fig7",
});
const regrown = ex.regrowth(regrowthSettings());
const model5 = ex.figure5Model();
const test5 = ex.figure5Test();
const points5 = ex.figure5Points(model5, test5);
const exponents5 = ex.figure5Exponents(points5, [0.1, 0.2], model5);
const selection = () => ({
  lambdas: new Float64Array([0.1, 0.2]),
  classes: ["a", "b"],
  fractions: new Float64Array([0.6, 0.4, 0.3, 0.7]),
  medianTestLoss: new Float64Array([1, 1]),
  lowerTestLoss: new Float64Array([0.5, 0.5]),
  upperTestLoss: new Float64Array([2, 2]),
  finalU: new Float64Array([1, 1, 1, 1]),
  finalW: new Float64Array([1, 1, 1, 1]),
  runs: 2,
});
const landscapeStats = ex.section43LandscapeStatistics(2);
const selectionStats = ex.section43SelectionStatistics({ count: 2, steps: 20, runs: 2 });
const cacheLine = JSON.stringify({ key: [...netKnown.keys()][0], result: [...netKnown.values()][0] });
const low = (n: number) => Array.from({ length: n }, (_, i) => i % 2 === 0);
const fullCells = ex.DEEP_SIZES["deep-full"].lambdas.length * ex.DEEP_SIZES["deep-full"].noises.length;
const notebookCells = ex.DEEP_SIZES["deep-notebook"].lambdas.length * ex.DEEP_SIZES["deep-notebook"].noises.length;
const next = (g: unknown) => (g as Iterator<unknown> | AsyncIterator<unknown>).next();

/** One entry per function export of experiments/mod.ts. */
export const EXPERIMENT_ENTRIES: Record<string, Entry> = {
  activationFloors: { params: ["settings"], args: () => [floorSettings()] },
  agreeIf: { params: ["holds", "condition", "otherwise"], args: () => [true, "2 > 1", "partly"] },
  analyzeSection43Sample: { params: ["seed", "test"], args: () => [1, test5], opaque: ["test"] },
  batchCells: { params: ["size"], args: () => ["notebook"] },
  batchSizeFigure: {
    params: ["rows", "maxRank", "options"],
    args: () => [[{ S: 1, series: "a", rank: 2 }, { S: 2, series: "a", rank: 3 }], 20, {}],
    free: ["rows[0].series"],
    // A diverged run's rank is NaN (a gap in its line), as in Part IV's batch-size figure.
    exempt: ["rows[0].rank | NaN"],
  },
  cacheDir: { params: ["out"], args: () => ["figures"] },
  cachedDeepResults: {
    params: ["size", "out"],
    args: () => ["deep-notebook", FIGURES],
    // A path that names no folder is not a wrong value: the cache there is empty (documented).
    exempt: ["out | string"],
  },
  cachedDeepSeeds: {
    params: ["full", "out"],
    args: () => [deepFull, FIGURES],
    opaque: ["full"],
    // A path that names no folder is not a wrong value: the cache there is empty (documented).
    exempt: ["out | string"],
  },
  cachedNetworkResults: {
    params: ["size", "out"],
    args: () => ["notebook", FIGURES],
    // A path that names no folder is not a wrong value: the cache there is empty (documented).
    exempt: ["out | string"],
  },
  checkCacheText: { params: ["text", "file", "size"], args: () => [cacheLine, "notebook.jsonl", "notebook"] },
  checkClaims: {
    params: ["definitions", "notebook", "onProgress"],
    args: () => [[definition()], "01_x", () => {}],
    free: ["definitions[0].where", "definitions[0].claim"],
  },
  claimsMarkdown: {
    params: ["claims", "withNotebook"],
    args: () => [[claimRow()], true],
    free: ["claims[0].where", "claims[0].claim", "claims[0].measured"],
  },
  combineDeepSeeds: { params: ["full", "extra"], args: () => [deepFull, seedOutcomes], opaque: ["full", "extra"] },
  criticalLearningRates: {
    params: ["size", "outcomes", "lambdaScale"],
    args: () => ["deep-notebook", deepNotebook.panels.sgd, 1],
    opaque: ["outcomes"],
  },
  deepBatchCells: { params: ["size"], args: () => ["deep-notebook"] },
  deepBoundaryCells: {
    params: ["size", "outcomes"],
    args: () => ["deep-full", deepFull.panels.sgd],
    opaque: ["outcomes"],
  },
  deepCells: { params: ["size", "panel"], args: () => ["deep-notebook", ex.DEEP_PANELS[0]], free: ["panel.name"] },
  deepDiagram: {
    params: ["size", "outcomes", "field", "lambdaScale"],
    args: () => ["deep-notebook", deepNotebook.panels.sgd, "rank", 1],
    opaque: ["outcomes"],
  },
  deepExperiment: {
    params: ["size", "settings"],
    args: () => ["deep-notebook", { learningRate: 0.1, labelNoise: 0 }],
  },
  deepNetworkCells: { params: ["size"], args: () => ["deep-notebook"] },
  deepRelabelCells: { params: ["size"], args: () => ["deep-notebook"] },
  deepResults: {
    params: ["size", "options"],
    args: () => ["deep-notebook", { known: deepKnown, workers: 1 }],
    opaque: ["options.known"],
  },
  deepSeedCells: { params: [], args: () => [] },
  deepSeedResults: {
    params: ["full", "options"],
    args: () => [deepFull, { known: seedKnown, workers: 1 }],
    opaque: ["full", "options.known"],
  },
  defineClaim: { params: ["definition"], args: () => [definition()] },
  errataCounts: { params: ["claims"], args: () => [[claimRow()]], free: ["claims[0].where", "claims[0].claim"] },
  errataIf: { params: ["printed", "derived", "tolerance", "what"], args: () => [[0.5], [0.4], 1e-6, "λ_DS"] },
  errataWhen: {
    params: ["wrong", "condition", "measured"],
    args: () => [true, "the listed cases are not the phases", [3, 4]],
    exempt: ["measured | array with NaN"], // a failed measurement: the verdict is "disagree"
  },
  errataMarkdown: {
    params: ["rows", "options"],
    args: () => [ex.errataRows([claimRow()], [notebook()]), { measured: true }],
    opaque: ["rows"],
  },
  errataRows: {
    params: ["claims", "notebooks"],
    args: () => [[claimRow()], [notebook()]],
    free: ["claims[0].where", "claims[0].claim", "claims[0].measured"],
  },
  exponentCells: { params: ["size"], args: () => ["notebook"] },
  figure1aExponents: { params: ["lambda", "model"], args: () => [0.5, ex.figure1aModel()], opaque: ["model"] },
  figure1aModel: { params: [], args: () => [] },
  figure1aPoints: { params: ["model"], args: () => [ex.figure1aModel()], opaque: ["model"] },
  figure1aRun: {
    params: ["lambda", "model", "recordEvery"],
    args: () => [0.5, ex.figure1aModel(), 500],
    opaque: ["model"],
  },
  figure2Map: { params: ["n", "zoom"], args: () => [5, false] },
  figure5Exponents: {
    params: ["points", "lambdas", "model"],
    args: () => [points5, [0.1, 0.2], model5],
    opaque: ["points", "model"],
  },
  figure5Model: { params: ["seed", "n"], args: () => [1, 10] },
  figure5Points: { params: ["model", "test"], args: () => [model5, test5], opaque: ["model", "test"] },
  figure5Predictions: {
    params: ["points", "exponents", "start", "lambdas"],
    args: () => [points5, exponents5, "A", [0.1, 0.2]],
    opaque: ["points", "exponents"],
  },
  figure5Sweep: {
    params: ["points", "start", "model", "test"],
    args: () => [points5, "A", model5, test5],
    opaque: ["points", "model", "test"],
  },
  figure5Test: { params: [], args: () => [] },
  figure6Run: { params: ["lambda", "trajectories"], args: () => [0.1, 2] },
  findCell: {
    params: ["claim", "notebook"],
    args: () => [{ id: "I-01", where: "§2" }, notebook()],
    free: ["claim.where", "notebook.name", "notebook.cells[0].source"],
  },
  finiteSizeDiagrams: {
    params: ["sizes"],
    args: () => [[3]],
    huge: { "sizes [1e12]": () => [[1e12]] },
  },
  firstLowRankBySeed: { params: ["full", "seeds"], args: () => [deepFull, seeds], opaque: ["full", "seeds"] },
  firstLowRankLambdas: { params: ["size", "low"], args: () => ["deep-full", low(fullCells)] },
  firstMajority: {
    params: ["sweep", "cls"],
    args: () => [selection(), "b"],
    // The final parameters of a diverged run are NaN (documented in SolutionSelectionSweep).
    exempt: ["sweep.finalU | array with NaN", "sweep.finalW | array with NaN"],
  },
  fittedTheoryBoundary: { params: ["size", "scale", "lambdaScale"], args: () => ["deep-notebook", 0.5, 1] },
  floorFigure: { params: ["runs"], args: () => [floorRuns], opaque: ["runs"] },
  floorSummary: { params: ["runs"], args: () => [floorRuns], opaque: ["runs"] },
  fmt: {
    params: ["x", "digits"],
    args: () => [1.5, 4],
    // ±∞ are printed as such (a diverged value in the report).
    exempt: ["x | Infinity", "x | -Infinity"],
  },
  fractionAtSaddle: {
    params: ["run", "radius"],
    args: () => [scalarRun(), 1e-3],
    // A diverged run holds NaN (it is not at the saddle).
    exempt: ["run.u | array with NaN", "run.w | array with NaN"],
  },
  graded: { params: ["all", "some", "allText", "someText"], args: () => [false, true, "both hold", "one holds"] },
  isDeepLowRank: { params: ["r"], args: () => [deepNotebook.panels.sgd[0]], opaque: ["r"] },
  isLowRank: { params: ["r", "d"], args: () => [net.panels.linear[0], 20], opaque: ["r"] },
  loadNotebooks: { params: ["dir"], args: () => [NOTEBOOKS] },
  logNormSlope: { params: ["run"], args: () => [scalarRun()] },
  markdownCell: { params: ["s"], args: () => ["w* = x_i, |a|"] },
  mechanismFigures: {
    params: ["runs", "cells"],
    args: () => [floorRuns, [regrown]],
    opaque: ["runs", "cells"],
    then: next,
  },
  monitorExperiment: { params: ["steps"], args: () => [200] },
  networkCells: { params: ["size"], args: () => ["notebook"] },
  networkResults: {
    params: ["size", "options"],
    args: () => ["notebook", { known: netKnown, workers: 1 }],
    opaque: ["options.known"],
  },
  paperReferences: { params: ["text"], args: () => ["eq. (7) and Figure 2"] },
  part1Figures: { params: [], args: () => [] },
  part2Figures: { params: ["workers"], args: () => [1], then: next },
  part3Figures: { params: [], args: () => [] },
  part4MechanismClaims: {
    params: ["runs", "cells", "large"],
    args: () => [floorRuns, [regrown], regrown],
    opaque: ["runs", "cells", "large"],
  },
  part4NetworkClaims: { params: ["results"], args: () => [net], opaque: ["results"] },
  part4NetworkFigures: { params: ["results"], args: () => [net], opaque: ["results"], then: next },
  part4ScalarFigures: { params: [], args: () => [] },
  part5Claims: { params: ["results", "seeds"], args: () => [deepFull, seeds], opaque: ["results", "seeds"] },
  part5Figures: {
    params: ["results", "twoLayer"],
    args: () => [deepNotebook, net],
    opaque: ["results", "twoLayer"],
    then: next,
  },
  phaseArea: { params: ["d", "phase"], args: () => [phase(), "Ia"], opaque: ["d"] },
  phaseMismatch: { params: ["d", "e", "rowFilter"], args: () => [phase(), phase(), () => true], opaque: ["d", "e"] },
  printedOrDerived: {
    params: ["measured", "printed", "derived", "tolerance", "what"],
    args: () => [[2.001], [1.5], [2], 0.01, "λ·c"],
    // A measurement that failed is NaN: it matches neither formula ("disagree"), as in within.
    exempt: ["measured | array with NaN"],
  },
  batchSizeStudy: { params: [], args: () => [] },
  deepHvpCheck: { params: [], args: () => [] },
  eq48Comparison: { params: [], args: () => [] },
  eq48Pair: { params: [], args: () => [] },
  eq64Exponent: { params: ["lambda"], args: () => [0.02] },
  eq64Pair: { params: ["coupling"], args: () => [0.2] },
  probeRegression: { params: [], args: () => [] },
  probeSaddle: { params: [], args: () => [] },
  swishProbe: { params: ["name"], args: () => ["A"] },
  theorem2Variance: { params: [], args: () => [] },
  prop1Runs: { params: [], args: () => [] },
  prop3Experiment: { params: [], args: () => [] },
  rankCells: { params: ["size", "panel"], args: () => ["notebook", ex.PANELS[0]], free: ["panel.name"] },
  rankDiagram: {
    params: ["size", "outcomes", "effective"],
    args: () => ["notebook", net.panels.linear, false],
    opaque: ["outcomes"],
  },
  readCache: {
    params: ["out", "size", "options"],
    args: () => [FIGURES, "notebook", { onFault: () => {} }],
    // A path that names no folder is not a wrong value: the cache there is empty (documented).
    exempt: ["out | string"],
  },
  regrowth: { params: ["settings"], args: () => [regrowthSettings()] },
  regrowthFigure: { params: ["cells"], args: () => [[regrown]], opaque: ["cells"] },
  saddleHessians: { params: ["a"], args: () => [0.5] },
  saddleNetworkComparison: {
    params: ["mu", "lambda", "options"],
    args: () => [0.5, 0.1, { dimension: 1, activation: "linear", dataSets: 2, size: 50, steps: 50, seed: "s" }],
  },
  saddleSimulations: { params: [], args: () => [] },
  saddleWindow: { params: ["model", "slope"], args: () => [model5, 0.5], opaque: ["model"] },
  section43LandscapeStatistics: { params: ["count", "onProgress"], args: () => [2, () => {}] },
  section43SelectionStatistics: { params: ["options"], args: () => [{ count: 2, steps: 20, runs: 2 }] },
  section43SelectionTable: { params: ["stats"], args: () => [selectionStats], opaque: ["stats"] },
  section43SummaryTable: { params: ["stats"], args: () => [landscapeStats], opaque: ["stats"] },
  seedBoundaryFigure: { params: ["full", "seeds"], args: () => [deepFull, seeds], opaque: ["full", "seeds"] },
  seededGrid: { params: ["full", "seeds"], args: () => [deepFull, seeds], opaque: ["full", "seeds"] },
  showClaims: {
    params: ["claims"],
    args: () => [[claimRow()]],
    free: ["claims[0].where", "claims[0].claim", "claims[0].measured"],
  },
  showErrata: {
    params: ["rows", "options"],
    args: () => [ex.errataRows([claimRow()], [notebook()]), { measured: true }],
    opaque: ["rows"],
  },
  theoryAgreement: {
    params: ["size", "outcomes", "noiseStd", "scale"],
    args: () => ["notebook", net.panels.linear, 2, 1],
    opaque: ["outcomes"],
  },
  theoryBoundaries: { params: ["scale"], args: () => [1] },
  theoryFit: {
    params: ["size", "outcomes", "lambdaScale"],
    args: () => ["deep-notebook", deepNotebook.panels.sgd, 1],
    opaque: ["outcomes"],
  },
  theoryFitClasses: {
    params: ["size", "low", "finite", "lambdaScale"],
    args: () => ["deep-notebook", low(notebookCells), low(notebookCells).map(() => true), 1],
  },
  twoLayerNoiseDiagram: { params: ["results", "panel"], args: () => [net, "linear"], opaque: ["results"] },
  within: {
    params: ["actual", "expected", "tolerance"],
    args: () => [-0.999, -1, 0.02],
    // A failed measurement (NaN) is never within; equal infinities are within (documented).
    exempt: ["actual | NaN", "actual | Infinity", "actual | -Infinity", "expected | Infinity", "expected | -Infinity"],
  },
  withinRelative: {
    params: ["actual", "expected", "tolerance"],
    args: () => [101, 100, 0.01],
    // As within.
    exempt: ["actual | NaN", "actual | Infinity", "actual | -Infinity", "expected | Infinity", "expected | -Infinity"],
  },
};

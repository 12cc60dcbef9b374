/**
 * The experiments of the paper, Parts I–V: their settings, grids, sweep cells, figures and claim checks, and the errata
 * table. The notebooks, the reproduce CLI and a user's own script all import them from here; the library itself
 * (`../mod.ts`) knows nothing of them. Importing needs no permissions: only {@linkcode readCache}, {@linkcode
 * cachedNetworkResults}, {@linkcode cachedDeepResults} and {@linkcode loadNotebooks} read files, from the folder they
 * are given.
 *
 * - Part I (§2–§3.2, §4.1, Figure 2): `part1.ts`, `part1_claims.ts`
 * - Part II (§4.2, App. A.6, Figures 1(b), 3, 4): `part2.ts`
 * - Part III (§3.3, Theorem 1, Figure 6): `part3.ts`
 * - Part IV (Figure 1(a), §4.3–§4.4, Figures 5, 7–8): `part4_scalar.ts`, `part4_network.ts`, `part4_figures.ts`,
 *   `part4_claims.ts`; §4.3 over 400 samples: `solution_selection_samples.ts`
 * - Part V (Figure 1(c), Figures 9–12, MNIST): `part5.ts`, `part5_figures.ts`, `part5_claims.ts`,
 *   `part5_seeds.ts`
 * - beyond the paper, the stability probe at a point (notebook 16): `probe_claims.ts`
 * - the claims report and the errata table: `claims.ts`, `errata.ts`; the sweep cache reader: `sweep_cache.ts`
 *
 * @example Check a claim of the paper
 * ```ts
 * import { checkClaims, claimsMarkdown, PART1_CLAIMS } from "@probstab/sgd/experiments";
 * import assert from "node:assert/strict";
 *
 * const [row] = checkClaims(PART1_CLAIMS.filter((c) => c.id === "I-01"));
 * assert.equal(row.verdict, "agree");
 * assert.match(claimsMarkdown([row]), /\| I-01 \|/);
 * ```
 *
 * @module
 */

export * from "./claims.ts";
export * from "./errata.ts";
export * from "./sweep_cache.ts";
export * from "./part1.ts";
export * from "./part1_claims.ts";
export * from "./part2.ts";
export * from "./part3.ts";
export * from "./part4_scalar.ts";
export * from "./part4_network.ts";
export * from "./part4_figures.ts";
export * from "./part4_claims.ts";
export * from "./solution_selection_samples.ts";
export * from "./part4_mechanism.ts";
export * from "./part5.ts";
export * from "./part5_figures.ts";
export * from "./part5_claims.ts";
export * from "./part5_seeds.ts";
export * from "./probe_claims.ts";

// The library's types that appear in the signatures above (and the types they name), so that this entry's documentation
// is complete on its own.
export type {
  Activation,
  ACTIVATIONS,
  DEEP_ACTIVATIONS,
  DeepActivation,
  DeepExperiment,
  DeepOutcome,
  Figure,
  LossReading,
  OutlierStabilityMap,
  PassThroughOptions,
  PhaseDiagram,
  ProgressCallback,
  RankBoundary,
  RankDiagram,
  RankExperiment,
  RankOutcome,
  RobustLossMonitor,
  SaddleExponents,
  SaddleNetworkExponentOptions,
  ScalarModel,
  ScalarPointInfo,
  ScalarStationaryPoint,
  ScalarTrajectories,
  Shard,
  SolutionSelectionSweep,
  StationaryPoint,
  SweepCell,
  SweepOptions,
  Trajectories,
} from "../mod.ts";

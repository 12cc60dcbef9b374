/**
 * Input checks of the experiments' exports, built on the library's shared validation (lib/core/validate.ts): each
 * throws a TypeError (wrong kind) or RangeError (wrong value) naming the called function, the parameter path and the
 * value. Internal: not re-exported by experiments/mod.ts.
 *
 * @module
 */

import * as check from "../lib/core/validate.ts";
import { ACTIVATIONS } from "../lib/networks/activations.ts";
import type { Claim, ClaimDefinition } from "./claims.ts";
import { DEEP_BOUNDARY_CELLS, type DeepSeedResults } from "./part5_seeds.ts";
import type { ErrataRow, NotebookSource } from "./errata.ts";
import type { DeepOutcome, PhaseDiagram, RankOutcome, ScalarModel } from "../mod.ts";
import type { FloorRun, Regrowth } from "./part4_mechanism.ts";
import { DEEP_PANELS, DEEP_SIZES, type DeepResults, type DeepSize } from "./part5.ts";
import { NETWORK_SIZES, type NetworkResults, type NetworkSize, PANELS } from "./part4_network.ts";

export { check };

function fail(kind: "type" | "range", fn: string, param: string, expected: string, value: unknown): never {
  const message = `Invalid ${param} in ${fn}: expected ${expected}; received ${check.describe(value)}.`;
  throw kind === "type" ? new TypeError(message) : new RangeError(message);
}

/** Checks that `value` is a string and returns it. */
export function text(fn: string, param: string, value: unknown): string {
  if (typeof value !== "string") fail("type", fn, param, "a string", value);
  return value;
}

/** Checks a folder or file location: a non-empty string or a URL. */
export function place(fn: string, param: string, value: unknown): string | URL {
  if (value instanceof URL) return value;
  if (typeof value !== "string") fail("type", fn, param, "a path (a string) or a URL", value);
  if (value === "") fail("range", fn, param, "a non-empty path", value);
  return value;
}

/** Checks that `value` is an array (of `length` elements, when given) and returns it. */
export function array<T>(fn: string, param: string, value: unknown, length?: number): T[] {
  if (!Array.isArray(value)) fail("type", fn, param, "an array", value);
  if (length !== undefined && value.length !== length) {
    fail("range", fn, param, `an array of ${length} elements`, value);
  }
  return value as T[];
}

/** Checks an array of objects (sweep outcomes, runs, rows), one per cell when `length` is given. */
export function objects<T extends object>(fn: string, param: string, value: unknown, length?: number): T[] {
  const a = array<T>(fn, param, value, length);
  a.forEach((o, i) => check.object(fn, `${param}[${i}]`, o));
  return a;
}

/** Checks an array of booleans, one per cell when `length` is given. */
export function booleans(fn: string, param: string, value: unknown, length?: number): boolean[] {
  const a = array<boolean>(fn, param, value, length);
  a.forEach((b, i) => check.boolean(fn, `${param}[${i}]`, b));
  return a;
}

/** Checks a {@linkcode ScalarModel}: finite x and y of equal lengths and a known activation. */
export function scalarModel(fn: string, param: string, model: unknown): ScalarModel {
  check.object(fn, param, model as object);
  const m = model as ScalarModel;
  const x = check.finiteArray(fn, `${param}.x`, m.x);
  const y = check.finiteArray(fn, `${param}.y`, m.y);
  check.sameLength(fn, `${param}.y`, y, x, `${param}.x`);
  check.oneOf(fn, `${param}.activation`, m.activation, ACTIVATIONS);
  return m;
}

/** Checks trajectories of (u, w) ({@linkcode ScalarTrajectories}): u and w of trajectories × times values. */
export function scalarRun(fn: string, param: string, run: unknown): void {
  check.object(fn, param, run as object);
  const r = run as { times: unknown; trajectories: unknown; u: unknown; w: unknown };
  const times = check.finiteArray(fn, `${param}.times`, r.times);
  const k = check.integerInRange(fn, `${param}.trajectories`, r.trajectories, 1, check.MAX_DOUBLES);
  // A diverged run holds ±Infinity or NaN: only the kind and the length are checked.
  for (const key of ["u", "w"] as const) {
    if (!(r[key] instanceof Float64Array)) fail("type", fn, `${param}.${key}`, "a Float64Array", r[key]);
    if ((r[key] as Float64Array).length !== k * times.length) {
      fail("range", fn, `${param}.${key}`, `${k} × ${times.length} values`, r[key]);
    }
  }
}

/** Checks a size name. */
export function networkSize(fn: string, size: unknown, param = "size"): NetworkSize {
  return check.oneOf(fn, param, size, Object.keys(NETWORK_SIZES) as NetworkSize[]);
}

/** Checks a panel ({@linkcode PANELS}). */
export function checkPanel(fn: string, panel: unknown): (typeof PANELS)[number] {
  check.object(fn, "panel", panel as object);
  const p = panel as (typeof PANELS)[number];
  check.oneOf(fn, "panel.activation", p.activation, ACTIVATIONS);
  check.oneOf(fn, "panel.optimizer", p.optimizer, ["sgd", "adam"]);
  check.positiveNumber(fn, "panel.lambdaScale", p.lambdaScale);
  return p;
}

/** Checks the outcomes of a panel: one object per cell of the size's grid. */
export function panelOutcomes(fn: string, size: NetworkSize, outcomes: unknown): RankOutcome[] {
  const s = NETWORK_SIZES[size];
  return objects<RankOutcome>(fn, "outcomes", outcomes, s.lambdas.length * s.mus.length);
}

/** Checks network results (of {@linkcode networkResults}). */
export function networkResults(fn: string, results: unknown, param = "results"): NetworkResults {
  check.object(fn, param, results as object);
  const r = results as NetworkResults;
  const size = networkSize(fn, r.size, `${param}.size`);
  check.object(fn, `${param}.panels`, r.panels);
  const s = NETWORK_SIZES[size];
  for (const p of PANELS) objects(fn, `${param}.panels.${p.name}`, r.panels[p.name], s.lambdas.length * s.mus.length);
  objects(fn, `${param}.batch`, r.batch);
  objects(fn, `${param}.exponents`, r.exponents);
  return r;
}

/** Checks a Part V grid size name. */
export function deepSize(fn: string, size: unknown, param = "size"): DeepSize {
  return check.oneOf(fn, param, size, Object.keys(DEEP_SIZES) as DeepSize[]);
}

/** Checks a Part V panel ({@linkcode DEEP_PANELS}). */
export function deepPanel(fn: string, panel: unknown): (typeof DEEP_PANELS)[number] {
  check.object(fn, "panel", panel as object);
  const p = panel as (typeof DEEP_PANELS)[number];
  check.oneOf(fn, "panel.optimizer", p.optimizer, ["sgd", "adam"]);
  check.oneOf(fn, "panel.noiseKind", p.noiseKind, ["dynamic", "static"]);
  check.positiveNumber(fn, "panel.lambdaScale", p.lambdaScale);
  return p;
}

/** Checks the outcomes of a Part V panel: one object per cell of the size's grid. */
export function deepOutcomes(fn: string, size: DeepSize, outcomes: unknown, param = "outcomes"): DeepOutcome[] {
  const s = DEEP_SIZES[size];
  return objects<DeepOutcome>(fn, param, outcomes, s.lambdas.length * s.noises.length);
}

/** Checks Part V results (of {@linkcode deepResults}). */
export function deepResults(fn: string, results: unknown, param = "results"): DeepResults {
  check.object(fn, param, results as object);
  const r = results as DeepResults;
  const size = deepSize(fn, r.size, `${param}.size`);
  check.object(fn, `${param}.panels`, r.panels);
  for (const p of DEEP_PANELS) deepOutcomes(fn, size, r.panels[p.name], `${param}.panels.${p.name}`);
  objects(fn, `${param}.batch`, r.batch);
  objects(fn, `${param}.relabel`, r.relabel);
  return r;
}

/** Checks checked claims ({@linkcode Claim}): their text fields and verdicts. */
export function checkClaimRows(fn: string, claims: unknown, param = "claims"): Claim[] {
  return objects<Claim>(fn, param, claims).map((c, i) => {
    for (const key of ["id", "where", "claim", "measured", "criterion", "notebook"] as const) {
      text(fn, `${param}[${i}].${key}`, c[key]);
    }
    check.oneOf(fn, `${param}[${i}].verdict`, c.verdict, ["agree", "disagree", "errata", "partly"]);
    return c;
  });
}

/** Checks a notebook ({@linkcode NotebookSource}): a name and cells with a type and a source. */
export function notebookSource(fn: string, param: string, notebook: unknown): NotebookSource {
  check.object(fn, param, notebook as object);
  const nb = notebook as NotebookSource;
  text(fn, `${param}.name`, nb.name);
  objects<NotebookSource["cells"][number]>(fn, `${param}.cells`, nb.cells).forEach((c, i) => {
    text(fn, `${param}.cells[${i}].cell_type`, c.cell_type);
    if (Array.isArray(c.source)) c.source.forEach((l, j) => text(fn, `${param}.cells[${i}].source[${j}]`, l));
    else text(fn, `${param}.cells[${i}].source`, c.source);
  });
  return nb;
}

/** Checks errata rows ({@linkcode ErrataRow}, from errataRows): their text fields. */
export function errataRowList(fn: string, rows: unknown): ErrataRow[] {
  return objects<ErrataRow>(fn, "rows", rows).map((r, i) => {
    for (const key of ["id", "where", "kind", "claim", "measured", "notebook", "title", "link"] as const) {
      text(fn, `rows[${i}].${key}`, r[key]);
    }
    check.oneOf(fn, `rows[${i}].verdict`, r.verdict, ["disagree", "errata", "partly"]);
    return r;
  });
}

/** Checks the `deep-full` results (of {@linkcode deepResults} at that size) as far as the seed functions read them. */
export function fullDeepResults(fn: string, full: unknown, param = "full"): DeepResults {
  check.object(fn, param, full as object);
  const r = full as DeepResults;
  if (r.size !== "deep-full") {
    const kind = typeof r.size === "string" ? "range" : "type";
    fail(kind, fn, `${param}.size`, `"deep-full"`, r.size);
  }
  // Only the SGD panel is read.
  check.object(fn, `${param}.panels`, r.panels);
  deepOutcomes(fn, "deep-full", r.panels.sgd, `${param}.panels.sgd`);
  return r;
}

/** Checks seed results ({@linkcode DeepSeedResults}): one cell per boundary cell, each with its seeds' outcomes. */
export function seedResults(fn: string, seeds: unknown, param = "seeds"): DeepSeedResults {
  check.object(fn, param, seeds as object);
  const s = seeds as DeepSeedResults;
  objects(fn, `${param}.cells`, s.cells, DEEP_BOUNDARY_CELLS.length).forEach((c, i) => {
    check.fields(fn, `${param}.cells[${i}]`, c, { row: "count", column: "count" });
    objects(fn, `${param}.cells[${i}].outcomes`, (c as { outcomes: unknown }).outcomes);
  });
  return s;
}

/** Checks a phase diagram's phases ({@linkcode PhaseDiagram}): one phase index per (λ, row) cell. */
export function phaseDiagram(fn: string, param: string, d: unknown): PhaseDiagram {
  check.fields(fn, param, d, { lambdas: "finites", rows: "finites" });
  const p = d as PhaseDiagram;
  if (!(p.phase instanceof Uint8Array)) fail("type", fn, `${param}.phase`, "a Uint8Array of phase indices", p.phase);
  if (p.phase.length !== p.lambdas.length * p.rows.length) {
    fail("range", fn, `${param}.phase`, `${p.lambdas.length * p.rows.length} phases`, p.phase);
  }
  return p;
}

/** Checks that `value` is a function. */
export function callback(fn: string, param: string, value: unknown): void {
  if (typeof value !== "function") fail("type", fn, param, "a function", value);
}

/** Checks the runs of {@linkcode activationFloors}. */
export function floorRuns(fn: string, runs: unknown): FloorRun[] {
  return objects<FloorRun>(fn, "runs", runs).map((r, i) => {
    check.oneOf(fn, `runs[${i}].activation`, r.activation, ["linear", "tanh"]);
    text(fn, `runs[${i}].seed`, r.seed);
    check.fields(fn, `runs[${i}]`, r, { rank: "count", normalized: "finites", floor: "number" });
    return r;
  });
}

/** Checks regrowth cells (of {@linkcode regrowth}). */
export function regrowthCells(fn: string, param: string, cells: unknown): Regrowth[] {
  return objects<Regrowth>(fn, param, cells).map((c, i) => regrowthCell(fn, `${param}[${i}]`, c));
}

/** Checks one regrowth cell (of {@linkcode regrowth}). */
export function regrowthCell(fn: string, param: string, cell: unknown): Regrowth {
  // The half time is NaN when the shrunk units never regrew to half their norm.
  check.fields(fn, param, cell, { times: "finites", norms: "numbers", ranks: "numbers" });
  if (typeof (cell as Regrowth).halfTime !== "number") {
    fail("type", fn, `${param}.halfTime`, "a number (NaN: never)", (cell as Regrowth).halfTime);
  }
  check.object(fn, `${param}.settings`, (cell as Regrowth).settings);
  return cell as Regrowth;
}

/** Checks a claim definition ({@linkcode ClaimDefinition}): its text fields and its `measure` and `judge` functions. */
export function claimDefinition(fn: string, param: string, definition: unknown): ClaimDefinition {
  check.object(fn, param, definition as object);
  const d = definition as ClaimDefinition;
  for (const key of ["id", "where", "claim", "notebook"] as const) text(fn, `${param}.${key}`, d[key]);
  for (const key of ["measure", "judge"] as const) callback(fn, `${param}.${key}`, d[key]);
  return d;
}

/**
 * Checks a rule's number: a `"measured"` value may be NaN (a measurement that failed: never within) or ±∞; a `"value"`
 * (a printed or derived value) may be ±∞ but not NaN; a `"tolerance"` is a finite number >= 0.
 */
export function ruleNumber(
  fn: string,
  param: string,
  value: unknown,
  kind: "measured" | "value" | "tolerance" = "measured",
): number {
  if (typeof value !== "number") fail("type", fn, param, "a number", value);
  if (kind === "tolerance" && !(value >= 0 && value < Infinity)) {
    fail("range", fn, param, "a finite number >= 0", value);
  }
  if (kind === "value" && Number.isNaN(value)) fail("range", fn, param, "a number, not NaN", value);
  return value;
}

/** Checks a rule's list of numbers (each as {@linkcode ruleNumber} of that kind), of the given length when given. */
export function ruleNumbers(
  fn: string,
  param: string,
  value: unknown,
  kind: "measured" | "value",
  length?: number,
): number[] {
  if (!Array.isArray(value)) fail("type", fn, param, "an array of numbers", value);
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`Invalid ${param} in ${fn}: expected ${length} numbers; received length ${value.length}.`);
  }
  value.forEach((v, i) => ruleNumber(fn, `${param}[${i}]`, v, kind));
  return value;
}

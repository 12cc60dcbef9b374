/**
 * The claims report: each claim of the paper, the value the toolkit computes, and a verdict. Claims are computed by the
 * same library calls the notebooks make; each notebook closes with its own rows. Also the named figure of the report.
 *
 * @module
 */

import type { Figure } from "../mod.ts";
import { check, checkClaimRows, objects, text } from "./checks.ts";

/**
 * agree: the paper holds; disagree: a claim fails when measured; errata: a printed formula or text is wrong; partly: a
 * claim read as a statistical statement over many samples holds in part (its row states the rule, e.g. in 50–75 % of
 * the samples).
 */
export type Verdict = "agree" | "disagree" | "errata" | "partly";

/** A claim of the paper and how to check it. */
export interface ClaimDefinition {
  /** A short stable identifier, e.g. "I-04". */
  id: string;
  /** Where in the paper: section, equation, figure. */
  where: string;
  /** The claim, paraphrased (quotes in “…”). */
  claim: string;
  /** The notebook that explains it. */
  notebook: string;
  /** Computes the measurement: a one-line summary of the numbers, and the verdict. */
  measure: () => { measured: string; verdict: Verdict };
}

/** A checked claim. */
export interface Claim extends Omit<ClaimDefinition, "measure"> {
  /** A one-line summary of the measured numbers. */
  measured: string;
  /** The verdict. */
  verdict: Verdict;
}

/** Runs the checks (optionally only those of one notebook), reporting progress through `onProgress`. */
export function checkClaims(
  definitions: ClaimDefinition[],
  notebook?: string,
  onProgress?: (done: number, total: number, id: string) => void,
): Claim[] {
  const fn = "checkClaims";
  objects<ClaimDefinition>(fn, "definitions", definitions).forEach((d, i) => {
    for (const key of ["id", "where", "claim", "notebook"] as const) text(fn, `definitions[${i}].${key}`, d[key]);
    if (typeof d.measure !== "function") {
      throw new TypeError(
        `Invalid definitions[${i}].measure in ${fn}: expected a function; received ${check.describe(d.measure)}.`,
      );
    }
  });
  if (notebook !== undefined) text(fn, "notebook", notebook);
  if (onProgress !== undefined && typeof onProgress !== "function") {
    throw new TypeError(`Invalid onProgress in ${fn}: expected a function; received ${check.describe(onProgress)}.`);
  }
  const selected = definitions.filter((d) => notebook === undefined || d.notebook === notebook);
  return selected.map((d, i) => {
    const { measure, ...rest } = d;
    const result = measure();
    onProgress?.(i + 1, selected.length, d.id);
    return { ...rest, ...result };
  });
}

const BADGE: Record<Verdict, string> = {
  agree: "✅ agree",
  disagree: "❌ disagree",
  errata: "✏️ errata",
  partly: "◐ partly",
};

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** The claims as a Markdown table. */
export function claimsMarkdown(claims: Claim[], withNotebook = true): string {
  checkClaimRows("claimsMarkdown", claims);
  check.boolean("claimsMarkdown", "withNotebook", withNotebook);
  const head = withNotebook
    ? "| id | where | the paper claims | we measure | verdict | notebook |\n|---|---|---|---|---|---|\n"
    : "| id | where | the paper claims | we measure | agree? |\n|---|---|---|---|---|\n";
  return head +
    claims.map((c) =>
      `| ${c.id} | ${cell(c.where)} | ${cell(c.claim)} | ${cell(c.measured)} | ${BADGE[c.verdict]} |` +
      (withNotebook ? ` ${c.notebook} |` : "")
    ).join("\n") + "\n";
}

/** A Jupyter-displayable Markdown table of the claims (the closing cell of each notebook). */
export function showClaims(claims: Claim[]): { [key: symbol]: () => Record<string, string> } {
  checkClaimRows("showClaims", claims);
  const md = claimsMarkdown(claims, false);
  return { [Symbol.for("Jupyter.display")]: () => ({ "text/markdown": md, "text/plain": md }) };
}

/** A number in a short, readable form for the report. */
export function fmt(x: number, digits = 4): string {
  check.notNaN("fmt", "x", x);
  check.integerInRange("fmt", "digits", digits, 1, 21);
  if (x === -Infinity) return "−∞";
  if (x === Infinity) return "∞";
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e5 ? String(Number(x.toPrecision(digits))) : x.toExponential(digits - 1);
}

/** A named figure of the report: the file name (without extension), a one-line caption and the figure. */
export interface NamedFigure {
  /** The file name, without extension. */
  name: string;
  /** A one-line caption for the gallery of the claims report. */
  caption: string;
  /** The figure. */
  figure: Figure;
}

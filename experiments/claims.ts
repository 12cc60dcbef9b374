/**
 * The claims report: each claim of the paper, the value the toolkit computes, and a verdict. Claims are computed by the
 * same library calls the notebooks make; each notebook closes with its own rows. Also the named figure of the report.
 *
 * @module
 */

import type { Figure } from "../mod.ts";
import { array, callback, check, checkClaimRows, claimDefinition, ruleNumber, ruleNumbers, text } from "./checks.ts";

/**
 * agree: the paper holds; disagree: a claim fails when measured; errata: a printed formula or text is wrong; partly: a
 * claim holds in part (one of its statements holds and another fails, or it holds in some of the samples); each row
 * states the rule that gives its verdict.
 */
export type Verdict = "agree" | "disagree" | "errata" | "partly";

/** A verdict and the rule it follows from, stated in words (shown next to the verdict in every claims table). */
export interface Judgement {
  /** The verdict. */
  verdict: Verdict;
  /** The rule that gives the verdict from the measured values, e.g. "agree if the slope is within 0.02 of −1". */
  criterion: string;
}

/** A claim's measurement: the numbers the verdict is judged on, and their one-line summary. */
export interface Measurement<V> {
  /** A one-line summary of the measured numbers. */
  measured: string;
  /** The measured values, as `judge` reads them. */
  values: V;
}

/**
 * A claim of the paper and how to check it: `measure` runs the computation, `judge` turns the measured values into a
 * verdict by a stated rule. The two are apart so that a test can inject values and see the verdict follow them.
 */
export interface ClaimDefinition<V = unknown> {
  /** A short stable identifier, e.g. "I-04". */
  id: string;
  /** Where in the paper: section, equation, figure. */
  where: string;
  /** The claim, paraphrased (quotes in “…”). */
  claim: string;
  /** The notebook that explains it. */
  notebook: string;
  /** Computes the measurement: the values and a one-line summary of them. */
  measure(): Measurement<V>;
  /** The verdict on measured values, with the rule that gives it (pure: no computation beyond comparing numbers). */
  judge(values: V): Judgement;
}

/**
 * Types a claim definition (infers the type of its measured values from `measure`, so that `judge` reads them typed).
 *
 * @example A claim defined and checked
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkClaims, defineClaim, within } from "@probstab/sgd/experiments";
 * const c = defineClaim({
 *   id: "X-01",
 *   where: "§0",
 *   claim: "1 + 1 = 2",
 *   notebook: "00_demo",
 *   measure: () => ({ measured: "1 + 1 = 2", values: { sum: 1 + 1 } }),
 *   judge: ({ sum }) => ({ verdict: within(sum, 2, 0) ? "agree" : "disagree", criterion: "agree if the sum is 2" }),
 * });
 * assert(checkClaims([c])[0].verdict === "agree");
 * assert(c.judge({ sum: 3 }).verdict === "disagree");
 * ```
 */
export function defineClaim<V>(definition: ClaimDefinition<V>): ClaimDefinition {
  return claimDefinition("defineClaim", "definition", definition);
}

/** A checked claim. */
export interface Claim extends Omit<ClaimDefinition, "measure" | "judge"> {
  /** A one-line summary of the measured numbers. */
  measured: string;
  /** The verdict. */
  verdict: Verdict;
  /** The rule the verdict follows from. */
  criterion: string;
}

/** Runs the checks (optionally only those of one notebook), reporting progress through `onProgress`. */
export function checkClaims(
  definitions: ClaimDefinition[],
  notebook?: string,
  onProgress?: (done: number, total: number, id: string) => void,
): Claim[] {
  const fn = "checkClaims";
  array(fn, "definitions", definitions).forEach((d, i) => claimDefinition(fn, `definitions[${i}]`, d));
  if (notebook !== undefined) text(fn, "notebook", notebook);
  if (onProgress !== undefined) callback(fn, "onProgress", onProgress);
  const selected = definitions.filter((d) => notebook === undefined || d.notebook === notebook);
  return selected.map((d, i) => {
    const { id, where, claim, notebook } = d;
    const { measured, values } = d.measure();
    const { verdict, criterion } = d.judge(values);
    onProgress?.(i + 1, selected.length, d.id);
    return { id, where, claim, notebook, measured, verdict, criterion };
  });
}

/**
 * True when `actual` is within `tolerance` of `expected` (|actual − expected| ≤ tolerance; equal infinities count as
 * within). A NaN `actual` (a measurement that failed) is never within; `expected` must not be NaN, and `tolerance`
 * is a finite number ≥ 0 (else a RangeError).
 *
 * @example Within a tolerance
 * ```ts
 * import assert from "node:assert/strict";
 * import { within } from "@probstab/sgd/experiments";
 * assert(within(-0.999, -1, 0.02));
 * assert(!within(-0.9, -1, 0.02));
 * ```
 */
export function within(actual: number, expected: number, tolerance: number): boolean {
  ruleNumber("within", "actual", actual, "measured");
  ruleNumber("within", "expected", expected, "value");
  ruleNumber("within", "tolerance", tolerance, "tolerance");
  if (actual === expected) return true;
  return Math.abs(actual - expected) <= tolerance;
}

/**
 * True when `actual` is within the relative `tolerance` of `expected` (|actual − expected| ≤ tolerance·|expected|).
 * As {@linkcode within}: a NaN `actual` is never within; `expected` must not be NaN (an infinite `expected` is matched
 * only by the same infinity); `tolerance` is finite and ≥ 0.
 *
 * @example Within 1 %
 * ```ts
 * import assert from "node:assert/strict";
 * import { withinRelative } from "@probstab/sgd/experiments";
 * assert(withinRelative(101, 100, 0.01));
 * assert(!withinRelative(102, 100, 0.01));
 * ```
 */
export function withinRelative(actual: number, expected: number, tolerance: number): boolean {
  ruleNumber("withinRelative", "actual", actual, "measured");
  ruleNumber("withinRelative", "expected", expected, "value");
  ruleNumber("withinRelative", "tolerance", tolerance, "tolerance");
  if (actual === expected) return true;
  // An infinite expected value would make the band infinite: only the same infinity is within it.
  if (!Number.isFinite(expected)) return false;
  return Math.abs(actual - expected) <= tolerance * Math.abs(expected);
}

/**
 * The verdict of a rule: `holds` gives "agree" (or `then`), otherwise "disagree" (or `otherwise`). The criterion reads
 * "agree if <condition>, else disagree".
 *
 * @example A rule
 * ```ts
 * import assert from "node:assert/strict";
 * import { agreeIf } from "@probstab/sgd/experiments";
 * assert.deepEqual(agreeIf(2 > 1, "2 > 1"), { verdict: "agree", criterion: "agree if 2 > 1, else disagree" });
 * assert.deepEqual(agreeIf(false, "P < 5 %", "partly").verdict, "partly");
 * ```
 */
export function agreeIf(holds: boolean, condition: string, otherwise: Verdict = "disagree"): Judgement {
  check.boolean("agreeIf", "holds", holds);
  text("agreeIf", "condition", condition);
  if (!Object.hasOwn(VERDICT_BADGES, otherwise) || otherwise === "agree") {
    throw new RangeError(
      `Invalid otherwise in agreeIf: expected "disagree", "errata" or "partly"; received ${check.describe(otherwise)}.`,
    );
  }
  return { verdict: holds ? "agree" : otherwise, criterion: `agree if ${condition}, else ${otherwise}` };
}

/**
 * An errata rule: the printed formula is an erratum when it differs from the derived (and measured) value by more than
 * `tolerance` relative to the derived value; when they match, the claim agrees. Several pairs: errata if any differs.
 *
 * @example The printed formula against the derivation
 * ```ts
 * import assert from "node:assert/strict";
 * import { errataIf } from "@probstab/sgd/experiments";
 * assert.deepEqual(errataIf([0.5], [0.4], 1e-6, "λ_DS").verdict, "errata");
 * assert.deepEqual(errataIf([0.4], [0.4], 1e-6, "λ_DS").verdict, "agree");
 * ```
 */
export function errataIf(printed: number[], derived: number[], tolerance: number, what: string): Judgement {
  ruleNumbers("errataIf", "printed", printed, "value");
  if (printed.length === 0) {
    throw new RangeError("Invalid printed in errataIf: expected at least one value; received [].");
  }
  ruleNumbers("errataIf", "derived", derived, "value", printed.length);
  ruleNumber("errataIf", "tolerance", tolerance, "tolerance");
  text("errataIf", "what", what);
  const differs = printed.some((p, i) => !withinRelative(p, derived[i], tolerance));
  return {
    verdict: differs ? "errata" : "agree",
    criterion: `errata if the printed ${what} differs from the derived one by more than ${
      fmt(100 * tolerance, 2)
    } % (relative), else agree`,
  };
}

/**
 * An errata rule for a printed statement checked by a condition: "errata" when `wrong` holds (the printed text
 * contradicts what is measured), "agree" otherwise — unless one of the `measured` values the condition reads is NaN (a
 * failed measurement), which gives "disagree" rather than an "agree" that nothing measured.
 *
 * @example A printed statement contradicted by a measurement
 * ```ts
 * import assert from "node:assert/strict";
 * import { errataWhen } from "@probstab/sgd/experiments";
 * const listed: number = 3, phases: number = 4;
 * assert.deepEqual(errataWhen(listed !== phases, "the listed cases are not the phases").verdict, "errata");
 * const failed = Number("no measurement"); // NaN: the measurement failed
 * assert.equal(errataWhen(failed > 0, "the rate is positive", [failed]).verdict, "disagree");
 * ```
 *
 * @param wrong Whether the measurement contradicts the printed statement.
 * @param condition The condition, in words, for the criterion.
 * @param measured The measured numbers `wrong` was computed from (default none): any NaN gives "disagree".
 * @returns The verdict and its criterion.
 */
export function errataWhen(wrong: boolean, condition: string, measured: readonly number[] = []): Judgement {
  check.boolean("errataWhen", "wrong", wrong);
  text("errataWhen", "condition", condition);
  ruleNumbers("errataWhen", "measured", measured, "measured");
  if (measured.some(Number.isNaN)) {
    return {
      verdict: "disagree",
      criterion: `errata if ${condition}, else agree; disagree when a measurement failed (NaN)`,
    };
  }
  return { verdict: wrong ? "errata" : "agree", criterion: `errata if ${condition}, else agree` };
}

/**
 * A graded rule for a claim that can hold in part: "agree" when `all` holds, "partly" when only `some` holds,
 * "disagree" otherwise.
 *
 * @example Partly
 * ```ts
 * import assert from "node:assert/strict";
 * import { graded } from "@probstab/sgd/experiments";
 * assert.deepEqual(graded(false, true, "both hold", "one holds").verdict, "partly");
 * ```
 */
export function graded(all: boolean, some: boolean, allText: string, someText: string): Judgement {
  check.boolean("graded", "all", all);
  check.boolean("graded", "some", some);
  text("graded", "allText", allText);
  text("graded", "someText", someText);
  return {
    verdict: all ? "agree" : some ? "partly" : "disagree",
    criterion: `agree if ${allText}; partly if only ${someText}; else disagree`,
  };
}

/**
 * The mark of each verdict in the claims tables: plain marks that DejaVu Sans has (no emoji font needed), then the
 * word.
 */
export const VERDICT_BADGES: Record<Verdict, string> = {
  agree: "✓ agree",
  disagree: "✗ disagree",
  errata: "✎ errata",
  partly: "◐ partly",
};

/**
 * Text for a Markdown table cell: the characters Markdown (or MathJax) would read as markup — backslash, backtick,
 * asterisk, underscore, brackets, angle brackets, tilde, dollar, pipe — are escaped, so that `w*` stays `w*` and does
 * not start italics; newlines become spaces. An already escaped pipe is kept as one escaped pipe.
 *
 * @example Escaped
 * ```ts
 * import assert from "node:assert/strict";
 * import { markdownCell } from "@probstab/sgd/experiments";
 * assert.deepEqual(markdownCell("w* = x_i, |a|"), "w\\* = x\\_i, \\|a\\|");
 * ```
 */
export function markdownCell(s: string): string {
  text("markdownCell", "s", s);
  return s.replace(/\\\|/g, "|").replace(/[\\`*_[\]<>~$|]/g, (c) => "\\" + c).replace(/\n/g, " ");
}

/** The claims as a Markdown table (verdict, then the rule it follows from). */
export function claimsMarkdown(claims: Claim[], withNotebook = true): string {
  checkClaimRows("claimsMarkdown", claims);
  check.boolean("claimsMarkdown", "withNotebook", withNotebook);
  const head = withNotebook
    ? "| id | where | the paper claims | we measure | verdict | rule | notebook |\n|---|---|---|---|---|---|---|\n"
    : "| id | where | the paper claims | we measure | verdict | rule |\n|---|---|---|---|---|---|\n";
  return head +
    claims.map((c) =>
      `| ${c.id} | ${markdownCell(c.where)} | ${markdownCell(c.claim)} | ${markdownCell(c.measured)} | ${
        VERDICT_BADGES[c.verdict]
      } | ${markdownCell(c.criterion)} |` +
      (withNotebook ? ` ${markdownCell(c.notebook)} |` : "")
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

/**
 * A three-way rule for a printed formula checked against a measurement: "agree" when every measured value is within
 * the relative `tolerance` of the printed formula, "errata" when every one is within it of the derived formula instead
 * (and the two formulas differ), "disagree" when the measurement matches neither.
 *
 * @example The measurement follows the derivation, not the print
 * ```ts
 * import assert from "node:assert/strict";
 * import { printedOrDerived } from "@probstab/sgd/experiments";
 * assert.deepEqual(printedOrDerived([2.001], [1.5], [2], 0.01, "λ·c").verdict, "errata");
 * assert.deepEqual(printedOrDerived([1.5], [1.5], [2], 0.01, "λ·c").verdict, "agree");
 * assert.deepEqual(printedOrDerived([3], [1.5], [2], 0.01, "λ·c").verdict, "disagree");
 * ```
 */
export function printedOrDerived(
  measured: number[],
  printed: number[],
  derived: number[],
  tolerance: number,
  what: string,
): Judgement {
  ruleNumbers("printedOrDerived", "measured", measured, "measured");
  if (measured.length === 0) {
    throw new RangeError("Invalid measured in printedOrDerived: expected at least one value; received [].");
  }
  ruleNumbers("printedOrDerived", "printed", printed, "value", measured.length);
  ruleNumbers("printedOrDerived", "derived", derived, "value", measured.length);
  ruleNumber("printedOrDerived", "tolerance", tolerance, "tolerance");
  text("printedOrDerived", "what", what);
  const near = (f: number[]) => measured.every((m, i) => withinRelative(m, f[i], tolerance));
  const verdict: Verdict = near(printed) ? "agree" : near(derived) ? "errata" : "disagree";
  const tol = `${fmt(100 * tolerance, 2)} %`;
  return {
    verdict,
    criterion:
      `agree if the measured ${what} is within ${tol} of the printed formula; errata if within ${tol} of the ` +
      `derived one instead; else disagree`,
  };
}

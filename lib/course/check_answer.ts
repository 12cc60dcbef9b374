/**
 * Automatic checks for the exercises at the end of the core notebooks (issue 13, item 2): {@linkcode checkAnswer}
 * compares a student's function (or value) with the library's on hidden test inputs and prints the relative error and
 * a hint, never a stack trace. The registry {@linkcode EXERCISES} names each exercise `"NN.name"` after its notebook.
 *
 * @module
 */

import { criticalLearningRates } from "../stability/critical_learning_rates.ts";
import { lambdaDS, lambdaGD, meanSquareFactor } from "../stability/linear_stability.ts";
import { lyapunovExponent } from "../stability/lyapunov_exponent.ts";
import { saddleExponents } from "../saddle/saddle_exponents.ts";
import { scalarPointInfo } from "../networks/scalar_network.ts";
import { effectiveRank, numericalRank } from "../networks/numerical_rank.ts";
import { randomNormal } from "../core/random.ts";
import * as check from "../core/validate.ts";

/**
 * The placeholder of an exercise not done yet: `const answer: number = TODO;`. {@linkcode checkAnswer} reports it (and
 * `undefined`, and a function whose body is `throw new Error("TODO")`) as "not implemented yet". Typed `never` so that
 * it can stand for a value of any type.
 */
export const TODO: never = Symbol.for("@probstab/sgd/TODO") as never;

/** What {@linkcode checkAnswer} found. */
export interface CheckResult {
  /** The exercise's name, e.g. `"03.lyapunovExponent"`. */
  name: string;
  /** True when every hidden test input matched within the tolerance. */
  passed: boolean;
  /** True when the answer is still the TODO placeholder (or `undefined`, or throws "TODO"). */
  notImplemented: boolean;
  /** The largest relative error over the test inputs (NaN when the answer could not be compared). */
  relativeError: number;
  /** The tolerance on the relative error. */
  tolerance: number;
  /** The printed message: the verdict, the relative error, and a hint when it failed. */
  message: string;
}

/** Options of {@linkcode checkAnswer}. */
export interface CheckAnswerOptions {
  /** Do not print the message (it is still in the result). @default false */
  quiet?: boolean;
}

/** One registered exercise: the reference, the hidden inputs, the tolerance and the hint (internal). */
export interface Exercise {
  /** The notebook it belongs to. */
  notebook: string;
  /** What the student provides: a function with this signature, or a value of this type. */
  expects: string;
  /** The hidden test inputs (argument lists, fresh on each call), or undefined for a value exercise. */
  inputs?: () => unknown[][];
  /** The library's answer for one input (or the value). */
  reference: (...args: never[]) => unknown;
  /** The tolerance on the relative error (0: exact, for integers and strings). */
  tolerance: number;
  /** What to look at when the answer is wrong. */
  hint: string;
}

const squares = (x: ArrayLike<number>) => Array.from(x, (v) => v * v);
const normal = (n: number, seed: number) => Array.from(randomNormal(n, { seed }));
const diag = (s: number[]) => {
  const n = s.length, a = new Array(n * n).fill(0);
  s.forEach((v, i) => (a[i * n + i] = v));
  return a;
};
/** A rows × cols feature matrix with the given columns set to zero (dead units) (deterministic). */
const features = (rows: number, cols: number, dead: number[], seed: number) => {
  const v = normal(rows * cols, seed).map(Math.abs);
  for (let r = 0; r < rows; r++) for (const c of dead) v[r * cols + c] = 0;
  return v;
};

/** The registered exercises, by name `"NN.name"` (NN = the notebook). */
export const EXERCISES: Readonly<Record<string, Exercise>> = {
  "00.lambdaGD": {
    notebook: "00_start_here",
    expects: "a function (x: number[]) => number",
    inputs: () => [[[1, 2, 3]], [[0.8, 0.9, 1, 1.1, 1.2, 10]], [normal(50, 7)], [[-2, 0.5, 3, 1e-3]]],
    reference: (x: number[]) => lambdaGD(x),
    tolerance: 1e-9,
    hint: "λ_GD = 2/E[x²]: the mean of the squares xᵢ² (not the square of the mean), and 2 divided by it.",
  },
  "02.meanSquareFactor": {
    notebook: "02_critical_learning_rates",
    expects: "a function (x: number[], lambda: number) => number",
    inputs: () => [[[0.5, 1, 1.5, 2], 4], [[0.5, 1, 1.5, 2], 1], [normal(30, 3), 0.7], [[1, 3], 0.1], [[2, -1], 0]],
    reference: (x: number[], l: number) => meanSquareFactor(x, l),
    tolerance: 1e-9,
    hint: "E[(1 − λx²)²] = (1/N)·Σᵢ (1 − λxᵢ²)²: square each factor first, then average (at x = {0.5, 1, 1.5, 2}, " +
      "λ = 4 it is 74.5).",
  },
  "02.criticalLearningRates": {
    notebook: "02_critical_learning_rates",
    expects: "a function (x: number[]) => number[]",
    inputs: () => [[[0.5, 1, 1.5, 2]], [[2, -0.5, 1, 0, 2]], [[3, 0.1, 1]], [normal(12, 5)]],
    reference: (x: number[]) => Array.from(criticalLearningRates(x)),
    tolerance: 1e-12,
    hint: "The rates are 1/xᵢ² for xᵢ ≠ 0, each value once (x and −x give the same rate), in ascending order. Note " +
      "that JavaScript's plain .sort() compares numbers as strings: use .sort((a, b) => a - b).",
  },
  "03.lyapunovExponent": {
    notebook: "03_convergence_in_probability",
    expects: "a function (h: number[], lambda: number) => number",
    inputs: () => [
      [squares(normal(20, 2)), 1],
      [squares(normal(20, 2)), 2.85],
      [squares(normal(20, 2)), 5],
      [[1, 4, 9], 0.3],
      [[0.25, 1, 2.25, 4], 0.9],
      [[1, 100], 0],
    ],
    reference: (h: number[], l: number) => lyapunovExponent(h, l),
    tolerance: 1e-9,
    hint: "m(λ) = (1/N)·Σᵢ log|1 − λhᵢ|: the mean of the logarithms (not the log of a mean), with the absolute value " +
      "(1 − λhᵢ is negative when λ > 1/hᵢ). Math.log is the natural logarithm.",
  },
  "04.lambdaDS": {
    notebook: "04_outliers",
    expects: "a function (x: number[]) => number",
    inputs: () => [[[1, 1, 1, 3]], [[...normal(99, 2), 1000]], [[...normal(9, 4), 30]], [[100, 1]]],
    reference: (x: number[]) => lambdaDS(x),
    tolerance: 1e-9,
    hint:
      "At batch size 1, λ_DS = 2·E[x²]/E[x⁴] (the means over the data, the outlier included): the one-step factor " +
      "E[(1 − λx²)²] = 1 − 2λE[x²] + λ²E[x⁴] is below 1 exactly for 0 < λ < λ_DS.",
  },
  "05.saddleExponents": {
    notebook: "05_saddle_phases",
    expects: "a function (a: number, lambda: number) => { minus: number; plus: number }",
    inputs: () => [[2, 1.3], [0.5, 0.5], [-0.5, 2.5], [-0.5, 1.5], [3, 0.2], [0, 1.7]],
    reference: (a: number, l: number) => {
      const e = saddleExponents([1, a], l);
      return { minus: e.minus, plus: e.plus };
    },
    tolerance: 1e-9,
    hint:
      "With χ = 1 or a, each with probability ½: minus = E log|1 − λχ| = ½·log|(1 − λ)(1 − λa)| (it governs w − u) " +
      "and plus = E log|1 + λχ| = ½·log|(1 + λ)(1 + λa)| (it governs w + u). Return both fields.",
  },
  "05.meanSquareFactor": {
    notebook: "05_saddle_phases",
    expects: "a number: E(1 − λχ)² at a = 2, λ = 1.3",
    reference: () => saddleExponents([1, 2], 1.3).meanSquare,
    tolerance: 1e-9,
    hint: "E(1 − λχ)² = ½·[(1 − λ·1)² + (1 − λ·a)²] with a = 2, λ = 1.3.",
  },
  "11.originHessianEigenvalues": {
    notebook: "11_tanh_saddle",
    expects: "a function (x: number[], y: number[]) => [number, number] (ascending)",
    inputs: () => [
      [[1, 2, -1], [0.5, 1, -0.2]],
      [normal(40, 11), normal(40, 12)],
      [[0.3, -0.7, 1.1, 2], [-1, 0.4, 0.9, -0.3]],
    ],
    reference: (x: number[], y: number[]) => {
      const [a, b] = scalarPointInfo({ x, y, activation: "tanh" }, 0, 0).eigenvalues;
      return [Math.min(a, b), Math.max(a, b)];
    },
    tolerance: 1e-9,
    hint:
      "At u = w = 0 only the mixed derivative survives: ∂²L/∂u∂w = −E[xy] (tanh′(0) = 1), ∂²L/∂u² = E[tanh²(0)] = " +
      "0 and ∂²L/∂w² = 0. The eigenvalues of [[0, c], [c, 0]] are −|c| and +|c|.",
  },
  "13.effectiveRank": {
    notebook: "13_low_rank_phase_diagrams",
    expects: "a function (s: number[]) => number (s: singular values)",
    inputs: () => [[[1, 1, 1, 1]], [[3, 2, 1]], [[5, 0.1, 0.1, 0.01]], [[1, 0, 0]], [normal(8, 9).map(Math.abs)]],
    reference: (s: number[]) => effectiveRank(diag(s), s.length, s.length),
    tolerance: 1e-6,
    hint:
      "pᵢ = sᵢ/Σⱼsⱼ, then exp(−Σᵢ pᵢ·log pᵢ), skipping pᵢ = 0 (0·log 0 counts as 0). Equal values give their count.",
  },
  "14.numericalRank": {
    notebook: "14_deep_networks",
    expects: "a function (features: number[], rows: number, cols: number) => number",
    inputs: () => [
      [features(8, 5, [], 21), 8, 5],
      [features(8, 5, [1, 3], 22), 8, 5],
      [features(6, 4, [0, 1, 2, 3], 23), 6, 4],
      [diag([1, 0.5, 1e-2, 1e-5]), 4, 4],
    ],
    reference: (m: number[], rows: number, cols: number) => numericalRank(m, rows, cols),
    tolerance: 0,
    hint: "Count the singular values above 1e-3·σ_max (singularValues(features, rows, cols) returns them, largest " +
      "first); a zero matrix has rank 0. Each dead unit is a zero column and removes one.",
  },
};

/** The names of the registered exercises, sorted. */
export const EXERCISE_NAMES: readonly string[] = Object.keys(EXERCISES).sort();

/** Is this the untouched placeholder (TODO, undefined, or an error saying TODO / not implemented)? */
function isTodo(value: unknown): boolean {
  return value === undefined || value === TODO;
}
function isTodoError(error: unknown): boolean {
  try {
    const message = error instanceof Error ? error.message : String(error);
    return /\bTODO\b|not implemented/i.test(message);
  } catch {
    return false; // an error that cannot even be printed (Object.create(null), a throwing getter)
  }
}

/** A short description of a value for messages (arrays abbreviated, numbers to 6 digits). */
function show(value: unknown, depth = 0): string {
  if (typeof value === "number") {
    return Number.isInteger(value) || !Number.isFinite(value) ? String(value) : String(Number(value.toPrecision(6)));
  }
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "a function";
  if (value === null || value === undefined || typeof value !== "object") return String(value);
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const a = Array.from(value as ArrayLike<unknown>);
    const head = a.slice(0, 6).map((v) => show(v, depth + 1)).join(", ");
    return `[${head}${a.length > 6 ? `, … (${a.length} values)` : ""}]`;
  }
  if (depth > 1) return "{…}";
  return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${show(v, depth + 1)}`).join(", ")} }`;
}

/** The numbers of a value in a fixed order (the reference's shape), or a string saying why it cannot be compared. */
function flatten(value: unknown, like: unknown): number[] | string {
  if (typeof like === "number") {
    return typeof value === "number" ? [value] : `expected a number; received ${show(value)}`;
  }
  if (Array.isArray(like)) {
    if (!Array.isArray(value) && !(ArrayBuffer.isView(value) && !(value instanceof DataView))) {
      return `expected an array of ${like.length} numbers; received ${show(value)}`;
    }
    const a = Array.from(value as ArrayLike<unknown>);
    if (a.length !== like.length) return `expected ${like.length} values; received ${a.length}: ${show(a)}`;
    if (!a.every((v) => typeof v === "number")) return `expected numbers only; received ${show(a)}`;
    return a as number[];
  }
  if (like !== null && typeof like === "object") {
    if (value === null || typeof value !== "object") {
      return `expected an object with fields ${Object.keys(like).join(", ")}; received ${show(value)}`;
    }
    const out: number[] = [];
    for (const key of Object.keys(like)) {
      const v = (value as Record<string, unknown>)[key];
      if (typeof v !== "number") return `expected a number in the field "${key}"; received ${show(v)}`;
      out.push(v);
    }
    return out;
  }
  return "cannot compare";
}

/**
 * The relative error of `got` against `want` (same length): max|got − want| / max|want|, the absolute error when want
 * is all zeros; infinite entries must match exactly (else Infinity); NaN in got gives NaN.
 */
function relativeError(got: number[], want: number[]): number {
  let diff = 0, scale = 0;
  for (let i = 0; i < want.length; i++) {
    if (Number.isNaN(got[i])) return NaN;
    if (!Number.isFinite(want[i]) || !Number.isFinite(got[i])) {
      if (got[i] !== want[i]) return Infinity;
      continue;
    }
    diff = Math.max(diff, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return scale > 0 ? diff / scale : diff;
}

const fmt = (e: number) => (e === 0 ? "0" : Number.isFinite(e) ? e.toExponential(1) : String(e));

/** Compares one answer with one reference value; returns the relative error or a string saying what is wrong. */
function compare(got: unknown, want: unknown): number | string {
  if (isTodo(got)) return "todo";
  const a = flatten(got, want);
  if (typeof a === "string") return a;
  return relativeError(a, flatten(want, want) as number[]);
}

/**
 * Checks a student's answer to one exercise of the notebooks (`"NN.name"`, NN = the notebook): a function is called on
 * hidden test inputs and compared with the library's result; a value is compared with the library's value. Prints the
 * verdict with the largest relative error, and a hint when the answer is wrong, and returns them. It never throws
 * because of the answer: an answer that throws, returns NaN or the wrong shape is reported in the message; the
 * untouched placeholder ({@linkcode TODO}, `undefined`, or a function that throws `new Error("TODO")`) reports "not
 * implemented yet". Only a wrong `name` or `options` throws (a `TypeError` or `RangeError`).
 *
 * The registered exercises are listed in {@linkcode EXERCISE_NAMES}.
 *
 * @example Checking a function, a wrong function and an untouched TODO
 * ```ts
 * import { checkAnswer, TODO } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * // λ_GD = 2/E[x²]
 * const mine = (x: number[]) => 2 / (x.reduce((s, v) => s + v * v, 0) / x.length);
 * assert.equal(checkAnswer("00.lambdaGD", mine, { quiet: true }).passed, true);
 *
 * const wrong = (x: number[]) => 2 / (x.reduce((s, v) => s + v, 0) / x.length) ** 2; // the square of the mean
 * const result = checkAnswer("00.lambdaGD", wrong, { quiet: true });
 * assert.equal(result.passed, false);
 * assert.ok(result.relativeError > 0.1);
 *
 * const todo = (_x: number[]): number => {
 *   throw new Error("TODO");
 * };
 * assert.equal(checkAnswer("00.lambdaGD", todo, { quiet: true }).notImplemented, true);
 * assert.equal(checkAnswer("05.meanSquareFactor", TODO, { quiet: true }).message, "05.meanSquareFactor: not implemented yet.");
 * ```
 *
 * @param name The exercise, e.g. `"03.lyapunovExponent"` (one of {@linkcode EXERCISE_NAMES}).
 * @param value The answer: a function for most exercises, a number for value exercises; anything is accepted.
 * @param options `quiet: true` to return the result without printing it.
 * @returns `{ name, passed, notImplemented, relativeError, tolerance, message }`; in Jupyter it displays as a one-line
 *   status.
 */
export function checkAnswer(name: string, value: unknown, options: CheckAnswerOptions = {}): CheckResult {
  const fn = "checkAnswer";
  const exercise = EXERCISES[check.oneOf(fn, "name", name, EXERCISE_NAMES)];
  const o = check.options(fn, options);
  const quiet = check.boolean(fn, "options.quiet", o.quiet ?? false);
  let result: CheckResult;
  try {
    result = evaluate(name, exercise, value);
  } catch {
    // An answer that throws while it is being read (a throwing getter, a revoked Proxy): reported, never a stack trace.
    result = {
      name,
      tolerance: exercise.tolerance,
      passed: false,
      notImplemented: false,
      relativeError: NaN,
      message: `${name}: not passed yet. Your answer could not be read (it threw while being inspected).\n` +
        `Hint: ${exercise.hint}`,
    };
  }
  if (!quiet) console.log(result.message);
  Object.defineProperty(result, Symbol.for("Jupyter.display"), {
    value: () => ({
      "text/plain": result.notImplemented ? "not implemented yet" : result.passed ? "passed" : "not passed yet",
    }),
    enumerable: false,
  });
  return result;
}

function evaluate(name: string, exercise: Exercise, value: unknown): CheckResult {
  const tolerance = exercise.tolerance;
  const base = { name, tolerance };
  const todo = (): CheckResult => ({
    ...base,
    passed: false,
    notImplemented: true,
    relativeError: NaN,
    message: `${name}: not implemented yet.`,
  });
  const fail = (what: string, error = NaN): CheckResult => ({
    ...base,
    passed: false,
    notImplemented: false,
    relativeError: error,
    message: `${name}: not passed yet. ${what}\nHint: ${exercise.hint}`,
  });
  if (isTodo(value)) return todo();
  const reference = exercise.reference as (...args: unknown[]) => unknown;
  if (exercise.inputs === undefined) {
    const r = compare(value, reference());
    if (typeof r === "string") return fail(`Your value: ${r}.`);
    return verdict(r, "", `Your value ${show(value)}`);
  }
  if (typeof value !== "function") return fail(`Expected ${exercise.expects}; received ${show(value)}.`);
  const inputs = exercise.inputs();
  let worst = 0;
  for (const args of inputs) {
    const shown = args.map((a) => show(a)).join(", ");
    let got: unknown;
    try {
      got = (value as (...a: unknown[]) => unknown)(...args);
    } catch (error) {
      if (isTodoError(error)) return todo();
      const kind = error instanceof Error ? `${error.name}: ${error.message}` : show(error);
      return fail(`Your function threw ${kind} (for the input ${shown}).`);
    }
    if (got instanceof Promise) {
      got.catch(() => {}); // the check is synchronous; do not leave a rejection unhandled
      return fail("Your function returned a Promise: write a synchronous function (no async, no await).");
    }
    if (got === undefined) {
      return fail(`Your function returned undefined for the input ${shown}: is a \`return\` missing?`);
    }
    const want = reference(...exercise.inputs()[inputs.indexOf(args)]);
    const r = compare(got, want);
    if (r === "todo") return todo();
    if (typeof r === "string") return fail(`For the input ${shown}: ${r}.`);
    if (Number.isNaN(r)) {
      return fail(`Your function returned ${show(got)}, with NaN in it, for the input ${shown}.`, NaN);
    }
    if (!(r <= tolerance)) {
      return fail(
        `For the input ${shown} your function returned ${show(got)}: relative error ${fmt(r)} ` +
          `(tolerance ${fmt(tolerance)}).`,
        r,
      );
    }
    worst = Math.max(worst, r);
  }
  return verdict(worst, ` on ${inputs.length} hidden inputs`, "");

  function verdict(error: number, where: string, what: string): CheckResult {
    if (Number.isNaN(error)) return fail(`${what} is NaN.`);
    if (!(error <= tolerance)) {
      return fail(`${what} has the relative error ${fmt(error)} (tolerance ${fmt(tolerance)}).`, error);
    }
    return {
      ...base,
      passed: true,
      notImplemented: false,
      relativeError: error,
      message: `${name}: passed${where} (relative error ${fmt(error)}).`,
    };
  }
}

/**
 * Input validation shared by every public function: each check throws a `TypeError` (wrong kind of value) or a
 * `RangeError` (right kind, wrong value) whose message names the function, the parameter and the value received.
 * Internal module, not re-exported by `mod.ts`.
 *
 * @module
 */

/** A short, printable description of a received value, for error messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "number") {
    return Object.is(value, -0) ? "-0" : String(value);
  }
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) {
    return `a ${value.constructor.name} of length ${(value as unknown as ArrayLike<number>).length}`;
  }
  if (typeof value === "function") return "a function";
  return typeof value === "object" ? "an object" : String(value);
}

function fail(
  kind: "type" | "range",
  fn: string,
  param: string,
  expected: string,
  received: string,
): never {
  const message = `Invalid ${param} in ${fn}: expected ${expected}; received ${received}.`;
  throw kind === "type" ? new TypeError(message) : new RangeError(message);
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  if (
    value === null || value === undefined || typeof value === "string" ||
    typeof value === "function"
  ) {
    return false;
  }
  const length = (value as { length?: unknown }).length;
  return typeof length === "number" && Number.isInteger(length) && length >= 0;
}

/**
 * Checks that `value` is a non-empty array-like of finite numbers and returns a fresh `Float64Array` copy (the caller's
 * data is never mutated or retained).
 */
export function finiteArray(
  fn: string,
  param: string,
  value: unknown,
): Float64Array {
  if (!isArrayLike(value)) {
    fail("type", fn, param, "an array-like of numbers", describe(value));
  }
  const n = value.length;
  if (n === 0) {
    fail(
      "range",
      fn,
      param,
      "a non-empty array of finite numbers",
      "an empty array",
    );
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = value[i];
    if (typeof v !== "number") {
      fail(
        "type",
        fn,
        param,
        "an array of numbers",
        `${describe(v)} at index ${i}`,
      );
    }
    if (!Number.isFinite(v)) {
      fail(
        "range",
        fn,
        param,
        "an array of finite numbers",
        `${describe(v)} at index ${i}`,
      );
    }
    out[i] = v;
  }
  return out;
}

/** Checks that `value` is a finite number (any sign) and returns it. */
export function finiteNumber(
  fn: string,
  param: string,
  value: unknown,
): number {
  if (typeof value !== "number") {
    fail("type", fn, param, "a finite number", describe(value));
  }
  if (!Number.isFinite(value)) {
    fail("range", fn, param, "a finite number", describe(value));
  }
  return value;
}

/** Checks that `value` is a finite number ≥ 0 (a learning rate) and returns it. */
export function learningRate(
  fn: string,
  param: string,
  value: unknown,
): number {
  if (typeof value !== "number") {
    fail("type", fn, param, "a finite number >= 0", describe(value));
  }
  if (!Number.isFinite(value) || value < 0) {
    fail("range", fn, param, "a finite number >= 0", describe(value));
  }
  return value;
}

/** Checks that `value` is a finite number > 0 and returns it. */
export function positiveNumber(
  fn: string,
  param: string,
  value: unknown,
): number {
  if (typeof value !== "number") {
    fail("type", fn, param, "a finite number > 0", describe(value));
  }
  if (!Number.isFinite(value) || value <= 0) {
    fail("range", fn, param, "a finite number > 0", describe(value));
  }
  return value;
}

/** Checks that `value` is an integer in `[min, max]` (a batch size, a count of steps) and returns it. */
export function integerInRange(
  fn: string,
  param: string,
  value: unknown,
  min = 1,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const expected = max === Number.MAX_SAFE_INTEGER
    ? (min === 1 ? "a positive integer" : `an integer >= ${min}`)
    : `an integer from ${min} to ${max}`;
  if (typeof value !== "number") {
    fail("type", fn, param, expected, describe(value));
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    fail("range", fn, param, expected, describe(value));
  }
  return value;
}

/** Checks that a seed is a finite number or a string and returns it. */
export function seed(
  fn: string,
  param: string,
  value: unknown,
): number | string {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  fail(
    typeof value === "number" ? "range" : "type",
    fn,
    param,
    "a finite number or a string",
    describe(value),
  );
}

/** Checks that `value` is one of `choices` and returns it. */
export function oneOf<T extends string>(
  fn: string,
  param: string,
  value: unknown,
  choices: readonly T[],
): T {
  if (typeof value !== "string") {
    fail(
      "type",
      fn,
      param,
      `one of ${choices.map((c) => JSON.stringify(c)).join(", ")}`,
      describe(value),
    );
  }
  if (!(choices as readonly string[]).includes(value)) {
    fail(
      "range",
      fn,
      param,
      `one of ${choices.map((c) => JSON.stringify(c)).join(", ")}`,
      describe(value),
    );
  }
  return value as T;
}

/** Checks that `value` is an object (not null, not an array) and returns it. */
export function object<T extends object>(fn: string, param: string, value: T): T {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    fail("type", fn, param, "an object", describe(value));
  }
  return value;
}

/**
 * Checks that an options argument is a plain object (or undefined) and returns it. An option set to `null` is refused
 * (leave it out, or set it to `undefined`, for its default): `null` is not silently taken as "absent".
 */
export function options<T extends object>(fn: string, value: T | undefined, param = "options"): T {
  if (value === undefined) return {} as T;
  object(fn, param, value);
  for (const key of Object.keys(value)) {
    if ((value as Record<string, unknown>)[key] === null) {
      fail("type", fn, `${param}.${key}`, "a value, or undefined for the default", "null");
    }
  }
  return value;
}

/** Checks that two arrays have the same length. */
export function sameLength(
  fn: string,
  param: string,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  other: string,
) {
  if (a.length !== b.length) {
    fail(
      "range",
      fn,
      param,
      `the same length as ${other} (${b.length})`,
      `length ${a.length}`,
    );
  }
}

/**
 * The resource bound of every public function: a result (or a working array) of at most 2^28 doubles, 2 GiB, unless an
 * explicit option raises it. Sizes are checked against it before anything is allocated.
 */
export const MAX_DOUBLES = 2 ** 28;

/**
 * Checks, before allocating, that `count` numbers (of `bytes` each) fit in {@linkcode MAX_DOUBLES} doubles; the error
 * names the parameter to lower and by what factor.
 */
export function sizeLimit(fn: string, param: string, count: number, what: string, limit = MAX_DOUBLES): void {
  if (!(count <= limit)) {
    const factor = count / limit;
    throw new RangeError(
      `Invalid ${param} in ${fn}: ${what} needs ${count.toExponential(3)} numbers, over the limit of ${limit} ` +
        `(${(limit * 8) / 2 ** 30} GiB); lower ${param} by a factor of at least ${Math.ceil(factor * 100) / 100}.`,
    );
  }
}

/** Checks that `value` is a boolean and returns it. */
export function boolean(fn: string, param: string, value: unknown): boolean {
  if (typeof value !== "boolean") fail("type", fn, param, "a boolean", describe(value));
  return value;
}

/** Checks an optional value: `undefined` gives `fallback`, `null` is refused (it is not "absent"). */
export function optional<T>(fn: string, param: string, value: T | undefined, fallback: T): T {
  if (value === null) fail("type", fn, param, "a value or undefined", "null");
  return value === undefined ? fallback : value;
}

/** Checks that `value` is a Float64Array without NaN (entries may be ±Infinity: log values) and returns it. */
export function float64Array(fn: string, param: string, value: unknown, length?: number): Float64Array {
  if (!(value instanceof Float64Array)) fail("type", fn, param, "a Float64Array", describe(value));
  if (length !== undefined && value.length !== length) {
    fail("range", fn, param, `a Float64Array of length ${length}`, `length ${value.length}`);
  }
  const i = value.findIndex(Number.isNaN);
  if (i >= 0) fail("range", fn, param, "numbers, not NaN", `NaN at index ${i}`);
  return value;
}

/**
 * Checks a simulation result `{ times, trajectories, values }` (of simulateInterpolatingSGD and its kin): finite
 * times, a positive integer count, values of length trajectories × times.
 */
export function trajectories(
  fn: string,
  param: string,
  run: unknown,
): { times: Float64Array; trajectories: number; values: Float64Array } {
  object(fn, param, run as object);
  const r = run as { times: unknown; trajectories: unknown; values: unknown };
  if (!(r.times instanceof Float64Array)) fail("type", fn, `${param}.times`, "a Float64Array", describe(r.times));
  finiteArray(fn, `${param}.times`, r.times);
  const k = integerInRange(fn, `${param}.trajectories`, r.trajectories, 1, MAX_DOUBLES);
  // The values may hold NaN or ±Infinity (a diverged trajectory): only their kind and length are checked.
  if (!(r.values instanceof Float64Array)) fail("type", fn, `${param}.values`, "a Float64Array", describe(r.values));
  if (r.values.length !== k * r.times.length) {
    fail("range", fn, `${param}.values`, `${k} × ${r.times.length} values`, `length ${r.values.length}`);
  }
  return r as { times: Float64Array; trajectories: number; values: Float64Array };
}

/** Checks that `value` is a number other than NaN (±Infinity allowed: a log of 0 or a divergence) and returns it. */
export function notNaN(fn: string, param: string, value: unknown): number {
  if (typeof value !== "number") fail("type", fn, param, "a number", describe(value));
  if (Number.isNaN(value)) fail("range", fn, param, "a number, not NaN", "NaN");
  return value;
}

/**
 * The work bound of the simulations: at most 2^40 (about 1.1·10¹²) trajectory-steps per call, hours of computation, so
 * that a mistyped size is refused up front instead of running for hours.
 */
export const MAX_WORK = 2 ** 40;

/** Checks that `work` (trajectories × steps) is at most {@linkcode MAX_WORK}; the error names the parameter to lower. */
export function workLimit(fn: string, param: string, work: number, what: string): void {
  if (!(work <= MAX_WORK)) {
    throw new RangeError(
      `Invalid ${param} in ${fn}: ${what} is ${work.toExponential(3)} steps, over the limit of 2^40; lower ${param} ` +
        `by a factor of at least ${Math.ceil((work / MAX_WORK) * 100) / 100}.`,
    );
  }
}

/**
 * Checks the recorded values of a simulation (trajectories × recorded times) before its time grid is built; `at`
 * prefixes the option paths (`task.` for `task.options.steps`).
 */
export function recordLimit(fn: string, steps: number, every: number, trajectories: number, at = ""): void {
  const recorded = (Math.ceil(steps / every) + 1) * trajectories;
  sizeLimit(fn, `${at}options.steps`, recorded, `recording every ${at}options.recordEvery steps of every trajectory`);
  workLimit(fn, `${at}options.steps`, steps * trajectories, `${at}options.steps × ${at}options.trajectories`);
}

/** Checks that `value` is an array-like of numbers without NaN (±Infinity allowed: log values, divergences). */
export function numbers(fn: string, param: string, value: unknown, length?: number): ArrayLike<number> {
  if (!isArrayLike(value)) fail("type", fn, param, "an array-like of numbers", describe(value));
  if (length !== undefined && value.length !== length) {
    fail("range", fn, param, `${length} numbers`, `length ${value.length}`);
  }
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (typeof v !== "number") fail("type", fn, param, "an array of numbers", `${describe(v)} at index ${i}`);
    if (Number.isNaN(v)) fail("range", fn, param, "numbers, not NaN", `NaN at index ${i}`);
  }
  return value as ArrayLike<number>;
}

/** The kinds of field that {@linkcode fields} checks. */
export type FieldKind = "finite" | "number" | "integer" | "count" | "numbers" | "finites" | "any-numbers" | "boolean";

/**
 * Checks the fields of an object argument (a result passed back in, a plot's data) one by one, naming each by its path
 * (`map.lambdas`): "finite" a finite number, "number" a number not NaN, "integer" an integer ≥ 1, "count" an integer
 * ≥ 0, "numbers" an array without NaN, "finites" an array of finite numbers, "any-numbers" an array-like (NaN allowed,
 * as a marker), "boolean" a boolean. A key ending in "?" may be undefined.
 */
export function fields(fn: string, param: string, value: unknown, spec: Record<string, FieldKind>): void {
  object(fn, param, value as object);
  const o = value as Record<string, unknown>;
  for (const [k, kind] of Object.entries(spec)) {
    const key = k.endsWith("?") ? k.slice(0, -1) : k;
    const v = o[key];
    if (k.endsWith("?") && v === undefined) continue;
    const path = `${param}.${key}`;
    if (kind === "finite") finiteNumber(fn, path, v);
    else if (kind === "number") notNaN(fn, path, v);
    else if (kind === "integer") integerInRange(fn, path, v);
    else if (kind === "count") integerInRange(fn, path, v, 0);
    else if (kind === "numbers") numbers(fn, path, v);
    else if (kind === "finites") finiteArray(fn, path, v);
    else if (kind === "boolean") boolean(fn, path, v);
    else if (!isArrayLike(v)) fail("type", fn, path, "an array-like of numbers", describe(v));
  }
}

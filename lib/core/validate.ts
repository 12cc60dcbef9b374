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

/** Checks that an options argument is a plain object (or undefined) and returns it. */
export function options<T extends object>(fn: string, value: T | undefined): T {
  return value === undefined ? {} as T : object(fn, "options", value);
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

// checkAnswer (issue 13, item 2): the exercises' automatic checks. Correct answers pass, wrong answers fail with the
// right relative error, and an answer that throws, returns NaN, has the wrong shape or is the untouched TODO is
// reported, never thrown; every registered exercise's reference passes its own check, and a perturbed one fails.
import assert from "node:assert/strict";
import { checkAnswer, EXERCISE_NAMES, lambdaGD, meanSquareFactor, TODO } from "../mod.ts";
import { EXERCISES } from "../lib/course/check_answer.ts";
import { assertInvalid } from "./assert_invalid.ts";

const quiet = { quiet: true };
const meanSq = (x: number[]) => x.reduce((s, v) => s + v * v, 0) / x.length;

Deno.test("checkAnswer: a correct function passes, with a relative error at rounding level", () => {
  const r = checkAnswer("00.lambdaGD", (x: number[]) => 2 / meanSq(x), quiet);
  assert.equal(r.passed, true);
  assert.equal(r.notImplemented, false);
  assert.ok(r.relativeError < 1e-14);
  assert.match(r.message, /^00\.lambdaGD: passed on 4 hidden inputs/);
});

Deno.test("checkAnswer: a wrong function fails with the relative error of its first wrong input and the hint", () => {
  // Off by a factor 1.1 on every input: relative error 0.1 exactly (up to rounding), reported on the first input.
  const r = checkAnswer("00.lambdaGD", (x: number[]) => 2.2 / meanSq(x), quiet);
  assert.equal(r.passed, false);
  assert.ok(Math.abs(r.relativeError - 0.1) < 1e-12, String(r.relativeError));
  assert.match(r.message, /relative error 1\.0e-1/);
  assert.match(r.message, /Hint: λ_GD = 2\/E\[x²\]/);
  // The square of the mean instead of the mean of the squares, on x = [1, 2, 3]: 2/4 against 2/(14/3).
  const w = checkAnswer("00.lambdaGD", (x: number[]) => 2 / (x.reduce((s, v) => s + v, 0) / x.length) ** 2, quiet);
  assert.ok(Math.abs(w.relativeError - Math.abs(0.5 - lambdaGD([1, 2, 3])) / lambdaGD([1, 2, 3])) < 1e-15);
});

Deno.test("checkAnswer: a value exercise compares the value", () => {
  const exact = 0.5 * ((1 - 1.3) ** 2 + (1 - 2.6) ** 2);
  assert.equal(checkAnswer("05.meanSquareFactor", exact, quiet).passed, true);
  const r = checkAnswer("05.meanSquareFactor", 1.3, quiet);
  assert.equal(r.passed, false);
  assert.ok(Math.abs(r.relativeError - Math.abs(1.3 - exact) / exact) < 1e-15);
  assert.match(checkAnswer("05.meanSquareFactor", "1.325", quiet).message, /expected a number; received "1\.325"/);
});

Deno.test("checkAnswer: throwing, NaN, a Promise and the wrong shape are reported, never thrown", () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ["00.lambdaGD", () => {
      throw new TypeError("oops");
    }, /Your function threw TypeError: oops/],
    ["00.lambdaGD", () => {
      throw "a string";
    }, /Your function threw "a string"/],
    ["00.lambdaGD", () => NaN, /returned NaN, with NaN in it/],
    ["00.lambdaGD", () => Promise.resolve(1), /returned a Promise/],
    ["00.lambdaGD", () => [1], /expected a number; received \[1\]/],
    ["00.lambdaGD", 42, /Expected a function \(x: number\[\]\) => number; received 42/],
    ["02.criticalLearningRates", () => [1, 2], /expected 4 values; received 2/],
    ["05.saddleExponents", () => ({ minus: 0 }), /field "plus"/],
    ["11.originHessianEigenvalues", () => [NaN, 1], /NaN/],
    ["03.lyapunovExponent", () => Infinity, /relative error Infinity/],
  ];
  for (const [name, value, pattern] of cases) {
    const r = checkAnswer(name, value, quiet);
    assert.equal(r.passed, false, name);
    assert.equal(r.notImplemented, false, name);
    assert.match(r.message, pattern);
    assert.doesNotMatch(r.message, /\n\s+at /, "no stack trace");
  }
});

Deno.test("checkAnswer: the untouched TODO prints 'not implemented yet' and does not throw", () => {
  const todos: unknown[] = [TODO, undefined, () => {
    throw new Error("TODO");
  }, () => {
    throw new Error("not implemented");
  }, () => TODO];
  for (const value of todos) {
    const r = checkAnswer("03.lyapunovExponent", value, quiet);
    assert.equal(r.notImplemented, true);
    assert.equal(r.passed, false);
    assert.equal(r.message, "03.lyapunovExponent: not implemented yet.");
  }
  // It prints the message unless quiet.
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => lines.push(a.join(" "));
  try {
    checkAnswer("05.meanSquareFactor", TODO);
  } finally {
    console.log = log;
  }
  assert.deepEqual(lines, ["05.meanSquareFactor: not implemented yet."]);
});

Deno.test("checkAnswer: the student's function cannot corrupt the reference by mutating its inputs", () => {
  const mutating = (x: number[], l: number) => {
    const v = meanSquareFactor(x, l);
    x.fill(0);
    return v;
  };
  assert.equal(checkAnswer("02.meanSquareFactor", mutating, quiet).passed, true);
});

Deno.test("checkAnswer: every registered exercise's reference passes its own check, and a perturbed one fails", () => {
  assert.deepEqual([...EXERCISE_NAMES], Object.keys(EXERCISES).sort());
  assert.ok(EXERCISE_NAMES.length >= 8);
  const perturb = (v: unknown): unknown =>
    typeof v === "number"
      ? (v === 0 ? 1 : v * 1.01 + (Number.isInteger(v) ? 1 : 0))
      : Array.isArray(v)
      ? v.map(perturb)
      : Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, perturb(x)]));
  for (const name of EXERCISE_NAMES) {
    const e = EXERCISES[name];
    const ref = e.reference as (...a: unknown[]) => unknown;
    const answer = e.inputs ? ref : ref();
    const r = checkAnswer(name, answer, quiet);
    assert.equal(r.passed, true, `${name}: ${r.message}`);
    assert.ok(r.relativeError <= e.tolerance, name);
    const wrong = e.inputs ? (...a: unknown[]) => perturb(ref(...a)) : perturb(answer);
    const w = checkAnswer(name, wrong, quiet);
    assert.equal(w.passed, false, `${name} perturbed: ${w.message}`);
    assert.match(w.message, /Hint: /);
  }
});

Deno.test("checkAnswer: every core notebook has at least one registered exercise", () => {
  const core = ["00", "02", "03", "04", "05", "11", "13", "14"];
  for (const n of core) assert.ok(EXERCISE_NAMES.some((e) => e.startsWith(`${n}.`)), n);
});

Deno.test("checkAnswer: bad name and options throw, naming the function and the parameter", () => {
  assertInvalid("name not a string", () => checkAnswer(3 as unknown as string, 1), TypeError, ["checkAnswer", "name"]);
  assertInvalid("unknown name", () => checkAnswer("03.nope", 1), RangeError, ["checkAnswer", "name", "03.nope"]);
  assertInvalid("options null", () => checkAnswer("00.lambdaGD", 1, null as never), TypeError, ["options"]);
  assertInvalid(
    "quiet not a boolean",
    () => checkAnswer("00.lambdaGD", 1, { quiet: 1 as unknown as boolean }),
    TypeError,
    ["checkAnswer", "options.quiet"],
  );
});

Deno.test("checkAnswer: the result displays in Jupyter as a one-line status", () => {
  const show = (r: unknown) =>
    (r as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]()["text/plain"];
  assert.equal(show(checkAnswer("05.meanSquareFactor", TODO, quiet)), "not implemented yet");
  assert.equal(show(checkAnswer("05.meanSquareFactor", 1.325, quiet)), "passed");
  assert.equal(show(checkAnswer("05.meanSquareFactor", 1, quiet)), "not passed yet");
});

Deno.test("the core notebooks end with 2–4 exercises of the three kinds, whose checks and solutions exist", () => {
  const core = [
    "00_start_here",
    "03_convergence_in_probability",
    "02_critical_learning_rates",
    "04_outliers",
    "05_saddle_phases",
    "11_tanh_saddle",
    "13_low_rank_phase_diagrams",
    "14_deep_networks",
  ];
  const read = (path: string) =>
    (JSON.parse(Deno.readTextFileSync(new URL(path, import.meta.url))).cells as Array<
      { cell_type: string; source: string | string[] }
    >).map((c) => ({ type: c.cell_type, text: Array.isArray(c.source) ? c.source.join("") : c.source }));
  const checked = (cells: Array<{ text: string }>) =>
    new Set(cells.flatMap((c) => [...c.text.matchAll(/checkAnswer\("([^"]+)"/g)].map((m) => m[1])));
  for (const name of core) {
    const cells = read(`../notebooks/${name}.ipynb`);
    const start = cells.findIndex((c) => c.type === "markdown" && c.text.startsWith("## Exercises"));
    assert.ok(start > 0, `${name}: no "## Exercises" section`);
    const section = cells.slice(start);
    assert.ok(!section.slice(1).some((c) => /^## /m.test(c.text)), `${name}: the exercises are not the last section`);
    const titles = section.filter((c) => c.type === "markdown").map((c) =>
      c.text.match(/^### Exercise \d+ \(([^)]+)\)/)
    )
      .filter((m) => m !== null).map((m) => m![1]);
    assert.ok(titles.length >= 2 && titles.length <= 4, `${name}: ${titles.length} exercises`);
    for (const kind of ["implement it yourself", "predict, then run", "change a parameter and explain"]) {
      assert.ok(titles.includes(kind), `${name}: no "${kind}" exercise`);
    }
    const names = checked(section);
    assert.ok(names.size > 0, `${name}: no check cell`);
    for (const n of names) assert.ok(EXERCISE_NAMES.includes(n), `${name}: ${n} is not registered`);
    const solution = read(`../notebooks/solutions/${name}_solutions.ipynb`);
    assert.deepEqual(checked(solution), names, `${name}: the solution checks other exercises`);
    assert.ok(!solution.some((c) => /throw new Error\("TODO"\)|= TODO;/.test(c.text)), `${name}: a TODO is left`);
    assert.ok(solution.filter((c) => /\.passed\) throw/.test(c.text)).length === names.size, `${name}: unasserted`);
  }
});

Deno.test("checkAnswer: a missing return is named; an answer that cannot be read is reported, never thrown", () => {
  const missing = checkAnswer("00.lambdaGD", (_x: number[]) => {/* forgot the return */}, { quiet: true });
  assert.equal(missing.passed, false);
  assert.equal(missing.notImplemented, false);
  assert.match(missing.message, /returned undefined .*is a `return` missing\?/);
  const weird = checkAnswer("00.lambdaGD", () => {
    throw Object.create(null);
  }, { quiet: true });
  assert.equal(weird.passed, false);
  const { proxy, revoke } = Proxy.revocable(() => 1, {});
  revoke();
  const revoked = checkAnswer("00.lambdaGD", proxy, { quiet: true });
  assert.equal(revoked.passed, false);
  assert.doesNotMatch(revoked.message, /\n\s+at /); // no stack trace
});

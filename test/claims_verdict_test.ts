// Every claim's verdict follows from its measured values (issue 13 item 3): the judge of a representative row of each
// part and of each verdict kind is fed the measured values (or values copied from the committed report) and then a
// perturbed copy, and the verdict must flip. The rows are judged without re-running their experiments, except for a
// few cheap ones whose real measurement is taken first.
import assert from "node:assert/strict";
import {
  agreeIf,
  cachedDeepResults,
  cachedNetworkResults,
  checkClaims,
  type ClaimDefinition,
  claimsMarkdown,
  errataIf,
  errataWhen,
  graded,
  markdownCell,
  type NetworkResults,
  PART1_CLAIMS,
  PART2_CLAIMS,
  PART3_CLAIMS,
  PART4_SCALAR_CLAIMS,
  part4MechanismClaims,
  part4NetworkClaims,
  part5Claims,
  printedOrDerived,
  PROBE_CLAIMS,
  SECTION43_SAMPLE_CLAIMS,
  type Verdict,
  VERDICT_BADGES,
  within,
  withinRelative,
} from "../experiments/mod.ts";
import type { DeepResults } from "../experiments/part5.ts";

// The network rows are built from results (the committed sweep caches: valid results, no computation); their judges
// read only the values they are given.
const FIGURES = new URL("../figures/", import.meta.url);
const NETWORK = part4NetworkClaims((await cachedNetworkResults("notebook", FIGURES)) as NetworkResults);
const DEEP = part5Claims((await cachedDeepResults("deep-notebook", FIGURES)) as DeepResults);
const MECHANISM = part4MechanismClaims([], []);

function row(defs: ClaimDefinition[], id: string): ClaimDefinition {
  const d = defs.find((c) => c.id === id);
  assert.ok(d, `row ${id}`);
  return d;
}

/** Judges `values`, then each perturbation, and checks the verdicts (the perturbations must flip it). */
function flips(
  defs: ClaimDefinition[],
  id: string,
  values: unknown,
  expected: Verdict,
  perturbed: Array<[unknown, Verdict]>,
): void {
  const d = row(defs, id);
  const base = d.judge(values);
  assert.equal(base.verdict, expected, `${id} on its measured values`);
  assert.ok(base.criterion.length > 10, `${id} states its rule`);
  for (const [v, verdict] of perturbed) {
    assert.notEqual(verdict, expected, `${id}: a perturbation must change the verdict`);
    assert.equal(d.judge(v).verdict, verdict, `${id} on ${JSON.stringify(v)}`);
  }
}

/** The real measurement of a cheap row. */
function measured<V>(defs: ClaimDefinition[], id: string): V {
  return row(defs, id).measure().values as V;
}

Deno.test("Part I: agree, errata, disagree and partly rows flip with their measurements", () => {
  // I-16 (agree): the slope of log λ_GD on log c.
  const i16 = measured<{ slopes: number[]; scaled: number[] }>(PART1_CLAIMS, "I-16");
  flips(PART1_CLAIMS, "I-16", i16, "agree", [
    [{ ...i16, slopes: [i16.slopes[0], -0.95] }, "disagree"],
    [{ ...i16, scaled: [2, 2.5] }, "disagree"],
  ]);
  // I-20 (errata): the exact λ_DS against eq. (24) and the derived limit.
  const i20 = measured<{ exact: number[]; printed: number[]; derived: number[] }>(PART1_CLAIMS, "I-20");
  flips(PART1_CLAIMS, "I-20", i20, "errata", [
    [{ ...i20, exact: i20.printed }, "agree"],
    [{ ...i20, exact: i20.exact.map((v) => 1.5 * v) }, "disagree"],
  ]);
  // I-19 (disagree): λ_DS grows with N instead of falling to 0.
  const i19 = measured<{ ds: number[] }>(PART1_CLAIMS, "I-19");
  flips(PART1_CLAIMS, "I-19", i19, "disagree", [[{ ds: [2e-4, 1e-4, 1e-5] }, "agree"]]);
  // I-10 (partly): 1/x²_min is the largest stable rate, in a window narrower than the double spacing.
  const i10 = measured<{ lo: number; hi: number; top: number }>(PART1_CLAIMS, "I-10");
  flips(PART1_CLAIMS, "I-10", i10, "partly", [
    [{ ...i10, hi: i10.top * (1 + 1e-6) }, "agree"],
    [{ ...i10, lo: 2 * i10.top, hi: 3 * i10.top }, "disagree"],
  ]);
  // I-12 (errata): 0 < m < 1 and no run converges.
  flips(PART1_CLAIMS, "I-12", { m: 0.0787, p: 0 }, "errata", [[{ m: 0.0787, p: 0.6 }, "agree"]]);
});

Deno.test("Part II: II-06 reads partly, II-09 disagrees, II-03 is an erratum, II-02 agrees", () => {
  flips(PART2_CLAIMS, "II-06", { twoPoint: 0, gaussian: 39 }, "partly", [
    [{ twoPoint: 0, gaussian: 0 }, "agree"],
    [{ twoPoint: 3, gaussian: 39 }, "disagree"],
  ]);
  flips(PART2_CLAIMS, "II-09", { columns: 297, monotone: 75 }, "disagree", [[
    { columns: 297, monotone: 297 },
    "agree",
  ]]);
  const ii03 = measured<{ listed: number; announced: number; cases: number }>(PART2_CLAIMS, "II-03");
  assert.equal(ii03.cases, 4, "the two conditions make four cases on the Figure 1(b) grid");
  flips(PART2_CLAIMS, "II-03", ii03, "errata", [[{ listed: 4, announced: 4, cases: 4 }, "agree"]]);
  const ii02 = measured<{ worst: number }>(PART2_CLAIMS, "II-02");
  flips(PART2_CLAIMS, "II-02", ii02, "agree", [[{ worst: 1e-6 }, "disagree"]]);
  // II-11 (agree): the areas of phase II that notebook 07 shows (8 datasets per size).
  const sizes = [3, 4, 8, 10, 24, 100, 1000, 10000];
  const areas = [0.251, 0.213, 0.161, 0.151, 0.106, 0.0205, 0.00111, 0.0000417];
  flips(PART2_CLAIMS, "II-11", { sizes, areas }, "agree", [
    [{ sizes, areas: areas.map((a, i) => (i === 6 ? 0.02 : a)) }, "disagree"],
    [{ sizes, areas: areas.map((a, i) => (i === 4 ? 0.3 : a)) }, "disagree"],
  ]);
});

Deno.test("Part III: III-10 reads partly, III-08 is an erratum, III-01 agrees", () => {
  const iii10 = measured<{ kappas: number[]; slope: number }>(PART3_CLAIMS, "III-10");
  flips(PART3_CLAIMS, "III-10", iii10, "partly", [
    [{ ...iii10, slope: -1.05 }, "agree"],
    [{ ...iii10, kappas: [...iii10.kappas].reverse() }, "disagree"],
  ]);
  const iii08 = measured<{ perStep: number; printed: number; derived: number }>(PART3_CLAIMS, "III-08");
  flips(PART3_CLAIMS, "III-08", iii08, "errata", [
    [{ ...iii08, perStep: iii08.printed }, "agree"],
    [{ ...iii08, perStep: 3 * iii08.derived }, "disagree"],
  ]);
  const fits = [
    { rate: -0.5499, se: 9.2e-4, twoM: -0.5496 },
    { rate: 0.2361, se: 0.0035, twoM: 0.2392 },
  ];
  flips(PART3_CLAIMS, "III-01", { fits }, "agree", [
    [{ fits: [fits[0], { ...fits[1], rate: -0.01 }] }, "disagree"],
  ]);
});

Deno.test("Part IV: IV-11 reads partly, IV-04 disagrees, IV-12 is an erratum, IV-03 and IV-S6 agree", () => {
  flips(NETWORK, "IV-11", { paperRate: 0.85, perModePredicted: 0, low: 30 }, "partly", [
    [{ paperRate: 0.85, perModePredicted: 25, low: 30 }, "agree"],
    [{ paperRate: 0.5, perModePredicted: 0, low: 30 }, "disagree"],
  ]);
  flips(PART4_SCALAR_CLAIMS, "IV-04", { a: [-0.6, -0.3], b: [1.2, -0.2], ha: 1.4, hb: 0.7 }, "disagree", [
    [{ a: [-0.6, -0.3], b: [1.2, -0.2], ha: 3.85, hb: 1.5 }, "agree"],
  ]);
  flips(NETWORK, "IV-12", { text: 80, caption: 60 }, "errata", [[{ text: 80, caption: 90 }, "agree"]]);
  flips(PART4_SCALAR_CLAIMS, "IV-03", { slope: -0.011, top: -0.0105 }, "agree", [
    [{ slope: -0.02, top: -0.0105 }, "disagree"],
  ]);
  flips(SECTION43_SAMPLE_CLAIMS, "IV-S6", { diverged: [0.9, 0.8] }, "agree", [[{ diverged: [0.9, 0.4] }, "disagree"]]);
  flips(SECTION43_SAMPLE_CLAIMS, "IV-S1", { share: 0.3 }, "partly", [
    [{ share: 0.6 }, "agree"],
    [{ share: 0.01 }, "disagree"],
  ]);
  const floors = { linearMax: 1e-8, k01: 1e-5, k03: 1e-4, k1: 5e-3, k3: 2e-2 };
  flips(MECHANISM, "IV-19", { floors, ranks: { k01: 15, k1: 20 }, d: 20 }, "agree", [
    [{ floors: { ...floors, k01: 1e-2 }, ranks: { k01: 15, k1: 20 }, d: 20 }, "disagree"],
  ]);
});

Deno.test("Part V and the probe: V-08 is an erratum, V-04 and VI-03 agree", () => {
  flips(DEEP, "V-08", { reselect: 0.528, flip: 0.097 }, "errata", [[{ reselect: 0.5, flip: 0.49 }, "agree"]]);
  flips(DEEP, "V-04", { same: 36, n: 40 }, "agree", [[{ same: 20, n: 40 }, "disagree"]]);
  flips(DEEP, "V-09", { crit: [0.9, 0.6, 0.6, 0.3] }, "agree", [[{ crit: [0.6, 0.9, 0.6, 0.3] }, "disagree"]]);
  flips(PROBE_CLAIMS, "VI-03", { lp: 0.3, lambdaGD: 1.2 }, "agree", [[{ lp: 0.9, lambdaGD: 1.2 }, "disagree"]]);
});

Deno.test("checkClaims judges the values measure returns, and the table shows the rule", () => {
  const [c] = checkClaims(PART1_CLAIMS.filter((d) => d.id === "I-05"));
  assert.equal(c.verdict, "agree");
  assert.match(c.criterion, /within 10⁻¹² of 1/);
  const md = claimsMarkdown([c]);
  assert.match(md, /\| verdict \| rule \| notebook \|/);
  assert.ok(md.includes("| ✓ agree | agree if λ\\_SS·h is within 10⁻¹² of 1, else disagree |"), md);
});

Deno.test("the rule helpers", () => {
  assert.ok(within(-0.99, -1, 0.02) && !within(-0.9, -1, 0.02) && !within(NaN, 1, 1) && within(Infinity, Infinity, 0));
  assert.ok(withinRelative(1.009, 1, 0.01) && !withinRelative(1.02, 1, 0.01));
  assert.deepEqual(agreeIf(true, "x"), { verdict: "agree", criterion: "agree if x, else disagree" });
  assert.equal(agreeIf(false, "x", "partly").verdict, "partly");
  assert.equal(errataIf([1, 2], [1, 2.5], 0.01, "f").verdict, "errata");
  assert.equal(errataIf([1, 2], [1, 2.01], 0.01, "f").verdict, "agree");
  assert.equal(errataWhen(false, "x").verdict, "agree");
  assert.equal(graded(false, false, "a", "b").verdict, "disagree");
  assert.equal(printedOrDerived([2], [1], [2], 0.01, "f").verdict, "errata");
  assert.throws(() => within(1, 1, -1), (e: Error) => e instanceof RangeError && /tolerance in within/.test(e.message));
  assert.throws(
    () => agreeIf(1 as unknown as boolean, "x"),
    (e: Error) => e instanceof TypeError && /holds/.test(e.message),
  );
  assert.throws(() => errataIf([1], [1, 2], 0.1, "f"), RangeError);
});

Deno.test("markdown cells escape markup: w* is not italics", () => {
  assert.equal(markdownCell("w* = x_i/y_i, |a| \\| b"), "w\\* = x\\_i/y\\_i, \\|a\\| \\| b");
  assert.equal(markdownCell("a\nb [c] <d> `e` ~f $g"), "a b \\[c\\] \\<d\\> \\`e\\` \\~f \\$g");
});

Deno.test("verdict marks need no emoji font: ✓ ✗ ✎ ◐ (DejaVu Sans), no variation selector", () => {
  for (const badge of Object.values(VERDICT_BADGES)) {
    const mark = [...badge][0];
    assert.ok(["✓", "✗", "✎", "◐"].includes(mark), badge);
    assert.ok(!badge.includes("\uFE0F"), badge);
  }
});

Deno.test("no claim module writes a verdict as a literal", async () => {
  const dir = new URL("../experiments/", import.meta.url);
  for await (const e of Deno.readDir(dir)) {
    if (!e.name.endsWith(".ts") || e.name === "claims.ts") continue;
    const text = await Deno.readTextFile(new URL(e.name, dir));
    const literal = text.split("\n").filter((l) => /verdict: "(agree|disagree|errata|partly)"/.test(l));
    assert.deepEqual(literal, [], `${e.name} returns a literal verdict`);
  }
});

Deno.test("rule edge cases: an infinite expected value, a failed (NaN) measurement, an empty comparison", () => {
  assert.equal(withinRelative(5, Infinity, 0.01), false);
  assert.equal(withinRelative(-Infinity, Infinity, 0.01), false);
  assert.equal(withinRelative(Infinity, Infinity, 0.01), true);
  assert.equal(errataIf([3], [Infinity], 0.01, "x").verdict, "errata");
  const failed = Number("no measurement"); // NaN
  assert.equal(errataWhen(failed > 0, "the rate is positive", [failed]).verdict, "disagree");
  assert.equal(errataWhen(1 > 0, "the rate is positive", [1]).verdict, "errata");
  assert.equal(errataWhen(-1 > 0, "the rate is positive", [-1]).verdict, "agree");
  assert.throws(() => printedOrDerived([], [], [], 0.01, "x"), RangeError);
  assert.throws(() => errataIf([], [], 0.01, "x"), RangeError);
});

// §4.3: every stationary point of L(u, w) for u·σ(wx) in a box (lib/networks/scalar_stationary_points.ts). Checked
// against an independent NumPy/SciPy computation (test/fixtures/generate_stationary_points.py: dense profile, discrete
// extrema, MINPACK root polishing, numpy eigenvalues) on samples with minima on both sides of w = 0, against exact
// teachers, the symmetry of tanh, the line w = 0 and findStationaryPoint.
import assert from "node:assert/strict";
import { findStationaryPoint, type ScalarModel, scalarStationaryPoints } from "../mod.ts";
import { assertClose } from "./assert_close.ts";
import { assertInvalid, type InvalidCase } from "./assert_invalid.ts";

interface FixturePoint {
  u: number;
  w: number;
  loss: number;
  eigenvalues: [number, number];
  kind: string;
}
interface FixtureCase {
  seed: number;
  activation: "swish" | "tanh";
  x: number[];
  y: number[];
  points: FixturePoint[];
}
const FIXTURE: { cases: FixtureCase[] } = JSON.parse(
  Deno.readTextFileSync(new URL("./fixtures/stationary_points.json", import.meta.url)),
);

Deno.test("scalarStationaryPoints matches SciPy's dense-profile + root search, point by point", () => {
  assert.ok(FIXTURE.cases.filter((c) => c.activation === "swish").length >= 3);
  for (const c of FIXTURE.cases) {
    const model: ScalarModel = { x: c.x, y: c.y, activation: c.activation };
    const ours = scalarStationaryPoints(model);
    const label = `${c.activation} seed ${c.seed}`;
    assert.equal(
      ours.length,
      c.points.length,
      `${label}: number of points (ours ${JSON.stringify(ours.map((p) => [p.u, p.w]))})`,
    );
    c.points.forEach((ref, i) => {
      const p = ours[i];
      assertClose(p.w, ref.w, { abs: 1e-8 }, `${label} point ${i}: w`);
      assertClose(p.u, ref.u, { abs: 1e-8 }, `${label} point ${i}: u`);
      assertClose(p.loss, ref.loss, { abs: 1e-14 }, `${label} point ${i}: loss`);
      assertClose(p.eigenvalues[0], ref.eigenvalues[0], { abs: 1e-9 }, `${label} point ${i}: λ₁`);
      assertClose(p.eigenvalues[1], ref.eigenvalues[1], { abs: 1e-9 }, `${label} point ${i}: λ₂`);
      assert.equal(p.kind, ref.kind, `${label} point ${i}: kind`);
      assert.ok(Math.hypot(...p.gradient) < 1e-12, `${label} point ${i}: ‖∇L‖ = ${Math.hypot(...p.gradient)}`);
    });
    if (c.activation === "swish") {
      const minima = ours.filter((p) => p.kind === "minimum");
      assert.ok(minima.some((p) => p.w < 0) && minima.some((p) => p.w > 0), `${label}: minima on both sides`);
    }
  }
});

Deno.test("scalarStationaryPoints: every point is a fixed point of findStationaryPoint", () => {
  const c = FIXTURE.cases[0];
  const model: ScalarModel = { x: c.x, y: c.y, activation: c.activation };
  for (const p of scalarStationaryPoints(model)) {
    const q = findStationaryPoint(model, p.u, p.w);
    assertClose(q.u, p.u, { abs: 1e-10 }, `u at w = ${p.w}`);
    assertClose(q.w, p.w, { abs: 1e-10 }, `w at w = ${p.w}`);
    assert.equal(q.kind, p.kind);
  }
});

Deno.test("scalarStationaryPoints: an exact teacher's global minimum, loss 0 (tanh pairs ±, swish)", () => {
  const x = [-2, -1.3, -0.4, 0.2, 0.9, 1.5, 2.4];
  for (const [act, a, b] of [["tanh", 0.8, 1.7], ["swish", 1.2, -0.9], ["swish", -0.6, 2.1]] as const) {
    const y = x.map((xi) => a * (act === "tanh" ? Math.tanh(b * xi) : (b * xi) / (1 + Math.exp(-b * xi))));
    const pts = scalarStationaryPoints({ x, y, activation: act });
    const best = pts.filter((p) => Math.sign(p.w) === Math.sign(b)).reduce((p, q) => (q.loss < p.loss ? q : p));
    const label = `${act} teacher (${a}, ${b})`;
    assert.equal(best.kind, "minimum", label);
    assertClose(best.u, a, { abs: 1e-10 }, `${label}: u`);
    assertClose(best.w, b, { abs: 1e-10 }, `${label}: w`);
    assert.ok(best.loss < 1e-25, `${label}: loss ${best.loss}`);
    if (act === "tanh") {
      // tanh is odd: (u, w) and (−u, −w) are the same network.
      for (const p of pts) {
        const m = pts.find((q) => Math.abs(q.w + p.w) < 1e-9 && Math.abs(q.u + p.u) < 1e-9);
        assert.ok(m && m.kind === p.kind, `${label}: the mirror of (${p.u}, ${p.w})`);
      }
    }
  }
});

Deno.test("scalarStationaryPoints: the line w = 0 (the origin's saddle, its degenerate family, the box)", () => {
  const x = [0.5, -1.2, 2, 0.3, -0.7], y = [0.4, -1, 1.5, 0.9, 0.2];
  const exy = x.reduce((s, xi, i) => s + xi * y[i], 0) / x.length;
  const pts = scalarStationaryPoints({ x, y, activation: "swish" });
  const o = pts.filter((p) => p.w === 0);
  assert.equal(o.length, 1, "one point on w = 0: the origin");
  assert.equal(o[0].source, "origin");
  assert.equal(o[0].u, 0);
  assert.equal(o[0].kind, "saddle");
  assertClose(o[0].eigenvalues[0], 0.5 * Math.abs(exy), { rel: 1e-14 }, "λ₁ = σ′(0)|mean xy|");
  assertClose(o[0].eigenvalues[1], -0.5 * Math.abs(exy), { rel: 1e-14 }, "λ₂ = −σ′(0)|mean xy|");
  // mean(xy) = 0: the whole line is stationary; the origin stands for it, with a zero Hessian.
  const flat = scalarStationaryPoints({ x: [1, -1, 2], y: [1, 1, 0], activation: "tanh" });
  const f0 = flat.find((p) => p.source === "origin")!;
  assert.deepEqual(f0.eigenvalues.map(Math.abs), [0, 0]);
  // A box without the origin (or without the minima's u) leaves them out.
  assert.ok(scalarStationaryPoints({ x, y, activation: "swish" }, { w: [0.1, 10] }).every((p) => p.w >= 0.1));
  assert.ok(scalarStationaryPoints({ x, y, activation: "swish" }, { u: [1, 2] }).every((p) => p.u >= 1 && p.u <= 2));
  // Sorted by w.
  for (let i = 1; i < pts.length; i++) assert.ok(pts[i - 1].w <= pts[i].w);
});

Deno.test("scalarStationaryPoints rejects bad input, naming the function, the parameter and the value", () => {
  const ok = { x: [1, 2], y: [1, 3], activation: "swish" as const };
  const fn = "scalarStationaryPoints";
  const cases: InvalidCase[] = [
    ["null model", () => scalarStationaryPoints(null as unknown as ScalarModel), TypeError, [fn, "model", "null"]],
    ["relu", () => scalarStationaryPoints({ ...ok, activation: "relu" }), RangeError, [
      fn,
      "model.activation",
      '"relu"',
      "u·w",
    ]],
    ["linear", () => scalarStationaryPoints({ ...ok, activation: "linear" }), RangeError, [fn, '"linear"']],
    ["unknown activation", () => scalarStationaryPoints({ ...ok, activation: "gelu" as "tanh" }), RangeError, [
      fn,
      "model.activation",
    ]],
    ["lengths", () => scalarStationaryPoints({ ...ok, y: [1] }), RangeError, [fn, "model.y"]],
    ["NaN x", () => scalarStationaryPoints({ ...ok, x: [1, NaN] }), RangeError, [fn, "model.x", "NaN"]],
    ["w reversed", () => scalarStationaryPoints(ok, { w: [1, -1] }), RangeError, [fn, "options.w", "[1, -1]"]],
    ["w not a pair", () => scalarStationaryPoints(ok, { w: 3 as unknown as [number, number] }), TypeError, [
      fn,
      "options.w",
      "3",
    ]],
    ["u infinite", () => scalarStationaryPoints(ok, { u: [-Infinity, 1] }), RangeError, [
      fn,
      "options.u[0]",
      "-Infinity",
    ]],
    ["gridSize", () => scalarStationaryPoints(ok, { gridSize: 2 }), RangeError, [fn, "options.gridSize", "2"]],
    ["tolerance", () => scalarStationaryPoints(ok, { tolerance: 0 }), RangeError, [fn, "options.tolerance", "0"]],
  ];
  for (const c of cases) assertInvalid(...c);
});

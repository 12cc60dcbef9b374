// Part IV: the one-neuron networks f(x) = u·σ(w x) (lib/networks/scalar_network.ts). The closed-form gradient and
// Hessian are checked against central finite differences, the per-sample Hessians against the Hessian, the Newton
// search for a vanishing gradient, the landscape against a direct sum, and SGD against a step-by-step re-computation
// from the same random stream.
import assert from "node:assert/strict";
import {
  type Activation,
  activation,
  findStationaryPoint,
  perSampleHessians,
  scalarLandscape,
  type ScalarModel,
  scalarPointInfo,
  simulateScalarNetworkSGD,
} from "../mod.ts";
import { Rng } from "../lib/core/random.ts";
import { assertClose } from "./assert_close.ts";
import { assertInvalid, type InvalidCase } from "./assert_invalid.ts";

const X = [0.5, -1.2, 2, 0.3, -0.7];
const Y = [0.4, -1, 1.5, 0.9, 0.2];
const POINTS: [number, number][] = [[0.8, -0.6], [-1.1, 0.4], [0.3, 1.7], [1.4, 0.9]];

/** L(u, w) = (1/N)·Σ ½(u σ(w xᵢ) − yᵢ)², written out directly. */
function directLoss(act: Activation, u: number, w: number, x = X, y = Y): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += 0.5 * (u * activation(act, w * x[i])[0] - y[i]) ** 2;
  return s / x.length;
}

Deno.test("scalarPointInfo: loss equals the direct sum; gradient and Hessian match central finite differences", () => {
  // Gradient: differences of L with step 1e-6 — rounding ≈ eps·L/h ≈ 1e-10, truncation ≈ h²|L‴| ≈ 1e-11; tolerance
  // 1e-8. Hessian: differences of the closed-form gradient with step 1e-6 — same orders; tolerance 1e-7 (the third
  // derivatives of swish and tanh at |w x| ≤ 4 are O(1)).
  const h = 1e-6;
  for (const act of ["tanh", "swish", "linear"] as const) {
    const model: ScalarModel = { x: X, y: Y, activation: act };
    for (const [u, w] of POINTS) {
      const info = scalarPointInfo(model, u, w);
      const at = `${act} at (${u}, ${w})`;
      assertClose(info.loss, directLoss(act, u, w), { rel: 1e-14 }, `${at}: loss`);
      const du = (directLoss(act, u + h, w) - directLoss(act, u - h, w)) / (2 * h);
      const dw = (directLoss(act, u, w + h) - directLoss(act, u, w - h)) / (2 * h);
      assertClose(info.gradient[0], du, { abs: 1e-8 }, `${at}: ∂L/∂u`);
      assertClose(info.gradient[1], dw, { abs: 1e-8 }, `${at}: ∂L/∂w`);
      const gu1 = scalarPointInfo(model, u + h, w).gradient, gu0 = scalarPointInfo(model, u - h, w).gradient;
      const gw1 = scalarPointInfo(model, u, w + h).gradient, gw0 = scalarPointInfo(model, u, w - h).gradient;
      const [[huu, huw], [hwu, hww]] = info.hessian;
      assert.equal(huw, hwu, `${at}: symmetric Hessian`);
      assertClose(huu, (gu1[0] - gu0[0]) / (2 * h), { abs: 1e-7 }, `${at}: L_uu`);
      assertClose(huw, (gw1[0] - gw0[0]) / (2 * h), { abs: 1e-7 }, `${at}: L_uw = ∂(∂L/∂u)/∂w`);
      assertClose(huw, (gu1[1] - gu0[1]) / (2 * h), { abs: 1e-7 }, `${at}: L_wu = ∂(∂L/∂w)/∂u`);
      assertClose(hww, (gw1[1] - gw0[1]) / (2 * h), { abs: 1e-7 }, `${at}: L_ww`);
      // Eigenvalues: descending, trace and determinant (rounding only).
      const [e1, e2] = info.eigenvalues;
      const scale = Math.abs(huu) + Math.abs(hww) + Math.abs(huw);
      assert.ok(e1 >= e2, `${at}: eigenvalues descending`);
      assertClose(e1 + e2, huu + hww, { abs: 1e-14 * scale }, `${at}: λ₁ + λ₂ = trace`);
      assertClose(e1 * e2, huu * hww - huw * huw, { abs: 1e-14 * scale * scale }, `${at}: λ₁λ₂ = det`);
    }
  }
});

Deno.test("scalarPointInfo at the origin: a saddle with eigenvalues ±|E[xy]|·σ′(0)", () => {
  const exy = X.reduce((s, x, i) => s + x * Y[i], 0) / X.length;
  for (const [act, slope] of [["tanh", 1], ["swish", 0.5], ["linear", 1]] as const) {
    const info = scalarPointInfo({ x: X, y: Y, activation: act }, 0, 0);
    assertClose(info.eigenvalues[0], Math.abs(exy) * slope, { rel: 1e-15 }, `${act}: λ₁`);
    assertClose(info.eigenvalues[1], -Math.abs(exy) * slope, { rel: 1e-15 }, `${act}: λ₂`);
    assert.deepEqual(info.gradient.map(Math.abs), [0, 0], `${act}: the origin is stationary`);
  }
  assert.deepEqual(scalarPointInfo({ x: [1, 2], y: [1, 3], activation: "tanh" }, 0, 0).eigenvalues, [3.5, -3.5]);
});

Deno.test("perSampleHessians: one 2 × 2 per sample, averaging to the Hessian", () => {
  for (const act of ["tanh", "swish", "relu", "linear"] as const) {
    const model: ScalarModel = { x: X, y: Y, activation: act };
    for (const [u, w] of POINTS) {
      const hs = perSampleHessians(model, u, w);
      assert.equal(hs.length, X.length);
      const H = scalarPointInfo(model, u, w).hessian;
      for (const [a, b] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
        const mean = hs.reduce((s, m) => s + m[a][b], 0) / hs.length;
        const scale = hs.reduce((s, m) => s + Math.abs(m[a][b]), 0) / hs.length;
        // Same terms, summed in a different order: rounding only.
        assertClose(mean, H[a][b], { abs: 1e-15 * scale }, `${act} at (${u}, ${w}): mean of H[${a}][${b}]`);
      }
      for (const m of hs) assert.equal(m[0][1], m[1][0], "symmetric");
      // Each one is the Hessian of its own one-sample model. (+ 0 turns −0 into 0: the Hessian is accumulated from 0,
      // the per-sample entries are not.)
      hs.forEach((m, i) =>
        assert.deepEqual(
          m.flat().map((v) => v + 0),
          scalarPointInfo({ x: [X[i]], y: [Y[i]], activation: act }, u, w).hessian.flat(),
          `sample ${i}`,
        )
      );
    }
  }
  assert.deepEqual(perSampleHessians({ x: [2], y: [3], activation: "swish" }, 0, 0), [[[0, -3], [-3, 0]]]);
});

/** Data from a teacher u σ(w x) with (u, w) = (1.5, 0.8) plus small fixed noise: a finite minimum nearby. */
function teacherModel(act: "tanh" | "swish"): ScalarModel {
  const x = [0.5, -1.2, 2, 0.3, -0.7, 1.1];
  const noise = [0.05, -0.03, 0.02, -0.04, 0.01, 0.03];
  return { x, y: x.map((xi, i) => 1.5 * activation(act, 0.8 * xi)[0] + noise[i]), activation: act };
}

Deno.test("findStationaryPoint converges to a vanishing gradient and classifies the point", () => {
  for (const act of ["tanh", "swish"] as const) {
    const model = teacherModel(act);
    for (const [u0, w0] of [[1, 1], [2, 0.5], [1.2, 1.2]]) {
      const p = findStationaryPoint(model, u0, w0);
      const at = `${act} from (${u0}, ${w0})`;
      const info = scalarPointInfo(model, p.u, p.w);
      const norm = Math.hypot(...info.gradient);
      assert.ok(norm <= 1e-10, `${at}: ‖∇L‖ = ${norm} at the returned point (documented: < 1e-10)`);
      assert.equal(p.kind, "minimum", `${at}: kind`);
      assert.ok(p.eigenvalues[1] > 0, `${at}: positive definite Hessian at a minimum`);
      assert.deepEqual([p.loss, p.gradient, p.hessian], [info.loss, info.gradient, info.hessian], `${at}: its info`);
      // Near the teacher (the noise is small), and a minimum: L rises on a small circle around it.
      assert.ok(Math.abs(p.u - 1.5) < 0.2 && Math.abs(p.w - 0.8) < 0.2, `${at}: (${p.u}, ${p.w}) near (1.5, 0.8)`);
      for (let k = 0; k < 8; k++) {
        const a = (k * Math.PI) / 4;
        const l = directLoss(
          act,
          p.u + 1e-3 * Math.cos(a),
          p.w + 1e-3 * Math.sin(a),
          model.x as number[],
          model.y as number[],
        );
        assert.ok(l > p.loss, `${at}: L rises in direction ${k}`);
      }
    }
    // From near the origin: Newton finds the saddle at the origin.
    const s = findStationaryPoint(model, 0.01, -0.02);
    assert.equal(s.kind, "saddle", `${act}: the origin is a saddle`);
    assert.ok(Math.hypot(s.u, s.w) < 1e-10, `${act}: saddle at (${s.u}, ${s.w})`);
  }
  // The documented example: linear fits of y = 2x, u·w = 2.
  const q = findStationaryPoint({ x: [1, 2], y: [2, 4], activation: "linear" }, 1.5, 1.5);
  assert.equal(q.kind, "minimum");
  assertClose(q.u * q.w, 2, { abs: 1e-10 }, "u·w");
  // A start that already is stationary takes no iterations.
  assert.equal(findStationaryPoint({ x: X, y: Y, activation: "tanh" }, 0, 0).iterations, 0);
  // No finite minimum to converge to (on X, Y the tanh fit improves as u → ∞, w → 0): the documented RangeError.
  assertInvalid(
    "no convergence",
    () => findStationaryPoint({ x: X, y: Y, activation: "tanh" }, 1, 1),
    RangeError,
    ["findStationaryPoint", "(1, 1)"],
  );
});

Deno.test("scalarLandscape: values on a non-square grid equal the direct loss, row-major in u", () => {
  const us = [-1.5, -0.2, 0, 0.9];
  const ws = [-2, 0.1, 1.3];
  for (const act of ["tanh", "swish", "relu"] as const) {
    const l = scalarLandscape({ x: X, y: Y, activation: act }, { us, ws });
    assert.deepEqual([Array.from(l.us), Array.from(l.ws), l.loss.length], [us, ws, 12]);
    for (let r = 0; r < us.length; r++) {
      for (let k = 0; k < ws.length; k++) {
        assertClose(
          l.loss[r * ws.length + k],
          directLoss(act, us[r], ws[k]),
          { rel: 1e-14 },
          `${act} L(${us[r]}, ${ws[k]})`,
        );
      }
    }
  }
  assert.equal(scalarLandscape({ x: [1], y: [1], activation: "tanh" }, { us: [0, 1], ws: [0, 1] }).loss[0], 0.5);
});

/** SGD re-computed from the same stream: start, then per step S indices, each gradient written out by hand. */
function referenceSGD(
  model: { x: number[]; y: number[]; activation: Activation },
  lambda: number,
  steps: number,
  S: number,
  seed: string,
  k: number,
  start: [number, number] | { scale: number },
): [number, number] {
  const rng = Rng.stream(seed, k);
  let u: number, w: number;
  if (Array.isArray(start)) [u, w] = start;
  else {
    u = start.scale * rng.normal();
    w = start.scale * rng.normal();
  }
  const idx = new Int32Array(S);
  for (let t = 0; t < steps; t++) {
    rng.fillIndices(idx, model.x.length);
    let gu = 0, gw = 0;
    for (const i of idx) {
      const [s, ds] = activation(model.activation, w * model.x[i]);
      const r = u * s - model.y[i];
      gu += r * s; // ∂/∂u ½(uσ(wx) − y)²
      gw += r * u * ds * model.x[i]; // ∂/∂w
    }
    [u, w] = [u - (lambda * gu) / S, w - (lambda * gw) / S];
  }
  return [u, w];
}

Deno.test("simulateScalarNetworkSGD: one step by hand on a one-sample dataset", () => {
  // One sample: every draw is index 0, so the step is (u, w) − λ·∇ℓ with ∇ℓ written out here.
  const [x, y, u0, w0, lambda] = [1.3, 0.7, 0.5, -0.4, 0.1];
  const t = Math.tanh(w0 * x);
  const r = u0 * t - y;
  const u1 = u0 - lambda * r * t;
  const w1 = w0 - lambda * r * u0 * x * (1 - t * t);
  for (const batchSize of [1, 3]) {
    const run = simulateScalarNetworkSGD({ x: [x], y: [y], activation: "tanh" }, lambda, {
      steps: 1,
      trajectories: 1,
      batchSize,
      start: [u0, w0],
    });
    assert.deepEqual(Array.from(run.times), [0, 1]);
    assert.deepEqual([run.u[0], run.w[0]], [u0, w0], "the start is recorded");
    // Rounding only (S = 3 sums three equal terms then divides by 3).
    assertClose(run.u[1], u1, { rel: 4e-16 }, `S = ${batchSize}: u after one step`);
    assertClose(run.w[1], w1, { rel: 4e-16 }, `S = ${batchSize}: w after one step`);
  }
});

Deno.test("simulateScalarNetworkSGD equals a step-by-step re-computation from the same random streams", () => {
  const model = { x: X, y: Y, activation: "swish" as Activation };
  const opts = { steps: 60, trajectories: 3, batchSize: 2, recordEvery: 20, seed: "ref" };
  for (const start of [[0.6, -0.3] as [number, number], { scale: 0.5 }]) {
    const run = simulateScalarNetworkSGD(model, 0.2, { ...opts, start });
    assert.deepEqual(Array.from(run.times), [0, 20, 40, 60]);
    for (let k = 0; k < 3; k++) {
      for (const [j, steps] of [[1, 20], [3, 60]]) {
        const [u, w] = referenceSGD(model, 0.2, steps, 2, "ref", k, start);
        // Identical operations up to the order of two additions per step: rounding only over ≤ 60 steps.
        assertClose(run.u[k * 4 + j], u, { abs: 1e-13, rel: 1e-12 }, `trajectory ${k}, step ${steps}: u`);
        assertClose(run.w[k * 4 + j], w, { abs: 1e-13, rel: 1e-12 }, `trajectory ${k}, step ${steps}: w`);
      }
    }
  }
});

Deno.test("simulateScalarNetworkSGD is deterministic: same seed, same trajectories; other seeds differ", () => {
  const model = { x: X, y: Y, activation: "tanh" as Activation };
  const o = { steps: 500, trajectories: 4, recordEvery: 100, seed: 3 };
  const a = simulateScalarNetworkSGD(model, 0.3, o);
  assert.deepEqual(simulateScalarNetworkSGD(model, 0.3, o), a);
  assert.equal(a.u.length, 4 * 6);
  assert.equal(a.trajectories, 4);
  assert.notDeepEqual(simulateScalarNetworkSGD(model, 0.3, { ...o, seed: 4 }).u, a.u);
  // Trajectory k only depends on stream k: the first two of four equal a run of two.
  const two = simulateScalarNetworkSGD(model, 0.3, { ...o, trajectories: 2 });
  assert.deepEqual(two.u, a.u.slice(0, 12));
  // recordEvery not dividing steps: the last time is still `steps`.
  assert.deepEqual(Array.from(simulateScalarNetworkSGD(model, 0.3, { ...o, recordEvery: 300 }).times), [0, 300, 500]);
  // λ = 0 leaves the start in place.
  const still = simulateScalarNetworkSGD(model, 0, { steps: 10, trajectories: 2, start: [0.3, 0.2] });
  assert.deepEqual(Array.from(still.u), [0.3, 0.3, 0.3, 0.3]);
});

Deno.test("scalar network functions reject bad input, naming function, parameter and value", () => {
  const model: ScalarModel = { x: [1, 2], y: [1, 2], activation: "tanh" };
  const cases: InvalidCase[] = [
    ["model null", () => scalarPointInfo(null as never, 0, 0), TypeError, ["scalarPointInfo", "model", "null"]],
    ["y length", () => scalarPointInfo({ ...model, y: [1] }, 0, 0), RangeError, [
      "scalarPointInfo",
      "model.y",
      "length 1",
    ]],
    ["x NaN", () => perSampleHessians({ ...model, x: [1, NaN] }, 0, 0), RangeError, [
      "perSampleHessians",
      "model.x",
      "NaN",
    ]],
    ["activation", () => scalarPointInfo({ ...model, activation: "gelu" as Activation }, 0, 0), RangeError, [
      "model.activation",
      '"gelu"',
    ]],
    ["u", () => scalarPointInfo(model, Infinity, 0), RangeError, ["scalarPointInfo", "u", "Infinity"]],
    ["w", () => perSampleHessians(model, 0, "1" as unknown as number), TypeError, ["perSampleHessians", "w", '"1"']],
    ["u0", () => findStationaryPoint(model, NaN, 0), RangeError, ["findStationaryPoint", "u0", "NaN"]],
    ["us", () => scalarLandscape(model, { us: [], ws: [1] }), RangeError, ["scalarLandscape", "options.us", "empty"]],
    ["lambda", () => simulateScalarNetworkSGD(model, -1), RangeError, ["simulateScalarNetworkSGD", "lambda", "-1"]],
    ["steps", () => simulateScalarNetworkSGD(model, 0.1, { steps: 0 }), RangeError, ["options.steps", "0"]],
    ["trajectories", () => simulateScalarNetworkSGD(model, 0.1, { trajectories: 1.5 }), RangeError, [
      "options.trajectories",
      "1.5",
    ]],
    ["start", () => simulateScalarNetworkSGD(model, 0.1, { start: [0, NaN] }), RangeError, ["options.start[1]", "NaN"]],
    ["start scale", () => simulateScalarNetworkSGD(model, 0.1, { start: { scale: -1 } }), RangeError, [
      "options.start.scale",
      "-1",
    ]],
  ];
  for (const c of cases) assertInvalid(...c);
});

// Beyond the paper: the stability probe (issue 12) against the library's closed forms, an independent NumPy fixture,
// central differences of the adapters' gradients, bad input and determinism.
import assert from "node:assert/strict";
import {
  batchSharpness,
  createDeepNetwork,
  createTwoLayerNetwork,
  deepNetworkModel,
  type DifferentiableModel,
  finiteDifferenceHessianVectorProduct,
  hessianVectorProduct,
  lambdaGD,
  lyapunovExponent,
  meanSquareFactor,
  minibatchLyapunovExponent,
  perSampleHessians,
  randomNormal,
  saddleExponents,
  scalarNetworkModel,
  stabilityProbe,
  twoLayerNetworkModel,
} from "../mod.ts";

import { SADDLE_NETWORK_POINTS, saddleNetworkComparison } from "../experiments/probe_claims.ts";

const fixture = async (name: string) =>
  JSON.parse(await Deno.readTextFile(new URL(`./fixtures/${name}`, import.meta.url)));

/** A model with per-sample loss ½ wᵀHᵢw (interpolation minimum at 0), gradient only (no exact HVP). */
function quadraticModel(hessians: number[][][], name = "quadratic"): DifferentiableModel {
  const d = hessians[0].length;
  return {
    name,
    dimension: d,
    size: hessians.length,
    gradient(w, batch) {
      const g = new Float64Array(d);
      for (const i of batch) {
        for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) g[r] += (hessians[i][r][c] * w[c]) / batch.length;
      }
      return g;
    },
  };
}
const diag = (values: number[]) => values.map((v, r) => values.map((_, c) => (r === c ? v : 0)));
const x1 = [0.3, 0.8, 1, 1.2, 3.1]; // 1-D regression data with an outlier
const h1 = x1.map((v) => v * v);
const regression = quadraticModel(h1.map((h) => [[h]]), "regression");

Deno.test("1-D regression, S = 1: exponent = lyapunovExponent within 3 SE (calibrated), mean-square factor and sharpness exact", () => {
  const lambdas = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 0.95, 1.2, 1.5, 2];
  const probe = stabilityProbe(regression, [0], { lambdas, steps: 2000, runs: 8, seed: 7 });
  const h = h1.reduce((s, v) => s + v, 0) / h1.length;
  assert.ok(Math.abs(probe.sharpness - h) < 1e-13 * h);
  assert.ok(Math.abs(probe.lambdaGD - lambdaGD(x1)) < 1e-13);
  for (const row of probe.rows) {
    const exact = lyapunovExponent(h1, row.lambda);
    const z = Math.abs(row.lyapunovExponent - exact) / row.standardError;
    assert.ok(z < 3, `λ = ${row.lambda}: |Δ| = ${z.toFixed(2)} SE`);
    const msf = meanSquareFactor(x1, row.lambda);
    assert.ok(Math.abs(row.meanSquareFactor! - msf) < 1e-12 * Math.max(1, msf));
    // For d = 1 the second-moment contraction is the same number.
    assert.ok(Math.abs(row.secondMomentContraction! - msf) < 1e-12 * Math.max(1, msf));
  }
  // Calibration over independent seeds (rows of one probe share their batches, so they are correlated): with 4 runs the
  // error over its SE is t-distributed with 3 degrees of freedom, within 1 SE 61 % of the time.
  let within1 = 0;
  const exact = lyapunovExponent(h1, 0.5);
  for (let seed = 0; seed < 40; seed++) {
    const row = stabilityProbe(regression, [0], { lambdas: [0.5], steps: 500, seed }).rows[0];
    if (Math.abs(row.lyapunovExponent - exact) < row.standardError) within1++;
  }
  assert.ok(within1 >= 15 && within1 <= 35, `${within1}/40 within 1 SE`);
});

Deno.test("1-D regression, S = 3: exponent = minibatchLyapunovExponent within 3 SE, meanSquareFactor(x, λ, 3) exact", () => {
  const lambdas = [0.2, 0.6, 0.9, 1.6];
  const probe = stabilityProbe(regression, [0], { lambdas, batchSize: 3, steps: 2000, runs: 6, seed: 3 });
  for (const row of probe.rows) {
    const exact = minibatchLyapunovExponent(h1, row.lambda, { batchSize: 3 }).value;
    assert.ok(Math.abs(row.lyapunovExponent - exact) < 3 * row.standardError, `λ = ${row.lambda}`);
    const msf = meanSquareFactor(x1, row.lambda, 3);
    assert.ok(Math.abs(row.meanSquareFactor! - msf) < 1e-12 * Math.max(1, msf));
  }
});

Deno.test("commuting Hessians: the QR exponents are the per-mode E log|1 − λh_k| (sorted)", () => {
  const modes = [[1, 0.2, 2], [3, 0.1, 0.5], [0.5, 0.4, 1], [2, 0.3, 4]];
  const probe = stabilityProbe(quadraticModel(modes.map(diag)), [0, 0, 0], {
    lambdas: [0.4, 0.9],
    directions: 3,
    steps: 3000,
    runs: 6,
    seed: 11,
  });
  for (const row of probe.rows) {
    const exact = [0, 1, 2].map((k) => lyapunovExponent(modes.map((m) => m[k]), row.lambda)).sort((a, b) => b - a);
    for (let k = 0; k < 3; k++) {
      assert.ok(
        Math.abs(row.exponents[k] - exact[k]) < 3 * row.exponentErrors[k] + 1e-12,
        `λ = ${row.lambda}, k = ${k}: ${row.exponents[k]} vs ${exact[k]}`,
      );
    }
  }
});

Deno.test("§4.2 saddle ℓ = −χ u w: exponents = Prop. 2's (plus, minus), mean-square radius from the same moments", () => {
  const chi = [1, -0.5, 2, 0.3];
  const model: DifferentiableModel = {
    name: "saddle",
    dimension: 2,
    size: chi.length,
    gradient(w, b) {
      const c = b.reduce((s, i) => s + chi[i], 0) / b.length;
      return Float64Array.of(-c * w[1], -c * w[0]);
    },
    hessianVectorProduct(_w, v, b) {
      const c = b.reduce((s, i) => s + chi[i], 0) / b.length;
      return Float64Array.of(-c * v[1], -c * v[0]);
    },
  };
  for (const S of [1, 2]) {
    const probe = stabilityProbe(model, [0, 0], {
      lambdas: [0.3, 0.9, 1.8],
      batchSize: S,
      directions: 2,
      steps: 3000,
      runs: 6,
      seed: 5,
    });
    assert.ok(probe.minEigenvalue < 0);
    for (const row of probe.rows) {
      const e = saddleExponents(chi, row.lambda, { batchSize: S });
      const [top, second] = [Math.max(e.plus, e.minus), Math.min(e.plus, e.minus)];
      assert.ok(Math.abs(row.exponents[0] - top) < 3 * row.exponentErrors[0], `S ${S} λ ${row.lambda} top`);
      assert.ok(Math.abs(row.exponents[1] - second) < 3 * row.exponentErrors[1], `S ${S} λ ${row.lambda} second`);
      // In the eigenbasis Σ₁₁, Σ₂₂, Σ₁₂ grow by E(1 − λχ̄)², E(1 + λχ̄)², 1 − λ²Eχ̄².
      const plus = saddleExponents(chi.map((c) => -c), row.lambda, { batchSize: S }).meanSquare;
      const m = chi.reduce((s, c) => s + c, 0) / chi.length, m2 = chi.reduce((s, c) => s + c * c, 0) / chi.length;
      const cross = Math.abs(1 - row.lambda ** 2 * (m2 / S + (1 - 1 / S) * m * m));
      const radius = Math.max(e.meanSquare, plus, cross);
      assert.ok(Math.abs(row.meanSquareFactor! - radius) < 1e-12 * radius);
      assert.equal(row.verdict.gd, "unstable"); // a saddle: GD leaves at every λ > 0
    }
  }
});

Deno.test("§4.4 rank-0 saddle of Uσ(Wx): the probe's top exponent = saddleNetworkExponent within 3 combined SE (d = 1, 2)", () => {
  // saddleNetworkExponent draws fresh Gaussian data every step; the probe runs on 8 finite samples of 5,000 points and
  // its standard error is the spread over them (SGD noise and finite-sample error together).
  for (const k of [0, 3, 5, 6]) { // d = 1 linear, d = 1 swish, d = 2 tanh, d = 2 linear
    const [d, act, mu, lambda] = SADDLE_NETWORK_POINTS[k];
    const c = saddleNetworkComparison(mu, lambda, { dimension: d, activation: act, seed: "test" });
    assert.ok(
      c.z < 3,
      `d ${d} ${act} μ ${mu} λ ${lambda}: probe ${c.probe} ± ${c.probeError}, saddle ${c.saddle} ± ${c.saddleError}`,
    );
    assert.ok(c.probeError < 0.01 && c.saddleError < 0.01);
  }
});

Deno.test("fixture (NumPy, batches enumerated): sharpness, mean-square radius and second-moment contraction to 1e-10", async () => {
  const f = await fixture("probe.json");
  const model = quadraticModel(f.hessians);
  for (const c of f.cases) {
    const probe = stabilityProbe(model, [0, 0, 0], { lambdas: [c.lambda], batchSize: c.batchSize, steps: 10 });
    assert.ok(Math.abs(probe.sharpness - f.sharpness) < 1e-10);
    assert.ok(Math.abs(probe.minEigenvalue - f.minEigenvalue) < 1e-10);
    const row = probe.rows[0];
    assert.ok(Math.abs(row.meanSquareFactor! - c.meanSquareFactor) < 1e-10 * Math.max(1, c.meanSquareFactor));
    assert.ok(
      Math.abs(row.secondMomentContraction! - c.secondMomentContraction) <
        1e-10 * Math.max(1, c.secondMomentContraction),
    );
    assert.ok(row.meanSquareFactor! <= row.secondMomentContraction! * (1 + 1e-12)); // ρ(M) ≤ ‖E A²‖
  }
});

Deno.test("matrix-free path (d = 70 > 64): Lanczos sharpness and second-moment contraction match the per-mode forms", () => {
  const d = 70, n = 5;
  const hs = Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, k) => 0.5 + ((i * 7 + k * 3) % 11) / 4));
  const model: DifferentiableModel = {
    dimension: d,
    size: n,
    gradient: (w, b) => w.map((wk, k) => b.reduce((s, i) => s + hs[i][k] * wk, 0) / b.length),
    hessianVectorProduct: (_w, v, b) => v.map((vk, k) => b.reduce((s, i) => s + hs[i][k] * vk, 0) / b.length),
  };
  const lambda = 0.3;
  const probe = stabilityProbe(model, new Float64Array(d), {
    lambdas: [lambda],
    steps: 200,
    secondMoment: true,
    seed: 1,
  });
  assert.equal(probe.dense, false);
  assert.equal(probe.rows[0].meanSquareFactor, undefined);
  const mean = (k: number) => hs.reduce((s, h) => s + h[k], 0) / n;
  const top = Math.max(...Array.from({ length: d }, (_, k) => mean(k)));
  assert.ok(Math.abs(probe.sharpness - top) < 1e-8 * top);
  const contraction = Math.max(
    ...Array.from({ length: d }, (_, k) => hs.reduce((s, h) => s + (1 - lambda * h[k]) ** 2, 0) / n),
  );
  assert.ok(Math.abs(probe.rows[0].secondMomentContraction! - contraction) < 1e-8);
});

Deno.test("finite-difference HVP: Richardson accuracy on a smooth non-quadratic loss, and its error estimate covers it", () => {
  const X = [[1, 0.5], [-0.3, 1], [0.8, -1]], y = [1, 0, 1];
  const sig = (z: number) => 1 / (1 + Math.exp(-z));
  const model: DifferentiableModel = {
    dimension: 2,
    size: 3,
    gradient(w, b) {
      const g = new Float64Array(2);
      for (const i of b) {
        const r = sig(w[0] * X[i][0] + w[1] * X[i][1]) - y[i];
        g[0] += (r * X[i][0]) / b.length;
        g[1] += (r * X[i][1]) / b.length;
      }
      return g;
    },
  };
  const w = Float64Array.of(0.7, -1.3), v = Float64Array.of(0.4, 2), b = Int32Array.of(0, 1, 2, 2);
  const exact = new Float64Array(2);
  for (const i of b) {
    const p = sig(w[0] * X[i][0] + w[1] * X[i][1]), xv = X[i][0] * v[0] + X[i][1] * v[1];
    exact[0] += (p * (1 - p) * xv * X[i][0]) / b.length;
    exact[1] += (p * (1 - p) * xv * X[i][1]) / b.length;
  }
  const fd = finiteDifferenceHessianVectorProduct(model, w, v, b);
  const err = Math.max(Math.abs(fd.value[0] - exact[0]), Math.abs(fd.value[1] - exact[1]));
  assert.ok(err < 1e-10, `error ${err}`);
  assert.ok(fd.error >= err, `estimate ${fd.error} < actual ${err}`);
  assert.deepEqual(hessianVectorProduct(model, w, v, b), fd.value);
});

function maxRelativeGap(
  model: DifferentiableModel & { hessianVectorProduct: NonNullable<DifferentiableModel["hessianVectorProduct"]> },
  w: Float64Array,
  batch: Int32Array,
  seed: number,
) {
  const v = randomNormal(model.dimension, { seed });
  const exact = model.hessianVectorProduct(w, v, batch);
  const fd = finiteDifferenceHessianVectorProduct(
    { dimension: model.dimension, size: model.size, gradient: model.gradient },
    w,
    v,
    batch,
  );
  let scale = 0, gap = 0;
  for (let i = 0; i < exact.length; i++) {
    scale = Math.max(scale, Math.abs(exact[i]));
    gap = Math.max(gap, Math.abs(exact[i] - fd.value[i]));
  }
  return { gap: gap / scale, estimate: fd.error / scale };
}

Deno.test("adapters: exact HVPs (R-operator) agree with central differences of their gradients", () => {
  const x = randomNormal(20, { seed: "px" }), y = randomNormal(20, { seed: "py" });
  for (const act of ["swish", "tanh"] as const) {
    const m = scalarNetworkModel({ x, y, activation: act });
    const { gap } = maxRelativeGap(m, Float64Array.of(0.7, -1.1), Int32Array.of(0, 3, 3, 7), 1);
    assert.ok(gap < 1e-9, `scalar ${act}: ${gap}`);
    // Its dense Hessian is the library's per-sample Hessian.
    const H = perSampleHessians({ x, y, activation: act }, 0.7, -1.1)[3];
    const col = m.hessianVectorProduct(Float64Array.of(0.7, -1.1), Float64Array.of(1, 0), Int32Array.of(3));
    assert.ok(Math.abs(col[0] - H[0][0]) < 1e-14 && Math.abs(col[1] - H[1][0]) < 1e-14);
  }
  for (const act of ["tanh", "swish", "linear"] as const) {
    const net = createTwoLayerNetwork({ inputs: 3, hidden: 4, outputs: 2, activation: act, seed: 2, initScale: 1 });
    const m = twoLayerNetworkModel(net, { X: randomNormal(30, { seed: "X" }), Y: randomNormal(20, { seed: "Y" }) });
    const { gap } = maxRelativeGap(m, m.parameters, Int32Array.of(0, 1, 5, 9), 2);
    assert.ok(gap < 1e-9, `two-layer ${act}: ${gap}`);
  }
  const images = randomNormal(6 * 8, { seed: "img" }).map((v) => Math.max(0, v)); // sparse, like pixels
  const data = { images, labels: Uint8Array.of(0, 1, 2, 1, 0, 2), count: 6, features: 8 };
  for (const act of ["tanh", "linear", "relu"] as const) {
    // Seed 4: every relu pre-activation of these samples is ≥ 0.03 from its kink, beyond the difference's reach (at
    // seed 3 a sample has z = 0 exactly and the difference straddles the kink).
    const m = deepNetworkModel(createDeepNetwork([8, 5, 4, 3], { activation: act, seed: 4 }), data);
    const { gap } = maxRelativeGap(m, m.parameters, Int32Array.of(0, 2, 3, 5, 5), 3);
    assert.ok(gap < 1e-8, `deep ${act}: ${gap}`);
  }
});

Deno.test("batchSharpness: E[h_B | g_B ≠ 0] for a 1-D model, and a RangeError at an interpolation minimum", () => {
  const h = [1, 3, 2], c = [1, -1, 0.3];
  const model: DifferentiableModel = {
    name: "one-d",
    dimension: 1,
    size: 3,
    gradient: (w, b) => Float64Array.of(b.reduce((s, i) => s + h[i] * (w[0] - c[i]), 0) / b.length),
  };
  const r = batchSharpness(model, [0.3], { batchSize: 1, samples: 3000, seed: 4 });
  const exact = (1 + 3) / 2; // sample 2 has zero gradient at w = 0.3 and is skipped
  assert.ok(Math.abs(r.mean - exact) < 3 * r.standardError);
  assert.throws(() => batchSharpness(regression, [0], { batchSize: 2 }), RangeError, "batchSharpness");
});

Deno.test("bad input: TypeError/RangeError naming the function and the parameter; bad models name the model and batch", () => {
  assert.throws(() => stabilityProbe(regression, [0], { lambdas: [-1] }), {
    name: "RangeError",
    message: /options\.lambdas\[0\] in stabilityProbe/,
  });
  assert.throws(() => stabilityProbe(regression, [0, 1], { lambdas: [1] }), {
    name: "RangeError",
    message: /Invalid w in stabilityProbe: expected length 1/,
  });
  assert.throws(() => stabilityProbe(regression, [0], { lambdas: [1], runs: 1 }), /options\.runs in stabilityProbe/);
  assert.throws(() => stabilityProbe(regression, [0], { lambdas: [1], directions: 2 }), RangeError);
  assert.throws(
    () => stabilityProbe({ dimension: 1, size: 2 } as unknown as DifferentiableModel, [0], { lambdas: [1] }),
    { name: "TypeError", message: /model\.gradient in stabilityProbe/ },
  );
  assert.throws(() => stabilityProbe(regression, [0], undefined as never), TypeError);
  const wrong: DifferentiableModel = { name: "short", dimension: 2, size: 3, gradient: () => new Float64Array(1) };
  assert.throws(() => stabilityProbe(wrong, [0, 0], { lambdas: [1] }), {
    name: "RangeError",
    message: /Invalid short\.gradient in stabilityProbe: expected length 2 .*for the batch \[0\]/,
  });
  const nan: DifferentiableModel = {
    name: "nan",
    dimension: 1,
    size: 3,
    gradient: (w) => Float64Array.of(w[0] > 0 ? NaN : 0),
  };
  assert.throws(() => stabilityProbe(nan, [0], { lambdas: [1] }), {
    name: "RangeError",
    message: /nan\.gradient.*batch \[0\].*NaN/,
  });
  const badHvp: DifferentiableModel = {
    ...regression,
    name: "bad",
    hessianVectorProduct: () => Float64Array.of(Infinity),
  };
  assert.throws(() => hessianVectorProduct(badHvp, [0], [1], Int32Array.of(2)), {
    message: /bad\.hessianVectorProduct in hessianVectorProduct: expected finite values for the batch \[2\]/,
  });
  assert.throws(() => hessianVectorProduct(regression, [0], [1], Int32Array.of(9)), {
    name: "RangeError",
    message: /Invalid batch in hessianVectorProduct: expected indices in \[0, 5\)/,
  });
  assert.throws(() => hessianVectorProduct(regression, [0], [1], [0] as never), TypeError);
  assert.throws(() => twoLayerNetworkModel(createTwoLayerNetwork({ inputs: 2, seed: 1 }), { X: [1, 2, 3], Y: [1] }), {
    name: "RangeError",
    message: /data\.X in twoLayerNetworkModel/,
  });
});

Deno.test("determinism: the same seed gives the same rows bit for bit; another seed other batches", () => {
  const o = { lambdas: [0.3, 1.1], batchSize: 2, steps: 300, seed: "s" };
  const a = stabilityProbe(regression, [0], o), b = stabilityProbe(regression, [0], o);
  assert.deepEqual(a, b);
  const c = stabilityProbe(regression, [0], { ...o, seed: "t" });
  assert.notEqual(a.rows[0].lyapunovExponent, c.rows[0].lyapunovExponent);
});

Deno.test("verdicts: undecided within 2 SE, and the 1-D verdicts follow λ_GD, λ_DS and the sign of the exponent", () => {
  // h̄ = 2.556: λ_GD = 0.78, λ_DS = 0.27; the exponent stays negative far beyond both.
  const probe = stabilityProbe(regression, [0], { lambdas: [0, 0.1, 0.6, 0.9], steps: 2000, seed: 1 });
  assert.deepEqual(probe.rows[0].verdict, { gd: "undecided", meanSquare: "undecided", probability: "undecided" });
  assert.deepEqual(probe.rows[1].verdict, { gd: "stable", meanSquare: "stable", probability: "stable" });
  assert.deepEqual(probe.rows[2].verdict, { gd: "stable", meanSquare: "unstable", probability: "stable" });
  assert.deepEqual(probe.rows[3].verdict, { gd: "unstable", meanSquare: "unstable", probability: "stable" });
  // Undecided within 2 SE: a model whose exponent is exactly 0 at every step (h = 0).
  const flat = stabilityProbe({ dimension: 1, size: 2, gradient: () => Float64Array.of(0) }, [0], { lambdas: [1] });
  assert.equal(flat.rows[0].verdict.probability, "undecided");
});

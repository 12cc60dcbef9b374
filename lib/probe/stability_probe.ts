/**
 * The stability probe: at a point w of any {@linkcode DifferentiableModel}, for learning rates λ and batch size S, does
 * gradient descent keep w (linear stability, λ < 2/sharpness), does SGD keep it in mean square, and does SGD keep it in
 * probability (the top Lyapunov exponent of SGD linearized at w, Prop. 1 and §3)? Also the "batch sharpness" of the
 * Edge of Stochastic Stability (Andreyev & Beneventano 2024).
 *
 * @module
 */

import { indexBuffer, Rng } from "../core/random.ts";
import * as check from "../core/validate.ts";
import { lanczosExtremes, symmetricEigen } from "./linalg.ts";
import { type CheckedModel, checkModel, checkPoint, type DifferentiableModel, gradientOf, hvpOf } from "./model.ts";

/** The largest dimension d for which the probe forms dense per-sample Hessians and the exact mean-square factor. */
export const PROBE_DENSE_DIMENSION = 64;
/** The largest N·d² (doubles) of the dense per-sample Hessians: 2²⁴ (128 MB). */
export const PROBE_DENSE_ENTRIES = 2 ** 24;
/** The largest number of doubles the Lanczos basis of the sharpness may hold: 2²⁶ (512 MB). */
const LANCZOS_ENTRIES = 2 ** 26;

/** A verdict: "undecided" when the evidence is within its error of the boundary. */
export type StabilityVerdictValue = "stable" | "unstable" | "undecided";

/** The three notions of stability of a point at one learning rate. */
export interface StabilityVerdict {
  /** Gradient descent (linear stability, §2): "stable" iff 0 ≤ λ < 2/sharpness and w is not a saddle. */
  gd: StabilityVerdictValue;
  /** SGD in mean square: meanSquareFactor < 1 (or, without it, secondMomentContraction ≤ 1). */
  meanSquare: StabilityVerdictValue;
  /** SGD in probability (Prop. 1): the top Lyapunov exponent below −2 SE; "unstable" above +2 SE. */
  probability: StabilityVerdictValue;
}

/** One learning rate of a {@linkcode StabilityProbe}. */
export interface StabilityProbeRow {
  /** The learning rate λ. */
  lambda: number;
  /** The top Lyapunov exponent of vₜ₊₁ = (I − λĤ_B)vₜ (mean over runs; eq. 6 linearized, Prop. 1). */
  lyapunovExponent: number;
  /** Its standard error: the standard deviation over runs / √runs. */
  standardError: number;
  /** The top `directions` exponents (QR method), mean over runs, descending. */
  exponents: Float64Array;
  /** Their standard errors. */
  exponentErrors: Float64Array;
  /**
   * The top eigenvalue of E_B[(I − λĤ_B)²]: E‖vₜ₊₁‖² ≤ this·E‖vₜ‖², so ≤ 1 proves mean-square stability. `undefined`
   * above the dense limit unless `options.secondMoment` is true.
   */
  secondMomentContraction: number | undefined;
  /**
   * The spectral radius of Σ ↦ E_B[(I − λĤ_B)Σ(I − λĤ_B)], the exact growth factor of E[vvᵀ] per step (< 1 iff SGD
   * converges in mean square); for d = 1 it is E(1 − λh_B)², the library's `meanSquareFactor`. `undefined` when d > 64
   * or N·d² > 2²⁴.
   */
  meanSquareFactor: number | undefined;
  /** The verdicts. */
  verdict: StabilityVerdict;
}

/** What {@linkcode stabilityProbe} returns. */
export interface StabilityProbe {
  /** The top eigenvalue h_max of the full-batch Hessian at w. */
  sharpness: number;
  /** A bound on |sharpness − h_max| (0 when computed from the dense Hessian, to rounding). */
  sharpnessResidual: number;
  /** The smallest eigenvalue of the full-batch Hessian (< 0: w is a saddle). */
  minEigenvalue: number;
  /** λ_GD = 2/sharpness (∞ when sharpness ≤ 0). */
  lambdaGD: number;
  /** The batch size S. */
  batchSize: number;
  /** True when the probe used dense per-sample Hessians (d ≤ 64 and N·d² ≤ 2²⁴). */
  dense: boolean;
  /** One row per learning rate, in the order given. */
  rows: StabilityProbeRow[];
}

/** Options of {@linkcode stabilityProbe}. */
export interface StabilityProbeOptions {
  /** The learning rates λ ≥ 0. */
  lambdas: ArrayLike<number>;
  /** The batch size S: S indices drawn uniformly with replacement per step. @default 1 */
  batchSize?: number;
  /** Steps per run over which the exponent is averaged, after the transient. @default 1000 */
  steps?: number;
  /** Steps per run discarded before averaging (the QR frame aligns). @default 100 */
  transient?: number;
  /** Independent runs (≥ 2); the standard error is their spread. @default 4 */
  runs?: number;
  /** The number of QR columns: the top `directions` exponents. @default 1 */
  directions?: number;
  /** The seed: run r draws its batches from stream r of this seed, the same for every λ. @default 0 */
  seed?: number | string;
  /** Lanczos stops when the top Ritz value's residual is ≤ tolerance·|h|. @default 1e-10 */
  tolerance?: number;
  /** The largest Lanczos (Krylov) dimension for the sharpness. @default min(d, 100) */
  maxIterations?: number;
  /** Compute secondMomentContraction without dense Hessians (2N + 2 HVPs per Lanczos step and λ). @default false */
  secondMoment?: boolean;
}

/** Dense per-sample Hessians (symmetrized), their mean H, Q = mean Hᵢ² and H². Internal. */
interface DenseHessians {
  /** Views of `flat`, one per sample. */
  each: Float64Array[];
  /** All of them in one array, sample i at i·d². */
  flat: Float64Array;
  mean: Float64Array;
  squareMean: Float64Array;
  /** H·H. */
  meanSquared: Float64Array;
}

function matmul(a: Float64Array, b: Float64Array, d: number, out: Float64Array): Float64Array {
  out.fill(0);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      const aik = a[i * d + k];
      if (aik === 0) continue;
      for (let j = 0; j < d; j++) out[i * d + j] += aik * b[k * d + j];
    }
  }
  return out;
}

function denseHessians(fn: string, cm: CheckedModel, w: Float64Array): DenseHessians {
  const { d, n } = cm;
  const flat = new Float64Array(n * d * d), each: Float64Array[] = [];
  const mean = new Float64Array(d * d), squareMean = new Float64Array(d * d), sq = new Float64Array(d * d);
  const e = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const batch = Int32Array.of(i);
    const h = flat.subarray(i * d * d, (i + 1) * d * d);
    for (let k = 0; k < d; k++) {
      e.fill(0);
      e[k] = 1;
      const col = hvpOf(fn, cm, w, e, batch);
      for (let r = 0; r < d; r++) h[r * d + k] = col[r];
    }
    for (let r = 0; r < d; r++) {
      for (let c = r + 1; c < d; c++) h[r * d + c] = h[c * d + r] = 0.5 * (h[r * d + c] + h[c * d + r]);
    }
    each.push(h);
    matmul(h, h, d, sq);
    for (let k = 0; k < d * d; k++) {
      mean[k] += h[k] / n;
      squareMean[k] += sq[k] / n;
    }
  }
  return { each, flat, mean, squareMean, meanSquared: matmul(mean, mean, d, new Float64Array(d * d)) };
}

/**
 * The top exponent of one run from dense per-sample Hessians (one direction): the same recursion as the QR method with
 * the vector renormalized every 16 steps (the log of the norm over 16 steps is the sum of the per-step logs), indices
 * drawn in blocks. Internal.
 */
function denseTopExponent(
  flat: Float64Array,
  d: number,
  n: number,
  S: number,
  lambda: number,
  transient: number,
  steps: number,
  rng: Rng,
): number {
  const v = new Float64Array(d), y = new Float64Array(d);
  let s0 = 0;
  for (let i = 0; i < d; i++) s0 += (v[i] = rng.normal()) ** 2;
  for (let i = 0; i < d; i++) v[i] /= Math.sqrt(s0);
  const { buffer, stepsPerBlock } = indexBuffer(S);
  const total = transient + steps, c = lambda / S, dd = d * d;
  let log = 0, used = stepsPerBlock;
  for (let t = 0; t < total; t++) {
    if (used === stepsPerBlock) {
      rng.fillIndices(buffer, n);
      used = 0;
    }
    const off = used++ * S;
    if (lambda !== 0) {
      if (d === 1) {
        let hb = 0;
        for (let j = 0; j < S; j++) hb += flat[buffer[off + j]];
        v[0] -= c * hb * v[0];
      } else {
        y.fill(0);
        for (let j = 0; j < S; j++) {
          const o = buffer[off + j] * dd;
          for (let r = 0; r < d; r++) {
            let acc = 0;
            for (let q = 0; q < d; q++) acc += flat[o + r * d + q] * v[q];
            y[r] += acc;
          }
        }
        for (let r = 0; r < d; r++) v[r] -= c * y[r];
      }
    }
    const done = t + 1;
    if (done % 16 === 0 || done === transient || done === total) {
      let s = 0;
      for (let i = 0; i < d; i++) s += v[i] * v[i];
      const nrm = Math.sqrt(s);
      if (done > transient) log += Math.log(nrm);
      if (!(nrm > 0) || !Number.isFinite(nrm)) return done > transient ? log / steps : (nrm > 0 ? Infinity : -Infinity);
      for (let i = 0; i < d; i++) v[i] /= nrm;
    }
  }
  return log / steps;
}

/**
 * The spectral radius of the second-moment map M(Σ) = E_B[(I − λĤ_B)Σ(I − λĤ_B)] for batches of S samples drawn with
 * replacement. Since Ĥ_B = (1/S)Σⱼ H_{iⱼ} with independent iⱼ, E[Ĥ_BΣĤ_B] = (1/S)·mean_i HᵢΣHᵢ + (1 − 1/S)·HΣH, so M(Σ)
 * = Σ − λ(HΣ + ΣH) + λ²[(1/S)·mean_i HᵢΣHᵢ + (1 − 1/S)·HΣH]. M is self-adjoint in the Frobenius inner product and
 * completely positive, so its spectral radius is its largest eigenvalue (with a PSD eigenvector, Krein–Rutman): Lanczos
 * from Σ₀ = I to relative residual 10⁻¹³ or the invariant subspace. Internal.
 */
function meanSquareRadius(dense: DenseHessians, d: number, lambda: number, s: number): number {
  const { each, mean } = dense;
  const t1 = new Float64Array(d * d), t2 = new Float64Array(d * d);
  const a = lambda * lambda / (s * each.length), b = lambda * lambda * (1 - 1 / s);
  const apply = (x: Float64Array, out: Float64Array) => {
    matmul(mean, x, d, t1);
    for (let k = 0; k < d * d; k++) out[k] = x[k];
    for (let r = 0; r < d; r++) {
      for (let c = 0; c < d; c++) out[r * d + c] -= lambda * (t1[r * d + c] + t1[c * d + r]);
    }
    if (b !== 0) {
      matmul(t1, mean, d, t2);
      for (let k = 0; k < d * d; k++) out[k] += b * t2[k];
    }
    for (const h of each) {
      matmul(h, x, d, t1);
      matmul(t1, h, d, t2);
      for (let k = 0; k < d * d; k++) out[k] += a * t2[k];
    }
  };
  const start = new Float64Array(d * d);
  for (let i = 0; i < d; i++) start[i * d + i] = 1;
  return lanczosExtremes(apply, start, { tolerance: 1e-13, maxIterations: (d * (d + 1)) / 2 }).top;
}

function normalStart(seed: number | string, tag: string, d: number): Float64Array {
  const rng = new Rng(`${seed}/${tag}`);
  return Float64Array.from({ length: d }, () => rng.normal());
}

/**
 * Measures, at a point w of any differentiable model, the three notions of stability of the paper for each learning
 * rate λ and a batch size S:
 *
 * - **Linear stability of GD** (§2): `sharpness` = the top eigenvalue of the full-batch Hessian H (Lanczos on HVPs with
 *   full reorthogonalization, to relative residual `tolerance`, or exactly from the dense Hessian when d ≤ 64) and λ_GD
 *   = 2/sharpness.
 * - **Mean-square stability** (Def. 3, §3): `meanSquareFactor`, the exact spectral radius of Σ ↦ E_B[(I − λĤ_B)Σ(I −
 *   λĤ_B)] (d ≤ 64; for d = 1 it is eq. (5)'s 1 − 2λh + λ²(E h²/S + (1 − 1/S)h²)), and `secondMomentContraction`, the
 *   top eigenvalue of E_B[(I − λĤ_B)²] ≥ meanSquareFactor.
 * - **Probabilistic stability** (Def. 2, Prop. 1, §3.1): the top Lyapunov exponent of the linearized SGD map vₜ₊₁ = (I
 *   − λĤ_B)vₜ (eq. 6 at w), by the QR method over `directions` columns, averaged over `steps` steps after a
 *   `transient`, over `runs` seeded runs (common random numbers across λ); its standard error is the spread over runs.
 *   SGD stays near w in probability when it is < 0 (Prop. 1 for one dimension, Prop. 2 at the saddle, Oseledets'
 *   theorem in general).
 *
 * The verdict "probability" is "undecided" within 2 standard errors of 0. The probe linearizes: it is exact for
 * quadratic losses at an interpolation minimum (every per-sample gradient vanishes), and local otherwise (at a point
 * that is not stationary for every sample, e.g. with label noise, SGD also feels the gradient noise, which the
 * linearization ignores; relu kinks make Ĥ_B piecewise constant).
 *
 * Method: when d ≤ 64 and N·d² ≤ 2²⁴ the N per-sample Hessians are formed from d HVPs each and every product is a dense
 * one (fast for small d); otherwise each step costs `directions` batch HVPs.
 *
 * @example 1-D linear regression: the Part I functions, measured
 * ```ts
 * import { lyapunovExponent, meanSquareFactor, stabilityProbe } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const x = [0.5, 1, 1, 3]; // per-sample loss ½(w xᵢ)², minimum w = 0, hᵢ = xᵢ²
 * const model = {
 *   dimension: 1, size: x.length,
 *   gradient: (w: Float64Array, b: Int32Array) => Float64Array.of(b.reduce((s, i) => s + x[i] * x[i] * w[0], 0) / b.length),
 * };
 * const probe = stabilityProbe(model, [0], { lambdas: [0.5, 1.2], steps: 4000, seed: 1 });
 * assert.ok(Math.abs(probe.sharpness - 2.8125) < 1e-9); // mean of xᵢ²
 * for (const row of probe.rows) {
 *   assert.ok(Math.abs(row.meanSquareFactor! - meanSquareFactor(x, row.lambda)) < 1e-9);
 *   const exact = lyapunovExponent(x.map((v) => v * v), row.lambda);
 *   assert.ok(Math.abs(row.lyapunovExponent - exact) < 4 * row.standardError);
 * }
 * // At λ = 1.2 > λ_GD = 0.71 GD and mean square fail, but SGD converges in probability:
 * assert.deepEqual(probe.rows[1].verdict, { gd: "unstable", meanSquare: "unstable", probability: "stable" });
 * ```
 *
 * @param model The model.
 * @param w The point (length d), typically a minimum or a saddle.
 * @param options Learning rates, batch size, steps, transient, runs, directions, seed and Lanczos settings.
 * @returns The sharpness, λ_GD and one row per learning rate.
 */
export function stabilityProbe(
  model: DifferentiableModel,
  w: ArrayLike<number>,
  options: StabilityProbeOptions,
): StabilityProbe {
  const fn = "stabilityProbe";
  const cm = checkModel(fn, model);
  const x = checkPoint(fn, "w", w, cm);
  if (options === null || typeof options !== "object") {
    throw new TypeError(
      `Invalid options in ${fn}: expected an object with lambdas; received ${check.describe(options)}.`,
    );
  }
  check.options(fn, options); // an option set to null is refused, not taken as its default
  const lambdas = check.finiteArray(fn, "options.lambdas", options.lambdas);
  lambdas.forEach((l, i) => check.learningRate(fn, `options.lambdas[${i}]`, l));
  const { d, n } = cm;
  const S = check.integerInRange(fn, "options.batchSize", options.batchSize ?? 1, 1, 1 << 20);
  const steps = check.integerInRange(fn, "options.steps", options.steps ?? 1000, 1);
  const transient = check.integerInRange(fn, "options.transient", options.transient ?? 100, 0);
  const runs = check.integerInRange(fn, "options.runs", options.runs ?? 4, 2, 1 << 16);
  const k = check.integerInRange(fn, "options.directions", options.directions ?? 1, 1, d);
  const seed = check.seed(fn, "options.seed", options.seed ?? 0);
  const tolerance = check.positiveNumber(fn, "options.tolerance", options.tolerance ?? 1e-10);
  const maxIterations = check.integerInRange(fn, "options.maxIterations", options.maxIterations ?? Math.min(d, 100), 1);
  const secondMoment = options.secondMoment ?? false;
  if (typeof secondMoment !== "boolean") {
    throw new TypeError(
      `Invalid options.secondMoment in ${fn}: expected a boolean; received ${check.describe(secondMoment)}.`,
    );
  }
  const dense = d <= PROBE_DENSE_DIMENSION && n * d * d <= PROBE_DENSE_ENTRIES;
  if (!dense && (maxIterations + 2) * d > LANCZOS_ENTRIES) {
    throw new RangeError(
      `Invalid options.maxIterations in ${fn}: expected (maxIterations + 2)·d ≤ 2^26 (the Lanczos basis); received ${maxIterations} with d = ${d}.`,
    );
  }
  if (k * d > LANCZOS_ENTRIES) {
    throw new RangeError(
      `Invalid options.directions in ${fn}: expected directions·d ≤ 2^26; received ${k} with d = ${d}.`,
    );
  }
  const full = Int32Array.from({ length: n }, (_, i) => i);
  const H = dense ? denseHessians(fn, cm, x) : undefined;

  // Sharpness (and the bottom of the spectrum).
  let sharpness: number, minEigenvalue: number, sharpnessResidual: number;
  if (H) {
    const ev = symmetricEigen(H.mean, d);
    sharpness = ev[0];
    minEigenvalue = ev[d - 1];
    sharpnessResidual = 0;
  } else {
    const r = lanczosExtremes((v, out) => out.set(hvpOf(fn, cm, x, v, full)), normalStart(seed, "sharpness", d), {
      tolerance,
      maxIterations,
    });
    sharpness = r.top;
    minEigenvalue = r.bottom;
    sharpnessResidual = r.topResidual;
  }
  const lambdaGD = sharpness > 0 ? 2 / sharpness : Infinity;
  const scale = Math.max(Math.abs(sharpness), Math.abs(minEigenvalue));
  const saddle = minEigenvalue < -(1e-8 * scale + (H ? 0 : sharpnessResidual));

  // Batch Hessian products for the QR iteration.
  const tmp = new Float64Array(d);
  const batchProduct = (batch: Int32Array, v: Float64Array, out: Float64Array) => {
    if (H) {
      out.fill(0);
      for (let j = 0; j < batch.length; j++) {
        const h = H.each[batch[j]];
        for (let r = 0; r < d; r++) {
          let s = 0;
          for (let c = 0; c < d; c++) s += h[r * d + c] * v[c];
          out[r] += s;
        }
      }
      for (let r = 0; r < d; r++) out[r] /= batch.length;
    } else {
      out.set(hvpOf(fn, cm, x, v, batch));
    }
  };

  const rows: StabilityProbeRow[] = [];
  const batch = new Int32Array(S);
  const V = Array.from({ length: k }, () => new Float64Array(d));
  for (const lambda of lambdas) {
    const perRun = Array.from({ length: k }, () => new Float64Array(runs));
    for (let run = 0; run < runs; run++) {
      const rng = Rng.stream(seed, run);
      if (H && k === 1) {
        perRun[0][run] = denseTopExponent(H.flat, d, n, S, lambda, transient, steps, rng);
        continue;
      }
      for (const col of V) for (let i = 0; i < d; i++) col[i] = rng.normal();
      orthonormalize(V, d);
      const logs = new Float64Array(k);
      for (let t = 0; t < transient + steps; t++) {
        for (let j = 0; j < S; j++) batch[j] = rng.index(n);
        if (lambda !== 0) {
          for (const col of V) {
            batchProduct(batch, col, tmp);
            for (let i = 0; i < d; i++) col[i] -= lambda * tmp[i];
          }
        }
        const norms = orthonormalize(V, d);
        if (t >= transient) { for (let c = 0; c < k; c++) logs[c] += Math.log(norms[c]); }
      }
      for (let c = 0; c < k; c++) perRun[c][run] = logs[c] / steps;
    }
    const exponents = new Float64Array(k), exponentErrors = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      const { mean, se } = meanAndError(perRun[c]);
      exponents[c] = mean;
      exponentErrors[c] = se;
    }
    const exponent = exponents[0], se = exponentErrors[0];

    let contraction: number | undefined, msf: number | undefined;
    if (H) {
      const m = new Float64Array(d * d), h2 = H.meanSquared;
      for (let q = 0; q < d * d; q++) {
        m[q] = -2 * lambda * H.mean[q] + lambda * lambda * (H.squareMean[q] / S + (1 - 1 / S) * h2[q]);
      }
      for (let i = 0; i < d; i++) m[i * d + i] += 1;
      contraction = symmetricEigen(m, d)[0];
      msf = meanSquareRadius(H, d, lambda, S);
    } else if (secondMoment) {
      contraction = matrixFreeContraction(fn, cm, x, full, lambda, S, tolerance, maxIterations, seed);
    }
    const gd: StabilityVerdictValue = lambda === 0
      ? "undecided"
      : saddle || lambda > lambdaGD * (1 + 1e-12)
      ? "unstable"
      : lambda < lambdaGD * (1 - 1e-12)
      ? "stable"
      : "undecided";
    const meanSquare: StabilityVerdictValue = msf !== undefined
      ? (msf < 1 - 1e-12 ? "stable" : msf > 1 + 1e-12 ? "unstable" : "undecided")
      : contraction !== undefined && contraction < 1 - 1e-12
      ? "stable"
      : "undecided";
    const probability: StabilityVerdictValue = exponent + 2 * se < 0
      ? "stable"
      : exponent - 2 * se > 0
      ? "unstable"
      : "undecided";
    rows.push({
      lambda,
      lyapunovExponent: exponent,
      standardError: se,
      exponents,
      exponentErrors,
      secondMomentContraction: contraction,
      meanSquareFactor: msf,
      verdict: { gd, meanSquare, probability },
    });
  }
  return { sharpness, sharpnessResidual, minEigenvalue, lambdaGD, batchSize: S, dense: H !== undefined, rows };
}

/** Modified Gram–Schmidt in place; returns the norms (the diagonal of R). Internal. */
function orthonormalize(V: Float64Array[], d: number): Float64Array {
  const norms = new Float64Array(V.length);
  for (let j = 0; j < V.length; j++) {
    const v = V[j];
    for (let i = 0; i < j; i++) {
      const q = V[i];
      let c = 0;
      for (let r = 0; r < d; r++) c += q[r] * v[r];
      for (let r = 0; r < d; r++) v[r] -= c * q[r];
    }
    let s = 0;
    for (let r = 0; r < d; r++) s += v[r] * v[r];
    const nrm = Math.sqrt(s);
    norms[j] = nrm;
    if (nrm > 0 && Number.isFinite(nrm)) { for (let r = 0; r < d; r++) v[r] /= nrm; }
  }
  return norms;
}

function meanAndError(a: Float64Array): { mean: number; se: number } {
  let m = 0;
  for (const v of a) m += v / a.length;
  if (!Number.isFinite(m)) return { mean: m, se: 0 };
  let s = 0;
  for (const v of a) s += (v - m) * (v - m);
  return { mean: m, se: Math.sqrt(s / (a.length - 1) / a.length) };
}

/** The top eigenvalue of E_B[(I − λĤ_B)²] from HVPs: 2N + 2 per Lanczos step. Internal. */
function matrixFreeContraction(
  fn: string,
  cm: CheckedModel,
  w: Float64Array,
  full: Int32Array,
  lambda: number,
  S: number,
  tolerance: number,
  maxIterations: number,
  seed: number | string,
): number {
  const { d, n } = cm;
  const one = new Int32Array(1);
  const apply = (v: Float64Array, out: Float64Array) => {
    const hv = hvpOf(fn, cm, w, v, full);
    const hhv = hvpOf(fn, cm, w, hv, full);
    const q = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      one[0] = i;
      const a = hvpOf(fn, cm, w, v, one).slice();
      const b = hvpOf(fn, cm, w, a, one);
      for (let r = 0; r < d; r++) q[r] += b[r] / n;
    }
    for (let r = 0; r < d; r++) {
      out[r] = v[r] - 2 * lambda * hv[r] + lambda * lambda * (q[r] / S + (1 - 1 / S) * hhv[r]);
    }
  };
  return lanczosExtremes(apply, normalStart(seed, "second-moment", d), { tolerance, maxIterations }).top;
}

/** Options of {@linkcode batchSharpness}. */
export interface BatchSharpnessOptions {
  /** The batch size S. */
  batchSize: number;
  /** The number of batches averaged. @default 100 */
  samples?: number;
  /** The seed of the batches. @default 0 */
  seed?: number | string;
}

/**
 * The batch sharpness of the Edge of Stochastic Stability (Andreyev & Beneventano 2024): E_B[g_Bᵀ Ĥ_B g_B / ‖g_B‖²]
 * with g_B and Ĥ_B the gradient and Hessian of the mean loss of a random batch of S samples drawn with replacement —
 * the curvature SGD's own step direction feels (compare 2/λ; the paper's analogue is the per-batch factor 1 − λĤ_B of
 * eq. 6). Averaged over `samples` seeded batches with nonzero gradient; the standard error is their spread / √count.
 * Useful during training next to {@linkcode RobustLossMonitor}. At an interpolation minimum every g_B vanishes and it
 * is not defined: a RangeError says so.
 *
 * @example A quadratic model with distinct per-sample curvatures
 * ```ts
 * import { batchSharpness } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * // ℓᵢ = ½hᵢ(w − cᵢ)²: every batch gradient is along the single axis, so the batch sharpness is E[ĥ_B | g_B ≠ 0].
 * const h = [1, 3], c = [1, -1];
 * const model = {
 *   dimension: 1, size: 2,
 *   gradient: (w: Float64Array, b: Int32Array) => Float64Array.of(b.reduce((s, i) => s + h[i] * (w[0] - c[i]), 0) / b.length),
 * };
 * const { mean } = batchSharpness(model, [0.3], { batchSize: 1, samples: 400, seed: 2 });
 * assert.ok(mean > 1.5 && mean < 2.5);
 * ```
 *
 * @param model The model.
 * @param w The parameters.
 * @param options The batch size, the number of batches and the seed.
 * @returns The mean batch sharpness and its standard error.
 */
export function batchSharpness(
  model: DifferentiableModel,
  w: ArrayLike<number>,
  options: BatchSharpnessOptions,
): { mean: number; standardError: number } {
  const fn = "batchSharpness";
  const cm = checkModel(fn, model);
  const x = checkPoint(fn, "w", w, cm);
  if (options === null || typeof options !== "object") {
    throw new TypeError(
      `Invalid options in ${fn}: expected an object with batchSize; received ${check.describe(options)}.`,
    );
  }
  check.options(fn, options); // an option set to null is refused, not taken as its default
  const S = check.integerInRange(fn, "options.batchSize", options.batchSize, 1, 1 << 20);
  const samples = check.integerInRange(fn, "options.samples", options.samples ?? 100, 1, 1 << 24);
  const seed = check.seed(fn, "options.seed", options.seed ?? 0);
  const rng = new Rng(`${seed}/batch-sharpness`);
  const values: number[] = [];
  const batch = new Int32Array(S);
  for (let t = 0; t < samples; t++) {
    for (let j = 0; j < S; j++) batch[j] = rng.index(cm.n);
    const g = gradientOf(fn, cm, x, batch).slice();
    let gg = 0;
    for (let i = 0; i < cm.d; i++) gg += g[i] * g[i];
    if (!(gg > 0)) continue;
    const hg = hvpOf(fn, cm, x, g, batch);
    let ghg = 0;
    for (let i = 0; i < cm.d; i++) ghg += g[i] * hg[i];
    values.push(ghg / gg);
  }
  if (values.length === 0) {
    throw new RangeError(
      `Invalid w in ${fn}: expected a point where some batch gradient is nonzero; received a point where all ${samples} sampled batch gradients of ${cm.name} vanish (an interpolation minimum: the batch sharpness is not defined there).`,
    );
  }
  const { mean, se } = meanAndError(Float64Array.from(values));
  return { mean, standardError: values.length > 1 ? se : NaN };
}

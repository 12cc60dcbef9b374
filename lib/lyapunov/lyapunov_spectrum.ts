/**
 * The Lyapunov spectrum of linearized SGD in d dimensions (eqs. 2 and 48, Theorem 2): the exponents of the random
 * product of I − λĤ_batch, by QR (Benettin) re-orthonormalization, with a transient, a convergence trace and a standard
 * error from independent runs.
 *
 * @module
 */

import { indexBuffer, Rng } from "../core/random.ts";
import * as check from "../core/validate.ts";

/** Options of {@linkcode lyapunovSpectrum} and {@linkcode rankOneLyapunovSpectrum}. */
export interface LyapunovSpectrumOptions {
  /** The batch size S: Ĥ_batch is the mean of S per-sample Hessians drawn with replacement. @default 1 */
  batchSize?: number;
  /** The number of steps averaged, after the transient. @default 10_000 */
  steps?: number;
  /** The number of initial steps discarded. @default 1_000 */
  transient?: number;
  /** How many exponents (the top k). @default the dimension d */
  exponents?: number;
  /** Re-orthonormalize (QR) every this many steps. @default 1 */
  orthonormalizeEvery?: number;
  /** The number of independent runs, for the standard error (at least 2). @default 4 */
  runs?: number;
  /** Record the running estimate every this many steps after the transient. @default steps/100 */
  traceEvery?: number;
  /** The seed; run r uses the stream `${seed}:${r}`. @default 0 */
  seed?: number | string;
}

/** The result of a Lyapunov-spectrum computation. */
export interface LyapunovSpectrum {
  /**
   * The top k exponents per step (of log‖v‖), sorted largest first (the QR columns' averages, reordered: at finite
   * length the columns need not come out in order; NaN last).
   */
  exponents: Float64Array;
  /** Their standard errors across the independent runs (s/√runs), in the order of `exponents`. */
  standardError: Float64Array;
  /** The dimension d. */
  dimension: number;
  /** The number of independent runs averaged. */
  runs: number;
  /** Steps averaged per run. */
  steps: number;
  /** Steps discarded before averaging. */
  transient: number;
  /**
   * The convergence trace: running estimates (mean over runs), `estimates[p * k + j]` at `times[p]`; column j is the
   * column of `exponents[j]` (the same reordering).
   */
  trace: { times: Float64Array; estimates: Float64Array };
}

/** Parsed per-sample Hessians: n matrices of size d × d, row-major, one after another. Internal. */
interface HessianSet {
  d: number;
  n: number;
  data: Float64Array;
}

function readMatrices(fn: string, hessians: unknown): HessianSet {
  if (
    hessians === null || typeof hessians !== "object" || typeof (hessians as ArrayLike<unknown>).length !== "number"
  ) {
    throw new TypeError(
      `Invalid hessians in ${fn}: expected an array of d × d matrices; received ${check.describe(hessians)}.`,
    );
  }
  const list = hessians as ArrayLike<unknown>;
  if (list.length === 0) {
    throw new RangeError(`Invalid hessians in ${fn}: expected at least one matrix; received an empty array.`);
  }
  let d = 0;
  let data = new Float64Array(0);
  for (let i = 0; i < list.length; i++) {
    const m = list[i] as ArrayLike<unknown>;
    const nested = m !== null && typeof m === "object" && typeof m.length === "number" && m.length > 0 &&
      typeof m[0] === "object";
    const flat = nested
      ? (() => {
        const rows = m as ArrayLike<ArrayLike<number>>;
        const n = rows.length;
        const out = new Float64Array(n * n);
        for (let r = 0; r < n; r++) {
          const row = check.finiteArray(fn, `hessians[${i}][${r}]`, rows[r]);
          if (row.length !== n) {
            throw new RangeError(
              `Invalid hessians[${i}] in ${fn}: expected a square matrix (${n} × ${n}); received row ${r} of length ${row.length}.`,
            );
          }
          out.set(row, r * n);
        }
        return out;
      })()
      : check.finiteArray(fn, `hessians[${i}]`, m);
    const size = Math.round(Math.sqrt(flat.length));
    if (size * size !== flat.length) {
      throw new RangeError(
        `Invalid hessians[${i}] in ${fn}: expected a square matrix (d² entries); received ${flat.length} entries.`,
      );
    }
    if (i === 0) {
      d = size;
      data = new Float64Array(list.length * d * d);
    } else if (size !== d) {
      throw new RangeError(
        `Invalid hessians[${i}] in ${fn}: expected a ${d} × ${d} matrix like hessians[0]; received ${size} × ${size}.`,
      );
    }
    for (let r = 0; r < d; r++) {
      for (let c = r + 1; c < d; c++) {
        const a = flat[r * d + c], b = flat[c * d + r];
        if (Math.abs(a - b) > 1e-12 * Math.max(1, Math.abs(a), Math.abs(b))) {
          throw new RangeError(
            `Invalid hessians[${i}] in ${fn}: expected a symmetric matrix; received entries (${r}, ${c}) = ${a} and (${c}, ${r}) = ${b}.`,
          );
        }
      }
    }
    data.set(flat, i * d * d);
  }
  return { d, n: list.length, data };
}

function readVectors(fn: string, x: unknown): HessianSet {
  if (x === null || typeof x !== "object" || typeof (x as ArrayLike<unknown>).length !== "number") {
    throw new TypeError(`Invalid x in ${fn}: expected an array of vectors; received ${check.describe(x)}.`);
  }
  const list = x as ArrayLike<unknown>;
  if (list.length === 0) {
    throw new RangeError(`Invalid x in ${fn}: expected at least one vector; received an empty array.`);
  }
  const first = check.finiteArray(fn, "x[0]", list[0]);
  const d = first.length;
  const data = new Float64Array(list.length * d);
  for (let i = 0; i < list.length; i++) {
    const v = i === 0 ? first : check.finiteArray(fn, `x[${i}]`, list[i]);
    if (v.length !== d) {
      throw new RangeError(
        `Invalid x[${i}] in ${fn}: expected a vector of length ${d} like x[0]; received length ${v.length}.`,
      );
    }
    data.set(v, i * d);
  }
  return { d, n: list.length, data };
}

interface Settings {
  S: number;
  steps: number;
  transient: number;
  k: number;
  every: number;
  runs: number;
  traceEvery: number;
  seed: number | string;
}

function settings(fn: string, options: LyapunovSpectrumOptions, d: number): Settings {
  const o = check.options(fn, options);
  const steps = check.integerInRange(fn, "options.steps", o.steps ?? 10_000);
  return {
    S: check.integerInRange(fn, "options.batchSize", o.batchSize ?? 1),
    steps,
    transient: check.integerInRange(fn, "options.transient", o.transient ?? 1000, 0),
    k: check.integerInRange(fn, "options.exponents", o.exponents ?? d, 1, d),
    every: check.integerInRange(fn, "options.orthonormalizeEvery", o.orthonormalizeEvery ?? 1),
    runs: check.integerInRange(fn, "options.runs", o.runs ?? 4, 2),
    traceEvery: check.integerInRange(fn, "options.traceEvery", o.traceEvery ?? Math.max(1, Math.floor(steps / 100))),
    seed: check.seed(fn, "options.seed", o.seed ?? 0),
  };
}

/**
 * Modified Gram–Schmidt on the k columns of Q (column-major, each column contiguous); adds log of each diagonal entry
 * of R to `logs` when `accumulate`. A column that vanished (singular factor) gets −∞ and is replaced by a fresh random
 * direction orthogonal to the previous columns.
 */
function orthonormalize(Q: Float64Array, d: number, k: number, logs: Float64Array, accumulate: boolean, rng: Rng) {
  for (let j = 0; j < k; j++) {
    const oj = j * d;
    for (let i = 0; i < j; i++) {
      const oi = i * d;
      let dot = 0;
      for (let r = 0; r < d; r++) dot += Q[oi + r] * Q[oj + r];
      for (let r = 0; r < d; r++) Q[oj + r] -= dot * Q[oi + r];
    }
    let norm = 0;
    for (let r = 0; r < d; r++) norm += Q[oj + r] * Q[oj + r];
    norm = Math.sqrt(norm);
    if (!(norm > 1e-290) || !Number.isFinite(norm)) {
      if (accumulate && norm === 0) logs[j] = -Infinity;
      // Restart the column from a random direction (its exponent is −∞ if it collapsed exactly).
      for (let r = 0; r < d; r++) Q[oj + r] = rng.normal();
      for (let i = 0; i < j; i++) {
        const oi = i * d;
        let dot = 0;
        for (let r = 0; r < d; r++) dot += Q[oi + r] * Q[oj + r];
        for (let r = 0; r < d; r++) Q[oj + r] -= dot * Q[oi + r];
      }
      let n2 = 0;
      for (let r = 0; r < d; r++) n2 += Q[oj + r] * Q[oj + r];
      const s = 1 / Math.sqrt(n2);
      for (let r = 0; r < d; r++) Q[oj + r] *= s;
      continue;
    }
    if (accumulate) logs[j] += Math.log(norm);
    const s = 1 / norm;
    for (let r = 0; r < d; r++) Q[oj + r] *= s;
  }
}

/** One step Q ← (I − λĤ_batch)Q for the batch `idx[q..q+S)`. */
type Step = (Q: Float64Array, idx: Int32Array, q: number) => void;

function run(set: HessianSet, s: Settings, makeStep: () => Step): LyapunovSpectrum {
  const { d, n } = set;
  const { S, steps, transient, k, every, runs, traceEvery, seed } = s;
  const per = new Float64Array(runs * k);
  const tracePoints = Math.floor(steps / traceEvery);
  const traceTimes = Float64Array.from({ length: tracePoints }, (_, p) => transient + (p + 1) * traceEvery);
  const trace = new Float64Array(tracePoints * k);
  for (let r = 0; r < runs; r++) {
    const rng = Rng.stream(seed, r);
    const Q = new Float64Array(d * k);
    for (let i = 0; i < Q.length; i++) Q[i] = rng.normal();
    const logs = new Float64Array(k);
    orthonormalize(Q, d, k, logs, false, rng);
    const step = makeStep();
    const { buffer } = indexBuffer(S);
    let q = buffer.length;
    const total = transient + steps;
    let p = 0;
    for (let t = 1; t <= total; t++) {
      if (q === buffer.length) {
        rng.fillIndices(buffer, n);
        q = 0;
      }
      step(Q, buffer, q);
      q += S;
      if (t % every === 0 || t === transient || t === total) orthonormalize(Q, d, k, logs, t > transient, rng);
      if (t > transient && (t - transient) % traceEvery === 0 && p < tracePoints) {
        // The trace needs an up-to-date R: orthonormalize when the schedule has not just done it.
        if (t % every !== 0 && t !== total) orthonormalize(Q, d, k, logs, true, rng);
        for (let j = 0; j < k; j++) trace[p * k + j] += logs[j] / (t - transient) / runs;
        p++;
      }
    }
    for (let j = 0; j < k; j++) per[r * k + j] = logs[j] / steps;
  }
  const means = new Float64Array(k);
  const errors = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let m = 0;
    for (let r = 0; r < runs; r++) m += per[r * k + j];
    m /= runs;
    let ss = 0;
    for (let r = 0; r < runs; r++) ss += (per[r * k + j] - m) ** 2;
    means[j] = m;
    errors[j] = Number.isFinite(m) ? Math.sqrt(ss / (runs - 1) / runs) : 0;
  }
  // Largest first (stable: ties keep the QR order; NaN last); the errors and the trace follow.
  const order = Array.from({ length: k }, (_, j) => j).sort((a, b) => {
    const x = means[a], y = means[b];
    if (Number.isNaN(x) || Number.isNaN(y)) return Number(Number.isNaN(x)) - Number(Number.isNaN(y));
    return x === y ? 0 : x > y ? -1 : 1;
  });
  const exponents = Float64Array.from(order, (j) => means[j]);
  const standardError = Float64Array.from(order, (j) => errors[j]);
  const sortedTrace = new Float64Array(trace.length);
  for (let p = 0; p < tracePoints; p++) order.forEach((j, c) => sortedTrace[p * k + c] = trace[p * k + j]);

  return {
    exponents,
    standardError,
    dimension: d,
    runs,
    steps,
    transient,
    trace: { times: traceTimes, estimates: sortedTrace },
  };
}

/**
 * The Lyapunov spectrum of linearized SGD around a stationary point (eq. 2; Theorem 2 with eq. 48's 2λ written as λ):
 * vₜ₊₁ = (I − λĤ_batch)vₜ, Ĥ_batch the mean of S per-sample Hessians drawn with replacement from `hessians` (symmetric
 * d × d, possibly indefinite: saddles included). The top exponent decides convergence in probability of ‖vₜ‖ (Theorem 2
 * + Prop. 1's argument); all k exponents describe how k-volumes grow (Furstenberg–Kesten / Oseledets).
 *
 * Method (Benettin's QR, as ChaosTools.jl): a random orthonormal d × k frame Q is multiplied by the random factors and
 * re-orthonormalized by modified Gram–Schmidt every `orthonormalizeEvery` steps; after `transient` steps, the
 * logarithms of R's diagonal are summed over `steps` steps. Independent seeded runs give the standard error, and the
 * running estimates form a convergence trace. The exponents are returned sorted, largest first (with their standard
 * errors and trace columns): the QR columns come out in descending order only in the limit, and a finite run (or close
 * exponents) can leave them out of order. Cost per step: S·d² + d²·k (plus d·k² per re-orthonormalization); for
 * rank-one Hessians use {@linkcode rankOneLyapunovSpectrum}.
 *
 * Checks (tests): commuting diagonal Hessians give E log|1 − λh_k| per direction; d = 1 gives {@linkcode
 * lyapunovExponent}; the exponents sum to E log|det(I − λĤ)|.
 *
 * Floating-point caveats: when the Hessians commute they share invariant directions, and a frame column can round
 * exactly onto one of them (a component below the rounding of the others is lost) and stay there — for commuting
 * Hessians prefer the closed form per eigen-direction. Re-orthonormalizing too rarely (when (γ₁ −
 * γ_k)·orthonormalizeEvery exceeds ~30) loses the lower columns to rounding and reports −∞.
 *
 * @example Commuting Hessians: the exponents of each direction
 * ```ts
 * import { lyapunovExponent, lyapunovSpectrum } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const hessians = [[[1, 0], [0, 3]], [[2, 0], [0, -1]]]; // diag(1, 3) and diag(2, −1)
 * const { exponents, standardError } = lyapunovSpectrum(hessians, 0.4, { steps: 20_000, seed: 1 });
 * const expected = [lyapunovExponent([3, -1], 0.4), lyapunovExponent([1, 2], 0.4)].sort((a, b) => b - a);
 * exponents.forEach((m, j) => assert.ok(Math.abs(m - expected[j]) < 5 * standardError[j] + 1e-3));
 * ```
 *
 * @param hessians The per-sample Hessians Ĥᵢ, each equally likely: d × d symmetric, nested or flat (d² entries).
 * @param lambda The learning rate λ ≥ 0.
 * @param options Batch size, steps, transient, number of exponents, QR interval, runs, trace, seed.
 * @returns The exponents, their standard errors and the convergence trace.
 */
export function lyapunovSpectrum(
  hessians: ArrayLike<ArrayLike<number> | ArrayLike<ArrayLike<number>>>,
  lambda: number,
  options: LyapunovSpectrumOptions = {},
): LyapunovSpectrum {
  const fn = "lyapunovSpectrum";
  const set = readMatrices(fn, hessians);
  const l = check.learningRate(fn, "lambda", lambda);
  const s = settings(fn, options, set.d);
  const { d } = set;
  const dd = d * d;
  return run(set, s, () => {
    const Hbar = new Float64Array(dd);
    const y = new Float64Array(d);
    const scale = l / s.S;
    return (Q, idx, q) => {
      let H: Float64Array;
      let offset = 0;
      if (s.S === 1) {
        H = set.data;
        offset = idx[q] * dd;
      } else {
        Hbar.fill(0);
        for (let b = 0; b < s.S; b++) {
          const o = idx[q + b] * dd;
          for (let e = 0; e < dd; e++) Hbar[e] += set.data[o + e];
        }
        H = Hbar;
      }
      const c = s.S === 1 ? l : scale;
      for (let j = 0; j < s.k; j++) {
        const oj = j * d;
        for (let r = 0; r < d; r++) {
          let acc = 0;
          const row = offset + r * d;
          for (let e = 0; e < d; e++) acc += H[row + e] * Q[oj + e];
          y[r] = Q[oj + r] - c * acc;
        }
        Q.set(y, oj);
      }
    };
  });
}

/**
 * {@linkcode lyapunovSpectrum} for rank-one per-sample Hessians Ĥᵢ = xᵢxᵢᵀ — d-dimensional linear regression with loss
 * (wᵀx − y)²/2 at an interpolation minimum. The factor (I − (λ/S)Σ_b x_b x_bᵀ)Q costs 2·S·d·k per step instead of d²·k.
 * With S = 1, det(I − λxxᵀ) = 1 − λ‖x‖², so the exponents sum to E log|1 − λ‖x‖²| exactly (tested). The exponents are
 * sorted largest first, as in {@linkcode lyapunovSpectrum}.
 *
 * @example One dimension: the exponent of eq. 7
 * ```ts
 * import { lyapunovExponent, rankOneLyapunovSpectrum } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const x = [[0.5], [1], [1.5]];
 * const r = rankOneLyapunovSpectrum(x, 0.7, { steps: 50_000, seed: 2 });
 * assert.ok(Math.abs(r.exponents[0] - lyapunovExponent([0.25, 1, 2.25], 0.7)) < 5 * r.standardError[0]);
 * ```
 *
 * @param x The inputs xᵢ ∈ R^d, each equally likely (all of the same length d).
 * @param lambda The learning rate λ ≥ 0.
 * @param options As {@linkcode lyapunovSpectrum}.
 * @returns The exponents, their standard errors and the convergence trace.
 */
export function rankOneLyapunovSpectrum(
  x: ArrayLike<ArrayLike<number>>,
  lambda: number,
  options: LyapunovSpectrumOptions = {},
): LyapunovSpectrum {
  const fn = "rankOneLyapunovSpectrum";
  const set = readVectors(fn, x);
  const l = check.learningRate(fn, "lambda", lambda);
  const s = settings(fn, options, set.d);
  const { d } = set;
  return run(set, s, () => {
    const coef = new Float64Array(s.S * s.k);
    const scale = l / s.S;
    return (Q, idx, q) => {
      // c[b][j] = x_bᵀ q_j from the old Q, then q_j −= (λ/S) Σ_b c[b][j] x_b.
      for (let b = 0; b < s.S; b++) {
        const ox = idx[q + b] * d;
        for (let j = 0; j < s.k; j++) {
          const oj = j * d;
          let dot = 0;
          for (let r = 0; r < d; r++) dot += set.data[ox + r] * Q[oj + r];
          coef[b * s.k + j] = dot * scale;
        }
      }
      for (let b = 0; b < s.S; b++) {
        const ox = idx[q + b] * d;
        for (let j = 0; j < s.k; j++) {
          const oj = j * d;
          const c = coef[b * s.k + j];
          if (c === 0) continue;
          for (let r = 0; r < d; r++) Q[oj + r] -= c * set.data[ox + r];
        }
      }
    };
  });
}

/**
 * A model the stability probe can differentiate ({@linkcode DifferentiableModel}) and its Hessian-vector products: the
 * model's own exact product when it has one, otherwise a Richardson-extrapolated central difference of its gradients
 * with an error estimate.
 *
 * @module
 */

import * as check from "../core/validate.ts";

/**
 * A model the probe can differentiate: parameters in one `Float64Array` of length `dimension`, `size` training samples,
 * and the mean per-sample loss L_B(w) = (1/|B|)·Σ_{i∈B} ℓᵢ(w) over a batch B of sample indices (repeats allowed:
 * batches are drawn with replacement, eqs. 1 and 6 of the paper).
 *
 * @example Logistic regression written by hand
 * ```ts
 * import { type DifferentiableModel, stabilityProbe } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const X = [[1, 0.5], [-0.3, 1], [0.8, -1], [-1, -0.2]], y = [1, 0, 1, 0];
 * const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
 * const logistic: DifferentiableModel = {
 *   name: "logistic regression", dimension: 2, size: X.length,
 *   gradient(w, batch) { // ∇ of the mean of log(1 + e^{z}) − y z, z = w·x
 *     const g = new Float64Array(2);
 *     for (const i of batch) {
 *       const r = sigmoid(w[0] * X[i][0] + w[1] * X[i][1]) - y[i];
 *       g[0] += r * X[i][0] / batch.length; g[1] += r * X[i][1] / batch.length;
 *     }
 *     return g;
 *   },
 * };
 * const probe = stabilityProbe(logistic, Float64Array.of(0.5, -0.5), { lambdas: [1, 100], steps: 200 });
 * assert.ok(probe.sharpness > 0 && probe.lambdaGD > 1);
 * assert.equal(probe.rows[0].verdict.gd, "stable");
 * ```
 */
export interface DifferentiableModel {
  /** A name for error messages. @default "model" */
  name?: string;
  /** The number of parameters d. */
  dimension: number;
  /** The number of training samples N. */
  size: number;
  /**
   * The gradient of the mean per-sample loss over the samples with these indices, at parameters w: a new array of
   * length `dimension` (the probe does not keep it).
   */
  gradient(w: Float64Array, batch: Int32Array): Float64Array;
  /** Optional exact Hessian-vector product ∇²L_B(w)·v of the same mean loss; the probe uses it when present. */
  hessianVectorProduct?(w: Float64Array, v: Float64Array, batch: Int32Array): Float64Array;
}

/** A validated model: its name and shape. Internal. */
export interface CheckedModel {
  model: DifferentiableModel;
  name: string;
  d: number;
  n: number;
}

/** Validates a {@linkcode DifferentiableModel}. Internal. */
export function checkModel(fn: string, model: unknown): CheckedModel {
  if (model === null || typeof model !== "object") {
    throw new TypeError(
      `Invalid model in ${fn}: expected a DifferentiableModel { dimension, size, gradient }; received ${
        check.describe(model)
      }.`,
    );
  }
  const m = model as DifferentiableModel;
  if (typeof m.gradient !== "function") {
    throw new TypeError(
      `Invalid model.gradient in ${fn}: expected a function; received ${check.describe(m.gradient)}.`,
    );
  }
  if (m.hessianVectorProduct !== undefined && typeof m.hessianVectorProduct !== "function") {
    throw new TypeError(
      `Invalid model.hessianVectorProduct in ${fn}: expected a function or undefined; received ${
        check.describe(m.hessianVectorProduct)
      }.`,
    );
  }
  if (m.name !== undefined && typeof m.name !== "string") {
    throw new TypeError(`Invalid model.name in ${fn}: expected a string; received ${check.describe(m.name)}.`);
  }
  const d = check.integerInRange(fn, "model.dimension", m.dimension, 1, 1 << 28);
  const n = check.integerInRange(fn, "model.size", m.size, 1, 1 << 30);
  return { model: m, name: m.name ?? "model", d, n };
}

/** Checks parameters w against a model: a finite array of length d, copied. Internal. */
export function checkPoint(fn: string, param: string, w: unknown, cm: CheckedModel): Float64Array {
  const x = check.finiteArray(fn, param, w);
  if (x.length !== cm.d) {
    throw new RangeError(
      `Invalid ${param} in ${fn}: expected length ${cm.d} (model.dimension); received length ${x.length}.`,
    );
  }
  return x;
}

/** Checks a batch of sample indices (an `Int32Array` of integers in [0, N)). Internal. */
export function checkBatch(fn: string, param: string, batch: unknown, cm: CheckedModel): Int32Array {
  if (!(batch instanceof Int32Array)) {
    throw new TypeError(
      `Invalid ${param} in ${fn}: expected an Int32Array of sample indices; received ${check.describe(batch)}.`,
    );
  }
  if (batch.length === 0) {
    throw new RangeError(`Invalid ${param} in ${fn}: expected a non-empty batch; received an empty Int32Array.`);
  }
  for (let k = 0; k < batch.length; k++) {
    if (batch[k] < 0 || batch[k] >= cm.n) {
      throw new RangeError(
        `Invalid ${param} in ${fn}: expected indices in [0, ${cm.n}) (model.size); received ${batch[k]} at index ${k}.`,
      );
    }
  }
  return batch;
}

/** A short printable batch: its first eight indices. */
function describeBatch(batch: Int32Array): string {
  const head = Array.from(batch.subarray(0, 8)).join(", ");
  return `[${head}${batch.length > 8 ? `, … (${batch.length} indices)` : ""}]`;
}

/** Checks what a model returned: a finite array-like of length d. Internal. */
function checkOutput(fn: string, cm: CheckedModel, what: string, out: unknown, batch: Int32Array): Float64Array {
  const where = `${cm.name}.${what} in ${fn}`;
  const b = describeBatch(batch);
  if (
    out === null || typeof out !== "object" || typeof (out as ArrayLike<number>).length !== "number"
  ) {
    throw new TypeError(
      `Invalid ${where}: expected an array of ${cm.d} numbers for the batch ${b}; received ${check.describe(out)}.`,
    );
  }
  const a = out as ArrayLike<number>;
  if (a.length !== cm.d) {
    throw new RangeError(
      `Invalid ${where}: expected length ${cm.d} (${cm.name}.dimension) for the batch ${b}; received length ${a.length}.`,
    );
  }
  for (let i = 0; i < a.length; i++) {
    if (typeof a[i] !== "number" || !Number.isFinite(a[i])) {
      throw new RangeError(
        `Invalid ${where}: expected finite values for the batch ${b}; received ${check.describe(a[i])} at index ${i}.`,
      );
    }
  }
  return a instanceof Float64Array ? a : Float64Array.from(a);
}

/** The model's gradient, checked. Internal. */
export function gradientOf(fn: string, cm: CheckedModel, w: Float64Array, batch: Int32Array): Float64Array {
  return checkOutput(fn, cm, "gradient", cm.model.gradient(w, batch), batch);
}

/** A finite-difference Hessian-vector product and its error estimate. */
export interface FiniteDifferenceHVP {
  /** The Richardson-extrapolated central difference (4D(h) − D(2h))/3, accurate to O(h⁴). */
  value: Float64Array;
  /**
   * max over components of |value − D(h)| plus the rounding bound 2ε‖g‖∞‖v‖/h: a conservative estimate of the absolute
   * error of the plain central difference D(h), hence an upper estimate of the error of `value`.
   */
  error: number;
  /** The step h along v/‖v‖. */
  step: number;
}

/**
 * A Hessian-vector product ∇²L_B(w)·v by Richardson-extrapolated central differences of the gradient: with u = v/‖v‖
 * and D(t) = ‖v‖·(∇L_B(w + t u) − ∇L_B(w − t u))/(2t), returns (4D(h) − D(2h))/3, whose truncation error is O(h⁴) (the
 * O(h²) term of D cancels). The step h = ε^{1/5}·max(1, ‖w‖/√d) (ε = 2⁻⁵², so h ≈ 7·10⁻⁴ for unit-scale w) balances
 * that truncation against rounding ε‖∇L‖/h: for a smooth loss with O(1) derivatives the result is accurate to about
 * 10⁻¹¹ relative. Four gradient evaluations. At a kink (relu) within 2h of w the difference is not a Hessian; use an
 * exact product there.
 *
 * @example The product of a quadratic is exact up to rounding
 * ```ts
 * import { finiteDifferenceHessianVectorProduct } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * // L(w) = ½ wᵀ A w with A = [[2, 1], [1, 3]]: ∇L = A w.
 * const model = { dimension: 2, size: 1, gradient: (w: Float64Array) => Float64Array.of(2 * w[0] + w[1], w[0] + 3 * w[1]) };
 * const { value, error } = finiteDifferenceHessianVectorProduct(model, Float64Array.of(1, 2), Float64Array.of(1, 0), Int32Array.of(0));
 * assert.ok(Math.abs(value[0] - 2) < 1e-10 && Math.abs(value[1] - 1) < 1e-10 && error < 1e-9);
 * ```
 *
 * @param model The model.
 * @param w The parameters (length d).
 * @param v The direction (length d).
 * @param batch The sample indices of the mean loss.
 * @returns The product, its error estimate and the step.
 */
export function finiteDifferenceHessianVectorProduct(
  model: DifferentiableModel,
  w: ArrayLike<number>,
  v: ArrayLike<number>,
  batch: Int32Array,
): FiniteDifferenceHVP {
  const fn = "finiteDifferenceHessianVectorProduct";
  const cm = checkModel(fn, model);
  const x = checkPoint(fn, "w", w, cm);
  const dir = checkPoint(fn, "v", v, cm);
  checkBatch(fn, "batch", batch, cm);
  return centralDifference(fn, cm, x, dir, batch);
}

/** The unchecked central difference. Internal. */
export function centralDifference(
  fn: string,
  cm: CheckedModel,
  w: Float64Array,
  v: Float64Array,
  batch: Int32Array,
): FiniteDifferenceHVP {
  const d = cm.d;
  let nv = 0, nw = 0;
  for (let i = 0; i < d; i++) {
    nv += v[i] * v[i];
    nw += w[i] * w[i];
  }
  nv = Math.sqrt(nv);
  const h = Math.pow(2 ** -52, 0.2) * Math.max(1, Math.sqrt(nw / d));
  if (nv === 0) return { value: new Float64Array(d), error: 0, step: h };
  const at = (t: number) => {
    const p = new Float64Array(d);
    for (let i = 0; i < d; i++) p[i] = w[i] + (t * v[i]) / nv;
    return gradientOf(fn, cm, p, batch);
  };
  const g1p = at(h), g1m = at(-h), g2p = at(2 * h), g2m = at(-2 * h);
  const value = new Float64Array(d);
  let diff = 0, gmax = 0;
  for (let i = 0; i < d; i++) {
    const d1 = (nv * (g1p[i] - g1m[i])) / (2 * h);
    const d2 = (nv * (g2p[i] - g2m[i])) / (4 * h);
    value[i] = (4 * d1 - d2) / 3;
    diff = Math.max(diff, Math.abs(value[i] - d1));
    gmax = Math.max(gmax, Math.abs(g1p[i]), Math.abs(g1m[i]), Math.abs(g2p[i]), Math.abs(g2m[i]));
  }
  return { value, error: diff + (2 * 2 ** -52 * gmax * nv) / h, step: h };
}

/** The model's exact product when present, else the central difference; checked. Internal. */
export function hvpOf(fn: string, cm: CheckedModel, w: Float64Array, v: Float64Array, batch: Int32Array): Float64Array {
  if (cm.model.hessianVectorProduct) {
    return checkOutput(fn, cm, "hessianVectorProduct", cm.model.hessianVectorProduct(w, v, batch), batch);
  }
  return centralDifference(fn, cm, w, v, batch).value;
}

/**
 * The Hessian-vector product ∇²L_B(w)·v of a model's mean loss over a batch: the model's own exact
 * `hessianVectorProduct` when it has one (as the adapters {@linkcode scalarNetworkModel}, {@linkcode
 * twoLayerNetworkModel} and {@linkcode deepNetworkModel} do, by the R-operator), otherwise the Richardson-extrapolated
 * central difference of its gradients of {@linkcode finiteDifferenceHessianVectorProduct} (about 10⁻¹¹ relative for a
 * smooth loss; four gradients). Its products drive the linearized SGD map v ↦ (I − λĤ_B)v whose Lyapunov exponent
 * decides probabilistic stability (Prop. 1; eq. 6 linearized, §3).
 *
 * @example A model with its exact product, and the same model without it
 * ```ts
 * import { hessianVectorProduct } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const gradient = (w: Float64Array) => Float64Array.of(w[0] ** 3, 2 * w[1]); // L = w₀⁴/4 + w₁²
 * const exact = { dimension: 2, size: 1, gradient, hessianVectorProduct: (w: Float64Array, v: Float64Array) => Float64Array.of(3 * w[0] ** 2 * v[0], 2 * v[1]) };
 * const w = Float64Array.of(1.5, 0), v = Float64Array.of(1, 1), b = Int32Array.of(0);
 * const a = hessianVectorProduct(exact, w, v, b);
 * const fd = hessianVectorProduct({ dimension: 2, size: 1, gradient }, w, v, b);
 * assert.deepEqual(Array.from(a), [6.75, 2]);
 * assert.ok(Math.abs(fd[0] - 6.75) < 1e-9 && Math.abs(fd[1] - 2) < 1e-9);
 * ```
 *
 * @param model The model.
 * @param w The parameters (length d).
 * @param v The direction (length d).
 * @param batch The sample indices (an `Int32Array` of integers in [0, N)).
 * @returns ∇²L_B(w)·v, a `Float64Array` of length d.
 */
export function hessianVectorProduct(
  model: DifferentiableModel,
  w: ArrayLike<number>,
  v: ArrayLike<number>,
  batch: Int32Array,
): Float64Array {
  const fn = "hessianVectorProduct";
  const cm = checkModel(fn, model);
  const x = checkPoint(fn, "w", w, cm);
  const dir = checkPoint(fn, "v", v, cm);
  checkBatch(fn, "batch", batch, cm);
  return hvpOf(fn, cm, x, dir, batch).slice();
}

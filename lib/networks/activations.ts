/**
 * The activations of the networks of §4 and their first two derivatives.
 *
 * @module
 */

import * as check from "../core/validate.ts";

/** The activations of the paper's networks: σ(z) = z, tanh z, max(z, 0) and z·sigmoid(z) (swish). */
export const ACTIVATIONS = ["linear", "tanh", "relu", "swish"] as const;

/** An activation name. */
export type Activation = typeof ACTIVATIONS[number];

/** Checks an activation name. Internal. */
export function checkActivation(fn: string, param: string, value: unknown): Activation {
  return check.oneOf(fn, param, value, ACTIVATIONS);
}

/**
 * Checks an activation scale κ: a positive finite number, and 1 unless the activation is tanh (σ(z) = tanh(κz)/κ).
 * Internal.
 */
export function checkActivationScale(fn: string, param: string, value: unknown, act: Activation): number {
  const kappa = check.positiveNumber(fn, param, value);
  if (kappa !== 1 && act !== "tanh") {
    throw new RangeError(
      `Invalid ${param} in ${fn}: a scale other than 1 needs activation "tanh" (σ(z) = tanh(κz)/κ); received ${kappa} with "${act}".`,
    );
  }
  return kappa;
}

/**
 * σ(z), σ′(z) and σ″(z) for an activation, written into `out` as [σ, σ′, σ″] (relu: σ′(0) = 0, σ″ = 0).
 *
 * With `scale` κ ≠ 1 (tanh only) the activation is the scaled tanh σ(z) = tanh(κz)/κ = z − κ²z³/3 + …: slope 1 at 0
 * for every κ, a cubic term κ² times tanh's, the linear network as κ → 0. At κ = 1 it is `"tanh"`, bit for bit.
 *
 * @example The scaled tanh at κ = 0.1 is nearly linear near 0
 * ```ts
 * import { activation } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const [s, ds] = activation("tanh", 0.5, undefined, 0.1);
 * assert.ok(Math.abs(s - Math.tanh(0.05) / 0.1) < 1e-15);
 * assert.ok(Math.abs(ds - 1) < 3e-3);
 * ```
 *
 * @example Swish at 0: value 0, slope ½, curvature ½
 * ```ts
 * import { activation } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(Array.from(activation("swish", 0)), [0, 0.5, 0.5]);
 * ```
 *
 * @param name The activation.
 * @param z The pre-activation.
 * @param out Where to write the three values (a new array by default).
 * @param scale The scale κ of a scaled tanh (tanh only; 1 is the plain activation). @default 1
 * @returns `out`.
 */
export function activation(
  name: Activation,
  z: number,
  out: Float64Array = new Float64Array(3),
  scale = 1,
): Float64Array {
  const fn = "activation";
  checkActivation(fn, "name", name);
  check.finiteNumber(fn, "z", z);
  if (!(out instanceof Float64Array)) {
    throw new TypeError(`Invalid out in ${fn}: expected a Float64Array of length 3; received ${check.describe(out)}.`);
  }
  if (out.length < 3) {
    throw new RangeError(`Invalid out in ${fn}: expected a Float64Array of length 3; received length ${out.length}.`);
  }
  checkActivationScale(fn, "scale", scale, name);
  return activationValues(name, z, out, scale);
}

/** {@linkcode activation} without the checks, for the inner loops of the library (its arguments are checked once). Internal. */
export function activationValues(
  name: Activation,
  z: number,
  out: Float64Array = new Float64Array(3),
  scale = 1,
): Float64Array {
  if (scale !== 1) {
    const t = Math.tanh(scale * z);
    out[0] = t / scale;
    out[1] = 1 - t * t;
    out[2] = -2 * scale * t * (1 - t * t);
    return out;
  }
  switch (name) {
    case "linear":
      out[0] = z;
      out[1] = 1;
      out[2] = 0;
      break;
    case "tanh": {
      const t = Math.tanh(z);
      out[0] = t;
      out[1] = 1 - t * t;
      out[2] = -2 * t * (1 - t * t);
      break;
    }
    case "relu":
      out[0] = z > 0 ? z : 0;
      out[1] = z > 0 ? 1 : 0;
      out[2] = 0;
      break;
    case "swish": {
      const s = 1 / (1 + Math.exp(-z));
      out[0] = z * s;
      out[1] = s + z * s * (1 - s);
      out[2] = s * (1 - s) * (2 + z * (1 - 2 * s));
      break;
    }
  }
  return out;
}

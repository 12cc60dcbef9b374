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
 * σ(z), σ′(z) and σ″(z) for an activation, written into `out` as [σ, σ′, σ″] (relu: σ′(0) = 0, σ″ = 0).
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
 * @returns `out`.
 */
export function activation(name: Activation, z: number, out: Float64Array = new Float64Array(3)): Float64Array {
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

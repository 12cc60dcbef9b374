/**
 * Instruction sequences shared by the generators of the network kernels (`two_layer_codegen.ts`, `simd_math.ts`): a
 * multiply then an add on f64x2 vectors, the sum of a vector's two lanes, and the end of a do-while loop over a
 * pointer. Internal module (not exported from mod.ts).
 *
 * Multiply and add stay separate instructions (no relaxed-SIMD fused multiply-add): every operation is then an IEEE-754
 * double operation, and the kernels give the same bits on every machine.
 *
 * @module
 */

import { op } from "../../runtime/wasm_builder.ts";

/**
 * Bytes leaving c + a·b on the stack (the product rounded, then the sum).
 *
 * @param a Bytes pushing one v128.
 * @param b Bytes pushing one v128.
 * @param c Bytes pushing one v128.
 * @returns The instruction bytes.
 */
export function madd(a: number[], b: number[], c: number[]): number[] {
  return [...c, ...a, ...b, ...op.f64x2mul, ...op.f64x2add];
}

/**
 * The sum of the two lanes of the v128 in local `v` (lane 0 + lane 1), an f64 on the stack.
 *
 * @param v The local's index.
 * @returns The instruction bytes.
 */
export function hsum(v: number): number[] {
  return [...op.get(v), ...op.f64x2lane(0), ...op.get(v), ...op.f64x2lane(1), ...op.f64add];
}

/**
 * `p += step; br_if (p != end)`, then `end`: closes a do-while loop over the i32 local `p`.
 *
 * @param p The loop pointer's local.
 * @param step The increment in bytes.
 * @param end Bytes pushing the i32 that ends the loop.
 * @returns The instruction bytes.
 */
export function next(p: number, step: number, end: number[]): number[] {
  return [...op.get(p), ...op.i32(step), ...op.add, ...op.tee(p), ...end, ...op.ne, ...op.brIf(0), ...op.end];
}

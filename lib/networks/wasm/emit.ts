/**
 * Instruction sequences shared by the generators of the network kernels (`two_layer_codegen.ts`, `simd_math.ts`,
 * `lib/deep/deep_codegen.ts`): a multiply then an add on f64x2 vectors, the sum of a vector's two lanes, the end of a
 * do-while loop over a pointer, and the Adam update both kernels export. Internal module (not exported from mod.ts).
 *
 * Multiply and add stay separate instructions (no relaxed-SIMD fused multiply-add): every operation is then an IEEE-754
 * double operation, and the kernels give the same bits on every machine.
 *
 * @module
 */

import { Func, op, T } from "../../runtime/wasm_builder.ts";

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

/** The export of {@linkcode adamKernel}: params (p, g, m, v, len, λ, β₁, 1 − β₁, β₂, 1 − β₂, ε, c₁, c₂). */
export type AdamExport = (
  p: number,
  g: number,
  m: number,
  v: number,
  len: number,
  lambda: number,
  b1: number,
  ob1: number,
  b2: number,
  ob2: number,
  eps: number,
  c1: number,
  c2: number,
) => void;

/**
 * Adam on `len` doubles (even), the JS kernels' operations in their order: m = β₁m + (1 − β₁)g, v = β₂v + ((1 −
 * β₂)g)g, p −= (λ(m c₁))/(√(v c₂) + ε). Params (p, g, m, v, len, λ, β₁, 1 − β₁, β₂, 1 − β₂, ε, c₁, c₂), byte
 * addresses; see {@linkcode AdamExport}.
 *
 * @param name The export name.
 * @returns The function.
 */
export function adamKernel(name: string): Func {
  const f = new Func(name, [T.i32, T.i32, T.i32, T.i32, T.i32, ...new Array<typeof T.f64>(8).fill(T.f64)]);
  const [P, G, M, V, len, lam, b1, ob1, b2, ob2, eps, c1, c2] = Array.from({ length: 13 }, (_, i) => i);
  const p = f.local(T.i32), end = f.local(T.i32);
  const vs = [lam, b1, ob1, b2, ob2, eps, c1, c2].map((i) => {
    const l = f.local(T.v128);
    f.emit(op.get(i), op.f64x2splat, op.set(l));
    return l;
  });
  const [vLam, vB1, vOb1, vB2, vOb2, vEps, vC1, vC2] = vs;
  const g = f.local(T.v128), m = f.local(T.v128), v = f.local(T.v128);
  const mul = op.f64x2mul, add = op.f64x2add;
  const at = (base: number) => [...op.get(base), ...op.get(p), ...op.add];
  f.emit(op.get(len), op.i32(8), op.mul, op.set(end), op.i32(0), op.set(p), op.loop);
  f.emit(at(G), op.v128load(0), op.set(g));
  f.emit(op.get(vB1), at(M), op.v128load(0), mul, op.get(vOb1), op.get(g), mul, add, op.set(m));
  f.emit(op.get(vB2), at(V), op.v128load(0), mul, op.get(vOb2), op.get(g), mul, op.get(g), mul, add, op.set(v));
  f.emit(at(M), op.get(m), op.v128store(0), at(V), op.get(v), op.v128store(0));
  f.emit(at(P), at(P), op.v128load(0), op.get(vLam), op.get(m), op.get(vC1), mul, mul);
  f.emit(op.get(v), op.get(vC2), mul, op.f64x2sqrt, op.get(vEps), add, op.f64x2div, op.f64x2sub, op.v128store(0));
  f.emit(next(p, 16, op.get(end)));
  return f;
}

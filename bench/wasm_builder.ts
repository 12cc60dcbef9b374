/**
 * The bench's WebAssembly writer: the library's (`lib/runtime/wasm_builder.ts`: LEB128, value types, `Func`,
 * `buildModule`, the f64x2 opcodes) plus the Float32 and relaxed-SIMD opcodes that only the experiments of
 * `network_kernels_experimental.ts` use (relaxed_madd, i.e. fused multiply-add where the CPU has it, is not
 * bit-stable across machines, so the library does not emit it). Not a bench file itself.
 *
 * @module
 */

import { op as libOp, uleb } from "../lib/runtime/wasm_builder.ts";

export { buildModule, Func, sleb, T, uleb } from "../lib/runtime/wasm_builder.ts";
export type { ValType } from "../lib/runtime/wasm_builder.ts";

const simd = (code: number, ...imm: number[]) => [0xfd, ...uleb(code), ...imm];
const memarg = (offset: number, align = 0) => [align, ...uleb(offset)];

/** The library's instructions plus the Float32 and relaxed-SIMD ones (each a byte array). */
export const op = {
  ...libOp,
  f32: (v: number) => [0x43, ...new Uint8Array(Float32Array.of(v).buffer)],
  f32load: (offset: number) => [0x2a, ...memarg(offset, 2)],
  f32store: (offset: number) => [0x38, ...memarg(offset, 2)],
  f32add: [0x92],
  f32mul: [0x94],
  load32splat: (offset: number) => simd(0x09, ...memarg(offset)),
  f32x4splat: simd(0x13),
  f32x4lane: (l: number) => simd(0x1f, l),
  v128const: (bytes: Uint8Array) => simd(0x0c, ...bytes),
  f32x4const: (a: number) => simd(0x0c, ...new Uint8Array(Float32Array.of(a, a, a, a).buffer)),
  i32x4const: (a: number) => simd(0x0c, ...new Uint8Array(Int32Array.of(a, a, a, a).buffer)),
  i32x4shl: simd(0xab),
  f32x4abs: simd(0xe0),
  f32x4sub: simd(0xe5),
  f32x4div: simd(0xe7),
  f32x4min: simd(0xe8),
  f32x4add: simd(0xe4),
  f32x4mul: simd(0xe6),
  /** relaxed_madd(a, b, c) = a·b + c, fused or not (relaxed SIMD). */
  f32x4madd: simd(0x105),
  f64x2madd: simd(0x107),
};

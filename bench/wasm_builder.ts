/**
 * A tiny WebAssembly binary writer for the SIMD kernel experiments of `network_kernels_experimental.ts` (no
 * toolchain: the machine has no wasm32 target, and JSR/wabt are not needed). It emits one module with one
 * exported memory and exported functions whose bodies are byte arrays built with the helpers below. Not a
 * bench file itself.
 *
 * Only what the kernels use is here: i32 arithmetic, f32/f64 scalar loads and stores, loops, and the SIMD
 * (v128) and relaxed-SIMD (relaxed_madd, i.e. fused multiply-add where the CPU has it) opcodes for f64x2
 * and f32x4.
 *
 * @module
 */

/** Unsigned LEB128. */
export function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 (32-bit). */
export function sleb(v: number): number[] {
  const out: number[] = [];
  v |= 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** Value types. */
export const T = { i32: 0x7f, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;
export type ValType = (typeof T)[keyof typeof T];

const simd = (op: number, ...imm: number[]) => [0xfd, ...uleb(op), ...imm];
const memarg = (offset: number, align = 0) => [align, ...uleb(offset)];

/** Instructions (each a byte array; concatenate them into a body). */
export const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  f64: (v: number) => [0x44, ...new Uint8Array(Float64Array.of(v).buffer)],
  f32: (v: number) => [0x43, ...new Uint8Array(Float32Array.of(v).buffer)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  ltU: [0x49],
  ne: [0x47],
  loop: [0x03, 0x40],
  block: [0x02, 0x40],
  end: [0x0b],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  f64load: (offset: number) => [0x2b, ...memarg(offset, 3)],
  f64store: (offset: number) => [0x39, ...memarg(offset, 3)],
  f32load: (offset: number) => [0x2a, ...memarg(offset, 2)],
  f32store: (offset: number) => [0x38, ...memarg(offset, 2)],
  f64add: [0xa0],
  f64mul: [0xa2],
  f32add: [0x92],
  f32mul: [0x94],
  v128load: (offset: number) => simd(0x00, ...memarg(offset)),
  v128store: (offset: number) => simd(0x0b, ...memarg(offset)),
  load32splat: (offset: number) => simd(0x09, ...memarg(offset)),
  load64splat: (offset: number) => simd(0x0a, ...memarg(offset)),
  v128zero: simd(0x0c, ...new Array(16).fill(0)),
  f32x4splat: simd(0x13),
  f64x2splat: simd(0x14),
  f32x4lane: (l: number) => simd(0x1f, l),
  f64x2lane: (l: number) => simd(0x21, l),
  v128const: (bytes: Uint8Array) => simd(0x0c, ...bytes),
  f64x2const: (a: number, b = a) => simd(0x0c, ...new Uint8Array(Float64Array.of(a, b).buffer)),
  f32x4const: (a: number) => simd(0x0c, ...new Uint8Array(Float32Array.of(a, a, a, a).buffer)),
  i64x2const: (a: bigint) => simd(0x0c, ...new Uint8Array(BigInt64Array.of(a, a).buffer)),
  i32x4const: (a: number) => simd(0x0c, ...new Uint8Array(Int32Array.of(a, a, a, a).buffer)),
  v128and: simd(0x4e),
  v128or: simd(0x50),
  i32x4shl: simd(0xab),
  i64x2shl: simd(0xcb),
  f32x4abs: simd(0xe0),
  f32x4sub: simd(0xe5),
  f32x4div: simd(0xe7),
  f32x4min: simd(0xe8),
  f64x2abs: simd(0xec),
  f64x2sub: simd(0xf1),
  f64x2div: simd(0xf3),
  f64x2min: simd(0xf4),
  f32x4add: simd(0xe4),
  f32x4mul: simd(0xe6),
  f64x2add: simd(0xf0),
  f64x2mul: simd(0xf2),
  /** relaxed_madd(a, b, c) = a·b + c, fused or not (relaxed SIMD). */
  f32x4madd: simd(0x105),
  f64x2madd: simd(0x107),
};

/** A function under construction: parameters, locals and a body. */
export class Func {
  readonly locals: ValType[] = [];
  body: number[] = [];
  constructor(readonly name: string, readonly params: ValType[], readonly results: ValType[] = []) {}
  /** A new local of type `t`; returns its index. */
  local(t: ValType): number {
    this.locals.push(t);
    return this.params.length + this.locals.length - 1;
  }
  emit(...parts: number[][]): this {
    for (const p of parts) for (const b of p) this.body.push(b);
    return this;
  }
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const name = (s: string) => {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
};

/** The bytes of a module exporting `memory` (`pages` × 64 KiB, growable) and the given functions. */
export function buildModule(funcs: Func[], pages: number): Uint8Array {
  const types = funcs.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const typeSec = section(1, vec(types));
  const funcSec = section(3, vec(funcs.map((_, i) => uleb(i))));
  const memSec = section(5, vec([[0x00, ...uleb(pages)]]));
  const exportSec = section(
    7,
    vec([[...name("memory"), 0x02, 0], ...funcs.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])]),
  );
  const codes = funcs.map((f) => {
    // Locals, run-length encoded by type.
    const groups: number[][] = [];
    for (let i = 0; i < f.locals.length;) {
      let j = i;
      while (j < f.locals.length && f.locals[j] === f.locals[i]) j++;
      groups.push([...uleb(j - i), f.locals[i]]);
      i = j;
    }
    const body = [...vec(groups), ...f.body, 0x0b];
    return [...uleb(body.length), ...body];
  });
  const codeSec = section(10, vec(codes));
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...typeSec,
    ...funcSec,
    ...memSec,
    ...exportSec,
    ...codeSec,
  ]);
}

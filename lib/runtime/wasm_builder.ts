/**
 * A tiny WebAssembly binary writer for the SIMD kernels of `lib/networks/wasm/`: no toolchain and no file, the module
 * bytes are built in memory (so the library needs no permission and works when imported by URL). It emits one module
 * with one exported, growable memory and exported functions whose bodies are byte arrays built with the helpers below.
 * Internal module (not exported from mod.ts).
 *
 * Only what the kernels use is here: i32 arithmetic, loads and stores, the f64 scalar load, add, multiply, compare and
 * store, loops, `if` and direct calls, and the fixed-width SIMD (v128, f64x2) opcodes; no f32 and no relaxed SIMD (its fused multiply-add rounds
 * differently across machines; see bench/README.md for what f32x4 and FMA measured).
 *
 * @module
 */

/**
 * Unsigned LEB128.
 *
 * @param v A non-negative 32-bit integer.
 * @returns Its bytes.
 */
function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/**
 * Signed LEB128 (32-bit).
 *
 * @param v A 32-bit integer.
 * @returns Its bytes.
 */
function sleb(v: number): number[] {
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
export const T = { i32: 0x7f, f64: 0x7c, v128: 0x7b } as const;
/** A value type. */
export type ValType = (typeof T)[keyof typeof T];

const simd = (code: number, ...imm: number[]) => [0xfd, ...uleb(code), ...imm];
const memarg = (offset: number, align = 0) => [align, ...uleb(offset)];
const bytesOf = (a: Float64Array) => [...new Uint8Array(a.buffer)];

/** Instructions (each a byte array; concatenate them into a body). */
export const op = {
  /** local.get */
  get: (i: number): number[] => [0x20, ...uleb(i)],
  /** local.set */
  set: (i: number): number[] => [0x21, ...uleb(i)],
  /** local.tee */
  tee: (i: number): number[] => [0x22, ...uleb(i)],
  /** i32.const */
  i32: (v: number): number[] => [0x41, ...sleb(v)],
  /** i32.add */
  add: [0x6a],
  /** i32.sub */
  sub: [0x6b],
  /** i32.mul */
  mul: [0x6c],
  /** i32.ne */
  ne: [0x47],
  /** i32.eq */
  eq: [0x46],
  /** loop (no result) */
  loop: [0x03, 0x40],
  /** end */
  end: [0x0b],
  /** br_if */
  brIf: (depth: number): number[] => [0x0d, ...uleb(depth)],
  /** if (no result; ends with end) */
  if: [0x04, 0x40],
  /** else (inside an if) */
  else: [0x05],
  /** i32.shl */
  shl: [0x74],
  /** i32.shr_u */
  shrU: [0x76],
  /** i32.and */
  and: [0x71],
  /** i32.load */
  i32load: (offset: number): number[] => [0x28, ...memarg(offset, 2)],
  /** f64.load */
  f64load: (offset: number): number[] => [0x2b, ...memarg(offset, 3)],
  /** f64.mul */
  f64mul: [0xa2],
  /** f64.sub */
  f64sub: [0xa1],
  /** f64.ne */
  f64ne: [0x62],
  /** f64.const */
  f64const: (a: number): number[] => [0x44, ...bytesOf(Float64Array.of(a))],
  /** i32.store */
  i32store: (offset: number): number[] => [0x36, ...memarg(offset, 2)],
  /** call (the callee's index = its position in {@linkcode buildModule}'s list) */
  call: (i: number): number[] => [0x10, ...uleb(i)],
  /** v128.load64_lane: [address, vector] → the vector with lane `lane` loaded */
  v128load64lane: (offset: number, lane: number): number[] => simd(0x57, ...memarg(offset), lane),
  /** v128.store64_lane: [address, vector] → stores lane `lane` */
  v128store64lane: (offset: number, lane: number): number[] => simd(0x5b, ...memarg(offset), lane),
  /** f64.store */
  f64store: (offset: number): number[] => [0x39, ...memarg(offset, 3)],
  /** f64.add */
  f64add: [0xa0],
  /** v128.load */
  v128load: (offset: number): number[] => simd(0x00, ...memarg(offset)),
  /** v128.store */
  v128store: (offset: number): number[] => simd(0x0b, ...memarg(offset)),
  /** v128.load64_splat */
  load64splat: (offset: number): number[] => simd(0x0a, ...memarg(offset)),
  /** v128.const 0 */
  v128zero: simd(0x0c, ...new Array(16).fill(0)),
  /** f64x2.splat */
  f64x2splat: simd(0x14),
  /** f64x2.extract_lane */
  f64x2lane: (l: number): number[] => simd(0x21, l),
  /** v128.const of the double `a` in both lanes */
  f64x2const: (a: number): number[] => simd(0x0c, ...bytesOf(Float64Array.of(a, a))),
  /** v128.and */
  v128and: simd(0x4e),
  /** v128.or */
  v128or: simd(0x50),
  /** f64x2.gt */
  f64x2gt: simd(0x4a),
  /** i64x2.shl */
  i64x2shl: simd(0xcb),
  /** f64x2.abs */
  f64x2abs: simd(0xec),
  /** f64x2.neg */
  f64x2neg: simd(0xed),
  /** f64x2.sqrt */
  f64x2sqrt: simd(0xef),
  /** f64x2.add */
  f64x2add: simd(0xf0),
  /** f64x2.sub */
  f64x2sub: simd(0xf1),
  /** f64x2.mul */
  f64x2mul: simd(0xf2),
  /** f64x2.div */
  f64x2div: simd(0xf3),
  /** f64x2.min (NaN-propagating) */
  f64x2min: simd(0xf4),
  /** f64x2.max (NaN-propagating) */
  f64x2max: simd(0xf5),
};

/** A function under construction: parameters, results, locals and a body. */
export class Func {
  /** The locals after the parameters. */
  readonly locals: ValType[] = [];
  /** The body's bytes (without the local declarations and the final `end`). */
  body: number[] = [];
  /**
   * Starts an empty function.
   *
   * @param name The export name.
   * @param params The parameter types (locals 0, 1, …).
   * @param results The result types.
   */
  constructor(readonly name: string, readonly params: ValType[], readonly results: ValType[] = []) {}
  /**
   * A new local.
   *
   * @param t Its type.
   * @returns Its index.
   */
  local(t: ValType): number {
    this.locals.push(t);
    return this.params.length + this.locals.length - 1;
  }
  /**
   * Appends instructions to the body.
   *
   * @param parts Byte arrays.
   * @returns This function.
   */
  emit(...parts: number[][]): this {
    for (const p of parts) for (const b of p) this.body.push(b);
    return this;
  }
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const utf8 = (s: string) => {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
};

/**
 * The bytes of a module exporting `memory` (`pages` × 64 KiB, growable) and the given functions.
 *
 * @param funcs The functions, exported under their names.
 * @param pages The initial memory size in 64 KiB pages.
 * @returns The module's bytes.
 */
export function buildModule(funcs: Func[], pages: number): Uint8Array<ArrayBuffer> {
  const types = funcs.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const typeSec = section(1, vec(types));
  const funcSec = section(3, vec(funcs.map((_, i) => uleb(i))));
  const memSec = section(5, vec([[0x00, ...uleb(pages)]]));
  const exportSec = section(
    7,
    vec([[...utf8("memory"), 0x02, 0], ...funcs.map((f, i) => [...utf8(f.name), 0x00, ...uleb(i)])]),
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
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  return new Uint8Array([...header, ...typeSec, ...funcSec, ...memSec, ...exportSec, ...codeSec]);
}

/**
 * Whether this runtime compiles WebAssembly with fixed-width SIMD (validates a tiny module that adds two f64x2
 * vectors). False when WebAssembly itself is missing or disabled.
 *
 * @returns True if the SIMD kernels can run.
 */
export function wasmSimdSupported(): boolean {
  try {
    if (typeof WebAssembly !== "object" || typeof WebAssembly.validate !== "function") return false;
    const f = new Func("f", [], [T.v128]);
    f.emit(op.f64x2const(1), op.f64x2const(2), op.f64x2add);
    return WebAssembly.validate(buildModule([f], 0));
  } catch {
    return false;
  }
}

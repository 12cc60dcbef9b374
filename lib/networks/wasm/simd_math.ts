/**
 * The activations σ and σ′ of the network kernels as WebAssembly f64x2 code: an exponential built from a polynomial,
 * and from it tanh and swish's sigmoid. Internal module (not exported from mod.ts).
 *
 * Method:
 *
 * - e^y = 2ᵏ·e^r with y = k ln2 + r, k = round(y/ln2) and |r| ≤ ln2/2 (Cody–Waite: ln2 in a high part whose products
 *   with k are exact and a low part, as in fdlibm). expm1(r) = r + r²·Σ_{j<12} r^j/(j + 2)!, a degree-13 Taylor
 *   polynomial (truncation below 1e-17), evaluated by Estrin's scheme (pairs, quads, then r⁴ and r⁸: a short dependency
 *   chain). 2ᵏ comes from the exponent bits: y/ln2 + (2⁵² + 1023) rounds to k and holds k + 1023 in the low mantissa
 *   bits, which a shift by 52 moves into the exponent field.
 * - tanh(x) = expm1(2|x|)/(expm1(2|x|) + 2) with the sign of x, 2|x| clamped to 40 (tanh 20 = 1 in double). No
 *   cancellation for small |x|, so the error is a few ulp; σ′ = 1 − tanh².
 * - swish: s = 1/(1 + e⁻ᶻ) with −z clamped to [−708, 710] (e⁻⁷⁰⁸ is far below the rounding of 1 + e⁻ᶻ, and e⁷¹⁰
 *   overflows to +∞ as Math.exp does; 2^(k − 1) is built instead of 2ᵏ so that it stays a normal double up to k =
 *   1024); σ = z·s, σ′ = s + σ·(1 − s).
 * - linear and relu are exact (relu by a comparison mask, so NaN gives 0 as `z > 0 ? z : 0` does).
 *
 * Accuracy: within a few ulp of the JS formulas with Math.tanh and Math.exp, not bit-identical to them — measured over
 * 4·10⁵ random arguments, tanh within 5.2e-16 relative, swish within 4.5e-16 (test/network_wasm_test.ts checks 8e-16
 * and 1e-15, and the special values ±0, ±∞, NaN and overflow).
 *
 * @module
 */

import type { Activation } from "../activations.ts";
import { Func, op, T } from "../../runtime/wasm_builder.ts";
import { next } from "./emit.ts";

const LN2_HI = 6.93147180369123816490e-01; // fdlibm: the high part of ln 2 (k·LN2_HI is exact for |k| < 2²⁰)
const LN2_LO = 1.90821492927058770002e-10;
/** 1/(j + 2)! for j < 12: expm1(r) = r + r²·Σ_j r^j/(j + 2)!, truncation below 1e-17 for |r| ≤ ln2/2. */
const EXPM1_COEF = (() => {
  const c: number[] = [];
  let fact = 1;
  for (let j = 2; j < 14; j++) c.push(1 / (fact *= j));
  return c;
})();

/**
 * v128 constants held in locals set once before a loop (V8 would otherwise rebuild each 128-bit constant inside the
 * loop): `get(v)` pushes the constant (v, v); `prologue()` returns the bytes that set the locals.
 */
class Constants {
  private readonly locals = new Map<string, { local: number; bytes: number[] }>();
  constructor(private readonly f: Func) {}
  get(v: number): number[] {
    const key = Object.is(v, -0) ? "-0" : String(v);
    let e = this.locals.get(key);
    if (!e) this.locals.set(key, e = { local: this.f.local(T.v128), bytes: op.f64x2const(v) });
    return op.get(e.local);
  }
  prologue(): number[] {
    return [...this.locals.values()].flatMap((e) => [...e.bytes, ...op.set(e.local)]);
  }
}

/**
 * Emits, for the v128 in local `y` (both lanes in [−708, 710] or NaN): local `sc` = 2^(k − shift) and local `q` =
 * expm1(r), where y = k ln2 + r with k an integer and |r| ≤ ln2/2, so that e^y = 2^shift·(sc + sc·q) and, for shift 0,
 * expm1(y) = sc·q + (sc − 1). `shift` = 1 keeps 2^(k − 1) a normal double up to y = 710 (k = 1024).
 */
function expParts(f: Func, c: Constants, y: number, sc: number, q: number, shift: 0 | 1): void {
  const kf = f.local(T.v128), k = f.local(T.v128), r = f.local(T.v128), h = f.local(T.v128);
  const r2 = f.local(T.v128), r4 = f.local(T.v128);
  const mul = op.f64x2mul, add = op.f64x2add, sub = op.f64x2sub;
  // y/ln2 + magic rounds y/ln2 to the integer k and holds k − shift + 1023 in the low mantissa bits.
  const magic = 2 ** 52 + 1023 - shift;
  f.emit(op.get(y), c.get(1 / Math.LN2), mul, c.get(magic), add, op.tee(kf), c.get(magic), sub, op.set(k));
  f.emit(op.get(y), op.get(k), c.get(LN2_HI), mul, sub, op.get(k), c.get(LN2_LO), mul, sub, op.set(r));
  // h = Σ_{j<12} c_j r^j by Estrin's scheme (pairs, quads, then r⁴ and r⁸: a short dependency chain).
  const C = EXPM1_COEF;
  const pair = (j: number) => [...c.get(C[j]), ...op.get(r), ...c.get(C[j + 1]), ...mul, ...add];
  const quad = (j: number) => [...pair(j), ...pair(j + 2), ...op.get(r2), ...mul, ...add];
  f.emit(op.get(r), op.get(r), mul, op.tee(r2), op.get(r2), mul, op.set(r4));
  f.emit(quad(0), quad(4), op.get(r4), mul, add, quad(8), op.get(r4), op.get(r4), mul, mul, add, op.set(h));
  f.emit(op.get(r2), op.get(h), mul, op.get(r), add, op.set(q)); // expm1(r) = r + r²·h
  f.emit(op.get(kf), op.i32(52), op.i64x2shl, op.set(sc)); // 2^(k − shift) from the low bits
}

/**
 * A = σ(Z), D = σ′(Z) for `len` doubles (even). Params (Z, A, D, len). The formulas are the JS kernel's (tanh: D = 1 −
 * A²; relu: z > 0 ? z : 0 and 1 : 0; swish: s = 1/(1 + e⁻ᶻ), A = z·s, D = s + A·(1 − s)), with tanh and e⁻ᶻ vectorized
 * (see the module comment).
 *
 * @param name The export name.
 * @param act The activation.
 * @returns The function.
 */
export function activationKernel(name: string, act: Activation): Func {
  const f = new Func(name, [T.i32, T.i32, T.i32, T.i32]);
  const [Z, A, D, len] = [0, 1, 2, 3];
  const p = f.local(T.i32), end = f.local(T.i32);
  const x = f.local(T.v128), y = f.local(T.v128), sc = f.local(T.v128), q = f.local(T.v128);
  const t = f.local(T.v128), s = f.local(T.v128), m = f.local(T.v128);
  const c = new Constants(f);
  const mul = op.f64x2mul, add = op.f64x2add, sub = op.f64x2sub;
  const head = [...op.get(len), ...op.i32(8), ...op.mul, ...op.set(end), ...op.i32(0), ...op.set(p)];
  const body = f.body;
  f.body = [];
  const storeA = (v: number[]) => f.emit(op.get(A), op.get(p), op.add, v, op.v128store(0));
  const storeD = (v: number[]) => f.emit(op.get(D), op.get(p), op.add, v, op.v128store(0));
  f.emit(op.loop, op.get(Z), op.get(p), op.add, op.v128load(0), op.set(x));
  switch (act) {
    case "linear":
      storeA(op.get(x));
      storeD(c.get(1));
      break;
    case "relu":
      f.emit(op.get(x), op.v128zero, op.f64x2gt, op.set(m)); // all ones where z > 0 (not for NaN)
      storeA([...op.get(x), ...op.get(m), ...op.v128and]);
      storeD([...c.get(1), ...op.get(m), ...op.v128and]);
      break;
    case "tanh": {
      // y = min(2|x|, 40) (tanh 20 = 1 in double); t = expm1(y)/(expm1(y) + 2); A = t with the sign of x.
      f.emit(op.get(x), op.f64x2abs, c.get(2), mul, c.get(40), op.f64x2min, op.set(y));
      expParts(f, c, y, sc, q, 0);
      f.emit(op.get(sc), op.get(q), mul, op.get(sc), c.get(1), sub, add, op.tee(m)); // expm1(y)
      f.emit(op.get(m), c.get(2), add, op.f64x2div, op.set(t));
      storeA([...op.get(t), ...op.get(x), ...c.get(-0), ...op.v128and, ...op.v128or]);
      storeD([...c.get(1), ...op.get(t), ...op.get(t), ...mul, ...sub]);
      break;
    }
    case "swish": {
      // e = e^(−z) with −z clamped to [−708, 710] (e^−708 ≪ eps, e^710 overflows to +∞ as in Math.exp).
      f.emit(op.get(x), op.f64x2neg, c.get(710), op.f64x2min, c.get(-708), op.f64x2max, op.set(y));
      expParts(f, c, y, sc, q, 1);
      f.emit(op.get(sc), op.get(sc), op.get(q), mul, add, c.get(2), mul, op.set(t)); // e = 2·(sc + sc·q)
      f.emit(c.get(1), c.get(1), op.get(t), add, op.f64x2div, op.set(s)); // s = 1/(1 + e)
      f.emit(op.get(x), op.get(s), mul, op.set(t)); // A = z·s
      storeA(op.get(t));
      storeD([...op.get(s), ...op.get(t), ...c.get(1), ...op.get(s), ...sub, ...mul, ...add]);
      break;
    }
  }
  f.emit(next(p, 16, op.get(end)));
  f.body = [...body, ...head, ...c.prologue(), ...f.body];
  return f;
}

/**
 * Seeded random numbers. Every random function of the toolkit takes a `seed` and draws from seedrandom's Tyche-i
 * generator (Neves & Araujo 2011), one independent stream per trajectory or per task, so the same seed gives the same
 * result whatever the order or the number of workers that evaluate the streams.
 *
 * @module
 */

import { seedrandom } from "./deps.ts";
import * as check from "./validate.ts";

const TWO_32 = 4294967296;
const INV_TWO_32 = 1 / TWO_32;

/**
 * A Tyche-i stream in a form the JIT compiles well: the state lives in an `Int32Array` (so it stays unboxed), and
 * {@linkcode Rng.fillIndices} draws many indices per call with the state in registers. Its `nextInt32()` sequence is
 * bit-for-bit seedrandom's `tychei(seed).int32()` sequence (tested). Internal class, not re-exported by `mod.ts`.
 */
export class Rng {
  private readonly s: Int32Array;
  private spare = NaN;

  /** A stream seeded exactly as `seedrandom.tychei(seedString)`. */
  constructor(seedString: string) {
    const x = seedrandom.tychei(seedString, { state: true }).state() as { a: number; b: number; c: number; d: number };
    this.s = Int32Array.of(x.a, x.b, x.c, x.d);
  }

  /** Stream number `index` of the family `seed`: seeded by the string `${seed}:${index}`. */
  static stream(seed: number | string, index: number): Rng {
    return new Rng(`${seed}:${index}`);
  }

  /** The next 32-bit output as a signed integer (seedrandom's `int32()`). */
  nextInt32(): number {
    const st = this.s;
    let a = st[0], b = st[1], c = st[2], d = st[3];
    b = (b << 25) ^ (b >>> 7) ^ c;
    c = (c - d) | 0;
    d = (d << 24) ^ (d >>> 8) ^ a;
    a = (a - b) | 0;
    b = (b << 20) ^ (b >>> 12) ^ c;
    c = (c - d) | 0;
    d = (d << 16) ^ (c >>> 16) ^ a;
    a = (a - b) | 0;
    st[0] = a;
    st[1] = b;
    st[2] = c;
    st[3] = d;
    return a;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextInt32() >>> 5; // 27 bits
    const lo = this.nextInt32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /**
   * A uniform integer in [0, n), exactly uniform for n ≤ 2²¹ (Lemire's multiply-and-reject on 32 bits); for larger n,
   * ⌊U·n⌋ with a 53-bit U (bias below n/2⁵³).
   */
  index(n: number): number {
    if (n > 2097152) return Math.floor(this.uniform() * n);
    const threshold = TWO_32 % n;
    for (;;) {
      const m = (this.nextInt32() >>> 0) * n;
      const hi = Math.floor(m * INV_TWO_32);
      if (m - hi * TWO_32 >= threshold) return hi;
    }
  }

  /**
   * Fills `out` with independent uniform integers in [0, n), exactly uniform. For n ≤ 2¹⁶ each 32-bit output is cut
   * into ⌊32/b⌋ chunks of b = ⌈log₂ n⌉ bits and a chunk is kept when it is < n (rejection; at least half are kept), so
   * a draw costs a fraction of a generator step; larger n use {@linkcode Rng.index}.
   */
  fillIndices(out: Int32Array, n: number): void {
    const len = out.length;
    if (n > 65536) {
      for (let i = 0; i < len; i++) out[i] = this.index(n);
      return;
    }
    const bits = Math.max(1, Math.ceil(Math.log2(n)));
    const mask = (1 << bits) - 1;
    const per = Math.floor(32 / bits);
    const st = this.s;
    let a = st[0], b = st[1], c = st[2], d = st[3];
    let i = 0;
    while (i < len) {
      b = (b << 25) ^ (b >>> 7) ^ c;
      c = (c - d) | 0;
      d = (d << 24) ^ (d >>> 8) ^ a;
      a = (a - b) | 0;
      b = (b << 20) ^ (b >>> 12) ^ c;
      c = (c - d) | 0;
      d = (d << 16) ^ (c >>> 16) ^ a;
      a = (a - b) | 0;
      let u = a;
      for (let j = 0; j < per && i < len; j++) {
        const k = u & mask;
        u >>>= bits;
        if (k < n) out[i++] = k;
      }
    }
    st[0] = a;
    st[1] = b;
    st[2] = c;
    st[3] = d;
  }

  /** A standard normal deviate (Box–Muller, both deviates of a pair used). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = NaN;
      return z;
    }
    const u1 = 1 - this.uniform(); // (0, 1]
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }
}

/** The number of indices the simulators draw per {@linkcode Rng.fillIndices} call. */
export const INDEX_BLOCK = 4096;

/** A reusable index buffer holding a whole number of batches of size `batchSize` (at least one). */
export function indexBuffer(batchSize: number): { buffer: Int32Array; stepsPerBlock: number } {
  const stepsPerBlock = Math.max(1, Math.floor(INDEX_BLOCK / batchSize));
  return { buffer: new Int32Array(stepsPerBlock * batchSize), stepsPerBlock };
}

/** Options of {@linkcode randomNormal}. */
export interface RandomNormalOptions {
  /** The seed: the same seed gives the same sample. @default 0 */
  seed?: number | string;
  /** The mean of the distribution. @default 0 */
  mean?: number;
  /** The standard deviation, ≥ 0. @default 1 */
  std?: number;
}

/**
 * A seeded sample of `n` independent normal deviates N(mean, std²), e.g. the standard-normal data of Figure 2 ("the
 * rest data from a standard normal distribution").
 *
 * Method: Box–Muller on 53-bit uniforms from one Tyche-i stream seeded by `${seed}:0`.
 *
 * @example Reproducible data
 * ```ts
 * import { randomNormal } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const x = randomNormal(1000, { seed: 1 });
 * assert.deepEqual(x, randomNormal(1000, { seed: 1 }));
 * assert.ok(Math.abs(x.reduce((s, v) => s + v, 0) / 1000) < 0.15);
 * ```
 *
 * @param n The sample size, a positive integer.
 * @param options Seed, mean and standard deviation.
 * @returns A new `Float64Array` of length `n`.
 */
export function randomNormal(
  n: number,
  options: RandomNormalOptions = {},
): Float64Array {
  const fn = "randomNormal";
  const count = check.integerInRange(fn, "n", n);
  check.sizeLimit(fn, "n", count, "the sample");
  const o = check.options(fn, options);
  const seed = check.seed(fn, "options.seed", o.seed ?? 0);
  const mean = check.finiteNumber(fn, "options.mean", o.mean ?? 0);
  const std = check.learningRate(fn, "options.std", o.std ?? 1);
  const rng = Rng.stream(seed, 0);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = mean + std * rng.normal();
  return out;
}

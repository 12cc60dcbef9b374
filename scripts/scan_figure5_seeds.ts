/**
 * How the §4.3 sample was chosen: scans the seeds s = 0, 1, …, 399 of `figure5Model(s)` (100 points, y = 0.1·swish(x) +
 * 0.9ε) and lists the samples whose loss landscape has minima on both sides of w = 0 (Newton's method from a grid of
 * starts, as `figure5Points`). Prints the count and the first such seed. About 2 minutes.
 *
 *     deno run scripts/scan_figure5_seeds.ts [count]
 *
 * @module
 */

import { findStationaryPoint } from "../mod.ts";
import { figure5Model } from "../experiments/mod.ts";

const count = Number(Deno.args[0] ?? 400);
const found: number[] = [];
for (let s = 0; s < count; s++) {
  const model = figure5Model(s);
  const sides = new Set<number>();
  for (const w0 of [-3, -2, -1, -0.5, 0.5, 1, 2, 3]) {
    for (const u0 of [-1, -0.3, 0.3, 1]) {
      try {
        const p = findStationaryPoint(model, u0, w0);
        if (p.kind === "minimum" && Math.abs(p.w) < 20) sides.add(Math.sign(p.w));
      } catch { /* this start did not converge */ }
    }
  }
  if (sides.has(-1) && sides.has(1)) {
    found.push(s);
    console.log(`seed ${s}: minima on both sides of w = 0`);
  }
}
console.log(`${found.length} of ${count} samples have minima on both sides; the first is seed ${found[0]}`);

/**
 * Target 1: one Figure 2 panel, `outlierStabilityMap` on 600 learning rates × 600 outlier sizes with N = 10⁴ (9,999
 * standard-normal points plus the outlier). Target: under 0.1 s per call. The NumPy ratio comes from
 * `bench/compare.ts`, not from here.
 *
 * Run: deno task bench (the benchmarks, then bench/compare.ts for the NumPy ratio)
 *
 * @module
 */

import { figure2Map } from "./kernels.ts";

Deno.bench({
  name: "outlierStabilityMap 600×600, N = 10⁴ (target < 0.1 s)",
  n: 30,
  warmup: 5,
  fn() {
    figure2Map();
  },
});

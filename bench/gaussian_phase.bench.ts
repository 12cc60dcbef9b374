/**
 * Target: Figure 3 (left) at 400 × 400 (λ, μ), S = 1, with 1e-6 accuracy, under 2 s — single-threaded and with two
 * workers. The SciPy ratio comes from `bench/compare_gaussian.ts`.
 *
 * Run: deno task bench
 *
 * @module
 */

import { gaussianPhaseDiagram, linspace, phaseDiagramInWorkers } from "../mod.ts";

const options = { lambdas: linspace(0.005, 3, 400), mus: linspace(0, 1, 400) };

Deno.bench({
  name: "gaussianPhaseDiagram 400 × 400, S = 1, one thread (target < 2 s)",
  n: 3,
  warmup: 1,
  fn() {
    gaussianPhaseDiagram(options);
  },
});

Deno.bench({
  name: "phaseDiagramInWorkers, the same diagram on 2 workers",
  n: 3,
  warmup: 1,
  async fn() {
    await phaseDiagramInWorkers({ kind: "gaussianPhaseDiagram", options }, { workers: 2 });
  },
});

/**
 * Figure 3 (left), 400 × 400 (λ, μ) at S = 1: the toolkit's rotated-contour quadrature against a SciPy quadrature of
 * the same accuracy (`bench/gaussian_phase.py`: closed-form radial integral, quad_vec over the angle for a whole row of
 * λ at once). Prints seconds, the ratio SciPy/Deno (target ≥ 5) and the largest difference between the two on one row
 * (both should be below 1e-6).
 *
 * Run: deno run --allow-read --allow-run=python3 bench/compare_gaussian.ts [--strict]
 *
 * @module
 */

import { gaussianPhaseDiagram, gaussianSaddleExponents, linspace, phaseDiagramInWorkers } from "../mod.ts";
import { runPythonJson } from "./python.ts";

const lambdas = linspace(0.005, 3, 400);
const mus = linspace(0, 1, 400);
const best = async (k: number, f: () => unknown) => {
  await f();
  let t = Infinity;
  for (let i = 0; i < k; i++) {
    const t0 = performance.now();
    await f();
    t = Math.min(t, performance.now() - t0);
  }
  return t / 1000;
};
const one = await best(3, () => gaussianPhaseDiagram({ lambdas, mus }));
const two = await best(
  3,
  () => phaseDiagramInWorkers({ kind: "gaussianPhaseDiagram", options: { lambdas, mus } }, { workers: 2 }),
);

interface SciPyResult {
  seconds: number;
  seconds_per_row: number;
  rows_timed: number;
  minus: number[];
  plus: number[];
  check_mu: number;
}
const run = await runPythonJson<SciPyResult>(
  "./gaussian_phase.py",
  [],
  { lambdas, mus, rows: 12 },
  (r) => typeof r.seconds === "number",
);
const scipy = run.ok ? run.result : undefined;
const reason = run.ok ? "" : run.reason;

console.log(`Figure 3 (left), 400 × 400, S = 1 — Deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} CPUs`);
console.log(`  toolkit, one thread:  ${one.toFixed(3)} s (target < 2 s: ${one < 2 ? "yes" : "NO"})`);
console.log(`  toolkit, two workers: ${two.toFixed(3)} s`);
if (scipy) {
  const ratio = scipy.seconds / one;
  let diff = 0;
  lambdas.forEach((l, k) => {
    const e = gaussianSaddleExponents(scipy.check_mu, l);
    diff = Math.max(diff, Math.abs(e.minus - scipy.minus[k]), Math.abs(e.plus - scipy.plus[k]));
  });
  console.log(
    `  SciPy quad_vec:       ${scipy.seconds.toFixed(1)} s (${
      scipy.seconds_per_row.toFixed(3)
    } s per row × 400, timed on ${scipy.rows_timed} rows)`,
  );
  console.log(`  ratio SciPy/Deno (one thread): ${ratio.toFixed(1)} (target ≥ 5: ${ratio >= 5 ? "yes" : "NO"})`);
  console.log(`  largest |difference| on the row μ = ${scipy.check_mu}: ${diff.toExponential(2)}`);
  if (Deno.args.includes("--strict") && !(one < 2 && ratio >= 5)) Deno.exit(1);
} else {
  console.log(`  SciPy baseline unavailable: ${reason}`);
}

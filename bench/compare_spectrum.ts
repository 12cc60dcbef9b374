/**
 * The Lyapunov-spectrum kernels against NumPy running the same QR method (`bench/lyapunov_spectrum.py`). Deno times one
 * run (runs: 2 gives two independent runs; the per-run time is reported). NumPy's Python loop is timed on fewer steps
 * and scaled to the same count (stated in the output).
 *
 * Run: deno run --allow-read --allow-run=python3 bench/compare_spectrum.ts
 *
 * @module
 */

import { lyapunovSpectrum, rankOneLyapunovSpectrum } from "../mod.ts";
import { runPythonJson } from "./python.ts";
import { spectrumInputs } from "./spectrum_inputs.ts";

const { hessians, x } = spectrumInputs;
const time = (f: () => unknown) => {
  f();
  const t0 = performance.now();
  const r = f();
  return { seconds: (performance.now() - t0) / 1000, r };
};
const top = time(() =>
  lyapunovSpectrum(hessians, 0.5, { steps: 1_000_000, transient: 0, exponents: 1, runs: 2, orthonormalizeEvery: 10 })
);
const full = time(() =>
  rankOneLyapunovSpectrum(x, 0.01, { steps: 100_000, transient: 0, runs: 2, orthonormalizeEvery: 10 })
);
const perRunTop = top.seconds / 2;
const perRunFull = full.seconds / 2;

// deno-lint-ignore no-explicit-any
async function numpy(job: Record<string, unknown>): Promise<any> {
  const r = await runPythonJson<{ seconds: number }>(
    "./lyapunov_spectrum.py",
    [],
    job,
    (x) => typeof x.seconds === "number",
  );
  return r.ok ? r.result : { error: r.reason };
}
const npTop = await numpy({ kernel: "top2d", hessians, lambda: 0.5, steps: 100_000, every: 10 });
const npFull = await numpy({ kernel: "rank1", x, lambda: 0.01, steps: 10_000, every: 10 });

console.log(`Lyapunov spectrum kernels — Deno ${Deno.version.deno}`);
const topEst = (top.r as { exponents: Float64Array }).exponents[0];
console.log(
  `  top exponent, 2-D, 10⁶ steps: ${perRunTop.toFixed(3)} s per run (target < 0.2 s: ${
    perRunTop < 0.2 ? "yes" : "NO"
  }); estimate ${topEst.toFixed(5)}`,
);
if (!npTop.error) {
  const scaled = (npTop.seconds * 1_000_000) / npTop.steps;
  console.log(
    `    NumPy (same method, 10⁵ steps × 10): ${scaled.toFixed(2)} s; ratio NumPy/Deno ${
      (scaled / perRunTop).toFixed(1)
    }; ` +
      `NumPy estimate ${npTop.estimate.toFixed(5)}`,
  );
} else console.log(`    NumPy baseline unavailable: ${npTop.error}`);
const f = full.r as { exponents: Float64Array };
const sum = f.exponents.reduce((a, b) => a + b, 0);
console.log(
  `  full spectrum, d = 50 rank-one, 10⁵ steps: ${perRunFull.toFixed(2)} s per run (target < 5 s: ${
    perRunFull < 5 ? "yes" : "NO"
  }); top ${f.exponents[0].toFixed(6)}, sum ${sum.toFixed(5)}`,
);
if (!npFull.error) {
  const scaled = (npFull.seconds * 100_000) / npFull.steps;
  console.log(
    `    NumPy (same method, 10⁴ steps × 10): ${scaled.toFixed(2)} s; ratio NumPy/Deno ${
      (scaled / perRunFull).toFixed(1)
    }; ` +
      `NumPy top ${npFull.top.toFixed(6)}, sum ${npFull.sum.toFixed(5)} (fewer steps: noisier)`,
  );
} else console.log(`    NumPy baseline unavailable: ${npFull.error}`);

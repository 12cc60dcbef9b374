/**
 * Targets: the top Lyapunov exponent of a 2-D linearized SGD from 10⁶ steps under 0.2 s; the full spectrum of
 * 50-dimensional linear regression (Ĥ = xxᵀ) from 10⁵ steps under 5 s. The NumPy ratio comes from
 * `bench/compare_spectrum.ts`.
 *
 * Run: deno task bench
 *
 * @module
 */

import { spectrumInputs } from "./spectrum_inputs.ts";
import { lyapunovSpectrum, rankOneLyapunovSpectrum } from "../mod.ts";

const { hessians, x } = spectrumInputs;

Deno.bench({
  name: "top exponent, 2-D, 10⁶ steps (target < 0.2 s)",
  n: 5,
  warmup: 1,
  fn() {
    lyapunovSpectrum(hessians, 0.5, { steps: 1_000_000, transient: 0, exponents: 1, runs: 2, orthonormalizeEvery: 10 });
  },
});

Deno.bench({
  name: "full spectrum, d = 50 rank-one, 10⁵ steps (target < 5 s)",
  n: 2,
  warmup: 0,
  fn() {
    rankOneLyapunovSpectrum(x, 0.01, { steps: 100_000, transient: 0, runs: 2, orthonormalizeEvery: 10 });
  },
});

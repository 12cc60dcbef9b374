/**
 * The convergence trace of a Lyapunov spectrum.
 *
 * @module
 */

import * as check from "../core/validate.ts";
import { Plot } from "../core/deps.ts";
import type { LyapunovSpectrum } from "../lyapunov/lyapunov_spectrum.ts";
import { OKABE_ITO } from "./render/legend_rows.ts";
import { mergeOptions, type PassThroughOptions } from "./render/options.ts";
import type { Figure } from "./render/svg.ts";

/**
 * The running estimates of the Lyapunov exponents of {@linkcode lyapunovSpectrum} or {@linkcode
 * rankOneLyapunovSpectrum} against the number of steps averaged (one line per exponent, log-scaled steps), with the
 * final estimates ± 2 standard errors as bands at the right. Any `Plot.plot` option passes through.
 *
 * @example Two exponents
 * ```ts
 * import { lyapunovSpectrum, plotLyapunovTrace } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const s = lyapunovSpectrum([[[1, 0], [0, 2]], [[0.5, 0.2], [0.2, -1]]], 0.3, { steps: 2000, seed: 1 });
 * assert.match(plotLyapunovTrace(s).outerHTML, /<path/);
 * ```
 *
 * @param spectrum The result of a spectrum computation.
 * @param options Plot options.
 * @returns A Plot figure.
 */
export function plotLyapunovTrace(spectrum: LyapunovSpectrum, options: PassThroughOptions = {}): Figure {
  const fn = "plotLyapunovTrace";
  if (spectrum === null || typeof spectrum !== "object") {
    throw new TypeError(
      `Invalid spectrum in ${fn}: expected a Lyapunov spectrum; received ${check.describe(spectrum)}.`,
    );
  }
  // Exponents, errors and running estimates may be −∞ (a direction contracted to exactly 0), never NaN.
  check.fields(fn, "spectrum", spectrum, {
    exponents: "numbers",
    standardError: "numbers",
    dimension: "integer",
    runs: "integer",
    steps: "integer",
    transient: "count",
  });
  check.float64Array(fn, "spectrum.exponents", spectrum.exponents);
  check.sameLength(fn, "spectrum.standardError", spectrum.standardError, spectrum.exponents, "spectrum.exponents");
  check.fields(fn, "spectrum.trace", spectrum.trace, { times: "finites", estimates: "numbers" });
  check.numbers(
    fn,
    "spectrum.trace.estimates",
    spectrum.trace.estimates,
    spectrum.trace.times.length * spectrum.exponents.length,
  );
  check.object(fn, "options", options); // pass-through Plot options may hold null
  const k = spectrum.exponents.length;
  const { times, estimates } = spectrum.trace;
  const rows = Array.from(
    times,
    (t, p) =>
      Array.from({ length: k }, (_, j) => ({ t: t - spectrum.transient, m: estimates[p * k + j], j: `λ${j + 1}` })),
  )
    .flat().filter((r) => Number.isFinite(r.m));
  const last = times.length ? times[times.length - 1] - spectrum.transient : spectrum.steps;
  const bands = Array.from(spectrum.exponents, (m, j) => ({
    m,
    lo: m - 2 * spectrum.standardError[j],
    hi: m + 2 * spectrum.standardError[j],
    j: `λ${j + 1}`,
  })).filter((b) => Number.isFinite(b.m));
  return Plot.plot(mergeOptions({
    width: 640,
    height: 360,
    x: { type: "log", label: "steps averaged →" },
    y: { label: "↑ running estimate of the exponent" },
    color: { legend: k <= 10, ...(k <= OKABE_ITO.length ? { range: [...OKABE_ITO] } : { scheme: "viridis" }) },
    marks: [
      Plot.ruleY([0], { stroke: "#aaa" }),
      Plot.line(rows, { x: "t", y: "m", stroke: "j" }),
      Plot.ruleX(bands, { x: last, y1: "lo", y2: "hi", stroke: "j", strokeWidth: 4, strokeOpacity: 0.5 }),
    ],
  }, options));
}

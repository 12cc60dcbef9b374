/**
 * Deno vs NumPy on the two performance targets. Times the Deno kernels itself (best of k runs after a warm-up, with
 * `performance.now()`), runs the NumPy baselines `bench/figure2_map.py` and `bench/sgd_monte_carlo.py` on the same
 * inputs (sent as JSON on stdin), and prints a table of seconds, the ratio NumPy/Deno (> 1: Deno faster) and whether
 * each target is met:
 *
 * - target 1 (Figure 2 panel): Deno under 0.1 s per call;
 * - target 2 (SGD Monte Carlo): ratio ≥ 1, i.e. Deno at least as fast as the fastest correct NumPy variant.
 *
 * Without python3 or NumPy it says so and still prints the Deno timings.
 *
 * Run: deno run --allow-read --allow-run=python3 bench/compare.ts [--strict]
 *   --strict  exit with code 1 when a target is missed (or a baseline needed for it is unavailable).
 *
 * @module
 */

import {
  FIGURE2_TARGET_SECONDS,
  figure2Check,
  figure2Input,
  figure2Map,
  sgdCheck,
  sgdInput,
  sgdMonteCarlo,
  sgdSettings,
} from "./kernels.ts";
import { runPythonJson } from "./python.ts";

/** Best-of-k repetitions, the same on both sides. */
const REPEATS = { figure2: 10, sgd: 3 };

interface NumpyResult {
  kernel: string;
  seconds: number;
  method: string;
  variants: Record<string, number>;
  check: Record<string, number>;
  numpy: string;
}

type Baseline = { ok: true; result: NumpyResult } | { ok: false; reason: string };

/** Best of `repeats` timed calls after one warm-up call; also returns the last result. */
function bestOf<T>(repeats: number, fn: () => T): { seconds: number; result: T } {
  let result = fn();
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    result = fn();
    best = Math.min(best, performance.now() - t0);
  }
  return { seconds: best / 1000, result };
}

/** Runs one NumPy baseline with the Deno inputs on stdin; never throws. */
function runNumpy(script: string, input: Record<string, ArrayLike<number>>, repeats: number): Promise<Baseline> {
  return runPythonJson<NumpyResult>(
    script,
    ["--stdin", "--repeats", String(repeats)],
    input,
    (r) => typeof r.seconds === "number",
  );
}

function fmt(s: number): string {
  return s < 1 ? s.toFixed(4) : s.toFixed(3);
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  const line = (r: string[]) => "| " + r.map((c, j) => c.padEnd(widths[j])).join(" | ") + " |";
  return [line(rows[0]), "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|", ...rows.slice(1).map(line)]
    .join("\n");
}

const strict = Deno.args.includes("--strict");

console.log(`Deno ${Deno.version.deno} (V8 ${Deno.version.v8}), ${navigator.hardwareConcurrency} logical CPUs`);
console.log(`Timing the Deno kernels (best of ${REPEATS.figure2} and ${REPEATS.sgd}, after one warm-up call)…`);
const denoMap = bestOf(REPEATS.figure2, figure2Map);
const denoSgd = bestOf(REPEATS.sgd, sgdMonteCarlo);

console.log("Running the NumPy baselines on the same inputs…");
const npMap = await runNumpy("./figure2_map.py", { x: figure2Input.x }, REPEATS.figure2);
const npSgd = await runNumpy("./sgd_monte_carlo.py", { h: sgdInput.h }, REPEATS.sgd);

const ratio = (b: Baseline, deno: number) => b.ok ? b.result.seconds / deno : NaN;
const mapRatio = ratio(npMap, denoMap.seconds);
const sgdRatio = ratio(npSgd, denoSgd.seconds);
const mapMet = denoMap.seconds < FIGURE2_TARGET_SECONDS;
const sgdMet = npSgd.ok ? sgdRatio >= 1 : undefined;
const yesNo = (met: boolean | undefined) => met === undefined ? "unknown (no NumPy baseline)" : met ? "yes" : "NO";

console.log();
console.log(table([
  ["kernel", "Deno s", "NumPy s", "ratio NumPy/Deno", "target", "met"],
  [
    "figure2_map (600×600, N = 10⁴)",
    fmt(denoMap.seconds),
    npMap.ok ? fmt(npMap.result.seconds) : "n/a",
    npMap.ok ? mapRatio.toFixed(2) : "n/a",
    `Deno < ${FIGURE2_TARGET_SECONDS} s`,
    yesNo(mapMet),
  ],
  [
    "sgd_monte_carlo (10⁴ × 10⁴, S = 1)",
    fmt(denoSgd.seconds),
    npSgd.ok ? fmt(npSgd.result.seconds) : "n/a",
    npSgd.ok ? sgdRatio.toFixed(2) : "n/a",
    "ratio ≥ 1",
    yesNo(sgdMet),
  ],
]));
console.log();

for (const [name, b] of [["figure2_map", npMap], ["sgd_monte_carlo", npSgd]] as const) {
  if (!b.ok) {
    console.log(`${name}: NumPy baseline unavailable: ${b.reason}`);
    continue;
  }
  const variants = Object.entries(b.result.variants).map(([k, v]) => `${k} ${fmt(v)} s`).join("; ");
  console.log(`${name}: NumPy ${b.result.numpy} baseline = "${b.result.method}" (variants: ${variants})`);
}

// Same computation on both sides?
const dm = figure2Check(denoMap.result);
console.log(
  `figure2_map check: Deno Σm = ${dm.m_sum.toFixed(6)}, ${dm.m_neg_inf} cell(s) at -∞, stable fraction ${
    dm.stable.toFixed(6)
  }` +
    (npMap.ok
      ? `; NumPy Σm = ${npMap.result.check.m_sum.toFixed(6)}, ${npMap.result.check.m_neg_inf} at -∞, stable ${
        npMap.result.check.stable.toFixed(6)
      }`
      : ""),
);
const ds = sgdCheck(denoSgd.result);
const se = ds.std_log_v / Math.sqrt(sgdSettings.trajectories);
console.log(
  `sgd_monte_carlo check: final log|v| mean ${ds.mean_log_v.toFixed(1)} ± ${se.toFixed(1)} (Deno)` +
    (npSgd.ok ? `, ${npSgd.result.check.mean_log_v.toFixed(1)} (NumPy)` : "") +
    `; expected steps·m = ${ds.expected_mean.toFixed(1)}`,
);

if (strict && !(mapMet && sgdMet === true)) Deno.exit(1);

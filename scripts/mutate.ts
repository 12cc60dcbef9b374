/**
 * `deno task mutate`: a small mutation harness. Each mutant below is one realistic single-line bug in lib/ (a source
 * snippet and its replacement). The harness copies the repository's code and tests (lib/, mod.ts, test/, experiments/,
 * deno.json, deno.lock; not figures/ or notebooks/) to a temporary folder once, then for each mutant writes the mutated
 * file, runs the unit-test files that cover it (`deno test --no-check`, with a time limit), restores the file, and
 * reports the mutant killed (a test failed) or survived. Each snippet must occur exactly once in its file: the
 * harness fails loudly otherwise, so the list stays valid as the code changes.
 *
 *     deno task mutate               # every mutant
 *     deno task mutate hill windows  # only the mutants whose id contains one of these words
 *
 * @module
 */

interface Mutant {
  id: string;
  file: string;
  from: string;
  to: string;
  tests: string[];
}

const EXACT = "test/exact_cases_test.ts";
const STAB = [EXACT, "test/linear_stability_test.ts", "test/lyapunov_exponent_test.ts"];
const LYAP = [EXACT, "test/lyapunov_spectrum_test.ts"];
const RANK = [EXACT, "test/numerical_rank_test.ts"];

export const MUTANTS: Mutant[] = [
  // The four the issue found surviving.
  {
    id: "windows-upper-wrong-bracket",
    file: "lib/stability/stability_windows.ts",
    from: "pieces.push([bisect((l) => m(l) >= 0, peak, hi)[1], hi])",
    to: "pieces.push([bisect((l) => m(l) >= 0, lo, peak)[1], hi])",
    tests: STAB,
  },
  {
    id: "hill-threshold-off-by-one",
    file: "lib/lyapunov/heavy_tails.ts",
    from: "const threshold = abs[kk];",
    to: "const threshold = abs[kk + 1];",
    tests: LYAP,
  },
  {
    id: "distance-variance-over-K",
    file: "lib/lyapunov/trajectory_exponents.ts",
    from: "variance[j] = ss / (trajectories - 1);",
    to: "variance[j] = ss / trajectories;",
    tests: LYAP,
  },
  {
    id: "rank-absolute-tolerance",
    file: "lib/networks/numerical_rank.ts",
    from: "if (s[i] > relativeTolerance * s[0]) n++;",
    to: "if (s[i] > relativeTolerance) n++;",
    tests: RANK,
  },
  // Stability windows.
  {
    id: "windows-upper-whole-interval",
    file: "lib/stability/stability_windows.ts",
    from: "pieces.push([bisect((l) => m(l) >= 0, peak, hi)[1], hi])",
    to: "pieces.push([bisect((l) => m(l) >= 0, lo, hi)[1], hi])",
    tests: STAB,
  },
  {
    id: "windows-upper-last-unstable",
    file: "lib/stability/stability_windows.ts",
    from: "pieces.push([bisect((l) => m(l) >= 0, peak, hi)[1], hi])",
    to: "pieces.push([bisect((l) => m(l) >= 0, peak, hi)[0], hi])",
    tests: STAB,
  },
  {
    id: "windows-lower-first-unstable",
    file: "lib/stability/stability_windows.ts",
    from: "pieces.push([lo, bisect((l) => m(l) < 0, lo, peak)[0]])",
    to: "pieces.push([lo, bisect((l) => m(l) < 0, lo, peak)[1]])",
    tests: STAB,
  },
  {
    id: "windows-derivative-sign",
    file: "lib/stability/stability_windows.ts",
    from: "s -= data[i] / (1 - l * data[i]);",
    to: "s += data[i] / (1 - l * data[i]);",
    tests: STAB,
  },
  {
    id: "windows-merge-strict",
    file: "lib/stability/stability_windows.ts",
    from: "if (last && last[1] >= a)",
    to: "if (last && last[1] > a)",
    tests: STAB,
  },
  {
    id: "windows-bisect-flipped",
    file: "lib/stability/stability_windows.ts",
    from: "if (pred(mid)) lo = mid;",
    to: "if (!pred(mid)) lo = mid;",
    tests: STAB,
  },
  // The exponent and the thresholds.
  {
    id: "logabs-sign",
    file: "lib/core/log_abs_sum.ts",
    from: "const f = Math.abs(1 - lambda * h[i]);",
    to: "const f = Math.abs(1 + lambda * h[i]);",
    tests: STAB,
  },
  {
    id: "logabs-zero-factor",
    file: "lib/core/log_abs_sum.ts",
    from: "if (f === 0) return -Infinity;",
    to: "if (f === 0) return 0;",
    tests: STAB,
  },
  {
    id: "lyapunov-mean-over-n-1",
    file: "lib/stability/lyapunov_exponent.ts",
    from: "return logAbsOneMinusSum(values, l) / values.length;",
    to: "return logAbsOneMinusSum(values, l) / (values.length - 1);",
    tests: STAB,
  },
  {
    id: "moments-h2-over-n-1",
    file: "lib/core/moments.ts",
    from: "h2: s4 / x.length",
    to: "h2: s4 / (x.length - 1)",
    tests: STAB,
  },
  {
    id: "lambdaGD-factor",
    file: "lib/stability/linear_stability.ts",
    from: "return h === 0 ? Infinity : 2 / h;",
    to: "return h === 0 ? Infinity : 1 / h;",
    tests: STAB,
  },
  {
    id: "meanSquare-sign",
    file: "lib/stability/linear_stability.ts",
    from: "return 1 - 2 * l * h + l * l * (h2 / s + (1 - 1 / s) * h * h);",
    to: "return 1 - 2 * l * h + l * l * (h2 / s + (1 + 1 / s) * h * h);",
    tests: STAB,
  },
  {
    id: "lambdaDS-missing-1/S",
    file: "lib/stability/linear_stability.ts",
    from: "return (2 * h) / (h2 / s + (1 - 1 / s) * h * h);",
    to: "return (2 * h) / (h2 + (1 - 1 / s) * h * h);",
    tests: STAB,
  },
  {
    id: "lambdaSS-sign",
    file: "lib/stability/linear_stability.ts",
    from: "(2 / h) / (1 + 1 / s)",
    to: "(2 / h) / (1 + 1 / (s + 1))",
    tests: STAB,
  },
  {
    id: "critical-rates-abs",
    file: "lib/stability/critical_learning_rates.ts",
    from: "rates.add(1 / (data[i] * data[i]))",
    to: "rates.add(1 / Math.abs(data[i]))",
    tests: STAB,
  },
  {
    id: "countBatches-off-by-one",
    file: "lib/core/batch_distribution.ts",
    from: "c = (c * (d - 1 + k)) / k;",
    to: "c = (c * (d + k)) / k;",
    tests: STAB,
  },
  {
    id: "minibatch-mc-mean-over-n",
    file: "lib/stability/minibatch_lyapunov_exponent.ts",
    from: "Math.log(Math.abs(1 - (l * sum) / s))",
    to: "Math.log(Math.abs(1 - (l * sum) / n))",
    tests: STAB,
  },
  {
    id: "minibatch-mc-se-over-n",
    file: "lib/stability/minibatch_lyapunov_exponent.ts",
    from: "Math.sqrt(m2 / (samples - 1) / samples)",
    to: "Math.sqrt(m2 / samples / samples)",
    tests: STAB,
  },
  // Grids.
  {
    id: "linspace-over-count",
    file: "lib/core/grid.ts",
    from: "a + ((b - a) * i) / (count - 1)",
    to: "a + ((b - a) * i) / count",
    tests: [EXACT],
  },
  {
    id: "geomspace-over-count",
    file: "lib/core/grid.ts",
    from: "Math.exp(la + ((lb - la) * i) / (count - 1))",
    to: "Math.exp(la + ((lb - la) * i) / count)",
    tests: [EXACT],
  },
  // Heavy tails and trajectory statistics.
  {
    id: "hill-sum-skips-first",
    file: "lib/lyapunov/heavy_tails.ts",
    from: "for (let i = 0; i < kk; i++) s += Math.log(abs[i] / threshold);",
    to: "for (let i = 1; i < kk; i++) s += Math.log(abs[i] / threshold);",
    tests: LYAP,
  },
  {
    id: "hill-se-sqrt-k-1",
    file: "lib/lyapunov/heavy_tails.ts",
    from: "standardError: tailIndex / Math.sqrt(kk)",
    to: "standardError: tailIndex / Math.sqrt(kk - 1)",
    tests: LYAP,
  },
  {
    id: "kesten-wrong-bracket",
    file: "lib/lyapunov/heavy_tails.ts",
    from: "if (f(mid) <= 0) lo = mid;",
    to: "if (f(mid) > 0) lo = mid;",
    tests: LYAP,
  },
  {
    id: "kesten-drift-unweighted",
    file: "lib/lyapunov/heavy_tails.ts",
    from: "drift += weights[i] * logs[i];",
    to: "drift += logs[i] / logs.length;",
    tests: LYAP,
  },
  {
    id: "topShare-strict",
    file: "lib/lyapunov/trajectory_exponents.ts",
    from: "if (i >= sorted.length - k) top += sorted[i];",
    to: "if (i > sorted.length - k) top += sorted[i];",
    tests: LYAP,
  },
  {
    id: "topShare-floor",
    file: "lib/lyapunov/trajectory_exponents.ts",
    from: "const k = Math.ceil(q * sorted.length);",
    to: "const k = Math.floor(q * sorted.length);",
    tests: LYAP,
  },
  {
    id: "distance-not-squared",
    file: "lib/lyapunov/trajectory_exponents.ts",
    from: "Float64Array.from(run.values, (v) => 2 * v)",
    to: "Float64Array.from(run.values, (v) => v)",
    tests: LYAP,
  },
  {
    id: "stderr-over-K-1",
    file: "lib/lyapunov/trajectory_exponents.ts",
    from: "standardError[j] = Math.sqrt(variance[j] / trajectories);",
    to: "standardError[j] = Math.sqrt(variance[j] / (trajectories - 1));",
    tests: LYAP,
  },
  {
    id: "exponent-absolute-time",
    file: "lib/lyapunov/trajectory_exponents.ts",
    from: "const t = times[j] - times[0];",
    to: "const t = times[j];",
    tests: LYAP,
  },
  {
    id: "varianceOverT2-over-t",
    file: "lib/lyapunov/trajectory_exponents.ts",
    from: "variance[j] / (t * t)",
    to: "variance[j] / t",
    tests: LYAP,
  },
  {
    id: "loss-minimizer-inverted",
    file: "lib/lyapunov/trajectory_exponents.ts",
    from: "const wMin = A === 0 ? 0 : B / A;",
    to: "const wMin = A === 0 ? 0 : A / B;",
    tests: LYAP,
  },
  // Ranks.
  {
    id: "effective-rank-entropy-sign",
    file: "lib/networks/numerical_rank.ts",
    from: "if (p > 0) h -= p * Math.log(p);",
    to: "if (p > 0) h += p * Math.log(p);",
    tests: RANK,
  },
  {
    id: "rank-non-strict",
    file: "lib/networks/numerical_rank.ts",
    from: "if (s[i] > relativeTolerance * s[0]) n++;",
    to: "if (s[i] >= relativeTolerance * s[0]) n++;",
    tests: RANK,
  },
];

const ROOT = new URL("..", import.meta.url).pathname;
const COPY = ["lib", "mod.ts", "test", "experiments", "deno.json", "deno.lock"];
const TIME_LIMIT_MS = 30_000;

async function copy(from: string, to: string): Promise<void> {
  const info = await Deno.stat(from);
  if (info.isDirectory) {
    await Deno.mkdir(to, { recursive: true });
    for await (const e of Deno.readDir(from)) await copy(`${from}/${e.name}`, `${to}/${e.name}`);
  } else await Deno.copyFile(from, to);
}

function countOccurrences(text: string, snippet: string): number {
  let n = 0;
  for (let i = text.indexOf(snippet); i !== -1; i = text.indexOf(snippet, i + 1)) n++;
  return n;
}

async function runTests(dir: string, tests: string[]): Promise<{ passed: boolean; timedOut: boolean }> {
  const child = new Deno.Command("deno", {
    args: ["test", "--no-check", "--allow-read", "--allow-env", "--allow-run=deno", "--allow-net=127.0.0.1", ...tests],
    cwd: dir,
    stdout: "null",
    stderr: "null",
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, TIME_LIMIT_MS);
  const status = await child.status;
  clearTimeout(timer);
  return { passed: status.success, timedOut };
}

if (import.meta.main) {
  const filters = Deno.args;
  const chosen = MUTANTS.filter((m) => filters.length === 0 || filters.some((f) => m.id.includes(f)));
  // Every snippet must match exactly once, checked up front for the whole list.
  const problems: string[] = [];
  for (const m of MUTANTS) {
    const n = countOccurrences(await Deno.readTextFile(`${ROOT}${m.file}`), m.from);
    if (n !== 1) problems.push(`${m.id}: the snippet occurs ${n} times in ${m.file}: ${JSON.stringify(m.from)}`);
  }
  if (new Set(MUTANTS.map((m) => m.id)).size !== MUTANTS.length) problems.push("duplicate mutant ids");
  if (problems.length > 0) {
    console.error(`mutate: the mutant list is out of date:\n  ${problems.join("\n  ")}`);
    Deno.exit(2);
  }
  const dir = await Deno.makeTempDir({ prefix: "mutate-" });
  try {
    for (const p of COPY) await copy(`${ROOT}${p}`, `${dir}/${p}`);
    // The unmutated copy must pass the tests the mutants use.
    const baseline = await runTests(dir, [...new Set(chosen.flatMap((m) => m.tests))]);
    if (!baseline.passed) {
      console.error("mutate: the unmutated tests fail (or time out); fix them first");
      Deno.exit(2);
    }
    const rows: string[] = [];
    let killed = 0;
    const started = performance.now();
    for (const m of chosen) {
      const path = `${dir}/${m.file}`;
      const original = await Deno.readTextFile(path);
      await Deno.writeTextFile(path, original.replace(m.from, m.to));
      const t0 = performance.now();
      const r = await runTests(dir, m.tests);
      await Deno.writeTextFile(path, original);
      const verdict = r.passed ? "SURVIVED" : r.timedOut ? "killed (timeout)" : "killed";
      if (!r.passed) killed++;
      const line = `${verdict.padEnd(16)} ${m.id.padEnd(30)} ${m.file} (${
        ((performance.now() - t0) / 1000).toFixed(1)
      } s)`;
      rows.push(line);
      console.log(line);
    }
    const pct = (100 * killed) / chosen.length;
    console.log(
      `\n${killed} of ${chosen.length} mutants killed (${pct.toFixed(0)} %) in ${
        ((performance.now() - started) / 1000).toFixed(0)
      } s`,
    );
    const survivors = rows.filter((r) => r.startsWith("SURVIVED"));
    if (survivors.length > 0) console.log(`survivors:\n${survivors.join("\n")}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

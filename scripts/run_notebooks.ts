/**
 * Executes every notebook (or the ones named) in real Jupyter with the Deno kernel (nbclient, through
 * `scripts/execute_notebook.py`), failing on any cell error (an unhandled promise rejection or an error thrown in a
 * timer included), on a cell left unexecuted, on a code cell that has lost the output it has in the committed notebook,
 * and on a notebook that runs over twice its time budget (`metadata.toolkit.budget_seconds`, default `--budget`; above
 * the budget it warns). By default the executed copies go to a temporary folder and the committed notebooks are left
 * untouched (the test); with `--in-place` the committed notebooks are replaced by their executed versions (to refresh
 * their outputs before a commit).
 *
 * Also, outside `--in-place`:
 * - **Stale outputs.** Every code cell's committed outputs must equal the fresh run's, apart from declared volatile
 *   parts: a cell with `metadata.toolkit.volatile: true` is not compared; progress displays (`display_data` whose HTML
 *   holds a `<progress>` bar, from `jupyterProgress`) are dropped on both sides; in text, durations (`12.3 s`, `850 ms`,
 *   `~2 min left`, `1.5 minutes`) are replaced by `<time>` ({@link VOLATILE}). Anything else that differs (a number,
 *   a figure's SVG, an output that moved to another cell) fails the run with the first difference. A cell that the
 *   committed notebook never executed (no count, no output) is not compared.
 *   `--no-compare` skips this check (for notebooks edited since they were last executed).
 * - **Size.** An executed notebook over 1 MB fails (`metadata.toolkit.max_bytes` may raise this to at most 2 MB, for
 *   a notebook whose figures need the untrusted fallback), and so do all notebooks together over 8 MB (checked when
 *   every notebook runs).
 *
 * `--run-all` executes the way the classic frontend's Run All does: every cell's request is queued at once, and an
 * output whose parent message is not its own cell's (or that arrives after its cell's `idle`) fails the run, naming
 * the cell and what arrived (see `scripts/execute_notebook.py`).
 *
 *     deno task test:notebooks                # run all, fail on error
 *     deno task notebooks                     # run all in place
 *     deno task notebooks 03_convergence_in_probability.ipynb
 *     deno run -A scripts/run_notebooks.ts --run-all 13_low_rank_phase_diagrams.ipynb
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

const { values, positionals } = parseArgs({
  args: Deno.args,
  options: {
    "in-place": { type: "boolean", default: false },
    "run-all": { type: "boolean", default: false },
    "no-compare": { type: "boolean", default: false },
    "budget": { type: "string", default: "30" },
    "timeout": { type: "string", default: "600" },
    "dir": { type: "string" },
  },
  allowPositionals: true,
});

const dir = values.dir === undefined
  ? new URL("../notebooks/", import.meta.url)
  : new URL(`file://${await Deno.realPath(values.dir)}/`);
/** The notebooks of a folder, by name relative to `dir`. */
const notebooksIn = (folder: URL, prefix = "") => {
  try {
    return [...Deno.readDirSync(folder)]
      .filter((e) => e.isFile && e.name.endsWith(".ipynb"))
      .map((e) => prefix + e.name)
      .sort();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
};
// The notebooks, then the exercise solutions in solutions/ (issue 13: CI keeps them correct; a solution's check cells
// throw unless its checkAnswer passes). Name one as `solutions/NAME.ipynb` or `NAME.ipynb`.
const all = [...notebooksIn(dir), ...notebooksIn(new URL("solutions/", dir), "solutions/")];
const names = positionals.length
  ? positionals.map((p) => {
    const base = p.split("/").pop()!;
    return all.find((n) => n === base || n === `solutions/${base}`) ?? base;
  })
  : all;
const missing = names.filter((n) => !all.includes(n));
if (missing.length) {
  console.error(`No such notebook: ${missing.join(", ")}`);
  Deno.exit(2);
}

const budget = Number(values.budget);
if (!(budget > 0 && Number.isFinite(budget))) {
  console.error(`--budget must be a positive number of seconds; received ${values.budget}`);
  Deno.exit(2);
}

interface Output {
  output_type: string;
  ename?: string;
  evalue?: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}
interface Cell {
  cell_type: string;
  execution_count?: number | null;
  outputs?: Output[];
  metadata?: { toolkit?: { volatile?: boolean } };
}
interface Notebook {
  cells: Cell[];
}

/**
 * What is wrong with an executed notebook: error outputs, cells never executed, and code cells that had output in the
 * committed notebook but none now (a lost output, or a cell that stopped showing its result).
 */
function checkExecuted(committed: Notebook, executed: Notebook): string[] {
  const problems: string[] = [];
  executed.cells.forEach((cell, i) => {
    if (cell.cell_type !== "code") return;
    for (const o of cell.outputs ?? []) {
      if (o.output_type === "error") problems.push(`cell ${i}: ${o.ename}: ${o.evalue}`);
    }
    if (cell.execution_count == null) problems.push(`cell ${i} was not executed`);
    const before = committed.cells[i];
    if ((before?.outputs?.length ?? 0) > 0 && (cell.outputs?.length ?? 0) === 0) {
      problems.push(`cell ${i} had output in the committed notebook and has none now`);
    }
  });
  return problems;
}
/** Size limits: 1 MB a notebook (2 MB at most, by `metadata.toolkit.max_bytes`), 8 MB for all together. */
const MAX_BYTES = 1_000_000;
const MAX_BYTES_RAISED = 2_000_000;
const MAX_TOTAL_BYTES = 8_000_000;

/** Volatile text: durations, replaced by `<time>` before comparing committed and fresh outputs. */
const VOLATILE: RegExp[] = [
  /(?<![\w.])~?\d+(?:\.\d+)?(?:e[+-]?\d+)?\s*(?:ms|s|sec|seconds?|min|minutes?|h|hours?)(?![\w-])(?:\s+left)?/g,
];

function joinText(t: unknown): string {
  return Array.isArray(t) ? t.join("") : typeof t === "string" ? t : JSON.stringify(t ?? "");
}

/** Base64 SVG data URIs (figures shown with `show`) decoded, so that a difference reads as SVG. */
function decodeDataUris(text: string): string {
  return text.replace(/data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)/g, (_, b64: string) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    return `data:image/svg+xml,${new TextDecoder().decode(bytes)}`;
  });
}

/** Text with durations masked, outside figures only: a figure's SVG (a data URI) is compared as it is. */
function normalize(text: string): string {
  return text.split(/(data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+)/)
    .map((part, i) => i % 2 === 1 ? decodeDataUris(part) : VOLATILE.reduce((t, re) => t.replace(re, "<time>"), part))
    .join("");
}

/** A cell's outputs as comparable strings: progress displays dropped, streams joined per name, volatile text masked. */
function comparable(cell: Cell): string[] {
  const out: string[] = [];
  const streams = new Map<string, number>();
  for (const o of cell.outputs ?? []) {
    if (o.output_type === "stream") {
      const name = o.name ?? "stdout";
      const at = streams.get(name);
      const text = normalize(joinText(o.text));
      if (at === undefined) {
        streams.set(name, out.length);
        out.push(`stream ${name}: ${text}`);
      } else out[at] += text;
      continue;
    }
    const data = o.data ?? {};
    if (o.output_type === "display_data" && /<progress\b/.test(joinText(data["text/html"]))) continue;
    if (o.output_type === "error") {
      out.push(`error ${o.ename}: ${normalize(o.evalue ?? "")}`);
      continue;
    }
    const parts = Object.keys(data).sort().map((mime) => `${mime}: ${normalize(joinText(data[mime]))}`);
    out.push(`${o.output_type === "execute_result" ? "result" : "display"} ${parts.join("\n")}`);
  }
  return out;
}

/** The first difference between two strings, with some context. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 30);
  const clip = (s: string) => JSON.stringify(s.slice(from, i + 50));
  return `committed ${clip(a)} vs fresh ${clip(b)}`;
}

/**
 * Committed outputs that differ from the fresh run (apart from the declared volatile parts): one problem per cell,
 * naming the first difference.
 */
function compareOutputs(committed: Notebook, executed: Notebook): string[] {
  const problems: string[] = [];
  executed.cells.forEach((cell, i) => {
    if (cell.cell_type !== "code") return;
    const before = committed.cells[i];
    if (before === undefined || before.metadata?.toolkit?.volatile === true) return;
    // A cell never executed in the committed notebook has no output that could be stale.
    if (before.execution_count == null && (before.outputs?.length ?? 0) === 0) return;
    const a = comparable(before);
    const b = comparable(cell);
    if (a.length !== b.length) {
      problems.push(
        `cell ${i}: the committed notebook has ${a.length} output(s), a fresh run ${b.length} (stale outputs: ` +
          `re-execute the notebook, or declare the cell volatile)`,
      );
      return;
    }
    const k = a.findIndex((x, j) => x !== b[j]);
    if (k >= 0) {
      problems.push(`cell ${i}: output ${k} differs from a fresh run (stale): ${firstDifference(a[k], b[k])}`);
    }
  });
  return problems;
}

const tempDir = values["in-place"] ? undefined : Deno.makeTempDirSync({ prefix: "notebooks-" });
if (tempDir !== undefined) Deno.mkdirSync(`${tempDir}/solutions`);
const outDir = tempDir ?? fileURLToPath(dir);
const rows: Array<{ name: string; seconds: number; ok: boolean }> = [];
let totalBytes = 0;
for (const [i, name] of names.entries()) {
  const notebook = JSON.parse(Deno.readTextFileSync(new URL(name, dir)));
  if (notebook?.metadata?.kernelspec?.name !== "deno") {
    console.error(`${name}: the kernelspec is not "deno"`);
    rows.push({ name, seconds: 0, ok: false });
    continue;
  }
  // A notebook may state its own time budget in metadata.toolkit.budget_seconds.
  const limit = Number(notebook?.metadata?.toolkit?.budget_seconds ?? budget);
  console.error(`[${i + 1}/${names.length}] ${name} …`);
  const start = performance.now();
  const { code, stderr } = await new Deno.Command("/usr/bin/python3", {
    args: [
      fileURLToPath(new URL("./execute_notebook.py", import.meta.url)),
      fileURLToPath(new URL(name, dir)),
      `${outDir}/${name}`,
      String(values.timeout),
      ...(values["run-all"] ? ["--run-all"] : []),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - start) / 1000;
  let ok = code === 0;
  const log = new TextDecoder().decode(stderr);
  if (ok) {
    const text = Deno.readTextFileSync(`${outDir}/${name}`);
    const executed = JSON.parse(text);
    const problems = checkExecuted(notebook, executed);
    if (!values["in-place"] && !values["no-compare"]) problems.push(...compareOutputs(notebook, executed));
    const bytes = new TextEncoder().encode(text).length;
    totalBytes += bytes;
    const declared = Number(notebook?.metadata?.toolkit?.max_bytes ?? MAX_BYTES);
    const sizeLimit = Math.min(MAX_BYTES_RAISED, Number.isFinite(declared) ? declared : MAX_BYTES);
    if (bytes > sizeLimit) {
      problems.push(`the executed notebook is ${(bytes / 1e6).toFixed(2)} MB, over its ${sizeLimit / 1e6} MB limit`);
    }
    if (problems.length) {
      ok = false;
      console.error(problems.map((p) => `    ${name}: ${p}`).join("\n"));
    }
  } else {
    console.error(log.split("\n").slice(-40).join("\n"));
  }
  let note = "";
  if (seconds > 2 * limit) {
    ok = false;
    note = ` (over twice its ${limit} s budget: failed)`;
  } else if (seconds > limit) note = ` (warning: over its ${limit} s budget)`;
  rows.push({ name, seconds, ok });
  console.error(`    ${ok ? "ok" : "FAILED"} in ${seconds.toFixed(1)} s${note}`);
}
if (tempDir !== undefined) Deno.removeSync(tempDir, { recursive: true });
if (names.length === all.length && totalBytes > MAX_TOTAL_BYTES) {
  console.error(`All notebooks together are ${(totalBytes / 1e6).toFixed(2)} MB, over ${MAX_TOTAL_BYTES / 1e6} MB`);
  rows.push({ name: "(all notebooks: size)", seconds: 0, ok: false });
}

console.log("\nnotebook | seconds | result");
for (const r of rows) console.log(`${r.name} | ${r.seconds.toFixed(1)} | ${r.ok ? "ok" : "FAILED"}`);
if (rows.some((r) => !r.ok)) Deno.exit(1);

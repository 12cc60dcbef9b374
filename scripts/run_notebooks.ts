/**
 * Executes every notebook (or the ones named) in real Jupyter with the Deno kernel (nbclient, through
 * `scripts/execute_notebook.py`), failing on any cell error (an unhandled promise rejection or an error thrown in a
 * timer included), on a cell left unexecuted, on a code cell that has lost the output it has in the committed notebook,
 * and on a notebook that runs over twice its time budget (`metadata.toolkit.budget_seconds`, default `--budget`; above
 * the budget it warns). By default the executed copies go to a temporary folder and the committed notebooks are left
 * untouched (the test); with `--in-place` the committed notebooks are replaced by their executed versions (to refresh
 * their outputs before a commit).
 *
 *     deno task test:notebooks                # run all, fail on error
 *     deno task notebooks                     # run all in place
 *     deno task notebooks 03_convergence_in_probability.ipynb
 *
 * @module
 */

import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  args: Deno.args,
  options: {
    "in-place": { type: "boolean", default: false },
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

interface Cell {
  cell_type: string;
  execution_count?: number | null;
  outputs?: Array<{ output_type: string; ename?: string; evalue?: string }>;
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
const tempDir = values["in-place"] ? undefined : Deno.makeTempDirSync({ prefix: "notebooks-" });
if (tempDir !== undefined) Deno.mkdirSync(`${tempDir}/solutions`);
const outDir = tempDir ?? dir.pathname;
const rows: Array<{ name: string; seconds: number; ok: boolean }> = [];
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
      new URL("./execute_notebook.py", import.meta.url).pathname,
      new URL(name, dir).pathname,
      `${outDir}/${name}`,
      String(values.timeout),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - start) / 1000;
  let ok = code === 0;
  const log = new TextDecoder().decode(stderr);
  if (ok) {
    const executed = JSON.parse(Deno.readTextFileSync(`${outDir}/${name}`));
    const problems = checkExecuted(notebook, executed);
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

console.log("\nnotebook | seconds | result");
for (const r of rows) console.log(`${r.name} | ${r.seconds.toFixed(1)} | ${r.ok ? "ok" : "FAILED"}`);
if (rows.some((r) => !r.ok)) Deno.exit(1);

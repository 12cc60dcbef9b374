/**
 * The notebook runner's failure cases, on small notebooks written to a temporary folder: an unhandled promise
 * rejection, an error thrown in a timer, a notebook over twice its time budget, a cell error, a lost output, a stale
 * committed output, a notebook over its size limit — each must fail the run — and a clean notebook, a re-run whose
 * outputs differ only in declared volatile parts, and a clean notebook in Run All mode must pass. The Run All
 * placement check is fed recorded message sequences (a late result, a result addressed to the next cell). The runner
 * must leave no temporary folder behind.
 *
 * Needs Jupyter with the Deno kernel (run by `deno task test:notebooks`, not by `deno task test:unit`).
 */
import assert from "node:assert/strict";

const runner = new URL("./run_notebooks.ts", import.meta.url).pathname;

function notebook(sources: string[], options: { budget?: number; outputs?: boolean } = {}): string {
  return JSON.stringify({
    cells: sources.map((source) => ({
      cell_type: "code",
      execution_count: null,
      metadata: {},
      outputs: options.outputs ? [{ output_type: "stream", name: "stdout", text: ["x\n"] }] : [],
      source,
    })),
    metadata: {
      kernelspec: { name: "deno", display_name: "Deno", language: "typescript" },
      ...(options.budget === undefined ? {} : { toolkit: { budget_seconds: options.budget } }),
    },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

interface CellSpec {
  source: string;
  outputs?: unknown[];
  metadata?: Record<string, unknown>;
}

/** A notebook whose cells carry the given committed outputs (executed, with counts). */
function executed(cells: CellSpec[]): string {
  return JSON.stringify({
    cells: cells.map((c, i) => ({
      cell_type: "code",
      execution_count: i + 1,
      metadata: c.metadata ?? {},
      outputs: c.outputs ?? [],
      source: c.source,
    })),
    metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

const stdout = (text: string) => ({ output_type: "stream", name: "stdout", text: [text] });

async function run(name: string, text: string, flags: string[] = []): Promise<{ code: number; output: string }> {
  const dir = await Deno.makeTempDir({ prefix: "runner-test-" });
  try {
    await Deno.writeTextFile(`${dir}/${name}`, text);
    const tmp = await Deno.makeTempDir({ prefix: "runner-tmp-" });
    const before = [...Deno.readDirSync(tmp)].length;
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-write",
        "--allow-run",
        "--allow-env",
        runner,
        ...flags,
        "--dir",
        dir,
        name,
      ],
      env: { TMPDIR: tmp },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const left = [...Deno.readDirSync(tmp)].length - before;
    await Deno.remove(tmp, { recursive: true });
    assert.equal(left, 0, `the runner left ${left} temporary folder(s) behind`);
    const decoder = new TextDecoder();
    return { code, output: decoder.decode(stdout) + decoder.decode(stderr) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("notebook runner: a clean notebook passes", async () => {
  const { code, output } = await run("clean.ipynb", notebook(["1 + 1", "console.log('x')"]));
  assert.equal(code, 0, output);
});

Deno.test("notebook runner: an unhandled promise rejection fails the notebook and names the cell", async () => {
  const { code, output } = await run("rejection.ipynb", notebook(['Promise.reject(new Error("late")); 1', "2"]));
  assert.equal(code, 1, output);
  assert.match(output, /cell 0: unhandled promise rejection: Error: late/);
});

Deno.test("notebook runner: an error thrown in a timer fails the notebook", async () => {
  const { code, output } = await run(
    "timer.ipynb",
    notebook([
      'setTimeout(() => { throw new Error("in a timer"); }, 5); 1',
      "await new Promise((r) => setTimeout(r, 50))",
    ]),
  );
  assert.equal(code, 1, output);
  assert.match(output, /error thrown outside the cell \(timer or callback\): Error: in a timer/);
});

Deno.test("notebook runner: a cell error fails the notebook", async () => {
  const { code, output } = await run("error.ipynb", notebook(['throw new RangeError("bad")']));
  assert.equal(code, 1, output);
  assert.match(output, /RangeError/);
});

Deno.test("notebook runner: over twice the budget fails, over the budget warns", async () => {
  const slow = notebook(["await new Promise((r) => setTimeout(r, 1500))"], { budget: 0.1 });
  const failed = await run("slow.ipynb", slow);
  assert.equal(failed.code, 1, failed.output);
  assert.match(failed.output, /over twice its 0.1 s budget: failed/);
});

Deno.test("notebook runner: a cell that loses its committed output fails", async () => {
  const { code, output } = await run("lost.ipynb", notebook(["const a = 1;"], { outputs: true }));
  assert.equal(code, 1, output);
  assert.match(output, /had output in the committed notebook and has none now/);
});

Deno.test("notebook runner: a committed output that differs from a fresh run (stale) fails and names the cell", async () => {
  const { code, output } = await run(
    "stale.ipynb",
    executed([{ source: "console.log('new')", outputs: [stdout("old\n")] }, { source: "1" }]),
  );
  assert.equal(code, 1, output);
  assert.match(output, /cell 0: output 0 differs from a fresh run \(stale\): committed .*old.* vs fresh .*new/);
});

Deno.test("notebook runner: timings and cells declared volatile may differ; progress displays are ignored", async () => {
  const { code, output } = await run(
    "volatile.ipynb",
    executed([
      {
        source: "const t0 = performance.now();\nconsole.log(`took ${(performance.now() - t0 + 1).toFixed(3)} s`)",
        outputs: [stdout("took 12.5 s\n")],
      },
      { source: "console.log(Math.random())", outputs: [stdout("0.5\n")], metadata: { toolkit: { volatile: true } } },
      {
        source: 'await Deno.jupyter.display({ "text/html": "<progress value=1 max=2></progress>" }, { raw: true });\n' +
          "console.log('x')",
        outputs: [stdout("x\n")],
      },
    ]),
  );
  assert.equal(code, 0, output);
});

Deno.test("notebook runner: an executed notebook over 1 MB fails", async () => {
  const { code, output } = await run("big.ipynb", notebook(['console.log("x".repeat(1_100_000))']));
  assert.equal(code, 1, output);
  assert.match(output, /the executed notebook is 1\.\d\d MB, over its 1 MB limit/);
});

Deno.test("notebook runner --run-all: a clean notebook passes with every output under its cell", async () => {
  const { code, output } = await run(
    "runall.ipynb",
    notebook([
      "console.log('a')",
      `import { show } from ${JSON.stringify(new URL("../mod.ts", import.meta.url).href)};\nawait show("b");`,
      "const s = (() => { let s = 0; for (let i = 0; i < 1e6; i++) s += i; return s; })();",
      "console.log('c')",
    ]),
    ["--run-all"],
  );
  assert.equal(code, 0, output);
});

Deno.test("Run All placement check: a late result and a result addressed to the next cell are reported", async () => {
  // Message sequences as the Deno kernel sent them with Run All (recorded, shortened).
  const script = `
import sys
sys.path.insert(0, ${JSON.stringify(new URL(".", import.meta.url).pathname)})
from execute_notebook import Placement
def m(kind, parent, **content):
    return {"msg_type": kind, "parent_header": {"msg_id": parent}, "content": content}
def run(msgs):
    p = Placement(["a", "b"], {"a": 3, "b": 5})
    found = []
    for msg in msgs:
        found += p.feed(msg)
    return found
start = [m("status", "a", execution_state="busy"), m("execute_input", "a", execution_count=7)]
ok = run(start + [m("execute_result", "a", execution_count=7, data={"text/html": "<svg>"}),
                  m("status", "a", execution_state="idle"), m("status", "b", execution_state="busy"),
                  m("execute_input", "b", execution_count=8), m("status", "b", execution_state="idle")])
late = run(start + [m("status", "a", execution_state="idle"), m("status", "b", execution_state="busy"),
                    m("execute_result", "a", execution_count=7, data={"text/html": "<svg>"})])
moved = run(start + [m("status", "a", execution_state="idle"), m("status", "b", execution_state="busy"),
                     m("execute_input", "b", execution_count=8),
                     m("execute_result", "b", execution_count=7, data={"text/html": "<svg>"})])
p = Placement(["a", "b"], {"a": 3, "b": 5})
stream = [f for msg in start + [m("status", "a", execution_state="idle"), m("stream", "a", name="stdout", text="x")]
          for f in p.feed(msg)]
print(repr(ok)); print(late[0]); print(moved[0]); print(repr(stream)); print(p.warnings[0])
`;
  const { code, stdout, stderr } = await new Deno.Command("/usr/bin/python3", {
    args: ["-c", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(stdout);
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const [ok, late, moved, stream, warning] = text.trim().split("\n");
  assert.equal(ok, "[]");
  assert.match(
    late,
    /^cell 3 \(In\[7\]\): execute_result Out\[7\] .* arrived after the cell's idle \(late, the next cell had started\)/,
  );
  assert.match(moved, /^cell 5 \(In\[8\]\): received the execute_result of In\[7\] .*it belongs to another cell/);
  // A console.log line that trails its own cell's idle (the kernel forwards stdout asynchronously) is a warning.
  assert.equal(stream, "[]");
  assert.match(warning, /^cell 3 \(In\[7\]\): stream .* arrived after the cell's idle \(late\)/);
});

/**
 * The notebook runner's failure cases, on small notebooks written to a temporary folder: an unhandled promise
 * rejection, an error thrown in a timer, a notebook over twice its time budget, a cell error, a lost output — each must
 * fail the run — and a clean notebook must pass. The runner must leave no temporary folder behind.
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

async function run(name: string, text: string): Promise<{ code: number; output: string }> {
  const dir = await Deno.makeTempDir({ prefix: "runner-test-" });
  try {
    await Deno.writeTextFile(`${dir}/${name}`, text);
    const tmp = await Deno.makeTempDir({ prefix: "runner-tmp-" });
    const before = [...Deno.readDirSync(tmp)].length;
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "--allow-write", "--allow-run", "--allow-env", runner, "--dir", dir, name],
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

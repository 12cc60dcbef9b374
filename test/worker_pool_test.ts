// The worker pool (lib/runtime/worker_pool.ts): results by index whatever the number of workers or the completion
// order, the first error rejects the call and stops the workers, the caps on the number of workers, and one clear error
// when a worker lacks a permission.
import assert from "node:assert/strict";
import { maxWorkers, runTasks, workerCount, type WorkerTask } from "../lib/runtime/worker_pool.ts";
import { assertInvalid, assertRejectsInvalid } from "./assert_invalid.ts";

const MODULE = new URL("./worker_pool_tasks.ts", import.meta.url).href;
const task = (name: string, ...args: unknown[]): WorkerTask => ({ module: MODULE, name, args });

Deno.test("runTasks returns results by task index for 1, 2 and 3 workers, whatever the completion order", async () => {
  // The first task is slow, so with 2 or more workers it finishes after later ones.
  const tasks = Array.from({ length: 9 }, (_, i) => task("square", i, i === 0 ? 300 : 0));
  const expected = Array.from({ length: 9 }, (_, i) => i * i);
  for (const workers of [1, 2, 3]) {
    const order: number[] = [];
    const results = await runTasks("test", tasks, { workers, onResult: (i) => void order.push(i) });
    assert.deepEqual(results, expected, `${workers} workers`);
    assert.deepEqual(order.toSorted((a, b) => a - b), expected.map((_, i) => i), "onResult once per task");
    if (workers > 1) assert.notDeepEqual(order, expected.map((_, i) => i), "completion order differs");
  }
  assert.deepEqual(await runTasks("test", [task("later", 1), task("later", 2)], { workers: 2 }), [2, 3], "async");
  assert.deepEqual(await runTasks("test", []), [], "no task, no worker");
});

Deno.test("runTasks: an error in one task rejects the call with its class and stops every worker", async () => {
  const seen: number[] = [];
  const started = performance.now();
  await assertRejectsInvalid(
    "one failing task",
    () =>
      runTasks("test", [task("hang"), task("fail", 7), task("square", 2), task("square", 3)], {
        workers: 2,
        onResult: (i) => void seen.push(i),
      }),
    RangeError,
    ["fail", "7"],
  );
  // The hanging task's worker was terminated (the test's sanitizers would report a leaked worker otherwise), and the
  // tasks after the failure never ran.
  assert.deepEqual(seen, []);
  assert.ok(performance.now() - started < 5000);
  // A TypeError stays a TypeError; a missing export is a TypeError naming the function and the export.
  await assertRejectsInvalid("missing export", () => runTasks("myFunction", [task("nope")]), TypeError, [
    "myFunction",
    '"nope"',
  ]);
  // An error thrown by onResult rejects the call too.
  await assert.rejects(
    () =>
      runTasks("test", [task("square", 1), task("square", 2)], {
        workers: 1,
        onResult: () => {
          throw new Error("stop");
        },
      }),
    /stop/,
  );
  // A module that does not exist: one Error naming the function and the module.
  await assert.rejects(
    () =>
      runTasks("myFunction", [{ module: new URL("./no_such_module.ts", import.meta.url).href, name: "f", args: [] }]),
    (e: Error) => /myFunction/.test(e.message) && /no_such_module\.ts/.test(e.message),
  );
});

Deno.test("runTasks starts at most min(workers, tasks, 4 × cores) workers", async () => {
  const ids = async (n: number, workers: number) =>
    new Set(await runTasks("test", Array.from({ length: n }, () => task("workerId", 30)), { workers })).size;
  assert.equal(await ids(2, 5), 2, "capped at the number of tasks");
  assert.equal(await ids(6, 3), 3, "3 workers for 6 tasks of 30 ms");
  assert.equal(await ids(1, 400), 1, "workers: 400 with one task starts one worker");
  assert.equal(maxWorkers(), 4 * navigator.hardwareConcurrency);
  assert.equal(workerCount("f", 400), Math.min(400, maxWorkers()));
  assert.equal(workerCount("f", undefined), navigator.hardwareConcurrency);
  assertInvalid("0", () => workerCount("f", 0), RangeError, ["f", "options.workers", "0"]);
  assertInvalid("1.5", () => workerCount("f", 1.5), RangeError, ["options.workers", "1.5"]);
  assertInvalid("NaN", () => workerCount("f", NaN), RangeError, ["options.workers", "NaN"]);
  assertInvalid('"2"', () => workerCount("f", "2"), TypeError, ["options.workers", '"2"']);
});

Deno.test("without --allow-read the worker functions reject with one NotCapable naming themselves and the flag", async () => {
  const script = new URL("./worker_pool_no_read.ts", import.meta.url).pathname;
  const out = await new Deno.Command("deno", {
    args: ["run", "--no-prompt", "--no-config", "--quiet", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout), stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  assert.doesNotMatch(stderr, /Uncaught/, "no worker noise on stderr");
  assert.equal(stderr.trim(), "", "nothing on stderr");
  const lines = stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.name), ["phaseDiagramInWorkers", "simulateSaddleInWorkers", "runSweep"]);
  for (const l of lines) {
    assert.equal(l.error, "NotCapable", JSON.stringify(l));
    assert.ok(l.message.startsWith(`${l.name} could not start its Web Workers`), l.message);
    assert.match(l.message, /--allow-read/);
  }
});

Deno.test("a task lacking a permission while computing rejects with one NotCapable naming the function and flag", async () => {
  const dir = new URL(".", import.meta.url).pathname;
  const out = await new Deno.Command("deno", {
    args: [
      "run",
      "--no-prompt",
      "--no-config",
      "--quiet",
      `--allow-read=${dir}worker_pool_tasks.ts`,
      `${dir}worker_pool_no_read.ts`,
      "compute",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  assert.equal(stderr.trim(), "", "nothing on stderr");
  const result = JSON.parse(new TextDecoder().decode(out.stdout).trim());
  assert.equal(result.error, "NotCapable", JSON.stringify(result));
  assert.match(
    result.message,
    /^myFunction could not run readFile in a Web Worker: it needs read access\. Run deno with --allow-read\.$/,
  );
});

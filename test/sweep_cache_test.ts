// The sweep cache can be trusted (issue 11, item 4): every line is validated against its cell kind when read, a bad
// line is reported with its file and line number and its cell recomputed (never used), an incomplete last line is
// repaired before appending, stale records (older format or code version) are recomputed, two processes on one shard
// take turns, and `deno task sweep --verify` reports every bad line. Faults are injected into temporary copies of the
// committed cache, written by a subprocess with its own --allow-write (test/cache_files.ts).

import assert from "node:assert/strict";
import { runSweep, type SweepCell, sweepKey } from "../mod.ts";
import { checkCacheText, networkCells, readCache } from "../experiments/mod.ts";
import { parseSweepRecord, sweepRecord } from "../lib/sweep_kinds.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const COMMITTED = await Deno.readTextFile(new URL("../figures/sweeps/notebook.jsonl", import.meta.url));
const BY_KEY = new Map(COMMITTED.split("\n").filter((l) => l).map((l) => [JSON.parse(l).key as string, l]));
/** The first cells of the notebook grid and their committed cache lines. */
const CELLS = networkCells("notebook").slice(0, 9);
const LINES = CELLS.map((c) => BY_KEY.get(sweepKey(c))!);

/** A committed line with its record edited. */
function edit(line: string, change: (record: Record<string, unknown>) => void): string {
  const record = JSON.parse(line);
  change(record);
  return JSON.stringify(record);
}

async function files(input: Record<string, unknown>): Promise<string> {
  const child = new Deno.Command("deno", {
    args: ["run", "--allow-read", "--allow-write", `${ROOT}test/cache_files.ts`],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(input)));
  await writer.close();
  const { code, stdout } = await child.output();
  assert.equal(code, 0, "cache_files.ts");
  return new TextDecoder().decode(stdout).trim();
}

const remove = (dir: string) => files({ remove: dir });

/** Runs `reproduce/sweep.ts` on the notebook grid's first cells in a subprocess writing only to `out`. */
function sweep(out: string, ...args: string[]): Deno.ChildProcess {
  return new Deno.Command("deno", {
    args: [
      "run",
      "--allow-read",
      `--allow-write=${out}`,
      `${ROOT}reproduce/sweep.ts`,
      "--size",
      "notebook",
      "--workers",
      "1",
      "--out",
      out,
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
}

async function finish(child: Deno.ChildProcess): Promise<{ code: number; stderr: string; computed: number }> {
  const { code, stderr } = await child.output();
  const text = new TextDecoder().decode(stderr);
  const computed = Number(/(\d+) computed/.exec(text)?.[1] ?? NaN);
  return { code, stderr: text, computed };
}

/** The committed result of a cell, as stored. */
const committed = (c: SweepCell) => JSON.stringify(JSON.parse(BY_KEY.get(sweepKey(c))!).result);

// ----------------------------------------------------------------------------------------------- Validating one line

Deno.test("parseSweepRecord accepts the committed lines and refuses wrong values, keys and versions", () => {
  const good = LINES[0];
  assert.ok(parseSweepRecord(good).ok);
  const cases: Array<[string, string, RegExp, boolean?]> = [
    ["garbage", "}{ not json", /not JSON/],
    ["truncated", good.slice(0, 200), /not JSON/],
    ["array", "[1,2]", /not a record/],
    ["no key", edit(good, (r) => delete r.key), /no key/],
    ["unknown kind", edit(good, (r) => (r.key = '{"kind":"nope"}')), /not a cell of a known kind/],
    ["key not JSON", edit(good, (r) => (r.key = "{")), /key is not JSON/],
    ["non-canonical key", edit(good, (r) => (r.key = JSON.stringify(CELLS[0]))), /not the canonical key/],
    ["invalid cell", edit(good, (r) => (r.key = '{"experiment":null,"kind":"trainedRank"}')), /not a valid cell/],
    ["key without result", edit(good, (r) => delete r.result), /a key without a result/],
    ["rank −7", edit(good, (r) => ((r.result as { rank: number }).rank = -7)), /rank: .*received -7/],
    ["rank 2.5", edit(good, (r) => ((r.result as { rank: number }).rank = 2.5)), /rank: .*integer/],
    ["rank > d", edit(good, (r) => ((r.result as { rank: number }).rank = 21)), /rank: .*\[0, 20\].*21/],
    ["result null", edit(good, (r) => (r.result = null)), /invalid result: expected an object; received null/],
    ["NaN not diverged", edit(good, (r) => ((r.result as { rank: unknown }).rank = null)), /rank: .*null/],
    [
      "bad singular value",
      edit(good, (r) => ((r.result as { singularValues: unknown[] }).singularValues[3] = "x")),
      /singularValues: \[3\]/,
    ],
    ["missing field", edit(good, (r) => delete (r.result as { steps?: number }).steps), /steps is missing/],
    ["negative seconds", edit(good, (r) => (r.seconds = -1)), /invalid seconds/],
    ["old format", edit(good, (r) => (delete r.format, delete r.code)), /stale: cache format undefined, now 2/, true],
    ["old code", edit(good, (r) => (r.code = 0)), /stale: computed by trainedRank code version 0, now 1/, true],
  ];
  for (const [name, line, problem, stale = false] of cases) {
    const parsed = parseSweepRecord(line);
    assert.ok(!parsed.ok, name);
    if (!parsed.ok) {
      assert.match(parsed.problem, problem, name);
      assert.equal(parsed.stale, stale, name);
    }
  }
  // The other kinds: a saddle exponent must be finite, a deep run's accuracy a probability.
  const saddle = sweepRecord(
    sweepKey({ kind: "saddleNetworkExponent", mu: 0.1, lambda: 0.1 }),
    { exponent: 0.5, standardError: 0.1 },
    1,
  );
  assert.ok(parseSweepRecord(saddle).ok);
  const noExponent = parseSweepRecord(edit(saddle, (r) => ((r.result as { exponent: unknown }).exponent = null)));
  assert.ok(!noExponent.ok && /exponent/.test(noExponent.problem));
});

Deno.test("the committed deep caches pass, and a deep result out of range does not", async () => {
  const text = await Deno.readTextFile(new URL("../figures/sweeps/deep-notebook.jsonl", import.meta.url));
  const { records, faults } = checkCacheText(text, "deep-notebook.jsonl", "deep-notebook");
  assert.equal(faults.length, 0, faults.map((f) => f.message).join("\n"));
  assert.equal(records.length, 41);
  const line = text.split("\n").find((l) => l.includes('"diverged":false'))!;
  for (const [field, value] of [["testAccuracy", 1.5], ["deadUnits", 65], ["sparsity", [2]], ["diverged", "no"]]) {
    const parsed = parseSweepRecord(
      edit(line, (r) => ((r.result as Record<string, unknown>)[field as string] = value)),
    );
    assert.ok(!parsed.ok && parsed.problem.includes(field as string), `${field}`);
  }
});

// ------------------------------------------------------------------------------------------- Reading a faulty cache

/** A cache with one fault on each of lines 2–7 and 9 (an unterminated fragment); lines 1 and 8 are good. */
const FAULTY = [
  LINES[0],
  "}{ garbage",
  edit(LINES[2], (r) => ((r.result as { rank: number }).rank = -7)),
  edit(LINES[3], (r) => (r.result = null)),
  edit(LINES[4], (r) => delete r.result),
  edit(LINES[5], (r) => (r.code = 0)),
  edit(LINES[6], (r) => (delete r.format, delete r.code)),
  LINES[7],
  LINES[8].slice(0, 150),
].join("\n");
const PROBLEMS: Array<[number, RegExp]> = [
  [2, /not JSON/],
  [3, /rank: .*-7/],
  [4, /invalid result: .*null/],
  [5, /a key without a result/],
  [6, /stale: .*code version 0/],
  [7, /stale: cache format/],
  [9, /incomplete last line/],
];

Deno.test("readCache reports every bad line with its file and line number and uses none of them", async () => {
  const dir = await files({ files: { "sweeps/notebook.jsonl": FAULTY } });
  try {
    const seen: string[] = [];
    const known = await readCache(dir, "notebook", { onFault: (f) => void seen.push(f.message) });
    assert.deepEqual([...known.keys()].sort(), [sweepKey(CELLS[0]), sweepKey(CELLS[7])].sort());
    assert.equal(known.lines, 9);
    const file = `${dir}/sweeps/notebook.jsonl`;
    assert.deepEqual(known.faults.map((f) => f.line), PROBLEMS.map(([line]) => line));
    for (const [i, [line, problem]] of PROBLEMS.entries()) {
      const f = known.faults[i];
      assert.equal(f.file, file);
      assert.match(f.problem, problem, `line ${line}`);
      assert.ok(f.message.startsWith(`${file}:${line}: `), f.message);
      assert.match(f.message, /deno task sweep --size notebook/);
      assert.doesNotMatch(f.message, /shard/, "a fault does not blame sharding");
    }
    assert.equal(seen.length, PROBLEMS.length, "every fault passed to onFault");
    // What is used is exactly what was committed.
    assert.equal(JSON.stringify(known.get(sweepKey(CELLS[7]))), committed(CELLS[7]));
  } finally {
    await remove(dir);
  }
});

Deno.test("readCache drops a cell given two different results (in two shard files) and reports the conflict", async () => {
  const other = edit(LINES[1], (r) => ((r.result as { rank: number }).rank -= 1));
  const dir = await files({
    files: {
      "sweeps/notebook.shard-1-of-2.jsonl": `${LINES[0]}\n${LINES[1]}\n`,
      "sweeps/notebook.shard-2-of-2.jsonl": `${LINES[0]}\n${other}\n`,
    },
  });
  try {
    const known = await readCache(dir, "notebook");
    assert.deepEqual([...known.keys()], [sweepKey(CELLS[0])], "an identical duplicate is kept once");
    assert.equal(known.faults.length, 1);
    assert.match(known.faults[0].message, /notebook\.shard-2-of-2\.jsonl:2: conflicts with .*shard-1-of-2\.jsonl:2/);
  } finally {
    await remove(dir);
  }
});

// ---------------------------------------------------------------------------------------- The sweep CLI on the faults

Deno.test("deno task sweep recomputes every bad cell, repairs the incomplete last line, and loses nothing", async () => {
  const dir = await files({ files: { "sweeps/notebook.jsonl": FAULTY } });
  try {
    const file = `${dir}/sweeps/notebook.jsonl`;
    const verify = await finish(sweep(dir, "--verify"));
    assert.equal(verify.code, 1, "--verify fails on a bad cache");
    for (const [line] of PROBLEMS) assert.ok(verify.stderr.includes(`${file}:${line}: `), `--verify reports ${line}`);
    assert.match(verify.stderr, /9 lines in 1 files, 7 bad \(2 stale\)/);

    const run = await finish(sweep(dir, "--limit", "9"));
    assert.equal(run.code, 0, run.stderr);
    for (const [line] of PROBLEMS) assert.ok(run.stderr.includes(`${file}:${line}: `), `the run reports ${line}`);
    assert.match(run.stderr, new RegExp(`${file}:9: removed an incomplete last line`));
    assert.equal(run.computed, 7, "the 7 bad cells, and only they, are recomputed");
    const known = await readCache(dir, "notebook");
    // Each new record is on a line of its own: 8 old lines (the fragment removed) and 7 new ones, all parseable.
    assert.equal(known.lines, 15);
    assert.deepEqual(known.faults.map((f) => f.line), [2, 3, 4, 5, 6, 7], "the old bad lines stay reported");
    for (const c of CELLS) assert.equal(JSON.stringify(known.get(sweepKey(c))), committed(c), "recomputed = committed");
  } finally {
    await remove(dir);
  }
});

Deno.test("two sweeps on the same shard compute each cell once; a stale lock is reclaimed", async () => {
  const dir = await files({ files: {} });
  try {
    const [a, b] = await Promise.all([finish(sweep(dir, "--limit", "6")), finish(sweep(dir, "--limit", "6"))]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(a.computed + b.computed, 6, `computed ${a.computed} + ${b.computed}`);
    const known = await readCache(dir, "notebook");
    assert.equal(known.lines, 6);
    assert.equal(known.faults.length, 0);
    for (const c of CELLS.slice(0, 6)) assert.equal(JSON.stringify(known.get(sweepKey(c))), committed(c));

    // A lock left by a killed process (not touched for an hour) does not block.
    await files({
      dir,
      files: { "sweeps/notebook.jsonl.lock": '{"pid":999999,"started":"2020-01-01T00:00:00.000Z"}' },
      ages: { "sweeps/notebook.jsonl.lock": 3600 },
    });
    const c = await finish(sweep(dir, "--limit", "8"));
    assert.equal(c.code, 0, c.stderr);
    assert.match(c.stderr, /removed a stale lock/);
    assert.equal(c.computed, 2);
    await assert.rejects(() => Deno.stat(`${dir}/sweeps/notebook.jsonl.lock`), Deno.errors.NotFound, "lock released");
  } finally {
    await remove(dir);
  }
});

Deno.test("deno task sweep --verify passes the committed caches", async () => {
  const run = await finish(sweep(`${ROOT}figures`, "--verify"));
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /\d+ lines in 5 files, 0 bad/);
});

Deno.test("runSweep checks an extra kind's codeVersion and checkResult", async () => {
  const kind = { module: "file:///x.ts", exportName: "x", args: () => [], describe: () => "", validate: () => {} };
  await assert.rejects(
    () => runSweep([], { kinds: { x: { ...kind, codeVersion: 1.5 } } }),
    /options\.kinds\.x\.codeVersion/,
  );
  await assert.rejects(
    () => runSweep([], { kinds: { x: { ...kind, checkResult: 3 as never } } }),
    /options\.kinds\.x\.checkResult/,
  );
});

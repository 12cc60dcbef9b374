// Diverged trajectories (issue 11, item 1): the simulators mark a trajectory that overflowed with NaN or ±∞, so the
// functions that read runs (distanceToPoint, distanceExponent, lossExponent, convergedFraction) take NaN in the recorded
// values as "diverged", never as bad input, and never return NaN for it. Hand-built runs with known answers, then a
// real diverging simulation.
import assert from "node:assert/strict";
import {
  convergedFraction,
  distanceExponent,
  distanceToPoint,
  lossExponent,
  simulateLinearRegressionSGD,
  simulateScalarNetworkSGD,
} from "../mod.ts";

const f64 = (...v: number[]) => Float64Array.from(v);
const noNaN = (label: string, values: ArrayLike<number>) =>
  assert.ok(!Array.from(values).some(Number.isNaN), `${label} holds NaN: ${Array.from(values)}`);

Deno.test("distanceToPoint: a diverged point (NaN or ±∞ in u or w) is at log-distance +∞", () => {
  // Three trajectories, two times: finite; u = NaN at t = 1; w = −∞ at t = 1.
  const run = {
    times: f64(0, 1),
    trajectories: 3,
    u: f64(3, 0, 1, NaN, 0, 2),
    w: f64(4, 1, 0, 5, 1, -Infinity),
  };
  const d = distanceToPoint(run, 0, 0);
  assert.deepEqual(Array.from(d.values), [Math.log(5), 0, 0, Infinity, 0, Infinity]);
});

Deno.test("distanceExponent: a diverged trajectory makes the mean +∞ (standard error and variance 0), never NaN", () => {
  // Two trajectories, three times (0, 10, 20): at t = 10 one is NaN; at t = 20 one is +∞ and the other −∞.
  const run = { times: f64(0, 10, 20), trajectories: 2, values: f64(0, NaN, Infinity, 1, -2, -Infinity) };
  const est = distanceExponent(run);
  // mean(0) = E 2·log|v| = (0 + 2)/2 = 1, variance of {0, 2} = 2.
  assert.deepEqual(Array.from(est.mean), [1, Infinity, Infinity]);
  assert.deepEqual(Array.from(est.variance), [2, 0, 0]);
  assert.deepEqual(Array.from(est.standardError), [1, 0, 0]);
  assert.deepEqual(Array.from(est.exponent), [0, Infinity, Infinity]);
  for (const [k, v] of Object.entries(est)) noNaN(k, v);
});

Deno.test("distanceExponent: infinite at t = 0 and at t gives that infinity as the exponent, not NaN", () => {
  // Both trajectories at the point from the start (−∞ throughout); then both diverged from the start (NaN).
  const zero = distanceExponent({ times: f64(0, 5), trajectories: 2, values: f64(-Infinity, -Infinity, 0, -1) });
  assert.deepEqual(Array.from(zero.mean), [-Infinity, -Infinity]);
  assert.deepEqual(Array.from(zero.exponent), [0, -Infinity]);
  const nan = distanceExponent({ times: f64(0, 5), trajectories: 2, values: f64(NaN, NaN, 0, 1) });
  assert.deepEqual(Array.from(nan.mean), [Infinity, Infinity]);
  assert.deepEqual(Array.from(nan.exponent), [0, Infinity]);
  // A finite mean after an infinite start: (finite − (+∞))/t = −∞.
  const back = distanceExponent({ times: f64(0, 5), trajectories: 2, values: f64(NaN, 0, 0, 0) });
  assert.deepEqual(Array.from(back.exponent), [0, -Infinity]);
});

Deno.test("lossExponent: a diverged w (NaN or ±∞) has an infinite loss, so the mean is +∞", () => {
  // x = y = [1, 1]: L(w) = ½(w − 1)², w* = 1. Two trajectories from w = 3 and w = 2.
  const run = { times: f64(0, 1), trajectories: 2, values: f64(3, NaN, 2, -Infinity) };
  const est = lossExponent(run, [1, 1], [1, 1]);
  assert.equal(est.mean[0], (Math.log(2) + Math.log(0.5)) / 2);
  assert.deepEqual(Array.from(est.mean.slice(1)), [Infinity]);
  assert.deepEqual(Array.from(est.exponent), [0, Infinity]);
  for (const [k, v] of Object.entries(est)) noNaN(k, v);
});

Deno.test("convergedFraction: a diverged trajectory (NaN or +∞) counts as not converged", () => {
  const run = { times: f64(0, 1, 2), trajectories: 3, values: f64(0, -10, NaN, 0, -10, -10, 0, Infinity, -Infinity) };
  assert.deepEqual(Array.from(convergedFraction(run, 1e-3)), [0, 2 / 3, 2 / 3]);
});

Deno.test("a real diverging run: NaN from simulateScalarNetworkSGD gives +∞, and no NaN, downstream", () => {
  const model = { x: [1, 2, 3], y: [1, 2, 3], activation: "linear" as const };
  const run = simulateScalarNetworkSGD(model, 5, { steps: 2000, trajectories: 3, recordEvery: 500, seed: 1 });
  const last = run.times.length - 1;
  // The simulator's own convention: the runs overflowed and hold NaN at the end.
  for (let k = 0; k < 3; k++) assert.ok(Number.isNaN(run.u[k * run.times.length + last]));
  const d = distanceToPoint(run, 0, 0);
  noNaN("distanceToPoint", d.values);
  assert.equal(d.values[last], Infinity);
  const est = distanceExponent(d);
  for (const [k, v] of Object.entries(est)) noNaN(k, v);
  assert.equal(est.mean[last], Infinity);
  assert.equal(convergedFraction(d, 1e-3)[last], 0);
  // simulateLinearRegressionSGD's wₜ overflows to ±∞.
  const lr = simulateLinearRegressionSGD([1, 2, 3], [1, 2, 3], 5, { steps: 2000, trajectories: 3, recordEvery: 500 });
  assert.ok(!Number.isFinite(lr.values[lr.times.length - 1]));
  const loss = lossExponent(lr, [1, 2, 3], [1, 2, 3]);
  for (const [k, v] of Object.entries(loss)) noNaN(k, v);
  assert.equal(loss.mean[loss.times.length - 1], Infinity);
});

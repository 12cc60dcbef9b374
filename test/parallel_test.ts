// Workers give exactly the single-threaded result, whatever their number.
import assert from "node:assert/strict";
import {
  finitePhaseDiagram,
  gaussianPhaseDiagram,
  linspace,
  phaseDiagramInWorkers,
  simulateGaussianSaddleSGD,
  simulateSaddleInWorkers,
  simulateSaddleSGD,
} from "../mod.ts";

Deno.test("phaseDiagramInWorkers equals the single-threaded diagram for 1, 2 and 3 workers", async () => {
  const options = { lambdas: linspace(0.01, 3, 40), mus: linspace(0, 1, 17) };
  const reference = gaussianPhaseDiagram(options);
  for (const workers of [1, 2, 3]) {
    const d = await phaseDiagramInWorkers({ kind: "gaussianPhaseDiagram", options }, { workers });
    assert.deepEqual(d, reference, `${workers} workers`);
  }
  // More workers than the cap (4 × cores) or than rows: capped, the same diagram.
  assert.deepEqual(await phaseDiagramInWorkers({ kind: "gaussianPhaseDiagram", options }, { workers: 400 }), reference);
  const finite = { lambdas: linspace(0.01, 3, 30), mus: linspace(0, 1, 9), size: 5, seed: 3 };
  assert.deepEqual(
    await phaseDiagramInWorkers({ kind: "finitePhaseDiagram", options: finite }),
    finitePhaseDiagram(finite),
  );
});

Deno.test("simulateSaddleInWorkers equals the single-threaded simulation", async () => {
  const options = { steps: 200, trajectories: 25, seed: 4, recordEvery: 50 };
  assert.deepEqual(
    await simulateSaddleInWorkers({ kind: "simulateSaddleSGD", chi: [1, -0.5, 2], lambda: 0.9, options }, {
      workers: 2,
    }),
    simulateSaddleSGD([1, -0.5, 2], 0.9, options),
  );
  assert.deepEqual(
    await simulateSaddleInWorkers({ kind: "simulateGaussianSaddleSGD", mu: 0.3, lambda: 0.6, options }, { workers: 3 }),
    simulateGaussianSaddleSGD(0.3, 0.6, options),
  );
});

Deno.test("a bad task is rejected in the calling thread, before any worker starts, naming the public function", async () => {
  // (Errors thrown inside workers coming back with their class: test/worker_pool_test.ts.)
  await assert.rejects(
    () => phaseDiagramInWorkers({ kind: "gaussianPhaseDiagram", options: { lambdas: [1], mus: [2] } }, { workers: 1 }),
    RangeError,
    "Invalid task.options.mus[0] in phaseDiagramInWorkers",
  );
  await assert.rejects(
    () =>
      simulateSaddleInWorkers({ kind: "simulateSaddleSGD", chi: [1, NaN], lambda: 0.5, options: { steps: 4 } }, {
        workers: 1,
      }),
    RangeError,
    "Invalid task.chi in simulateSaddleInWorkers",
  );
  await assert.rejects(
    () => simulateSaddleInWorkers({ kind: "simulateGaussianSaddleSGD", mu: 0.5, lambda: 0.5, options: { steps: 1.5 } }),
    RangeError,
    "Invalid task.options.steps in simulateSaddleInWorkers",
  );
});

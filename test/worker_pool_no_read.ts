// Run by test/worker_pool_test.ts without --allow-read: each worker function must reject with one clear error. With the
// argument "compute" it is run with read access to worker_pool_tasks.ts only, whose task reads another file.
import { phaseDiagramInWorkers, runSweep, simulateSaddleInWorkers } from "../mod.ts";
import { runTasks } from "../lib/runtime/worker_pool.ts";

const calls: Array<[string, () => Promise<unknown>]> = [
  [
    "phaseDiagramInWorkers",
    () =>
      phaseDiagramInWorkers({ kind: "gaussianPhaseDiagram", options: { lambdas: [0.5], mus: [0.2, 0.4] } }, {
        workers: 2,
      }),
  ],
  [
    "simulateSaddleInWorkers",
    () =>
      simulateSaddleInWorkers({ kind: "simulateSaddleSGD", chi: [1, -0.5], lambda: 1, options: { steps: 5 } }, {
        workers: 2,
      }),
  ],
  ["runSweep", () =>
    runSweep([
      { kind: "saddleNetworkExponent", mu: 0.5, lambda: 0.3, options: { dimension: 2, steps: 10 } },
      { kind: "saddleNetworkExponent", mu: 0.5, lambda: 0.4, options: { dimension: 2, steps: 10 } },
    ], { workers: 2 })],
];
if (Deno.args[0] === "compute") {
  calls.splice(0, calls.length, ["myFunction", () =>
    runTasks("myFunction", [{
      module: new URL("./worker_pool_tasks.ts", import.meta.url).href,
      name: "readFile",
      args: [new URL("./worker_pool_test.ts", import.meta.url).pathname],
    }])]);
}
for (const [name, call] of calls) {
  try {
    await call();
    console.log(JSON.stringify({ name, resolved: true }));
  } catch (e) {
    console.log(JSON.stringify({ name, error: (e as Error).name, message: (e as Error).message }));
  }
}

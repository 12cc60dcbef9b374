/**
 * The worker behind {@linkcode phaseDiagramInWorkers} and {@linkcode simulateSaddleInWorkers}: computes one
 * slice of rows or trajectories with the same pure functions the caller would use. Internal module.
 *
 * @module
 */

import {
  finitePhaseDiagram,
  gaussianBatchPhaseDiagram,
  gaussianPhaseDiagram,
  twoPointPhaseDiagram,
} from "./phase_diagrams.ts";
import { simulateGaussianSaddleSGD, simulateSaddleSGD } from "./saddle_simulation.ts";
import { reply } from "../runtime/worker_protocol.ts";

const tasks: Record<string, (args: never[]) => unknown> = {
  twoPointPhaseDiagram: (([o]: [Parameters<typeof twoPointPhaseDiagram>[0]]) => twoPointPhaseDiagram(o)) as never,
  gaussianPhaseDiagram: (([o]: [Parameters<typeof gaussianPhaseDiagram>[0]]) => gaussianPhaseDiagram(o)) as never,
  gaussianBatchPhaseDiagram:
    (([o]: [Parameters<typeof gaussianBatchPhaseDiagram>[0]]) => gaussianBatchPhaseDiagram(o)) as never,
  finitePhaseDiagram: (([o]: [Parameters<typeof finitePhaseDiagram>[0]]) => finitePhaseDiagram(o)) as never,
  simulateSaddleSGD: ((args: Parameters<typeof simulateSaddleSGD>) => simulateSaddleSGD(...args)) as never,
  simulateGaussianSaddleSGD:
    ((args: Parameters<typeof simulateGaussianSaddleSGD>) => simulateGaussianSaddleSGD(...args)) as never,
};

self.onmessage = (event: MessageEvent<{ task: string; args: never[] }>) =>
  reply(() => tasks[event.data.task](event.data.args));

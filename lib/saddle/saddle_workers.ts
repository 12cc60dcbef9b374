/**
 * Phase diagrams and saddle simulations computed on several cores with Web Workers (the pool of
 * `lib/runtime/worker_pool.ts`). Rows (or trajectories) are split into contiguous slices, each computed by the same
 * pure function in a worker, and concatenated: the result is identical to the single-threaded function's, whatever the
 * number of workers.
 *
 * Unlike the rest of the library these functions are asynchronous and need a permission: `--allow-read` for a local
 * copy of the module (the workers load `phase_diagrams.ts` or `saddle_simulation.ts`), `--allow-import` for a URL.
 * Without it they reject with one `Deno.errors.NotCapable` naming the flag.
 *
 * @module
 */

import {
  type FinitePhaseDiagramOptions,
  finiteSettings,
  type GaussianBatchPhaseDiagramOptions,
  gaussianBatchSettings,
  type GaussianPhaseDiagramOptions,
  gaussianSettings,
  type PhaseDiagram,
  type TwoPointPhaseDiagramOptions,
  twoPointSettings,
} from "./phase_diagrams.ts";
import {
  gaussianSaddleSGDSettings,
  type GaussianSaddleSimulationOptions,
  SADDLE_OUTCOMES,
  type SaddleOutcome,
  saddleSGDSettings,
  type SaddleSimulation,
  type SaddleSimulationOptions,
} from "./saddle_simulation.ts";
import * as check from "../core/validate.ts";
import { runTasks, workerCount } from "../runtime/worker_pool.ts";

/** A phase diagram to compute in workers: the name of the function and its options. */
export type PhaseDiagramTask =
  | { kind: "twoPointPhaseDiagram"; options: TwoPointPhaseDiagramOptions }
  | { kind: "gaussianPhaseDiagram"; options: GaussianPhaseDiagramOptions }
  | { kind: "gaussianBatchPhaseDiagram"; options: GaussianBatchPhaseDiagramOptions }
  | { kind: "finitePhaseDiagram"; options: FinitePhaseDiagramOptions };

/** Options of the worker functions. */
export interface WorkerOptions {
  /**
   * The number of workers, capped at 4 × `navigator.hardwareConcurrency` and at the number of rows (or trajectories).
   * @default navigator.hardwareConcurrency
   */
  workers?: number;
}

const ROW_KEY: Record<PhaseDiagramTask["kind"], string> = {
  twoPointPhaseDiagram: "as",
  gaussianPhaseDiagram: "mus",
  gaussianBatchPhaseDiagram: "batchSizes",
  finitePhaseDiagram: "mus",
};

/** The validation of each diagram's options (the task is checked in the calling thread, before any worker starts). */
const SETTINGS: Record<PhaseDiagramTask["kind"], (fn: string, param: string, options: unknown) => unknown> = {
  twoPointPhaseDiagram: twoPointSettings,
  gaussianPhaseDiagram: gaussianSettings,
  gaussianBatchPhaseDiagram: gaussianBatchSettings,
  finitePhaseDiagram: finiteSettings,
};

const PHASE_DIAGRAMS = new URL("./phase_diagrams.ts", import.meta.url).href;
const SIMULATIONS = new URL("./saddle_simulation.ts", import.meta.url).href;

/** Contiguous slices [start, end) of n items over w workers. */
function slices(n: number, w: number): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  const k = Math.min(w, n);
  for (let i = 0; i < k; i++) parts.push([Math.floor((i * n) / k), Math.floor(((i + 1) * n) / k)]);
  return parts;
}

function concat<T extends Float64Array | Uint8Array>(parts: T[], Ctor: new (n: number) => T): T {
  const out = new Ctor(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * A phase diagram ({@linkcode twoPointPhaseDiagram}, {@linkcode gaussianPhaseDiagram}, {@linkcode
 * gaussianBatchPhaseDiagram} or {@linkcode finitePhaseDiagram}) computed with its rows split over `workers` Web
 * Workers; the result equals the single-threaded call's exactly.
 *
 * @example Two workers, the same diagram
 * ```ts ignore
 * import { gaussianPhaseDiagram, linspace, phaseDiagramInWorkers } from "@probstab/sgd";
 *
 * const options = { lambdas: linspace(0.01, 3, 400), mus: linspace(0, 1, 400) };
 * const d = await phaseDiagramInWorkers({ kind: "gaussianPhaseDiagram", options }, { workers: 2 });
 * // d.phase equals gaussianPhaseDiagram(options).phase
 * ```
 *
 * @param task The function's name and its options.
 * @param options The number of workers.
 * @returns The phase diagram.
 */
export async function phaseDiagramInWorkers(
  task: PhaseDiagramTask,
  options: WorkerOptions = {},
): Promise<PhaseDiagram> {
  const fn = "phaseDiagramInWorkers";
  if (task === null || typeof task !== "object") {
    throw new TypeError(
      `Invalid task in ${fn}: expected { kind, options } with kind one of ${Object.keys(ROW_KEY).join(", ")}; ` +
        `received ${check.describe(task)}.`,
    );
  }
  const kind = check.oneOf(fn, "task.kind", task.kind, Object.keys(ROW_KEY) as Array<PhaseDiagramTask["kind"]>);
  SETTINGS[kind](fn, "task.options", task.options);
  const w = workerCount(fn, check.options(fn, options).workers);
  const key = ROW_KEY[task.kind];
  const rows = Array.from((task.options as unknown as Record<string, ArrayLike<number>>)[key] ?? []);
  const parts = await runTasks(
    fn,
    slices(rows.length, w).map(([a, b]) => ({
      module: PHASE_DIAGRAMS,
      name: task.kind,
      args: [{ ...task.options, [key]: rows.slice(a, b) }],
    })),
    { workers: w },
  ) as PhaseDiagram[];
  if (parts.length === 0) throw new RangeError(`Invalid task.options.${key} in ${fn}: expected rows; received none.`);
  return {
    lambdas: parts[0].lambdas,
    rows: concat(parts.map((p) => p.rows), Float64Array),
    rowName: parts[0].rowName,
    minus: concat(parts.map((p) => p.minus), Float64Array),
    plus: concat(parts.map((p) => p.plus), Float64Array),
    meanSquare: concat(parts.map((p) => p.meanSquare), Float64Array),
    phase: concat(parts.map((p) => p.phase), Uint8Array),
  };
}

/** A saddle simulation to run in workers: the function's name and its arguments. */
export type SaddleSimulationTask =
  | { kind: "simulateSaddleSGD"; chi: ArrayLike<number>; lambda: number; options?: SaddleSimulationOptions }
  | { kind: "simulateGaussianSaddleSGD"; mu: number; lambda: number; options?: GaussianSaddleSimulationOptions };

/**
 * A saddle simulation ({@linkcode simulateSaddleSGD} or {@linkcode simulateGaussianSaddleSGD}) with its trajectories
 * split over `workers` Web Workers (each slice uses `trajectoryOffset`, so trajectory k draws from the same stream as
 * in a single run); the result equals the single-threaded call's exactly.
 *
 * @example Two workers
 * ```ts ignore
 * import { simulateSaddleInWorkers } from "@probstab/sgd";
 *
 * const sim = await simulateSaddleInWorkers({ kind: "simulateSaddleSGD", chi: [1, -0.5], lambda: 1.5 });
 * ```
 *
 * @param task The function's name and arguments.
 * @param options The number of workers.
 * @returns The simulation.
 */
export async function simulateSaddleInWorkers(
  task: SaddleSimulationTask,
  options: WorkerOptions = {},
): Promise<SaddleSimulation> {
  const fn = "simulateSaddleInWorkers";
  if (task === null || typeof task !== "object") {
    throw new TypeError(
      `Invalid task in ${fn}: expected kind "simulateSaddleSGD" or "simulateGaussianSaddleSGD"; received ${
        check.describe(task)
      }.`,
    );
  }
  check.oneOf(fn, "task.kind", task.kind, ["simulateSaddleSGD", "simulateGaussianSaddleSGD"] as const);
  // The whole task is checked here, in the calling thread, before any worker starts.
  const { sim } = task.kind === "simulateSaddleSGD"
    ? saddleSGDSettings(fn, "task.", task.chi, task.lambda, task.options)
    : gaussianSaddleSGDSettings(fn, "task.", task.mu, task.lambda, task.options);
  const w = workerCount(fn, check.options(fn, options).workers);
  const o = task.options ?? {};
  const total = sim.K;
  const offset = sim.offset;
  const parts = await runTasks(
    fn,
    slices(total, w).map(([a, b]) => {
      const sliceOptions = { ...o, trajectories: b - a, trajectoryOffset: offset + a };
      const args = task.kind === "simulateSaddleSGD"
        ? [Array.from(task.chi), task.lambda, sliceOptions]
        : [task.mu, task.lambda, sliceOptions];
      return { module: SIMULATIONS, name: task.kind, args };
    }),
    { workers: w },
  ) as SaddleSimulation[];
  const outcome = concat(parts.map((p) => p.outcome), Uint8Array);
  const counts = [0, 0, 0, 0];
  for (const k of outcome) counts[k]++;
  const fractions = Object.fromEntries(SADDLE_OUTCOMES.map((n, i) => [n, counts[i] / total])) as Record<
    SaddleOutcome,
    number
  >;
  return {
    times: parts[0].times,
    trajectories: total,
    logMinus: concat(parts.map((p) => p.logMinus), Float64Array),
    logPlus: concat(parts.map((p) => p.logPlus), Float64Array),
    outcome,
    fractions,
    majority: SADDLE_OUTCOMES[counts.indexOf(Math.max(...counts))],
  };
}

// Bad input gets a clear error: the right class, and a message naming the function, the parameter and the value
// received. Never NaN.
import assert from "node:assert/strict";
import {
  batchMeanDistribution,
  convergedFraction,
  criticalLearningRates,
  distanceExponent,
  figureToSvg,
  finitePhaseDiagram,
  gaussianBatchPhaseDiagram,
  gaussianPhaseDiagram,
  gaussianSaddleExponents,
  geomspace,
  hillTailIndex,
  kestenTailIndex,
  lambdaDS,
  lambdaGD,
  lambdaSS,
  linspace,
  lyapunovExponent,
  lyapunovSpectrum,
  meanSquareFactor,
  minibatchLyapunovExponent,
  outlierStabilityMap,
  plotConvergedFraction,
  plotLyapunovExponent,
  plotPhaseDiagram,
  plotStabilityMap,
  printedLambdaDS,
  randomNormal,
  rankOneLyapunovSpectrum,
  RobustLossMonitor,
  saddleExponents,
  saddlePhase,
  simulateGaussianSaddleSGD,
  simulateInterpolatingSGD,
  simulateLinearRegressionSGD,
  simulateSaddleSGD,
  stabilityWindows,
  topShare,
  twoPointPhaseDiagram,
} from "../mod.ts";

type Case = [label: string, call: () => unknown, kind: typeof TypeError | typeof RangeError, mentions: string[]];

const cases: Case[] = [
  // Empty data, NaN and infinite entries, wrong types.
  ["lambdaGD empty", () => lambdaGD([]), RangeError, ["lambdaGD", "x", "empty"]],
  ["lambdaGD NaN", () => lambdaGD([1, NaN]), RangeError, ["lambdaGD", "x", "NaN at index 1"]],
  ["lambdaGD Infinity", () => lambdaGD([Infinity]), RangeError, ["lambdaGD", "x", "Infinity at index 0"]],
  ["lambdaGD string entry", () => lambdaGD([1, "2" as unknown as number]), TypeError, ["lambdaGD", "x", '"2"']],
  ["lambdaGD not an array", () => lambdaGD(3 as unknown as number[]), TypeError, ["lambdaGD", "x", "3"]],
  ["lambdaGD null", () => lambdaGD(null as unknown as number[]), TypeError, ["lambdaGD", "x", "null"]],
  ["lambdaDS empty", () => lambdaDS(new Float64Array(0)), RangeError, ["lambdaDS", "x", "empty"]],
  ["lambdaSS -Infinity", () => lambdaSS([-Infinity]), RangeError, ["lambdaSS", "x", "-Infinity"]],
  // Batch sizes that are not positive integers.
  ["lambdaDS batch 0", () => lambdaDS([1], 0), RangeError, ["lambdaDS", "batchSize", "received 0"]],
  ["lambdaDS batch 2.5", () => lambdaDS([1], 2.5), RangeError, ["lambdaDS", "batchSize", "2.5"]],
  ["lambdaDS batch -1", () => lambdaDS([1], -1), RangeError, ["lambdaDS", "batchSize", "-1"]],
  ["lambdaSS batch NaN", () => lambdaSS([1], NaN), RangeError, ["lambdaSS", "batchSize", "NaN"]],
  ["lambdaSS batch string", () => lambdaSS([1], "2" as unknown as number), TypeError, ["lambdaSS", "batchSize"]],
  ["meanSquareFactor batch", () => meanSquareFactor([1], 0.1, 0), RangeError, ["meanSquareFactor", "batchSize"]],
  // Learning rates negative or not finite.
  ["lyapunovExponent lambda -1", () => lyapunovExponent([1], -1), RangeError, ["lyapunovExponent", "lambda", "-1"]],
  ["lyapunovExponent lambda NaN", () => lyapunovExponent([1], NaN), RangeError, ["lyapunovExponent", "lambda", "NaN"]],
  ["lyapunovExponent lambda Inf", () => lyapunovExponent([1], Infinity), RangeError, ["lambda", "Infinity"]],
  ["lyapunovExponent lambda string", () => lyapunovExponent([1], "1" as unknown as number), TypeError, ["lambda"]],
  ["lyapunovExponent h empty", () => lyapunovExponent([], 1), RangeError, ["lyapunovExponent", "h", "empty"]],
  ["meanSquareFactor lambda", () => meanSquareFactor([1], -0.5), RangeError, ["meanSquareFactor", "lambda", "-0.5"]],
  // Batch-size-S exponent.
  [
    "minibatch batch 0",
    () => minibatchLyapunovExponent([1], 1, { batchSize: 0 }),
    RangeError,
    ["minibatchLyapunovExponent", "options.batchSize", "0"],
  ],
  [
    "minibatch method",
    () => minibatchLyapunovExponent([1], 1, { method: "fast" as "exact" }),
    RangeError,
    ["minibatchLyapunovExponent", "options.method", '"fast"'],
  ],
  [
    "minibatch samples",
    () => minibatchLyapunovExponent([1, 2], 1, { batchSize: 2, method: "monte-carlo", samples: 1 }),
    RangeError,
    ["options.samples", "1"],
  ],
  [
    "minibatch seed",
    () => minibatchLyapunovExponent([1], 1, { seed: NaN }),
    RangeError,
    ["options.seed", "NaN"],
  ],
  [
    "batchMeanDistribution too many",
    () => batchMeanDistribution(linspace(0, 1, 100), 10, { maxBatches: 1000 }),
    RangeError,
    ["batchMeanDistribution", "batchSize", "10"],
  ],
  ["criticalLearningRates NaN", () => criticalLearningRates([NaN]), RangeError, ["criticalLearningRates", "x"]],
  ["stabilityWindows lambdaMax", () => stabilityWindows([1], { lambdaMax: -1 }), RangeError, ["options.lambdaMax"]],
  [
    "outlierStabilityMap lambda",
    () => outlierStabilityMap([1], { lambdas: [0.1, -2], outlierSizes: [1] }),
    RangeError,
    ["outlierStabilityMap", "options.lambdas[1]", "-2"],
  ],
  [
    "outlierStabilityMap sizes",
    () => outlierStabilityMap([1], { lambdas: [0.1], outlierSizes: [] }),
    RangeError,
    ["outlierStabilityMap", "options.outlierSizes", "empty"],
  ],
  // Simulators.
  [
    "simulate steps",
    () => simulateInterpolatingSGD([1], 0.1, { steps: 1.5 }),
    RangeError,
    ["simulateInterpolatingSGD", "options.steps", "1.5"],
  ],
  [
    "simulate trajectories",
    () => simulateInterpolatingSGD([1], 0.1, { trajectories: 0 }),
    RangeError,
    ["options.trajectories", "0"],
  ],
  ["simulate v0", () => simulateInterpolatingSGD([1], 0.1, { v0: 0 }), RangeError, ["options.v0", "0"]],
  ["simulate lambda", () => simulateInterpolatingSGD([1], -0.1), RangeError, ["simulateInterpolatingSGD", "lambda"]],
  [
    "simulate too much",
    () => simulateInterpolatingSGD([1], 0.1, { steps: 1e6, trajectories: 1000 }),
    RangeError,
    ["options.recordEvery"],
  ],
  [
    "linear regression lengths",
    () => simulateLinearRegressionSGD([1, 2], [1], 0.1),
    RangeError,
    ["simulateLinearRegressionSGD", "y", "length 1"],
  ],
  [
    "linear regression batch",
    () => simulateLinearRegressionSGD([1], [1], 0.1, { batchSize: 0 }),
    RangeError,
    ["options.batchSize"],
  ],
  ["convergedFraction epsilon", () => convergedFraction({} as never, 0), RangeError, ["convergedFraction", "epsilon"]],
  ["convergedFraction run", () => convergedFraction({} as never, 0.1), TypeError, ["convergedFraction", "run"]],
  // Utilities and plots.
  ["randomNormal n", () => randomNormal(0), RangeError, ["randomNormal", "n", "0"]],
  ["randomNormal std", () => randomNormal(3, { std: -1 }), RangeError, ["randomNormal", "options.std", "-1"]],
  ["linspace n", () => linspace(0, 1, 0), RangeError, ["linspace", "n", "0"]],
  ["geomspace start", () => geomspace(0, 1, 3), RangeError, ["geomspace", "start", "0"]],
  ["printedLambdaDS zeros", () => printedLambdaDS([0, 0], 1, "4"), RangeError, ["printedLambdaDS", "x", "zeros"]],
  ["printedLambdaDS eq", () => printedLambdaDS([1], 1, "5" as "4"), RangeError, ["printedLambdaDS", "equation"]],
  ["plotStabilityMap", () => plotStabilityMap({} as never), TypeError, ["plotStabilityMap", "map"]],
  [
    "plotStabilityMap uneven grid",
    () => plotStabilityMap(outlierStabilityMap([1], { lambdas: [0.1, 0.2, 0.7], outlierSizes: [1, 2] })),
    RangeError,
    ["plotStabilityMap", "map.lambdas"],
  ],
  [
    "plotLyapunovExponent lengths",
    () => plotLyapunovExponent({ lambdas: [1, 2], m: [0] }),
    RangeError,
    ["plotLyapunovExponent", "curve.m"],
  ],
  ["plotConvergedFraction empty", () => plotConvergedFraction([]), RangeError, ["plotConvergedFraction", "series"]],
  ["figureToSvg", () => figureToSvg({} as never), TypeError, ["figureToSvg", "figure"]],
  // Part II: empty χ, μ outside [0, 1], non-finite λ, batch sizes that are not positive integers.
  ["saddleExponents empty", () => saddleExponents([], 1), RangeError, ["saddleExponents", "chi", "empty"]],
  ["saddleExponents NaN", () => saddleExponents([1, NaN], 1), RangeError, ["saddleExponents", "chi", "NaN"]],
  ["saddleExponents lambda", () => saddleExponents([1], Infinity), RangeError, ["saddleExponents", "lambda"]],
  ["saddlePhase batch", () => saddlePhase([1], 1, { batchSize: 1.5 }), RangeError, ["saddlePhase", "batchSize"]],
  ["gaussian mu > 1", () => gaussianSaddleExponents(1.2, 1), RangeError, ["gaussianSaddleExponents", "mu", "1.2"]],
  ["gaussian mu < 0", () => gaussianSaddleExponents(-0.1, 1), RangeError, ["mu", "-0.1"]],
  ["gaussian mu NaN", () => gaussianSaddleExponents(NaN, 1), RangeError, ["mu", "NaN"]],
  ["gaussian mu string", () => gaussianSaddleExponents("0.5" as unknown as number, 1), TypeError, ["mu"]],
  ["gaussian lambda", () => gaussianSaddleExponents(0.5, NaN), RangeError, ["gaussianSaddleExponents", "lambda"]],
  ["gaussian batch", () => gaussianSaddleExponents(0.5, 1, { batchSize: 0 }), RangeError, ["options.batchSize"]],
  ["gaussian noise", () => gaussianSaddleExponents(0.5, 1, { noiseStd: -1 }), RangeError, ["options.noiseStd"]],
  [
    "twoPoint as",
    () => twoPointPhaseDiagram({ lambdas: [1], as: [Infinity] }),
    RangeError,
    ["twoPointPhaseDiagram", "options.as"],
  ],
  [
    "gaussian diagram mus",
    () => gaussianPhaseDiagram({ lambdas: [1], mus: [0.5, 2] }),
    RangeError,
    ["gaussianPhaseDiagram", "options.mus[1]", "2"],
  ],
  [
    "batch diagram sizes",
    () => gaussianBatchPhaseDiagram({ lambdas: [1], batchSizes: [1, 2.5] }),
    RangeError,
    ["gaussianBatchPhaseDiagram", "options.batchSizes[1]", "2.5"],
  ],
  [
    "finite diagram size",
    () => finitePhaseDiagram({ lambdas: [1], mus: [0.5], size: 0 }),
    RangeError,
    ["finitePhaseDiagram", "options.size", "0"],
  ],
  ["simulateSaddleSGD empty", () => simulateSaddleSGD([], 1), RangeError, ["simulateSaddleSGD", "chi", "empty"]],
  [
    "simulateSaddleSGD dimension",
    () => simulateSaddleSGD([1], 1, { dimension: 0 }),
    RangeError,
    ["options.dimension", "0"],
  ],
  ["simulateGaussianSaddleSGD mu", () => simulateGaussianSaddleSGD(3, 1), RangeError, ["mu", "3"]],
  ["plotPhaseDiagram", () => plotPhaseDiagram({} as never), TypeError, ["plotPhaseDiagram", "diagram"]],
  // Part III: empty or ragged Hessian data, non-square or non-symmetric matrices, non-finite values, steps.
  ["spectrum empty", () => lyapunovSpectrum([], 0.1), RangeError, ["lyapunovSpectrum", "hessians", "empty"]],
  ["spectrum not array", () => lyapunovSpectrum(3 as never, 0.1), TypeError, ["lyapunovSpectrum", "hessians"]],
  [
    "spectrum non-square",
    () => lyapunovSpectrum([[1, 2, 3]], 0.1),
    RangeError,
    ["lyapunovSpectrum", "hessians[0]", "square", "3 entries"],
  ],
  [
    "spectrum ragged rows",
    () => lyapunovSpectrum([[[1, 0], [0]]], 0.1),
    RangeError,
    ["hessians[0]", "row 1 of length 1"],
  ],
  [
    "spectrum ragged sizes",
    () => lyapunovSpectrum([[[1]], [[1, 0], [0, 1]]], 0.1),
    RangeError,
    ["hessians[1]", "1 × 1", "2 × 2"],
  ],
  [
    "spectrum non-symmetric",
    () => lyapunovSpectrum([[[1, 2], [0, 1]]], 0.1),
    RangeError,
    ["hessians[0]", "symmetric", "(0, 1) = 2"],
  ],
  ["spectrum NaN", () => lyapunovSpectrum([[[1, NaN], [NaN, 1]]], 0.1), RangeError, ["hessians[0][0]", "NaN"]],
  ["spectrum steps", () => lyapunovSpectrum([[[1]]], 0.1, { steps: 0 }), RangeError, ["options.steps", "0"]],
  ["spectrum runs", () => lyapunovSpectrum([[[1]]], 0.1, { runs: 1 }), RangeError, ["options.runs", "1"]],
  ["spectrum k", () => lyapunovSpectrum([[[1]]], 0.1, { exponents: 2 }), RangeError, ["options.exponents", "2"]],
  ["spectrum lambda", () => lyapunovSpectrum([[[1]]], -1), RangeError, ["lyapunovSpectrum", "lambda", "-1"]],
  ["rank-one ragged", () => rankOneLyapunovSpectrum([[1, 2], [1]], 0.1), RangeError, ["x[1]", "length 1"]],
  ["rank-one Infinity", () => rankOneLyapunovSpectrum([[1, Infinity]], 0.1), RangeError, ["x[0]", "Infinity"]],
  ["distanceExponent run", () => distanceExponent({} as never), TypeError, ["distanceExponent", "run"]],
  ["topShare q", () => topShare([1], 0), RangeError, ["topShare", "q", "0"]],
  ["kesten drift", () => kestenTailIndex([2, 1]), RangeError, ["kestenTailIndex", "E log|a| < 0"]],
  ["hill k", () => hillTailIndex([1, 2, 3], 5), RangeError, ["hillTailIndex", "k", "5"]],
  ["monitor window", () => new RobustLossMonitor({ window: 0 }), RangeError, ["RobustLossMonitor", "options.window"]],
  ["monitor loss", () => new RobustLossMonitor().push(-1), RangeError, ["RobustLossMonitor.push", "loss", "-1"]],
];

Deno.test("bad input throws a TypeError or RangeError naming the function, parameter and value", async (t) => {
  for (const [label, call, kind, mentions] of cases) {
    await t.step(label, () => {
      let error: unknown;
      try {
        const result = call();
        assert.fail(`${label}: expected a ${kind.name}, but the call returned ${String(result)}`);
      } catch (e) {
        error = e;
      }
      assert.ok(
        error instanceof kind,
        `${label}: expected ${kind.name}, received ${(error as Error)?.constructor?.name}: ${
          (error as Error)?.message
        }`,
      );
      const message = (error as Error).message;
      assert.match(message, /^[A-Z]/, `${label}: message is not in sentence case: ${message}`);
      for (const m of mentions) {
        assert.ok(message.includes(m), `${label}: message should mention ${JSON.stringify(m)}: ${message}`);
      }
    });
  }
});

Deno.test("edge cases return documented values, never NaN", () => {
  assert.equal(lambdaGD([0, 0]), Infinity);
  assert.equal(lambdaDS([0], 3), Infinity);
  assert.equal(lambdaSS([0], 3), Infinity);
  assert.equal(lyapunovExponent([1, 2], 0), 0);
  assert.equal(lyapunovExponent([0.25, 1], 4), -Infinity);
  assert.deepEqual(stabilityWindows([0, 0]), []);
  assert.deepEqual(stabilityWindows([-1, -2]), []);
  assert.equal(criticalLearningRates([0]).length, 0);
  const map = outlierStabilityMap([0], { lambdas: [0, 1], outlierSizes: [0] });
  assert.deepEqual(Array.from(map.m), [0, 0]);
  assert.equal(map.lambdaGD[0], Infinity);
  assert.equal(map.lambdaDS[0], Infinity);
});

Deno.test("inputs are never mutated", () => {
  const x = [3, 1, 2, 1];
  const copy = [...x];
  lambdaGD(x);
  lambdaDS(x, 2);
  criticalLearningRates(x);
  batchMeanDistribution(x, 2);
  stabilityWindows(x);
  minibatchLyapunovExponent(x, 0.1, { batchSize: 2 });
  simulateInterpolatingSGD(x, 0.1, { steps: 5, trajectories: 2 });
  assert.deepEqual(x, copy);
});

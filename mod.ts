/**
 * # The probabilistic stability of SGD
 *
 * An executable companion to "The Probabilistic Stability of Stochastic Gradient Descent" (Ziyin, Li, Galanti, Ueda,
 * 2023): every function computes a quantity of the paper, named in its notation, tested against independent reference
 * values.
 *
 * - Linear stability (§2, App. A.2): {@linkcode lambdaGD}, {@linkcode lambdaDS}, {@linkcode lambdaSS}, {@linkcode
 *   meanSquareFactor}, and the paper's printed forms {@linkcode printedLambdaDS} (errata).
 * - Probabilistic stability (§3, Prop. 1 and 3): {@linkcode lyapunovExponent}, {@linkcode minibatchLyapunovExponent},
 *   {@linkcode batchMeanDistribution}, {@linkcode criticalLearningRates}, {@linkcode stabilityWindows}.
 * - Figure 2 (§4.1): {@linkcode outlierStabilityMap}, {@linkcode plotStabilityMap}.
 * - Simulation (eqs. 1 and 6): {@linkcode simulateInterpolatingSGD}, {@linkcode simulateLinearRegressionSGD},
 *   {@linkcode convergedFraction}, {@linkcode randomNormal}.
 * - Figures: the `plot*` helpers return Observable Plot figures that display in Jupyter (Deno kernel) and serialize
 *   with {@linkcode figureToSvg}; {@linkcode Plot} is re-exported for extra marks. In a notebook, `await show(figure)`
 *   (or `await show(rows)` for a table) puts the output under its own cell, also in an untrusted notebook.
 *
 * All functions are pure, need no permissions, and take `ArrayLike<number>` inputs. Bad input throws a `TypeError` or
 * `RangeError` that names the function, the parameter and the value received.
 *
 * @example The Lyapunov exponent of a dataset with an outlier
 * ```ts
 * import { lambdaGD, lyapunovExponent } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const x = [0.9, 1, 1.1, 10]; // one outlier
 * const h = x.map((v) => v * v);
 * // Far above gradient descent's threshold, SGD still converges in probability:
 * assert.ok(0.9 > 10 * lambdaGD(x));
 * assert.ok(lyapunovExponent(h, 0.9) < 0);
 * ```
 *
 * @module
 */

export { Plot } from "./lib/core/deps.ts";
export { batchMeanDistribution, countBatches } from "./lib/core/batch_distribution.ts";
export type { BatchMeanDistribution, BatchMeanDistributionOptions } from "./lib/core/batch_distribution.ts";
export { criticalLearningRates } from "./lib/stability/critical_learning_rates.ts";
export { geomspace, linspace } from "./lib/core/grid.ts";
export {
  convergedFraction,
  simulateInterpolatingSGD,
  simulateLinearRegressionSGD,
} from "./lib/stability/linear_regression_sgd.ts";
export type {
  InterpolatingSGDOptions,
  LinearRegressionSGDOptions,
  SimulationOptions,
  Trajectories,
} from "./lib/stability/linear_regression_sgd.ts";
export { lambdaDS, lambdaGD, lambdaSS, meanSquareFactor } from "./lib/stability/linear_stability.ts";
export { lyapunovExponent } from "./lib/stability/lyapunov_exponent.ts";
export { minibatchLyapunovExponent } from "./lib/stability/minibatch_lyapunov_exponent.ts";
export type {
  MinibatchLyapunovExponentOptions,
  MinibatchLyapunovExponentResult,
} from "./lib/stability/minibatch_lyapunov_exponent.ts";
export { outlierStabilityMap } from "./lib/stability/outlier_stability_map.ts";
export type { OutlierStabilityMap, OutlierStabilityMapOptions } from "./lib/stability/outlier_stability_map.ts";
export { printedLambdaDS } from "./lib/stability/printed_formulas.ts";
export type { PrintedLambdaDSEquation } from "./lib/stability/printed_formulas.ts";
export { randomNormal } from "./lib/core/random.ts";
export type { RandomNormalOptions } from "./lib/core/random.ts";
export { stabilityWindows } from "./lib/stability/stability_windows.ts";
export type { StabilityWindowsOptions } from "./lib/stability/stability_windows.ts";
export { plotDocument } from "./lib/plot/render/document.ts";
export { figureToSvg } from "./lib/plot/render/svg.ts";
export type { Figure } from "./lib/plot/render/svg.ts";
export { show, showBundle } from "./lib/plot/render/show.ts";
export type { JupyterDisplayable, MimeBundle, Showable, TableRow } from "./lib/plot/render/show.ts";
export type { DocumentLike, DomDocument, DomElement, ElementLike } from "./lib/plot/render/dom.ts";
export type { PassThroughOptions } from "./lib/plot/render/options.ts";
export { plotStabilityMap, STABILITY_LABELS } from "./lib/plot/stability_map_plot.ts";
export type { StabilityMapPlotOptions } from "./lib/plot/stability_map_plot.ts";
export { plotLyapunovExponent } from "./lib/plot/lyapunov_exponent_plot.ts";
export type { LyapunovCurve, LyapunovExponentPlotOptions } from "./lib/plot/lyapunov_exponent_plot.ts";
export { plotTrajectories } from "./lib/plot/trajectories_plot.ts";
export type { TrajectoriesPlotOptions } from "./lib/plot/trajectories_plot.ts";
export { plotConvergedFraction } from "./lib/plot/converged_fraction_plot.ts";
export type { ConvergedFractionSeries } from "./lib/plot/converged_fraction_plot.ts";
export { plotThresholdsByBatchSize } from "./lib/plot/thresholds_plot.ts";
export type { ThresholdsPlotOptions } from "./lib/plot/thresholds_plot.ts";
export {
  phaseOf,
  SADDLE_PHASE_NAMES,
  SADDLE_PHASES,
  saddleExponents,
  saddlePhase,
} from "./lib/saddle/saddle_exponents.ts";
export type { SaddleExponents, SaddleExponentsOptions, SaddlePhase } from "./lib/saddle/saddle_exponents.ts";
export { gaussianSaddleExponents } from "./lib/saddle/gaussian_saddle_exponents.ts";
export type { GaussianSaddleOptions, SaddleExponentPair } from "./lib/saddle/gaussian_saddle_exponents.ts";
export {
  finiteDataset,
  finitePhaseDiagram,
  gaussianBatchPhaseDiagram,
  gaussianPhaseDiagram,
  twoPointPhaseDiagram,
} from "./lib/saddle/phase_diagrams.ts";
export type {
  FinitePhaseDiagramOptions,
  GaussianBatchPhaseDiagramOptions,
  GaussianPhaseDiagramOptions,
  PhaseDiagram,
  TwoPointPhaseDiagramOptions,
} from "./lib/saddle/phase_diagrams.ts";
export { SADDLE_OUTCOMES, simulateGaussianSaddleSGD, simulateSaddleSGD } from "./lib/saddle/saddle_simulation.ts";
export type {
  GaussianSaddleSimulationOptions,
  SaddleOutcome,
  SaddleSimulation,
  SaddleSimulationOptions,
} from "./lib/saddle/saddle_simulation.ts";
export { PHASE_COLORS, plotPhaseDiagram } from "./lib/plot/phase_diagram_plot.ts";
export type { PhaseDiagramPlotOptions } from "./lib/plot/phase_diagram_plot.ts";
export { phaseDiagramInWorkers, simulateSaddleInWorkers } from "./lib/saddle/saddle_workers.ts";
export type { PhaseDiagramTask, SaddleSimulationTask, WorkerOptions } from "./lib/saddle/saddle_workers.ts";
export { distanceExponent, lossExponent, topShare } from "./lib/lyapunov/trajectory_exponents.ts";
export type { LogEstimate } from "./lib/lyapunov/trajectory_exponents.ts";
export { lyapunovSpectrum, rankOneLyapunovSpectrum } from "./lib/lyapunov/lyapunov_spectrum.ts";
export type { LyapunovSpectrum, LyapunovSpectrumOptions } from "./lib/lyapunov/lyapunov_spectrum.ts";
export { hillTailIndex, kestenTailIndex, sgdTailIndex } from "./lib/lyapunov/heavy_tails.ts";
export type { HillEstimate, KestenTailIndexOptions } from "./lib/lyapunov/heavy_tails.ts";
export { RobustLossMonitor } from "./lib/lyapunov/loss_monitor.ts";
export type { LossReading, RobustLossMonitorOptions } from "./lib/lyapunov/loss_monitor.ts";
export { plotMeanVsTypical } from "./lib/plot/mean_vs_typical_plot.ts";
export type { MeanVsTypicalPlotOptions } from "./lib/plot/mean_vs_typical_plot.ts";
export { plotLyapunovTrace } from "./lib/plot/lyapunov_trace_plot.ts";
export { plotSurvival } from "./lib/plot/survival_plot.ts";
export type { SurvivalPlotOptions } from "./lib/plot/survival_plot.ts";
export { plotLossMonitor } from "./lib/plot/loss_monitor_plot.ts";
export { activation, ACTIVATIONS } from "./lib/networks/activations.ts";
export type { Activation } from "./lib/networks/activations.ts";
export {
  createTwoLayerNetwork,
  networkGradient,
  networkLoss,
  networkOutput,
  trainTwoLayerNetwork,
} from "./lib/networks/two_layer_network.ts";
export type {
  AdamSettings,
  TrainingData,
  TrainingOptions,
  TrainingResult,
  TwoLayerNetwork,
  TwoLayerNetworkOptions,
} from "./lib/networks/two_layer_network.ts";
export { numericalRank, singularValues } from "./lib/networks/numerical_rank.ts";
export type { NumericalRankOptions } from "./lib/networks/numerical_rank.ts";
export {
  findStationaryPoint,
  perSampleHessians,
  scalarLandscape,
  scalarPointInfo,
  simulateScalarNetworkSGD,
} from "./lib/networks/scalar_network.ts";
export type {
  ScalarLandscape,
  ScalarLandscapeOptions,
  ScalarModel,
  ScalarPointInfo,
  ScalarSGDOptions,
  ScalarTrajectories,
  StationaryPoint,
} from "./lib/networks/scalar_network.ts";
export { scalarStationaryPoints } from "./lib/networks/scalar_stationary_points.ts";
export type { ScalarStationaryPoint, ScalarStationaryPointsOptions } from "./lib/networks/scalar_stationary_points.ts";
export { saddleNetworkExponent } from "./lib/networks/saddle_network_exponent.ts";
export type { SaddleNetworkExponentOptions } from "./lib/networks/saddle_network_exponent.ts";
export { effectiveRank } from "./lib/networks/numerical_rank.ts";
export { trainedRank } from "./lib/networks/trained_rank.ts";
export type { RankExperiment, RankOutcome } from "./lib/networks/trained_rank.ts";
export { parseShard } from "./lib/runtime/sweep.ts";
export type { Shard, SweepKind } from "./lib/runtime/sweep.ts";
export { runSweep, sweepKey } from "./lib/sweep_kinds.ts";
export type { SweepCell, SweepOptions, SweepResult } from "./lib/sweep_kinds.ts";
export { jupyterProgress, terminalProgress } from "./lib/runtime/progress.ts";
export type { ProgressCallback } from "./lib/runtime/progress.ts";
export { distanceToPoint, solutionSelectionSweep } from "./lib/networks/solution_selection.ts";
export type {
  NamedPoint,
  SolutionSelectionOptions,
  SolutionSelectionSweep,
} from "./lib/networks/solution_selection.ts";
export { plotLandscape } from "./lib/plot/landscape_plot.ts";
export type { LandscapePlotOptions, LandscapePoint } from "./lib/plot/landscape_plot.ts";
export { plotParameterHistograms } from "./lib/plot/parameter_histogram_plot.ts";
export { plotSolutionSelection } from "./lib/plot/solution_selection_plot.ts";
export type { SelectionPrediction, SolutionSelectionPlotOptions } from "./lib/plot/solution_selection_plot.ts";
export { plotRankDiagram } from "./lib/plot/rank_diagram_plot.ts";
export type { RankBoundary, RankDiagram, RankDiagramPlotOptions } from "./lib/plot/rank_diagram_plot.ts";
// Part V: deep networks on MNIST (App. B.4 at CPU scale).
export { loadMnist, MNIST_COUNT, MNIST_SIDE } from "./lib/deep/mnist.ts";
export type { ImageDataset, LoadMnistOptions, MnistSplit } from "./lib/deep/mnist.ts";
export {
  createDeepNetwork,
  DEEP_ACTIVATIONS,
  deepNetworkGradient,
  evaluateDeepNetwork,
  layerSparsity,
  penultimateFeatures,
  trainDeepNetwork,
} from "./lib/deep/deep_network.ts";
export type {
  CreateDeepNetworkOptions,
  DeepActivation,
  DeepEvaluation,
  DeepGradient,
  DeepNetwork,
  DeepTrainingResult,
  LayerSparsityOptions,
  TrainDeepNetworkOptions,
} from "./lib/deep/deep_network.ts";
export { deepNetworkExperiment } from "./lib/deep/deep_network_experiment.ts";
export type { DeepExperiment, DeepOutcome } from "./lib/deep/deep_network_experiment.ts";
export { plotDigits } from "./lib/plot/digits_plot.ts";
export type { DigitsPlotOptions } from "./lib/plot/digits_plot.ts";
// Beyond the paper: the stability probe for any differentiable model (notebook 16).
export { finiteDifferenceHessianVectorProduct, hessianVectorProduct } from "./lib/probe/model.ts";
export type { DifferentiableModel, FiniteDifferenceHVP } from "./lib/probe/model.ts";
export {
  batchSharpness,
  PROBE_DENSE_DIMENSION,
  PROBE_DENSE_ENTRIES,
  stabilityProbe,
} from "./lib/probe/stability_probe.ts";
export type {
  BatchSharpnessOptions,
  StabilityProbe,
  StabilityProbeOptions,
  StabilityProbeRow,
  StabilityVerdict,
  StabilityVerdictValue,
} from "./lib/probe/stability_probe.ts";
export { deepNetworkModel, scalarNetworkModel, twoLayerNetworkModel } from "./lib/probe/adapters.ts";
export type { AdaptedModel, DeepNetworkModel, SampleData } from "./lib/probe/adapters.ts";
// Course material: the automatic checks of the notebooks' exercises (issue 13).
export { checkAnswer, EXERCISE_NAMES, TODO } from "./lib/course/check_answer.ts";
export type { CheckAnswerOptions, CheckResult } from "./lib/course/check_answer.ts";

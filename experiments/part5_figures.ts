/**
 * Part V of the paper at CPU scale (Figure 1(c), the end of §4.4, App. B.4, Figures 9–12): the figures `deno task
 * reproduce` writes.
 *
 * @module
 */

import { Plot, plotDocument, plotRankDiagram } from "../mod.ts";
import { fmt, type NamedFigure } from "./claims.ts";
import { batchSizeFigure } from "./part4_figures.ts";
import { NETWORK_SIZES, type NetworkResults } from "./part4_network.ts";
import {
  DEEP_MODEL,
  DEEP_PANELS,
  DEEP_SIZES,
  deepDiagram,
  type DeepResults,
  fittedTheoryBoundary,
  PENULTIMATE,
  theoryFit,
  twoLayerNoiseDiagram,
} from "./part5.ts";
import {
  DEEP_SEEDS,
  type DeepSeedResults,
  firstLowRankBySeed,
  firstLowRankLambdas,
  seededGrid,
} from "./part5_seeds.ts";
import { deepResults, fullDeepResults, networkResults as checkNetworkResults, seedResults } from "./checks.ts";

const NOISE_AXIS = { y: { label: "↑ label noise" }, rowName: "noise" };

/** The figures of Part V (and, given Part IV's results, Figure 1(c2–c3) over the same axes). */
export function* part5Figures(results: DeepResults, twoLayer?: NetworkResults): Generator<NamedFigure> {
  deepResults("part5Figures", results);
  if (twoLayer !== undefined) checkNetworkResults("part5Figures", twoLayer, "twoLayer");
  const { size } = results;
  const s = DEEP_SIZES[size];
  const tag = size === "deep-full" ? "" : "_notebook";
  const steps = `${s.steps} steps, batch 32`;
  for (const p of DEEP_PANELS) {
    const outcomes = results.panels[p.name];
    const fit = theoryFit(size, outcomes, p.lambdaScale);
    const what = p.name === "sgd"
      ? "SGD, dynamic label noise"
      : p.name === "adam"
      ? "Adam, dynamic label noise"
      : "SGD, static label noise";
    const id = p.name === "sgd" ? "figure1c1" : p.name === "adam" ? "figure1c4" : "figure11";
    yield {
      name: `${id}_mnist_rank_${p.name}${tag}`,
      caption: `${
        p.name === "static" ? "Figure 11 (left)" : p.name === "sgd" ? "Figure 1(c1)" : "Figure 1(c4)"
      } at CPU scale: rank of the 64-wide penultimate representation of 1,000 held-out MNIST digits, ${what}`,
      figure: plotRankDiagram(deepDiagram(size, outcomes, "rank", p.lambdaScale), {
        ...NOISE_AXIS,
        boundaries: Number.isFinite(fit.scale) ? [fittedTheoryBoundary(size, fit.scale, p.lambdaScale)] : [],
        title: `${what}: penultimate rank`,
        subtitle: `MNIST MLP, ${steps}. Line: 1-D theory, μ = 1 − noise (${fit.agree}/${fit.n} cells agree)`,
        width: 560,
        height: 420,
        color: { label: "rank of the penultimate representation" },
        x: { label: p.name === "adam" ? "Adam learning rate →" : "learning rate λ →" },
      }),
    };
    yield {
      name: `${id}_mnist_accuracy_${p.name}${tag}`,
      caption: `${p.name === "static" ? "Figure 11 (right)" : "App. B.4"}: test accuracy, ${what}`,
      figure: plotRankDiagram(deepDiagram(size, outcomes, "testAccuracy", p.lambdaScale), {
        ...NOISE_AXIS,
        title: `${what}: test accuracy`,
        subtitle: `MNIST MLP, ${steps}; 1,000 held-out digits`,
        width: 560,
        height: 420,
        color: { label: "test accuracy", scheme: "magma", domain: [0, 1] },
        x: { label: p.name === "adam" ? "Adam learning rate →" : "learning rate λ →" },
      }),
    };
  }
  for (const p of DEEP_PANELS.filter((q) => q.name !== "adam")) {
    const outcomes = results.panels[p.name];
    const layers = DEEP_MODEL.hidden.length + 1;
    for (let l = 0; l < layers; l++) {
      const diagram = deepDiagram(size, outcomes, { sparsity: l }, p.lambdaScale);
      yield {
        name: `${p.name === "sgd" ? "figure9" : "figure10"}_sparsity_layer${l + 1}${tag}`,
        caption: `${p.name === "sgd" ? "Figure 9" : "Figure 10"} at CPU scale: sparsity (|w| < 10⁻³) of layer ${
          l + 1
        }, ${p.noiseKind} label noise`,
        figure: plotRankDiagram({ ...diagram, maxRank: Math.max(0.05, diagram.maxRank) }, {
          ...NOISE_AXIS,
          title: `Layer ${l + 1} (${[28 * 28, ...DEEP_MODEL.hidden][l]} → ${
            [...DEEP_MODEL.hidden, 10][l]
          }): sparsity, ${p.noiseKind} noise`,
          subtitle: "fraction of weights with |w| < 10⁻³",
          width: 560,
          height: 420,
          color: { label: "sparsity", scheme: "blues" },
        }),
      };
    }
  }
  const b = s.batch;
  const rows = results.batch.map((r, i) => ({
    S: b.batchSizes[i % b.batchSizes.length],
    series: `noise ${b.noises[Math.floor(i / b.batchSizes.length)]}`,
    rank: r.diverged ? NaN : r.rank,
  }));
  yield {
    name: `figure12_mnist_batch_size${tag}`,
    caption:
      `Figure 12 at CPU scale: penultimate rank against the batch size (λ = ${b.learningRate}, ${s.steps} steps)`,
    figure: batchSizeFigure(rows, PENULTIMATE, {
      title: `Batch size and the penultimate rank`,
      subtitle: `MNIST, MLP 784-128-128-64-10, SGD, λ = ${b.learningRate}, ${s.steps} steps`,
      y: { label: "↑ penultimate rank" },
    }),
  };
  if (twoLayer) {
    const d = NETWORK_SIZES[twoLayer.size].dimension;
    for (const [panel, id] of [["linear", "figure1c2"], ["tanh", "figure1c3"]] as const) {
      yield {
        name: `${id}_two_layer_${panel}_d${d}`,
        caption: `Figure 1(${id.slice(-2)}): Part IV's ${panel} two-layer network (d = ${d}) over (λ, noise = 1 − μ)`,
        figure: plotRankDiagram(twoLayerNoiseDiagram(twoLayer, panel), {
          ...NOISE_AXIS,
          y: { label: "↑ noise 1 − μ" },
          title: `Two-layer ${panel} network, d = ${d}: rank of U`,
          subtitle: "Part IV's runs (Figures 7–8) with the noise 1 − μ upward, as in Figure 1(c)",
          width: 560,
          height: 420,
        }),
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------------------

/**
 * The SGD boundary of the full grid with the seeds (`deep-seeds`): each boundary cell at (λ, noise), coloured by the
 * majority of the seeds and labelled with the rank's mean [range] over the seeds; the black line joins the first
 * low-rank λ of each noise level by the majority, the red bars span the seeds' own first low-rank λ.
 */
export function seedBoundaryFigure(full: DeepResults, seeds: DeepSeedResults): NamedFigure {
  fullDeepResults("seedBoundaryFigure", full);
  seedResults("seedBoundaryFigure", seeds);
  const s = DEEP_SIZES["deep-full"];
  const cells = seeds.cells.map((c) => ({
    lambda: c.lambda,
    noise: c.noise,
    reading: c.diverged ? "diverged (≥ 2 of 3)" : c.low ? "rank ≤ 32 (≥ 2 of 3 seeds)" : "rank > 32",
    label: Number.isFinite(c.mean) ? `${fmt(c.mean, 3)} [${c.min}–${c.max}]` : "diverged",
  }));
  const majority = firstLowRankLambdas("deep-full", seededGrid(full, seeds).low);
  const bySeed = firstLowRankBySeed(full, seeds).map((b) => b.lambdas);
  const line = Array.from(s.noises, (noise, r) => ({ noise, lambda: majority[r] })).filter((p) =>
    Number.isFinite(p.lambda)
  );
  const spread = Array.from(s.noises, (noise, r) => {
    const xs = bySeed.map((b) => b[r]).filter(Number.isFinite);
    return { noise, lo: Math.min(...xs), hi: Math.max(...xs) };
  }).filter((p) => Number.isFinite(p.lo));
  const step = s.lambdas[1] - s.lambdas[0];
  return {
    name: "figure1c1_mnist_boundary_seeds",
    caption:
      `Figure 1(c1) at the collapse edge: the full SGD grid's boundary cells with ${DEEP_SEEDS.length} seeds each`,
    figure: Plot.plot({
      document: plotDocument(),
      width: 720,
      height: 460,
      marginLeft: 50,
      title: `SGD boundary on MNIST (${s.steps} steps, batch 32), ${DEEP_SEEDS.length} seeds per boundary cell`,
      subtitle:
        "Labels: mean rank [min–max] of the seeds · line: first λ with rank ≤ 32 by majority · red: each seed's own",
      // The domain spans the boundary cells drawn (half a grid step beyond them), not the whole grid.
      x: {
        label: "learning rate λ →",
        domain: [
          Math.min(...cells.map((c) => c.lambda)) - step / 2,
          Math.max(...cells.map((c) => c.lambda)) + step / 2,
        ],
      },
      y: { label: "↑ label noise", domain: [s.noises[0], s.noises[s.noises.length - 1]], inset: 24, grid: true },
      color: {
        legend: true,
        domain: ["rank ≤ 32 (≥ 2 of 3 seeds)", "rank > 32", "diverged (≥ 2 of 3)"],
        range: ["#0072B2", "#bbbbbb", "#000000"],
      },
      marks: [
        Plot.ruleY(spread, { y: "noise", x1: "lo", x2: "hi", stroke: "#D55E00", strokeWidth: 8, strokeOpacity: 0.35 }),
        Plot.line(line, { x: "lambda", y: "noise", stroke: "black" }),
        Plot.dot(cells, { x: "lambda", y: "noise", fill: "reading", r: 5, stroke: "white" }),
        Plot.text(cells, { x: "lambda", y: "noise", text: "label", dy: -11, fontSize: 9 }),
      ],
    }),
  };
}

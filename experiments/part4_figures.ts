/**
 * Part IV of the paper (Figure 1(a), §4.3 / Figure 5, §4.4 / Figures 7–8, App. B.2–B.3): the figures `deno task
 * reproduce` writes.
 *
 * @module
 */

import { OKABE_ITO } from "../lib/plot/render/legend_rows.ts";
import {
  distanceToPoint,
  type Figure,
  linspace,
  type PassThroughOptions,
  Plot,
  plotDocument,
  plotLandscape,
  plotParameterHistograms,
  plotRankDiagram,
  plotSolutionSelection,
  plotTrajectories,
  saddleExponents,
  scalarLandscape,
} from "../mod.ts";
import { fmt, type NamedFigure } from "./claims.ts";
import { BATCH, NETWORK_SIZES, type NetworkResults, PANELS, rankDiagram, theoryBoundaries } from "./part4_network.ts";
import {
  FIGURE1A,
  figure1aExponents,
  figure1aModel,
  figure1aPoints,
  figure1aRun,
  FIGURE5,
  figure5Exponents,
  figure5Model,
  figure5Points,
  figure5Predictions,
  figure5Sweep,
  figure5Test,
} from "./part4_scalar.ts";
import { check, networkResults as checkNetworkResults, objects, text } from "./checks.ts";

/** The figures of Figure 1(a) and §4.3 (scalar networks; seconds). */
export function* part4ScalarFigures(): Generator<NamedFigure> {
  const m1 = figure1aModel();
  const p1 = figure1aPoints(m1);
  const l1 = scalarLandscape(m1, { us: linspace(-1, 1, 121), ws: linspace(-4, 4, 161) });
  yield {
    name: "figure1a1_tanh_landscape",
    caption: "Figure 1(a1): the loss of u·tanh(wx), global minima (triangles), the saddle at the origin (star)",
    figure: plotLandscape(l1, {
      points: [
        ...p1.minima.map((p, i) => ({ name: i ? "min₂" : "min₁", u: p.u, w: p.w, kind: "minimum" })),
        { name: "saddle", u: 0, w: 0, kind: "saddle" },
      ],
      title: "Figure 1(a1): f(x) = u·tanh(wx)",
    }),
  };
  const run = figure1aRun(FIGURE1A.lambda, m1);
  const ex = figure1aExponents(FIGURE1A.lambda, m1);
  const m = Math.max(ex.plus, ex.minus);
  const dist = distanceToPoint(run, 0, 0);
  const start = dist.values[0];
  // E‖θₜ‖² of the linearized dynamics grows like the larger of E(1 ± λχ)² (E(1 + λχ)² from χ → −χ).
  const grow = Math.max(
    ex.meanSquare,
    saddleExponents(Array.from(m1.x, (x, i) => -x * m1.y[i]), FIGURE1A.lambda).meanSquare,
  );
  yield {
    name: "figure1a2_saddle_in_probability",
    caption:
      `Figure 1(a2): λ = ${FIGURE1A.lambda}, log‖(uₜ, wₜ)‖ of 50 runs, their median (black) and the prediction m·t (orange-red, dashed)`,
    figure: plotTrajectories(dist, {
      exponent: m,
      floor: -30,
      title: `Figure 1(a2), λ = ${FIGURE1A.lambda}: SGD converges to the saddle in probability`,
      subtitle: `orange-red, dashed: the prediction m·t, m = ${
        fmt(m, 3)
      } per step; dotted: √E‖θₜ‖² of the linearized dynamics, ∝ ${fmt(Math.sqrt(grow), 3)}ᵗ`,
      y: { label: "↑ log₁₀‖(uₜ, wₜ)‖", domain: [-30, 1] },
      marks: [
        Plot.line([0, (2 * (1 * Math.LN10 - start)) / Math.log(grow)], {
          x: (t: number) => t,
          y: (t: number) => (start + 0.5 * t * Math.log(grow)) / Math.LN10,
          stroke: "#555",
          strokeDasharray: "1,3",
          strokeWidth: 2,
        }),
      ],
    }),
  };
  yield {
    name: "figure1a2_histograms",
    caption: "Figure 1(a2), inset: u and w over 1000 runs before and after 2000 steps at λ = 0.5",
    figure: plotParameterHistograms(run, {
      title: "Figure 1(a2) inset: parameters before and after training",
      limit: 1.5,
    }),
  };
  const m5 = figure5Model(), t5 = figure5Test();
  const pts = figure5Points(m5, t5);
  const l5 = scalarLandscape(m5, { us: linspace(-0.4, 0.4, 121), ws: linspace(-3, 3, 181) });
  yield {
    name: "figure5_swish_landscape",
    caption: "Figure 5 (left): the loss of u·swish(wx) on §4.3's 100 points, minima A and B, saddle C",
    figure: plotLandscape(l5, {
      points: pts.map((p) => ({ name: p.name, u: p.u, w: p.w, kind: p.kind })),
      title: "Figure 5 (left): f(x) = u·swish(wx)",
    }),
  };
  const exps = figure5Exponents(pts, FIGURE5.lambdas, m5);
  for (const start of ["B", "A"] as const) {
    const sweep = figure5Sweep(pts, start, m5, t5);
    const pred = figure5Predictions(pts, exps, start);
    yield {
      name: `figure5_from_${start}`,
      caption: `Figure 5 (${
        start === "B" ? "middle" : "right"
      }): started at ${start}, test loss of the final parameters vs λ with both theories`,
      figure: plotSolutionSelection(sweep, {
        predictions: [
          { label: "linear stability (2/h)", lambdas: FIGURE5.lambdas, testLoss: pred.linear },
          { label: "probabilistic stability (Lyapunov)", lambdas: FIGURE5.lambdas, testLoss: pred.probabilistic },
        ],
        title: `Figure 5: SGD started at ${start}`,
        subtitle: "median and quartiles of 100 runs of 5000 steps; labels: the most common endpoint",
      }),
    };
  }
}

/** The figures of §4.4 at one size from its results. */
export function* part4NetworkFigures(results: NetworkResults): Generator<NamedFigure> {
  checkNetworkResults("part4NetworkFigures", results);
  const { size } = results;
  const d = NETWORK_SIZES[size].dimension;
  const bounds = theoryBoundaries();
  for (const p of PANELS) {
    const diagram = rankDiagram(size, results.panels[p.name]);
    const isAdam = p.optimizer === "adam";
    yield {
      name: `figure${
        isAdam ? "8_adam" : p.name === "linear" || p.name === "tanh" ? "7_" + p.name : "8_" + p.name
      }_d${d}`,
      caption: `${
        isAdam ? "App. B.3" : "Figures 7–8"
      }: rank of the last layer of a ${d} → ${d} → ${d} ${p.activation} network trained by ${p.optimizer.toUpperCase()}${
        isAdam ? " (λ/25)" : ""
      }`,
      figure: plotRankDiagram(diagram, {
        boundaries: isAdam ? [] : bounds,
        title: `${p.name === "adam" ? "Adam, linear" : p.name} network, d = ${d}: rank of U after ${
          NETWORK_SIZES[size].steps
        } steps`,
        subtitle: isAdam
          ? "Adam's learning rate is λ/25"
          : "loss ‖f − y‖²/d (PyTorch's MSELoss); lines: the 1-D theory at λ₁D = λ",
      }),
    };
  }
  const eff = rankDiagram(size, results.panels.adam, true);
  yield {
    name: `figure8_adam_effective_rank_d${d}`,
    caption: `App. B.3: effective rank of Adam's last layer, d = ${d}`,
    figure: plotRankDiagram(eff, {
      title: `Adam (linear network), d = ${d}: effective rank of U`,
      subtitle: "exp of the entropy of s/Σs (Roy & Vetterli 2007); Adam's learning rate is λ/25",
      color: { label: "effective rank" },
    }),
  };
  const rows = results.batch.map((r, i) => ({
    S: BATCH.batchSizes[i % BATCH.batchSizes.length],
    series: `λ = ${BATCH.lambdas[Math.floor(i / BATCH.batchSizes.length)]}`,
    rank: r.diverged ? NaN : r.rank,
  }));
  yield {
    name: `batch_size_rank_d${d}`,
    caption: `§4.2 / App. B: rank of the trained linear network against the batch size (μ = ${BATCH.mu}), d = ${d}`,
    figure: batchSizeFigure(rows, d, {
      title: `Batch size and the low-rank phase (μ = ${BATCH.mu}, d = ${d})`,
      y: { label: "↑ rank of U" },
    }),
  };
}

/**
 * Rank against the batch size (log₂ axis), one line per series, the full rank dashed: the batch-size figures of Parts
 * IV and V. `options` are passed to `Plot.plot` (title, subtitle, the y label).
 */
export function batchSizeFigure(
  rows: Array<{ S: number; series: string; rank: number }>,
  maxRank: number,
  options: PassThroughOptions = {},
): Figure {
  const fn = "batchSizeFigure";
  objects<{ S: number; series: string; rank: number }>(fn, "rows", rows).forEach((r, i) => {
    check.integerInRange(fn, `rows[${i}].S`, r.S);
    text(fn, `rows[${i}].series`, r.series);
    // NaN marks a diverged run (a gap in its line).
    if (typeof r.rank !== "number" || r.rank === Infinity || r.rank === -Infinity) {
      throw new (typeof r.rank === "number" ? RangeError : TypeError)(
        `Invalid rows[${i}].rank in ${fn}: expected a finite number, or NaN for a diverged run; received ${
          check.describe(r.rank)
        }.`,
      );
    }
  });
  check.positiveNumber(fn, "maxRank", maxRank);
  check.object(fn, "options", options); // pass-through Plot options may hold null
  return Plot.plot({
    document: plotDocument(),
    width: 520,
    height: 320,
    x: { type: "log", base: 2, label: "batch size S →" },
    color: { legend: true, range: [...OKABE_ITO] },
    ...options,
    // The domain follows the data and the full-rank line (no empty band down to 0).
    y: { grid: true, ...options.y },
    marks: [
      Plot.line(rows, { x: "S", y: "rank", stroke: "series", marker: "circle" }),
      Plot.ruleY([maxRank], { strokeDasharray: "4,3" }),
    ],
  });
}

/**
 * Part V of the paper at CPU scale (Figure 1(c), the end of §4.4, App. B.4, Figures 9–12): the claims checked by the
 * toolkit on the results of one size.
 *
 * @module
 */

import type { DeepOutcome } from "../mod.ts";
import { agreeIf, type ClaimDefinition, defineClaim, errataWhen, fmt, type Judgement } from "./claims.ts";

/** V-01's rule on one reading of the grid. */
function judgeV01(v: { finite: boolean; lower: number; columns: number; meansFall: boolean }): Judgement {
  return agreeIf(
    v.finite && v.lower >= 0.75 * v.columns && v.meansFall,
    "some noise level reaches low rank, the noisiest row has the lower rank in ≥ 75 % of the λ columns, and the mean " +
      "rank below the collapse falls with noise (last row below the first, last third below the first third)",
  );
}

/** V-02's rule on one reading of the grid. */
function judgeV02(v: { agree: number; baseline: number }): Judgement {
  return agreeIf(
    v.agree > v.baseline,
    "the fitted 1-D theory classifies more SGD cells than the noise-blind threshold",
  );
}

/** V-09's rule on the first low-rank λ per noise level. */
function judgeV09(v: { crit: number[] }): Judgement {
  return agreeIf(
    nonIncreasing(v.crit) && v.crit[v.crit.length - 1] < v.crit[0],
    "the first low-rank λ never rises with the noise and is smaller at the largest noise than at noise 0",
  );
}
import {
  criticalLearningRates,
  DEEP_MODEL,
  DEEP_SIZES,
  type DeepResults,
  isDeepLowRank,
  PENULTIMATE,
  theoryFit,
  theoryFitClasses,
} from "./part5.ts";
import {
  DEEP_SEEDS,
  type DeepSeedResults,
  firstLowRankBySeed,
  firstLowRankLambdas,
  seededGrid,
} from "./part5_seeds.ts";
import { deepResults, seedResults } from "./checks.ts";

/** Whether a sequence never increases (∞ allowed). */
function nonIncreasing(xs: number[]): boolean {
  return xs.every((x, i) => i === 0 || x <= xs[i - 1]);
}

/** Whether f(0) > f(n − 1) and f falls overall (Spearman-free: the last third below the first third). */
function nonIncreasingMeans(n: number, f: (r: number) => number): boolean {
  const values = Array.from({ length: n }, (_, r) => f(r));
  const third = Math.max(1, Math.floor(n / 3));
  const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
  return values[n - 1] < values[0] && mean(values.slice(-third)) < mean(values.slice(0, third));
}

/** Whether any noise level reached low rank. */
function finiteRates(xs: number[]): boolean {
  return xs.some(Number.isFinite);
}

const rates = (xs: number[]) => xs.map((x) => (Number.isFinite(x) ? fmt(x, 3) : "none")).join(", ");

/** A reading of the SGD grid (row-major): each cell's low-rank and diverged classification and its rank. */
interface GridView {
  low: boolean[];
  diverged: boolean[];
  rank: number[];
}

/** The single-seed reading of a panel. */
function singleView(outcomes: DeepOutcome[]): GridView {
  return {
    low: outcomes.map(isDeepLowRank),
    diverged: outcomes.map((o) => o.diverged),
    rank: outcomes.map((o) => (o.diverged ? NaN : o.rank)),
  };
}

/** The two seed readings of the full SGD grid: by the majority of the seeds, and by their mean rank. */
function seedViews(results: DeepResults, seeds: DeepSeedResults): { majority: GridView; mean: GridView } {
  const g = seededGrid(results, seeds);
  const majority = { low: g.low, diverged: g.diverged, rank: g.rank };
  const mean = { ...majority, low: g.rank.map((r, i) => !g.diverged[i] && r <= PENULTIMATE / 2) };
  return { majority, mean };
}

/** The sentence closing a re-decided row: the rules, the other rule's verdict and the change from one seed. */
function seedVerdictText(
  seeds: DeepSeedResults,
  verdict: { single: string; majority: string; mean: string },
): string {
  const n = DEEP_SEEDS.length;
  return `Re-decided with ${n} seeds at the ${seeds.cells.length} cells next to the boundary (seed 0 elsewhere): a cell is low rank iff ≥ ${
    Math.floor(n / 2) + 1
  } of ${n} seeds end with rank ≤ ${PENULTIMATE / 2}, diverged iff ≥ ${
    Math.floor(n / 2) + 1
  } diverge, its rank is the seeds' mean; verdict ${verdict.majority} (single seed: ${verdict.single}, ${
    verdict.single === verdict.majority ? "unchanged" : "changed"
  }; reading low rank as mean rank ≤ ${PENULTIMATE / 2} instead: ${verdict.mean})`;
}

/**
 * The claims of Part V checked on the results of one size. Given `seeds` (the `deep-seeds` runs at the boundary of the
 * full SGD grid, {@linkcode DeepSeedResults}), rows V-01, V-02 and V-09 are re-decided on the grid read with the seeds
 * and say whether the verdict changed from the single-seed one.
 */
export function part5Claims(results: DeepResults, seeds?: DeepSeedResults): ClaimDefinition[] {
  deepResults("part5Claims", results);
  if (seeds !== undefined) seedResults("part5Claims", seeds);
  const { size } = results;
  const s = DEEP_SIZES[size];
  const notebook = "14_deep_networks";
  const grid = `${s.lambdas.length} λ × ${s.noises.length} noise levels, ${s.steps} steps`;
  const sgd = results.panels.sgd, adam = results.panels.adam, stat = results.panels.static;
  const row = (outcomes: DeepOutcome[], r: number) => outcomes.slice(r * s.lambdas.length, (r + 1) * s.lambdas.length);
  const lowCount = (xs: DeepOutcome[]) => xs.filter(isDeepLowRank).length;
  return [
    defineClaim({
      id: "V-01",
      where: "§4.4, Figure 1(c1), App. B.4",
      claim:
        "With label noise and a large learning rate, SGD's penultimate representation collapses to low rank; noise lowers the rank",
      notebook,
      measure() {
        const v01 = (g: GridView) => {
          const crit = firstLowRankLambdas(size, g.low);
          const rowOf = <T>(xs: T[], r: number) => xs.slice(r * s.lambdas.length, (r + 1) * s.lambdas.length);
          const last = s.noises.length - 1;
          // Does noise lower the rank at a fixed λ? Columns where both ends are finite and not both collapsed.
          let lower = 0, columns = 0;
          rowOf(g.rank, last).forEach((t, k) => {
            const b = rowOf(g.rank, 0)[k];
            if (rowOf(g.diverged, last)[k] || rowOf(g.diverged, 0)[k] || (t === 0 && b === 0)) return;
            columns++;
            if (t < b) lower++;
          });
          // The mean rank of each row below the clean run's collapse (λ < the first low-rank λ at noise 0).
          const meanBelow = (r: number) => {
            const xs = rowOf(g.rank, r).filter((_x, k) =>
              s.lambdas[k] < (crit[0] ?? Infinity) && !rowOf(g.diverged, r)[k]
            );
            return xs.reduce((a, x) => a + x, 0) / Math.max(1, xs.length);
          };
          const lowCells = g.low.filter(Boolean).length;
          const text = `rank ≤ 32 of 64 in ${lowCells}/${g.low.length} cells, all at λ ≥ ${
            fmt(Math.min(...crit), 3)
          }; first low-rank λ per noise level ${Array.from(s.noises, (p) => fmt(p, 2)).join("/")}: ${
            rates(crit)
          }. Below the clean run's collapse (λ < ${fmt(crit[0], 3)}) the mean rank falls with noise: ${
            Array.from(s.noises, (_, r) => fmt(meanBelow(r), 3)).join(", ")
          }; the noisiest row has the lower rank in ${lower}/${columns} λ columns`;
          const values = {
            finite: finiteRates(crit),
            lower,
            columns,
            meansFall: nonIncreasingMeans(s.noises.length, meanBelow),
          };
          return { text, values, verdict: judgeV01(values).verdict };
        };
        const single = v01(singleView(sgd));
        if (!seeds) return { measured: `MLP on MNIST (${grid}): ${single.text}`, values: single.values };
        const views = seedViews(results, seeds);
        const majority = v01(views.majority), mean = v01(views.mean);
        return {
          measured: `MLP on MNIST (${grid}), seed 0: ${single.text}. With the seeds: ${majority.text}. ${
            seedVerdictText(seeds, { single: single.verdict, majority: majority.verdict, mean: mean.verdict })
          }`,
          values: majority.values,
        };
      },
      judge: judgeV01,
    }),
    defineClaim({
      id: "V-02",
      where: "Figure 1(c1–c3)",
      claim: "“The phase boundary agrees qualitatively with simple two-layer networks” (the 1-D theory of Parts II/IV)",
      notebook,
      measure() {
        const adamFit = theoryFit(size, adam, 1 / 50);
        const v02 = (g: GridView) => {
          const fit = theoryFitClasses(size, g.low, g.diverged.map((d) => !d));
          return {
            text: `the 1-D saddle boundary (Prop. 2, σ = 2, μ = 1 − noise) with one fitted scale λ₁D = ${
              fmt(fit.scale, 3)
            }·λ classifies ${fit.agree}/${fit.n} cells (low rank ⇔ attracting); the best noise-blind threshold in λ classifies ${fit.baseline}/${fit.n}`,
            values: { agree: fit.agree, baseline: fit.baseline },
            verdict: judgeV02(fit).verdict,
          };
        };
        const single = v02(singleView(sgd));
        const adamText = `Adam: ${adamFit.agree}/${adamFit.n} vs ${adamFit.baseline}/${adamFit.n}`;
        if (!seeds) return { measured: `SGD: ${single.text}. ${adamText}`, values: single.values };
        const views = seedViews(results, seeds);
        const majority = v02(views.majority), mean = v02(views.mean);
        return {
          measured: `SGD, seed 0: ${single.text}. ${adamText}. SGD with the seeds: ${majority.text}. ${
            seedVerdictText(seeds, { single: single.verdict, majority: majority.verdict, mean: mean.verdict })
          }`,
          values: majority.values,
        };
      },
      judge: judgeV02,
    }),
    defineClaim({
      id: "V-03",
      where: "Figure 1(c4), App. B.3",
      claim: "Adam shows the same phase diagram: low rank at large learning rate and noise",
      notebook,
      measure() {
        const crit = criticalLearningRates(size, adam, 1 / 50);
        const top = row(adam, s.noises.length - 1), bottom = row(adam, 0);
        return {
          measured: `Adam (learning rate λ/50): rank ≤ 32 in ${
            lowCount(adam)
          }/${adam.length} cells; first low-rank rate per noise level: ${rates(crit)}; ${
            lowCount(top)
          }/${top.length} at the largest noise vs ${lowCount(bottom)}/${bottom.length} without`,
          values: { crit, top: lowCount(top), bottom: lowCount(bottom) },
        };
      },
      judge: ({ crit, top, bottom }) =>
        agreeIf(
          nonIncreasing(crit) && top > bottom,
          "the first low-rank rate never rises with the noise and the noisiest row has more low-rank cells than noise 0",
        ),
    }),
    defineClaim({
      id: "V-04",
      where: "§4.4 (last paragraph), Figure 11",
      claim:
        "“The effect is not due to having a dynamical label noise”: static noise gives “the same results with almost the same regime boundaries”",
      notebook,
      measure() {
        let same = 0, n = 0;
        sgd.forEach((r, i) => {
          if (r.diverged || stat[i].diverged) return;
          n++;
          if (isDeepLowRank(r) === isDeepLowRank(stat[i])) same++;
        });
        return {
          measured:
            `low-rank classification identical in ${same}/${n} cells; first low-rank λ per noise level: dynamic ${
              rates(criticalLearningRates(size, sgd))
            }; static ${rates(criticalLearningRates(size, stat))}`,
          values: { same, n },
        };
      },
      judge: ({ same, n }) => agreeIf(same >= 0.8 * n, "the classification is identical in ≥ 80 % of the cells"),
    }),
    defineClaim({
      id: "V-05",
      where: "Figure 11 caption",
      claim:
        "With static noise, “the model has full rank but random-guess level performance for large noise and small learning rates”",
      notebook,
      measure() {
        const top = row(stat, s.noises.length - 1);
        const r0 = top[0];
        const other = results.relabel[0];
        return {
          measured: `static noise ${fmt(s.noises[s.noises.length - 1], 2)}, λ = ${
            fmt(s.lambdas[0], 3)
          }, labels reselected uniformly (App. B.4): rank ${r0.rank}/64, test accuracy ${
            fmt(r0.testAccuracy, 3)
          } (chance ≈ 0.1; noise 0: ${
            fmt(row(stat, 0)[0].testAccuracy, 3)
          }) — the true label keeps probability 1 − 0.9p = ${
            fmt(1 - 0.9 * s.noises[s.noises.length - 1], 2)
          }, more than any other class. Flipped to another class (§4.4's wording): rank ${other.rank}/64, accuracy ${
            fmt(other.testAccuracy, 3)
          }`,
          values: { diverged: other.diverged, rank: other.rank, accuracy: other.testAccuracy },
        };
      },
      // The caption holds under §4.4's definition (see V-08 for the two definitions).
      judge: ({ diverged, rank, accuracy }) =>
        agreeIf(
          !diverged && rank > 32 && accuracy < 0.2,
          "with §4.4's flipped labels the run does not diverge, keeps rank > 32 of 64 and has test accuracy < 0.2",
        ),
    }),
    defineClaim({
      id: "V-06",
      where: "Figure 12, App. B.4",
      claim: "“The rank of the learned representation decreases as we decrease the batch size of SGD”",
      notebook,
      measure() {
        const b = s.batch;
        const series = b.noises.map((p, j) => ({
          p,
          ranks: results.batch.slice(j * b.batchSizes.length, (j + 1) * b.batchSizes.length).map((r) =>
            r.diverged ? NaN : r.rank
          ),
        }));
        return {
          measured: `λ = ${b.learningRate}, ${s.steps} steps, S = ${b.batchSizes.join(", ")}: ${
            series.map(({ p, ranks }) => `noise ${p}: ranks ${ranks.join(", ")}`).join("; ")
          }`,
          values: { ranks: series.map((x) => x.ranks) },
        };
      },
      judge: ({ ranks }) =>
        agreeIf(
          ranks.every((r) => r.every((x, i) => i === 0 || x >= r[i - 1] - 2) && r[r.length - 1] > r[0]),
          "at every noise level the rank never falls by more than 2 as S grows and is higher at the largest S",
        ),
    }),
    defineClaim({
      id: "V-07",
      where: "App. B.4, Figures 9–10",
      claim:
        "The sparsity of the layers (fraction of weights ≈ 0) shows the same phase diagram (the paper: “qualitatively similar”)",
      notebook,
      measure() {
        const layers = DEEP_MODEL.hidden.length + 1;
        const byLayer = Array.from({ length: layers }, (_, l) => {
          const low = sgd.filter(isDeepLowRank).map((r) => r.sparsity[l]);
          const full = sgd.filter((r) => !r.diverged && !isDeepLowRank(r)).map((r) => r.sparsity[l]);
          const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / Math.max(1, xs.length);
          return { low: mean(low), full: mean(full) };
        });
        // P(|w| < t) for w ~ N(0, σ²) is ≈ 2t/(σ√(2π)) for t ≪ σ; layer 1: σ = √(2/784).
        const init = (2 * DEEP_MODEL.sparsityThreshold) / (Math.sqrt(2 / 784) * Math.sqrt(2 * Math.PI));
        return {
          measured: `mean sparsity (|w| < 10⁻³) of layers 1–${layers} in low-rank vs full-rank cells: ${
            byLayer.map(({ low, full }) => `${fmt(100 * low, 2)}% vs ${fmt(100 * full, 2)}%`).join("; ")
          } (He initialization alone gives ≈ ${
            fmt(100 * init, 2)
          }% in layer 1). Without weight decay a dead unit's weights get no gradient and stay at their initial values, so no sparsity phase appears`,
          values: { byLayer },
        };
      },
      judge: ({ byLayer }) =>
        agreeIf(
          byLayer.some(({ low, full }) => low > 2 * full + 0.01),
          "in some layer the low-rank cells are more than twice as sparse as the full-rank ones (+ 1 point)",
        ),
    }),
    defineClaim({
      id: "V-08",
      where: "§4.4 vs App. B.4",
      claim:
        "Label noise: “a correct label is flipped to a random label with probability noise” (§4.4) vs “the probability of reselecting the label from a uniform distribution” (App. B.4)",
      notebook,
      measure() {
        const p = s.noises[s.noises.length - 1];
        const [st, dy] = results.relabel;
        const uniformStatic = row(stat, s.noises.length - 1)[0], uniformDynamic = row(sgd, s.noises.length - 1)[0];
        return {
          measured:
            `the two definitions differ: at noise p the true label keeps probability 1 − p + p/10 (reselect) or 1 − p (flip); at p = ${
              fmt(p, 2)
            }, λ = ${fmt(s.lambdas[0], 3)}: test accuracy ${fmt(uniformStatic.testAccuracy, 3)} (reselect) vs ${
              fmt(st.testAccuracy, 3)
            } (flip), static noise; ${fmt(uniformDynamic.testAccuracy, 3)} vs ${
              fmt(dy.testAccuracy, 3)
            }, dynamic. The toolkit's grids use App. B.4's definition`,
          values: { reselect: uniformStatic.testAccuracy, flip: st.testAccuracy },
        };
      },
      judge: ({ reselect, flip }) =>
        errataWhen(
          Math.abs(reselect - flip) > 0.05,
          "the two definitions give test accuracies more than 0.05 apart (static noise, largest p, smallest λ)",
        ),
    }),
    defineClaim({
      id: "V-09",
      where: "§4.4, Figure 1(c1) vs (c2–c3)",
      claim:
        "As in the two-layer phase diagrams, the low-rank phase starts at a smaller learning rate when the noise is larger (the boundary slopes)",
      notebook,
      measure() {
        const adamCrit = criticalLearningRates(size, adam, 1 / 50);
        const levels = Array.from(s.noises, (p) => fmt(p, 2)).join("/");
        const v09 = (low: boolean[]) => {
          const crit = firstLowRankLambdas(size, low);
          return { crit, verdict: judgeV09({ crit }).verdict };
        };
        const single = v09(singleView(sgd).low);
        if (!seeds) {
          return {
            measured: `first λ with rank ≤ 32 per noise level ${levels}: SGD ${rates(single.crit)}; Adam (rate λ/50) ${
              rates(adamCrit)
            }`,
            values: { crit: single.crit },
          };
        }
        const views = seedViews(results, seeds);
        const majority = v09(views.majority.low), mean = v09(views.mean.low);
        const bySeed = firstLowRankBySeed(results, seeds);
        const spread = Array.from(
          s.noises,
          (p, r) =>
            `${fmt(p, 2)}: ${Number.isFinite(majority.crit[r]) ? fmt(majority.crit[r], 3) : "none"} (${
              bySeed.map((b) =>
                `${b.belowRun[r] ? "≤ " : ""}${Number.isFinite(b.lambdas[r]) ? fmt(b.lambdas[r], 3) : "none"}`
              ).join("/")
            })`,
        ).join("; ");
        return {
          measured: `first λ with rank ≤ 32 per noise level ${levels}: SGD seed 0 ${
            rates(single.crit)
          }; Adam (rate λ/50) ${
            rates(adamCrit)
          }. SGD by the majority of ${DEEP_SEEDS.length} seeds, per noise level (each seed's own first λ): ${spread}${
            bySeed.some((b) => b.belowRun.some(Boolean))
              ? " (≤: the leftmost cell run with that seed; the smaller λ of its row were run with seed 0 only)"
              : ""
          }. ${seedVerdictText(seeds, { single: single.verdict, majority: majority.verdict, mean: mean.verdict })}`,
          values: { crit: majority.crit },
        };
      },
      judge: judgeV09,
    }),
  ];
}

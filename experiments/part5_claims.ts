/**
 * Part V of the paper at CPU scale (Figure 1(c), the end of §4.4, App. B.4, Figures 9–12): the claims checked by the
 * toolkit on the results of one size.
 *
 * @module
 */

import type { DeepOutcome } from "../mod.ts";
import { type ClaimDefinition, fmt } from "./claims.ts";
import { criticalLearningRates, DEEP_MODEL, DEEP_SIZES, type DeepResults, isDeepLowRank, theoryFit } from "./part5.ts";

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

/** The claims of Part V checked on the results of one size. */
export function part5Claims(results: DeepResults): ClaimDefinition[] {
  const { size } = results;
  const s = DEEP_SIZES[size];
  const notebook = "14_deep_networks";
  const grid = `${s.lambdas.length} λ × ${s.noises.length} noise levels, ${s.steps} steps`;
  const sgd = results.panels.sgd, adam = results.panels.adam, stat = results.panels.static;
  const row = (outcomes: DeepOutcome[], r: number) => outcomes.slice(r * s.lambdas.length, (r + 1) * s.lambdas.length);
  const lowCount = (xs: DeepOutcome[]) => xs.filter(isDeepLowRank).length;
  return [
    {
      id: "V-01",
      where: "§4.4, Figure 1(c1), App. B.4",
      claim:
        "With label noise and a large learning rate, SGD's penultimate representation collapses to low rank; noise lowers the rank",
      notebook,
      measure() {
        const crit = criticalLearningRates(size, sgd);
        const top = row(sgd, s.noises.length - 1), bottom = row(sgd, 0);
        // Does noise lower the rank at a fixed λ? Columns where both ends are finite and not both collapsed.
        let lower = 0, columns = 0;
        top.forEach((t, k) => {
          const b = bottom[k];
          if (t.diverged || b.diverged || (t.rank === 0 && b.rank === 0)) return;
          columns++;
          if (t.rank < b.rank) lower++;
        });
        const meanRank = (outcomes: DeepOutcome[]) => {
          const finite = outcomes.filter((o) => !o.diverged);
          return finite.reduce((a, o) => a + o.rank, 0) / Math.max(1, finite.length);
        };
        const below = (r: number) => row(sgd, r).filter((_, k) => s.lambdas[k] < (crit[0] ?? Infinity));
        return {
          measured: `MLP on MNIST (${grid}): rank ≤ 32 of 64 in ${lowCount(sgd)}/${sgd.length} cells, all at λ ≥ ${
            fmt(Math.min(...crit), 3)
          }; first low-rank λ per noise level ${Array.from(s.noises, (p) => fmt(p, 2)).join("/")}: ${
            rates(crit)
          }. Below the clean run's collapse (λ < ${fmt(crit[0], 3)}) the mean rank falls with noise: ${
            Array.from(s.noises, (_, r) => fmt(meanRank(below(r)), 3)).join(", ")
          }; the noisiest row has the lower rank in ${lower}/${columns} λ columns`,
          verdict: finiteRates(crit) && lower >= 0.75 * columns &&
              nonIncreasingMeans(s.noises.length, (r) => meanRank(below(r)))
            ? "agree"
            : "disagree",
        };
      },
    },
    {
      id: "V-02",
      where: "Figure 1(c1–c3)",
      claim: "“The phase boundary agrees qualitatively with simple two-layer networks” (the 1-D theory of Parts II/IV)",
      notebook,
      measure() {
        const fit = theoryFit(size, sgd);
        const adamFit = theoryFit(size, adam, 1 / 50);
        return {
          measured: `SGD: the 1-D saddle boundary (Prop. 2, σ = 2, μ = 1 − noise) with one fitted scale λ₁D = ${
            fmt(fit.scale, 3)
          }·λ classifies ${fit.agree}/${fit.n} cells (low rank ⇔ attracting); the best noise-blind threshold in λ classifies ${fit.baseline}/${fit.n}. Adam: ${adamFit.agree}/${adamFit.n} vs ${adamFit.baseline}/${adamFit.n}`,
          verdict: fit.agree > fit.baseline ? "agree" : "disagree",
        };
      },
    },
    {
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
          verdict: nonIncreasing(crit) && lowCount(top) > lowCount(bottom) ? "agree" : "disagree",
        };
      },
    },
    {
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
          verdict: same >= 0.8 * n ? "agree" : "disagree",
        };
      },
    },
    {
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
          // The caption holds under §4.4's definition (see V-08 for the two definitions).
          verdict: !other.diverged && other.rank > 32 && other.testAccuracy < 0.2 ? "agree" : "disagree",
        };
      },
    },
    {
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
        const monotone = series.every(({ ranks }) => ranks.every((x, i) => i === 0 || x >= ranks[i - 1] - 2));
        const rises = series.every(({ ranks }) => ranks[ranks.length - 1] > ranks[0]);
        return {
          measured: `λ = ${b.learningRate}, ${s.steps} steps, S = ${b.batchSizes.join(", ")}: ${
            series.map(({ p, ranks }) => `noise ${p}: ranks ${ranks.join(", ")}`).join("; ")
          }`,
          verdict: monotone && rises ? "agree" : "disagree",
        };
      },
    },
    {
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
        const differs = byLayer.some(({ low, full }) => low > 2 * full + 0.01);
        return {
          measured: `mean sparsity (|w| < 10⁻³) of layers 1–${layers} in low-rank vs full-rank cells: ${
            byLayer.map(({ low, full }) => `${fmt(100 * low, 2)}% vs ${fmt(100 * full, 2)}%`).join("; ")
          } (He initialization alone gives ≈ ${
            fmt(100 * init, 2)
          }% in layer 1). Without weight decay a dead unit's weights get no gradient and stay at their initial values, so no sparsity phase appears`,
          verdict: differs ? "agree" : "disagree",
        };
      },
    },
    {
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
          verdict: "errata",
        };
      },
    },
    {
      id: "V-09",
      where: "§4.4, Figure 1(c1) vs (c2–c3)",
      claim:
        "As in the two-layer phase diagrams, the low-rank phase starts at a smaller learning rate when the noise is larger (the boundary slopes)",
      notebook,
      measure() {
        const crit = criticalLearningRates(size, sgd);
        const adamCrit = criticalLearningRates(size, adam, 1 / 50);
        const last = crit.length - 1;
        return {
          measured: `first λ with rank ≤ 32 per noise level ${Array.from(s.noises, (p) => fmt(p, 2)).join("/")}: SGD ${
            rates(crit)
          }; Adam (rate λ/50) ${rates(adamCrit)}`,
          verdict: nonIncreasing(crit) && crit[last] < crit[0] ? "agree" : "disagree",
        };
      },
    },
  ];
}

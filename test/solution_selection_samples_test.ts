// §4.3 over many samples (experiments/solution_selection_samples.ts): the sample builder, the per-sample analysis
// against findStationaryPoint, and the statistics' bookkeeping on a few samples.
import assert from "node:assert/strict";
import { findStationaryPoint } from "../mod.ts";
import {
  analyzeSection43Sample,
  SECTION43_SAMPLE_CLAIMS,
  section43LandscapeStatistics,
  section43SelectionStatistics,
  section43SelectionTable,
  section43SummaryTable,
} from "../experiments/solution_selection_samples.ts";
import { figure5Model } from "../experiments/part4_scalar.ts";
import { assertClose } from "./assert_close.ts";

Deno.test("analyzeSection43Sample: seed 119 (Figure 5's sample) has a minimum on each side, fixed points of Newton's method", () => {
  const a = analyzeSection43Sample(119);
  assert.ok(a.A && a.B);
  const model = figure5Model(119);
  for (const p of [a.A, a.B]) {
    const q = findStationaryPoint(model, p.u, p.w);
    assertClose(q.u, p.u, { abs: 1e-10 }, "u");
    assertClose(q.w, p.w, { abs: 1e-10 }, "w");
    assert.equal(q.kind, "minimum");
    assertClose(q.eigenvalues[0], p.sharpness, { abs: 1e-12 }, "sharpness");
  }
  assert.ok(a.A.w < 0 && a.B.w > 0);
  assert.equal(a.A.correctSign, a.A.u * a.A.w > 0);
});

Deno.test("section43 statistics on 12 samples: counts are consistent, tables and claim rows have their shape", () => {
  const s = section43LandscapeStatistics(12);
  assert.equal(s.analyses.length, s.twoMinima.length);
  assert.ok(s.oppositeSigns <= s.twoMinima.length && s.correctSharper <= s.oppositeSigns);
  assert.equal(section43SummaryTable(s).length, 11);
  const sel = section43SelectionStatistics({ count: 12, steps: 200, runs: 2 });
  assert.equal(sel.samples, s.twoMinima.length);
  const C = sel.classes.length;
  for (const start of ["A", "B"] as const) {
    for (let j = 0; j < sel.lambdas.length; j++) {
      let sum = 0;
      for (let c = 0; c < C; c++) {
        sum += sel.mean[start][j * C + c];
        assert.ok(sel.q10[start][j * C + c] <= sel.q90[start][j * C + c] + 1e-15);
      }
      assertClose(sum, 1, { abs: 1e-12 }, `${start}, λ ${j}: fractions sum to 1`);
    }
  }
  assert.equal(section43SelectionTable(sel).length, 2 * sel.lambdas.length);
  assert.deepEqual(SECTION43_SAMPLE_CLAIMS.map((c) => c.id), ["IV-S1", "IV-S2", "IV-S3", "IV-S4", "IV-S5", "IV-S6"]);
});

// The errata list (experiments/errata.ts): which claims it keeps, which cell each row points to, the Markdown table,
// and the rows of Part I against the committed notebooks.
import assert from "node:assert/strict";
import {
  checkClaims,
  type Claim,
  ERRATA_KINDS,
  errataCounts,
  errataMarkdown,
  errataRows,
  findCell,
  loadNotebooks,
  type NotebookSource,
  paperReferences,
  PART1_CLAIMS,
  showErrata,
} from "../experiments/mod.ts";

function claim(id: string, where: string, verdict: Claim["verdict"], notebook = "01_demo"): Claim {
  return { id, where, verdict, notebook, claim: `claim ${id}`, measured: `measured ${id}`, criterion: `rule ${id}` };
}

const md = (source: string | string[]) => ({ cell_type: "markdown", source });
const code = (source: string) => ({ cell_type: "code", source });

/** A synthetic notebook whose matching cells are known. */
const DEMO: NotebookSource = {
  name: "01_demo.ipynb",
  cells: [
    md("# 01 — demo\n\nThis notebook discusses eq. (4), eq. (21) and claims I-03, II-07."), // 1: intro, no Erratum
    code("const x = 1;"), // 2
    md(["## Erratum: eq. (19) miscounts the sum\n", "\n", "**Printed:** eqs. 18–19 (App. A.2.1, Figure 2).\n"]), // 3: list source
    md("Text before.\n\n### Erratum (eqs. 4 and 21)\n\nPrinted …\n\n### Erratum (Prop. 3, statement)\n\nx_i/y_i"), // 4
    md("**Erratum (unstated convention).** With $\\tfrac12\\|f-y\\|^2$ it diverges (claim I-09)."), // 5
    md("We mention I-05 here, and the eq. (30) without an Erratum."), // 6
    code("// I-06 is checked here\nconsole.log(1);"), // 7
    md("## The paper claims / we measure / agree?"), // 8
    code('showClaims(checkClaims(PART1_CLAIMS, "01_demo"))'), // 9
    md("## d = 200"), // 10
    code('full ? showClaims(checkClaims(part4NetworkClaims(full), "01_demo")) : "not computed"'), // 11
    md(
      "The rate (I-40) settles like $0.030/t$ and the long tail of $\\lim_{t\\to\\infty}\\mathrm{Var}[\\hat m_t/t]=0$ holds.",
    ), // 12
  ],
};

Deno.test("paperReferences normalizes equations (with ranges), named items, sections and appendices", () => {
  const refs = paperReferences("§4.1, App. A.2.4 eqs. (26)–(28), Prop. 3, Theorem 1, Figure 7 caption, eqs. 4 and 21");
  for (
    const r of ["sec:4.1", "app:A.2.4", "eq:26", "eq:27", "eq:28", "prop:3", "theorem:1", "figure:7", "eq:4", "eq:21"]
  ) {
    assert.ok(refs.has(r), `${r} in ${[...refs].join(", ")}`);
  }
  assert.ok(!refs.has("eq:5"), "no stray equation");
  assert.deepEqual([...paperReferences("Proposition 2, Fig. 8")].sort(), ["figure:8", "prop:2"]);
  assert.deepEqual([...paperReferences("nothing here, 42")], []);
});

Deno.test("findCell prefers the matching Erratum section, then a mention of the id, then the claims cell", () => {
  const at = (id: string, where: string) => findCell({ id, where }, DEMO);
  // Equation numbers select among Erratum sections; the heading of the matching section is the title.
  assert.deepEqual(at("I-02", "App. A.2.1, eqs. (18)–(19)"), {
    cell: 3,
    match: "erratum cell",
    title: "Erratum: eq. (19) miscounts the sum",
  });
  assert.deepEqual(at("I-03", "§2 eq. (4), App. A.2 eq. (21)"), {
    cell: 4,
    match: "erratum cell",
    title: "Erratum (eqs. 4 and 21)",
  });
  assert.equal(at("I-08", "Prop. 3 (statement)").title, "Erratum (Prop. 3, statement)");
  // The id in a bold Erratum paragraph.
  assert.deepEqual(at("I-09", "§4.4 (loss convention)"), {
    cell: 5,
    match: "erratum cell",
    title: "Erratum (unstated convention).",
  });
  // No Erratum matches: the first cell mentioning the id (markdown before code) …
  assert.deepEqual(at("I-05", "§2"), {
    cell: 6,
    match: "mentions the id",
    title: "We mention I-05 here, and the eq. (30) without an Erratum.",
  });
  assert.equal(at("I-06", "§2").cell, 7);
  assert.equal(at("I-06", "§2").match, "mentions the id");
  // … an equation shared with a cell that is not an Erratum does not count …
  assert.equal(at("I-30", "eq. (30)").match, "closing claims cell");
  // … and a section alone or a figure alone is not enough to pick an Erratum cell.
  assert.equal(at("I-31", "App. A.2.1, Figure 2").match, "closing claims cell");
  // Long titles are cut outside inline math, so that no $ is left open.
  assert.deepEqual(at("I-40", "§3"), {
    cell: 12,
    match: "mentions the id",
    title: "The rate (I-40) settles like $0.030/t$ and the long tail of …",
  });
  // The closing claims cell: the first one, or the last (d = 200) one for the F rows.
  assert.deepEqual(at("IV-14", "Figure 8"), { cell: 9, match: "closing claims cell", title: "the claims table" });
  assert.equal(at("IV-14F", "Figure 8").cell, 11);
  // An F row matches the text of its base id.
  assert.equal(at("I-09F", "§4.4").cell, 5);
  // Ids are matched whole: the intro's II-07 is not I-07.
  assert.equal(at("I-07", "§9").match, "closing claims cell");
  assert.deepEqual(findCell({ id: "I-01", where: "§2" }, { name: "empty", cells: [] }), {
    cell: null,
    match: "not found",
    title: "",
  });
});

Deno.test("errataRows keeps errata, disagree and partly claims in order, with kind, notebook and link", () => {
  const claims = [
    claim("I-01", "§2", "agree"),
    claim("I-03", "§2 eq. (4), App. A.2 eq. (21)", "errata"),
    claim("I-05", "§2", "disagree"),
    claim("I-02", "App. A.2.1, eqs. (18)–(19)", "errata"),
    claim("X-01", "§1", "errata", "99_missing"),
    claim("X-02", "§1", "partly", "99_missing"),
  ];
  const rows = errataRows(claims, [DEMO]);
  assert.deepEqual(rows.map((r) => r.id), ["I-03", "I-05", "I-02", "X-01", "X-02"]);
  assert.deepEqual(rows.map((r) => r.kind), [
    ERRATA_KINDS.errata,
    ERRATA_KINDS.disagree,
    ERRATA_KINDS.errata,
    ERRATA_KINDS.errata,
    ERRATA_KINDS.partly,
  ]);
  assert.equal(ERRATA_KINDS.errata, "printed formula/caption/text");
  assert.equal(ERRATA_KINDS.disagree, "claim fails when measured");
  assert.equal(ERRATA_KINDS.partly, "holds in part");
  assert.deepEqual(rows.map((r) => r.cell), [4, 6, 3, null, null]);
  assert.equal(rows[0].notebook, "01_demo");
  assert.equal(rows[0].link, "01_demo.ipynb, cell 4");
  assert.equal(rows[1].measured, "measured I-05");
  assert.deepEqual({ link: rows[3].link, match: rows[3].match }, { link: "99_missing.ipynb", match: "not found" });
  assert.deepEqual(errataRows(claims.filter((c) => c.verdict === "agree"), [DEMO]), []);
  assert.deepEqual(errataCounts(claims), { claims: 6, agree: 1, errata: 3, disagree: 1, partly: 1 });
});

Deno.test("errataMarkdown renders one escaped row per erratum, with and without the measurement", () => {
  const rows = errataRows([
    claim("I-02", "eqs. (18)–(19)", "errata"),
    claim("I-05", "a | b \\| c", "disagree"),
    claim("I-09", "§4.4", "errata"),
    claim("I-10", "§4.3", "partly"),
  ], [DEMO]);
  const table = errataMarkdown(rows);
  const lines = table.trim().split("\n");
  assert.equal(lines.length, 6, "header, rule and four rows");
  assert.match(lines[0], /\| we measure \| shown in \|$/);
  assert.match(lines[2], /^\| I-02 \| eqs\. \(18\)–\(19\) \| ✎ printed formula\/caption\/text \|/);
  assert.ok(lines[2].includes("[01_demo.ipynb, cell 3](01_demo.ipynb) — Erratum: eq. (19) miscounts the sum"));
  assert.ok(lines[3].includes("a \\| b \\| c") && lines[3].includes("✗ claim fails when measured"));
  assert.match(lines[5], /^\| I-10 \| §4\.3 \| ◐ holds in part \|/);
  // Every row has exactly the header's number of unescaped separators.
  for (const line of lines) assert.equal(line.split(/(?<!\\)\|/).length, 8, line);
  assert.ok(!errataMarkdown(rows, { measured: false }).includes("measured I-05"));
  assert.equal(errataMarkdown([]), "No errata or failed claims.\n");
  const shown = showErrata(rows)[Symbol.for("Jupyter.display")]();
  assert.equal(shown["text/markdown"], table);
});

Deno.test("every errata/disagree claim of Part I maps to an existing cell of its committed notebook", async () => {
  const notebooks = await loadNotebooks(new URL("../notebooks/", import.meta.url));
  assert.ok(notebooks.length >= 14, "the committed notebooks are read");
  assert.ok(notebooks.every((n) => n.name.endsWith(".ipynb") && n.cells.length > 0));
  const claims = checkClaims(PART1_CLAIMS);
  const rows = errataRows(claims, notebooks);
  assert.equal(rows.length, claims.filter((c) => c.verdict !== "agree").length);
  assert.ok(rows.length > 0, "Part I has errata");
  for (const r of rows) {
    const nb = notebooks.find((n) => n.name === `${r.notebook}.ipynb`);
    assert.ok(nb, `${r.id}: notebook ${r.notebook} exists`);
    assert.ok(r.cell !== null && r.cell >= 1 && r.cell <= nb.cells.length, `${r.id}: cell ${r.cell} in range`);
    const cell = nb.cells[r.cell - 1];
    const text = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    // The cell shows what the row says it does.
    if (r.match === "erratum cell") assert.match(text, /Erratum/, r.id);
    if (r.match === "mentions the id") assert.ok(text.includes(r.id), r.id);
    if (r.match === "closing claims cell") assert.ok(text.includes("showClaims("), r.id);
  }
  // The printed λ_DS (eqs. 4 and 21) is an erratum, explained in an Erratum cell of notebook 01.
  const i03 = rows.find((r) => r.id === "I-03");
  assert.equal(i03?.notebook, "01_linear_stability");
  assert.equal(i03?.match, "erratum cell");
  // loadNotebooks takes a path string as well.
  const byPath = await loadNotebooks(new URL("../notebooks/", import.meta.url).pathname);
  assert.deepEqual(byPath.map((n) => n.name), notebooks.map((n) => n.name));
});

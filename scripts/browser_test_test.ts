/**
 * The browser test's checks on small hand-made notebooks (written to a temporary folder): each bad notebook must fail
 * exactly the check it is made for, and the good ones must pass — statically (nbconvert HTML in headless Chromium)
 * and live (classic Jupyter Notebook with the Deno kernel, Run All).
 *
 * Needs Debian's chromium, jupyter-nbconvert, jupyter-notebook and libjs-mathjax, and the Deno kernelspec (run by
 * `deno task test:browser` before the real notebooks).
 */
import assert from "node:assert/strict";
import { Browser } from "./cdp.ts";
import { analyzeRun } from "./browser_checks.ts";
import {
  type Check,
  checkLive,
  checkStatic,
  figureLayout,
  listNotebooks,
  NotebookServer,
  renderHtml,
} from "./browser_test.ts";

type Output = Record<string, unknown>;
type Cell = { markdown: string } | { code: string; outputs?: Output[] };

function notebook(cells: Cell[]): string {
  return JSON.stringify({
    cells: cells.map((c) =>
      "markdown" in c ? { cell_type: "markdown", metadata: {}, source: c.markdown } : {
        cell_type: "code",
        execution_count: null,
        metadata: {},
        outputs: c.outputs ?? [],
        source: c.code,
      }
    ),
    metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

const display = (data: Record<string, string>): Output => ({ output_type: "display_data", data, metadata: {} });
const svg = (body: string, size = 'width="200" height="80"') =>
  `<svg xmlns="http://www.w3.org/2000/svg" ${size}><rect width="100%" height="100%" fill="#eef"/>${body}</svg>`;
/** A figure the way `show` sends it: an `<img>` of the SVG as a base64 data URI. */
const img = (svgText: string) =>
  `<img src="data:image/svg+xml;base64,${
    btoa(Array.from(new TextEncoder().encode(svgText), (b) => String.fromCharCode(b)).join(""))
  }" alt="a figure">`;
const standalone = (body: string, size = 'width="200" height="80" viewBox="0 0 200 80"') =>
  `<svg xmlns="http://www.w3.org/2000/svg" ${size}><rect width="100%" height="100%" fill="white"/>${body}</svg>`;
const PNG = "iVBORw0KGgoAAAANSUhEUgAAACgAAAAeCAIAAADRv8uKAAAAK0lEQVR42u3NMQ0AAAgDsElCGhKRhgw4mvRvqudExGKxWCwWi8VisVj8" +
  "N15WnHJb8S/G+wAAAABJRU5ErkJggg==";

Deno.test("browser test: analyzeRun finds misaddressed, misrouted and dropped outputs in a recorded Run All", () => {
  // Recorded from Deno 2.9.6 in classic Notebook 6.4 (Run All of `x + 1`, `console.log`, …): the kernel replied to
  // request r0 and went idle, started r1, and only then sent r0's execute_result (Out[1]) with r1's header.
  const messages = [
    ["iopub", "status", "r0", null, "busy"],
    ["iopub", "execute_input", "r0", 1, null],
    ["shell", "execute_reply", "r0", 1, null],
    ["iopub", "status", "r0", null, "idle"],
    ["iopub", "status", "r1", null, "busy"],
    ["iopub", "execute_input", "r1", 2, null],
    ["iopub", "execute_result", "r1", 1, null],
    ["iopub", "stream", "r1", null, null],
    ["shell", "execute_reply", "r1", 2, null],
    ["iopub", "status", "r1", null, "idle"],
    ["iopub", "status", "r2", null, "busy"],
    ["iopub", "execute_input", "r2", 3, null],
    ["iopub", "display_data", "r2", null, null],
    ["iopub", "stream", "r2", null, null],
    ["shell", "execute_reply", "r2", 3, null],
    ["iopub", "status", "r2", null, "idle"],
    ["iopub", "stream", "r2", null, null], // late, after idle, and never appended: dropped
  ].map(([channel, type, parent, count, state], t) => ({ channel, type, parent, count, state, t }));
  const appended = [
    { cell: 2, request: "r1", parent: "r1", type: "execute_result", count: 1 }, // Out[1] under In[2]
    { cell: 2, request: "r1", parent: "r1", type: "stream", count: null },
    { cell: 2, request: "r1", parent: "r2", type: "display_data", count: null }, // r2's output under r1's cell
    { cell: 3, request: "r2", parent: "r2", type: "stream", count: null },
  ];
  const cells = [
    { cell_type: "markdown" },
    ...["r0", "r1", "r2"].map((id) => ({ cell_type: "code", last_msg_id: id })),
  ];
  const g = globalThis as unknown as Record<string, unknown>;
  const saved = { window: g.window, Jupyter: g.Jupyter, run: g.__browserTestRun };
  g.window = globalThis;
  g.Jupyter = { notebook: { get_cells: () => cells } };
  g.__browserTestRun = { messages, appended };
  try {
    const { misplaced, late, outputs } = analyzeRun();
    assert.deepEqual(misplaced.map((m) => m.cell), [2, 2, 3]);
    assert.match(misplaced[0].detail, /Out\[1\] \(cell 1\) shown under cell 2 \(In\[2\]\)/);
    assert.match(misplaced[1].detail, /display_data of cell 3's request appended to cell 2/);
    assert.match(misplaced[2].detail, /1 of 3 outputs sent for cell 3 never shown/);
    assert.equal(late, 1);
    assert.equal(outputs, 5);
    // Every output in its own cell: nothing to report.
    g.__browserTestRun = {
      messages: messages.filter((m) => m.type !== "execute_result" && !(m.parent === "r2" && m.type === "stream")),
      appended: [appended[1], { ...appended[2], cell: 3, request: "r2" }],
    };
    assert.deepEqual(analyzeRun().misplaced, []);
  } finally {
    g.window = saved.window;
    g.Jupyter = saved.Jupyter;
    g.__browserTestRun = saved.run;
  }
});

Deno.test("browser test: figureLayout compares where figures are with the saved notebook", () => {
  assert.deepEqual(figureLayout({ 2: 1, 5: 1 }, { 2: 1, 5: 1 }), []);
  const moved = figureLayout({ 2: 1, 5: 1 }, { 3: 1, 5: 1 });
  assert.deepEqual(moved.map((f) => [f.check, f.cell]), [["misplaced output", 2]]);
  assert.match(moved[0].detail, /cell 2 .* under cell 3/);
  assert.match(figureLayout({ 2: 1 }, {})[0].detail, /lost/);
  assert.match(figureLayout({}, { 4: 1 })[0].detail, /stale/);
});

/** name → [notebook, the checks it must fail (with their counts)]. */
const STATIC: Record<string, [Cell[], Partial<Record<Check, number>>]> = {
  "good.ipynb": [[
    { markdown: "# Good\n\nInline $\\lambda x^2 + \\frac{1}{2}$, and displayed:\n\n$$\\sum_i a_i^2$$" },
    { code: "figure", outputs: [display({ "image/svg+xml": svg('<text x="10" y="40">inside</text>') })] },
    {
      code: "html figure",
      outputs: [display({
        "text/html": `<figure><h2>fine</h2>${svg('<text x="100" y="40" text-anchor="middle">centre</text>')}</figure>`,
      })],
    },
    { code: "png", outputs: [display({ "image/png": PNG })] },
    {
      code: "await show(figure)",
      outputs: [display({
        "text/html": img(standalone(
          '<text x="10" y="20" font-weight="bold">A title, é</text><text x="190" y="70" text-anchor="end">step t →</text>' +
            '<svg x="20" y="25" width="100" height="30" viewBox="0 0 100 30" style="overflow: visible">' +
            '<text x="95" y="20">past it</text></svg>',
        )),
        "text/plain": "a figure",
      })],
    },
  ], {}],
  "zero_size.ipynb": [[
    { code: "figure", outputs: [display({ "text/html": svg("", 'width="0" height="0"') })] },
    { code: "img figure", outputs: [display({ "text/html": img(standalone("", 'width="0" height="0"')) })] },
  ], { "zero-size figure": 2 }],
  "mathjax_error.ipynb": [[{ markdown: "Broken: $\\frac{1}{$ and fine: $x$" }], { "MathJax error": 1 }],
  "raw_tex.ipynb": [[{ markdown: "Unclosed display math: $$\\sum_i a_i" }], { "MathJax error": 1 }],
  "console_error.ipynb": [[
    {
      code: "html",
      outputs: [display({ "text/html": '<p>hi</p><script>console.error("boom from an output")</script>' })],
    },
  ], { "console error": 1 }],
  "clipped.ipynb": [[
    { code: "outside", outputs: [display({ "text/html": svg('<text x="-30" y="40">outside its svg</text>') })] },
    {
      code: "cut",
      outputs: [display({
        "text/html": `<div style="width:60px;overflow:hidden">${
          svg('<text x="10" y="40">cut by the div</text>')
        }</div>`,
      })],
    },
    {
      code: "img figure: a label past the viewBox's right edge",
      outputs: [display({ "text/html": img(standalone('<text x="150" y="70">step t →</text>')) })],
    },
    {
      code: "img figure: a label cut by a nested svg that clips",
      outputs: [display({
        "text/html": img(standalone(
          '<svg x="20" y="25" width="100" height="30" viewBox="0 0 100 30"><text x="60" y="20">cut here</text></svg>',
        )),
      })],
    },
  ], { "clipped label": 4 }],
};

function counts(findings: Array<{ check: Check }>): Partial<Record<Check, number>> {
  const c: Partial<Record<Check, number>> = {};
  for (const f of findings) c[f.check] = (c[f.check] ?? 0) + 1;
  return c;
}

async function withTemp<T>(f: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "browser-test-test-" });
  try {
    return await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: "browser test, static: each bad notebook fails its check, the good one passes",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withTemp(async (dir) => {
      await Deno.mkdir(`${dir}/notebooks/solutions`, { recursive: true });
      for (const [name, [cells]] of Object.entries(STATIC)) {
        await Deno.writeTextFile(
          `${dir}/notebooks/${name === "good.ipynb" ? "solutions/" : ""}${name}`,
          notebook(cells),
        );
      }
      const names = listNotebooks(`${dir}/notebooks`);
      assert.deepEqual(
        names,
        [...Object.keys(STATIC).filter((n) => n !== "good.ipynb"), "solutions/good.ipynb"].sort(),
      );
      const html = await renderHtml(`${dir}/notebooks`, names, `${dir}/html`);
      await Deno.mkdir(`${dir}/shots`);
      const browser = await Browser.launch();
      try {
        for (const name of names) {
          const result = await checkStatic(browser, name, html.get(name)!, `${dir}/shots`);
          const expected = STATIC[name.replace("solutions/", "")][1];
          assert.deepEqual(counts(result.findings), expected, `${name}: ${JSON.stringify(result.findings, null, 1)}`);
          for (const f of result.findings) {
            if (f.check !== "console error" && f.check !== "MathJax error") {
              assert.ok(f.screenshot, `${name}: no screenshot`);
            }
          }
        }
      } finally {
        await browser.close();
      }
      assert.ok(Deno.statSync(`${dir}/shots/static-clipped.jpg`).size > 1000);
    }),
});

const LIVE: Record<string, [Cell[], Partial<Record<Check, number>>, Partial<Record<Check, number>>]> = {
  // [cells, checks failed when opened (untrusted), checks failed after Run All]
  "live_good.ipynb": [
    [
      // No cell leaves a value: Deno's kernel (2.9.6) sometimes sends a cell's execute_result after the next cell's
      // request has started, under that request's header, even for `x + 1` (seen in 1 of 2 Run Alls). Outputs sent
      // with an awaited `Deno.jupyter.display`, and console output, land in their cell.
      { markdown: "Math: $x^2$" },
      {
        code: 'const x = 1;\nawait Deno.jupyter.display({ "text/plain": String(x + 1) }, { raw: true });',
        outputs: [display({ "text/plain": "2" })],
      },
      { code: 'console.log("hello");' },
      // Saved as PNG, a MIME type the untrusted notebook shows.
      {
        code: `await Deno.jupyter.display({ "image/png": "${PNG}" }, { raw: true });`,
        outputs: [display({ "image/png": PNG })],
      },
    ],
    {},
    {},
  ],
  "live_bad.ipynb": [
    [
      // A figure displayed from a timer goes out under whichever request is running: here the next cell's.
      {
        code: `setTimeout(() => Deno.jupyter.display({ "image/png": "${PNG}" }, { raw: true }), 500);`,
        outputs: [display({ "image/png": PNG })],
      },
      { code: "await new Promise((r) => setTimeout(r, 2500));" },
      // Saved as HTML: the untrusted notebook does not show it.
      {
        code: "await Deno.jupyter.display(Deno.jupyter.html`" + svg('<text x="10" y="40">svg</text>') + "`);",
        outputs: [display({ "text/html": svg('<text x="10" y="40">svg</text>') })],
      },
      {
        code:
          'await Deno.jupyter.display(Deno.jupyter.html`<script>console.error("boom from a live output")</script>`);',
      },
      { code: 'throw new Error("a cell error");' },
      { code: "'never run: Run All stops at the error'" },
    ],
    { "zero-size figure": 1 },
    { "misplaced output": 1, "console error": 1, "cell error": 1 },
  ],
};

Deno.test({
  name: "browser test, live: Run All of a misplacing notebook fails, a good one passes",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withTemp(async (dir) => {
      await Deno.mkdir(`${dir}/notebooks`);
      for (const [name, [cells]] of Object.entries(LIVE)) {
        await Deno.writeTextFile(`${dir}/notebooks/${name}`, notebook(cells));
      }
      const browser = await Browser.launch();
      let server: NotebookServer | undefined;
      try {
        server = await NotebookServer.start(`${dir}/notebooks`);
        for (const [name, [, open, run]] of Object.entries(LIVE)) {
          const [opened, ran] = await checkLive(browser, server, name, 1, dir, { timeoutSeconds: 120, quietMs: 1000 });
          assert.deepEqual(
            counts(opened.findings),
            open,
            `${name} opened: ${JSON.stringify(opened.findings, null, 1)}`,
          );
          for (const f of opened.findings) assert.ok(f.screenshot && Deno.statSync(f.screenshot).size > 100, f.detail);
          assert.deepEqual(counts(ran.findings), run, `${name} Run All: ${JSON.stringify(ran.findings, null, 1)}`);
        }
        const misplaced = (await Deno.readTextFile(`${dir}/live-live_bad-run1-messages.json`)).length;
        assert.ok(misplaced > 100);
      } finally {
        const root = server?.root;
        await server?.close();
        await browser.close();
        if (root) {
          assert.equal(await Deno.stat(root).then(() => true, () => false), false, "the server's folder is left");
        }
      }
      // The notebooks given to the server are copies: nothing is saved back.
      for (const [name, [cells]] of Object.entries(LIVE)) {
        assert.equal(await Deno.readTextFile(`${dir}/notebooks/${name}`), notebook(cells));
      }
    }),
});

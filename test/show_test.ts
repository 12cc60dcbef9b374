// show / showBundle: the MIME bundles for figures and tables, checked against independent decodings, and against the
// sanitizer of classic Notebook 6.4 (Debian's python3-notebook) where it is installed: what an untrusted notebook keeps.
import assert from "node:assert/strict";
import { figureToSvg, Plot, plotDocument, show, showBundle } from "../mod.ts";

function figure(title?: string) {
  return Plot.plot({
    document: plotDocument(),
    title,
    color: { legend: true },
    marks: [
      Plot.dot([{ x: 1, y: 2, g: "a" }, { x: 2.37, y: 1, g: "b" }], { x: "x", y: "y", fill: "g" }),
      Plot.line(Array.from({ length: 50 }, (_, i) => ({ x: 1 + i / 37, y: 1.5 + Math.sin(i / 3) / 3 })), {
        x: "x",
        y: "y",
      }),
    ],
  });
}

function decodeDataUri(html: string): string {
  const m = /<img src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)"/.exec(html);
  assert.ok(m, `no base64 SVG data URI in ${html.slice(0, 80)}`);
  const binary = atob(m[1]);
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

Deno.test("showBundle: a figure is an <img> of its standalone SVG (title and legend included) and a text line", () => {
  const f = figure("Rates for λ ∈ (0, 1]");
  const bundle = showBundle(f);
  assert.deepEqual(Object.keys(bundle).sort(), ["text/html", "text/plain"]);
  const svg = decodeDataUri(bundle["text/html"]);
  // The same SVG, with path and dot coordinates rounded to 0.1 px.
  const round = (t: string) => t.replace(/-?\d*\.\d+/g, (n) => String(Math.round(Number(n) * 10) / 10));
  assert.equal(round(svg), round(figureToSvg(f)));
  for (const m of svg.matchAll(/\s(?:d|cx|cy)="([^"]*)"/g)) assert.doesNotMatch(m[1], /\.\d\d/);
  assert.match(figureToSvg(f), /\s(?:d|cx|cy)="[^"]*\.\d\d/);
  assert.match(svg, /Rates for λ ∈ \(0, 1\]/);
  assert.equal(bundle["text/plain"], "Figure: Rates for λ ∈ (0, 1]");
  assert.match(bundle["text/html"], /alt="Rates for λ ∈ \(0, 1\]"/);
  assert.equal(showBundle(figure())["text/plain"], "Figure");
});

Deno.test("showBundle: a table rounds numbers to 4 significant digits, escapes HTML, and its text fits 100 columns", () => {
  const rows = [
    { name: "<b>a</b>", value: 0.8585858585858586, count: 171000000000000000000, n: 12, flag: true, list: [1, 2] },
    { name: "b", value: 2.220446049250313e-16, count: 3, n: -4, flag: false, list: [] },
  ];
  const bundle = showBundle(rows);
  assert.match(bundle["text/html"], /<td>&lt;b&gt;a&lt;\/b&gt;<\/td>/);
  assert.match(bundle["text/html"], /<td align="right">0.8586<\/td>/);
  assert.match(bundle["text/html"], /<td align="right">2.22e-16<\/td>/);
  assert.match(bundle["text/html"], /<td align="right">1.71e\+20<\/td>/);
  assert.match(bundle["text/html"], /<td>1, 2<\/td>/);
  assert.doesNotMatch(bundle["text/html"], /858585/);
  const lines = bundle["text/plain"].split("\n");
  assert.equal(lines.length, 4);
  assert.deepEqual(lines[0].split(/\s+/), ["name", "value", "count", "n", "flag", "list"]);
  assert.deepEqual(lines[2].split(/\s{2,}/), ["<b>a</b>", "0.8586", "1.71e+20", "12", "true", "1, 2"]);

  const wide = [Object.fromEntries(Array.from({ length: 12 }, (_, j) => [`a long column name ${j}`, j * 1.5]))];
  const text = showBundle(wide)["text/plain"];
  for (const line of text.split("\n")) assert.ok(Array.from(line).length <= 100, `${line.length}: ${line}`);
  assert.match(text, /…/);
  assert.equal((showBundle(wide)["text/html"].match(/<th[ >]/g) ?? []).length, 12);
  assert.deepEqual(showBundle([]), { "text/plain": "(empty table)" });
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  assert.match(showBundle([{ a: circular }])["text/plain"], /\[object Object\]/);
  assert.deepEqual(showBundle("not computed"), { "text/plain": "not computed" });
});

Deno.test("show: outside Jupyter it prints the text form and returns nothing", async () => {
  const printed: unknown[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => printed.push(...args);
  try {
    assert.equal(await show([{ a: 1 / 3 }]), undefined);
    assert.equal(await show(figure("T")), undefined);
  } finally {
    console.log = log;
  }
  assert.deepEqual(printed, ["a\n------\n0.3333", "Figure: T"]);
});

Deno.test("show and showBundle reject what they cannot show, naming the function and the value", async () => {
  await assert.rejects(() => show(5 as never), /Invalid value in show: .*received number 5/);
  await assert.rejects(() => show([{ a: 1 }, 2] as never), /Invalid value\[1\] in show: .*received number 2/);
  assert.throws(() => showBundle(null as never), /Invalid value in showBundle: .*received null/);
  assert.throws(() => showBundle([[1]] as never), /Invalid value\[0\] in showBundle: .*array/);
  assert.throws(() => showBundle({ tagName: 1 } as never), TypeError);
});

const SANITIZER = "/usr/lib/python3/dist-packages/notebook/static/components/sanitizer/index.js";
const hasSanitizer = (() => {
  try {
    return Deno.statSync(SANITIZER).isFile;
  } catch {
    return false;
  }
})();

Deno.test({
  name: "untrusted notebook (Notebook 6.4's sanitizer): the figure's <img> and the table survive, an inline <svg> not",
  ignore: !hasSanitizer,
  permissions: { read: true },
  fn() {
    // The AMD module of the classic notebook (sanitize-html with Jupyter's options), loaded as the frontend does.
    let sanitizer: { defaultSanitizer: { sanitize(html: string, options: object): string } } | undefined;
    new Function("define", Deno.readTextFileSync(SANITIZER))((factory: () => typeof sanitizer) => {
      sanitizer = factory();
    });
    // security.js calls it with allowedStyles: {} for untrusted outputs.
    const sanitize = (html: string) => sanitizer!.defaultSanitizer.sanitize(html, { allowedStyles: {} });
    const f = figure("Kept");
    const html = showBundle(f)["text/html"];
    const kept = sanitize(html);
    assert.equal(decodeDataUri(kept), decodeDataUri(html));
    assert.match(kept, /width="\d+"/);
    // What a figure ending a cell sends (the element's HTML) loses its drawing.
    assert.doesNotMatch(sanitize(f.outerHTML), /<svg|<circle/);
    const table = showBundle([{ a: 1, b: "x" }])["text/html"];
    assert.equal(sanitize(table).replace(/\s/g, ""), table.replace(/\s/g, ""));
  },
});

Deno.test("showBundle: a Jupyter-displayable object gives its own bundle; a bad bundle is refused", () => {
  const md = { [Symbol.for("Jupyter.display")]: () => ({ "text/markdown": "| a |", "text/plain": "a" }) };
  assert.deepEqual(showBundle(md), { "text/markdown": "| a |", "text/plain": "a" });
  const bad = { [Symbol.for("Jupyter.display")]: () => 3 };
  assert.throws(
    () => showBundle(bad),
    /Invalid value in showBundle: its Symbol.for\("Jupyter.display"\) method returned/,
  );
});

Deno.test("show: an object of row objects is a table with the keys in the first column; other objects are refused", () => {
  const bundle = showBundle({ "x = {1, 3}": { N: 2, "E[x²]": 5 }, Gaussian: { N: 100, "E[x²]": 0.991239 } });
  assert.match(bundle["text/html"], /<td>x = \{1, 3\}<\/td><td align="right">2<\/td><td align="right">5<\/td>/);
  assert.match(bundle["text/html"], /<td>Gaussian<\/td><td align="right">100<\/td><td align="right">0.9912<\/td>/);
  assert.throws(
    () => showBundle({ a: { N: 1 }, b: 2 } as never),
    /Invalid value in showBundle: .*object of row objects/,
  );
  assert.throws(() => showBundle({} as never), TypeError);
});

Deno.test("show: the text line names the figure's own title, row names come first, line breaks stay in their cell", () => {
  const long = "A long title that wraps over the width of the figure, because it goes on and on and on for a while";
  const figure = Plot.plot({
    document: plotDocument(),
    title: long,
    marks: [Plot.dot([1, 2], { x: (d: number) => d, y: (d: number) => d, title: () => "a tooltip" })],
  });
  assert.equal(showBundle(figure)["text/plain"], `Figure: ${long}`);
  const untitled = Plot.plot({
    document: plotDocument(),
    marks: [Plot.dot([1, 2], { x: (d: number) => d, y: (d: number) => d, title: () => "a tooltip" })],
  });
  assert.equal(showBundle(untitled)["text/plain"], "Figure");
  const keyed = showBundle({ "seed 1": { "10": 0.5, "100": 0.25 } })["text/plain"].split("\n");
  assert.match(keyed[2], /^seed 1 +0\.5 +0\.25$/);
  const broken = showBundle([{ a: "x\ny", b: 1 }])["text/plain"].split("\n");
  assert.equal(broken.length, 3);
});

// Layout of the figures (issue 13 item 6): figureToSvg lays a Plot <figure> out as ONE standalone SVG with its title,
// subtitle, caption and legends; ramps keep their end labels inside; the rank diagram's key stays off the cells and a
// coarse grid is ticked at its values.
import assert from "node:assert/strict";
import { figureToSvg, Plot, plotDocument, plotLossMonitor, plotRankDiagram, RobustLossMonitor } from "../mod.ts";

/** The numeric attribute `name` of the first tag matching `tag` in `markup`. */
function attr(markup: string, name: string): number {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(markup);
  assert.ok(m, `attribute ${name} in ${markup.slice(0, 120)}`);
  return Number(m[1]);
}

/** The opening tags of the `<svg>` elements nested directly in the root (plot, ramps, swatches). */
function nestedSvgs(svg: string): string[] {
  return Array.from(svg.matchAll(/<svg\b[^>]*>/g), (m) => m[0]).slice(1);
}

Deno.test("figureToSvg: title, subtitle, caption, swatches and a ramp in one SVG, stacked without overlap", () => {
  const figure = Plot.plot({
    document: plotDocument(),
    title: "The title",
    subtitle: "The subtitle",
    caption: "The caption",
    width: 400,
    height: 200,
    color: { legend: true, domain: ["first series", "second series"], range: ["#0072B2", "#E69F00"] },
    opacity: { legend: true, domain: [0, 20] },
    marks: [Plot.dot([{ x: 1, y: 2, c: "first series" }], { x: "x", y: "y", fill: "c" })],
  });
  const svg = figureToSvg(figure);
  const root = /^<svg\b[^>]*>/.exec(svg)![0];
  const width = attr(root, "width"), height = attr(root, "height");
  assert.match(svg, /<title>The title<\/title>/);
  // Every text of the layout, in document order: title, subtitle, swatch labels, caption.
  const texts = Array.from(
    svg.matchAll(/<text class="figure-(\w+)" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)<\/text>/g),
    (m) => ({ role: m[1], x: Number(m[2]), y: Number(m[3]), text: m[4] }),
  );
  assert.deepEqual(texts.map((t) => [t.role, t.text]), [
    ["title", "The title"],
    ["subtitle", "The subtitle"],
    ["caption", "The caption"],
  ]);
  assert.ok(texts[0].y < texts[1].y && texts[1].y < texts[2].y);
  for (const label of ["first series", "second series"]) assert.match(svg, new RegExp(`>${label}</text>`));
  // The nested <svg>s (ramp, swatch boxes, plot) lie inside the root and below the subtitle, one after the other.
  const boxes = nestedSvgs(svg).map((tag) => ({
    x: attr(tag, "x"),
    y: attr(tag, "y"),
    w: attr(tag, "width"),
    h: attr(tag, "height"),
    ramp: /-ramp\b/.test(tag),
  }));
  const ramp = boxes.find((b) => b.ramp)!;
  const plot = boxes[boxes.length - 1];
  assert.ok(ramp, "the ramp is a nested svg");
  // The plot keeps its scale; its viewBox grows to the left to hold the tick label "2.000000" (see below).
  const [vx, , vw] = /viewBox="([^"]*)"/.exec(nestedSvgs(svg).at(-1)!)![1].split(" ").map(Number);
  assert.equal(plot.w, vw);
  assert.equal(vx + vw, 400);
  assert.ok(ramp.y > texts[1].y, "ramp below the subtitle");
  assert.ok(plot.y >= ramp.y + ramp.h, "plot below the ramp");
  assert.ok(texts[2].y > plot.y + plot.h, "caption below the plot");
  for (const b of boxes) assert.ok(b.x >= 0 && b.x + b.w <= width && b.y + b.h <= height, JSON.stringify(b));
  assert.ok(texts[2].y <= height);
});

Deno.test("figureToSvg widens a ramp so that its end labels are inside its viewBox", () => {
  const figure = Plot.plot({
    document: plotDocument(),
    title: "ramp",
    color: { type: "linear", domain: [0, 20], legend: true },
    marks: [Plot.dot([{ v: 3 }], { x: "v", fill: "v" })],
  });
  const ramp = nestedSvgs(figureToSvg(figure)).find((t) => /-ramp\b/.test(t))!;
  const [bx, , bw] = /viewBox="([^"]*)"/.exec(ramp)![1].split(" ").map(Number);
  // Plot's ramp is 240 wide with its "0" and "20" centered on x = 0 and x = 240: the viewBox must reach past both.
  assert.equal(bx, -16);
  assert.equal(bw, 240 + 32);
  assert.equal(attr(ramp, "width"), 240 + 32);
});

Deno.test("figureToSvg wraps a long caption to the figure's width", () => {
  const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ");
  const svg = figureToSvg(Plot.plot({ document: plotDocument(), width: 300, caption: words, marks: [Plot.dot([1])] }));
  const lines = Array.from(svg.matchAll(/<text class="figure-caption"[^>]*>([^<]*)<\/text>/g), (m) => m[1]);
  assert.ok(lines.length >= 4, `${lines.length} lines`);
  assert.equal(lines.join(" "), words, "no word lost or split");
  for (const line of lines) assert.ok(line.length * 12 * 0.66 <= 300 + 12 * 8, line);
});

Deno.test("plotRankDiagram: the key sits in the top margin, dark on white; a coarse grid is ticked at its values", () => {
  // 3 × 3 cells of 110 px: a 480 × 380 plot less its margins.
  const d = { lambdas: [0.3, 0.6, 0.9], mus: [0, 0.45, 0.9], values: [5, 6, NaN, 10, 2, 3, 1, 1, 1], maxRank: 10 };
  const boundary = { label: "a boundary", lambdas: [0.3, 0.9], mus: [0, 0.9], values: [-1, 1, -1, 1] };
  const html = plotRankDiagram(d, { boundaries: [boundary], rowName: "noise" }).outerHTML;
  const plot = /<svg\b[^>]*class="plot-[^"]*"(?![^>]*-ramp)[^>]*>[\s\S]*<\/svg>/.exec(html)![0];
  // The frame's top edge: the top of the highest cell (linkedom writes attributes in any order: read them one by one).
  const cellTops = Array.from(plot.matchAll(/<rect\b[^>]*>/g), (m) => m[0])
    .filter((tag) => /height="110"/.test(tag)).map((tag) => attr(tag, "y"));
  const frameTop = Math.min(...cellTops);
  const key = /<g\b[^>]*aria-label="key"[^>]*>([\s\S]*?)<\/g>/.exec(plot)![1];
  const keyTexts = Array.from(key.matchAll(/(<text\b[^>]*>)([^<]*)<\/text>/g));
  assert.deepEqual(keyTexts.map((m) => m[2]), ["diverged", "a boundary"]);
  for (const [, tag] of keyTexts) {
    assert.ok(attr(tag, "y") < frameTop, `key text at y = ${attr(tag, "y")} above the frame (${frameTop})`);
    assert.match(tag, /fill="#222"/);
  }
  assert.doesNotMatch(plot, /grey: diverged/);
  // The boundary: a white halo under the colored dashed line (vermillion by default).
  assert.match(plot, /stroke="white"/);
  assert.match(plot, /stroke="#D55E00"/);
  // Ticks at the grid values, printed as such (0.45, not a rounded 0.5).
  const yTicks = /<g\b[^>]*aria-label="y-axis tick label"[^>]*>([\s\S]*?)<\/g>/.exec(plot)![1];
  assert.deepEqual(Array.from(yTicks.matchAll(/>([^<>]+)<\/text>/g), (m) => m[1]), ["0", "0.45", "0.9"]);
  // The ramp leaves room for its end labels (legend margins).
  const ramp = /<svg\b[^>]*-ramp[\s\S]*?<\/svg>/.exec(html)![0];
  assert.equal(attr(/<image\b[^>]*>/.exec(ramp)![0], "x"), 14);
});

Deno.test("plotLossMonitor thins a long run per column and keeps its spikes", () => {
  const monitor = new RobustLossMonitor({ window: 50 });
  const steps = 20_000;
  for (let t = 1; t <= steps; t++) monitor.push(1 / Math.sqrt(t) + (t === 12_345 ? 1e4 : 0) + (t % 7) * 1e-4);
  const readings = monitor.readings();
  const html = plotLossMonitor(readings).outerHTML;
  const circles = html.match(/<circle\b/g)?.length ?? 0;
  assert.ok(circles > 600 && circles <= 3 * 600, `${circles} dots`);
  assert.ok(html.length < 250_000, `${html.length} bytes`);
  // The spike is one of the dots: the highest dot (smallest cy on the log axis) is far above its neighbours.
  const cys = Array.from(html.matchAll(/<circle\b[^>]*\scy="([\d.]+)"/g), (m) => Number(m[1])).sort((a, b) => a - b);
  assert.ok(cys[1] - cys[0] > 50, `the spike stands out: ${cys.slice(0, 3)}`);
  // A short run is drawn as it is.
  const short = new RobustLossMonitor({ window: 5 });
  for (let t = 1; t <= 100; t++) short.push(1 / t);
  assert.equal(plotLossMonitor(short.readings()).outerHTML.match(/<circle\b/g)?.length, 100);
});

const PLOT_OPTIONS = {
  document: plotDocument(),
  width: 400,
  height: 200,
  marks: [Plot.dot([{ x: 1, y: 2 }], { x: "x", y: "y" })],
};

/** The advance of "2.000000" at 10 px in DejaVu Sans (7 digits of 0.636 em and a period of 0.318 em), in px. */
const DEJAVU_2_000000 = 10 * (7 * 0.636 + 0.318);

Deno.test("figureToSvg grows a plot's viewBox to hold every text, and the figure's width to hold every line", () => {
  // Plot draws the y tick label "2.000000" right-aligned 9 px left of a 40 px margin: it sticks out of the frame. Bare,
  // the root <svg> grows; in a titled figure, the nested plot <svg>.
  const bare = figureToSvg(Plot.plot(PLOT_OPTIONS));
  const titled = figureToSvg(Plot.plot({ ...PLOT_OPTIONS, title: "titled" }));
  for (const tag of [/^<svg\b[^>]*>/.exec(bare)![0], nestedSvgs(titled).at(-1)!]) {
    const [vx, vy, vw, vh] = /viewBox="([^"]*)"/.exec(tag)![1].split(" ").map(Number);
    assert.ok(vx <= 31 - DEJAVU_2_000000, `the viewBox starts at ${vx}, left of the label's ${31 - DEJAVU_2_000000}`);
    assert.ok(vx >= 31 - 1.2 * DEJAVU_2_000000, `not much further: ${vx}`);
    assert.equal(vx + vw, 400, "nothing sticks out on the right");
    assert.deepEqual([vy, vh], [0, 200], "nor at the top or bottom");
    assert.equal(attr(tag, "width"), vw, "the scale is kept");
  }
  // A title word wider than the plot widens the figure: 40 bold "m" of 1.04 em at 16 px (DejaVu Sans Bold).
  const wide = figureToSvg(Plot.plot({ ...PLOT_OPTIONS, title: "m".repeat(40) }));
  assert.ok(attr(wide, "width") >= 40 * 1.04 * 16 + 20, `width ${attr(wide, "width")}`);
  // A long title wraps to lines whose DejaVu Sans Bold width fits the plot's 400 px.
  const words = "Adam: effective learning rate against the batch size and the rank of the trained weights";
  const long = figureToSvg(Plot.plot({ ...PLOT_OPTIONS, title: words }));
  const lines = Array.from(long.matchAll(/<text class="figure-title"[^>]*>([^<]*)</g), (m) => m[1]);
  assert.equal(lines.join(" "), words);
  assert.ok(lines.length >= 2);
  for (const line of lines) assert.ok(dejaVuBold(line) * 16 <= 400, `"${line}" is ${dejaVuBold(line) * 16} px wide`);
});

/** DejaVu Sans Bold advances (em) of the characters of the long title above (the font's metrics). */
function dejaVuBold(text: string): number {
  const em: Record<string, number> = {
    " ": 0.348,
    ":": 0.4,
    A: 0.774,
    a: 0.675,
    b: 0.716,
    c: 0.593,
    d: 0.716,
    e: 0.678,
    f: 0.435,
    g: 0.716,
    h: 0.712,
    i: 0.343,
    k: 0.665,
    l: 0.343,
    m: 1.042,
    n: 0.712,
    o: 0.687,
    r: 0.493,
    s: 0.595,
    t: 0.478,
    u: 0.712,
    v: 0.652,
    w: 0.924,
    z: 0.582,
  };
  return Array.from(text).reduce((sum, ch) => sum + em[ch], 0);
}

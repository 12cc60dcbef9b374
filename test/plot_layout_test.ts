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
  assert.equal(plot.w, 400);
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

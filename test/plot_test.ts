// Plot helpers: they return Plot figures, serialize to standalone SVG, embed rasters as PNG, pass options through; a
// rounded snapshot guards the Figure 2 layout.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { inflateSync } from "node:zlib";
import { encodePng } from "../lib/plot/render/document.ts";
import {
  figureToSvg,
  geomspace,
  linspace,
  outlierStabilityMap,
  Plot,
  plotConvergedFraction,
  plotDocument,
  plotLossMonitor,
  plotLyapunovExponent,
  plotStabilityMap,
  plotThresholdsByBatchSize,
  plotTrajectories,
  randomNormal,
  simulateInterpolatingSGD,
  STABILITY_LABELS,
} from "../mod.ts";

/** Decodes the PNGs this toolkit writes (8-bit RGBA, filter 0) and checks every CRC. */
function decodePng(png: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  assert.deepEqual(Array.from(png.subarray(0, 8)), [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Uint8Array[] = [];
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  while (offset < png.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    const data = png.subarray(offset + 8, offset + 8 + length);
    let c = 0xffffffff;
    for (const b of png.subarray(offset + 4, offset + 8 + length)) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    assert.equal((c ^ 0xffffffff) >>> 0, view.getUint32(offset + 8 + length), `CRC of ${type}`);
    if (type === "IHDR") {
      width = view.getUint32(offset + 8);
      height = view.getUint32(offset + 12);
    }
    if (type === "IDAT") idat.push(data);
    offset += 12 + length;
  }
  const raw = new Uint8Array(inflateSync(Buffer.concat(idat)));
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    assert.equal(raw[y * (width * 4 + 1)], 0, "filter type 0");
    rgba.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4);
  }
  return { width, height, rgba };
}

Deno.test("encodePng round-trips pixels", () => {
  const rgba = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37) % 256);
  const decoded = decodePng(encodePng(3, 2, rgba));
  assert.equal(decoded.width, 3);
  assert.equal(decoded.height, 2);
  assert.deepEqual(decoded.rgba, rgba);
});

function smallMap() {
  return outlierStabilityMap(randomNormal(19, { seed: 1 }), {
    lambdas: linspace(0.05, 3, 12),
    outlierSizes: geomspace(1, 1000, 8),
  });
}

Deno.test("plotStabilityMap draws one PNG raster whose pixels are the sign of m", () => {
  const map = smallMap();
  const figure = plotStabilityMap(map);
  assert.equal(figure.tagName.toLowerCase(), "figure", "a figure with its legend");
  const svg = figureToSvg(figure);
  const images = svg.match(/data:image\/png;base64,([A-Za-z0-9+/=]+)/g) ?? [];
  assert.equal(images.length, 1, "one raster image, not one rectangle per cell");
  const { width, height, rgba } = decodePng(new Uint8Array(Buffer.from(images[0].split(",")[1], "base64")));
  assert.equal(width, 12);
  assert.equal(height, 8);
  // Row r of the image is outlier size r (the raster is flipped by its transform so that c grows up).
  for (let r = 0; r < 8; r++) {
    for (let k = 0; k < 12; k++) {
      const stable = map.m[r * 12 + k] < 0;
      const red = rgba[(r * 12 + k) * 4];
      assert.equal(
        red,
        stable ? 0xfd : 0x30,
        `cell (${r}, ${k}) colored as ${stable ? "stable" : "unstable"}: ${
          rgba.subarray((r * 12 + k) * 4, (r * 12 + k) * 4 + 4)
        }`,
      );
    }
  }
  for (const label of STABILITY_LABELS) assert.ok(svg.includes(label.replace("<", "&lt;")), `legend has ${label}`);
});

Deno.test("plot helpers pass Plot options through and accept extra marks", () => {
  const figure = plotStabilityMap(smallMap(), {
    title: "Custom title",
    width: 300,
    marks: [Plot.ruleX([1], { stroke: "magenta" })],
    showLambdaGD: false,
  });
  const svg = figureToSvg(figure);
  assert.match(svg, /Custom title/);
  assert.match(svg, /magenta/);
  assert.match(svg, /width="300"/);
  assert.doesNotMatch(svg, /stroke="#999"/, "λ_GD curve switched off");
});

Deno.test("every plot helper returns a figure that serializes to standalone SVG", () => {
  const h = [0.3, 1, 1.6];
  const run = simulateInterpolatingSGD(h, 0.8, { steps: 30, trajectories: 5 });
  const figures = [
    plotLyapunovExponent({ lambdas: [0, 1, 2], m: [0, -Infinity, 0.3] }, { thresholds: { "λ_GD": 1.5 } }),
    plotTrajectories(run, { exponent: -0.1 }),
    plotConvergedFraction([{ label: "a", times: [0, 1], fraction: [0, 1] }]),
    plotThresholdsByBatchSize([1, 2, 3], { batchSizes: [1, 2, 4] }),
  ];
  for (const figure of figures) {
    const svg = figureToSvg(figure);
    assert.match(svg, /^<svg[^>]* xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.doesNotMatch(svg, /NaN/, "no NaN coordinates");
  }
});

Deno.test("a figure's SVG does not depend on the figures drawn before it (Plot's id counters)", () => {
  // Markers and clip paths get ids from Plot's global counters; figureToSvg renumbers them per figure.
  const draw = (title?: string) =>
    figureToSvg(Plot.plot({
      document: plotDocument(),
      title,
      clip: true,
      color: { legend: true },
      marks: [
        Plot.line([[1, 1], [2, 3], [3, 2]], { marker: "circle", stroke: () => "a" }),
        Plot.line([[1, 2], [2, 1]], { marker: "arrow" }),
      ],
    }));
  for (const title of [undefined, "with a title"]) {
    const alone = draw(title);
    assert.match(alone, /<marker id="plot-marker-1"/);
    assert.match(alone, /marker-end="url\(#plot-marker-1\)"/);
    assert.match(alone, /<clipPath id="plot-clip-1"/);
    assert.match(alone, /clip-path="url\(#plot-clip-1\)"/);
    draw("another figure");
    figureToSvg(plotStabilityMap(smallMap(), { title: "a third" }));
    assert.equal(draw(title), alone);
  }
});

Deno.test("figures render in a caller-supplied document", () => {
  const document = plotDocument();
  const figure = plotConvergedFraction([{ label: "a", times: [0, 1], fraction: [0, 1] }], { document });
  assert.equal(figure.ownerDocument, document);
});

/** Rounds every number in an SVG to 1 decimal, and elides embedded images, for stable snapshots. */
function normalize(svg: string): string {
  return svg
    .replace(/data:image\/png;base64,[A-Za-z0-9+/=]+/g, "data:image/png;base64,…")
    .replace(/-?\d+\.\d+(e[-+]?\d+)?/g, (s) => String(Math.round(Number(s) * 10) / 10))
    .replace(/plot-[0-9a-f]{6}/g, "plot-class")
    .replace(/></g, ">\n<");
}

Deno.test("Figure 2 snapshot (numbers rounded to 0.1)", async () => {
  const actual = normalize(figureToSvg(plotStabilityMap(smallMap(), { title: "snapshot" })));
  const url = new URL("./snapshots/stability_map.svg", import.meta.url);
  if (Deno.env.get("UPDATE_SNAPSHOTS") === "1") await Deno.writeTextFile(url, actual);
  const expected = await Deno.readTextFile(url);
  assert.equal(
    actual,
    expected,
    "snapshot changed: inspect it, then accept with UPDATE_SNAPSHOTS=1 deno test --allow-read --allow-env " +
      "--allow-write=test/snapshots test/plot_test.ts",
  );
});

Deno.test("plotLossMonitor thins 100,000 readings to at most 1,000 dots per series and keeps the spikes", () => {
  const n = 100_000;
  const readings = Array.from({ length: n }, (_, i) => {
    const step = i + 1;
    const loss = step === 54_321 ? 1e6 : step === 77_777 ? 1e-9 : 1 + (i % 10) / 10;
    return { step, loss, meanLoss: 1 + (step === 12_345 ? 1e3 : 0), meanLogLoss: 0, robustLoss: 1 };
  });
  const svg = figureToSvg(plotLossMonitor(readings));
  const dots = [...svg.matchAll(/<circle[^>]*cy="([-\d.]+)"/g)].map((m) => Number(m[1]));
  assert.ok(dots.length <= 1000 && dots.length >= 500, `${dots.length} dots`);
  // The spike up and the dip down are drawn: the highest and the lowest dot on the log axis stand alone.
  const sorted = [...dots].sort((a, b) => a - b);
  assert.ok(sorted[1] - sorted[0] > 50, `top dots at ${sorted.slice(0, 2)}`);
  assert.ok(sorted[sorted.length - 1] - sorted[sorted.length - 2] > 50, `bottom dots at ${sorted.slice(-2)}`);
  assert.ok(svg.length < 200_000, `${svg.length} bytes`);
  // A short run is drawn whole: one dot per reading.
  const short = figureToSvg(plotLossMonitor(readings.slice(0, 300)));
  assert.equal(short.match(/<circle/g)?.length, 300);
});

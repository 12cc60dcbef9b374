/**
 * Serialization of Plot figures to standalone SVG files.
 *
 * @module
 */

import type { DomElement, ElementLike } from "./dom.ts";

const SVG_NS = "http://www.w3.org/2000/svg";
const XLINK_NS = "http://www.w3.org/1999/xlink";

/** A rendered Plot figure: an `<svg>` element, or a `<figure>` holding titles, legends and the plot. */
export type Figure = DomElement;

function escapeText(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function withNamespaces(svg: string): string {
  return svg.replace(/^<svg\b([^>]*)>/, (_, attrs: string) => {
    let a = attrs;
    if (!/\sxmlns=/.test(a)) a += ` xmlns="${SVG_NS}"`;
    if (!/\sxmlns:xlink=/.test(a)) a += ` xmlns:xlink="${XLINK_NS}"`;
    return `<svg${a}>`;
  });
}

/**
 * Renumbers the ids Plot generates from its global counters (`plot-marker-5`, `plot-clip-12`, …) per figure, from 1 in
 * order of appearance, and every reference to them (`url(#…)`, `href="#…"`), so that the bytes of a figure do not
 * depend on which figures were drawn before it in the same process.
 */
function renumberIds(svg: string): string {
  const ids = new Set(Array.from(svg.matchAll(/\bid="(plot-[a-z-]+-\d+)"/g), (m) => m[1]));
  if (ids.size === 0) return svg;
  const renamed = new Map<string, string>();
  const counts = new Map<string, number>();
  return svg.replace(/(\bid="|url\(#|href="#)(plot-[a-z-]+)-(\d+)(?=[")])/g, (all, lead: string, prefix: string, n) => {
    const id = `${prefix}-${n}`;
    if (!ids.has(id)) return all;
    let to = renamed.get(id);
    if (to === undefined) {
      const k = (counts.get(prefix) ?? 0) + 1;
      counts.set(prefix, k);
      renamed.set(id, to = `${prefix}-${k}`);
    }
    return lead + to;
  });
}

function numberAttribute(el: ElementLike, name: string, fallback: number): number {
  const v = Number(el.getAttribute(name));
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** The padding around a standalone figure, in px. */
const PAD = 10;
/** The extra room given to a color ramp on each side, so that its end labels never depend on `overflow: visible`. */
const RAMP_PAD = 16;

/**
 * Advance widths in 1/100 em of the printable ASCII characters (32–126) in DejaVu Sans, regular and bold: what
 * `system-ui, sans-serif` resolves to on a Debian system without other fonts (measured in Chromium), and wider than the
 * system fonts of other platforms (Segoe UI, San Francisco, Roboto, Liberation Sans, Helvetica), so an estimate from
 * it is a safe upper bound.
 */
const ASCII_WIDTHS = [
  [
    32,
    40,
    46,
    84,
    64,
    95,
    78,
    27,
    39,
    39,
    50,
    84,
    32,
    36,
    32,
    34,
    64,
    64,
    64,
    64,
    64,
    64,
    64,
    64,
    64,
    64,
    34,
    34,
    84,
    84,
    84,
    53,
    100,
    68,
    69,
    70,
    77,
    63,
    58,
    77,
    75,
    29,
    29,
    66,
    56,
    86,
    75,
    79,
    60,
    79,
    69,
    63,
    61,
    73,
    68,
    99,
    69,
    61,
    69,
    39,
    34,
    39,
    84,
    50,
    50,
    61,
    63,
    55,
    63,
    62,
    35,
    63,
    63,
    28,
    28,
    58,
    28,
    97,
    63,
    61,
    63,
    63,
    41,
    52,
    39,
    63,
    59,
    82,
    59,
    59,
    52,
    64,
    34,
    64,
    84,
  ],
  [
    35,
    46,
    52,
    84,
    70,
    100,
    87,
    31,
    46,
    46,
    52,
    84,
    38,
    42,
    38,
    37,
    70,
    70,
    70,
    70,
    70,
    70,
    70,
    70,
    70,
    70,
    40,
    40,
    84,
    84,
    84,
    58,
    100,
    77,
    76,
    73,
    83,
    68,
    68,
    82,
    84,
    37,
    37,
    77,
    64,
    100,
    84,
    85,
    73,
    85,
    77,
    72,
    68,
    81,
    77,
    110,
    77,
    72,
    73,
    46,
    37,
    46,
    84,
    50,
    50,
    67,
    72,
    59,
    72,
    68,
    44,
    72,
    71,
    34,
    34,
    67,
    34,
    104,
    71,
    69,
    72,
    72,
    49,
    60,
    48,
    71,
    65,
    92,
    65,
    65,
    58,
    71,
    37,
    71,
    84,
  ],
];

/** The advance of a character outside printable ASCII, in em: an upper bound of its class in DejaVu Sans (bold). */
function otherWidth(code: number): number {
  if (code >= 0x300 && code <= 0x36f) return 0; // combining marks (x̂, x̄)
  if (code === 0xb2 || code === 0xb3 || code === 0xb9 || (code >= 0x1d00 && code <= 0x1dbf)) return 0.55;
  if (code >= 0x2070 && code <= 0x209f) return 0.55; // superscripts and subscripts (t², wₜ, λ₁)
  if (code === 0x2c7c) return 0.55; // ⱼ
  if (code >= 0x370 && code <= 0x3ff) return 0.8; // Greek
  if (code === 0xbc || code === 0xbd || code === 0xbe) return 1.05; // ¼ ½ ¾
  if (code >= 0xa0 && code <= 0x24f) return 0.85; // Latin-1 and Latin Extended (é, ×, ±, µ)
  if (code === 0x2013) return 0.5; // –
  if (code >= 0x2018 && code <= 0x201f) return 0.66; // quotes
  if (code >= 0x2190 && code <= 0x21ff) return 0.84; // arrows
  if (code === 0x226a || code === 0x226b) return 1.05; // ≪ ≫
  if (code >= 0x2200 && code <= 0x22ff) return 0.9; // mathematical operators
  if (code >= 0x27f0 && code <= 0x27ff) return 1.45; // long arrows (⟺)
  return code >= 0x1100 ? 1.1 : 1; // anything else: an em (CJK and emoji a little more)
}

/**
 * An upper estimate of the width of a text in px (there is no font engine here): the advances of DejaVu Sans, the
 * widest common fallback of `system-ui, sans-serif`, plus 2 % (for rounding). Too wide only costs a few pixels of
 * white space; too narrow cuts a title or a label at the edge of the image.
 */
function textWidth(text: string, size: number, bold = false): number {
  let em = 0;
  const table = ASCII_WIDTHS[bold ? 1 : 0];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    em += code >= 32 && code <= 126 ? table[code - 32] / 100 : otherWidth(code);
  }
  return em * size * 1.02;
}

/** Splits a text into lines no wider than `width` px (words are never broken). */
function wrapText(text: string, width: number, size: number, bold = false): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.trim().split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, size, bold) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** An affine transform `[a, b, c, d, e, f]`, as in SVG's `matrix(…)`. */
type Matrix = readonly [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

/** An SVG `transform` attribute as a matrix (identity when absent), or `null` for one this module does not parse. */
function parseTransform(attribute: string | null): Matrix | null {
  let m = IDENTITY;
  if (!attribute) return m;
  const rest = attribute.replace(/([a-zA-Z]+)\s*\(([^)]*)\)/g, (_, name: string, args: string) => {
    const v = args.trim().split(/[\s,]+/).map(Number);
    if (v.some((x) => !Number.isFinite(x))) {
      m = [NaN, 0, 0, 0, 0, 0];
      return "";
    }
    const rad = ((v[0] ?? 0) * Math.PI) / 180;
    const [cos, sin] = [Math.cos(rad), Math.sin(rad)];
    if (name === "translate") m = multiply(m, [1, 0, 0, 1, v[0] ?? 0, v[1] ?? 0]);
    else if (name === "scale") m = multiply(m, [v[0], 0, 0, v[1] ?? v[0], 0, 0]);
    else if (name === "matrix" && v.length === 6) m = multiply(m, v as unknown as Matrix);
    else if (name === "rotate") {
      const [cx, cy] = [v[1] ?? 0, v[2] ?? 0];
      m = multiply(multiply(multiply(m, [1, 0, 0, 1, cx, cy]), [cos, sin, -sin, cos, 0, 0]), [1, 0, 0, 1, -cx, -cy]);
    } else m = [NaN, 0, 0, 0, 0, 0];
    return "";
  });
  return rest.trim() === "" && Number.isFinite(m[0]) ? m : null;
}

/** The first number of a length attribute (`12`, `0.71em`, `3px`, `1 2 3`) in px, or `fallback`. */
function length(value: string | null, size: number, fallback = 0): number {
  const m = /^\s*(-?[\d.]+(?:e[-+]?\d+)?)(em|px)?/i.exec(value ?? "");
  if (!m) return fallback;
  const v = Number(m[1]);
  return Number.isFinite(v) ? (m[2]?.toLowerCase() === "em" ? v * size : v) : fallback;
}

/** An axis-aligned box. */
interface Extent {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** What a text inherits from its ancestors. */
interface TextStyle {
  anchor: string;
  size: number;
  bold: boolean;
}

/** DejaVu Sans's ascent and descent (em): the box a browser gives a line of text, around its baseline. */
const ASCENT = 0.93, DESCENT = 0.24;

/** Adds to `out` the box of a line of text whose baseline starts (or is anchored) at (x, y), transformed by `m`. */
function lineExtent(text: string, x: number, y: number, m: Matrix, style: TextStyle, out: Extent[]): void {
  if (text.trim() === "") return;
  const w = textWidth(text, style.size, style.bold);
  const shift = style.anchor === "middle" ? w / 2 : style.anchor === "end" ? w : 0;
  const [x0, x1, y0, y1] = [x - shift, x - shift + w, y - ASCENT * style.size, y + DESCENT * style.size];
  const corners = [[x0, y0], [x1, y0], [x0, y1], [x1, y1]].map(([px, py]) => [
    m[0] * px + m[2] * py + m[4],
    m[1] * px + m[3] * py + m[5],
  ]);
  out.push({
    left: Math.min(...corners.map((c) => c[0])),
    right: Math.max(...corners.map((c) => c[0])),
    top: Math.min(...corners.map((c) => c[1])),
    bottom: Math.max(...corners.map((c) => c[1])),
  });
}

function styleOf(el: ElementLike, parent: TextStyle): TextStyle {
  const anchor = el.getAttribute("text-anchor");
  const size = el.getAttribute("font-size");
  const weight = el.getAttribute("font-weight");
  return {
    anchor: anchor ?? parent.anchor,
    size: size === null ? parent.size : length(size, parent.size, parent.size),
    bold: weight === null ? parent.bold : weight === "bold" || weight === "bolder" || Number(weight) >= 600,
  };
}

const NOT_DRAWN = /^(defs|clippath|marker|mask|pattern|symbol|style|title|desc|metadata|svg|foreignobject)$/;

/**
 * The boxes of every text drawn by the children of `el` (not inside nested `<svg>` elements), in `el`'s user
 * coordinates, estimated with {@linkcode textWidth}: `x`, `y`, `dx`, `dy` (px or em), `transform`s (translate, scale,
 * rotate, matrix), `text-anchor`, `font-size` and `font-weight` (inherited), and `<tspan>` lines. A text under a
 * transform this cannot read is left out.
 */
function textExtents(el: ElementLike, m: Matrix, style: TextStyle, out: Extent[]): Extent[] {
  for (const child of Array.from(el.children)) {
    const tag = child.tagName.toLowerCase();
    if (NOT_DRAWN.test(tag)) continue;
    const t = parseTransform(child.getAttribute("transform"));
    if (t === null) continue;
    const mm = multiply(m, t);
    const st = styleOf(child, style);
    if (tag !== "text") {
      textExtents(child, mm, st, out);
      continue;
    }
    const x = length(child.getAttribute("x"), st.size) + length(child.getAttribute("dx"), st.size);
    let y = length(child.getAttribute("y"), st.size) + length(child.getAttribute("dy"), st.size);
    const spans = Array.from(child.children).filter((c) => c.tagName.toLowerCase() === "tspan");
    if (spans.length === 0) {
      lineExtent(child.textContent ?? "", x, y, mm, st, out);
      continue;
    }
    for (const span of spans) {
      const ss = styleOf(span, st);
      const sx = span.getAttribute("x") === null ? x : length(span.getAttribute("x"), ss.size);
      if (span.getAttribute("y") !== null) y = length(span.getAttribute("y"), ss.size);
      y += length(span.getAttribute("dy"), ss.size);
      lineExtent(span.textContent ?? "", sx + length(span.getAttribute("dx"), ss.size), y, mm, ss, out);
    }
  }
  return out;
}

/** How many px an `<svg>` must grow on each side (in its user units) to hold every text it draws, rounded up. */
function textOverflow(svg: ElementLike): Extent {
  const box = (svg.getAttribute("viewBox") ?? "").trim().split(/[\s,]+/).map(Number);
  const [vx, vy, vw, vh] = box.length === 4 && box.every(Number.isFinite)
    ? box
    : [0, 0, numberAttribute(svg, "width", 640), numberAttribute(svg, "height", 400)];
  const root = styleOf(svg, { anchor: "start", size: 16, bold: false });
  const extents = textExtents(svg, IDENTITY, root, []);
  const grow = (v: number) => (v > 0 ? Math.ceil(v + 1) : 0);
  return {
    left: grow(vx - Math.min(vx, ...extents.map((e) => e.left))),
    top: grow(vy - Math.min(vy, ...extents.map((e) => e.top))),
    right: grow(Math.max(vx + vw, ...extents.map((e) => e.right)) - vx - vw),
    bottom: grow(Math.max(vy + vh, ...extents.map((e) => e.bottom)) - vy - vh),
  };
}

/**
 * An `<svg>` element's markup with its viewBox, width and height grown by `grow` on each side (the drawing keeps its
 * scale; it moves right by `grow.left` and down by `grow.top`), placed at (x, y) when given.
 */
function growSvg(markup: string, grow: Extent, at?: { x: number; y: number }): string {
  return markup.replace(/^<svg\b[^>]*>/, (tag) => {
    let head = tag;
    if (grow.left || grow.top || grow.right || grow.bottom) {
      const get = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(head)?.[1];
      const w = Number(get("width") ?? NaN), h = Number(get("height") ?? NaN);
      const box = (get("viewBox") ?? "").trim().split(/[\s,]+/).map(Number);
      const [vx, vy, vw, vh] = box.length === 4 && box.every(Number.isFinite) ? box : [0, 0, w, h];
      const [nw, nh] = [vw + grow.left + grow.right, vh + grow.top + grow.bottom];
      const set = (name: string, value: string) => {
        const re = new RegExp(`\\s${name}="[^"]*"`);
        head = re.test(head)
          ? head.replace(re, ` ${name}="${value}"`)
          : head.replace(/^<svg\b/, `<svg ${name}="${value}"`);
      };
      set("viewBox", `${vx - grow.left} ${vy - grow.top} ${nw} ${nh}`);
      // The drawing keeps its scale: width and height (when set) grow by the ratio of the viewBox.
      if (Number.isFinite(w) && vw > 0) set("width", String(Math.round(w * nw / vw * 100) / 100));
      if (Number.isFinite(h) && vh > 0) set("height", String(Math.round(h * nh / vh * 100) / 100));
    }
    return at ? head.replace(/^<svg\b/, `<svg x="${at.x}" y="${at.y}"`) : head;
  });
}

/**
 * A standalone SVG document (a string, with the SVG and XLink namespaces declared) for a Plot figure.
 *
 * A bare `<svg>` is serialized as is, except that its viewBox (and size) grows to hold every text it draws. A
 * `<figure>` — what Plot returns when there is a title, subtitle, caption or legend — is laid out as one SVG with a
 * white background and a 10 px padding: the title (`<text class="figure-title">`, also the SVG's `<title>`), subtitle
 * and caption become `<text>` lines wrapped to the figure's width, the plot and ramp legends become nested `<svg>`
 * elements (each grown to hold its texts, a ramp by at least 16 px on each side, so that its end labels are inside it
 * whatever the `overflow` CSS of the page), swatch legends become rows of swatches and labels, stacked in document
 * order, and the figure is as wide as its widest text. Text widths are estimated with the advances of DejaVu Sans (the
 * widest common fallback of `system-ui`), so that no text is cut at the edge of the image. The ids Plot numbers with
 * global counters (markers, clip paths) are renumbered per figure, so a figure's SVG is the same whatever was drawn
 * before it.
 *
 * @example Save a figure
 * ```ts
 * import { Plot, figureToSvg, plotDocument } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const figure = Plot.plot({ document: plotDocument(), title: "A line", marks: [Plot.lineY([1, 2])] });
 * const svg = figureToSvg(figure);
 * assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
 * assert.match(svg, />A line<\/text>/);
 * // Deno.writeTextFile("line.svg", svg) saves it.
 * ```
 *
 * @param figure A figure returned by `Plot.plot` or by a plot helper of this toolkit.
 * @returns The SVG document as a string.
 */
export function figureToSvg(figure: Figure): string {
  if (
    figure === null || typeof figure !== "object" ||
    typeof (figure as ElementLike).tagName !== "string"
  ) {
    throw new TypeError(
      `Invalid figure in figureToSvg: expected a Plot figure element; received ${typeof figure}.`,
    );
  }
  const element = figure as ElementLike;
  const tag = element.tagName.toLowerCase();
  if (tag === "svg") return renumberIds(withNamespaces(growSvg(element.outerHTML, textOverflow(element))));
  const parts: string[] = [];
  const font = "system-ui, sans-serif";
  const children = Array.from(element.children);
  const isRamp = (child: ElementLike) => /-ramp\b/.test(child.getAttribute("class") ?? "");
  // How much each plot and legend <svg> grows to hold its texts: a ramp at least 16 px on each side, so that its end
  // labels (centered on the ends) stay inside whatever the `overflow` CSS of the page.
  const growth = new Map<ElementLike, Extent>();
  for (const child of children) {
    if (child.tagName.toLowerCase() !== "svg") continue;
    const g = textOverflow(child);
    if (isRamp(child)) [g.left, g.right] = [Math.max(g.left, RAMP_PAD), Math.max(g.right, RAMP_PAD)];
    growth.set(child, g);
  }
  // The content width: the widest plot or ramp (a caption or title wraps to it).
  let width = 0;
  for (const [child, g] of growth) width = Math.max(width, numberAttribute(child, "width", 640) + g.left + g.right);
  width = Math.max(width, 240);
  // The right edge of every text laid out here (a word longer than the width, a wide swatch label), from x = 0.
  let right = width;
  let y = PAD;
  const textBlock = (text: string, size: number, options: { bold?: boolean; fill: string; role: string }) => {
    const lines = wrapText(text, width, size, options.bold);
    const weight = options.bold ? ' font-weight="bold"' : "";
    for (const line of lines) {
      right = Math.max(right, textWidth(line, size, options.bold));
      parts.push(
        `<text class="figure-${options.role}" x="${PAD}" y="${y + size}" font-size="${size}"${weight} ` +
          `fill="${options.fill}">${escapeText(line)}</text>`,
      );
      y += Math.round(size * 1.3);
    }
    y += 6;
  };
  let title = "";
  for (const child of children) {
    const name = child.tagName.toLowerCase();
    const text = (child.textContent ?? "").trim();
    if (name === "h2") {
      title = title || text;
      textBlock(text, 16, { bold: true, fill: "#000", role: "title" });
    } else if (name === "h3") {
      textBlock(text, 12, { fill: "#444", role: "subtitle" });
    } else if (name === "figcaption") {
      y += 4;
      textBlock(text, 12, { fill: "#444", role: "caption" });
    } else if (name === "svg") {
      const g = growth.get(child)!;
      const h = numberAttribute(child, "height", 400);
      parts.push(growSvg(child.outerHTML, g, { x: PAD, y }));
      y += h + g.top + g.bottom + (isRamp(child) ? 4 : 0);
    } else if (name === "div") {
      // A swatches legend: <span><svg …>…</svg>label</span> …, laid out in rows that wrap at the content width.
      let x = 0;
      const rowHeight = 18;
      for (const swatch of Array.from(child.querySelectorAll("span"))) {
        const box = swatch.querySelector("svg");
        const label = (swatch.textContent ?? "").trim();
        const advance = Math.ceil(15 + 6 + textWidth(label, 10) + 14);
        if (x > 0 && x + advance > width) {
          x = 0;
          y += rowHeight;
        }
        if (box) {
          parts.push(
            growSvg(box.outerHTML, textOverflow(box), { x: PAD + x, y: y + 1 }).replace(
              /^<svg\b/,
              '<svg overflow="visible"',
            ),
          );
        }
        parts.push(
          `<text x="${PAD + x + 21}" y="${y + 12}" font-size="10" fill="#000">${escapeText(label)}</text>`,
        );
        right = Math.max(right, x + 21 + textWidth(label, 10));
        x += advance;
      }
      y += rowHeight + 6;
    }
  }
  const total = Math.ceil(y + PAD);
  const full = Math.ceil(right + 2 * PAD);
  return renumberIds(
    `<svg xmlns="${SVG_NS}" xmlns:xlink="${XLINK_NS}" width="${full}" height="${total}" ` +
      `viewBox="0 0 ${full} ${total}" font-family="${font}">` +
      (title ? `<title>${escapeText(title)}</title>` : "") +
      `<rect width="100%" height="100%" fill="white"/>${parts.join("")}</svg>`,
  );
}

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
 * An estimate of the width of a text in px (there is no font engine here): 0.58 em per character on average for
 * system-ui (0.62 em in bold), wide letters and digits a little more, narrow ones less.
 */
function textWidth(text: string, size: number, bold = false): number {
  let em = 0;
  for (const ch of text) {
    em += /[il.,:;'|!() ]/.test(ch) ? 0.32 : /[mwMW%—–→←↑↓]/.test(ch) ? 0.88 : /[A-Z0-9]/.test(ch) ? 0.66 : 0.56;
  }
  return em * size * (bold ? 1.08 : 1);
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

/** A nested `<svg>` element's markup placed at (x, y), with its viewBox widened by `grow` px on each side. */
function placeSvg(markup: string, x: number, y: number, grow = 0, width = 0): string {
  let m = markup.replace(/^<svg\b/, `<svg x="${x}" y="${y}"`);
  if (grow > 0) {
    m = m.replace(/^(<svg\b[^>]*?)\sviewBox="([^"]*)"/, (_, head: string, box: string) => {
      const [bx, by, bw, bh] = box.split(/[\s,]+/).map(Number);
      return `${head} viewBox="${bx - grow} ${by} ${bw + 2 * grow} ${bh}"`;
    }).replace(/^(<svg\b[^>]*?)\swidth="[^"]*"/, `$1 width="${width + 2 * grow}"`);
  }
  return m;
}

/**
 * A standalone SVG document (a string, with the SVG and XLink namespaces declared) for a Plot figure.
 *
 * A bare `<svg>` is serialized as is. A `<figure>` — what Plot returns when there is a title, subtitle, caption or
 * legend — is laid out as one SVG with a white background and a 10 px padding: the title (`<text class="figure-title">`,
 * also the SVG's `<title>`), subtitle and caption become `<text>` lines wrapped to the figure's width, the plot and ramp
 * legends become nested `<svg>` elements (a ramp widened by 16 px on each side, so that its end labels are inside it
 * whatever the `overflow` CSS of the page), swatch legends become rows of swatches and labels, stacked in document
 * order. The ids Plot numbers with global
 * counters (markers, clip paths) are renumbered per figure, so a figure's SVG is the same whatever was drawn before it.
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
  if (tag === "svg") return renumberIds(withNamespaces(element.outerHTML));
  const parts: string[] = [];
  const font = "system-ui, sans-serif";
  const children = Array.from(element.children);
  // The content width: the widest plot or ramp (a caption or title wraps to it).
  let width = 0;
  for (const child of children) {
    if (child.tagName.toLowerCase() !== "svg") continue;
    const ramp = /-ramp\b/.test(child.getAttribute("class") ?? "");
    width = Math.max(width, numberAttribute(child, "width", 640) + (ramp ? 2 * RAMP_PAD : 0));
  }
  width = Math.max(width, 240);
  let y = PAD;
  const textBlock = (text: string, size: number, options: { bold?: boolean; fill: string; role: string }) => {
    const lines = wrapText(text, width, size, options.bold);
    const weight = options.bold ? ' font-weight="bold"' : "";
    for (const line of lines) {
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
      const w = numberAttribute(child, "width", 640);
      const h = numberAttribute(child, "height", 400);
      const ramp = /-ramp\b/.test(child.getAttribute("class") ?? "");
      // A ramp is widened on both sides, so that its first and last labels (centered on the ends) stay inside.
      parts.push(ramp ? placeSvg(child.outerHTML, PAD, y, RAMP_PAD, w) : placeSvg(child.outerHTML, PAD, y));
      y += h + (ramp ? 4 : 0);
    } else if (name === "div") {
      // A swatches legend: <span><svg …>…</svg>label</span> …, laid out in rows that wrap at the content width.
      let x = 0;
      const rowHeight = 18;
      for (const swatch of Array.from(child.querySelectorAll("span"))) {
        const box = swatch.querySelector("svg");
        const label = (swatch.textContent ?? "").trim();
        const advance = 15 + 6 + textWidth(label, 10) + 14;
        if (x > 0 && x + advance > width) {
          x = 0;
          y += rowHeight;
        }
        if (box) {
          parts.push(
            placeSvg(box.outerHTML, PAD + x, y + 1).replace(/^<svg\b/, '<svg overflow="visible"'),
          );
        }
        parts.push(
          `<text x="${PAD + x + 21}" y="${y + 12}" font-size="10" fill="#000">${escapeText(label)}</text>`,
        );
        x += advance;
      }
      y += rowHeight + 6;
    }
  }
  const total = Math.ceil(y + PAD);
  const full = Math.ceil(width + 2 * PAD);
  return renumberIds(
    `<svg xmlns="${SVG_NS}" xmlns:xlink="${XLINK_NS}" width="${full}" height="${total}" ` +
      `viewBox="0 0 ${full} ${total}" font-family="${font}">` +
      (title ? `<title>${escapeText(title)}</title>` : "") +
      `<rect width="100%" height="100%" fill="white"/>${parts.join("")}</svg>`,
  );
}

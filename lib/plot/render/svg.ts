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

/**
 * A standalone SVG document (a string, with the SVG and XLink namespaces declared) for a Plot figure.
 *
 * A bare `<svg>` is serialized as is. A `<figure>` — what Plot returns when there is a title, subtitle, caption or
 * legend — is laid out as one SVG: titles and captions become `<text>`, the plot and ramp legends become nested `<svg>`
 * elements, swatch legends become rows of colored squares, stacked in document order. The ids Plot numbers with global
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
  let y = 0;
  let width = 0;
  const fontFamily = "system-ui, sans-serif";
  for (const child of Array.from(element.children)) {
    const name = child.tagName.toLowerCase();
    if (name === "h2" || name === "h3" || name === "figcaption") {
      const size = name === "h2" ? 16 : 12;
      const weight = name === "h2" ? ' font-weight="bold"' : "";
      const fill = name === "h2" ? "#000" : "#555";
      y += name === "h2" ? 6 : 2;
      parts.push(
        `<text x="0" y="${y + size}" font-size="${size}"${weight} fill="${fill}" font-family="${fontFamily}">` +
          `${escapeText(child.textContent ?? "")}</text>`,
      );
      y += size + 8;
    } else if (name === "svg") {
      const w = numberAttribute(child, "width", 640);
      const h = numberAttribute(child, "height", 400);
      parts.push(child.outerHTML.replace(/^<svg\b/, `<svg x="0" y="${y}"`));
      y += h;
      width = Math.max(width, w);
    } else if (name === "div") {
      // A swatches legend: <span><svg fill="…"><rect/></svg>label</span> …
      let x = 0;
      const rowHeight = 20;
      const rowWidth = Math.max(width, 640);
      for (const swatch of Array.from(child.querySelectorAll("span"))) {
        const box = swatch.querySelector("svg");
        const label = (swatch.textContent ?? "").trim();
        const advance = 15 + 5 + label.length * 6 + 14;
        if (x > 0 && x + advance > rowWidth) {
          x = 0;
          y += rowHeight;
        }
        const fill = box?.getAttribute("fill") ?? "currentColor";
        const stroke = box?.getAttribute("stroke");
        parts.push(
          `<rect x="${x}" y="${y + 2}" width="15" height="15" fill="${fill}"` +
            (stroke ? ` stroke="${stroke}"` : "") + `/>` +
            `<text x="${x + 20}" y="${y + 14}" font-size="10" font-family="${fontFamily}">${escapeText(label)}</text>`,
        );
        x += advance;
      }
      y += rowHeight + 4;
    }
  }
  width = Math.max(width, 1);
  return renumberIds(
    `<svg xmlns="${SVG_NS}" xmlns:xlink="${XLINK_NS}" width="${width}" height="${Math.ceil(y)}" ` +
      `viewBox="0 0 ${width} ${Math.ceil(y)}" font-family="${fontFamily}">` +
      `<rect width="100%" height="100%" fill="white"/>${parts.join("")}</svg>`,
  );
}

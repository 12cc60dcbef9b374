/**
 * A key drawn in a figure's top margin (line samples and color boxes with dark labels on white), and the colorblind-safe
 * palette of the plot helpers. Internal module.
 *
 * @module
 */

import type { Markish } from "../../core/deps.ts";

/** The part of Plot's render context document used here (structural, so consumers need no "dom" lib). */
interface SvgDocument {
  createElementNS(namespace: string, name: string): SvgNode;
}
interface SvgNode {
  setAttribute(name: string, value: string): void;
  append(...nodes: SvgNode[]): void;
  textContent: string | null;
}

/**
 * The Okabe–Ito palette (Okabe & Ito 2008), distinguishable under the common color-vision deficiencies: blue, orange,
 * bluish green, vermillion, sky blue, reddish purple, yellow, black.
 */
export const OKABE_ITO: readonly string[] = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#D55E00",
  "#56B4E9",
  "#CC79A7",
  "#F0E442",
  "#000000",
];

/**
 * Legend options for a color ramp (Plot reads legend options from the scale's options): room for the end labels, which
 * are centered on the ramp's ends, so that they show whatever the page's `overflow` CSS (a classic notebook clips
 * `svg:not(:root)`).
 */
export const RAMP_MARGINS: Record<string, number> = { marginLeft: 14, marginRight: 14 };

/** One row of a key: a line sample (with its dash pattern) or a filled box, and its label. */
export interface KeyRow {
  /** The label, drawn in dark grey on the white margin. */
  label: string;
  /** The line or box color. */
  color: string;
  /** "line" draws a 24 px line sample, "box" a 12 px square. */
  kind: "line" | "box";
  /** The line's dash pattern. */
  dash?: string;
}

/** The height of one key row, in px. */
export const KEY_ROW = 14;

/** Where the first key row starts: below the y-axis label, which Plot draws at the top of the plot. */
const KEY_TOP = 20;

/** The top margin that leaves room for `rows` key rows between the y-axis label and the frame. */
export function keyMarginTop(rows: number): number {
  return rows > 0 ? KEY_TOP + KEY_ROW * rows + 6 : 20;
}

/**
 * A render-function mark drawing the rows in the top margin, left-aligned with the frame, below the y-axis label:
 * nothing of it lies on the data, so every label is dark on white. Pair it with `marginTop: keyMarginTop(n)`.
 */
export function topKey(rows: KeyRow[]): Markish {
  if (rows.length === 0) return null;
  const mark = (
    _index: number[],
    _scales: unknown,
    _values: unknown,
    dimensions: { marginLeft: number },
    context: { document: SvgDocument },
  ) => {
    const ns = "http://www.w3.org/2000/svg";
    const doc = context.document;
    const el = (name: string, attrs: Record<string, string | number>) => {
      const e = doc.createElementNS(ns, name);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
      return e;
    };
    const g = el("g", { "aria-label": "key", "font-size": 10, "text-anchor": "start" });
    rows.forEach((row, k) => {
      const x = dimensions.marginLeft, y = KEY_TOP + 7 + KEY_ROW * k;
      if (row.kind === "line") {
        const attrs: Record<string, string | number> = {
          x1: x,
          x2: x + 24,
          y1: y,
          y2: y,
          stroke: row.color,
          "stroke-width": 2,
        };
        if (row.dash) attrs["stroke-dasharray"] = row.dash;
        g.append(el("line", attrs));
      } else {
        g.append(el("rect", { x: x + 6, y: y - 6, width: 12, height: 12, fill: row.color }));
      }
      const text = el("text", { x: x + 30, y: y + 3.5, fill: "#222" });
      text.textContent = row.label;
      g.append(text);
    });
    return g;
  };
  return mark as unknown as Markish;
}

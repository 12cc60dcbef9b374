/**
 * Showing a figure or a table in a notebook so that it lands under its own cell and survives an untrusted notebook.
 *
 * Why not end a cell with the figure: the Deno kernel (2.9.6) sends a cell's `execute_result` (its last expression)
 * asynchronously, and with Run All it sometimes arrives after the cell's reply and `idle`, when the frontend files it
 * under the next cell. `await show(x)` sends a `display_data` with `Deno.jupyter.display`, waits until it is queued,
 * and then waits 10 ms, so that the kernel's sending task puts the message out before the cell's reply. Measured
 * with `scripts/run_notebooks.ts --run-all` on a notebook of 20 figure cells, each followed by a 0.1 s computation
 * (Run-All runs with at least one output late or under the next cell): the figure as the cell's last expression 7 of
 * 14; an object with a `Symbol.for("Jupyter.display")` method 2 of 4; `await Promise.resolve(figure)` 7 of 14;
 * `await Deno.jupyter.display(…)` alone 2 of 14; followed by `setTimeout(…, 0)` 1 of 24; followed by 10 ms (this
 * function) 0 of 10, on a machine loaded about 9× its 2 cores.
 *
 * Why this MIME bundle: in an untrusted notebook (every notebook downloaded from the repository is untrusted) classic
 * Notebook 6.4 shows `text/plain`, `text/latex` and the raster image types as they are, skips `image/svg+xml`, and
 * passes `text/html` through its sanitizer (sanitize-html), which removes an inline `<svg>` (the garbled 0×0 figures)
 * but keeps an `<img>` whose `src` is a `data:` URI (it checks URL schemes of `href` and `cite` only). A figure is
 * therefore sent as `text/html` holding `<img src="data:image/svg+xml;base64,…">` of its standalone SVG (titles and
 * legends included, isolated from the notebook's CSS), plus a `text/plain` line; the same output shows in a trusted
 * and an untrusted notebook, in nbconvert's HTML and in JupyterLab. A table is sent as a plain `<table>` (kept by the
 * sanitizer) plus a fixed-width `text/plain` table of at most 100 characters a line.
 *
 * @module
 */

import { jupyterDisplay } from "../../core/jupyter.ts";
import type { ElementLike } from "./dom.ts";
import { type Figure, figureToSvg } from "./svg.ts";

/** A row of a table for {@linkcode show}: column name → value. */
export type TableRow = Readonly<Record<string, unknown>>;

/** An object that the Deno kernel displays through its `Symbol.for("Jupyter.display")` method (a MIME bundle). */
export interface JupyterDisplayable {
  /** Returns the MIME bundle to display. */
  [key: symbol]: unknown;
}

/**
 * What {@linkcode show} accepts: a Plot figure, an array of row objects (a table), an object of row objects (a table
 * with one row per key, the key in the first column, as `console.table` shows it), a string, or an object with a
 * `Symbol.for("Jupyter.display")` method (like the result of `showClaims`).
 */
export type Showable =
  | Figure
  | readonly TableRow[]
  | Readonly<Record<string, TableRow>>
  | string
  | JupyterDisplayable;

/** A Jupyter MIME bundle: MIME type → content (base64 for images). */
export type MimeBundle = Record<string, string>;

const MAX_WIDTH = 100;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `array of length ${value.length}`;
  if (typeof value === "object") return `object ${Object.prototype.toString.call(value)}`;
  if (typeof value === "string") return `string ${JSON.stringify(value.slice(0, 40))}`;
  return `${typeof value} ${String(value)}`;
}

function isFigure(value: unknown): value is Figure {
  return value !== null && typeof value === "object" && !Array.isArray(value) &&
    typeof (value as ElementLike).tagName === "string" && typeof (value as ElementLike).outerHTML === "string";
}

const DISPLAY = Symbol.for("Jupyter.display");

function displayMethod(value: unknown): (() => unknown) | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const m = (value as Record<symbol, unknown>)[DISPLAY];
  return typeof m === "function" ? m as () => unknown : undefined;
}

function isRow(value: unknown): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !isFigure(value);
}

/** A plain object (prototype Object or null) with at least one key, every value a row object. */
function isRowRecord(value: unknown): value is Readonly<Record<string, TableRow>> {
  if (value === null || typeof value !== "object" || Array.isArray(value) || isFigure(value)) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const values = Object.values(value);
  return values.length > 0 && values.every(isRow);
}

function checkShowable(value: unknown, fn: string): void {
  if (typeof value === "string" || isFigure(value) || displayMethod(value) !== undefined) return;
  if (isRowRecord(value)) return;
  if (Array.isArray(value)) {
    value.forEach((row, i) => {
      if (row === null || typeof row !== "object" || Array.isArray(row) || isFigure(row)) {
        throw new TypeError(
          `Invalid value[${i}] in ${fn}: expected a row object (column name → value); received ${describe(row)}.`,
        );
      }
    });
    return;
  }
  throw new TypeError(
    `Invalid value in ${fn}: expected a Plot figure, an array of row objects, an object of row objects, a string ` +
      `or a Jupyter-displayable object; received ${describe(value)}.`,
  );
}

/** A cell value as text: numbers to 4 significant digits (exponent form outside [1e-4, 1e15)), integers in full below
 * 1e15, arrays joined. */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") {
    if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
    if (!Number.isFinite(v)) return String(v);
    const p = Number(v.toPrecision(4));
    const a = Math.abs(p);
    return a !== 0 && (a >= 1e15 || a < 1e-4) ? p.toExponential() : String(p);
  }
  if (typeof v === "bigint") return String(v);
  if (Array.isArray(v)) return v.map(cellText).join(", ");
  if (typeof v === "object") {
    try {
      return JSON.stringify(v) ?? "";
    } catch {
      return String(v); // a circular object (a DOM node)
    }
  }
  return String(v);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function clip(s: string, width: number): string {
  const chars = Array.from(s);
  return chars.length <= width ? s : chars.slice(0, Math.max(0, width - 1)).join("") + "…";
}

function textTable(columns: string[], rows: string[][]): string {
  const widths = columns.map((c, j) => Math.max(Array.from(c).length, ...rows.map((r) => Array.from(r[j]).length)));
  // Shrink the widest columns until a line fits (columns separated by two spaces).
  const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  while (total() > MAX_WIDTH) {
    const j = widths.indexOf(Math.max(...widths));
    if (widths[j] <= 4) break;
    widths[j]--;
  }
  const pad = (s: string, w: number) => {
    const c = clip(s, w);
    return c + " ".repeat(Math.max(0, w - Array.from(c).length));
  };
  const line = (cells: string[]) => clip(cells.map((c, j) => pad(c, widths[j])).join("  ").trimEnd(), MAX_WIDTH);
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** A table: the rows' columns in order of appearance, after a first unnamed column of row names when `names` is given. */
function tableBundle(rows: readonly TableRow[], names?: readonly string[]): MimeBundle {
  const keys: string[] = [];
  for (const row of rows) for (const k of Object.keys(row)) if (!keys.includes(k)) keys.push(k);
  if (rows.length === 0 || (keys.length === 0 && names === undefined)) return { "text/plain": "(empty table)" };
  const columns = names === undefined ? keys : ["", ...keys];
  const cells = rows.map((
    row,
    i,
  ) => [...(names === undefined ? [] : [names[i]]), ...keys.map((c) => cellText(row[c]))]);
  const numeric = columns.map((c, j) =>
    !(names !== undefined && j === 0) && rows.every((row) => row[c] === undefined || typeof row[c] === "number")
  );
  const align = (j: number) => numeric[j] ? ' align="right"' : "";
  const html = "<table>\n<thead><tr>" + columns.map((c, j) => `<th${align(j)}>${escapeHtml(c)}</th>`).join("") +
    "</tr></thead>\n<tbody>\n" +
    cells.map((r) => "<tr>" + r.map((v, j) => `<td${align(j)}>${escapeHtml(v)}</td>`).join("") + "</tr>").join("\n") +
    "\n</tbody>\n</table>";
  // A line break inside a cell would break the fixed-width text table.
  const flat = cells.map((r) => r.map((c) => c.replace(/\s*[\r\n]+\s*/g, " ⏎ ")));
  return { "text/html": html, "text/plain": textTable(columns, flat) };
}

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Above this size (bytes) a figure's SVG is dense: its path data is rounded to whole pixels. */
const DENSE_BYTES = 100_000;

function roundCoordinates(svg: string, names: string, scale: number): string {
  const attribute = new RegExp(`\\s(${names})="([^"]*)"`, "g");
  return svg.replace(attribute, (_, name: string, value: string) => {
    const rounded = value.replace(/-?\d*\.\d+(?:e[-+]?\d+)?/g, (n) => {
      const r = Math.round(Number(n) * scale) / scale;
      return String(Object.is(r, -0) ? 0 : r);
    });
    return ` ${name}="${rounded}"`;
  });
}

/**
 * The SVG with the coordinates in path data (`d`, `points`) and of dots (`cx`, `cy`) rounded to 0.1 px, invisible at
 * screen resolution; in a dense figure (over 100 kB, such as 200 trajectories of 100 steps) path data is rounded to
 * whole pixels, which keeps thin translucent lines as they look and saves about a third of the bytes.
 */
function compactSvg(svg: string): string {
  const fine = roundCoordinates(svg, "d|points|cx|cy", 10);
  return fine.length > DENSE_BYTES ? roundCoordinates(fine, "d|points", 1) : fine;
}

/** The figure's own title: the `<title>` that opens the root `<svg>` (not a mark's tooltip), or "". */
function figureTitle(svg: string): string {
  const m = /^\s*(?:<\?xml[^>]*>\s*)?<svg\b[^>]*>\s*<title>([^<]*)<\/title>/.exec(svg);
  return m
    ? m[1].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'")
      .replace(/&amp;/g, "&")
    : "";
}

/**
 * The MIME bundle {@linkcode show} sends for a value: for a figure, `text/html` holding an `<img>` whose source is the
 * figure's standalone SVG from {@linkcode figureToSvg} (titles and legends included; path and dot coordinates rounded
 * to 0.1 px, path data of a figure over 100 kB to 1 px) as a base64 `data:` URI, which an untrusted notebook shows
 * too, and a `text/plain` line naming it; for an array of row objects, an HTML `<table>` and a fixed-width text table
 * (numbers to 4 significant digits, lines of at most 100 characters, long cells cut with "…"); for a string,
 * `text/plain`; for an object with a
 * `Symbol.for("Jupyter.display")` method, the bundle it returns.
 *
 * @example A table
 * ```ts
 * import { showBundle } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const bundle = showBundle([{ λ: 0.5, rate: 0.123456789 }, { λ: 1, rate: 2 / 3 }]);
 * assert.match(bundle["text/html"], /<td align="right">0.1235<\/td>/);
 * assert.equal(bundle["text/plain"].split("\n")[0], "λ    rate");
 * ```
 *
 * @example A table keyed by row name (as `console.table` shows an object of objects)
 * ```ts
 * import { showBundle } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const bundle = showBundle({ "S = 1": { λ: 0.5 }, "S = 2": { λ: 0.75 } });
 * assert.deepEqual(bundle["text/plain"].split("\n").map((l) => l.trimEnd()), ["       λ", "-----  ----", "S = 1  0.5", "S = 2  0.75"]);
 * ```
 *
 * @example A figure
 * ```ts
 * import { Plot, plotDocument, showBundle } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const figure = Plot.plot({ document: plotDocument(), title: "A line", marks: [Plot.lineY([1, 2])] });
 * const bundle = showBundle(figure);
 * assert.match(bundle["text/html"], /^<img src="data:image\/svg\+xml;base64,/);
 * assert.equal(bundle["text/plain"], "Figure: A line");
 * ```
 *
 * @param value A figure from `Plot.plot` or a plot helper, an array of row objects, an object of row objects, a string,
 *   or a displayable object.
 * @returns The bundle, MIME type → content.
 */
export function showBundle(value: Showable): MimeBundle {
  checkShowable(value, "showBundle");
  if (typeof value === "string") return { "text/plain": value };
  if (Array.isArray(value)) return tableBundle(value as readonly TableRow[]);
  const method = displayMethod(value);
  if (method === undefined && isRowRecord(value)) {
    const entries = Object.entries(value);
    return tableBundle(entries.map(([, row]) => row), entries.map(([key]) => key));
  }
  if (method !== undefined) {
    const bundle = method.call(value);
    if (
      bundle === null || typeof bundle !== "object" ||
      !Object.values(bundle).every((v) => typeof v === "string")
    ) {
      throw new TypeError(
        `Invalid value in showBundle: its Symbol.for("Jupyter.display") method returned ${describe(bundle)}, not a ` +
          `MIME bundle of strings.`,
      );
    }
    return { ...bundle as MimeBundle };
  }
  const svg = compactSvg(figureToSvg(value as Figure));
  const title = figureTitle(svg);
  const size = /^<svg\b[^>]*?\swidth="([\d.]+)"/.exec(svg);
  const width = size ? ` width="${Math.round(Number(size[1]))}"` : "";
  return {
    "text/html": `<img src="data:image/svg+xml;base64,${base64(svg)}"${width} alt="${escapeHtml(title || "figure")}">`,
    "text/plain": title ? `Figure: ${title}` : "Figure",
  };
}

/** How long `show` waits after `Deno.jupyter.display` resolves, so that the kernel sends the output first. */
const FLUSH_MS = 10;

/**
 * Shows a figure, a table or a string under the current notebook cell and returns nothing: `await show(figure)` as a
 * cell's last statement instead of ending the cell with `figure`. In Jupyter (Deno kernel) it sends the bundle of
 * {@linkcode showBundle} with `Deno.jupyter.display` and resolves once it is sent, before the cell's reply, so the
 * output cannot land under the next cell with Run All; a figure shows in an untrusted notebook too. Outside Jupyter it
 * prints the `text/plain` part to stdout.
 *
 * @example Outside Jupyter it prints the text form
 * ```ts
 * import { show } from "@probstab/sgd";
 *
 * await show([{ seed: 1, loss: 0.0123456 }, { seed: 2, loss: 0.5 }]);
 * ```
 *
 * @param value A figure from `Plot.plot` or a plot helper, an array of row objects, an object of row objects, a string,
 *   or a displayable object.
 * @returns Nothing, once the output is sent.
 */
export async function show(value: Showable): Promise<void> {
  checkShowable(value, "show");
  const bundle = showBundle(value);
  const j = jupyterDisplay();
  if (j === undefined) {
    console.log(bundle["text/plain"]);
    return;
  }
  await j.display(bundle, { raw: true });
  // The kernel publishes the message from another task, and it was sometimes sent after the cell's reply and idle:
  // give that task time to run before the cell ends (see the module documentation for the measurements).
  await new Promise((resolve) => setTimeout(resolve, FLUSH_MS));
}

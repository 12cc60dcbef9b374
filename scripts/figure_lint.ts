/**
 * Lints figures in headless Chromium: every committed `figures/*.svg`, and the figure outputs of notebooks
 * (`image/svg+xml`; `text/html` holding an `<svg>`; and the `<img src="data:image/svg+xml;base64,…">` that `show`
 * sends, whose SVG is decoded and linted as a standalone SVG, named `… img`). Each figure is placed in one HTML page (with the classic notebook's
 * `svg:not(:root){overflow:hidden}` rule, so that text drawn outside its own `<svg>` counts as clipped), measured by a
 * script in the page, and the findings are printed per figure and counted per kind:
 *
 * - `overlap`: two text elements whose boxes intersect (by more than 1.5 px each way);
 * - `clipped`: text that sticks out of its nearest `<svg>` (outside the viewBox: cut in a standalone file, or hidden
 *   by the notebook's CSS);
 * - `title`: a figure without a title (an `<h2>`, or a `<text class="figure-title">` in a standalone SVG);
 * - `nan`: "NaN" in an attribute or a text;
 * - `contrast`: text whose fill has a contrast ratio below 3 against the filled shape under its center (text with a
 *   contrasting halo passes; text over a raster image is not judged);
 * - `palette`: two or more categorical colors of Plot's default "observable10", "tableau10" or "category10", which
 *   are not colorblind-safe (use Okabe–Ito colors, and viridis or cividis for ramps);
 * - `broken`: a figure `<img>` whose SVG data URI does not decode to an `<svg>`;
 * - `domain`: an axis tick more than 8 % of the frame beyond the extent of the data marks (an axis domain wider than
 *   the data; text, keys and the axes themselves are not data, reference rules are).
 *
 *     deno run --allow-read --allow-write --allow-run scripts/figure_lint.ts               # figures/ and notebooks/
 *     deno run --allow-read --allow-write --allow-run scripts/figure_lint.ts a.svg b.ipynb # the files named
 *     ... scripts/figure_lint.ts --verbose                                                 # every finding
 *
 * Exits 1 when any finding is reported. Needs Debian's `chromium` on the PATH.
 *
 * @module
 */

import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  args: Deno.args,
  options: {
    verbose: { type: "boolean", default: false },
    chromium: { type: "string", default: "chromium" },
  },
  allowPositionals: true,
});

interface Source {
  /** Where the figure comes from: a file, or a notebook, cell and output. */
  name: string;
  /** The markup: an `<svg>` document or a notebook's HTML output. */
  markup: string;
}

interface Finding {
  figure: string;
  kind: string;
  detail: string;
}

const root = new URL("../", import.meta.url).pathname;

function listDir(dir: string, ext: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].filter((e) => e.isFile && e.name.endsWith(ext)).map((e) => `${dir}/${e.name}`)
      .sort();
  } catch {
    return [];
  }
}

/** Findings made before the page: a figure `<img>` whose SVG data URI does not decode to an `<svg>`. */
const broken: Finding[] = [];

/** The SVG documents of the `<img src="data:image/svg+xml…">` elements of an HTML output (base64 or percent-encoded). */
function imageSvgs(html: string, name: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<img\b[^>]*?\ssrc\s*=\s*(["'])(data:image\/svg\+xml[^"']*)\1/gi)) {
    const uri = m[2].replace(/&amp;/g, "&");
    const comma = uri.indexOf(",");
    const head = uri.slice(0, comma), body = uri.slice(comma + 1);
    let text = "";
    try {
      text = /;base64$/i.test(head)
        ? new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(atob(body), (ch) => ch.charCodeAt(0)))
        : decodeURIComponent(body);
    } catch {
      text = "";
    }
    if (/<svg\b/.test(text)) out.push(text);
    else broken.push({ figure: name, kind: "broken", detail: "an <img> whose SVG data URI does not decode" });
  }
  return out;
}

function notebookFigures(path: string): Source[] {
  const nb = JSON.parse(Deno.readTextFileSync(path)) as {
    cells: Array<{ cell_type: string; outputs?: Array<{ data?: Record<string, string | string[]> }> }>;
  };
  const short = path.split("/").pop()!.replace(/\.ipynb$/, "");
  const out: Source[] = [];
  nb.cells.forEach((cell, c) => {
    (cell.outputs ?? []).forEach((o, k) => {
      const join = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join("") : v);
      const svg = join(o.data?.["image/svg+xml"]);
      const html = join(o.data?.["text/html"]);
      const name = `${short} c${c}${k ? `.${k}` : ""}`;
      const markup = svg ?? (html && /<svg\b/.test(html) ? html : undefined);
      if (markup) out.push({ name, markup });
      // Figures shown by `show` (an <img> of the standalone SVG): each decoded and linted as a standalone SVG.
      imageSvgs(html ?? "", name).forEach((decoded, j) =>
        out.push({ name: `${name} img${j ? `.${j}` : ""}`, markup: decoded })
      );
    });
  });
  return out;
}

const paths = positionals.length
  ? positionals
  : [...listDir(`${root}figures`, ".svg"), ...listDir(`${root}notebooks`, ".ipynb")];
const sources: Source[] = [];
for (const p of paths) {
  if (p.endsWith(".ipynb")) sources.push(...notebookFigures(p));
  else if (p.endsWith(".svg")) sources.push({ name: p.replace(root, ""), markup: Deno.readTextFileSync(p) });
  else {
    console.error(`figure_lint: not an .svg or .ipynb file: ${p}`);
    Deno.exit(2);
  }
}

/** Makes the ids of one figure unique in the page (`url(#…)` and `href="#…"` follow). */
function prefixIds(markup: string, prefix: string): string {
  return markup
    .replace(/<\?xml[^>]*>/, "")
    .replace(/(\bid="|url\(#|href="#)([^")]+)(?=[")])/g, (_, lead: string, id: string) => `${lead}${prefix}${id}`);
}

/** The measuring script, run in the page: one result per `.lint-figure`. */
function measure() {
  const parse = (c: string): number[] | null => {
    const m = /rgba?\(([^)]*)\)/.exec(c);
    if (!m) return null;
    const v = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    if (v.length === 4 && v[3] === 0) return null;
    return v.slice(0, 3);
  };
  const lum = ([r, g, b]: number[]) => {
    const f = (x: number) => {
      const s = x / 255;
      return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const contrast = (a: number[], b: number[]) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  // The viewport of an <svg>: a nested one's getBoundingClientRect is the box of its content, not its viewport.
  const viewport = (svg: SVGSVGElement) => {
    const parent = svg.parentElement as unknown as SVGGraphicsElement;
    if (!svg.ownerSVGElement || !parent.getScreenCTM) return svg.getBoundingClientRect();
    const m = parent.getScreenCTM()!;
    const left = m.e + m.a * svg.x.baseVal.value, top = m.f + m.d * svg.y.baseVal.value;
    return { left, top, right: left + m.a * svg.width.baseVal.value, bottom: top + m.d * svg.height.baseVal.value };
  };
  const label = (el: Element) => (el.textContent ?? "").trim().slice(0, 40);
  const results: Array<{ figure: string; kind: string; detail: string }> = [];
  // observable10 (Plot's default), tableau10 and category10, without their greys.
  const UNSAFE = [
    "#4269d0",
    "#efb118",
    "#ff725c",
    "#6cc5b0",
    "#3ca951",
    "#ff8ab7",
    "#a463f2",
    "#97bbf5",
    "#9c6b4e",
    "#4e79a7",
    "#f28e2c",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc949",
    "#af7aa1",
    "#ff9da7",
    "#9c755f",
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#bcbd22",
    "#17becf",
  ];
  const overlaps = (a: DOMRect, b: DOMRect, slack: number) =>
    Math.min(a.right, b.right) - Math.max(a.left, b.left) > slack &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > slack;
  for (const fig of Array.from(document.querySelectorAll(".lint-figure"))) {
    const name = fig.getAttribute("data-name")!;
    const add = (kind: string, detail: string) => results.push({ figure: name, kind, detail });
    fig.scrollIntoView(); // elementsFromPoint sees only the viewport
    const texts = Array.from(fig.querySelectorAll("text")).filter((t) => {
      const r = t.getBoundingClientRect();
      return (t.textContent ?? "").trim() !== "" && r.width > 0 && r.height > 0;
    });
    const boxes = texts.map((t) => t.getBoundingClientRect());
    // HTML text (titles, captions, swatch labels) of a Plot <figure>.
    const htmlTexts = Array.from(fig.querySelectorAll("h2, h3, figcaption, span")).filter((e) =>
      !e.closest("svg") && (e.textContent ?? "").trim() !== ""
    );
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        if (overlaps(boxes[i], boxes[j], 1.5)) add("overlap", `"${label(texts[i])}" × "${label(texts[j])}"`);
      }
    }
    for (let i = 0; i < texts.length; i++) {
      const s = viewport(texts[i].parentElement!.closest("svg")!), b = boxes[i];
      if (b.left < s.left - 1 || b.right > s.right + 1 || b.top < s.top - 1 || b.bottom > s.bottom + 1) {
        add("clipped", `"${label(texts[i])}" outside its <svg>`);
      }
      // Contrast against the shape under the text's center.
      const fill = parse(getComputedStyle(texts[i]).fill);
      if (!fill) continue;
      const x = (b.left + b.right) / 2, y = (b.top + b.bottom) / 2;
      const stack = document.elementsFromPoint(x, y);
      let bg: number[] | null = null;
      let raster = false;
      for (const el of stack) {
        if (el === texts[i] || texts[i].contains(el) || el.tagName === "text" || el.tagName === "tspan") continue;
        if (el.tagName === "image" || el.tagName === "IMG") {
          raster = true;
          break;
        }
        if (el.tagName === "g" || el.tagName === "svg" || el.tagName === "DIV" || el.tagName === "FIGURE") {
          const c = parse(getComputedStyle(el).backgroundColor);
          if (el.tagName !== "g" && c) {
            bg = c;
            break;
          }
          continue;
        }
        if (["rect", "path", "circle", "polygon", "ellipse"].includes(el.tagName)) {
          const st = getComputedStyle(el);
          const c = parse(st.fill);
          if (c && Number(st.fillOpacity) > 0.3 && Number(st.opacity) > 0.3) {
            bg = c;
            break;
          }
          continue;
        }
        if (el.tagName === "BODY" || el.tagName === "HTML") {
          bg = [255, 255, 255];
          break;
        }
      }
      if (raster || !bg) continue;
      let ratio = contrast(fill, bg);
      const st = getComputedStyle(texts[i]);
      const halo = parse(st.stroke);
      if (halo && Number(st.strokeWidth.replace("px", "")) >= 2) ratio = Math.max(ratio, contrast(fill, halo));
      if (ratio < 3) add("contrast", `"${label(texts[i])}" contrast ${ratio.toFixed(2)}`);
    }
    for (const h of htmlTexts) {
      for (let i = 0; i < texts.length; i++) {
        if (overlaps(h.getBoundingClientRect(), boxes[i], 1.5) && !h.contains(texts[i])) {
          add("overlap", `"${label(h)}" × "${label(texts[i])}"`);
        }
      }
    }
    const titled = fig.querySelector("h2, text.figure-title, text[font-weight='bold'][font-size='16']");
    if (!titled) add("title", "no title");
    const markup = fig.innerHTML.replace(/data:[^"']*/g, "");
    if (/NaN/.test(markup)) add("nan", "NaN in the markup");
    // Categorical colors of Plot's default "observable10", "tableau10" or d3's category10 (not colorblind-safe): two or
    // more of them.
    const used = new Set(
      Array.from(markup.matchAll(/(?:fill|stroke)(?:="|:\s*)(#[0-9a-fA-F]{6})/g), (m) => m[1].toLowerCase()),
    );
    const unsafe = [...used].filter((c) => UNSAFE.includes(c));
    if (unsafe.length >= 2) add("palette", `not colorblind-safe categorical colors ${unsafe.join(", ")}`);
    // Axis domain against the data marks, per plot <svg> (the one holding axes).
    for (
      const plot of Array.from(fig.querySelectorAll("svg")).filter((s) =>
        s.querySelector("g[aria-label$='-axis tick']")
      )
    ) {
      const nonData = /axis|grid|frame|text|tip|key/;
      const marks = Array.from(plot.querySelectorAll(":scope > g[aria-label]"))
        .filter((g) => !nonData.test(g.getAttribute("aria-label") ?? ""));
      const rects = marks.flatMap((g) => Array.from(g.querySelectorAll("path, rect, circle, line, image, polyline")))
        .map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0 || r.height > 0);
      if (!rects.length) continue;
      const data = {
        left: Math.min(...rects.map((r) => r.left)),
        right: Math.max(...rects.map((r) => r.right)),
        top: Math.min(...rects.map((r) => r.top)),
        bottom: Math.max(...rects.map((r) => r.bottom)),
      };
      for (const axis of ["x", "y"]) {
        const ticks = Array.from(plot.querySelectorAll(`g[aria-label='${axis}-axis tick'] > *`))
          .map((e) => e.getBoundingClientRect());
        if (ticks.length < 2) continue;
        const pos = ticks.map((r) => (axis === "x" ? (r.left + r.right) / 2 : (r.top + r.bottom) / 2));
        const lo = Math.min(...pos), hi = Math.max(...pos);
        const [dlo, dhi] = axis === "x" ? [data.left, data.right] : [data.top, data.bottom];
        const span = Math.max(hi - lo, dhi - dlo, 1);
        const outside = Math.max(dlo - lo, hi - dhi);
        if (outside > 0.08 * span) {
          add("domain", `${axis} axis ticks reach ${(100 * outside / span).toFixed(0)} % of the frame beyond the data`);
        }
      }
    }
  }
  document.body.innerHTML = "";
  const pre = document.createElement("pre");
  pre.id = "lint-results";
  pre.textContent = JSON.stringify(results);
  document.body.append(pre);
}

const page = `<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body { margin: 0; font-family: sans-serif; background: white; }
svg:not(:root) { overflow: hidden; }
.lint-figure { display: block; margin: 20px; width: max-content; }
</style></head><body>
${
  sources.map((s, i) => `<div class="lint-figure" data-name="${s.name}">${prefixIds(s.markup, `f${i}-`)}</div>`).join(
    "\n",
  )
}
<script>(${measure.toString()})();</script></body></html>`;

const dir = await Deno.makeTempDir({ prefix: "figure_lint_" });
const file = `${dir}/page.html`;
await Deno.writeTextFile(file, page);
const { stdout, code } = await new Deno.Command(values.chromium, {
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--window-size=1600,3000",
    "--virtual-time-budget=20000",
    "--dump-dom",
    `file://${file}`,
  ],
  stdout: "piped",
  stderr: "null",
}).output();
await Deno.remove(dir, { recursive: true });
const dom = new TextDecoder().decode(stdout);
const match = /<pre id="lint-results">([\s\S]*?)<\/pre>/.exec(dom);
if (code !== 0 || !match) {
  console.error(`figure_lint: chromium failed (exit ${code}) or the page did not report`);
  Deno.exit(2);
}
const unescape = (s: string) =>
  s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
const findings = [...broken, ...(JSON.parse(unescape(match[1])) as Finding[])];

const byFigure = new Map<string, Finding[]>();
for (const f of findings) byFigure.set(f.figure, [...(byFigure.get(f.figure) ?? []), f]);
for (const [figure, list] of byFigure) {
  const kinds = new Map<string, number>();
  for (const f of list) kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
  console.log(`${figure}: ${[...kinds].map(([k, n]) => `${n} ${k}`).join(", ")}`);
  if (values.verbose) { for (const f of list) console.log(`    ${f.kind}: ${f.detail}`); }
}
const totals = new Map<string, number>();
for (const f of findings) totals.set(f.kind, (totals.get(f.kind) ?? 0) + 1);
console.log(
  `\n${sources.length} figures, ${byFigure.size} with findings; ${findings.length} findings: ${
    [...totals].map(([k, n]) => `${n} ${k}`).join(", ") || "none"
  }`,
);
Deno.exit(findings.length ? 1 : 0);

/**
 * The checks that run inside the page (headless Chromium), for both nbconvert's HTML (JupyterLab classes) and the
 * live classic Notebook 6 frontend. Each function is sent to the page as source text, so it must not refer to anything
 * outside itself.
 *
 * @module
 */

/** Where to look in a page: cells, output areas, rendered Markdown. */
export interface Selectors {
  cell: string;
  output: string;
  markdown: string;
}

/** nbconvert's lab template. */
export const STATIC_SELECTORS: Selectors = {
  cell: ".jp-Cell",
  output: ".jp-OutputArea-output",
  markdown: ".jp-RenderedMarkdown, .jp-RenderedHTMLCommon",
};

/** Classic Notebook 6. */
export const LIVE_SELECTORS: Selectors = {
  cell: "#notebook-container > .cell",
  output: ".output_subarea",
  markdown: ".text_cell_render, .output_markdown",
};

/** A rectangle in document coordinates (CSS pixels), for a screenshot. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One problem found in a page. */
export interface PageProblem {
  check: "zero-size figure" | "MathJax error" | "clipped label";
  /** Index of the cell in the notebook (markdown cells count), or -1. */
  cell: number;
  detail: string;
  /** What to photograph. */
  box?: Box;
}

/** What `inspectPage` returns. */
export interface PageReport {
  problems: PageProblem[];
  /** Outputs per cell index that show a figure (an svg or img at least 20 × 20 px). */
  figuresPerCell: Record<number, number>;
  figures: number;
  labels: number;
  mathjax: "typeset" | "missing" | "timeout";
}

/**
 * Installed before the page's own scripts: a MathJax 2 pre-configuration whose AuthorInit records TeX parse errors
 * and "Math Processing Error"s (MathJax reads `window.MathJax` as configuration when it loads).
 */
export const MATHJAX_HOOK = `
window.__browserTestMathErrors = [];
window.MathJax = {
  AuthorInit: function () {
    MathJax.Hub.Register.MessageHook("TeX Jax - parse error", function (m) {
      window.__browserTestMathErrors.push("TeX parse error: " + String(m[1]));
    });
    MathJax.Hub.Register.MessageHook("Math Processing Error", function (m) {
      window.__browserTestMathErrors.push("Math Processing Error: " + String(m[2] && m[2].message || m[2]));
    });
  },
};
`;

/**
 * Waits for MathJax (at most 30 s), web fonts and images, then reports zero-size figures, MathJax errors (recorded by
 * `MATHJAX_HOOK`, error elements, or raw TeX left in rendered Markdown) and clipped SVG labels: a text element whose
 * box extends more than `tolerance` pixels outside its own svg (cut wherever that svg clips, as in classic Notebook,
 * even where this page's CSS lets it overflow), or outside an HTML ancestor with `overflow: hidden` or `clip`. The
 * box includes the glyphs' side bearings, hence 2 px: Plot's colour-legend end labels stick out 2.7–12 px. A figure
 * shown as `<img src="data:image/svg+xml…">` must have a non-zero natural and displayed size, and its SVG, decoded and
 * laid out on its own (in a shadow root, without the page's CSS), must hold every text inside its viewBox and inside
 * every nested svg that clips.
 */
export async function inspectPage(selectors: Selectors, tolerance = 2): Promise<PageReport> {
  type MathJaxHub = {
    Hub: {
      Queue(f: () => void): void;
    };
  };
  const w = window as unknown as { MathJax?: MathJaxHub; __browserTestMathErrors?: string[] };
  let mathjax: PageReport["mathjax"] = "missing";
  const mj = w.MathJax;
  if (mj && mj.Hub && typeof mj.Hub.Queue === "function") {
    // Once MathJax has started, a queued callback runs after every typesetting queued before it.
    mathjax = await new Promise<PageReport["mathjax"]>((resolve) => {
      const deadline = performance.now() + 30_000;
      const poll = () => {
        if (performance.now() > deadline) resolve("timeout");
        else if ((mj as { isReady?: boolean }).isReady) mj.Hub.Queue(() => resolve("typeset"));
        else setTimeout(poll, 100);
      };
      poll();
    });
  }
  await document.fonts.ready;
  await Promise.all(
    [...document.images].map((img) =>
      img.complete ? null : new Promise((resolve) => {
        img.addEventListener("load", resolve);
        img.addEventListener("error", resolve);
      })
    ),
  );
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

  const cells = [...document.querySelectorAll(selectors.cell)];
  const cellOf = (el: Element) => cells.findIndex((c) => c.contains(el));
  const box = (el: Element): Box => {
    const r = el.getBoundingClientRect();
    return { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height };
  };
  const pad = (b: Box, p = 12): Box => ({ x: b.x - p, y: b.y - p, width: b.width + 2 * p, height: b.height + 2 * p });
  const describe = (el: Element) => {
    const id = el.id ? `#${el.id}` : "";
    const cls = typeof el.className === "string" && el.className ? `.${el.className.trim().split(/\s+/)[0]}` : "";
    return `${el.tagName.toLowerCase()}${id}${cls}`;
  };
  const figureTitle = (el: Element) => {
    const figure = el.closest("figure");
    const heading = figure?.querySelector("h2, h3, figcaption");
    return heading?.textContent?.trim().slice(0, 60) ?? "";
  };
  const problems: PageProblem[] = [];
  const figuresPerCell: Record<number, number> = {};
  let figures = 0, labels = 0;

  for (const area of document.querySelectorAll(selectors.output)) {
    const cell = cellOf(area);
    let shown = false;
    for (const el of area.querySelectorAll("svg, img")) {
      if (el.parentElement?.closest("svg")) continue; // nested in another svg
      if (el.closest("details:not([open])")) continue; // folded away on purpose
      if (el.closest("[class*='MathJax'], [class^='mjx'], .MJX_Assistive_MathML")) continue;
      const tag = el.tagName.toLowerCase();
      if (tag === "svg" && [...el.children].every((c) => /^(defs|style|symbol|title|desc)$/i.test(c.tagName))) continue;
      figures++;
      const r = el.getBoundingClientRect();
      const image = el as HTMLImageElement;
      const broken = tag === "img" && (!image.complete || image.naturalWidth === 0 || image.naturalHeight === 0);
      if (r.width < 1 || r.height < 1 || broken) {
        const title = figureTitle(el);
        problems.push({
          check: "zero-size figure",
          cell,
          detail: `${tag} ${r.width.toFixed(0)}×${r.height.toFixed(0)}${broken ? " (image did not load)" : ""}${
            title ? ` in "${title}"` : ""
          }`,
          box: pad(box(area)),
        });
      } else if (r.width >= 20 && r.height >= 20) shown = true;
    }
    if (shown) figuresPerCell[cell] = (figuresPerCell[cell] ?? 0) + 1;
    // A figure shown as <img src="data:image/svg+xml…"> (what `show` sends): its SVG, decoded, laid out on its own in a
    // shadow root (out of reach of the page's CSS, as in the image), where every text must lie inside the root svg's
    // viewport (its viewBox: the image shows nothing beyond) and inside any nested svg that clips (overflow hidden).
    for (const img of area.querySelectorAll("img")) {
      const src = img.getAttribute("src") ?? "";
      if (!/^data:image\/svg\+xml[;,]/i.test(src) || img.closest("details:not([open])")) continue;
      const comma = src.indexOf(",");
      let markup = "";
      try {
        markup = /;base64$/i.test(src.slice(0, comma))
          ? new TextDecoder().decode(Uint8Array.from(atob(src.slice(comma + 1)), (ch) => ch.charCodeAt(0)))
          : decodeURIComponent(src.slice(comma + 1));
      } catch {
        markup = "";
      }
      const parsed = new DOMParser().parseFromString(markup, "image/svg+xml").documentElement;
      if (parsed.tagName !== "svg" || parsed.querySelector("parsererror")) continue; // a broken image: zero-size above
      const host = document.createElement("div");
      host.style.cssText = "all: initial; position: absolute; left: 0; top: 0; visibility: hidden;";
      document.body.append(host);
      try {
        const root = host.attachShadow({ mode: "open" });
        const figure = document.importNode(parsed, true) as unknown as SVGSVGElement;
        root.append(figure);
        const frame = figure.getBoundingClientRect();
        // The viewport of a nested svg (its getBoundingClientRect is the box of its content, not its viewport).
        const viewport = (svg: SVGSVGElement) => {
          const parent = svg.parentElement as unknown as SVGGraphicsElement;
          const m = parent.getScreenCTM()!;
          const left = m.e + m.a * svg.x.baseVal.value, top = m.f + m.d * svg.y.baseVal.value;
          return {
            left,
            top,
            right: left + m.a * svg.width.baseVal.value,
            bottom: top + m.d * svg.height.baseVal.value,
          };
        };
        const alt = img.getAttribute("alt")?.trim().slice(0, 60) ?? "";
        for (const text of figure.querySelectorAll("text")) {
          const label = text.textContent?.trim() ?? "";
          const r = text.getBoundingClientRect();
          if (!label || (r.width === 0 && r.height === 0)) continue;
          labels++;
          const outside = (b: { left: number; right: number; top: number; bottom: number }) =>
            Math.max(b.left - r.left, r.right - b.right, b.top - r.top, r.bottom - b.bottom);
          let how = "";
          const out = outside(frame);
          if (out > tolerance) how = `extends ${out.toFixed(1)} px outside the viewBox of the figure's SVG (img)`;
          for (let s = text.ownerSVGElement; !how && s && s !== figure; s = s.ownerSVGElement) {
            const overflow = getComputedStyle(s).overflow;
            if (overflow !== "hidden" && overflow !== "clip") continue;
            const cut = outside(viewport(s));
            if (cut > tolerance) how = `extends ${cut.toFixed(1)} px outside a nested svg that clips it (img)`;
          }
          if (how) {
            problems.push({
              check: "clipped label",
              cell,
              detail: `"${label.slice(0, 40)}" ${how}${alt ? ` in "${alt}"` : ""}`,
              box: pad(box(img)),
            });
          }
        }
      } finally {
        host.remove();
      }
    }
    for (const text of area.querySelectorAll("svg text")) {
      const label = text.textContent?.trim() ?? "";
      const r = text.getBoundingClientRect();
      if (!label || (r.width === 0 && r.height === 0)) continue;
      labels++;
      const svg = (text as SVGElement).ownerSVGElement;
      let outer: Element | null = svg;
      while (outer?.parentElement?.closest("svg")) outer = outer.parentElement.closest("svg");
      const outside = (b: DOMRect, x: boolean, y: boolean) =>
        Math.max(
          x ? Math.max(b.left - r.left, r.right - b.right) : 0,
          y ? Math.max(b.top - r.top, r.bottom - b.bottom) : 0,
        );
      const report = (how: string) => {
        const title = figureTitle(text);
        problems.push({
          check: "clipped label",
          cell,
          detail: `"${label.slice(0, 40)}" ${how}${title ? ` in "${title}"` : ""}`,
          box: pad(box(outer?.closest("figure") ?? outer ?? text)),
        });
      };
      // Outside its own svg's viewport: cut wherever the svg clips (`svg:not(:root) { overflow: hidden }` in the
      // user-agent style sheet and in classic Notebook's CSS), even if this page happens to show it.
      if (svg) {
        const out = outside(svg.getBoundingClientRect(), true, true);
        if (out > tolerance) {
          report(`extends ${out.toFixed(1)} px outside its svg (overflow: ${getComputedStyle(svg).overflow} here)`);
          continue;
        }
      }
      for (let a = svg?.parentElement ?? text.parentElement; a && a !== document.documentElement; a = a.parentElement) {
        const style = getComputedStyle(a);
        const clipX = style.overflowX === "hidden" || style.overflowX === "clip";
        const clipY = style.overflowY === "hidden" || style.overflowY === "clip";
        if (!clipX && !clipY) continue;
        const out = outside(a.getBoundingClientRect(), clipX, clipY);
        if (out > tolerance) {
          report(`cut by ${out.toFixed(1)} px by ${describe(a)} (overflow: ${style.overflowX} ${style.overflowY})`);
          break;
        }
      }
    }
  }

  // One finding per error element (with the hook's message when there is one), then hook messages left over.
  const hooked = [...(w.__browserTestMathErrors ?? [])];
  for (const el of document.querySelectorAll(".MathJax_Error, .mjx-merror, merror, .MathJax_Preview_Error")) {
    const message = hooked.shift();
    problems.push({
      check: "MathJax error",
      cell: cellOf(el),
      detail: `error element "${(el.textContent ?? "").trim().slice(0, 80)}"${message ? ` (${message})` : ""}`,
      box: pad(box(el)),
    });
  }
  for (const message of hooked) problems.push({ check: "MathJax error", cell: -1, detail: message });
  const rawTex = /\$[^$\s][^$]*\\[a-zA-Z]+[^$]*\$|\$\$|\\\(|\\\[|\\begin\{|\[Math Processing Error\]/;
  const skip = "code, pre, script, style, textarea, [class*='MathJax'], [class^='mjx'], .MJX_Assistive_MathML";
  for (const block of document.querySelectorAll(selectors.markdown)) {
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest(skip)) continue;
      const match = (node.textContent ?? "").match(rawTex);
      if (match) {
        const i = match.index ?? 0;
        problems.push({
          check: "MathJax error",
          cell: cellOf(parent),
          detail: `raw TeX left in the text: "${(node.textContent ?? "").slice(Math.max(0, i - 10), i + 50).trim()}"`,
          box: pad(box(parent)),
        });
      }
    }
  }
  if (mathjax === "missing") problems.push({ check: "MathJax error", cell: -1, detail: "MathJax did not load" });
  if (mathjax === "timeout") {
    problems.push({ check: "MathJax error", cell: -1, detail: "MathJax did not finish in 30 s" });
  }
  return { problems, figuresPerCell, figures, labels, mathjax };
}

// deno-lint-ignore no-explicit-any
type Any = any;

/** The box (document coordinates, with a margin) around a cell's outputs, or null. */
export function outputBox(selectors: Selectors, cell: number): Box | null {
  const element = document.querySelectorAll(selectors.cell)[cell];
  const outputs = element?.querySelectorAll(selectors.output);
  if (!outputs?.length) return null;
  const rects = [...outputs].map((o) => o.getBoundingClientRect());
  const left = Math.min(...rects.map((r) => r.left)), top = Math.min(...rects.map((r) => r.top));
  const right = Math.max(...rects.map((r) => r.right)), bottom = Math.max(...rects.map((r) => r.bottom));
  return { x: left + scrollX - 12, y: top + scrollY - 12, width: right - left + 24, height: bottom - top + 24 };
}

/**
 * Classic Notebook scrolls inside `#site`, a box the height of the window; this lets the document grow instead, so
 * that full-page screenshots show every cell and document coordinates are screenshot coordinates.
 */
export function unscroll(): void {
  const style = document.createElement("style");
  style.textContent = "html, body { height: auto !important; overflow: visible !important; } " +
    "#site { height: auto !important; overflow: visible !important; display: block !important; }";
  document.head.append(style);
}

/** Classic Notebook: true once the notebook is loaded and its kernel has answered kernel_info. */
export function kernelReady(): boolean {
  const nb = (window as Any).Jupyter?.notebook;
  const kernel = nb?.kernel;
  return Boolean(nb?._fully_loaded && kernel?.is_connected() && Object.keys(kernel.info_reply ?? {}).length > 0);
}

/**
 * Classic Notebook: records every kernel message (channel, type, parent request, execution count, state, time) and
 * every output appended to a cell's output area (which cell, the output's parent request and execution count), turns
 * autosave off, then starts Run All.
 */
export function hookAndRunAll(): number {
  const w = window as Any;
  const nb = w.Jupyter.notebook;
  const kernel = nb.kernel;
  const log: Any = { messages: [], appended: [], last: performance.now() };
  w.__browserTestRun = log;
  nb.set_autosave_interval(0);
  const finish = kernel._finish_ws_message;
  kernel._finish_ws_message = function (msg: Any) {
    log.last = performance.now();
    log.messages.push({
      channel: msg.channel,
      type: msg.header?.msg_type,
      parent: msg.parent_header?.msg_id ?? null,
      count: msg.content?.execution_count ?? null,
      state: msg.content?.execution_state ?? null,
      t: log.last,
    });
    return finish.call(this, msg);
  };
  const code = nb.get_cells().find((c: Any) => c.cell_type === "code");
  const proto = code.output_area.constructor.prototype;
  if (!proto.__browserTestHooked) {
    proto.__browserTestHooked = true;
    const handle = proto.handle_output;
    proto.handle_output = function (msg: Any) {
      const cells = w.Jupyter.notebook.get_cells();
      const index = cells.findIndex((c: Any) => c.output_area === this);
      w.__browserTestRun?.appended.push({
        cell: index,
        request: index >= 0 ? cells[index].last_msg_id : null,
        parent: msg.parent_header?.msg_id ?? null,
        type: msg.header?.msg_type,
        count: msg.content?.execution_count ?? null,
        t: performance.now(),
      });
      return handle.call(this, msg);
    };
  }
  nb.execute_all_cells();
  return nb.get_cells().filter((c: Any) => c.cell_type === "code").length;
}

/** Classic Notebook: progress of Run All. */
export function runAllState(): {
  waiting: number;
  replies: number;
  requests: number;
  errors: number;
  quietMs: number;
} {
  const w = window as Any;
  const log = w.__browserTestRun;
  const requests: string[] = w.Jupyter.notebook.get_cells()
    .filter((c: Any) => c.cell_type === "code" && c.get_text().trim().length > 0)
    .map((c: Any) => c.last_msg_id);
  const replied = new Set(log.messages.filter((m: Any) => m.type === "execute_reply").map((m: Any) => m.parent));
  const idle = new Set(log.messages.filter((m: Any) => m.state === "idle").map((m: Any) => m.parent));
  return {
    waiting: requests.filter((r) => !r || !replied.has(r) || !idle.has(r)).length,
    replies: requests.filter((r) => r && replied.has(r)).length,
    requests: requests.length,
    errors: log.appended.filter((a: Any) => a.type === "error").length,
    quietMs: performance.now() - log.last,
  };
}

/** A misplaced or lost output found by `analyzeRun`. */
export interface Misplaced {
  cell: number;
  detail: string;
}

/**
 * Classic Notebook, after Run All: compares each appended output with the cell it was appended to.
 * - its parent request must be that cell's execute request;
 * - an execute_result's execution count must be that cell's (the kernel addressing cell n's result to cell n + 1
 *   passes the first test and fails this one);
 * - every output the kernel sent for a cell's request must have been appended somewhere (not dropped as late).
 * Also returns cell errors and how many outputs arrived after their request's idle status.
 */
export function analyzeRun(): { misplaced: Misplaced[]; errors: Misplaced[]; late: number; outputs: number } {
  const w = window as Any;
  const log = w.__browserTestRun;
  const cells: Any[] = w.Jupyter.notebook.get_cells();
  const cellOfRequest = new Map<string, number>();
  cells.forEach((c, i) => {
    if (c.cell_type === "code" && c.last_msg_id) cellOfRequest.set(c.last_msg_id, i);
  });
  const countOf = new Map<string, number>();
  const idleAt = new Map<string, number>();
  for (const m of log.messages) {
    if ((m.type === "execute_input" || m.type === "execute_reply") && m.count !== null) countOf.set(m.parent, m.count);
    if (m.state === "idle" && !idleAt.has(m.parent)) idleAt.set(m.parent, m.t);
  }
  const cellOfCount = new Map<number, number>();
  for (const [request, count] of countOf) {
    if (cellOfRequest.has(request)) cellOfCount.set(count, cellOfRequest.get(request)!);
  }
  const name = (i: number | undefined) => i === undefined ? "no cell of this run" : `cell ${i}`;
  const misplaced: Misplaced[] = [];
  for (const a of log.appended) {
    if (a.type === "update_display_data" || a.type === "clear_output") continue;
    if (a.parent !== a.request) {
      misplaced.push({
        cell: a.cell,
        detail: `${a.type} of ${name(cellOfRequest.get(a.parent))}'s request appended to cell ${a.cell}`,
      });
    } else if (a.type === "execute_result" && a.count !== null && a.count !== countOf.get(a.request)) {
      misplaced.push({
        cell: a.cell,
        detail: `execute_result Out[${a.count}] (${name(cellOfCount.get(a.count))}) shown under cell ${a.cell} (In[${
          countOf.get(a.request)
        }]): the kernel sent it with the next request's header`,
      });
    }
  }
  const outputTypes = new Set(["stream", "display_data", "execute_result", "error"]);
  const outputs = log.messages.filter((m: Any) => m.channel === "iopub" && outputTypes.has(m.type));
  const appended = new Map<string, number>();
  for (const a of log.appended) appended.set(a.parent, (appended.get(a.parent) ?? 0) + 1);
  const sent = new Map<string, number>();
  let late = 0;
  for (const m of outputs) {
    sent.set(m.parent, (sent.get(m.parent) ?? 0) + 1);
    if (idleAt.has(m.parent) && m.t > idleAt.get(m.parent)!) late++;
  }
  for (const [request, n] of sent) {
    const shown = appended.get(request) ?? 0;
    if (shown < n && cellOfRequest.has(request)) {
      misplaced.push({
        cell: cellOfRequest.get(request)!,
        detail: `${n - shown} of ${n} outputs sent for cell ${cellOfRequest.get(request)} never shown (dropped)`,
      });
    }
  }
  const errors: Misplaced[] = log.appended
    .filter((a: Any) => a.type === "error")
    .map((a: Any) => ({ cell: a.cell, detail: "the cell raised an error" }));
  return { misplaced, errors, late, outputs: outputs.length };
}

/** Classic Notebook: the recorded kernel messages and appended outputs, with each code cell's request and text. */
export function runLog(): unknown {
  const w = window as Any;
  return {
    cells: w.Jupyter.notebook.get_cells().map((c: Any, i: number) => ({
      cell: i,
      type: c.cell_type,
      request: c.last_msg_id ?? null,
      prompt: c.input_prompt_number ?? null,
      outputs: c.output_area?.outputs?.map((o: Any) => o.output_type) ?? [],
      source: c.get_text().slice(0, 80),
    })),
    ...w.__browserTestRun,
  };
}

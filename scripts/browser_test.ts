/**
 * The notebooks in a real browser (Debian's headless `chromium`, driven over the DevTools protocol by
 * `scripts/cdp.ts`), in two parts:
 *
 * - **static**: every notebook (`notebooks/*.ipynb`, `notebooks/solutions/*.ipynb`) rendered to HTML by nbconvert with
 *   Debian's MathJax (`libjs-mathjax`, no network) and opened from disk;
 * - **live**: Debian's classic `jupyter-notebook` on 127.0.0.1 (random port and token) serving a temporary copy of the
 *   notebooks (the repository's code reachable by the same relative imports, nothing saved back), where notebooks 00 and
 *   13 are opened (the untrusted view is checked first) and run with Run All, the way a student runs them.
 *
 * It fails when a figure output renders at zero size (or, live, a figure of the committed notebook is not shown), MathJax
 * reports an error or leaves raw TeX, the page logs a console error, an SVG label is clipped (also inside a figure shown
 * as `<img src="data:image/svg+xml…">`, whose decoded SVG must hold every text in its viewBox), or (live) an output sits
 * under the wrong cell or is dropped. Screenshots (full page per notebook and run, and one per failing figure) and a
 * JSON report go to `build/browser/` (gitignored).
 *
 *     deno task test:browser                                  # self-test, then static + live (00, 13 once)
 *     deno run -A scripts/browser_test.ts --live 13 --runs 10 # 10 Run Alls of notebook 13
 *     deno run -A scripts/browser_test.ts --only static 05 13 # a few notebooks, static only
 *
 * @module
 */

import { parseArgs } from "node:util";
import { Browser, type ConsoleError, type Page } from "./cdp.ts";
import {
  analyzeRun,
  hookAndRunAll,
  inspectPage,
  kernelReady,
  LIVE_SELECTORS,
  MATHJAX_HOOK,
  outputBox,
  type PageReport,
  runAllState,
  runLog,
  STATIC_SELECTORS,
  unscroll,
} from "./browser_checks.ts";

/** The failure kinds, one column each in the summary. */
export const CHECKS = [
  "zero-size figure",
  "MathJax error",
  "console error",
  "clipped label",
  "misplaced output",
  "cell error",
  "harness",
] as const;
/** One failure kind. */
export type Check = typeof CHECKS[number];

/** One failure. */
export interface Finding {
  check: Check;
  cell: number;
  detail: string;
  screenshot?: string;
}

/** The result of one page: a static rendering, or one live Run All. */
export interface PageResult {
  notebook: string;
  mode: string;
  seconds: number;
  figures: number;
  labels: number;
  findings: Finding[];
  screenshot?: string;
  /** Live: outputs the kernel sent after its request's idle status (late; not a failure by itself). */
  late?: number;
}

const MATHJAX = "/usr/share/javascript/mathjax/MathJax.js";
const repo = new URL("../", import.meta.url).pathname;

/** The notebooks of a folder and of its `solutions/` subfolder, relative to the folder. */
export function listNotebooks(dir: string): string[] {
  const names: string[] = [];
  for (const sub of ["", "solutions/"]) {
    try {
      for (const e of Deno.readDirSync(`${dir}/${sub}`)) {
        if (e.isFile && e.name.endsWith(".ipynb")) names.push(`${sub}${e.name}`);
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return names.sort();
}

function safeName(name: string): string {
  return name.replace(/\.ipynb$/, "").replaceAll("/", "_");
}

/** Renders notebooks to HTML with nbconvert (lab template), MathJax from Debian's libjs-mathjax. */
export async function renderHtml(dir: string, names: string[], out: string): Promise<Map<string, string>> {
  const html = new Map<string, string>();
  for (const sub of new Set(names.map((n) => n.includes("/") ? n.slice(0, n.lastIndexOf("/") + 1) : ""))) {
    const group = names.filter((n) => (n.includes("/") ? n.slice(0, n.lastIndexOf("/") + 1) : "") === sub);
    const target = `${out}/${sub}`;
    await Deno.mkdir(target, { recursive: true });
    const { code, stderr } = await new Deno.Command("jupyter-nbconvert", {
      args: [
        "--to",
        "html",
        `--HTMLExporter.mathjax_url=file://${MATHJAX}?config=TeX-AMS_CHTML-full,Safe`,
        "--output-dir",
        target,
        ...group.map((n) => `${dir}/${n}`),
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (code !== 0) throw new Error(`nbconvert failed:\n${new TextDecoder().decode(stderr).slice(-3000)}`);
    for (const n of group) html.set(n, `${target}${n.slice(sub.length).replace(/\.ipynb$/, ".html")}`);
  }
  return html;
}

/**
 * Console errors that are not the notebooks' doing, each matched exactly: MathJax 2's HTML-CSS output (classic
 * Notebook's) probes font loading with `@font-face { font-family: MathJax_Blank; src: url("about:blank") }`, which
 * Chromium reports as a blocked cross-origin font load on every page with math.
 */
export const IGNORED_CONSOLE_ERRORS: RegExp[] = [
  /^log: Access to font at 'about:blank' from origin 'http:\/\/127\.0\.0\.1:\d+' has been blocked by CORS policy/,
  /^log: Failed to load resource: net::ERR_FAILED \(about:blank\)$/,
];

function consoleFindings(errors: ConsoleError[]): Finding[] {
  return errors.filter((e) => !IGNORED_CONSOLE_ERRORS.some((r) => r.test(`${e.kind}: ${e.text}`))).map((e) => ({
    check: "console error" as const,
    cell: -1,
    detail: `${e.kind}: ${e.text.slice(0, 300)}`,
  }));
}

async function pageFindings(
  page: Page,
  report: PageReport,
  shots: string,
  prefix: string,
): Promise<Finding[]> {
  // One picture per figure (several labels of one figure share it), at most 16 per page.
  const findings: Finding[] = [];
  const taken = new Map<string, string>();
  for (const p of report.problems) {
    const finding: Finding = { check: p.check, cell: p.cell, detail: p.detail };
    const key = JSON.stringify(p.box);
    if (p.box && taken.has(key)) finding.screenshot = taken.get(key);
    else if (p.box && taken.size < 16) {
      const file = `${shots}/${prefix}-cell${p.cell}-${taken.size + 1}.png`;
      taken.set(key, file);
      if (await page.screenshot(file, p.box).then(() => true, () => false)) finding.screenshot = file;
    }
    findings.push(finding);
  }
  return findings;
}

/** Opens one nbconvert page and checks it. */
export async function checkStatic(browser: Browser, name: string, file: string, shots: string): Promise<PageResult> {
  const start = performance.now();
  const page = await browser.newPage();
  try {
    await page.addInitScript(MATHJAX_HOOK);
    await page.goto(`file://${file.split("/").map(encodeURIComponent).join("/")}`);
    const report: PageReport = await page.evaluate(inspectPage, STATIC_SELECTORS);
    const prefix = `static-${safeName(name)}`;
    const findings = [...await pageFindings(page, report, shots, prefix), ...consoleFindings(page.errors)];
    const screenshot = `${shots}/${prefix}.jpg`;
    await page.screenshot(screenshot);
    return {
      notebook: name,
      mode: "static",
      seconds: (performance.now() - start) / 1000,
      figures: report.figures,
      labels: report.labels,
      findings,
      screenshot,
    };
  } finally {
    await page.close();
  }
}

/** Outputs with a figure per cell in a notebook's saved outputs (an image, or HTML with an svg or img). */
export function savedFigures(notebook: { cells: Array<{ outputs?: Array<{ data?: Record<string, unknown> }> }> }) {
  const perCell: Record<number, number> = {};
  notebook.cells.forEach((cell, i) => {
    for (const o of cell.outputs ?? []) {
      const data = o.data ?? {};
      const html = [data["text/html"] ?? ""].flat().join("");
      const n = "image/svg+xml" in data || "image/png" in data || "image/jpeg" in data || /<(svg|img)[\s>]/.test(html)
        ? 1
        : 0;
      if (n) perCell[i] = (perCell[i] ?? 0) + n;
    }
  });
  return perCell;
}

/**
 * Compares where figures are after Run All with the saved notebook (outputs with a figure, per cell): a figure missing
 * from one cell while another cell shows one more than saved is an output under the wrong cell, whatever the kernel's
 * message headers say (a figure displayed from a timer is sent under whichever request is running); a figure missing
 * with none gained elsewhere is a lost output, and an extra one means the saved outputs are stale.
 */
export function figureLayout(saved: Record<number, number>, shown: Record<number, number>): Finding[] {
  const cells = [...new Set([...Object.keys(saved), ...Object.keys(shown)].map(Number))].sort((a, b) => a - b);
  const missing = cells.filter((c) => (shown[c] ?? 0) < (saved[c] ?? 0));
  const extra = cells.filter((c) => (shown[c] ?? 0) > (saved[c] ?? 0));
  const findings: Finding[] = [];
  for (const c of missing) {
    const to = extra.find((e) => e > c);
    findings.push({
      check: "misplaced output",
      cell: c,
      detail: to === undefined
        ? `cell ${c} shows ${shown[c] ?? 0} figures after Run All, the saved notebook ${saved[c]} (lost)`
        : `a figure of cell ${c} (saved notebook) shows under cell ${to} after Run All`,
    });
  }
  for (const c of extra.filter((e) => !missing.some((m) => m < e))) {
    findings.push({
      check: "misplaced output",
      cell: c,
      detail: `cell ${c} shows ${shown[c]} figures after Run All, the saved notebook ${saved[c] ?? 0} (stale outputs?)`,
    });
  }
  return findings;
}

/** A running classic Jupyter Notebook server on a temporary copy of the notebooks. */
export class NotebookServer {
  readonly url: string;
  readonly token: string;
  readonly root: string;
  #process: Deno.ChildProcess;
  #log: string[];

  private constructor(url: string, token: string, root: string, process: Deno.ChildProcess, log: string[]) {
    this.url = url;
    this.token = token;
    this.root = root;
    this.#process = process;
    this.#log = log;
  }

  /**
   * Copies `dir`'s notebooks to `<temp>/notebooks/` next to symbolic links to the repository's other top-level
   * entries (so `../mod.ts` resolves as in the repository), and starts `jupyter-notebook` there on a free port.
   */
  static async start(dir: string): Promise<NotebookServer> {
    const root = await Deno.makeTempDir({ prefix: "browser-test-live-" });
    try {
      for (const e of Deno.readDirSync(repo)) {
        if (["notebooks", ".git", "build"].includes(e.name)) continue;
        await Deno.symlink(`${repo}${e.name}`, `${root}/${e.name}`);
      }
      await Deno.mkdir(`${root}/notebooks/solutions`, { recursive: true });
      for (const n of listNotebooks(dir)) await Deno.copyFile(`${dir}/${n}`, `${root}/notebooks/${n}`);
      for (const sub of ["config", "runtime"]) await Deno.mkdir(`${root}/.jupyter-${sub}`);
      const token = crypto.randomUUID().replaceAll("-", "");
      for (let attempt = 0;; attempt++) {
        const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
        const port = (listener.addr as Deno.NetAddr).port;
        listener.close();
        const process = new Deno.Command("jupyter-notebook", {
          args: [
            "--no-browser",
            "--ip=127.0.0.1",
            `--port=${port}`,
            "--port-retries=0",
            `--NotebookApp.token=${token}`,
            `--notebook-dir=${root}/notebooks`,
            ...(Deno.uid() === 0 ? ["--allow-root"] : []),
          ],
          env: {
            JUPYTER_CONFIG_DIR: `${root}/.jupyter-config`,
            JUPYTER_RUNTIME_DIR: `${root}/.jupyter-runtime`,
            PYDEVD_DISABLE_FILE_VALIDATION: "1",
          },
          stdin: "null",
          stdout: "piped",
          stderr: "piped",
        }).spawn();
        const log: string[] = [];
        for (const stream of [process.stdout, process.stderr]) {
          (async () => {
            const decoder = new TextDecoder();
            for await (const chunk of stream) {
              log.push(decoder.decode(chunk, { stream: true }));
              if (log.length > 2000) log.splice(0, 1000);
            }
          })().catch(() => {});
        }
        const url = `http://127.0.0.1:${port}`;
        const server = new NotebookServer(url, token, root, process, log);
        if (await server.#waitReady(60_000)) return server;
        await server.#stop();
        if (attempt >= 2) throw new Error(`jupyter-notebook did not start:\n${log.join("").slice(-3000)}`);
      }
    } catch (error) {
      await Deno.remove(root, { recursive: true }).catch(() => {});
      throw error;
    }
  }

  async #waitReady(ms: number): Promise<boolean> {
    const deadline = performance.now() + ms;
    const exited = this.#process.status.then(() => true);
    while (performance.now() < deadline) {
      if (await Promise.race([exited, new Promise<false>((r) => setTimeout(() => r(false), 250))])) return false;
      try {
        const response = await fetch(`${this.url}/api/status?token=${this.token}`);
        await response.body?.cancel();
        if (response.ok) return true;
      } catch { /* not yet listening */ }
    }
    return false;
  }

  /** The server's REST API. */
  async api(path: string, method = "GET"): Promise<unknown> {
    const response = await fetch(`${this.url}/api/${path}`, {
      method,
      headers: { Authorization: `token ${this.token}` },
    });
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  }

  /** Shuts every session's kernel down (a fresh kernel for the next Run All). */
  async shutdownKernels(): Promise<void> {
    const sessions = await this.api("sessions").catch(() => []) as Array<{ id: string }>;
    for (const s of sessions) await this.api(`sessions/${s.id}`, "DELETE").catch(() => {});
    const kernels = await this.api("kernels").catch(() => []) as Array<{ id: string }>;
    for (const k of kernels) await this.api(`kernels/${k.id}`, "DELETE").catch(() => {});
  }

  /** The last lines the server printed. */
  tail(chars = 3000): string {
    return this.#log.join("").slice(-chars);
  }

  async #stop(): Promise<void> {
    try {
      this.#process.kill("SIGTERM");
    } catch { /* already gone */ }
    const timer = setTimeout(() => {
      try {
        this.#process.kill("SIGKILL");
      } catch { /* already gone */ }
    }, 10_000);
    await this.#process.status;
    clearTimeout(timer);
  }

  /** Shuts the kernels down, stops the server and removes the temporary folder. */
  async close(): Promise<void> {
    await this.shutdownKernels().catch(() => {});
    await this.#stop();
    await Deno.remove(this.root, { recursive: true }).catch(() => {});
  }
}

async function waitFor<T>(what: string, ms: number, probe: () => Promise<T | false>): Promise<T> {
  const deadline = performance.now() + ms;
  while (true) {
    const value = await probe();
    if (value !== false) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Opens a notebook in the live frontend with a fresh kernel, checks the untrusted view (saved figures shown, MathJax,
 * labels), runs Run All, waits until every cell has replied and the kernel has been quiet for `quietMs`, and checks
 * the page again plus where each output landed.
 */
export async function checkLive(
  browser: Browser,
  server: NotebookServer,
  name: string,
  run: number,
  shots: string,
  options: { timeoutSeconds: number; quietMs?: number },
): Promise<PageResult[]> {
  const saved = savedFigures(JSON.parse(await Deno.readTextFile(`${server.root}/notebooks/${name}`)));
  await server.shutdownKernels();
  const page = await browser.newPage();
  const results: PageResult[] = [];
  const prefix = `live-${safeName(name)}-run${run}`;
  try {
    let start = performance.now();
    await page.addInitScript(MATHJAX_HOOK);
    await page.goto(
      `${server.url}/notebooks/${name.split("/").map(encodeURIComponent).join("/")}?token=${server.token}`,
    );
    await waitFor("the notebook and its kernel", 120_000, async () => await page.evaluate(kernelReady) || false);
    await page.evaluate(unscroll);
    // The notebook as downloaded: untrusted, outputs as saved.
    const opened: PageReport = await page.evaluate(inspectPage, LIVE_SELECTORS);
    const openFindings = await pageFindings(page, opened, shots, `${prefix}-open`);
    for (const [cell, n] of Object.entries(saved)) {
      const shown = opened.figuresPerCell[Number(cell)] ?? 0;
      if (shown < n) {
        const finding: Finding = {
          check: "zero-size figure",
          cell: Number(cell),
          detail: `${n - shown} of ${n} saved figures not shown when the notebook is opened (untrusted)`,
          screenshot: `${shots}/${prefix}-open-cell${cell}.png`,
        };
        const box = await page.evaluate(outputBox, LIVE_SELECTORS, Number(cell));
        if (box) await page.screenshot(finding.screenshot!, box);
        else finding.screenshot = undefined;
        openFindings.push(finding);
      }
    }
    openFindings.push(...consoleFindings(page.errors.splice(0)));
    const openShot = `${shots}/${prefix}-open.jpg`;
    await page.screenshot(openShot);
    results.push({
      notebook: name,
      mode: `live open`,
      seconds: (performance.now() - start) / 1000,
      figures: opened.figures,
      labels: opened.labels,
      findings: openFindings,
      screenshot: openShot,
    });

    start = performance.now();
    const findings: Finding[] = [];
    let report: PageReport | undefined;
    let screenshot: string | undefined;
    let late: number | undefined;
    try {
      await page.evaluate(hookAndRunAll);
      const quietMs = options.quietMs ?? 2000;
      await waitFor(`Run All of ${name}`, options.timeoutSeconds * 1000, async () => {
        const state = await page.evaluate(runAllState);
        // After a cell error the kernel may never answer the cells Run All queued after it.
        const done = state.waiting === 0 || (state.errors > 0 && state.quietMs >= 10_000);
        return done && state.quietMs >= quietMs ? state : false;
      });
      await Deno.writeTextFile(`${shots}/${prefix}-messages.json`, JSON.stringify(await page.evaluate(runLog)));
      const run = await page.evaluate(analyzeRun);
      late = run.late;
      findings.push(...run.misplaced.map((m) => ({ check: "misplaced output" as const, ...m })));
      findings.push(...run.errors.map((m) => ({ check: "cell error" as const, ...m })));
      report = await page.evaluate(inspectPage, LIVE_SELECTORS);
      findings.push(...figureLayout(saved, report.figuresPerCell));
      findings.push(...await pageFindings(page, report, shots, prefix));
    } catch (error) {
      findings.push({ check: "harness", cell: -1, detail: String(error).slice(0, 500) });
    }
    findings.push(...consoleFindings(page.errors.splice(0)));
    screenshot = `${shots}/${prefix}.jpg`;
    await page.screenshot(screenshot).catch(() => screenshot = undefined);
    results.push({
      notebook: name,
      mode: `live run ${run}`,
      seconds: (performance.now() - start) / 1000,
      figures: report?.figures ?? 0,
      labels: report?.labels ?? 0,
      findings,
      screenshot,
      late,
    });
  } finally {
    await page.close();
    await server.shutdownKernels();
  }
  return results;
}

/** Prints one row per page and one column per check (the number of findings), and returns whether all passed. */
export function summarize(results: PageResult[]): string {
  const head = ["notebook", "mode", "s", "figures", "labels", "late", ...CHECKS];
  const rows = results.map((r) => [
    r.notebook,
    r.mode,
    r.seconds.toFixed(1),
    String(r.figures),
    String(r.labels),
    r.late === undefined ? "" : String(r.late),
    ...CHECKS.map((c) => {
      const n = r.findings.filter((f) => f.check === c).length;
      return n ? String(n) : "·";
    }),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i])).join("  ");
  return [line(head), ...rows.map(line)].join("\n");
}

function harness(notebook: string, mode: string, error: unknown): PageResult {
  const detail = String((error as Error)?.stack ?? error).slice(0, 800);
  return { notebook, mode, seconds: 0, figures: 0, labels: 0, findings: [{ check: "harness", cell: -1, detail }] };
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: {
      only: { type: "string" },
      live: { type: "string", default: "00,13" },
      runs: { type: "string", default: "1" },
      dir: { type: "string", default: `${repo}notebooks` },
      out: { type: "string", default: `${repo}build/browser` },
      timeout: { type: "string", default: "300" },
    },
    allowPositionals: true,
  });
  const dir = await Deno.realPath(values.dir!);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    throw new RangeError(`--runs must be a positive integer, got ${values.runs}`);
  }
  const all = listNotebooks(dir);
  const pick = (keys: string[]) =>
    keys.map((k) => {
      // "00" names notebooks/00_*.ipynb, not solutions/00_*_solutions.ipynb; "solutions/00" names the latter.
      const found = all.filter((n) =>
        n === k || (k.includes("/") ? n.startsWith(k) : !n.includes("/") && n.startsWith(k))
      );
      if (found.length !== 1) throw new Error(`"${k}" matches ${found.length} notebooks in ${dir}`);
      return found[0];
    });
  const staticNames = positionals.length ? pick(positionals) : all;
  const liveNames = values.live ? pick(values.live.split(",").filter(Boolean)) : [];
  const doStatic = values.only !== "live";
  const doLive = values.only !== "static" && liveNames.length > 0;

  const out = values.out!;
  await Deno.remove(out, { recursive: true }).catch(() => {});
  await Deno.mkdir(out, { recursive: true });
  const results: PageResult[] = [];
  const temp = await Deno.makeTempDir({ prefix: "browser-test-html-" });
  let browser: Browser | undefined;
  let server: NotebookServer | undefined;
  const cleanup = async () => {
    await server?.close();
    await browser?.close();
    await Deno.remove(temp, { recursive: true }).catch(() => {});
  };
  const onSignal = () => {
    cleanup().finally(() => Deno.exit(130));
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  try {
    browser = await Browser.launch();
    if (doStatic) {
      const t = performance.now();
      const html = await renderHtml(dir, staticNames, temp);
      console.error(`nbconvert: ${staticNames.length} notebooks in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      // Two tabs at a time (one per core).
      const queue = [...staticNames];
      const done = new Map<string, PageResult>();
      await Promise.all([0, 1].map(async () => {
        for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
          const r = await checkStatic(browser!, name, html.get(name)!, out).catch((e) => harness(name, "static", e));
          console.error(`static ${name}: ${r.findings.length} findings, ${r.seconds.toFixed(1)} s`);
          done.set(name, r);
        }
      }));
      results.push(...staticNames.map((n) => done.get(n)!));
    }
    if (doLive) {
      server = await NotebookServer.start(dir);
      for (const name of liveNames) {
        for (let run = 1; run <= runs; run++) {
          const rs = await checkLive(browser, server, name, run, out, { timeoutSeconds: Number(values.timeout) })
            .catch((e) => [harness(name, `live run ${run}`, e)]);
          for (const r of rs) {
            console.error(`${r.mode} ${name}: ${r.findings.length} findings, ${r.seconds.toFixed(1)} s`);
          }
          results.push(...rs);
        }
      }
    }
  } finally {
    await cleanup();
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  }

  await Deno.writeTextFile(`${out}/report.json`, JSON.stringify(results, null, 1));
  const failed = results.filter((r) => r.findings.length);
  for (const r of failed) {
    console.log(`\n${r.notebook} (${r.mode}):`);
    for (const f of r.findings.slice(0, 12)) {
      console.log(`  ${f.check}${f.cell >= 0 ? `, cell ${f.cell}` : ""}: ${f.detail}`);
    }
    if (r.findings.length > 12) console.log(`  … ${r.findings.length - 12} more in ${out}/report.json`);
  }
  console.log(`\n${summarize(results)}`);
  console.log(`\nscreenshots and report.json in ${out}`);
  if (doLive && runs > 1) {
    for (const name of liveNames) {
      const mine = results.filter((r) => r.notebook === name && r.mode.startsWith("live run"));
      const bad = mine.filter((r) => r.findings.some((f) => f.check === "misplaced output")).length;
      console.log(`${name}: misplaced outputs in ${bad} of ${mine.length} Run All`);
    }
  }
  return failed.length ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main());

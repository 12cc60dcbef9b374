/**
 * Progress displays for long computations: a bar on a terminal (plain lines in logs) and an updating display in Jupyter
 * (`Deno.jupyter.display` with a `display_id`). They write to stderr or to the notebook only.
 *
 * @module
 */

import * as check from "../core/validate.ts";
import { jupyterDisplay } from "../core/jupyter.ts";

/** A progress callback: `done` of `total` cells, with a short description of the last one. */
export type ProgressCallback = (done: number, total: number, detail: string) => void | Promise<void>;

function bar(done: number, total: number, width = 30): string {
  const f = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1;
  const n = Math.round(f * width);
  return `[${"#".repeat(n)}${"-".repeat(width - n)}] ${done}/${total} ${(100 * f).toFixed(0).padStart(3)}%`;
}

function eta(start: number, done: number, total: number): string {
  if (done === 0 || done >= total) return "";
  const s = ((performance.now() - start) / done) * (total - done) / 1000;
  return s < 90 ? ` ~${s.toFixed(0)} s left` : ` ~${(s / 60).toFixed(1)} min left`;
}

/**
 * A progress callback drawing a bar on stderr: redrawn in place on a terminal, one line per 10 % otherwise (CI logs).
 *
 * @example
 * ```ts
 * import { terminalProgress } from "@probstab/sgd";
 *
 * const progress = terminalProgress("demo");
 * for (let i = 0; i <= 4; i++) progress(i, 4, `step ${i}`);
 * ```
 *
 * @param label A short label before the bar.
 * @returns The callback.
 */
export function terminalProgress(label: string): ProgressCallback {
  const tty = Deno.stderr.isTerminal();
  const enc = new TextEncoder();
  const start = performance.now();
  let lastDecile = -1;
  return (done, total, detail) => {
    const line = `${label} ${bar(done, total)}${eta(start, done, total)} ${detail}`;
    if (tty) {
      Deno.stderr.writeSync(enc.encode(`\r\x1b[2K${line}${done >= total ? "\n" : ""}`));
    } else {
      const decile = total > 0 ? Math.floor((10 * done) / total) : 10;
      if (decile !== lastDecile) {
        lastDecile = decile;
        Deno.stderr.writeSync(enc.encode(line + "\n"));
      }
    }
  };
}

let counter = 0;

/**
 * A progress callback for Jupyter (Deno kernel): one display (an HTML `<progress>` bar and a text line) that is updated
 * in place through its `display_id`, at most every `interval` ms and always at the end. Outside Jupyter it falls back
 * to {@linkcode terminalProgress}.
 *
 * @example Outside Jupyter this is a terminal bar
 * ```ts
 * import { jupyterProgress } from "@probstab/sgd";
 *
 * const progress = jupyterProgress("demo");
 * await progress(1, 1, "done");
 * ```
 *
 * @param label A short label.
 * @param interval The minimal time between updates in ms. @default 250
 * @returns The callback (await it to be sure the last update was sent).
 */
export function jupyterProgress(label: string, interval = 250): ProgressCallback {
  check.learningRate("jupyterProgress", "interval", interval); // a finite number of ms >= 0
  const j = jupyterDisplay();
  if (!j) return terminalProgress(label);
  const id = `probstab-progress-${Date.now()}-${counter++}`;
  const start = performance.now();
  let last = -Infinity;
  let shown = false;
  return async (done, total, detail) => {
    const now = performance.now();
    if (shown && done < total && now - last < interval) return;
    last = now;
    const text = `${label} ${bar(done, total)}${eta(start, done, total)} ${detail}`;
    const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
    const html = `<div style="font-family:monospace"><b>${esc(label)}</b> <progress value="${done}" max="${total}">` +
      `</progress> ${done}/${total}${esc(eta(start, done, total))} <span style="color:#666">${
        esc(detail)
      }</span></div>`;
    await j.display({ "text/plain": text, "text/html": html }, { raw: true, display_id: id, update: shown });
    shown = true;
  };
}

/**
 * The Deno kernel's display function, when running in Jupyter (`deno jupyter`). Internal module, shared by the
 * progress displays (lib/runtime/progress.ts) and `show` (lib/plot/render/show.ts).
 *
 * @module
 */

/** The part of `Deno.jupyter` the toolkit uses. */
export interface JupyterDisplay {
  /** Sends a display (a MIME bundle with `raw: true`), or updates the one with `display_id`. */
  display(obj: unknown, options?: { raw?: boolean; update?: boolean; display_id?: string }): Promise<void>;
}

/** `Deno.jupyter` inside the Deno kernel, `undefined` elsewhere (outside `deno jupyter` its getter throws). */
export function jupyterDisplay(): JupyterDisplay | undefined {
  try {
    const j = (Deno as unknown as { jupyter?: JupyterDisplay }).jupyter;
    return j && typeof j.display === "function" ? j : undefined;
  } catch {
    return undefined;
  }
}

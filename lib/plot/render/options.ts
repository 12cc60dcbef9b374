/**
 * Merging a helper's default Plot options with the caller's. Internal module.
 *
 * @module
 */

import type { PlotOptions } from "../../core/deps.ts";
import { plotDocument } from "./document.ts";

/** Options every plot helper accepts: any `Plot.plot` option, passed through. */
export type PassThroughOptions = PlotOptions;

const SCALES = [
  "x",
  "y",
  "color",
  "opacity",
  "r",
  "length",
  "symbol",
  "fx",
  "fy",
] as const;

/**
 * The caller's options layered over the helper's: scalar options replace, scale options (`x`, `y`, `color`, …) are
 * merged key by key, the caller's `marks` are drawn after (on top of) the helper's, and the document defaults to
 * {@linkcode plotDocument}.
 */
export function mergeOptions(
  defaults: PlotOptions,
  options: PlotOptions = {},
): PlotOptions {
  const merged: Record<string, unknown> = { ...defaults, ...options };
  for (const key of SCALES) {
    const d = (defaults as Record<string, unknown>)[key];
    const o = (options as Record<string, unknown>)[key];
    if (d && o && typeof d === "object" && typeof o === "object") {
      merged[key] = { ...d, ...o };
    }
  }
  merged.marks = [...(defaults.marks ?? []), ...(options.marks ?? [])];
  merged.document = options.document ?? defaults.document ?? plotDocument();
  return merged as PlotOptions;
}

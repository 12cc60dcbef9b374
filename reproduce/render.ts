/**
 * SVG → PNG for the reproduce CLI, with resvg (a native npm package, used only here: the library itself never loads
 * it). Fonts: the system's, with DejaVu Sans for Plot's generic `system-ui, sans-serif`.
 *
 * @module
 */

import { Resvg } from "@resvg/resvg-js";

/** Renders a standalone SVG string to PNG bytes at `scale`× its size, on a white background. */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const resvg = new Resvg(svg, {
    background: "white",
    fitTo: { mode: "zoom", value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
  });
  return resvg.render().asPng();
}

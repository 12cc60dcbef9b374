/**
 * The toolkit's third-party dependencies, pinned to exact versions in one place.
 *
 * Every module of `lib/` imports its packages from here, with full `npm:` specifiers, so that a script importing
 * `mod.ts` by URL (where `deno.json`'s import map does not apply) resolves the same versions.
 *
 * @module
 */

// Full specifiers on purpose: the import map of deno.json does not apply when mod.ts is imported by URL.
// deno-lint-ignore no-import-prefix
import * as PlotModule from "npm:@observablehq/plot@0.6.17";

export type { Markish, PlotOptions } from "npm:@observablehq/plot@0.6.17";
export { parseHTML } from "npm:linkedom@0.18.15";
// @ts-types="npm:@types/seedrandom@3.0.8"
export { default as seedrandom } from "npm:seedrandom@3.0.5";

/**
 * Observable Plot 0.6.17, the version the plot helpers render with, re-exported so that extra marks passed to a helper
 * (`marks: [Plot.ruleX(…)]`) come from the same copy. Render outside a browser with `Plot.plot({ document:
 * plotDocument(), … })`.
 */
export const Plot: typeof PlotModule = PlotModule;

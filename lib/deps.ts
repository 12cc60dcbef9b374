/**
 * The toolkit's third-party dependencies, pinned to exact versions in one place.
 *
 * Every module of `lib/` imports its packages from here, with full `npm:` specifiers, so that a script
 * importing `mod.ts` by URL (where `deno.json`'s import map does not apply) resolves the same versions.
 *
 * @module
 */

export * as Plot from "npm:@observablehq/plot@0.6.17";
export { parseHTML } from "npm:linkedom@0.18.15";
// @ts-types="npm:@types/seedrandom@3.0.8"
export { default as seedrandom } from "npm:seedrandom@3.0.5";

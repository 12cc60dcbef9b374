/**
 * The compiled modules of the network kernels, one per padded shape and activation (`two_layer_codegen.ts` writes their
 * bytes), and the deep-MLP module. Internal module (not exported from mod.ts).
 *
 * Compilation is synchronous (`new WebAssembly.Module`, a few ms for a 200 → 200 → 200 network), so a kernel can be
 * built inside a synchronous training call and the library works when imported by URL with no permission. The 16 most
 * recently used modules are kept.
 *
 * @module
 */

import type { Activation } from "../activations.ts";
import { networkModuleBytes } from "./two_layer_codegen.ts";

const moduleCache = new Map<string, WebAssembly.Module>();
const MODULE_CACHE_SIZE = 16;

/**
 * The compiled module under `key`, compiled from `bytes()` on a miss (cached, least recently used dropped). Shared by
 * the two-layer kernels and the deep-MLP kernel (`lib/deep/deep_wasm.ts`).
 *
 * @param key The module's identity.
 * @param bytes Writes the module's bytes.
 * @returns The module.
 */
export function cachedModule(key: string, bytes: () => Uint8Array<ArrayBuffer>): WebAssembly.Module {
  const hit = moduleCache.get(key);
  if (hit) {
    moduleCache.delete(key); // most recently used last
    moduleCache.set(key, hit);
    return hit;
  }
  const mod = new WebAssembly.Module(bytes());
  moduleCache.set(key, mod);
  if (moduleCache.size > MODULE_CACHE_SIZE) moduleCache.delete(moduleCache.keys().next().value!);
  return mod;
}

/**
 * The compiled module for padded sizes (n, h, o) and an activation (cached, least recently used dropped).
 *
 * @param n The padded input dimension (a multiple of 8).
 * @param h The padded hidden dimension (a multiple of 8).
 * @param o The padded output dimension (a multiple of 8).
 * @param act The activation.
 * @returns The module.
 */
export function networkModule(n: number, h: number, o: number, act: Activation): WebAssembly.Module {
  return cachedModule(`${n},${h},${o},${act}`, () => networkModuleBytes(n, h, o, act));
}

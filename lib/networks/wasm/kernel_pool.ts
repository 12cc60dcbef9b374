/**
 * The pool of released network kernels (`WasmNetworkKernel`), so that the many short trainings of a sweep do not each
 * instantiate a module and grow its memory (about 0.1 ms, more than a small network's gradient). Internal module (not
 * exported from mod.ts).
 *
 * At most 2 kernels per shape and 8 shapes are kept, the least recently released shape dropped first; kernels whose
 * memory exceeds 16 MiB are not kept (for large networks instantiation is cheap next to their steps).
 *
 * @module
 */

import { type NetworkShape, WasmNetworkKernel } from "./network_wasm.ts";

const pool = new Map<string, WasmNetworkKernel[]>();
const POOL_SHAPES = 8;
const POOL_PER_SHAPE = 2;
const POOL_MAX_BYTES = 16 << 20;
const shapeKey = (s: NetworkShape) => `${s.inputs},${s.hidden},${s.outputs},${s.activation}`;

/**
 * A kernel for `shape`: a released one if the pool has one (instantiating a module and growing its memory costs ~0.1
 * ms, more than a small network's gradient), else a new one. Its weights and Adam state are whatever {@linkcode
 * WasmNetworkKernel.setWeights} sets next.
 *
 * @param shape The network's sizes and activation.
 * @param maxBatch The batch size to stage.
 * @returns The kernel.
 */
export function acquireWasmKernel(shape: NetworkShape, maxBatch: number): WasmNetworkKernel {
  const key = shapeKey(shape);
  const free = pool.get(key);
  const k = free?.pop();
  if (k) {
    k.reserveBatchSize(maxBatch);
    return k;
  }
  return new WasmNetworkKernel(shape, maxBatch);
}

/**
 * Returns a kernel to the pool (at most 2 per shape and 8 shapes, the least recently released dropped; kernels whose
 * memory exceeds 16 MiB are not kept); the caller must not use it afterwards.
 *
 * @param k The kernel.
 */
export function releaseWasmKernel(k: WasmNetworkKernel): void {
  if (k.memoryBytes > POOL_MAX_BYTES) return; // large networks: instantiation is cheap next to their steps
  const key = shapeKey(k.shape);
  const free = pool.get(key) ?? [];
  pool.delete(key);
  if (free.length < POOL_PER_SHAPE) free.push(k);
  pool.set(key, free);
  if (pool.size > POOL_SHAPES) pool.delete(pool.keys().next().value!);
}

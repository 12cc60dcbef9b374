/**
 * The document Plot renders into outside a browser: a linkedom document whose `<canvas>` elements are a small raster
 * canvas that encodes PNG, so that Plot's raster mark (dense heat maps) works without a native canvas package.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { deflateSync } from "node:zlib";
import { parseHTML } from "../../core/deps.ts";
import type { DomDocument } from "./dom.ts";

/** The image data Plot's raster mark writes: RGBA bytes, row-major. */
interface RasterImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** The subset of a 2-D canvas context that Plot uses (raster mark, color ramp legend). */
class RasterContext {
  /** The fill color of `fillRect`, as a CSS color string (hex, rgb() or rgba()). */
  fillStyle = "#000000";
  constructor(private readonly canvas: RasterCanvas) {}
  fillRect(x: number, y: number, w: number, h: number): void {
    const { width, height } = this.canvas;
    const pixels = this.canvas.pixels(width, height);
    const [r, g, b, a] = parseColor(this.fillStyle);
    for (
      let ty = Math.max(0, Math.floor(y));
      ty < Math.min(height, Math.ceil(y + h));
      ty++
    ) {
      for (
        let tx = Math.max(0, Math.floor(x));
        tx < Math.min(width, Math.ceil(x + w));
        tx++
      ) {
        const t = (ty * width + tx) * 4;
        pixels[t] = r;
        pixels[t + 1] = g;
        pixels[t + 2] = b;
        pixels[t + 3] = a;
      }
    }
  }
  createImageData(width: number, height: number): RasterImage {
    return { width, height, data: new Uint8ClampedArray(width * height * 4) };
  }
  putImageData(image: RasterImage, dx: number, dy: number): void {
    const { width, height } = this.canvas;
    const pixels = this.canvas.pixels(width, height);
    for (let y = 0; y < image.height; y++) {
      const ty = y + dy;
      if (ty < 0 || ty >= height) continue;
      for (let x = 0; x < image.width; x++) {
        const tx = x + dx;
        if (tx < 0 || tx >= width) continue;
        const s = (y * image.width + x) * 4;
        const t = (ty * width + tx) * 4;
        for (let c = 0; c < 4; c++) pixels[t + c] = image.data[s + c];
      }
    }
  }
}

/** RGBA bytes of a CSS color in hex, rgb() or rgba() notation (what d3's interpolators produce). */
function parseColor(color: string): [number, number, number, number] {
  const c = color.trim();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(c);
  if (hex) {
    const d = hex[1].length === 3 ? hex[1].replace(/./g, "$&$&") : hex[1];
    return [
      parseInt(d.slice(0, 2), 16),
      parseInt(d.slice(2, 4), 16),
      parseInt(d.slice(4, 6), 16),
      255,
    ];
  }
  const fn = /^rgba?\(([^)]*)\)$/i.exec(c);
  if (fn) {
    const [r = 0, g = 0, b = 0, a = 1] = fn[1].split(/[\s,/]+/).filter(Boolean)
      .map(Number);
    return [r, g, b, Math.round(a * 255)];
  }
  return [0, 0, 0, 255];
}

/** A canvas that only holds pixels and encodes them as a PNG data URL. */
class RasterCanvas {
  width = 300;
  height = 150;
  private data: Uint8ClampedArray | undefined;
  pixels(width: number, height: number): Uint8ClampedArray {
    if (!this.data || this.data.length !== width * height * 4) {
      this.data = new Uint8ClampedArray(width * height * 4);
    }
    return this.data;
  }
  getContext(type: string): RasterContext | null {
    return type === "2d" ? new RasterContext(this) : null;
  }
  toDataURL(): string {
    const png = encodePng(
      this.width,
      this.height,
      this.pixels(this.width, this.height),
    );
    return `data:image/png;base64,${Buffer.from(png).toString("base64")}`;
  }
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) {
    c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * Encodes RGBA pixels (8 bits per channel, row-major) as a PNG file. Internal; exported for tests.
 */
export function encodePng(
  width: number,
  height: number,
  rgba: Uint8ClampedArray | Uint8Array,
): Uint8Array {
  const header = new Uint8Array(13);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = new Uint8Array((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    raw.set(
      rgba.subarray(y * width * 4, (y + 1) * width * 4),
      y * (width * 4 + 1) + 1,
    );
  }
  const parts = [
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk("IHDR", header),
    chunk("IDAT", new Uint8Array(deflateSync(raw))),
    chunk("IEND", new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

let cached: DomDocument | undefined;

/**
 * The document the plot helpers render into: the browser's own `document` when there is one, otherwise one shared
 * linkedom document whose canvases encode PNG (for Plot's raster mark).
 *
 * @example Render a Plot figure outside a browser
 * ```ts
 * import { Plot, plotDocument } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const figure = Plot.plot({ document: plotDocument(), marks: [Plot.lineY([1, 3, 2])] });
 * assert.match(figure.outerHTML, /^<svg/);
 * ```
 *
 * @returns A DOM `Document` to pass as Plot's `document` option.
 */
export function plotDocument(): DomDocument {
  const browser = (globalThis as { document?: DomDocument }).document;
  if (browser) return browser;
  if (!cached) {
    type CreateElement = (name: string, options?: { is?: string }) => unknown;
    const { document } = parseHTML("<!DOCTYPE html><html><head></head><body></body></html>") as unknown as {
      document: { createElement: CreateElement };
    };
    const create = document.createElement.bind(document);
    document.createElement = (name, options) =>
      name.toLowerCase() === "canvas" ? new RasterCanvas() : create(name, options);
    cached = document as unknown as DomDocument;
  }
  return cached;
}

/**
 * Level lines of a field sampled on a grid, by marching squares, joined into polylines. Internal module (used to draw
 * phase boundaries over a raster).
 *
 * @module
 */

/** A polyline in fractional grid coordinates: column i and row j of the samples. */
export type Polyline = Array<[number, number]>;

/**
 * The polylines where `values` (row-major, `width` columns × `height` rows) crosses `threshold`. Points lie on grid
 * edges, linearly interpolated; non-finite values are clamped to ±1e6. Saddle cells are resolved by the cell's mean.
 */
export function contourLines(values: Float64Array, width: number, height: number, threshold: number): Polyline[] {
  const clamp = (v: number) => (v > 1e6 ? 1e6 : v < -1e6 ? -1e6 : Number.isNaN(v) ? 0 : v);
  const v = (i: number, j: number) => clamp(values[j * width + i]) - threshold;
  // Points keyed by grid edge: "h" edges join (i, j)–(i+1, j), "v" edges join (i, j)–(i, j+1).
  const point = (key: string): [number, number] => {
    const [kind, si, sj] = key.split(":");
    const i = Number(si);
    const j = Number(sj);
    const a = v(i, j);
    const b = kind === "h" ? v(i + 1, j) : v(i, j + 1);
    const f = a === b ? 0.5 : a / (a - b);
    return kind === "h" ? [i + f, j] : [i, j + f];
  };
  const segments: Array<[string, string]> = [];
  for (let j = 0; j + 1 < height; j++) {
    for (let i = 0; i + 1 < width; i++) {
      const a = v(i, j) >= 0, b = v(i + 1, j) >= 0, c = v(i + 1, j + 1) >= 0, d = v(i, j + 1) >= 0;
      const code = (a ? 1 : 0) | (b ? 2 : 0) | (c ? 4 : 0) | (d ? 8 : 0);
      if (code === 0 || code === 15) continue;
      const bottom = `h:${i}:${j}`, top = `h:${i}:${j + 1}`, left = `v:${i}:${j}`, right = `v:${i + 1}:${j}`;
      const center = v(i, j) + v(i + 1, j) + v(i + 1, j + 1) + v(i, j + 1) >= 0;
      switch (code) {
        case 1:
        case 14:
          segments.push([left, bottom]);
          break;
        case 2:
        case 13:
          segments.push([bottom, right]);
          break;
        case 3:
        case 12:
          segments.push([left, right]);
          break;
        case 4:
        case 11:
          segments.push([right, top]);
          break;
        case 6:
        case 9:
          segments.push([bottom, top]);
          break;
        case 7:
        case 8:
          segments.push([left, top]);
          break;
        case 5: // a and c above
          if (center) segments.push([left, top], [bottom, right]);
          else segments.push([left, bottom], [right, top]);
          break;
        case 10: // b and d above
          if (center) segments.push([left, bottom], [right, top]);
          else segments.push([left, top], [bottom, right]);
          break;
      }
    }
  }
  // Join segments that share an edge point.
  const byPoint = new Map<string, number[]>();
  segments.forEach(([p, q], s) => {
    for (const k of [p, q]) {
      const list = byPoint.get(k);
      if (list) list.push(s);
      else byPoint.set(k, [s]);
    }
  });
  const used = new Uint8Array(segments.length);
  const lines: Polyline[] = [];
  const walk = (start: string, from: number): string[] => {
    const keys: string[] = [];
    let current = start;
    let seg = from;
    for (;;) {
      used[seg] = 1;
      const [p, q] = segments[seg];
      const next = p === current ? q : p;
      keys.push(next);
      const candidates = (byPoint.get(next) ?? []).filter((s) => !used[s]);
      if (candidates.length === 0) return keys;
      current = next;
      seg = candidates[0];
    }
  };
  for (let s = 0; s < segments.length; s++) {
    if (used[s]) continue;
    const p = segments[s][0];
    const forward = walk(p, s); // from p through the segment's other end onward
    const backward = (byPoint.get(p) ?? []).filter((t) => !used[t]);
    const back = backward.length ? walk(p, backward[0]) : [];
    const keys = [...back.reverse(), p, ...forward];
    lines.push(keys.map(point));
  }
  return lines;
}

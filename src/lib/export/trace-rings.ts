/**
 * Pixel-edge boundary tracing. Rings run along pixel edges, in pixel-corner coordinates
 * (x = column edge 0..width, y = row edge 0..height, y down), with the labelled region always
 * on the walker's left as seen on a north-up map. That makes outer rings counter-clockwise and
 * holes clockwise on the map, as RFC 7946 wants. Only corners where the direction changes are
 * kept, so collinear vertices never appear.
 */

import { type PixelRing, ringStore, splitAtRepeats } from './ring-store.ts';

export type { PixelRing } from './ring-store.ts';

/** Receives each ring with its label and a pixel inside it (which names its 4-connected patch). */
export type RingSink = (label: number, pixel: number, ring: PixelRing) => void;

// Headings in pixel coordinates (y down): 0 east, 1 south, 2 west, 3 north.
const DX: readonly number[] = [1, 0, -1, 0];
const DY: readonly number[] = [0, 1, 0, -1];
// Offsets from a corner to the pixel ahead on the region side (the map's left) and ahead on
// the other side, per heading. Heading east with the region north: NE pixel and SE pixel.
const AHEAD_IN_X: readonly number[] = [0, 0, -1, -1];
const AHEAD_IN_Y: readonly number[] = [-1, 0, 0, -1];
const AHEAD_OUT_X: readonly number[] = [0, -1, -1, 0];
const AHEAD_OUT_Y: readonly number[] = [0, 0, -1, -1];

/** Twice the signed area in pixel coordinates: negative for outer rings, positive for holes. */
export function ringArea2(ring: PixelRing): number {
  let sum = 0;
  const n = ring.length;
  for (let i = 0; i < n; i += 2) {
    const j = (i + 2) % n;
    sum += ring[i]! * ring[j + 1]! - ring[j]! * ring[i + 1]!;
  }
  return sum;
}

/** The labels with a one-pixel border of 256, a value no label has, so lookups need no bounds checks. */
function padded(labels: Uint8Array, width: number, height: number): Uint16Array {
  const pw = width + 2;
  const out = new Uint16Array(pw * (height + 2)).fill(256);
  for (let y = 0; y < height; y++) out.set(labels.subarray(y * width, (y + 1) * width), (y + 1) * pw + 1);
  return out;
}

/**
 * Every boundary ring of every label except `nodata`. Diagonal neighbours are not connected
 * (4-connectivity, as GDAL's polygonize does by default): at a corner where two pixels of the
 * label touch only diagonally the walker turns to stay with its current pixel.
 */
export function traceRings(
  labels: Uint8Array,
  width: number,
  height: number,
  nodata: number,
  sink: RingSink,
): void {
  const grid = padded(labels, width, height);
  const pw = width + 2;
  // Per heading, the padded-index offset from corner (x, y) to the pixels ahead; corner (x, y)
  // is the top-left corner of padded pixel (x + 1, y + 1).
  const aheadIn = AHEAD_IN_X.map((dx, d) => (AHEAD_IN_Y[d]! + 1) * pw + dx + 1);
  const aheadOut = AHEAD_OUT_X.map((dx, d) => (AHEAD_OUT_Y[d]! + 1) * pw + dx + 1);
  // 1 where the top edge of a pixel has been walked. Every ring has such an edge (outer rings
  // at their top, holes at their bottom), so scanning top edges finds every ring once.
  const walked = new Uint8Array(labels.length);
  const stride = width + 1;
  const slot = new Int32Array(stride * (height + 1));
  // A walk visits each corner at most twice (diagonal touches), each with 2 coordinates.
  const walk = new Int32Array(4 * stride * (height + 1));
  const stack = new Int32Array(walk.length);
  const store = ringStore();
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const start = r * width + c;
      const label = labels[start]!;
      if (label === nodata || walked[start] === 1) continue;
      if (r > 0 && labels[start - width] === label) continue;
      let n = 0;
      let saddle = false;
      // Walk the start edge westwards, then follow the boundary until it comes round again.
      walked[start] = 1;
      let x = c;
      let y = r;
      let d = 2;
      for (;;) {
        const corner = y * pw + x;
        let next = d;
        if (grid[corner + aheadIn[d]!] !== label) {
          next = (d + 3) % 4;
          if (grid[corner + aheadOut[d]!] === label) saddle = true;
        } else if (grid[corner + aheadOut[d]!] === label) {
          next = (d + 1) % 4;
        }
        if (next !== d) {
          walk[n++] = x;
          walk[n++] = y;
        }
        if (next === 2) {
          if (x - 1 === c && y === r) break;
          walked[y * width + x - 1] = 1;
        }
        x += DX[next]!;
        y += DY[next]!;
        d = next;
      }
      if (!saddle) sink(label, start, store.keep(walk, n));
      else splitAtRepeats(walk, n, stride, slot, stack, store, (ring) => sink(label, start, ring));
    }
  }
}

import type { Position } from 'geojson';
import type { GridSpec } from '../../src/lib/geo/index.ts';

/** A 10 m UTM 32N grid near Cortina d'Ampezzo. */
export function utmGrid(width: number, height: number): GridSpec {
  return { width, height, epsg: 32632, transform: { originX: 740000, originY: 5170000, resX: 10, resY: 10 } };
}

export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

/** Deterministic pseudo-random numbers in [0, 1). */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

/** Shoelace area of a closed ring of positions; positive = counter-clockwise (x east, y north). */
export function signedArea(ring: readonly Position[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i] ?? [0, 0];
    const b = ring[i + 1] ?? [0, 0];
    sum += (a[0] ?? 0) * (b[1] ?? 0) - (b[0] ?? 0) * (a[1] ?? 0);
  }
  return sum / 2;
}

/** A cluster-like label map: smooth bands of k classes with some speckle and a nodata corner. */
export function labelMap(width: number, height: number, k: number, seed: number): Uint8Array {
  const rnd = random(seed);
  const labels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = Math.sin(x * 0.21) + Math.cos(y * 0.17 + x * 0.05) + (rnd() - 0.5) * 1.2;
      labels[y * width + x] = Math.min(k - 1, Math.max(0, Math.floor(((v + 2.6) / 5.2) * k)));
    }
  }
  for (let y = 0; y < 3; y++) for (let x = 0; x < 4; x++) labels[y * width + x] = 255;
  return labels;
}

import type { BBox } from '../geo/index.ts';
import type { SceneItem } from './scene-item.ts';

/** Fraction of `area` covered by `bbox` (both WGS84 [w, s, e, n]); planar, fine at scene scale. */
export function bboxCoverage(bbox: BBox, area: BBox): number {
  const w = Math.max(0, Math.min(bbox[2], area[2]) - Math.max(bbox[0], area[0]));
  const h = Math.max(0, Math.min(bbox[3], area[3]) - Math.max(bbox[1], area[1]));
  const areaSize = (area[2] - area[0]) * (area[3] - area[1]);
  return areaSize > 0 ? (w * h) / areaSize : 0;
}

function insideRing(ring: readonly [number, number][], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Sample points per side of the area: coverage is exact to about 1/SAMPLES^2 (0.03 %). */
const SAMPLES = 48;

/**
 * For each item, which sample points of `area` its footprint covers (row-major SAMPLES^2).
 * Sentinel-2 footprints are the tile's data area, often a sliver at a swath edge, so the
 * geometry says far more than the bbox. Items without a geometry fall back to their bbox.
 */
export function coverageMask(item: SceneItem, area: BBox): Uint8Array {
  const mask = new Uint8Array(SAMPLES * SAMPLES);
  const rings = item.footprint;
  const [bw, bs, be, bn] = item.bboxWgs84;
  for (let r = 0; r < SAMPLES; r++) {
    const y = area[1] + ((r + 0.5) / SAMPLES) * (area[3] - area[1]);
    for (let c = 0; c < SAMPLES; c++) {
      const x = area[0] + ((c + 0.5) / SAMPLES) * (area[2] - area[0]);
      const hit = rings
        ? rings.some((ring) => insideRing(ring, x, y))
        : x >= bw && x <= be && y >= bs && y <= bn;
      mask[r * SAMPLES + c] = hit ? 1 : 0;
    }
  }
  return mask;
}

/** Fraction (0..1) of `area` covered by the union of the items' footprints. */
export function areaCoverage(items: readonly SceneItem[], area: BBox): number {
  if (items.length === 0) return 0;
  const union = new Uint8Array(SAMPLES * SAMPLES);
  for (const item of items) {
    const mask = coverageMask(item, area);
    for (let i = 0; i < mask.length; i++) union[i]! |= mask[i]!;
  }
  let covered = 0;
  for (const v of union) covered += v;
  return covered / union.length;
}

/**
 * Fraction (0..1) of the ground the items' footprints cover together (sampled over `extent`,
 * their common box) that `item` covers: a pack opened whole has no area of its own, so its
 * scenes are measured against the pack. Its only scene covers all of it (1), not the tiny
 * share of the globe it would be against the whole world.
 */
export function footprintShare(item: SceneItem, items: readonly SceneItem[], extent: BBox): number {
  const union = new Uint8Array(SAMPLES * SAMPLES);
  for (const other of items) {
    const mask = coverageMask(other, extent);
    for (let i = 0; i < mask.length; i++) union[i]! |= mask[i]!;
  }
  const own = coverageMask(item, extent);
  let total = 0;
  let covered = 0;
  for (let i = 0; i < union.length; i++) {
    total += union[i]!;
    covered += union[i]! & own[i]!;
  }
  return total > 0 ? covered / total : 0;
}

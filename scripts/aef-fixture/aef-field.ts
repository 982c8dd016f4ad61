/**
 * The synthetic embedding field the AlphaEarth fixtures hold: a function of longitude and
 * latitude only (so two UTM zones agree wherever they overlap), unit vectors in 64 dimensions
 * quantised exactly as the real product is (the inverse of `sign(v) * (v / 127.5)^2`).
 */
import { mulberry32 } from '../../src/lib/math/index.ts';
import { AEF_DIM, AEF_NODATA } from '../../src/lib/precomputed/index.ts';
import type { AefLevel } from './aef-cog.ts';

const CLASSES = 5;

/** Unit base vectors of the land-cover classes, seeded. */
const BASES: Float64Array[] = (() => {
  const random = mulberry32(11);
  return Array.from({ length: CLASSES }, () => {
    const v = Float64Array.from({ length: AEF_DIM }, () => random() * 2 - 1);
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  });
})();

/** The distinctive vector of the known features (flip and placement tests look for it). */
export const FEATURE_VECTOR: Float64Array = (() => {
  const v = new Float64Array(AEF_DIM);
  v.fill(0.5, 0, 4);
  return v;
})();

export interface FieldRegion {
  /** [west, south, east, north] in degrees. */
  box: [number, number, number, number];
}

export interface FieldSpec {
  /** Where the vector is FEATURE_VECTOR. */
  features: FieldRegion[];
  /** Where the 2022 field differs from 2021's (class shifted by 2). */
  change: FieldRegion;
}

function inside(r: FieldRegion, lon: number, lat: number): boolean {
  return lon >= r.box[0] && lon < r.box[2] && lat >= r.box[1] && lat < r.box[3];
}

/** The land-cover class (0..4) of a place and year (classification tests label with it). */
export function classAt(spec: FieldSpec, lon: number, lat: number, year: number): number {
  const u = (lon - 11.9) / 0.01;
  const v = (lat - 46.5) / 0.01;
  let c = Math.floor((Math.sin(u * 0.9) + Math.cos(v * 1.1) + Math.sin((u + v) * 0.5) + 3) * (CLASSES / 6));
  c = Math.min(CLASSES - 1, Math.max(0, c));
  return year >= 2022 && inside(spec.change, lon, lat) ? (c + 2) % CLASSES : c;
}

/** The unit vector at a place and year, written into `out`. */
export function fieldAt(spec: FieldSpec, lon: number, lat: number, year: number, out: Float64Array): void {
  if (spec.features.some((f) => inside(f, lon, lat))) {
    out.set(FEATURE_VECTOR);
    return;
  }
  const u = (lon - 11.9) / 0.01;
  const v = (lat - 46.5) / 0.01;
  const base = BASES[classAt(spec, lon, lat, year)]!;
  let ss = 0;
  for (let d = 0; d < AEF_DIM; d++) {
    const x = base[d]! + 0.12 * Math.sin(u * (0.3 + d * 0.05) + v * (0.2 + (d % 7) * 0.04) + d);
    out[d] = x;
    ss += x * x;
  }
  const inv = 1 / Math.sqrt(ss);
  for (let d = 0; d < AEF_DIM; d++) out[d] = out[d]! * inv;
}

/** Google's quantiser: the inverse of sign(q) * (q / 127.5)^2, in -127..127. */
export function quantise(x: number): number {
  const q = Math.round(Math.sign(x) * Math.sqrt(Math.abs(x)) * 127.5);
  return Math.max(-127, Math.min(127, q));
}

function dequantised(q: number): number {
  const x = q / 127.5;
  return Math.sign(q) * x * x;
}

/**
 * The next overview: each pixel the mean of the de-quantised valid pixels under it, normalised
 * to unit length and quantised again (how Google's readme describes the product's overviews).
 */
export function overview(level: AefLevel): AefLevel {
  const width = Math.ceil(level.width / 2);
  const height = Math.ceil(level.height / 2);
  const data = new Int8Array(width * height * AEF_DIM).fill(AEF_NODATA);
  const sum = new Float64Array(AEF_DIM);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      sum.fill(0);
      let n = 0;
      for (let dy = 0; dy < 2; dy++) {
        for (let dx = 0; dx < 2; dx++) {
          const y = 2 * r + dy;
          const x = 2 * c + dx;
          if (y >= level.height || x >= level.width) continue;
          const at = (y * level.width + x) * AEF_DIM;
          if (level.data[at] === AEF_NODATA) continue;
          for (let d = 0; d < AEF_DIM; d++) sum[d] = sum[d]! + dequantised(level.data[at + d]!);
          n++;
        }
      }
      if (n === 0) continue;
      const norm = Math.hypot(...sum) || 1;
      const out = (r * width + c) * AEF_DIM;
      for (let d = 0; d < AEF_DIM; d++) data[out + d] = quantise(sum[d]! / norm);
    }
  }
  return { width, height, data };
}

/** Every overview down to 1 x 1, full resolution first. */
export function pyramid(full: AefLevel): AefLevel[] {
  const levels = [full];
  while (levels.at(-1)!.width > 1 || levels.at(-1)!.height > 1) levels.push(overview(levels.at(-1)!));
  return levels;
}

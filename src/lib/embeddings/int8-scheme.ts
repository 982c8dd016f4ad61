/** The int8 quantisation of embedding exports: written by export/, read back by analysis/. */

import type { EmbeddingGrid } from './embedding-grid.ts';

/**
 * The int8 scheme ("int8-affine-per-band"): each band d gets its own linear map, chosen from
 * the range of its valid values so that nothing is clipped:
 *   OFFSET_d = (max_d + min_d) / 2,  SCALE_d = (max_d - min_d) / 254,
 *   stored   = round((x - OFFSET_d) / SCALE_d)  in -127..127,   x ≈ stored * SCALE_d + OFFSET_d
 * -128 marks pixels without an embedding. SCALE/OFFSET are GDAL's own band scale/offset, so
 * `gdal_translate -unscale -ot Float32`, `gdallocationinfo` and QGIS de-quantise it as the app
 * does. Why per band and not one [-1, 1] range: encoders' outputs are not unit vectors (Presto's
 * have norm ~13 and components up to ~7), and a fixed range clipped 29% of Presto's values
 * (cosine to the float output 0.88); the per-band range keeps it at 0.99999 (README, "int8 embeddings").
 */
export const INT8_SCHEME = 'int8-affine-per-band';
/** The first scheme (until 2026-12): stored = round(clamp(x, -1, 1) * 127), SCALE 1/127. */
export const INT8_LEGACY_SCHEME = 'int8: stored = round(clamp(x, -1, 1) * 127)';
export const INT8_NODATA = -128;
/** Stored values span -INT8_LEVELS..INT8_LEVELS; -128 is nodata. */
const INT8_LEVELS = 127;

/** One band's de-quantisation: x = stored * scale + offset. */
export interface BandScale {
  scale: number;
  offset: number;
}

/**
 * Per-band scale and offset of the int8 scheme from the valid, finite values of the grid. A
 * band with a single value keeps it exactly in OFFSET (SCALE 1, stored 0); a grid without a
 * valid pixel gets SCALE 1, OFFSET 0 (every stored value is nodata anyway). Exported so a
 * collection's STAC `raster:bands` can name the same numbers.
 */
export function int8BandScales(grid: EmbeddingGrid): BandScale[] {
  const { data, valid, dim } = grid;
  const lo = new Float64Array(dim).fill(Number.POSITIVE_INFINITY);
  const hi = new Float64Array(dim).fill(Number.NEGATIVE_INFINITY);
  for (let p = 0; p < valid.length; p++) {
    if (valid[p] === 0) continue;
    for (let d = 0; d < dim; d++) {
      const x = data[p * dim + d]!;
      if (!Number.isFinite(x)) continue;
      if (x < lo[d]!) lo[d] = x;
      if (x > hi[d]!) hi[d] = x;
    }
  }
  return Array.from({ length: dim }, (_, d) => {
    const min = lo[d]!;
    const max = hi[d]!;
    if (!(max >= min)) return { scale: 1, offset: 0 };
    const offset = (max + min) / 2;
    const scale = (max - min) / (2 * INT8_LEVELS);
    return { scale: scale > 0 ? scale : 1, offset };
  });
}

/** Stored int8 value of x under one band's scale (clamped only against rounding at the ends). */
export function quantiseInt8(x: number, band: BandScale): number {
  const q = Math.round((x - band.offset) / band.scale);
  return Math.min(INT8_LEVELS, Math.max(-INT8_LEVELS, q));
}

/** The int8 schemes a reader knows: this one, and the first (clamped to [-1, 1]) one. */
export type Int8Scheme = 'int8-affine-per-band' | 'int8-clamp-unit';

/**
 * Which known scheme an EMBEDDING_QUANTISATION value names, or undefined when none: int8 from
 * elsewhere (AlphaEarth's is non-linear) must not be read with a guessed scale.
 */
export function int8SchemeOf(description: string | undefined): Int8Scheme | undefined {
  if (description === undefined) return undefined;
  if (description.startsWith(`${INT8_SCHEME}:`)) return 'int8-affine-per-band';
  if (description.startsWith(INT8_LEGACY_SCHEME)) return 'int8-clamp-unit';
  return undefined;
}

/** Overview (reduced-resolution) levels for the COG writer, each half the size of the previous. */
import { allocLike, type CogData, storedValue } from './cog-data.ts';

export type OverviewResampling = 'average' | 'nearest';

export interface RasterLevel {
  width: number;
  height: number;
  data: CogData;
}

/**
 * One 2x reduction. Output size is ceil(size / 2), as GDAL does, so edge blocks may be 1 pixel
 * wide or tall; they use only the pixels that exist.
 *  - average: mean of the valid pixels of each 2x2 block; nodata pixels (and NaN, which
 *    cannot be averaged) are skipped, and a block with no valid pixel becomes nodata.
 *    Integer results are rounded to nearest.
 *  - nearest: the block's top-left pixel, or the first valid one in reading order when the
 *    top-left is nodata, so class maps (SCL) keep real classes and never invent new ones.
 */
export function downsample2x(level: RasterLevel, method: OverviewResampling, nodata?: number): RasterLevel {
  const { width, height, data } = level;
  const outW = Math.ceil(width / 2);
  const outH = Math.ceil(height / 2);
  const out = allocLike(data, outW * outH);
  const nd = nodata === undefined ? undefined : storedValue(data, nodata);
  const isFloat = data instanceof Float32Array;
  const fallback = nd ?? (isFloat ? Number.NaN : 0);
  const valid = (v: number): boolean => v !== nd && !Number.isNaN(v);

  for (let oy = 0; oy < outH; oy++) {
    const y0 = oy * 2;
    const rows = Math.min(2, height - y0);
    for (let ox = 0; ox < outW; ox++) {
      const x0 = ox * 2;
      const cols = Math.min(2, width - x0);
      let sum = 0;
      let n = 0;
      let first = fallback;
      let found = false;
      for (let dy = 0; dy < rows; dy++) {
        const rowStart = (y0 + dy) * width + x0;
        for (let dx = 0; dx < cols; dx++) {
          const v = data[rowStart + dx] ?? fallback;
          if (!valid(v)) continue;
          if (!found) {
            first = v;
            found = true;
          }
          sum += v;
          n++;
        }
      }
      let value: number;
      if (method === 'nearest') value = first;
      else if (n === 0) value = fallback;
      else value = isFloat ? sum / n : Math.round(sum / n);
      out[oy * outW + ox] = value;
    }
  }
  return { width: outW, height: outH, data: out };
}

/** The full-resolution level followed by 2x overviews until the largest side fits in one tile. */
export function buildPyramid(
  base: RasterLevel,
  tileSize: number,
  method: OverviewResampling,
  nodata?: number,
): RasterLevel[] {
  const levels = [base];
  let current = base;
  while (Math.max(current.width, current.height) > tileSize) {
    current = downsample2x(current, method, nodata);
    levels.push(current);
  }
  return levels;
}

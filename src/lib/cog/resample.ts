import type { GeoTransform, GridSpec } from '../geo/geotransform.ts';

export type ResampleMethod = 'nearest' | 'bilinear';

/** A block of one band read from an image: values row-major, placed by `transform`. */
export interface SourceBlock {
  values: ArrayLike<number>;
  width: number;
  height: number;
  transform: GeoTransform;
  nodata: number | undefined;
}

/**
 * Samples a source block at the centre of every target pixel (same CRS). Bilinear for
 * reflectance (smooth 20 m -> 10 m), nearest for classes such as SCL. A bilinear sample
 * touching nodata falls back to the nearest value so nodata never bleeds into averages.
 * Pixels outside the block or on nodata become NaN.
 */
export function resampleToGrid(src: SourceBlock, target: GridSpec, method: ResampleMethod): Float32Array {
  const out = new Float32Array(target.width * target.height);
  const st = src.transform;
  const tt = target.transform;
  const isNodata = (v: number) => v === src.nodata || Number.isNaN(v);
  const sx = tt.resX / st.resX;
  const sy = tt.resY / st.resY;
  const ox = (tt.originX - st.originX) / st.resX;
  const oy = (st.originY - tt.originY) / st.resY;
  for (let row = 0; row < target.height; row++) {
    // Fractional source coordinates of the target pixel centre.
    const fy = oy + (row + 0.5) * sy;
    for (let col = 0; col < target.width; col++) {
      const fx = ox + (col + 0.5) * sx;
      const nx = Math.floor(fx);
      const ny = Math.floor(fy);
      const i = row * target.width + col;
      if (nx < 0 || ny < 0 || nx >= src.width || ny >= src.height) {
        out[i] = Number.NaN;
        continue;
      }
      const nearest = src.values[ny * src.width + nx]!;
      if (method === 'nearest' || isNodata(nearest)) {
        out[i] = isNodata(nearest) ? Number.NaN : nearest;
        continue;
      }
      const x0 = Math.min(Math.max(Math.floor(fx - 0.5), 0), src.width - 1);
      const y0 = Math.min(Math.max(Math.floor(fy - 0.5), 0), src.height - 1);
      const x1 = Math.min(x0 + 1, src.width - 1);
      const y1 = Math.min(y0 + 1, src.height - 1);
      const wx = Math.min(Math.max(fx - 0.5 - x0, 0), 1);
      const wy = Math.min(Math.max(fy - 0.5 - y0, 0), 1);
      const v00 = src.values[y0 * src.width + x0]!;
      const v10 = src.values[y0 * src.width + x1]!;
      const v01 = src.values[y1 * src.width + x0]!;
      const v11 = src.values[y1 * src.width + x1]!;
      if (isNodata(v00) || isNodata(v10) || isNodata(v01) || isNodata(v11)) {
        out[i] = nearest;
        continue;
      }
      out[i] = (v00 * (1 - wx) + v10 * wx) * (1 - wy) + (v01 * (1 - wx) + v11 * wx) * wy;
    }
  }
  return out;
}

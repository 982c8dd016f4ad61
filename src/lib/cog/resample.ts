import type { GeoTransform, GridSpec } from '../geo/index.ts';
import { converter } from '../geo/index.ts';

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
 * The value of a block at fractional pixel coordinates (fx, fy) (pixel corners at integers).
 * Bilinear for reflectance (smooth 20 m -> 10 m), nearest for classes such as SCL. A
 * bilinear sample touching nodata falls back to the nearest value so nodata never bleeds
 * into averages. Outside the block or on nodata: NaN.
 */
export function sampleBlock(src: SourceBlock, fx: number, fy: number, method: ResampleMethod): number {
  const nx = Math.floor(fx);
  const ny = Math.floor(fy);
  if (nx < 0 || ny < 0 || nx >= src.width || ny >= src.height) return Number.NaN;
  const isNodata = (v: number) => v === src.nodata || Number.isNaN(v);
  const nearest = src.values[ny * src.width + nx]!;
  if (isNodata(nearest)) return Number.NaN;
  if (method === 'nearest') return nearest;
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
  if (isNodata(v00) || isNodata(v10) || isNodata(v01) || isNodata(v11)) return nearest;
  return (v00 * (1 - wx) + v10 * wx) * (1 - wy) + (v01 * (1 - wx) + v11 * wx) * wy;
}

/**
 * Samples a source block at the centre of every target pixel (same CRS). Pixels outside
 * the block or on nodata become NaN.
 */
export function resampleToGrid(src: SourceBlock, target: GridSpec, method: ResampleMethod): Float32Array {
  const out = new Float32Array(target.width * target.height);
  const st = src.transform;
  const tt = target.transform;
  const sx = tt.resX / st.resX;
  const sy = tt.resY / st.resY;
  const ox = (tt.originX - st.originX) / st.resX;
  const oy = (st.originY - tt.originY) / st.resY;
  for (let row = 0; row < target.height; row++) {
    const fy = oy + (row + 0.5) * sy;
    for (let col = 0; col < target.width; col++) {
      out[row * target.width + col] = sampleBlock(src, ox + (col + 0.5) * sx, fy, method);
    }
  }
  return out;
}

/**
 * Like resampleToGrid, but the block is in another CRS (`srcEpsg`): every target pixel
 * centre is projected into the source CRS exactly (proj4, no approximation) and sampled
 * there, bilinear or nearest as above. Used to mosaic a tile of a neighbouring UTM zone
 * onto the grid of the area's zone.
 */
export function resampleReprojected(
  src: SourceBlock,
  srcEpsg: number,
  target: GridSpec,
  method: ResampleMethod,
): Float32Array {
  const out = new Float32Array(target.width * target.height);
  const toSource = converter(target.epsg, srcEpsg);
  const st = src.transform;
  const tt = target.transform;
  for (let row = 0; row < target.height; row++) {
    const y = tt.originY - (row + 0.5) * tt.resY;
    for (let col = 0; col < target.width; col++) {
      const [sx, sy] = toSource([tt.originX + (col + 0.5) * tt.resX, y]);
      out[row * target.width + col] = sampleBlock(
        src,
        (sx - st.originX) / st.resX,
        (st.originY - sy) / st.resY,
        method,
      );
    }
  }
  return out;
}

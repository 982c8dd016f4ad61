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

/** True where `v` is the block's nodata value or NaN. */
function isNodata(v: number, nodata: number | undefined): boolean {
  return v === nodata || Number.isNaN(v);
}

/**
 * The value of a block at fractional pixel coordinates (fx, fy) (pixel corners at integers).
 * Bilinear for reflectance (smooth 20 m -> 10 m), nearest for classes such as SCL. A
 * bilinear sample touching nodata falls back to the nearest value so nodata never bleeds
 * into averages. Outside the block or on nodata: NaN. The reference for resampleToGrid's
 * separable loop, and the sampler of resampleReprojected.
 */
export function sampleBlock(src: SourceBlock, fx: number, fy: number, method: ResampleMethod): number {
  const nx = Math.floor(fx);
  const ny = Math.floor(fy);
  if (nx < 0 || ny < 0 || nx >= src.width || ny >= src.height) return Number.NaN;
  const nearest = src.values[ny * src.width + nx]!;
  if (isNodata(nearest, src.nodata)) return Number.NaN;
  if (method === 'nearest') return nearest;
  const x0 = Math.min(Math.max(Math.floor(fx - 0.5), 0), src.width - 1);
  const y0 = Math.min(Math.max(Math.floor(fy - 0.5), 0), src.height - 1);
  const x1 = Math.min(x0 + 1, src.width - 1);
  const y1 = Math.min(y0 + 1, src.height - 1);
  const wx = Math.min(Math.max(fx - 0.5 - x0, 0), 1);
  const wy = Math.min(Math.max(fy - 0.5 - y0, 0), 1);
  // On a source centre the neighbours weigh nothing and are not read (an infinite one would
  // make 0 * Infinity = NaN).
  if (wx === 0 && wy === 0 && x0 === nx && y0 === ny) return nearest;
  const v00 = src.values[y0 * src.width + x0]!;
  const v10 = src.values[y0 * src.width + x1]!;
  const v01 = src.values[y1 * src.width + x0]!;
  const v11 = src.values[y1 * src.width + x1]!;
  const nd = src.nodata;
  if (isNodata(v00, nd) || isNodata(v10, nd) || isNodata(v01, nd) || isNodata(v11, nd)) return nearest;
  return (v00 * (1 - wx) + v10 * wx) * (1 - wy) + (v01 * (1 - wx) + v11 * wx) * wy;
}

/**
 * Where one axis of the target falls in the source, per target pixel: the nearest source
 * index (-1 outside), and the bilinear pair (i0, i1) with the weight of i1. The same for every
 * row (columns) or every column (rows), so a whole grid costs width + height of these.
 */
interface AxisTaps {
  nearest: Int32Array;
  i0: Int32Array;
  i1: Int32Array;
  w: Float64Array;
  /** Every pixel centre on a source centre (weight 0, i0 = nearest): bilinear is nearest. */
  onCentres: boolean;
}

function axisTaps(count: number, offset: number, scale: number, size: number): AxisTaps {
  const taps: AxisTaps = {
    nearest: new Int32Array(count),
    i0: new Int32Array(count),
    i1: new Int32Array(count),
    w: new Float64Array(count),
    onCentres: true,
  };
  for (let i = 0; i < count; i++) {
    const f = offset + (i + 0.5) * scale;
    const n = Math.floor(f);
    taps.nearest[i] = n < 0 || n >= size ? -1 : n;
    const a = Math.min(Math.max(Math.floor(f - 0.5), 0), size - 1);
    taps.i0[i] = a;
    taps.i1[i] = Math.min(a + 1, size - 1);
    taps.w[i] = Math.min(Math.max(f - 0.5 - a, 0), 1);
    if (taps.w[i] !== 0 || a !== n) taps.onCentres = false;
  }
  return taps;
}

/** The target grid's row of a source on exactly the same lattice, copied with nodata as NaN. */
function copyRow(src: SourceBlock, from: number, out: Float32Array, at: number, cols: AxisTaps): void {
  const values = src.values;
  const nd = src.nodata;
  for (let col = 0; col < cols.nearest.length; col++) {
    const x = cols.nearest[col]!;
    if (x < 0) {
      out[at + col] = Number.NaN;
      continue;
    }
    const v = values[from + x]!;
    out[at + col] = v === nd || Number.isNaN(v) ? Number.NaN : v;
  }
}

/**
 * Samples a source block at the centre of every target pixel (same CRS), exactly as
 * sampleBlock does per pixel (tests/cog/resample.test.ts compares them), but separably: the
 * source positions of the columns and rows are computed once, and a target on the source's own
 * lattice (a 10 m band on the 10 m grid, the common case) is a copy. Pixels outside the block
 * or on nodata become NaN.
 */
export function resampleToGrid(src: SourceBlock, target: GridSpec, method: ResampleMethod): Float32Array {
  const out = new Float32Array(target.width * target.height);
  const st = src.transform;
  const tt = target.transform;
  const cols = axisTaps(target.width, (tt.originX - st.originX) / st.resX, tt.resX / st.resX, src.width);
  const rows = axisTaps(target.height, (st.originY - tt.originY) / st.resY, tt.resY / st.resY, src.height);
  const values = src.values;
  const nd = src.nodata;
  const w = src.width;
  for (let row = 0; row < target.height; row++) {
    const at = row * target.width;
    const y = rows.nearest[row]!;
    if (y < 0) {
      out.fill(Number.NaN, at, at + target.width);
      continue;
    }
    const wy = rows.w[row]!;
    const rowOnCentres = wy === 0 && rows.i0[row] === y;
    if (method === 'nearest' || (rowOnCentres && cols.onCentres)) {
      copyRow(src, y * w, out, at, cols);
      continue;
    }
    const r0 = rows.i0[row]! * w;
    const r1 = rows.i1[row]! * w;
    const rn = y * w;
    for (let col = 0; col < target.width; col++) {
      const x = cols.nearest[col]!;
      if (x < 0) {
        out[at + col] = Number.NaN;
        continue;
      }
      const nearest = values[rn + x]!;
      if (nearest === nd || Number.isNaN(nearest)) {
        out[at + col] = Number.NaN;
        continue;
      }
      const x0 = cols.i0[col]!;
      const x1 = cols.i1[col]!;
      const wx = cols.w[col]!;
      if (rowOnCentres && wx === 0 && x0 === x) {
        out[at + col] = nearest;
        continue;
      }
      const v00 = values[r0 + x0]!;
      const v10 = values[r0 + x1]!;
      const v01 = values[r1 + x0]!;
      const v11 = values[r1 + x1]!;
      if (isNodata(v00, nd) || isNodata(v10, nd) || isNodata(v01, nd) || isNodata(v11, nd)) {
        out[at + col] = nearest;
        continue;
      }
      out[at + col] = (v00 * (1 - wx) + v10 * wx) * (1 - wy) + (v01 * (1 - wx) + v11 * wx) * wy;
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

/** Ground area of pixels, for the area figures in vector exports. */
import { AppError } from '../errors.ts';
import { converter, type GridSpec, pixelToCrs } from '../geo/index.ts';

// Radius of the sphere with the WGS84 ellipsoid's surface area (authalic radius).
const AUTHALIC_RADIUS_M = 6371007.181;

/**
 * Area in m² of one pixel of each row. On a projected grid in metres (UTM) it is the pixel's
 * area in that CRS, resX * resY, constant over the grid. On EPSG:4326 and Web Mercator, whose
 * planar areas are not ground areas (Web Mercator inflates them by 1/cos²(latitude)), it is
 * the area of the pixel's latitude band segment on the authalic sphere.
 */
export function pixelAreaByRow(grid: GridSpec): Float64Array {
  const { height, epsg, transform: t } = grid;
  const out = new Float64Array(height);
  if (epsg !== 4326 && epsg !== 3857) return out.fill(t.resX * t.resY);
  const toWgs = converter(epsg, 4326);
  const lonLat = (row: number): [number, number] => toWgs(pixelToCrs(t, 0, row));
  const [lonA] = lonLat(0);
  const [lonB] = toWgs(pixelToCrs(t, 1, 0));
  const dLon = Math.abs(lonB - lonA) * (Math.PI / 180);
  const sinLat = (row: number): number => Math.sin(lonLat(row)[1] * (Math.PI / 180));
  let top = sinLat(0);
  for (let r = 0; r < height; r++) {
    const bottom = sinLat(r + 1);
    out[r] = AUTHALIC_RADIUS_M * AUTHALIC_RADIUS_M * dLon * Math.abs(top - bottom);
    top = bottom;
  }
  return out;
}

export interface LabelStats {
  /** Pixels per label value (index 0..255). */
  pixels: Float64Array;
  /** Area in m² per label value. */
  areaM2: Float64Array;
}

/** Pixel count and area of every label value of a raster on `grid`. */
export function labelStats(labels: Uint8Array, grid: GridSpec): LabelStats {
  const { width, height } = grid;
  if (labels.length !== width * height) {
    throw new AppError(
      'bad-input',
      `Raster has ${labels.length} pixels; the ${width} x ${height} grid needs ${width * height}.`,
    );
  }
  const rowArea = pixelAreaByRow(grid);
  const pixels = new Float64Array(256);
  const areaM2 = new Float64Array(256);
  const rowCounts = new Uint32Array(256);
  for (let r = 0; r < height; r++) {
    rowCounts.fill(0);
    const start = r * width;
    for (let p = start; p < start + width; p++) rowCounts[labels[p]!]!++;
    const a = rowArea[r]!;
    for (let l = 0; l < 256; l++) {
      const n = rowCounts[l]!;
      if (n === 0) continue;
      pixels[l]! += n;
      areaM2[l]! += n * a;
    }
  }
  return { pixels, areaM2 };
}

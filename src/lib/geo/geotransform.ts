/**
 * A north-up affine georeference: pixel (col, row) of the top-left corner of a pixel maps to
 * x = originX + col * resX, y = originY - row * resY (resX, resY > 0, in CRS units).
 * Rotated grids do not occur in Sentinel-2 products; readers refuse them explicitly.
 */
export interface GeoTransform {
  originX: number;
  originY: number;
  resX: number;
  resY: number;
}

/** A raster grid: size plus its placement in a projected or geographic CRS. */
export interface GridSpec {
  width: number;
  height: number;
  /** EPSG code of the grid's CRS, e.g. 32632 for UTM 32N. */
  epsg: number;
  transform: GeoTransform;
}

/** [minX, minY, maxX, maxY] in the CRS of whatever it accompanies. */
export type BBox = [number, number, number, number];

export function pixelToCrs(t: GeoTransform, col: number, row: number): [number, number] {
  return [t.originX + col * t.resX, t.originY - row * t.resY];
}

/** Fractional pixel coordinates (col, row) of a CRS point; floor() gives the containing pixel. */
export function crsToPixel(t: GeoTransform, x: number, y: number): [number, number] {
  return [(x - t.originX) / t.resX, (t.originY - y) / t.resY];
}

export function gridBounds(grid: GridSpec): BBox {
  const [minX, maxY] = pixelToCrs(grid.transform, 0, 0);
  const [maxX, minY] = pixelToCrs(grid.transform, grid.width, grid.height);
  return [minX, minY, maxX, maxY];
}

/** Longitude/latitude of pixel corners of a grid, fast enough for millions of polygon vertices. */
import { converter, type GridSpec, pixelToCrs } from '../geo/index.ts';

/** Lattice spacing on the ground: small enough that interpolation error is sub-millimetre. */
const LATTICE_METRES = 160;
const MAX_STEP = 16;

/**
 * A function writing [lon, lat] of pixel corner (x = column edge, y = row edge) into `out`
 * (no allocation per vertex).
 * proj4 is exact but costs microseconds per point, and a noisy cluster map has millions of
 * vertices, so corners are projected exactly on a lattice every `step` corners and
 * interpolated bilinearly in between. CRS maps are smooth: the error is about
 * cell² / (8 · earth radius), 0.5 mm for 160 m cells, far below the 1 cm the coordinates are
 * rounded to. Lon/lat grids (EPSG:4326) are affine, so interpolation is exact there.
 */
export function cornerProjector(grid: GridSpec): (x: number, y: number, out: Float64Array) => void {
  const { width, height, epsg, transform } = grid;
  const toWgs = converter(epsg, 4326);
  const res = Math.max(transform.resX, transform.resY);
  const step = epsg === 4326 ? MAX_STEP : Math.max(1, Math.min(MAX_STEP, Math.floor(LATTICE_METRES / res)));
  const cols = Math.ceil(width / step) + 1;
  const rows = Math.ceil(height / step) + 1;
  const lon = new Float64Array(cols * rows);
  const lat = new Float64Array(cols * rows);
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      // The last lattice line may lie past the grid edge; projections extend smoothly there.
      const [a, b] = toWgs(pixelToCrs(transform, i * step, j * step));
      lon[j * cols + i] = a;
      lat[j * cols + i] = b;
    }
  }
  return (x, y, out) => {
    const i = Math.min(Math.floor(x / step), cols - 2);
    const j = Math.min(Math.floor(y / step), rows - 2);
    const fx = x / step - i;
    const fy = y / step - j;
    const k = j * cols + i;
    const w00 = (1 - fx) * (1 - fy);
    const w10 = fx * (1 - fy);
    const w01 = (1 - fx) * fy;
    const w11 = fx * fy;
    out[0] = lon[k]! * w00 + lon[k + 1]! * w10 + lon[k + cols]! * w01 + lon[k + cols + 1]! * w11;
    out[1] = lat[k]! * w00 + lat[k + 1]! * w10 + lat[k + cols]! * w01 + lat[k + cols + 1]! * w11;
  };
}

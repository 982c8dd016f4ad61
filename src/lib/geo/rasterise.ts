import { converter } from './crs.ts';
import { crsToPixel, type GridSpec } from './geotransform.ts';
import { densifyRing, type LonLat } from './polygon.ts';

/**
 * Which pixels of a grid lie inside a polygon given in WGS84: 1 inside, 0 outside.
 *
 * The ring is densified along its map edges (densifyRing), each point reprojected into the
 * grid's CRS with the app's proj4 converter, then filled scanline by scanline: a pixel is
 * inside when its centre is (pixel-centre rule, so each pixel is decided once and adjacent
 * polygons never share one). Crossings on a row's centre line use the half-open rule
 * (an edge counts when one end is at or below the line and the other above), and spans are
 * filled by the even-odd rule. Polygons reaching here are validated simple rings
 * (validatePolygon), for which even-odd and non-zero winding give the same pixels.
 */
export function polygonMask(grid: GridSpec, ring: readonly LonLat[]): { mask: Uint8Array; inside: number } {
  const { width, height } = grid;
  const toGrid = converter(4326, grid.epsg);
  const points = densifyRing(ring).map((p) => {
    const [x, y] = toGrid(p);
    return crsToPixel(grid.transform, x, y);
  });
  // Each edge adds its crossing to the rows whose centre line it spans: work grows with the
  // perimeter in pixels, not with edges times rows.
  const crossings: number[][] = Array.from({ length: height }, () => []);
  for (let i = 0; i < points.length; i++) {
    const [x0, y0] = points[i]!;
    const [x1, y1] = points[(i + 1) % points.length]!;
    if (y0 === y1) continue;
    const first = Math.max(0, Math.ceil(Math.min(y0, y1) - 0.5));
    const last = Math.min(height - 1, Math.ceil(Math.max(y0, y1) - 0.5) - 1);
    for (let row = first; row <= last; row++) {
      const yc = row + 0.5;
      crossings[row]!.push(x0 + ((yc - y0) * (x1 - x0)) / (y1 - y0));
    }
  }
  const mask = new Uint8Array(width * height);
  let inside = 0;
  for (let row = 0; row < height; row++) {
    const xs = crossings[row]!.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      // Pixel col is inside when xs[k] <= col + 0.5 < xs[k + 1].
      const from = Math.max(0, Math.ceil(xs[k]! - 0.5));
      const to = Math.min(width, Math.ceil(xs[k + 1]! - 0.5));
      for (let col = from; col < to; col++) mask[row * width + col] = 1;
      if (to > from) inside += to - from;
    }
  }
  return { mask, inside };
}

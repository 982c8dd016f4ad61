/** Pixel-corner polygons to GeoJSON (RFC 7946) WGS84 geometry. */
import type { MultiPolygon, Position } from 'geojson';
import type { GridSpec } from '../geo/index.ts';
import { cornerProjector } from './corner-projector.ts';
import type { PixelPolygon } from './vectorise.ts';

// 7 decimals of a degree is about 1 cm: far below a pixel, and keeps files small.
const DECIMALS = 1e7;

function round(v: number): number {
  return Math.round(v * DECIMALS) / DECIMALS;
}

/**
 * MultiPolygon in longitude/latitude of polygons traced on `grid`. Corners go through the
 * grid's geotransform and then the CRS conversion (cornerProjector), which keeps orientation (UTM, Web Mercator
 * and lon/lat all have x east and y north), so outer rings stay counter-clockwise. Rings are
 * closed by repeating their first position. Straight pixel edges between two corners stay
 * straight lines, which on a UTM grid departs from the true edge by far less than a pixel.
 */
export function toMultiPolygon(polygons: readonly PixelPolygon[], grid: GridSpec): MultiPolygon {
  const project = cornerProjector(grid);
  const lonLat = new Float64Array(2);
  const coordinates: Position[][][] = polygons.map((polygon) =>
    polygon.map((ring) => {
      const positions: Position[] = [];
      for (let i = 0; i < ring.length; i += 2) {
        project(ring[i]!, ring[i + 1]!, lonLat);
        positions.push([round(lonLat[0]!), round(lonLat[1]!)]);
      }
      const first = positions[0];
      if (first) positions.push([first[0]!, first[1]!]);
      return positions;
    }),
  );
  return { type: 'MultiPolygon', coordinates };
}

/** Top-k places as a GeoJSON FeatureCollection of points (RFC 7946, WGS84). */
import type { FeatureCollection, Point } from 'geojson';
import type { Place } from '../analysis/index.ts';
import type { GridSpec } from '../geo/index.ts';
import { placeRecords } from './places.ts';

export interface PlaceProperties {
  rank: number;
  score: number;
  col: number;
  row: number;
}

/** One point per place at its pixel centre, best first. */
export function placesToGeoJson(
  places: readonly Place[],
  grid: GridSpec,
): FeatureCollection<Point, PlaceProperties> {
  return {
    type: 'FeatureCollection',
    features: placeRecords(places, grid).map(({ rank, lon, lat, score, col, row }) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lon, lat] },
      properties: { rank, score, col, row },
    })),
  };
}

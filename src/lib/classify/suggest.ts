/**
 * Where to label next: the least confident pixels of a classification, spread out (no two
 * closer than a minimum distance), each with its longitude/latitude so the map can fly there.
 */
import { topKPlaces } from '../analysis/index.ts';
import type { LonLat } from '../geo/index.ts';
import { converter, type GridSpec, pixelToCrs } from '../geo/index.ts';
import type { ClassMap } from './model.ts';

export interface Suggestion {
  col: number;
  row: number;
  at: LonLat;
  confidence: number;
  /** The class the model leans to there. */
  best: number;
}

export function suggestLabels(map: ClassMap, grid: GridSpec, count = 10, minSeparationPx = 20): Suggestion[] {
  const uncertainty = new Float32Array(map.confidence.length);
  for (let p = 0; p < uncertainty.length; p++) uncertainty[p] = 1 - map.confidence[p]!; // NaN stays NaN: skipped
  const toWgs = converter(grid.epsg, 4326);
  return topKPlaces(uncertainty, map.width, map.height, { k: count, minSeparationPx }).map((place) => ({
    col: place.col,
    row: place.row,
    at: toWgs(pixelToCrs(grid.transform, place.col + 0.5, place.row + 0.5)),
    confidence: map.confidence[place.index]!,
    best: map.best[place.index]!,
  }));
}

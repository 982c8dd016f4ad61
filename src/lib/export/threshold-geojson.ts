/** The places at or above a similarity threshold as one GeoJSON MultiPolygon, with their area. */
import type { FeatureCollection, MultiPolygon } from 'geojson';
import { AppError } from '../errors.ts';
import type { GridSpec } from '../geo/index.ts';
import { labelStats } from './geo-area.ts';
import { toMultiPolygon } from './geo-polygons.ts';
import { checkRasterSize } from './raster-checks.ts';
import { vectoriseMask } from './vectorise.ts';

export interface ThresholdFeatureProperties {
  threshold: number;
  pixel_count: number;
  area_km2: number;
}

export interface ThresholdExport {
  /** width * height cosine similarities; NaN = no data (never selected). */
  scores: Float32Array;
  grid: GridSpec;
  threshold: number;
}

export interface ThresholdResult {
  /** One feature when any pixel qualifies, none otherwise. */
  collection: FeatureCollection<MultiPolygon, ThresholdFeatureProperties>;
  pixelCount: number;
  areaKm2: number;
}

/** Pixels with score >= threshold, dissolved into polygons along pixel edges. */
export function thresholdToGeoJson(input: ThresholdExport): ThresholdResult {
  const { scores, grid, threshold } = input;
  checkRasterSize('The similarity map', scores.length, grid);
  if (!Number.isFinite(threshold)) {
    throw new AppError('bad-input', `The similarity threshold must be a number, got ${threshold}.`);
  }
  const mask = new Uint8Array(scores.length);
  // NaN fails `>=`, so pixels without data are never selected.
  for (let p = 0; p < scores.length; p++) mask[p] = scores[p]! >= threshold ? 1 : 0;
  const stats = labelStats(mask, grid);
  const pixelCount = stats.pixels[1] ?? 0;
  const areaKm2 = (stats.areaM2[1] ?? 0) / 1e6;
  const polygons = pixelCount === 0 ? [] : vectoriseMask(mask, grid.width, grid.height);
  const features =
    polygons.length === 0
      ? []
      : [
          {
            type: 'Feature' as const,
            geometry: toMultiPolygon(polygons, grid),
            properties: { threshold, pixel_count: pixelCount, area_km2: areaKm2 },
          },
        ];
  return { collection: { type: 'FeatureCollection', features }, pixelCount, areaKm2 };
}

/** A class map as GeoJSON: one dissolved MultiPolygon per class (and "uncertain"), with areas, in WGS84. */
import type { FeatureCollection, MultiPolygon } from 'geojson';
import type { GridSpec } from '../geo/index.ts';
import {
  type ExportClass,
  NO_CLASS_VALUE,
  UNCERTAIN_NAME,
  UNCERTAIN_VALUE,
} from './classification-geotiff.ts';
import { labelStats } from './geo-area.ts';
import { toMultiPolygon } from './geo-polygons.ts';
import { checkRasterSize } from './raster-checks.ts';
import { vectoriseLabels } from './vectorise.ts';

export interface ClassFeatureProperties {
  class_value: number;
  class: string;
  colour: string;
  area_km2: number;
  pixel_count: number;
}

export function classificationToGeoJson(
  classes: Uint8Array,
  grid: GridSpec,
  classDefs: readonly ExportClass[],
): FeatureCollection<MultiPolygon, ClassFeatureProperties> {
  checkRasterSize('The class map', classes.length, grid);
  const byValue = new Map(classDefs.map((c) => [c.value, c]));
  const stats = labelStats(classes, grid);
  const features = vectoriseLabels(classes, grid.width, grid.height, NO_CLASS_VALUE).map(
    ({ label, polygons }) => {
      const def = byValue.get(label);
      return {
        type: 'Feature' as const,
        geometry: toMultiPolygon(polygons, grid),
        properties: {
          class_value: label,
          class: label === UNCERTAIN_VALUE ? UNCERTAIN_NAME : (def?.name ?? `value ${label}`),
          colour: label === UNCERTAIN_VALUE ? '#a0a0a0' : (def?.colour ?? '#000000'),
          area_km2: (stats.areaM2[label] ?? 0) / 1e6,
          pixel_count: stats.pixels[label] ?? 0,
        },
      };
    },
  );
  return { type: 'FeatureCollection', features };
}

/** A cluster map as GeoJSON: one dissolved MultiPolygon feature per cluster, in WGS84. */
import type { FeatureCollection, MultiPolygon } from 'geojson';
import type { GridSpec } from '../geo/index.ts';
import { CLUSTER_PALETTE, UNLABELLED } from '../render/index.ts';
import { labelStats } from './geo-area.ts';
import { toMultiPolygon } from './geo-polygons.ts';
import { checkClusterLabels, checkRasterSize, clusterNames } from './raster-checks.ts';
import { vectoriseLabels } from './vectorise.ts';

export interface ClusterFeatureProperties {
  cluster: number;
  name: string;
  /** Ground area; see pixelAreaByRow (projected-CRS area on UTM grids). */
  area_km2: number;
  pixel_count: number;
  /** The app's colour for the cluster, '#rrggbb', for styling in GIS tools. */
  colour: string;
}

export interface ClustersVectorExport {
  /** width * height labels 0..k-1; 255 = no cluster. */
  labels: Uint8Array;
  grid: GridSpec;
  k: number;
  names?: readonly string[];
}

function hex(label: number): string {
  const rgb = CLUSTER_PALETTE[label] ?? [0, 0, 0];
  return `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Features in cluster order for every cluster with at least one pixel. Polygons follow pixel
 * edges exactly (4-connected patches, holes included); pixels labelled 255 are left out.
 */
export function clustersToGeoJson(
  input: ClustersVectorExport,
): FeatureCollection<MultiPolygon, ClusterFeatureProperties> {
  const { labels, grid, k } = input;
  checkRasterSize('The cluster map', labels.length, grid);
  checkClusterLabels(labels, k);
  const names = clusterNames(k, input.names);
  const stats = labelStats(labels, grid);
  const features = vectoriseLabels(labels, grid.width, grid.height, UNLABELLED).map(
    ({ label, polygons }) => ({
      type: 'Feature' as const,
      geometry: toMultiPolygon(polygons, grid),
      properties: {
        cluster: label,
        name: names[label] ?? `Cluster ${label + 1}`,
        area_km2: (stats.areaM2[label] ?? 0) / 1e6,
        pixel_count: stats.pixels[label] ?? 0,
        colour: hex(label),
      },
    }),
  );
  return { type: 'FeatureCollection', features };
}

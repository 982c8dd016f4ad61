/** A k-means cluster map as a palette GeoTIFF (COG) that QGIS/GDAL show in the app's colours. */

import { writeCog } from '../cog/index.ts';
import type { GridSpec } from '../geo/index.ts';
import { CLUSTER_PALETTE, UNLABELLED } from '../render/index.ts';
import { categoryAuxXml } from './category-aux-xml.ts';
import { checkClusterLabels, checkRasterSize, clusterNames } from './raster-checks.ts';

export interface ClustersExport {
  /** width * height cluster labels 0..k-1; 255 = no cluster (invalid pixel). */
  labels: Uint8Array;
  grid: GridSpec;
  k: number;
  /** Names of clusters 0..k-1; default "Cluster 1".. */
  names?: readonly string[];
  /** Dataset metadata, e.g. { SCENE_ID, DATETIME, ENCODER }. */
  metadata?: Readonly<Record<string, string>>;
}

/**
 * UInt8 GeoTIFF: the labels, nodata 255, colour table = CLUSTER_PALETTE (entries past k are
 * black), band description "cluster", and per-band metadata CLUSTER_<label>=<name> so the
 * names travel with the file (GDAL keeps category names only in side-car files). Overviews
 * use nearest sampling so they hold real cluster labels.
 */
export function clustersToGeoTiff(input: ClustersExport): Uint8Array {
  const { labels, grid, k } = input;
  checkRasterSize('The cluster map', labels.length, grid);
  checkClusterLabels(labels, k);
  const names = clusterNames(k, input.names);
  const bandMetadata = Object.fromEntries(names.map((name, i) => [`CLUSTER_${i}`, name]));
  return writeCog({
    width: grid.width,
    height: grid.height,
    data: labels,
    grid,
    nodata: UNLABELLED,
    overviewResampling: 'nearest',
    palette: CLUSTER_PALETTE.slice(0, k),
    bandInfo: [{ description: 'cluster', metadata: bandMetadata }],
    metadata: { CLUSTER_COUNT: String(k), ...input.metadata },
  });
}

/**
 * The `<file>.aux.xml` beside a cluster GeoTIFF: GDAL reads its category names
 * (GetCategoryNames(); QGIS shows them in the paletted layer's legend), entry i naming
 * cluster value i, as the app's legend numbers them.
 */
export function clustersAuxXml(k: number, names?: readonly string[]): string {
  return categoryAuxXml(clusterNames(k, names));
}

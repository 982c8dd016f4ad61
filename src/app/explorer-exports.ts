import type { ClusterResult, SimilarityResult } from '../lib/analysis/results.ts';
import type { EmbeddingGrid } from '../lib/embeddings/embedding-grid.ts';
import { downloadFile } from '../lib/export/download.ts';
import type { ExportJob } from '../lib/export/export-job.ts';
import { exportFileName } from '../lib/export/file-names.ts';
import { placesToCsv } from '../lib/export/places-csv.ts';
import { placesToGeoJson } from '../lib/export/places-geojson.ts';
import { composeSnapshot, type SnapshotLegend } from '../lib/export/snapshot-png.ts';
import type { GridSpec } from '../lib/geo/geotransform.ts';
import { CLUSTER_PALETTE } from '../lib/render/cluster-image.ts';

/** Every file the export panel offers. */
export type ExportKind =
  | 'clusters-geotiff'
  | 'clusters-geojson'
  | 'similarity-geotiff'
  | 'threshold-geojson'
  | 'embeddings-geotiff'
  | 'embeddings-int8'
  | 'places-csv'
  | 'places-geojson';

/** What the explorer has on screen when the user asks for a worker-written file. */
export interface ExportContext {
  grid: GridSpec;
  clusters: ClusterResult | undefined;
  clusterNames: readonly string[];
  similarity: SimilarityResult | undefined;
  query: { col: number; row: number } | undefined;
  threshold: number;
  embeddings: EmbeddingGrid | undefined;
  featureNames: readonly string[];
}

export interface PlannedExport {
  job: ExportJob;
  /** Parts of the file name: product, qualifier, extension. */
  name: { product: string; qualifier?: string; extension: string };
}

/** The worker job and file name for an export, or undefined when its input is not computed yet. */
export function planExport(
  kind: Exclude<ExportKind, 'places-csv' | 'places-geojson'>,
  ctx: ExportContext,
): PlannedExport | undefined {
  const { grid, clusters: c, similarity: sim, embeddings: emb } = ctx;
  // Svelte state arrays are proxies: copy them before they cross to a worker.
  const names = [...ctx.clusterNames];
  const k = c?.k ?? 0;
  switch (kind) {
    case 'clusters-geotiff':
    case 'clusters-geojson':
      return c
        ? {
            job: { kind, labels: c.labels, grid, k, names },
            name: {
              product: 'clusters',
              qualifier: `k${k}`,
              extension: kind.endsWith('geotiff') ? 'tif' : 'geojson',
            },
          }
        : undefined;
    case 'similarity-geotiff':
      return sim && ctx.query
        ? {
            job: { kind, scores: sim.scores, grid, query: ctx.query },
            name: { product: 'similarity', extension: 'tif' },
          }
        : undefined;
    case 'threshold-geojson':
      return sim
        ? {
            job: { kind, scores: sim.scores, grid, threshold: ctx.threshold },
            name: {
              product: 'similar-area',
              qualifier: `ge${ctx.threshold.toFixed(3)}`,
              extension: 'geojson',
            },
          }
        : undefined;
    case 'embeddings-geotiff':
    case 'embeddings-int8': {
      if (!emb) return undefined;
      const encoding = kind === 'embeddings-int8' ? 'int8' : 'float32';
      return {
        job: {
          kind: 'embeddings-geotiff',
          data: emb.data,
          valid: emb.valid,
          dim: emb.dim,
          grid,
          encoding,
          names: [...ctx.featureNames],
        },
        name: { product: 'embeddings', qualifier: encoding, extension: 'tif' },
      };
    }
  }
}

/** The legend a map snapshot carries: the top visible analysis layer's. */
export function snapshotLegend(
  legendFor: 'similarity' | 'clusters' | undefined,
  sim: SimilarityResult | undefined,
  threshold: number,
  clusters: ClusterResult | undefined,
  clusterNames: readonly string[],
): SnapshotLegend | undefined {
  if (legendFor === 'similarity' && sim)
    return { kind: 'colour-bar', title: 'Cosine similarity', min: threshold, max: sim.max };
  if (legendFor === 'clusters' && clusters)
    return {
      kind: 'swatches',
      title: 'Clusters',
      items: clusters.counts.map((_, i) => ({
        name: clusterNames[i] ?? `cluster ${i + 1}`,
        colour: CLUSTER_PALETTE[i] ?? [0, 0, 0],
      })),
    };
  return undefined;
}

/** A download name that says what the file is and which scene it came from. */
export function sceneFileName(
  scene: { id: string; datetime: string } | undefined,
  product: string,
  extension: string,
  qualifier?: string,
): string {
  return exportFileName({
    product,
    qualifier,
    sceneId: scene?.id.startsWith('files:') ? 'files' : scene?.id,
    datetime: scene?.datetime || undefined,
    extension,
  });
}

/** The top places as CSV or GeoJSON (small: written here, no worker). */
export function downloadPlaces(
  kind: 'places-csv' | 'places-geojson',
  ranked: readonly { col: number; row: number; score: number }[],
  grid: GridSpec,
  name: (extension: string) => string,
): void {
  const places = ranked.map((p) => ({
    index: p.row * grid.width + p.col,
    col: p.col,
    row: p.row,
    score: p.score,
  }));
  if (kind === 'places-csv') downloadFile(placesToCsv(places, grid), name('csv'), 'text/csv');
  else downloadFile(JSON.stringify(placesToGeoJson(places, grid)), name('geojson'), 'application/geo+json');
}

export interface MapSnapshotSource {
  canvas: HTMLCanvasElement;
  latitude: number;
  zoom: number;
}

/** The map canvas with legend, scale bar and the Copernicus attribution of the scene's year. */
export function snapshotPng(
  map: MapSnapshotSource,
  legend: SnapshotLegend | undefined,
  datetime: string | undefined,
): Promise<Blob> {
  return composeSnapshot({
    map: map.canvas,
    legend,
    view: { latitude: map.latitude, zoom: map.zoom },
    pixelRatio: map.canvas.width / Math.max(1, map.canvas.clientWidth),
    year: Number((datetime || new Date().toISOString()).slice(0, 4)),
  });
}

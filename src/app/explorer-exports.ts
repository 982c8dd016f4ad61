import type { ClusterResult, SimilarityResult } from '../lib/analysis/index.ts';
import type { EmbeddingGrid } from '../lib/embeddings/index.ts';
import type { ExportJob } from '../lib/export/index.ts';
import {
  composeSnapshot,
  downloadFile,
  exportFileName,
  placesToCsv,
  placesToGeoJson,
  type SnapshotLegend,
} from '../lib/export/index.ts';
import type { GridSpec } from '../lib/geo/index.ts';
import {
  CLUSTER_PALETTE,
  defaultClusterName,
  MARKER_COLOURS,
  MARKER_KEY,
  type MarkerKind,
} from '../lib/render/index.ts';
import type { StackedLayerId } from '../lib/state/index.ts';

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
  /** GDAL dataset metadata of the GeoTIFFs: model, resolution, date, source. */
  metadata: Record<string, string>;
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
            job: { kind, labels: c.labels, grid, k, names, metadata: ctx.metadata },
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
            job: { kind, scores: sim.scores, grid, query: ctx.query, metadata: ctx.metadata },
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
          metadata: ctx.metadata,
        },
        name: { product: 'embeddings', qualifier: encoding, extension: 'tif' },
      };
    }
  }
}

/** What a snapshot's legends are made of: the results on screen and how they are shown. */
export interface LegendSources {
  /** Visible result layers, top first (the layer stack's order). */
  visible: readonly StackedLayerId[];
  similarity: SimilarityResult | undefined;
  threshold: number;
  clusters: ClusterResult | undefined;
  clusterNames: readonly string[];
  hiddenClusters: ReadonlySet<number>;
  pca: { explained: readonly number[] } | undefined;
  change: { min: number; max: number; label: string } | undefined;
  changeThreshold: number;
  /** The class map's legend (the classifier's store makes it). */
  classes: SnapshotLegend | undefined;
  /** How many of each marker the map shows (query, top places, few-shot picks); none when absent. */
  markers?: Readonly<Partial<Record<MarkerKind, number>>>;
}

/** How many markers of each kind the map shows for this query and its few-shot picks. */
export function markerCounts(q: {
  query: unknown;
  places: readonly unknown[];
  positives: readonly unknown[];
  negatives: readonly unknown[];
}): Record<MarkerKind, number> {
  const { query, places, positives, negatives } = q;
  return {
    query: query ? 1 : 0,
    result: places.length,
    positive: positives.length,
    negative: negatives.length,
    label: 0,
  };
}

/** The key of the markers on the map, those it shows only, in the panel's words and colours. */
function markerKey(counts: LegendSources['markers']): SnapshotLegend | undefined {
  const items = MARKER_KEY.filter((k) => (counts?.[k.kind] ?? 0) > 0).map((k) => {
    const [r, g, b] = MARKER_COLOURS[k.kind];
    return { name: k.label, colour: [r, g, b] as const };
  });
  return items.length ? { kind: 'swatches', shape: 'dot', title: 'Map markers', items } : undefined;
}

/**
 * The legends a map snapshot carries: the key of the markers (drawn over every layer), then
 * one per visible result layer, in the order the map stacks them (top first), so clusters
 * under a heat map are explained as well as the heat map.
 */
export function snapshotLegends(s: LegendSources): SnapshotLegend[] {
  const legend = (id: StackedLayerId): SnapshotLegend | undefined => {
    switch (id) {
      case 'similarity':
        return (
          s.similarity && {
            kind: 'colour-bar',
            title: 'Cosine similarity',
            min: s.threshold,
            max: s.similarity.max,
          }
        );
      case 'change':
        return (
          s.change && {
            kind: 'colour-bar',
            title: `Change to ${s.change.label} (cosine distance)`,
            min: s.changeThreshold,
            max: s.change.max,
          }
        );
      case 'clusters':
        return (
          s.clusters && {
            kind: 'swatches',
            title: 'Clusters',
            items: s.clusters.counts.flatMap((_, i) =>
              s.hiddenClusters.has(i)
                ? []
                : [
                    {
                      name: s.clusterNames[i] ?? defaultClusterName(i),
                      colour: CLUSTER_PALETTE[i] ?? [0, 0, 0],
                    },
                  ],
            ),
          }
        );
      case 'pca': {
        if (!s.pca) return undefined;
        const pc = (i: number) => `PC${i + 1} (${(100 * (s.pca?.explained[i] ?? 0)).toFixed(0)}%)`;
        return {
          kind: 'swatches',
          title: 'PCA colours',
          items: [
            { name: `red: ${pc(0)}`, colour: [230, 30, 30] },
            { name: `green: ${pc(1)}`, colour: [30, 180, 30] },
            { name: `blue: ${pc(2)}`, colour: [30, 60, 230] },
          ],
        };
      }
      case 'classes':
        return s.classes;
    }
  };
  const key = markerKey(s.markers);
  const layers = s.visible.flatMap((id) => {
    const l = legend(id);
    return l ? [l] : [];
  });
  return key ? [key, ...layers] : layers;
}

/** A download name that says what the file is, from which model and resolution, and which scene. */
export function sceneFileName(
  scene: { id: string; datetime: string } | undefined,
  product: string,
  extension: string,
  qualifier?: string,
  model?: string,
): string {
  return exportFileName({
    product,
    qualifier,
    model,
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
  legends: readonly SnapshotLegend[],
  datetime: string | undefined,
): Promise<Blob> {
  return composeSnapshot({
    map: map.canvas,
    legends,
    view: { latitude: map.latitude, zoom: map.zoom },
    pixelRatio: map.canvas.width / Math.max(1, map.canvas.clientWidth),
    year: Number((datetime || new Date().toISOString()).slice(0, 4)),
  });
}

import type { ClusterResult, SimilarityResult } from '../lib/analysis/index.ts';
import { runExport } from '../lib/clients/index.ts';
import type { EmbeddingGrid } from '../lib/embeddings/index.ts';
import { AppError } from '../lib/errors.ts';
import type { SnapshotLegend } from '../lib/export/index.ts';
import {
  clustersAuxXml,
  downloadFile,
  type ExportProvenance,
  modelTag,
  provenanceMetadata,
} from '../lib/export/index.ts';
import type { GridSpec } from '../lib/geo/index.ts';
import {
  downloadPlaces,
  type ExportKind,
  type MapSnapshotSource,
  planExport,
  sceneFileName,
  snapshotPng,
} from './explorer-exports.ts';
import type { RankedPlace } from './explorer-types.ts';
import type { Job } from './job.svelte.ts';

/** What is on screen when the user asks for a file: the explorer answers it at that moment. */
export interface OnScreen {
  scene: { id: string; datetime: string } | undefined;
  /** The analysis grid, or the scene's before any embeddings. */
  grid: GridSpec | undefined;
  places: readonly RankedPlace[];
  clusters: ClusterResult | undefined;
  clusterNames: readonly string[];
  similarity: SimilarityResult | undefined;
  query: { col: number; row: number } | undefined;
  threshold: number;
  embeddings: EmbeddingGrid | undefined;
  featureNames: readonly string[];
  /** The model, resolution and source behind what is on screen. */
  provenance: ExportProvenance;
}

/**
 * The export job: files of what is on screen, written in the export worker (the heavy ones)
 * and handed to the browser. It has its own Job, so exporting never cancels an encode or a
 * query, and it only reads the explorer's state (through `onScreen`), never changes it.
 */
export class ExportStore {
  constructor(
    readonly job: Job,
    private readonly onScreen: () => OnScreen,
    private readonly say: (notice: string) => void,
  ) {}

  /** Writes one export file (in a worker for the heavy ones) and hands it to the browser. */
  async file(kind: ExportKind): Promise<void> {
    const now = this.onScreen();
    const grid = now.grid;
    if (!grid) return;
    // The file's own grid gives its resolution (the analysis grid; the scene's before embeddings).
    const provenance = { ...now.provenance, grid };
    const name = (product: string, extension: string, qualifier?: string) =>
      sceneFileName(now.scene, product, extension, qualifier, modelTag(provenance));
    if (kind === 'places-csv' || kind === 'places-geojson') {
      downloadPlaces(kind, now.places, grid, (ext) => name('places', ext, 'top10'));
      return;
    }
    await this.job.run('Exporting', async (signal) => {
      const planned = planExport(kind, { ...now, grid, metadata: provenanceMetadata(provenance) });
      if (!planned) throw new AppError('bad-input', 'Nothing to export yet: compute it first.');
      const out = await runExport(planned.job, signal, (done, total) =>
        this.job.report('Exporting', done, total, 'steps'),
      );
      const { product, extension, qualifier } = planned.name;
      const file = name(product, extension, qualifier);
      downloadFile(out.bytes, file, out.mimeType);
      // GDAL and QGIS read cluster names as category names from the side-car only.
      if (planned.job.kind === 'clusters-geotiff')
        downloadFile(clustersAuxXml(planned.job.k, planned.job.names), `${file}.aux.xml`, 'application/xml');
      this.say(`Exported: ${out.summary}.`);
    });
  }

  /** A PNG of the map with the legend of every visible layer, a scale bar and the attribution. */
  async snapshot(map: MapSnapshotSource, legends: readonly SnapshotLegend[]): Promise<void> {
    const now = this.onScreen();
    await this.job.run('Map snapshot', async () => {
      const png = await snapshotPng(map, legends, now.scene?.datetime);
      downloadFile(png, sceneFileName(now.scene, 'map', 'png', undefined, modelTag(now.provenance)));
    });
  }
}

import * as Comlink from 'comlink';
import { createEmbeddingGrid } from '../src/lib/embeddings/index.ts';
import {
  clustersToGeoJson,
  clustersToGeoTiff,
  embeddingsToGeoTiff,
  similarityToGeoTiff,
  thresholdToGeoJson,
} from '../src/lib/export/index.ts';
import { settle } from '../src/lib/worker-result.ts';
import type { ExportJob, ExportOutput, ExportWorkerApi } from './export-api.ts';

const TIFF = 'image/tiff';
const GEOJSON = 'application/geo+json';
const text = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** Vectorising a million-pixel map takes seconds: it happens here, never on the main thread. */
function runJob(job: ExportJob, onProgress?: (done: number, total: number) => void): ExportOutput {
  switch (job.kind) {
    case 'clusters-geotiff':
      return {
        bytes: clustersToGeoTiff(job),
        mimeType: TIFF,
        summary: `${job.k} clusters, uint8 with colour table`,
      };
    case 'clusters-geojson': {
      const collection = clustersToGeoJson(job);
      return {
        bytes: text(collection),
        mimeType: GEOJSON,
        summary: `${collection.features.length} cluster polygons`,
      };
    }
    case 'similarity-geotiff':
      return { bytes: similarityToGeoTiff(job), mimeType: TIFF, summary: 'float32 cosine similarity' };
    case 'threshold-geojson': {
      const result = thresholdToGeoJson(job);
      return {
        bytes: text(result.collection),
        mimeType: GEOJSON,
        summary: `${result.areaKm2.toFixed(2)} km² at or above ${job.threshold.toFixed(3)}`,
      };
    }
    case 'embeddings-geotiff': {
      const embeddings = createEmbeddingGrid(job.grid.width, job.grid.height, job.dim, job.data, job.valid);
      return {
        bytes: embeddingsToGeoTiff({
          embeddings,
          grid: job.grid,
          encoding: job.encoding,
          names: job.names,
          ...(job.metadata ? { metadata: job.metadata } : {}),
          ...(onProgress ? { onProgress } : {}),
        }),
        mimeType: TIFF,
        summary: `${job.dim} bands, ${job.encoding}`,
      };
    }
  }
}

const api: ExportWorkerApi = {
  async run(job, onProgress) {
    // The proxy's calls are messages the main thread reads while this worker goes on writing.
    const report = onProgress && ((done: number, total: number) => void onProgress(done, total));
    const result = await settle(() => runJob(job, report));
    return result.ok ? Comlink.transfer(result, [result.value.bytes.buffer as ArrayBuffer]) : result;
  },
};

Comlink.expose(api);

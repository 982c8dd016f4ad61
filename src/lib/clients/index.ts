/**
 * Main-thread handles on the workers (Comlink), one per worker.
 *
 * The public surface of src/lib/clients/: what other areas, workers, the app, scripts, benchmarks
 * and tests use (derived from their imports). Code outside the area imports from here; the
 * architecture test and `scripts/dev/imports-via-index.ts` keep it so.
 */
export { AnalysisClient } from './analysis-client.ts';
export { ClassifyClient } from './classify-client.ts';
export {
  type CacheLookup,
  type CacheSlot,
  type EncodeRunProgress,
  type EncodeRunRequest,
  EncoderClient,
} from './encoder-client.ts';
export { runExport } from './export-client.ts';
export { PrecomputedClient, type PrecomputedWhere } from './precomputed-client.ts';
export { SceneClient } from './scene-client.ts';

/**
 * Analysis on embeddings: similarity, top-k places, k-means (JS, WASM SIMD, threads; the GPU
 * backend lives in gpu/), PCA colours, change between dates, agreement of two maps, and the
 * result types the analysis worker returns.
 *
 * The public surface of src/lib/analysis/: what other areas, workers, the app, scripts, benchmarks
 * and tests use (derived from their imports). Code outside the area imports from here; the
 * architecture test and `scripts/dev/imports-via-index.ts` keep it so. The k-means steps the GPU
 * backend reuses are the second entry `./kmeans-steps.ts`.
 */
export { type Agreement, similarityAgreement } from './agreement.ts';
export {
  type AnalysisBackend,
  type BackendInfo,
  type BackendPreference,
  chooseAnalysisBackend,
} from './backend.ts';
export { changeMap } from './change.ts';
export { type GeoEmbeddings, pixelAt, readEmbeddingsTiff } from './embeddings-tiff.ts';
export { AnalysisEngine } from './engine.ts';
export { DEFAULT_MAX_ITERATIONS, kmeans } from './kmeans.ts';
export { kmeansParallel } from './kmeans-parallel.ts';
export { MAX_CLUSTERS, MIN_CLUSTERS } from './limits.ts';
export { pcaBasis, projectPixels } from './pca.ts';
export { projectionToRgba } from './pca-rgb.ts';
export { queryVector } from './query.ts';
export { makeRandomGrid } from './random.ts';
export type {
  ChangeResult,
  ClusterResult,
  GridTransfer,
  PcaResult,
  SearchRequest,
  SearchResult,
  SimilarityResult,
  ThresholdInfo,
} from './results.ts';
export { cosineSimilarity, pixelVector, scoreHistogram } from './similarity.ts';
export { countAtOrAbove, thresholdMask } from './threshold.ts';
export { type Place, topKPlaces } from './top-k.ts';
export { steppedLoop } from './wasm/emit.ts';
export { op } from './wasm/ops.ts';
export { buildModule, I32, V128 } from './wasm/wasm-bytes.ts';

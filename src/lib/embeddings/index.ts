/**
 * `EmbeddingGrid`, the type every step after the encoder reads, and the int8 scheme
 * embeddings are stored and exported with.
 *
 * The public surface of src/lib/embeddings/: what other areas, workers, the app, scripts, benchmarks
 * and tests use (derived from their imports). Code outside the area imports from here; the
 * architecture test and `scripts/dev/imports-via-index.ts` keep it so.
 */
export {
  countValid,
  createEmbeddingGrid,
  type EmbeddingGrid,
  normalizeEmbeddings,
} from './embedding-grid.ts';
export {
  type BandScale,
  INT8_LEGACY_SCHEME,
  INT8_NODATA,
  INT8_SCHEME,
  type Int8Scheme,
  int8BandScales,
  int8SchemeOf,
  quantiseInt8,
} from './int8-scheme.ts';

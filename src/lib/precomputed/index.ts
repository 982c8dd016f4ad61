/**
 * Published embedding products read as a source (AlphaEarth, TESSERA, embedding
 * collections; one folder each), their registry and the types every product implements.
 *
 * The public surface of src/lib/precomputed/: what other areas, workers, the app, scripts, benchmarks
 * and tests use (derived from their imports). Code outside the area imports from here; the
 * architecture test and `scripts/dev/imports-via-index.ts` keep it so.
 */
export { clearIndexCache } from './aef/aef-index.ts';
export { AEF_BAND_NAMES, AEF_DIM, AEF_NODATA } from './aef/aef-layout.ts';
export { aefProduct } from './aef/aef-product.ts';
export { collectionProduct } from './collection/index.ts';
export { embeddingsItem } from './collection/item-collection.ts';
export {
  listPackEmbeddings,
  PACK_EMBEDDINGS_REL,
  type PackEmbeddings,
  packEmbeddingsFolder,
  packEmbeddingsLink,
} from './collection/pack-embeddings.ts';
export { families, PRODUCTS, productFor } from './registry.ts';
export { targetGridFor } from './target-grid.ts';
export { tesseraProduct } from './tessera/product.ts';
export { readShardIndex } from './tessera/shard-index.ts';
export type {
  PrecomputedEstimate,
  PrecomputedFamily,
  PrecomputedProduct,
  PrecomputedProgress,
  PrecomputedReadOptions,
  PrecomputedRequest,
  PrecomputedResult,
} from './types.ts';

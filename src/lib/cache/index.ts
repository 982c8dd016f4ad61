/**
 * The browser's stores (IndexedDB): the low byte store `cog/` reads through (`ByteStore`,
 * `SceneCache`) and the high store of embeddings by key, with its budget and eviction.
 *
 * The public surface of src/lib/cache/: what other areas, workers, the app, scripts, benchmarks
 * and tests use (derived from their imports). Code outside the area imports from here; the
 * architecture test and `scripts/dev/imports-via-index.ts` keep it so.
 */
export { BrowserCache } from './browser-cache.ts';
export {
  autoBudget,
  BUDGET_CHOICES,
  type CacheStats,
  DEFAULT_BUDGET,
  type EntryInfo,
  type EntryKind,
  MIN_AUTO_BUDGET,
  planEviction,
  QUOTA_SHARE,
  summarize,
  validBudget,
} from './budget.ts';
export { ByteStore, CACHE_DB } from './byte-store.ts';
export { STORAGE_DEADLINE_MS } from './deadline.ts';
export { type CachedEmbeddings, decodeEmbeddings, encodeEmbeddings } from './embedding-codec.ts';
export { type EmbeddingKeyParts, embeddingKey, inputDigest } from './embedding-key.ts';
export { SceneCache } from './scene-cache.ts';
export type { BudgetSetting, CacheStore, EntryMeta, StoredEntry } from './store.ts';
export { parseTileKey, tileKey, tilePrefix } from './tile-key.ts';

/**
 * The browser's stores (IndexedDB): the low byte store `cog/` reads through (`ByteStore`,
 * `SceneCache`) and the high store of embeddings by key, with its budget and eviction.
 *
 * The public surface of src/lib/cache/: what other areas, workers, the app, scripts, benchmarks
 * and tests use (derived from their imports). Code outside the area imports from here; the
 * architecture test and `scripts/dev/imports-via-index.ts` keep it so.
 */
export { BrowserCache } from './browser-cache.ts';
export { BUDGET_CHOICES, type CacheStats, DEFAULT_BUDGET, MIN_AUTO_BUDGET, QUOTA_SHARE } from './budget.ts';
export { ByteStore, CACHE_DB } from './byte-store.ts';
export type { CachedEmbeddings } from './embedding-codec.ts';
export { SceneCache } from './scene-cache.ts';
export type { BudgetSetting } from './store.ts';

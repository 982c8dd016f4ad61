/**
 * STAC item parsing and validation, Earth Search search, scene summaries and choice.
 *
 * The public surface of src/lib/stac/: what other areas, workers, the app, scripts, benchmarks
 * and tests use (derived from their imports). Code outside the area imports from here; the
 * architecture test and `scripts/dev/imports-via-index.ts` keep it so.
 */
export {
  type BandKey,
  NATIVE_RESOLUTION_M,
  REFLECTANCE_BANDS,
  type ReflectanceBand,
  S2_BAND_NAMES,
} from './bands.ts';
export { parseItemCollection } from './parse-items.ts';
export type { SceneItem } from './scene-item.ts';
export {
  bestPerMonth,
  halfMonthOf,
  type MonthScene,
  type SceneSummary,
  summarizeScenes,
  unionBox,
} from './scene-list.ts';
export { DEFAULT_COLLECTION, EARTH_SEARCH_URL, searchItems } from './search.ts';
export { chooseScene } from './select-item.ts';
export { STAC_IDLE_KEY, stacIdleMs } from './stac-settings.ts';

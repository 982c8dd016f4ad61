/**
 * TESSERA embeddings (Zarr v3, one group per UTM zone) as a precomputed product. The CLI's
 * `fetch-embeddings --product tessera` and the app's registry use `tesseraProduct`; the rest
 * is exported for tests, benchmarks and tools that read the store directly.
 */
export { crc32c } from './crc32c.ts';
export { tesseraGridFor } from './grid.ts';
export { type FetchCounts, TesseraHttpStore } from './http-store.ts';
export {
  openTesseraStore,
  openZone,
  SOUTH_FALSE_NORTHING,
  type TesseraStoreInfo,
  type TesseraZone,
  zoneGroupName,
  zoneYears,
} from './metadata.ts';
export {
  estimateTessera,
  readTessera,
  TESSERA_DEFAULT_BASE_URL,
  TESSERA_DIM,
  TESSERA_YEARS,
  type TesseraReadOptions,
  tesseraBandNames,
  tesseraProduct,
} from './product.ts';
export { MAX_VALID_SCALE } from './read-chunks.ts';
export { checkShardIndex, EMPTY_ENTRY, readShardIndex, shardIndexBytes } from './shard-index.ts';
export { mapToZones, type PixelSources, zoneOfLongitude } from './zone-map.ts';

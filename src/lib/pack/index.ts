/**
 * Offline packs: cutting one from a STAC API, building one from files, the STAC items of
 * their COGs.
 *
 * The public surface of src/lib/pack/: what other areas, workers, the app, scripts, benchmarks
 * and tests use (derived from their imports). Code outside the area imports from here; the
 * architecture test and `scripts/dev/imports-via-index.ts` keep it so.
 */
export { buildPack, CATALOG_FILE, type PackBand, type PackResult, toUint16Dn } from './build-pack.ts';
export { type FetchPackResult, fetchPack } from './fetch-pack.ts';
export { s2BandByKey } from './s2-bands.ts';
export { buildAsset, monthInterval, parseStacItem, s2Asset } from './stac-item.ts';

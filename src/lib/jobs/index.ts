/**
 * Scale-out jobs: UTM tiling, plan.json, shards, tile STAC Items, the embedding collection
 * format and its GeoParquet index.
 *
 * The public surface of src/lib/jobs/: what other areas, workers, the app, scripts, benchmarks
 * and tests use (derived from their imports). Code outside the area imports from here; the
 * architecture test and `scripts/dev/imports-via-index.ts` keep it so.
 */
export { embeddingCollectionProblems } from './collection-format.ts';
export { jobEstimate, modelHalo } from './estimate.ts';
export { cropHalo } from './halo-crop.ts';
export {
  JOB_MODELS,
  type JobModel,
  type JobPlan,
  type JobSource,
  PLAN_FILE,
  PLAN_VERSION,
  parsePlan,
  planText,
  TILES_DIR,
} from './job-plan.ts';
export { tileIndexParquet } from './parquet-index.ts';
export { resolveShard, shardItems } from './shard.ts';
export { itemCollection, type RasterBand, type StacItem, sha256OfMultihash, tileItem } from './tile-item.ts';
export { type JobTile, planTiles, withHalo } from './tiling.ts';

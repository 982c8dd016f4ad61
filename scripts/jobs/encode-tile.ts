import { fromArrayBuffer } from 'geotiff';
import { countValid } from '../../src/lib/embeddings/index.ts';
import { planSeries } from '../../src/lib/encoder/index.ts';
import { AppError } from '../../src/lib/errors.ts';
import { embeddingsToGeoTiff } from '../../src/lib/export/index.ts';
import type { GridSpec } from '../../src/lib/geo/index.ts';
import type { JobPlan, RasterBand } from '../../src/lib/jobs/index.ts';
import { cropHalo, type JobTile, withHalo } from '../../src/lib/jobs/index.ts';
import { downsampleScene, loadItemScene } from '../../src/lib/scene/index.ts';
import type { SceneItem } from '../../src/lib/stac/index.ts';
import { encodeWith } from '../cli/embed.ts';
import { jobModelIdentity } from './job-model.ts';

export interface EncodedTile {
  cog: Uint8Array;
  datetime: string;
  sourceItems: string[];
  bands: RasterBand[];
  validFraction: number;
  pixels: number;
}

function overlaps(a: readonly number[], b: readonly number[]): boolean {
  return a[0]! < b[2]! && b[0]! < a[2]! && a[1]! < b[3]! && b[1]! < a[3]!;
}

/** The tile (with its halo) on the source's native lattice: `factor` pixels a side per job pixel. */
function nativeGrid(tile: JobTile, plan: JobPlan): GridSpec {
  const { factor, haloPx } = plan.settings;
  const grid = withHalo(tile.grid, haloPx);
  const t = grid.transform;
  return {
    ...grid,
    width: grid.width * factor,
    height: grid.height * factor,
    transform: { ...t, resX: t.resX / factor, resY: t.resY / factor },
  };
}

/**
 * How the COG's stored numbers become embeddings, read back from the file just written (its
 * GDAL band metadata), so the Item says what the export wrote whatever its encoding scheme.
 */
async function rasterBands(cog: Uint8Array, dim: number): Promise<RasterBand[]> {
  const image = await (await fromArrayBuffer(cog.slice().buffer)).getImage(0);
  const int8 = image.getSampleFormat() === 2 && image.getBitsPerSample() === 8;
  const nodata = image.getGDALNoData();
  const bands: RasterBand[] = [];
  for (let d = 0; d < dim; d++) {
    const meta = (await image.getGDALMetadata(d)) ?? {};
    bands.push({
      data_type: int8 ? 'int8' : 'float32',
      nodata: nodata === null || Number.isNaN(nodata) ? 'nan' : nodata,
      scale: meta.SCALE === undefined ? 1 : Number(meta.SCALE),
      offset: meta.OFFSET === undefined ? 0 : Number(meta.OFFSET),
    });
  }
  return bands;
}

/**
 * One tile, as `embed` would encode it inside one big scene: the plan's items read onto the
 * tile's grid (plus halo) on their own lattice (copied, not resampled, when the tile is in the
 * items' zone), averaged to the job's resolution, encoded with `embed`'s encoder code after
 * checking the model is the plan's, the halo cropped, written as the project's embeddings COG.
 */
export async function encodeTile(
  plan: JobPlan,
  tile: JobTile,
  items: readonly SceneItem[],
  signal: AbortSignal,
): Promise<EncodedTile> {
  const touching = items.filter((i) => overlaps(i.bboxWgs84, tile.bboxWgs84));
  if (touching.length === 0)
    throw new AppError('bad-input', `Tile ${tile.id} lies outside every source item of the plan.`);
  const loaded = await loadItemScene(touching, plan.source.kind, tile.bboxWgs84, () => undefined, {
    signal,
    grid: nativeGrid(tile, plan),
  });
  const scene = downsampleScene(loaded, plan.settings.factor);
  const identity = jobModelIdentity(plan.model.id, plan.settings.dtype, scene.bands);
  if (identity.sha256 !== plan.model.sha256)
    throw new AppError(
      'model',
      `Tile ${tile.id}: the ${plan.model.id} model here (SHA-256 ${identity.sha256.slice(0, 12)}…, bands ${identity.bands.join(', ')}) is not the plan's (${plan.model.sha256.slice(0, 12)}…). Run the job with the plan's model files.`,
    );
  // One date per tile: the same single-scene plan `embed` makes (month from the scene's date).
  const encoded = await encodeWith(
    plan.model.id,
    plan.settings.dtype,
    planSeries(scene, undefined, 1),
    undefined,
  );
  const embeddings = cropHalo(encoded.embeddings, plan.settings.haloPx);
  const cog = embeddingsToGeoTiff({
    embeddings,
    grid: tile.grid,
    encoding: plan.settings.encoding,
    names: encoded.names,
    metadata: {
      MODEL: plan.model.id,
      MODEL_SHA256: plan.model.sha256,
      SCENE: scene.id,
      TILE: tile.id,
    },
  });
  const pixels = embeddings.valid.length;
  return {
    cog,
    datetime: scene.datetime,
    sourceItems: scene.itemIds ?? touching.map((i) => i.id),
    bands: await rasterBands(cog, encoded.dim),
    validFraction: countValid(embeddings) / pixels,
    pixels,
  };
}

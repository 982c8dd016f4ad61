import { imagePyramid } from '../cog/georef.ts';
import { openTiff } from '../cog/open-tiff.ts';
import { readBandOnGrid } from '../cog/read-band.ts';
import { gridForArea } from '../cog/window.ts';
import { AppError, throwIfAborted } from '../errors.ts';
import { converter, transformBBox } from '../geo/crs.ts';
import type { BBox } from '../geo/geotransform.ts';
import { REFLECTANCE_BANDS, type ReflectanceBand } from '../stac/bands.ts';
import type { SceneItem } from '../stac/scene-item.ts';
import { applyScaleOffset, DEFAULT_SCL_MASK, SCL_CLASSES, validityMask } from './l2a.ts';
import type { Scene, SceneProgress } from './scene.ts';

/** Bands the app reads when the item has them (the encoders' inputs); coastal/nir09 are atmospheric. */
export const SCENE_BANDS: readonly ReflectanceBand[] = REFLECTANCE_BANDS.filter(
  (b) => b !== 'coastal' && b !== 'nir09',
);
const DISPLAY_BANDS: readonly ReflectanceBand[] = ['red', 'green', 'blue'];

/**
 * Reads a STAC item's bands for an area (WGS84) onto the 10 m grid of its red band, applies
 * scale/offset and the SCL mask. Shared by Earth Search results and offline packs.
 */
export async function loadItemScene(
  item: SceneItem,
  source: Scene['source'],
  area: BBox | undefined,
  onProgress: (p: SceneProgress) => void,
  signal?: AbortSignal,
): Promise<Scene> {
  const missing = DISPLAY_BANDS.filter((b) => !item.assets[b]);
  if (missing.length)
    throw new AppError('bad-input', `Scene ${item.id} lacks the band(s) ${missing.join(', ')}.`);
  const bands = SCENE_BANDS.filter((b) => item.assets[b]);
  const total = bands.length + (item.assets.scl ? 1 : 0) + 1;
  let done = 0;
  const step = (message: string) => onProgress({ stage: 'read', done: ++done, total, message });

  const red = item.assets.red!;
  const refTiff = await openTiff({ kind: 'url', url: red.href }, signal);
  const ref = (await imagePyramid(refTiff, red.href))[0]!.georef;
  const areaInCrs = area ? transformBBox(area, 4326, ref.epsg) : undefined;
  const grid = gridForArea(ref, areaInCrs);
  step('Opened the scene');

  const reflectance: Float32Array[] = [];
  for (const band of bands) {
    throwIfAborted(signal, 'Loading the scene');
    const asset = item.assets[band]!;
    const tiff = band === 'red' ? refTiff : await openTiff({ kind: 'url', url: asset.href }, signal);
    const values = await readBandOnGrid(tiff, grid, `band ${band} (${asset.href})`, {
      method: 'bilinear',
      nodata: asset.nodata,
      signal,
    });
    reflectance.push(applyScaleOffset(values, asset.scale, asset.offset));
    step(`Read band ${band}`);
  }
  let scl: Float32Array | undefined;
  if (item.assets.scl) {
    const asset = item.assets.scl;
    const tiff = await openTiff({ kind: 'url', url: asset.href }, signal);
    scl = await readBandOnGrid(tiff, grid, `SCL (${asset.href})`, {
      method: 'nearest',
      nodata: undefined,
      signal,
    });
    step('Read the scene classification');
  }
  const { valid, fraction } = validityMask(reflectance, scl);
  const t = grid.transform;
  const [lon, lat] = converter(
    grid.epsg,
    4326,
  )([t.originX + (grid.width * t.resX) / 2, t.originY - (grid.height * t.resY) / 2]);
  return {
    id: item.id,
    title: `${item.id} (${item.datetime.slice(0, 10)}${item.cloudCover === undefined ? '' : `, ${item.cloudCover.toFixed(1)}% cloud`}) centred on ${lat.toFixed(3)}, ${lon.toFixed(3)}`,
    datetime: item.datetime,
    source,
    grid,
    bands,
    reflectance,
    valid,
    validFraction: fraction,
    maskDescription: scl
      ? `SCL (${DEFAULT_SCL_MASK.map((c) => SCL_CLASSES[c]).join(', ')})`
      : 'nodata only (no SCL band)',
  };
}

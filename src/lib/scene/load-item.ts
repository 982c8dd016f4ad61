import type { GeoTIFF, Pool } from 'geotiff';
import type { RangeStore } from '../cog/index.ts';
import {
  createReadContext,
  type ImageGeoref,
  imagePyramid,
  openTiff,
  type ReadContext,
  readBandOnGrid,
} from '../cog/index.ts';
import { AppError, throwIfAborted } from '../errors.ts';
import type { BBox, GridSpec } from '../geo/index.ts';
import { converter } from '../geo/index.ts';
import type { SceneItem } from '../stac/index.ts';
import { REFLECTANCE_BANDS, type ReflectanceBand } from '../stac/index.ts';
import { applyScaleOffset, DEFAULT_SCL_MASK, SCL_CLASSES, validityMask } from './l2a.ts';
import { DEFAULT_LOAD_RESOLUTION, type LoadResolution, loadLattice } from './load-resolution.ts';
import type { Scene, SceneProgress } from './scene.ts';
import { sceneGrid } from './scene-grid.ts';

/** Bands the app reads when the item has them (the encoders' inputs); coastal/nir09 are atmospheric. */
export const SCENE_BANDS: readonly ReflectanceBand[] = REFLECTANCE_BANDS.filter(
  (b) => b !== 'coastal' && b !== 'nir09',
);
const DISPLAY_BANDS: readonly ReflectanceBand[] = ['red', 'green', 'blue'];

export interface ItemLoadOptions {
  signal?: AbortSignal | undefined;
  /** SCL classes to mask; default DEFAULT_SCL_MASK. */
  sclMask?: readonly number[] | undefined;
  /** Decoder worker pool (geotiff.js Pool) owned by the caller. */
  pool?: Pool | undefined;
  /** Shared read context (counters, limiter); one is made per call otherwise. */
  ctx?: ReadContext | undefined;
  /** The browser's cache of byte ranges, for the context made here. */
  tiles?: RangeStore | undefined;
  /** Pixel size in metres (default 10: the red band's own grid); see loadLattice. */
  resolutionM?: LoadResolution | undefined;
  /** Read onto exactly this grid (a scale-out job's tile) instead of the area's; pixels off the items are NaN. */
  grid?: GridSpec | undefined;
}

/** Bytes of band rasters that may be in flight at once (decoded tiles and their grid copy). */
const IN_FLIGHT_BYTES = 256 * 1024 * 1024;

/**
 * How many bands to read at once: several, so one band's fetch and decode overlap another's
 * resample (the Dolomites pack's 4 bands: 1.7 -> 1.0 s in Chromium, see bench/README.md), but
 * few enough on a large grid that the intermediates stay within IN_FLIGHT_BYTES.
 */
export function bandsAtOnce(pixels: number, bands: number): number {
  // A band in flight holds its decoded window (<= 4 bytes a pixel) and its float32 grid.
  return Math.max(1, Math.min(4, bands, Math.floor(IN_FLIGHT_BYTES / (pixels * 8))));
}

/**
 * Runs `read` over `keys`, at most `limit` at a time, results in the keys' order. The first
 * failure aborts the reads still running (their own aborts are not what the caller sees) and
 * is thrown once every read has settled, so no read outlives the call.
 */
async function readConcurrently<K, T>(
  keys: readonly K[],
  limit: number,
  signal: AbortSignal | undefined,
  read: (key: K, signal: AbortSignal) => Promise<T>,
): Promise<T[]> {
  const controller = new AbortController();
  const forward = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', forward, { once: true });
  if (signal?.aborted) forward();
  const out: T[] = new Array(keys.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (next < keys.length && !failure) {
      const i = next++;
      try {
        out[i] = await read(keys[i]!, controller.signal);
      } catch (error) {
        failure ??= { error };
        controller.abort();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(limit, keys.length) }, lane));
  } finally {
    signal?.removeEventListener('abort', forward);
  }
  if (failure) throw failure.error;
  return out;
}

/** Fills NaN pixels of `into` from `from` (mosaic: the first item wins where it has data). */
function fillGaps(into: Float32Array, from: Float32Array): void {
  for (let i = 0; i < into.length; i++) if (Number.isNaN(into[i]!)) into[i] = from[i]!;
}

/**
 * Reads STAC items' bands for an area (WGS84) onto one grid (the red band's 10 m grid, or a
 * coarser one at `resolutionM`), applies each asset's scale/offset and the SCL mask. Several items (tiles of one overpass, least cloudy first)
 * are mosaicked: each pixel comes from the first item with data there. Shared by Earth
 * Search results and offline packs.
 */
export async function loadItemScene(
  itemOrItems: SceneItem | readonly SceneItem[],
  source: Scene['source'],
  area: BBox | undefined,
  onProgress: (p: SceneProgress) => void,
  options: ItemLoadOptions | AbortSignal = {},
): Promise<Scene> {
  const opts: ItemLoadOptions = options instanceof AbortSignal ? { signal: options } : options;
  const { signal } = opts;
  const items = Array.isArray(itemOrItems) ? [...itemOrItems] : [itemOrItems as SceneItem];
  if (items.length === 0) throw new AppError('bad-input', 'No scene was given.');
  for (const item of items) {
    const missing = DISPLAY_BANDS.filter((b) => !item.assets[b]);
    if (missing.length)
      throw new AppError('bad-input', `Scene ${item.id} lacks the band(s) ${missing.join(', ')}.`);
  }
  const ctx = opts.ctx ?? createReadContext(signal, { tiles: opts.tiles });
  const first = items[0]!;
  const bands = SCENE_BANDS.filter((b) => items.every((item) => item.assets[b]));
  const withScl = items.every((item) => item.assets.scl);
  const total = items.length * (bands.length + (withScl ? 1 : 0)) + 1;
  let done = 0;
  const step = (message: string) => onProgress({ stage: 'read', done: ++done, total, message });

  const refs: { tiff: GeoTIFF; georef: ImageGeoref }[] = [];
  for (const item of items) {
    const red = item.assets.red!;
    const tiff = await openTiff({ kind: 'url', url: red.href }, signal, ctx);
    // The red band's overviews: a coarse load copies the one of its pixel size when there is one.
    const levels = (await imagePyramid(tiff, red.href)).map((l) => l.georef);
    refs.push({ tiff, georef: loadLattice(levels, opts.resolutionM ?? DEFAULT_LOAD_RESOLUTION) });
  }
  const grid =
    opts.grid ??
    sceneGrid(
      refs.map((r) => r.georef),
      area,
    );
  step(items.length > 1 ? `Mosaicking ${items.length} tiles of one overpass` : 'Opened the scene');

  const readMosaic = async (
    band: ReflectanceBand | 'scl',
    bandSignal: AbortSignal,
  ): Promise<Float32Array> => {
    let out: Float32Array | undefined;
    for (const [index, item] of items.entries()) {
      throwIfAborted(bandSignal, 'Loading the scene');
      const asset = item.assets[band]!;
      const tiff =
        band === 'red'
          ? refs[index]!.tiff
          : await openTiff({ kind: 'url', url: asset.href }, bandSignal, ctx);
      const values = await readBandOnGrid(tiff, grid, `band ${band} of ${item.id} (${asset.href})`, {
        method: band === 'scl' ? 'nearest' : 'bilinear',
        nodata: band === 'scl' ? 0 : asset.nodata,
        signal: bandSignal,
        pool: opts.pool,
      });
      if (band !== 'scl') applyScaleOffset(values, asset.scale, asset.offset);
      if (out) fillGaps(out, values);
      else out = values;
      step(band === 'scl' ? 'Read the scene classification' : `Read band ${band}`);
    }
    return out!;
  };

  // SCL 0 is "no data": read as NaN, so a mosaic fills it from the next tile.
  const reads: (ReflectanceBand | 'scl')[] = withScl ? [...bands, 'scl'] : [...bands];
  const read = await readConcurrently(
    reads,
    bandsAtOnce(grid.width * grid.height, reads.length),
    signal,
    readMosaic,
  );
  const reflectance = read.slice(0, bands.length);
  const scl = withScl ? read[bands.length] : undefined;
  const sclMask = opts.sclMask ?? DEFAULT_SCL_MASK;
  const { valid, fraction } = validityMask(reflectance, scl, sclMask);
  const t = grid.transform;
  const [lon, lat] = converter(
    grid.epsg,
    4326,
  )([t.originX + (grid.width * t.resX) / 2, t.originY - (grid.height * t.resY) / 2]);
  const ids = items.map((i) => i.id);
  const clouds = items.map((i) => i.cloudCover).filter((c): c is number => c !== undefined);
  return {
    id: ids.join('+'),
    title: `${ids.join(' + ')} (${first.datetime.slice(0, 10)}${clouds.length ? `, ${Math.max(...clouds).toFixed(1)}% cloud` : ''}) centred on ${lat.toFixed(3)}, ${lon.toFixed(3)}`,
    datetime: first.datetime,
    source,
    grid,
    bands,
    reflectance,
    valid,
    validFraction: fraction,
    maskDescription: scl
      ? `SCL (${sclMask.map((c) => SCL_CLASSES[c] ?? `class ${c}`).join(', ')})`
      : 'nodata only (no SCL band)',
    itemIds: ids,
    sclMask: scl ? [...sclMask] : undefined,
    stats: { ...ctx.stats },
  };
}

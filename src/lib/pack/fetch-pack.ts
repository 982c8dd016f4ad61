/**
 * pack:fetch: search a STAC API, cut the area's window of every band (and SCL) of the chosen
 * scene(s) out of the remote COGs with range requests, and write them as a pack (COGs +
 * catalog.json with relative hrefs). Stored values are copied unchanged (no resampling),
 * at each band's native resolution, with the item's raster:bands (scale, offset, nodata).
 */

import type { CogData } from '../cog/index.ts';
import {
  checkReadable,
  createReadContext,
  gridForArea,
  imagePyramid,
  openTiff,
  type PixelWindow,
  type ReadStats,
  tiffError,
} from '../cog/index.ts';
import { AppError, throwIfAborted } from '../errors.ts';
import type { BBox, GridSpec } from '../geo/index.ts';
import { transformBBox } from '../geo/index.ts';
import type { SceneItem } from '../stac/index.ts';
import { type BandKey, bestPerMonth, chooseScene, REFLECTANCE_BANDS, searchItems } from '../stac/index.ts';
import { buildPack, type PackBand, type PackResult, type WriteFile } from './build-pack.ts';
import { s2BandByKey } from './s2-bands.ts';
import { buildAsset } from './stac-item.ts';
import type { RasterBand } from './stac-types.ts';

export interface FetchPackRequest {
  endpoint: string;
  collection: string;
  bbox: BBox;
  datetime: string;
  maxCloudCover?: number;
  /** The best scene of every month in the range instead of the single best scene. */
  months?: boolean;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export interface FetchPackResult extends PackResult {
  itemIds: string[];
  stats: ReadStats;
}

const BANDS: readonly BandKey[] = [...REFLECTANCE_BANDS, 'scl'];
const REQUIRED = ['red', 'green', 'blue'] as const;

function isCogData(data: unknown): data is CogData {
  return (
    data instanceof Uint8Array ||
    data instanceof Uint16Array ||
    data instanceof Int16Array ||
    data instanceof Float32Array
  );
}

function rawAsset(item: SceneItem, key: string): Record<string, unknown> {
  const assets = (item.raw?.assets ?? {}) as Record<string, Record<string, unknown>>;
  return assets[key] ?? {};
}

export async function fetchPack(request: FetchPackRequest, write: WriteFile): Promise<FetchPackResult> {
  const say = request.onProgress ?? (() => undefined);
  const found = await searchItems({
    endpoint: request.endpoint,
    collection: request.collection,
    bbox: request.bbox,
    datetime: request.datetime,
    ...(request.maxCloudCover === undefined ? {} : { maxCloudCover: request.maxCloudCover }),
    maxItems: 500,
    ...(request.signal ? { signal: request.signal } : {}),
  });
  const chosen = request.months
    ? bestPerMonth(found, request.bbox, REQUIRED).flatMap((m) => m.items)
    : chooseScene(found, REQUIRED, request.bbox);
  if (chosen.length === 0)
    throw new AppError('not-found', 'No scene with the needed bands covers the area in any month.');
  say(`${found.length} item(s) found; cutting ${chosen.map((i) => i.id).join(', ')}`);
  const ctx = createReadContext(request.signal);

  async function* bandsOf(item: SceneItem): AsyncGenerator<PackBand> {
    for (const key of BANDS) {
      const asset = item.assets[key];
      if (!asset) continue;
      throwIfAborted(request.signal, 'pack:fetch');
      const what = `band ${key} of ${item.id} (${asset.href})`;
      const tiff = await openTiff({ kind: 'url', url: asset.href }, request.signal, ctx);
      const full = (await imagePyramid(tiff, what))[0]!;
      const grid: GridSpec = gridForArea(full.georef, transformBBox(request.bbox, 4326, full.georef.epsg));
      const t = full.georef.transform;
      const x0 = Math.round((grid.transform.originX - t.originX) / t.resX);
      const y0 = Math.round((t.originY - grid.transform.originY) / t.resY);
      const window: PixelWindow = [x0, y0, x0 + grid.width, y0 + grid.height];
      try {
        checkReadable(full.image, window, what);
      } catch (error) {
        throw tiffError(error, what, request.signal);
      }
      let data: unknown;
      try {
        data = (
          await full.image.readRasters({ window, samples: [0], interleave: false, signal: request.signal })
        )[0];
      } catch (error) {
        throw tiffError(error, what, request.signal, 'pixels');
      }
      if (!isCogData(data))
        throw new AppError('unsupported', `${what} has a pixel type a pack cannot store.`);
      const real = rawAsset(item, key);
      const realBand = (Array.isArray(real['raster:bands']) ? real['raster:bands'][0] : undefined) as
        | RasterBand
        | undefined;
      const nodata = asset.nodata ?? (key === 'scl' ? 0 : undefined);
      const info = s2BandByKey(key);
      const file = `${item.id}/${info?.band ?? key}.tif`;
      say(`${item.id} ${key}: ${grid.width} x ${grid.height} px`);
      yield {
        key,
        grid,
        data,
        ...(nodata === undefined ? {} : { nodata }),
        overviewResampling: key === 'scl' ? 'nearest' : 'average',
        ...(info ? { description: info.title } : {}),
        asset: buildAsset({
          href: file,
          grid,
          dataType: realBand?.data_type ?? 'uint16',
          ...(nodata === undefined ? {} : { nodata }),
          scale: asset.scale,
          offset: asset.offset,
          ...(typeof real.title === 'string' ? { title: real.title } : info ? { title: info.title } : {}),
          roles: Array.isArray(real.roles)
            ? (real.roles as string[])
            : key === 'scl'
              ? ['data']
              : ['data', 'reflectance'],
          ...(asset.gsd === undefined ? {} : { gsd: asset.gsd }),
          ...(Array.isArray(real['eo:bands'])
            ? { eoBands: real['eo:bands'] }
            : info?.eo
              ? { eoBands: [info.eo] }
              : {}),
          ...(realBand ? { rasterBand: realBand } : {}),
        }),
      };
    }
  }

  const scenes = [];
  for (const item of chosen) {
    const red = item.assets.red!;
    const tiff = await openTiff({ kind: 'url', url: red.href }, request.signal, ctx);
    const georef = (await imagePyramid(tiff, red.href))[0]!.georef;
    const footprint = gridForArea(georef, transformBBox(request.bbox, 4326, georef.epsg));
    const props = (item.raw?.properties ?? {}) as Record<string, unknown>;
    scenes.push({
      item: {
        id: item.id,
        footprint,
        time: { datetime: item.datetime },
        ...(item.platform ? { platform: item.platform } : {}),
        ...(item.cloudCover === undefined ? {} : { cloudCover: item.cloudCover }),
        ...(item.processingBaseline ? { processingBaseline: item.processingBaseline } : {}),
        ...(item.collection ? { collection: item.collection } : {}),
        properties: {
          ...props,
          'pack:source': `${request.endpoint} ${item.collection ?? ''} ${item.id}`.trim(),
          'pack:attribution': 'Contains modified Copernicus Sentinel data',
        },
      },
      bands: bandsOf(item),
    });
  }
  const result = await buildPack(scenes, write);
  return { ...result, itemIds: chosen.map((i) => i.id), stats: { ...ctx.stats } };
}

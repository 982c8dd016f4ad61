/**
 * Assembles a pack from in-memory bands: one COG per band plus catalog.json. Storage is
 * the caller's (Node fs in scripts, OPFS or a download in the browser), through `write`.
 */

import { type CogData, type OverviewResampling, writeCog } from '../cog/index.ts';
import { AppError } from '../errors.ts';
import type { GridSpec } from '../geo/index.ts';
import { buildStacItem, type ItemSpec, itemCollection, relativeHref } from './stac-item.ts';
import type { StacAsset, StacItem, StacItemCollection } from './stac-types.ts';

export const CATALOG_FILE = 'catalog.json';

export interface PackBand {
  /** Asset key in the item, e.g. 'blue'. */
  key: string;
  grid: GridSpec;
  data: CogData;
  nodata?: number;
  overviewResampling: OverviewResampling;
  /** The asset (see s2Asset / buildAsset); its relative href is where the COG is written. */
  asset: StacAsset;
  description?: string;
}

export interface PackScene {
  item: Omit<ItemSpec, 'assets'>;
  /** Bands may be produced lazily so only one band's pixels need be in memory at a time. */
  bands: Iterable<PackBand> | AsyncIterable<PackBand>;
}

export type WriteFile = (path: string, bytes: Uint8Array) => Promise<void> | void;

export interface PackFileInfo {
  path: string;
  bytes: number;
}

export interface PackResult {
  catalog: StacItemCollection;
  files: PackFileInfo[];
  totalBytes: number;
}

/** Writes every band as a COG and then catalog.json; returns the catalog and what was written. */
export async function buildPack(scenes: readonly PackScene[], write: WriteFile): Promise<PackResult> {
  const files: PackFileInfo[] = [];
  const seen = new Set<string>([CATALOG_FILE]);
  const items: StacItem[] = [];
  for (const scene of scenes) {
    const assets: Record<string, StacAsset> = {};
    for await (const band of scene.bands) {
      if (assets[band.key])
        throw new AppError('bad-input', `Duplicate asset key '${band.key}' in ${scene.item.id}.`);
      const path = relativeHref(band.asset.href).slice(2);
      if (seen.has(path)) throw new AppError('bad-input', `Two pack files would be written to '${path}'.`);
      seen.add(path);
      const bytes = writeCog({
        width: band.grid.width,
        height: band.grid.height,
        data: band.data,
        grid: band.grid,
        overviewResampling: band.overviewResampling,
        ...(band.nodata === undefined ? {} : { nodata: band.nodata }),
        ...(band.description ? { description: band.description } : {}),
      });
      await write(path, bytes);
      files.push({ path, bytes: bytes.length });
      assets[band.key] = { ...band.asset, href: `./${path}` };
    }
    items.push(buildStacItem({ ...scene.item, assets }));
  }
  const catalog = itemCollection(items);
  const json = new TextEncoder().encode(`${JSON.stringify(catalog, null, 2)}\n`);
  await write(CATALOG_FILE, json);
  files.push({ path: CATALOG_FILE, bytes: json.length });
  return { catalog, files, totalBytes: files.reduce((sum, f) => sum + f.bytes, 0) };
}

/**
 * Float digital numbers (as some tools export L2A bands) to the UInt16 DN Sentinel-2 products
 * store: rounded, clamped to 1..65535 so a real pixel never turns into the 0 nodata value;
 * NaN, infinities and `sourceNodata` become 0.
 */
export function toUint16Dn(source: ArrayLike<number>, sourceNodata?: number | null): Uint16Array {
  const out = new Uint16Array(source.length);
  // Compare at the source's float32 precision: GDAL_NODATA '-3.4e+38' is not exactly a float32.
  const nodata = sourceNodata === undefined || sourceNodata === null ? undefined : Math.fround(sourceNodata);
  for (let i = 0; i < source.length; i++) {
    const v = source[i] ?? Number.NaN;
    if (!Number.isFinite(v) || v === nodata || Math.fround(v) === nodata) continue;
    out[i] = Math.min(65535, Math.max(1, Math.round(v)));
  }
  return out;
}

/** Builders for the STAC 1.0 Items and ItemCollection a pack's catalog.json holds. */
import { AppError } from '../errors.ts';
import { type GridSpec, gridBounds, gridCornersWgs84, transformBBox } from '../geo/index.ts';
import { s2BandByKey } from './s2-bands.ts';
import type { EoBand, RasterBand, StacAsset, StacItem, StacItemCollection, StacLink } from './stac-types.ts';

export const STAC_VERSION = '1.0.0';
export const COG_MEDIA_TYPE = 'image/tiff; application=geotiff; profile=cloud-optimized';
export const STAC_EXTENSIONS = {
  eo: 'https://stac-extensions.github.io/eo/v1.1.0/schema.json',
  proj: 'https://stac-extensions.github.io/projection/v1.1.0/schema.json',
  raster: 'https://stac-extensions.github.io/raster/v1.1.0/schema.json',
} as const;

/** A path relative to catalog.json, as './B02.tif'; refuses absolute, parent or odd paths. */
export function relativeHref(path: string): string {
  const clean = path.startsWith('./') ? path.slice(2) : path;
  const ok = clean.split('/').every((part) => /^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(part));
  if (!ok) throw new AppError('bad-input', `Pack asset path '${path}' must be a plain relative path.`);
  return `./${clean}`;
}

/** proj:transform of a north-up grid: [resX, 0, originX, 0, -resY, originY]. */
export function projTransform(grid: GridSpec): number[] {
  const t = grid.transform;
  return [t.resX, 0, t.originX, 0, -t.resY, t.originY];
}

export interface AssetSpec {
  /** Path relative to catalog.json, e.g. 'B02.tif' or './B02.tif'. */
  href: string;
  grid: GridSpec;
  /** raster:bands data_type, e.g. 'uint16'. */
  dataType: string;
  nodata?: number;
  scale?: number;
  offset?: number;
  title?: string;
  roles?: string[];
  gsd?: number;
  eoBands?: EoBand[];
  /** Extra raster:bands fields (bits_per_sample, unit...), overridden by the ones above. */
  rasterBand?: RasterBand;
}

export function buildAsset(spec: AssetSpec): StacAsset {
  const band: RasterBand = { ...spec.rasterBand, data_type: spec.dataType };
  if (spec.nodata !== undefined) band.nodata = Number.isNaN(spec.nodata) ? 'nan' : spec.nodata;
  band.spatial_resolution = spec.grid.transform.resX;
  if (spec.scale !== undefined) band.scale = spec.scale;
  if (spec.offset !== undefined) band.offset = spec.offset;
  const asset: StacAsset = { href: relativeHref(spec.href), type: COG_MEDIA_TYPE };
  if (spec.title) asset.title = spec.title;
  asset.roles = spec.roles ?? ['data'];
  if (spec.gsd !== undefined) asset.gsd = spec.gsd;
  if (spec.eoBands) asset['eo:bands'] = spec.eoBands;
  asset['proj:shape'] = [spec.grid.height, spec.grid.width];
  asset['proj:transform'] = projTransform(spec.grid);
  asset['raster:bands'] = [band];
  return asset;
}

/**
 * A Sentinel-2 asset under its Earth Search key: title, roles and eo:bands come from the band
 * table; scl gets roles ['data'] (it is a class map, not a reflectance).
 */
export function s2Asset(key: string, spec: Omit<AssetSpec, 'title' | 'roles' | 'eoBands'>): StacAsset {
  const info = s2BandByKey(key);
  if (!info) throw new AppError('bad-input', `'${key}' is not a Sentinel-2 L2A asset key.`);
  return buildAsset({
    ...spec,
    title: info.title,
    roles: info.reflectance ? ['data', 'reflectance'] : ['data'],
    ...(info.eo ? { eoBands: [info.eo] } : {}),
  });
}

export type ItemTime = { datetime: string } | { start: string; end: string };

/** The whole of one calendar month (UTC), for scenes whose exact day is unknown. */
export function monthInterval(year: number, month: number): { start: string; end: string } {
  if (!Number.isInteger(year) || !Number.isInteger(month) || month < 1 || month > 12) {
    throw new AppError('bad-input', `Invalid month ${year}-${month}.`);
  }
  const start = new Date(Date.UTC(year, month - 1, 1));
  const end = new Date(Date.UTC(year, month, 1) - 1000);
  const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');
  return { start: iso(start), end: iso(end) };
}

export interface ItemSpec {
  id: string;
  /** Grid whose outline is the item's footprint (usually the finest band's grid). */
  footprint: GridSpec;
  time: ItemTime;
  platform?: string;
  constellation?: string;
  cloudCover?: number;
  processingBaseline?: string;
  /** Passed-through properties; the explicit fields above take precedence. */
  properties?: Record<string, unknown>;
  assets: Record<string, StacAsset>;
  collection?: string;
  extraExtensions?: string[];
  links?: StacLink[];
}

function checkTime(value: string, what: string): number {
  const ms = Date.parse(value);
  if (!/^\d{4}-\d\d-\d\dT/.test(value) || Number.isNaN(ms)) {
    throw new AppError('bad-input', `${what} '${value}' is not an RFC 3339 date-time.`);
  }
  return ms;
}

export function buildStacItem(spec: ItemSpec): StacItem {
  if (!/^[A-Za-z0-9._-]+$/.test(spec.id)) {
    throw new AppError('bad-input', `Item id '${spec.id}' must use only letters, digits, '.', '_' and '-'.`);
  }
  const properties: StacItem['properties'] = { datetime: null, ...spec.properties };
  if ('datetime' in spec.time) {
    checkTime(spec.time.datetime, 'datetime');
    properties.datetime = spec.time.datetime;
  } else {
    properties.datetime = null;
    if (checkTime(spec.time.start, 'start_datetime') > checkTime(spec.time.end, 'end_datetime')) {
      throw new AppError('bad-input', 'start_datetime is after end_datetime.');
    }
    properties.start_datetime = spec.time.start;
    properties.end_datetime = spec.time.end;
  }
  if (spec.platform) properties.platform = spec.platform;
  if (spec.constellation) properties.constellation = spec.constellation;
  if (spec.cloudCover !== undefined) properties['eo:cloud_cover'] = spec.cloudCover;
  properties['proj:epsg'] = spec.footprint.epsg;
  if (spec.processingBaseline) properties['s2:processing_baseline'] = spec.processingBaseline;

  // GeoJSON (RFC 7946) wants exterior rings counter-clockwise: TL, BL, BR, TR, TL.
  const [tl, tr, br, bl] = gridCornersWgs84(spec.footprint);
  const ring = [tl, bl, br, tr, tl].map(([lon, lat]) => [lon, lat]);
  // The bbox comes from densified edges: straight UTM edges are curves in WGS84.
  const bbox = transformBBox(gridBounds(spec.footprint), spec.footprint.epsg, 4326);

  const extensions = new Set([...Object.values(STAC_EXTENSIONS), ...(spec.extraExtensions ?? [])]);
  const item: StacItem = {
    type: 'Feature',
    stac_version: STAC_VERSION,
    stac_extensions: [...extensions],
    id: spec.id,
    geometry: { type: 'Polygon', coordinates: [ring] },
    bbox,
    properties,
    links: spec.links ?? [],
    assets: spec.assets,
  };
  if (spec.collection) item.collection = spec.collection;
  return item;
}

export function itemCollection(items: StacItem[]): StacItemCollection {
  return { type: 'FeatureCollection', features: items, links: [] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAsset(value: unknown): boolean {
  return isRecord(value) && typeof value.href === 'string';
}

/** Runtime check of parsed JSON (e.g. an Earth Search item) before it is used as a StacItem. */
export function isStacItem(value: unknown): value is StacItem {
  if (!isRecord(value) || value.type !== 'Feature' || typeof value.id !== 'string') return false;
  const { properties, assets, links, geometry } = value;
  if (!isRecord(properties) || !(typeof properties.datetime === 'string' || properties.datetime === null)) {
    return false;
  }
  if (!isRecord(assets) || !Object.values(assets).every(isAsset)) return false;
  if (!Array.isArray(links) || !(geometry === null || isRecord(geometry))) return false;
  return typeof value.stac_version === 'string';
}

export function parseStacItem(value: unknown, what = 'STAC item'): StacItem {
  if (!isStacItem(value)) throw new AppError('bad-input', `${what} is not a valid STAC Item.`);
  return value;
}

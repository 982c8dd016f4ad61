import type { z } from 'zod';
import { AppError } from '../errors.ts';
import type { BBox } from '../geo/index.ts';
import { type BandKey, isBandKey } from './bands.ts';
import { itemCollectionSchema, itemSchema, type RawItem, type RawItemCollection } from './item-schema.ts';
import type { BandAsset, SceneItem } from './scene-item.ts';

/** "features[0].assets.red.href: expected string" — the first problem, named by its path. */
function describeIssue(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0];
  if (!issue) return `${prefix}: invalid`;
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return `${prefix}${path}: ${issue.message}`;
}

function epsgFrom(code: string | null | undefined, epsg: number | null | undefined): number | undefined {
  if (typeof epsg === 'number') return epsg;
  const match = code ? /^EPSG:(\d+)$/i.exec(code) : null;
  return match?.[1] ? Number(match[1]) : undefined;
}

function toSceneItem(raw: RawItem, baseUrl: string): SceneItem {
  const p = raw.properties;
  const datetime = p.datetime ?? p.start_datetime;
  if (!datetime)
    throw new AppError(
      'bad-input',
      `STAC item ${raw.id}: properties.datetime and start_datetime are both missing`,
    );
  const assets: Partial<Record<BandKey, BandAsset>> = {};
  let assetEpsg: number | undefined;
  for (const [key, asset] of Object.entries(raw.assets)) {
    if (!isBandKey(key)) continue;
    const band = asset['raster:bands']?.[0];
    const nodata = band?.nodata === undefined ? undefined : Number(band.nodata);
    assets[key] = {
      key,
      href: new URL(asset.href, baseUrl).href,
      scale: band?.scale ?? (key === 'scl' ? 1 : 0.0001),
      offset: band?.offset ?? 0,
      nodata: Number.isFinite(nodata) ? nodata : undefined,
      gsd: asset.gsd,
    };
    assetEpsg ??= epsgFrom(asset['proj:code'], asset['proj:epsg']);
  }
  const [w, s, e, n] = raw.bbox.length >= 6 ? [raw.bbox[0], raw.bbox[1], raw.bbox[3], raw.bbox[4]] : raw.bbox;
  return {
    id: raw.id,
    collection: raw.collection,
    datetime,
    cloudCover: p['eo:cloud_cover'],
    epsg: epsgFrom(p['proj:code'], p['proj:epsg']) ?? assetEpsg,
    bboxWgs84: [w, s, e, n] as BBox,
    processingBaseline: p['s2:processing_baseline'],
    platform: p.platform,
    thumbnail:
      typeof raw.assets.thumbnail?.href === 'string'
        ? new URL(raw.assets.thumbnail.href, baseUrl).href
        : undefined,
    footprint: footprintRings(raw.geometry),
    tile: typeof p['s2:mgrs_tile'] === 'string' ? p['s2:mgrs_tile'] : mgrsFromGridCode(p['grid:code']),
    assets,
    raw,
  };
}

/** Exterior rings of a GeoJSON Polygon / MultiPolygon ([lon, lat] pairs); undefined otherwise. */
function footprintRings(geometry: RawItem['geometry']): [number, number][][] | undefined {
  if (!geometry) return undefined;
  const polygons =
    geometry.type === 'Polygon'
      ? [geometry.coordinates]
      : geometry.type === 'MultiPolygon'
        ? geometry.coordinates
        : [];
  const rings: [number, number][][] = [];
  for (const polygon of polygons) {
    const ring = Array.isArray(polygon) ? polygon[0] : undefined;
    if (!Array.isArray(ring)) continue;
    const points = ring.filter(
      (p): p is [number, number] => Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'number',
    );
    if (points.length >= 3) rings.push(points.map((p) => [p[0], p[1]]));
  }
  return rings.length ? rings : undefined;
}

/** "MGRS-32TQS" (Earth Search grid:code) -> "32TQS". */
function mgrsFromGridCode(code: unknown): string | undefined {
  return typeof code === 'string' && code.startsWith('MGRS-') ? code.slice(5) : undefined;
}

export type NextLink = NonNullable<RawItemCollection['links']>[number];

export interface ParsedPage {
  items: SceneItem[];
  /** The `next` link of a paged search response, if any. */
  next: NextLink | undefined;
}

/**
 * Validates a STAC ItemCollection (an Earth Search /search page or a pack's catalog.json)
 * and returns its items with asset hrefs resolved against `baseUrl`.
 * `what` names the source in error messages ("Earth Search response", "pack catalog").
 */
export function parseItemCollection(json: unknown, baseUrl: string, what: string): ParsedPage {
  const collection = itemCollectionSchema.safeParse(json);
  if (!collection.success)
    throw new AppError(
      'bad-input',
      `${what} is not a STAC ItemCollection: ${describeIssue(collection.error, '')}`,
    );
  const items = collection.data.features.map((feature, index) => {
    const item = itemSchema.safeParse(feature);
    if (!item.success)
      throw new AppError('bad-input', `${what}: ${describeIssue(item.error, `features[${index}]`)}`);
    return toSceneItem(item.data, baseUrl);
  });
  return { items, next: collection.data.links?.find((l) => l.rel === 'next') };
}

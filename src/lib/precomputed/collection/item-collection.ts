import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { type GridSpec, gridBounds, isSupportedEpsg, transformBBox } from '../../geo/index.ts';

/**
 * The embedding collection format (written by the CLI's `collect`, read here): a STAC
 * ItemCollection whose items each point at one embeddings COG (`assets.embeddings`) and say
 * where it lies (`proj:code`, `proj:shape`, `proj:transform`), which model made it and its
 * dimension. The app's own embeddings export is the single-file case (see embeddings-cog.ts).
 */
export interface CollectionItem {
  id: string;
  /** Absolute URL of the item's embeddings COG (relative hrefs resolved against the collection). */
  href: string;
  /** The item's pixel grid (from proj:*), used to pick the items an area touches before any read. */
  grid: GridSpec;
  /** [west, south, east, north] in WGS84. */
  bbox: [number, number, number, number];
  datetime: string | undefined;
  model: string | undefined;
  dim: number | undefined;
  dataType: string | undefined;
}

const rasterBand = z.looseObject({
  data_type: z.string().optional(),
  nodata: z.union([z.number(), z.string()]).nullable().optional(),
  scale: z.number().optional(),
  offset: z.number().optional(),
});

const itemSchema = z.looseObject({
  id: z.string().min(1),
  bbox: z.array(z.number()).min(4),
  properties: z.looseObject({
    datetime: z.string().nullable().optional(),
    start_datetime: z.string().optional(),
    'proj:code': z.string().optional(),
    'proj:epsg': z.number().int().optional(),
    'proj:shape': z.array(z.number().int().positive()).length(2),
    'proj:transform': z.array(z.number()).min(6),
    'embeddings:model': z.string().optional(),
    'embeddings:dim': z.number().int().positive().optional(),
  }),
  assets: z.looseObject({
    embeddings: z.looseObject({
      href: z.string().min(1),
      'raster:bands': z.array(rasterBand).optional(),
    }),
  }),
});

const collectionSchema = z.looseObject({
  type: z.literal('FeatureCollection'),
  features: z.array(z.unknown()),
});

function epsgOf(props: z.infer<typeof itemSchema>['properties'], id: string): number {
  const code = props['proj:code'];
  const epsg = code ? Number(/^EPSG:(\d+)$/i.exec(code)?.[1]) : props['proj:epsg'];
  if (epsg === undefined || !Number.isInteger(epsg) || !isSupportedEpsg(epsg))
    throw new AppError(
      'unsupported',
      `Item "${id}" of the collection has no usable CRS (proj:code ${code ?? 'missing'}); the app reads UTM, EPSG:4326 and EPSG:3857.`,
    );
  return epsg;
}

/** The first issue zod found, as "features[2].properties.proj:shape: …" for the message. */
function firstIssue(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0];
  if (!issue) return prefix;
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return `${prefix}${path}: ${issue.message}`;
}

function parseItem(raw: unknown, index: number, base: string): CollectionItem {
  const parsed = itemSchema.safeParse(raw);
  if (!parsed.success)
    throw new AppError(
      'bad-input',
      `The embedding collection's item ${index + 1} is not an embeddings item (${firstIssue(parsed.error, `features[${index}]`)}).`,
    );
  const { id, bbox, properties: p, assets } = parsed.data;
  const [rows, cols] = p['proj:shape'] as [number, number];
  const [resX, , originX, , negResY, originY] = p['proj:transform'] as number[];
  if (!(resX! > 0) || !(negResY! < 0) || !Number.isFinite(originX) || !Number.isFinite(originY))
    throw new AppError(
      'unsupported',
      `Item "${id}" has a proj:transform that is not north-up ([resX, 0, originX, 0, -resY, originY]).`,
    );
  const band = assets.embeddings['raster:bands']?.[0];
  let href: string;
  try {
    href = new URL(assets.embeddings.href, base).href;
  } catch {
    throw new AppError(
      'bad-input',
      `Item "${id}" names its embeddings file as "${assets.embeddings.href}", which is no URL.`,
    );
  }
  return {
    id,
    href,
    grid: {
      width: cols,
      height: rows,
      epsg: epsgOf(p, id),
      transform: { originX: originX!, originY: originY!, resX: resX!, resY: -negResY! },
    },
    bbox: [bbox[0]!, bbox[1]!, bbox[2]!, bbox[3]!],
    datetime: p.datetime ?? p.start_datetime,
    model: p['embeddings:model'],
    dim: p['embeddings:dim'] ?? assets.embeddings['raster:bands']?.length,
    dataType: band?.data_type,
  };
}

/**
 * Parses an embedding collection fetched from `url`: every item checked, hrefs made absolute.
 * Refuses an empty collection and items that disagree on model or dimension (their vectors
 * would not be comparable), naming the items.
 */
export function parseItemCollection(json: unknown, url: string): CollectionItem[] {
  const parsed = collectionSchema.safeParse(json);
  if (!parsed.success)
    throw new AppError(
      'bad-input',
      `${url} is not an embedding collection: expected a STAC ItemCollection ({"type": "FeatureCollection", "features": [...]}) or an embeddings GeoTIFF.`,
    );
  const items = parsed.data.features.map((raw, i) => parseItem(raw, i, url));
  if (items.length === 0)
    throw new AppError('bad-input', `The embedding collection ${url} is empty: it lists no items.`);
  const first = items[0]!;
  for (const item of items.slice(1)) {
    if (item.dim !== undefined && first.dim !== undefined && item.dim !== first.dim)
      throw new AppError(
        'bad-input',
        `The collection mixes embeddings of different sizes: "${first.id}" has ${first.dim} dimensions, "${item.id}" ${item.dim}. One collection holds one model's embeddings.`,
      );
    if (item.model !== undefined && first.model !== undefined && item.model !== first.model)
      throw new AppError(
        'bad-input',
        `The collection mixes models: "${first.id}" is ${first.model}, "${item.id}" is ${item.model}; their embeddings cannot be compared.`,
      );
  }
  return items;
}

/** What an item of the collection format says about one embeddings COG. */
export interface ItemDescription {
  id: string;
  href: string;
  grid: GridSpec;
  model: string;
  dim: number;
  datetime: string;
  dataType: 'float32' | 'int8';
  /** The int8 scale/offset (one per band); float32 has none. */
  scale?: number;
}

/**
 * A STAC Item of the embedding collection format for one COG (what `collect` writes and this
 * family reads); its WGS84 bbox is the grid's extent transformed densely.
 */
export function embeddingsItem(d: ItemDescription): Record<string, unknown> {
  const [w, s, e, n] = transformBBox(gridBounds(d.grid), d.grid.epsg, 4326);
  const t = d.grid.transform;
  const band =
    d.dataType === 'int8'
      ? { data_type: 'int8', nodata: -128, scale: d.scale ?? 1 / 127, offset: 0 }
      : { data_type: 'float32', nodata: 'nan' };
  return {
    type: 'Feature',
    stac_version: '1.1.0',
    id: d.id,
    bbox: [w, s, e, n],
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [w, s],
          [e, s],
          [e, n],
          [w, n],
          [w, s],
        ],
      ],
    },
    properties: {
      datetime: d.datetime,
      'proj:code': `EPSG:${d.grid.epsg}`,
      'proj:shape': [d.grid.height, d.grid.width],
      'proj:transform': [t.resX, 0, t.originX, 0, -t.resY, t.originY],
      'embeddings:model': d.model,
      'embeddings:dim': d.dim,
    },
    assets: {
      embeddings: {
        href: d.href,
        type: 'image/tiff; application=geotiff; profile=cloud-optimized',
        roles: ['data'],
        'raster:bands': Array.from({ length: d.dim }, () => band),
      },
    },
    links: [],
  };
}

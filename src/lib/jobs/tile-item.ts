import type { GridSpec } from '../geo/index.ts';
import { gridCornersWgs84 } from '../geo/index.ts';
import type { JobPlan } from './job-plan.ts';
import type { JobTile } from './tiling.ts';

/**
 * The STAC Item of one tile, in the embedding-collection format the app's `collection`
 * family reads (README "Scale-out"): projection fields of the tile's grid, the model, and one
 * `embeddings` asset whose `raster:bands` say how stored numbers become embeddings. It also
 * records what made the pixels (model SHA-256, settings, source items) and the COG's SHA-256
 * (file extension multihash), which `run` and `collect` check.
 */
export const COG_MEDIA_TYPE = 'image/tiff; application=geotiff; profile=cloud-optimized';

const EXTENSIONS = [
  'https://stac-extensions.github.io/projection/v2.0.0/schema.json',
  'https://stac-extensions.github.io/raster/v1.1.0/schema.json',
  'https://stac-extensions.github.io/file/v2.1.0/schema.json',
];

/** How stored values become embeddings, per band: x = stored * scale + offset; nodata marks none. */
export interface RasterBand {
  data_type: 'float32' | 'int8';
  nodata: number | 'nan';
  scale: number;
  offset: number;
}

export interface TileOutput {
  tile: JobTile;
  /** The COG's href as seen from the Item's file (./<id>.tif). */
  href: string;
  sha256: string;
  bytes: number;
  /** Acquisition date-time of the scene the tile was encoded from. */
  datetime: string;
  /** Source item ids read for this tile. */
  sourceItems: string[];
  bands: RasterBand[];
  validFraction: number;
}

export type StacItem = {
  type: 'Feature';
  stac_version: string;
  stac_extensions: string[];
  id: string;
  bbox: number[];
  geometry: { type: 'Polygon'; coordinates: number[][][] };
  properties: Record<string, unknown>;
  links: { rel: string; href: string }[];
  assets: Record<string, Record<string, unknown>>;
};

/** `[resX, 0, originX, 0, -resY, originY]`: STAC's proj:transform of a north-up grid. */
export function projTransform(grid: GridSpec): number[] {
  const t = grid.transform;
  return [t.resX, 0, t.originX, 0, -t.resY, t.originY];
}

/** The multihash of a SHA-256 digest (file:checksum): 0x12 (sha2-256), 0x20 (32 bytes), digest. */
export function multihashSha256(hex: string): string {
  return `1220${hex}`;
}

/** The SHA-256 hex of a file:checksum multihash, or undefined when it is not one. */
export function sha256OfMultihash(value: unknown): string | undefined {
  return typeof value === 'string' && /^1220[0-9a-f]{64}$/.test(value) ? value.slice(4) : undefined;
}

export function tileItem(plan: JobPlan, planSha256: string, out: TileOutput): StacItem {
  const { tile } = out;
  const ring = gridCornersWgs84(tile.grid).map(([lon, lat]) => [lon, lat]);
  return {
    type: 'Feature',
    stac_version: '1.0.0',
    stac_extensions: EXTENSIONS,
    id: tile.id,
    bbox: [...tile.bboxWgs84],
    // Counter-clockwise exterior ring (GeoJSON): top-left, bottom-left, bottom-right, top-right.
    geometry: { type: 'Polygon', coordinates: [[ring[0]!, ring[3]!, ring[2]!, ring[1]!, ring[0]!]] },
    properties: {
      datetime: out.datetime,
      'proj:code': `EPSG:${tile.epsg}`,
      'proj:shape': [tile.grid.height, tile.grid.width],
      'proj:transform': projTransform(tile.grid),
      'embeddings:model': plan.model.id,
      'embeddings:dim': plan.model.dim,
      'embeddings:model_sha256': plan.model.sha256,
      'embeddings:bands': plan.model.bands,
      'embeddings:valid_fraction': out.validFraction,
      'job:settings': plan.settings,
      'job:source': plan.source.kind === 'stac' ? plan.source.endpoint : 'pack',
      'job:source_items': out.sourceItems,
      'job:plan_sha256': planSha256,
    },
    links: [],
    assets: {
      embeddings: {
        href: out.href,
        type: COG_MEDIA_TYPE,
        roles: ['data'],
        'file:checksum': multihashSha256(out.sha256),
        'file:size': out.bytes,
        'raster:bands': out.bands,
      },
    },
  };
}

/** An ItemCollection of tile Items, their asset hrefs rewritten relative to the collection file. */
export function itemCollection(
  items: readonly StacItem[],
  hrefFromCollection: (item: StacItem) => string,
): { type: 'FeatureCollection'; features: StacItem[] } {
  return {
    type: 'FeatureCollection',
    features: items.map((item) => ({
      ...item,
      assets: {
        ...item.assets,
        embeddings: { ...item.assets.embeddings, href: hrefFromCollection(item) },
      },
    })),
  };
}

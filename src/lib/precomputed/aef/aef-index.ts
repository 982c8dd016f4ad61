import { type FileMetaData, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { AppError } from '../../errors.ts';
import type { BBox } from '../../geo/index.ts';
import { AEF_INDEX_FILE, epsgOf, fileUrl } from './aef-layout.ts';
import { type FetchCount, RangeBuffer, TAIL_BYTES } from './range-buffer.ts';

/** One COG of the product as the index lists it. */
export interface AefTile {
  url: string;
  /** "{zone}/{name}.tiff", for messages. */
  name: string;
  year: number;
  epsg: number;
  /** Extent in WGS84 degrees [west, south, east, north]. */
  wgs84: BBox;
  /** Extent in its UTM zone [west, south, east, north] (metres), when the index gives it. */
  utm?: BBox;
}

export interface IndexReadOptions {
  signal?: AbortSignal | undefined;
  fetch?: typeof globalThis.fetch | undefined;
  count: FetchCount;
}

/** The columns read; `fid` and `geometry` (WKB, the widest) are never fetched. */
const COLUMNS = [
  'path',
  'year',
  'crs',
  'utm_zone',
  'wgs84_west',
  'wgs84_south',
  'wgs84_east',
  'wgs84_north',
  'utm_west',
  'utm_south',
  'utm_east',
  'utm_north',
];

interface IndexMeta {
  size: number;
  metadata: FileMetaData;
}

/** Per base URL for the session: the index's size and footer metadata, and row groups read. */
const metaCache = new Map<string, Promise<IndexMeta>>();
const rowGroupCache = new Map<string, Promise<Record<string, unknown>[]>>();

/** Forget everything cached (tests; a user changing a mirror's files mid-session). */
export function clearIndexCache(): void {
  metaCache.clear();
  rowGroupCache.clear();
}

const WHAT = 'the AlphaEarth index';

async function indexMeta(url: string, options: IndexReadOptions): Promise<IndexMeta> {
  let pending = metaCache.get(url);
  if (!pending) {
    pending = (async () => {
      const file = await RangeBuffer.open(url, { what: WHAT, ...options });
      try {
        return {
          size: file.byteLength,
          metadata: await parquetMetadataAsync(file, { initialFetchSize: TAIL_BYTES }),
        };
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw new AppError('bad-input', `${url} is not a readable Parquet index (its footer is damaged).`, {
          cause: error,
        });
      }
    })();
    metaCache.set(url, pending);
    // A failure (404, offline) is not kept: the next try asks the server again.
    pending.catch(() => metaCache.delete(url));
  }
  return pending;
}

/** min/max statistics of a column in a row group, as numbers (INT64 statistics are bigints). */
function stats(metadata: FileMetaData, group: number, column: string): [number, number] | undefined {
  const chunk = metadata.row_groups[group]?.columns.find(
    (c) => c.meta_data?.path_in_schema.join('.') === column,
  );
  const s = chunk?.meta_data?.statistics;
  if (s?.min_value === undefined || s.max_value === undefined) return undefined;
  const min = Number(s.min_value);
  const max = Number(s.max_value);
  return Number.isFinite(min) && Number.isFinite(max) ? [min, max] : undefined;
}

/** Whether a row group may hold rows of `year` inside `bbox` (statistics absent: maybe). */
function mayMatch(metadata: FileMetaData, group: number, year: number, bbox: BBox): boolean {
  const y = stats(metadata, group, 'year');
  if (y && (year < y[0] || year > y[1])) return false;
  const west = stats(metadata, group, 'wgs84_west');
  const south = stats(metadata, group, 'wgs84_south');
  const east = stats(metadata, group, 'wgs84_east');
  const north = stats(metadata, group, 'wgs84_north');
  if (west && west[0] > bbox[2]) return false;
  if (east && east[1] < bbox[0]) return false;
  if (south && south[0] > bbox[3]) return false;
  if (north && north[1] < bbox[1]) return false;
  return true;
}

async function readGroup(
  url: string,
  meta: IndexMeta,
  group: number,
  options: IndexReadOptions,
): Promise<Record<string, unknown>[]> {
  const key = `${url}#${group}`;
  let pending = rowGroupCache.get(key);
  if (!pending) {
    pending = (async () => {
      const file = await RangeBuffer.open(url, { what: WHAT, ...options }, meta.size);
      let rowStart = 0;
      for (let g = 0; g < group; g++) rowStart += Number(meta.metadata.row_groups[g]!.num_rows);
      const rowEnd = rowStart + Number(meta.metadata.row_groups[group]!.num_rows);
      try {
        return await parquetReadObjects({
          file,
          metadata: meta.metadata,
          columns: COLUMNS,
          rowStart,
          rowEnd,
        });
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw new AppError('bad-input', `${url} is damaged: row group ${group} cannot be decoded.`, {
          cause: error,
        });
      }
    })();
    rowGroupCache.set(key, pending);
    pending.catch(() => rowGroupCache.delete(key));
  }
  return pending;
}

function tileOf(row: Record<string, unknown>, base: string): AefTile {
  const path = String(row.path ?? '');
  const num = (k: string) => Number(row[k]);
  const wgs84: BBox = [num('wgs84_west'), num('wgs84_south'), num('wgs84_east'), num('wgs84_north')];
  if (!path || wgs84.some((v) => !Number.isFinite(v)))
    throw new AppError(
      'bad-input',
      `The AlphaEarth index has a row without a path or extent (${path || 'no path'}).`,
    );
  const utm: BBox = [num('utm_west'), num('utm_south'), num('utm_east'), num('utm_north')];
  const tile: AefTile = {
    url: fileUrl(path, base),
    name: path.split('/').slice(-2).join('/'),
    year: Number(row.year),
    epsg: epsgOf(row.crs, row.utm_zone),
    wgs84,
  };
  return utm.every(Number.isFinite) ? { ...tile, utm } : tile;
}

/** Years the index lists (for a clear "no such year" message); reads only the year column's statistics. */
export function indexedYears(metadata: FileMetaData): [number, number] | undefined {
  let range: [number, number] | undefined;
  metadata.row_groups.forEach((_, g) => {
    const y = stats(metadata, g, 'year');
    if (y) range = range ? [Math.min(range[0], y[0]), Math.max(range[1], y[1])] : y;
  });
  return range;
}

/**
 * The tiles of `year` whose WGS84 extent meets `bbox`, from `{base}/aef_index.parquet`: the footer
 * once per base URL, then only the row groups whose statistics may match, and only the columns
 * needed. A year the index lacks and an area no tile covers are 'not-found' errors that say so.
 */
export async function findTiles(
  base: string,
  year: number,
  bbox: BBox,
  options: IndexReadOptions,
): Promise<AefTile[]> {
  const url = `${base}/${AEF_INDEX_FILE}`;
  const meta = await indexMeta(url, options);
  const { metadata } = meta;
  const yearListed = metadata.row_groups.some((_, g) => {
    const y = stats(metadata, g, 'year');
    return !y || (year >= y[0] && year <= y[1]);
  });
  if (!yearListed) {
    const years = indexedYears(metadata);
    const span = years ? ` (it lists ${years[0]}–${years[1]})` : '';
    throw new AppError('not-found', `AlphaEarth has no files for ${year} at ${base}${span}.`);
  }
  const groups = metadata.row_groups.map((_, g) => g).filter((g) => mayMatch(metadata, g, year, bbox));
  const rows = (await Promise.all(groups.map((g) => readGroup(url, meta, g, options)))).flat();
  const ofYear = rows.filter((r) => Number(r.year) === year);
  const tiles = ofYear
    .map((r) => tileOf(r, base))
    .filter(
      (t) => t.wgs84[0] < bbox[2] && t.wgs84[2] > bbox[0] && t.wgs84[1] < bbox[3] && t.wgs84[3] > bbox[1],
    );
  if (tiles.length === 0) {
    const area = bbox.map((v) => v.toFixed(4)).join(', ');
    throw new AppError('not-found', `No AlphaEarth tile of ${year} covers the area (${area}).`);
  }
  return tiles;
}

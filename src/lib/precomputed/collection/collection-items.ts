import { AppError } from '../../errors.ts';
import { type BBox, type GridSpec, gridBounds, transformBBox } from '../../geo/index.ts';
import { DEFAULT_RETRY, fetchJson } from '../../net/index.ts';
import { type CollectionItem, parseItemCollection } from './item-collection.ts';

/**
 * What a collection URL names: one embeddings GeoTIFF (`.tif`/`.tiff`, the app's own export)
 * or a STAC ItemCollection of them (anything else, read as JSON).
 */
export function isTiffUrl(url: string): boolean {
  try {
    return /\.tiff?$/i.test(new URL(url).pathname);
  } catch {
    throw new AppError(
      'bad-input',
      `"${url}" is not a URL: give the address of an embeddings GeoTIFF or a STAC collection of them.`,
    );
  }
}

/** Fetches and parses the collection; a 404 or a non-JSON answer is said as such. */
export async function fetchItems(url: string, signal: AbortSignal | undefined): Promise<CollectionItem[]> {
  let json: unknown;
  try {
    json = await fetchJson(url, {}, { service: 'The embeddings server', signal, retry: DEFAULT_RETRY });
  } catch (error) {
    if (error instanceof AppError && error.code === 'http' && /HTTP 404/.test(error.message))
      throw new AppError(
        'not-found',
        `There is no embedding collection at ${url} (HTTP 404). Check the address.`,
      );
    throw error;
  }
  return parseItemCollection(json, url);
}

/** Calendar years of the items' dates, ascending. */
export function yearsOf(items: readonly CollectionItem[]): number[] {
  const years = new Set<number>();
  for (const item of items) {
    const year = item.datetime ? Number(item.datetime.slice(0, 4)) : Number.NaN;
    if (Number.isInteger(year)) years.add(year);
  }
  return [...years].sort((a, b) => a - b);
}

/**
 * The items of one year. Without a year: all items when they share one year (or none is
 * dated), else the latest year's, since tiles of several years overlap and would be mixed.
 */
export function itemsOfYear(items: readonly CollectionItem[], year: number | undefined): CollectionItem[] {
  const years = yearsOf(items);
  if (years.length === 0 || (year === undefined && years.length === 1)) return [...items];
  const wanted = year ?? years.at(-1)!;
  const chosen = items.filter((i) => i.datetime?.startsWith(String(wanted)));
  if (chosen.length === 0)
    throw new AppError(
      'not-found',
      `The collection has no embeddings for ${wanted}; it has ${years.join(', ')}.`,
    );
  return chosen;
}

/** The pixel window [x0, y0, x1, y1) of an item that a target grid touches, or undefined. */
export function itemWindow(
  item: CollectionItem,
  target: GridSpec,
): [number, number, number, number] | undefined {
  const [minX, minY, maxX, maxY]: BBox =
    target.epsg === item.grid.epsg
      ? gridBounds(target)
      : transformBBox(gridBounds(target), target.epsg, item.grid.epsg);
  const t = item.grid.transform;
  const x0 = Math.max(0, Math.floor((minX - t.originX) / t.resX + 1e-9));
  const x1 = Math.min(item.grid.width, Math.ceil((maxX - t.originX) / t.resX - 1e-9));
  const y0 = Math.max(0, Math.floor((t.originY - maxY) / t.resY + 1e-9));
  const y1 = Math.min(item.grid.height, Math.ceil((t.originY - minY) / t.resY - 1e-9));
  return x1 > x0 && y1 > y0 ? [x0, y0, x1, y1] : undefined;
}

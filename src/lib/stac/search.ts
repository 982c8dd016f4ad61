import { AppError, throwIfAborted } from '../errors.ts';
import type { BBox } from '../geo/geotransform.ts';
import { fetchJson } from '../net/fetch-checked.ts';
import { parseItemCollection } from './parse-items.ts';
import type { SceneItem } from './scene-item.ts';

export const EARTH_SEARCH_URL = 'https://earth-search.aws.element84.com/v1';
export const DEFAULT_COLLECTION = 'sentinel-2-c1-l2a';

export interface SearchRequest {
  endpoint: string;
  collection: string;
  bbox: BBox;
  /** RFC 3339 interval, e.g. "2022-06-01T00:00:00Z/2022-08-31T23:59:59Z". */
  datetime: string;
  maxCloudCover?: number;
  /** Upper bound on items gathered over all pages. */
  maxItems?: number;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** STAC API item search (POST /search), least cloudy first, following `next` links. */
export async function searchItems(request: SearchRequest): Promise<SceneItem[]> {
  const url = `${request.endpoint.replace(/\/$/, '')}/search`;
  const maxItems = request.maxItems ?? 100;
  let body: Record<string, unknown> = {
    collections: [request.collection],
    bbox: request.bbox,
    datetime: request.datetime,
    limit: Math.min(maxItems, 100),
    sortby: [{ field: 'properties.eo:cloud_cover', direction: 'asc' }],
    ...(request.maxCloudCover === undefined
      ? {}
      : { query: { 'eo:cloud_cover': { lte: request.maxCloudCover } } }),
  };
  let pageUrl = url;
  const items: SceneItem[] = [];
  for (let page = 0; page < 20 && items.length < maxItems; page++) {
    throwIfAborted(request.signal, 'The scene search');
    const json = await fetchJson(
      pageUrl,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/geo+json' },
        body: JSON.stringify(body),
      },
      { service: 'the STAC API', signal: request.signal, timeoutMs: request.timeoutMs ?? 30_000 },
    );
    const parsed = parseItemCollection(json, pageUrl, 'STAC search response');
    items.push(...parsed.items);
    const next = parsed.next;
    if (!next || parsed.items.length === 0) break;
    // STAC API paging: a POST `next` link carries the body to send (merged) or a token in the URL.
    pageUrl = next.href;
    const nextBody = (next as { body?: unknown }).body;
    if (nextBody && typeof nextBody === 'object')
      body = { ...body, ...(nextBody as Record<string, unknown>) };
  }
  if (items.length === 0) {
    throw new AppError(
      'not-found',
      `No ${request.collection} scenes match this area and dates${request.maxCloudCover === undefined ? '' : ` with at most ${request.maxCloudCover}% cloud`}. Try a wider date range or a higher cloud limit.`,
    );
  }
  return items.slice(0, maxItems);
}

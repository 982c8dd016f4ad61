import { AppError, throwIfAborted } from '../errors.ts';
import type { BBox } from '../geo/index.ts';
import { DEFAULT_RETRY, fetchJson, type RetryPolicy } from '../net/index.ts';
import { parseItemCollection } from './parse-items.ts';
import type { SceneItem } from './scene-item.ts';
import { DEFAULT_STAC_IDLE_MS } from './stac-settings.ts';

export const EARTH_SEARCH_URL = 'https://earth-search.aws.element84.com/v1';
export const DEFAULT_COLLECTION = 'sentinel-2-c1-l2a';

/** A GeoJSON Polygon or MultiPolygon in WGS84, for searches by an exact area. */
export interface SearchGeometry {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: unknown[];
}

export interface SearchRequest {
  /** STAC API root, e.g. EARTH_SEARCH_URL or a local `npm run serve:stac`. */
  endpoint: string;
  collection: string;
  /** WGS84 [w, s, e, n]; used unless `intersects` is given. */
  bbox: BBox;
  intersects?: SearchGeometry;
  /** RFC 3339 interval, e.g. "2022-06-01T00:00:00Z/2022-08-31T23:59:59Z". */
  datetime: string;
  maxCloudCover?: number;
  /** Default: least cloudy first. */
  sortby?: { field: string; direction: 'asc' | 'desc' }[];
  /** Page size asked of the server (STAC `limit`). */
  limit?: number;
  /** Upper bound on items gathered over all pages. */
  maxItems?: number;
  signal?: AbortSignal;
  /** Wait for headers, and the longest pause in the body (default DEFAULT_STAC_IDLE_MS, 30 s). */
  timeoutMs?: number;
  retry?: RetryPolicy;
  onRetry?: (info: { attempt: number; status: number; delayMs: number }) => void;
}

/** The POST /search body of a request (STAC API item search + query extension). */
export function searchBody(request: SearchRequest): Record<string, unknown> {
  const maxItems = request.maxItems ?? 100;
  return {
    collections: [request.collection],
    ...(request.intersects ? { intersects: request.intersects } : { bbox: request.bbox }),
    datetime: request.datetime,
    limit: request.limit ?? Math.min(maxItems, 100),
    sortby: request.sortby ?? [{ field: 'properties.eo:cloud_cover', direction: 'asc' }],
    ...(request.maxCloudCover === undefined
      ? {}
      : { query: { 'eo:cloud_cover': { lte: request.maxCloudCover } } }),
  };
}

/**
 * STAC API item search (POST /search), following `next` links (POST with a body to merge,
 * or GET with a token in the URL). Retries 429/502/503/504; every response is validated.
 * Zero results is an error that suggests what to widen.
 */
export async function searchItems(request: SearchRequest): Promise<SceneItem[]> {
  const maxItems = request.maxItems ?? 100;
  let body = searchBody(request);
  let pageUrl = `${request.endpoint.replace(/\/$/, '')}/search`;
  let method = 'POST';
  const items: SceneItem[] = [];
  for (let page = 0; page < 50 && items.length < maxItems; page++) {
    throwIfAborted(request.signal, 'The scene search');
    const json = await fetchJson(
      pageUrl,
      method === 'POST'
        ? {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Accept: 'application/geo+json' },
            body: JSON.stringify(body),
          }
        : { headers: { Accept: 'application/geo+json' } },
      {
        service: 'the STAC API',
        signal: request.signal,
        timeoutMs: request.timeoutMs ?? DEFAULT_STAC_IDLE_MS,
        retry: request.retry ?? DEFAULT_RETRY,
        ...(request.onRetry ? { onRetry: request.onRetry } : {}),
      },
    );
    const parsed = parseItemCollection(json, pageUrl, 'STAC search response');
    items.push(...parsed.items);
    const next = parsed.next;
    if (!next || parsed.items.length === 0) break;
    pageUrl = new URL(next.href, pageUrl).href;
    method = typeof next.method === 'string' && next.method.toUpperCase() === 'GET' ? 'GET' : 'POST';
    // A POST `next` link without a body and without `merge: false` repeats the request body.
    const nextBody = next.body;
    if (nextBody && typeof nextBody === 'object')
      body = next.merge === false ? (nextBody as Record<string, unknown>) : { ...body, ...nextBody };
    else if (!next.method) method = 'GET';
  }
  if (items.length === 0) {
    throw new AppError(
      'not-found',
      `No ${request.collection} scenes match this area and dates${request.maxCloudCover === undefined ? '' : ` with at most ${request.maxCloudCover}% cloud`}. Try a wider date range or a higher cloud limit.`,
    );
  }
  return items.slice(0, maxItems);
}

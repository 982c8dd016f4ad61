import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/errors.ts';
import { searchItems } from '../../src/lib/stac/search.ts';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

function feature(id: string, cloud: number): Record<string, unknown> {
  return {
    type: 'Feature',
    id,
    collection: 'sentinel-2-c1-l2a',
    bbox: [12, 46, 13, 47],
    properties: { datetime: '2022-06-15T10:00:00Z', 'eo:cloud_cover': cloud, 'proj:epsg': 32632 },
    assets: {
      red: { href: `https://cogs.example/${id}/B04.tif` },
      green: { href: `https://cogs.example/${id}/B03.tif` },
      blue: { href: `https://cogs.example/${id}/B02.tif` },
    },
  };
}

/**
 * A tiny STAC API: /v1/search pages through `pages` with POST `next` links whose body
 * (a page token) is to be merged into the request; /empty/search has no results.
 */
const pages = [[feature('a', 1), feature('b', 2)], [feature('c', 3), feature('d', 4)], [feature('e', 5)]];
const received: Received[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => {
      const body = JSON.parse(text || '{}') as Record<string, unknown>;
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const send = (json: unknown) =>
        res.writeHead(200, { 'Content-Type': 'application/geo+json' }).end(JSON.stringify(json));
      if (req.url === '/empty/search') {
        send({ type: 'FeatureCollection', features: [], links: [] });
        return;
      }
      const page = typeof body.token === 'string' ? Number(body.token.replace('page-', '')) : 0;
      const links: unknown[] = [{ rel: 'self', href: `${base}/v1/search` }];
      if (page + 1 < pages.length) {
        links.push({
          rel: 'next',
          href: `${base}/v1/search`,
          method: 'POST',
          body: { token: `page-${page + 1}` },
          merge: true,
        });
      }
      send({ type: 'FeatureCollection', features: pages[page] ?? [], links });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received.length = 0;
});

describe('searchItems against a local STAC API', () => {
  it('follows POST next links, merging their body, and gathers every item in order', async () => {
    const items = await searchItems({
      endpoint: `${base}/v1/`,
      collection: 'sentinel-2-c1-l2a',
      bbox: [12.0, 46.5, 12.3, 46.7],
      datetime: '2022-06-01T00:00:00Z/2022-08-31T23:59:59Z',
      maxCloudCover: 20,
    });
    expect(items.map((i) => i.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(items[2]?.assets.red?.href).toBe('https://cogs.example/c/B04.tif');
    expect(items[4]?.cloudCover).toBe(5);

    expect(received).toHaveLength(3);
    const first = received[0]!;
    expect(first.method).toBe('POST');
    expect(first.url).toBe('/v1/search');
    expect(first.headers['content-type']).toBe('application/json');
    expect(first.headers.accept).toBe('application/geo+json');
    expect(first.body).toEqual({
      collections: ['sentinel-2-c1-l2a'],
      bbox: [12.0, 46.5, 12.3, 46.7],
      datetime: '2022-06-01T00:00:00Z/2022-08-31T23:59:59Z',
      limit: 100,
      sortby: [{ field: 'properties.eo:cloud_cover', direction: 'asc' }],
      query: { 'eo:cloud_cover': { lte: 20 } },
    });
    // Later pages resend the whole search with the page token merged in.
    expect(received[1]!.body).toEqual({ ...first.body, token: 'page-1' });
    expect(received[2]!.body).toEqual({ ...first.body, token: 'page-2' });
  });

  it('stops at maxItems and asks for no more than that per page', async () => {
    const items = await searchItems({
      endpoint: `${base}/v1`,
      collection: 'sentinel-2-l2a',
      bbox: [12.0, 46.5, 12.3, 46.7],
      datetime: '2022-06-01T00:00:00Z/2022-06-30T23:59:59Z',
      maxItems: 3,
    });
    expect(items.map((i) => i.id)).toEqual(['a', 'b', 'c']);
    expect(received).toHaveLength(2);
    expect(received[0]!.body.limit).toBe(3);
    expect(received[0]!.body.collections).toEqual(['sentinel-2-l2a']);
    // No cloud limit given: no query.
    expect(received[0]!.body).not.toHaveProperty('query');
  });

  it("zero results -> 'not-found' with advice", async () => {
    let caught: unknown;
    try {
      await searchItems({
        endpoint: `${base}/empty`,
        collection: 'sentinel-2-c1-l2a',
        bbox: [0, 0, 1, 1],
        datetime: '2022-06-01T00:00:00Z/2022-06-02T00:00:00Z',
        maxCloudCover: 5,
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    const error = caught as AppError;
    expect(error.code).toBe('not-found');
    expect(error.message).toContain('No sentinel-2-c1-l2a scenes');
    expect(error.message).toContain('at most 5% cloud');
    expect(error.message).toContain('Try a wider date range or a higher cloud limit');
    expect(received).toHaveLength(1);
  });

  it("an aborted signal -> 'aborted' before any request", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      searchItems({
        endpoint: `${base}/v1`,
        collection: 'sentinel-2-c1-l2a',
        bbox: [0, 0, 1, 1],
        datetime: '2022-06-01T00:00:00Z/2022-06-02T00:00:00Z',
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ code: 'aborted' });
    expect(received).toHaveLength(0);
  });
});

import { readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { z } from 'zod';
import { type Json, SearchError, type SearchParams, searchItems } from './stac-search.ts';
import { handleRequest } from './static-server.ts';

/**
 * A small STAC API over a folder of packs (`npm run serve:stac -- packs/`): landing page,
 * /conformance, /collections, /collections/{id}/items/{item}, GET and POST /search with
 * paging through `next` links, and range-capable file serving of the packs under /packs/.
 * Items keep the shape of the pack's (Earth Search-like) items; asset hrefs become absolute
 * URLs on this server, built from the request's Host so LAN clients get usable links.
 */
export interface StacServerOptions {
  packsDir: string;
  host?: string;
  port?: number;
  /** Collection of items that name none. */
  collection?: string;
}

const DEFAULT_COLLECTION = 'sentinel-2-c1-l2a';
const GEOJSON = 'application/geo+json';

const searchSchema = z.object({
  collections: z.array(z.string()).optional(),
  ids: z.array(z.string()).optional(),
  bbox: z.array(z.number()).optional(),
  intersects: z.object({ type: z.string(), coordinates: z.array(z.unknown()) }).optional(),
  datetime: z.string().optional(),
  query: z.record(z.string(), z.record(z.string(), z.number())).optional(),
  sortby: z.array(z.object({ field: z.string(), direction: z.enum(['asc', 'desc']) })).optional(),
  limit: z.number().int().optional(),
  token: z.string().optional(),
});

async function loadItems(options: StacServerOptions, base: string): Promise<Json[]> {
  const entries = await readdir(options.packsDir, { withFileTypes: true }).catch(() => []);
  const items: Json[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const text = await readFile(join(options.packsDir, entry.name, 'catalog.json'), 'utf8').catch(
      () => undefined,
    );
    if (text === undefined) continue;
    const catalog = JSON.parse(text) as { features?: Json[] };
    const packUrl = `${base}/packs/${encodeURIComponent(entry.name)}/`;
    for (const feature of catalog.features ?? []) {
      const collection =
        typeof feature.collection === 'string'
          ? feature.collection
          : (options.collection ?? DEFAULT_COLLECTION);
      const assets: Record<string, Json> = {};
      for (const [key, asset] of Object.entries((feature.assets ?? {}) as Record<string, Json>))
        assets[key] = { ...asset, href: new URL(String(asset.href), packUrl).href };
      const self = `${base}/collections/${collection}/items/${feature.id}`;
      items.push({
        ...feature,
        collection,
        assets,
        links: [
          { rel: 'self', href: self, type: GEOJSON },
          { rel: 'parent', href: `${base}/collections/${collection}`, type: 'application/json' },
          { rel: 'collection', href: `${base}/collections/${collection}`, type: 'application/json' },
          { rel: 'root', href: `${base}/`, type: 'application/json' },
        ],
      });
    }
  }
  return items;
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
}

function fail(res: ServerResponse, status: number, description: string): void {
  send(res, status, { code: status === 404 ? 'NotFound' : 'BadRequest', description });
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > 1_000_000) throw new SearchError('request body over 1 MB');
  }
  return text;
}

/** GET /search query parameters as a search body. */
function paramsFromUrl(url: URL): unknown {
  const q = url.searchParams;
  const list = (name: string) => q.get(name)?.split(',').filter(Boolean);
  const json = (name: string) => (q.has(name) ? (JSON.parse(q.get(name)!) as unknown) : undefined);
  const sortby = list('sortby')?.map((s) => ({
    field: s.replace(/^[-+]/, ''),
    direction: s.startsWith('-') ? 'desc' : 'asc',
  }));
  return {
    ...(q.has('collections') ? { collections: list('collections') } : {}),
    ...(q.has('ids') ? { ids: list('ids') } : {}),
    ...(q.has('bbox') ? { bbox: list('bbox')?.map(Number) } : {}),
    ...(q.has('intersects') ? { intersects: json('intersects') } : {}),
    ...(q.has('datetime') ? { datetime: q.get('datetime') } : {}),
    ...(q.has('query') ? { query: json('query') } : {}),
    ...(sortby ? { sortby } : {}),
    ...(q.has('limit') ? { limit: Number(q.get('limit')) } : {}),
    ...(q.has('token') ? { token: q.get('token') } : {}),
  };
}

async function search(
  options: StacServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
  base: string,
  url: URL,
) {
  let raw: unknown;
  try {
    raw = req.method === 'POST' ? JSON.parse((await readBody(req)) || '{}') : paramsFromUrl(url);
  } catch (error) {
    fail(res, 400, `The search is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  const parsed = searchSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail(res, 400, `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
    return;
  }
  const params = parsed.data as SearchParams;
  try {
    const result = searchItems(await loadItems(options, base), params);
    const links: Json[] = [{ rel: 'root', href: `${base}/`, type: 'application/json' }];
    if (result.next) {
      if (req.method === 'POST')
        links.push({
          rel: 'next',
          href: `${base}/search`,
          type: GEOJSON,
          method: 'POST',
          body: { token: result.next },
          merge: true,
        });
      else {
        const next = new URL(url.href.replace(url.origin, base));
        next.searchParams.set('token', result.next);
        links.push({ rel: 'next', href: next.href, type: GEOJSON, method: 'GET' });
      }
    }
    send(
      res,
      200,
      {
        type: 'FeatureCollection',
        features: result.features,
        links,
        numberMatched: result.matched,
        numberReturned: result.features.length,
        context: { matched: result.matched, returned: result.features.length, limit: params.limit ?? 10 },
      },
      GEOJSON,
    );
  } catch (error) {
    if (error instanceof SearchError) fail(res, 400, error.message);
    else throw error;
  }
}

export async function handleStacRequest(
  options: StacServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const base = `http://${req.headers.host ?? `${options.host ?? '127.0.0.1'}:${options.port ?? 0}`}`;
  const url = new URL(req.url ?? '/', base);
  res.setHeader('Access-Control-Allow-Origin', '*');
  if (req.method === 'OPTIONS') {
    res
      .writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, HEAD, POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Range, Content-Type, Accept',
      })
      .end();
    return;
  }
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === '/search' && (req.method === 'GET' || req.method === 'POST'))
    return search(options, req, res, base, url);
  if (req.method === 'GET' && path === '/') {
    send(res, 200, {
      type: 'Catalog',
      stac_version: '1.0.0',
      id: 'packs',
      description: `STAC API over the packs in ${options.packsDir}`,
      conformsTo: ['https://api.stacspec.org/v1.0.0/core', 'https://api.stacspec.org/v1.0.0/item-search'],
      links: [
        { rel: 'self', href: `${base}/`, type: 'application/json' },
        { rel: 'search', href: `${base}/search`, type: GEOJSON, method: 'POST' },
        { rel: 'data', href: `${base}/collections`, type: 'application/json' },
      ],
    });
    return;
  }
  if (req.method === 'GET' && path === '/collections') {
    const ids = [...new Set((await loadItems(options, base)).map((i) => String(i.collection)))];
    send(res, 200, {
      collections: ids.map((id) => ({ type: 'Collection', id, stac_version: '1.0.0', links: [] })),
      links: [],
    });
    return;
  }
  const itemPath = /^\/collections\/([^/]+)\/items\/([^/]+)$/.exec(path);
  if (req.method === 'GET' && itemPath) {
    const item = (await loadItems(options, base)).find(
      (i) => i.collection === decodeURIComponent(itemPath[1]!) && i.id === decodeURIComponent(itemPath[2]!),
    );
    if (item) send(res, 200, item, GEOJSON);
    else fail(res, 404, `No item ${itemPath[2]} in collection ${itemPath[1]}`);
    return;
  }
  // Everything else: the pack files themselves (range requests) and /packs/index.json.
  await handleRequest(
    { mounts: [{ prefix: '/packs/', dir: options.packsDir }], packsDir: options.packsDir },
    req,
    res,
  );
}

/** Starts the STAC API; port 0 picks a free port. */
export async function startStacServer(options: StacServerOptions): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    handleStacRequest(options, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          code: 'InternalError',
          description: error instanceof Error ? error.message : String(error),
        }),
      );
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { server, url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}` };
}

import { readdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { z } from 'zod';
import { decodePath } from './confine.ts';
import { type ConnectionLimits, createLimitedServer } from './http-limits.ts';
import { isValidHostHeader, linkBase, type PublicAddress, publicAddress } from './public-address.ts';
import { dataHeaders } from './security-headers.ts';
import { type Json, SearchError, type SearchParams, searchItems } from './stac-search.ts';
import { handleRequest } from './static-server.ts';

/**
 * A small STAC API over a folder of packs (`npm run serve:stac -- packs/`): landing page,
 * /conformance, /collections, /collections/{id}/items/{item}, GET and POST /search with
 * paging through `next` links, and range-capable file serving of the packs under /packs/.
 * Items keep the shape of the pack's (Earth Search-like) items; asset hrefs become absolute
 * URLs on this server, on the address the client used when it is one of this machine's
 * (LAN clients get usable links), else on the configured address: never a foreign Host.
 */
export interface StacServerOptions {
  packsDir: string;
  host?: string;
  port?: number;
  /** Collection of items that name none. */
  collection?: string;
  /** Base of links when a request's Host is not one of this machine's addresses. */
  publicUrl?: string;
  /** Connection deadlines (tests shorten them). */
  limits?: Partial<ConnectionLimits>;
}

/** The largest search body accepted; a search is a few hundred bytes. */
export const MAX_BODY_BYTES = 1_000_000;

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

const CODES: Record<number, string> = { 404: 'NotFound', 413: 'PayloadTooLarge', 500: 'InternalError' };

function fail(res: ServerResponse, status: number, description: string): void {
  send(res, status, { code: CODES[status] ?? 'BadRequest', description });
}

class BodyTooLarge extends Error {}

/**
 * The request body, refused past MAX_BODY_BYTES: by its Content-Length before reading, or
 * once the bytes read pass the limit (chunked bodies).
 */
async function readBody(req: IncomingMessage): Promise<string> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * 413 for an oversized body. The rest of the body is read and dropped (up to a bound) before
 * the connection closes, so the client receives the answer instead of a reset mid-upload.
 */
function refuseLargeBody(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Connection', 'close');
  fail(res, 413, `The search body is larger than ${MAX_BODY_BYTES / 1_000_000} MB.`);
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > 64 * MAX_BODY_BYTES) req.destroy();
  });
  req.resume();
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
    if (error instanceof BodyTooLarge) refuseLargeBody(req, res);
    else fail(res, 400, 'The search is not valid JSON.');
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
  address: PublicAddress,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  dataHeaders(res);
  const host = req.headers.host;
  if (host !== undefined && !isValidHostHeader(host)) {
    fail(res, 400, 'The Host header is not a host name.');
    return;
  }
  const base = linkBase(address, host);
  if (!(req.url ?? '/').startsWith('/')) {
    fail(res, 400, 'The request target is not a path.');
    return;
  }
  const url = new URL(req.url ?? '/', base);
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { 'Access-Control-Allow-Methods': 'GET, HEAD, POST, OPTIONS' }).end();
    return;
  }
  // HEAD answers as GET does, without the body (Node drops it).
  const get = req.method === 'GET' || req.method === 'HEAD';
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === '/search' && (get || req.method === 'POST')) return search(options, req, res, base, url);
  if (get && path === '/') {
    send(res, 200, {
      type: 'Catalog',
      stac_version: '1.0.0',
      id: 'packs',
      // Not the folder's absolute path: that tells every visitor about the teacher's disk.
      description: 'STAC API over the offline packs served by this machine',
      conformsTo: ['https://api.stacspec.org/v1.0.0/core', 'https://api.stacspec.org/v1.0.0/item-search'],
      links: [
        { rel: 'self', href: `${base}/`, type: 'application/json' },
        { rel: 'search', href: `${base}/search`, type: GEOJSON, method: 'POST' },
        { rel: 'data', href: `${base}/collections`, type: 'application/json' },
      ],
    });
    return;
  }
  if (get && path === '/collections') {
    const ids = [...new Set((await loadItems(options, base)).map((i) => String(i.collection)))];
    send(res, 200, {
      collections: ids.map((id) => ({ type: 'Collection', id, stac_version: '1.0.0', links: [] })),
      links: [],
    });
    return;
  }
  const itemPath = /^\/collections\/([^/]+)\/items\/([^/]+)$/.exec(path);
  if (get && itemPath) {
    const collection = decodePath(itemPath[1] ?? '');
    const id = decodePath(itemPath[2] ?? '');
    if (collection === undefined || id === undefined) {
      fail(res, 400, 'The path is not valid %-encoding.');
      return;
    }
    const item = (await loadItems(options, base)).find((i) => i.collection === collection && i.id === id);
    if (item) send(res, 200, item, GEOJSON);
    else fail(res, 404, `No item ${id} in collection ${collection}`);
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
  let address: PublicAddress = { fallback: 'http://localhost', names: new Set() };
  const server = createLimitedServer((req, res) => {
    handleStacRequest(options, address, req, res).catch(() => {
      // Whatever failed ends this response only; its details stay on the server.
      if (res.headersSent) res.destroy();
      else fail(res, 500, 'The server could not answer this request.');
    });
  }, options.limits);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const listening = server.address();
  const port = typeof listening === 'object' && listening ? listening.port : (options.port ?? 0);
  address = publicAddress(host, port, options.publicUrl);
  return { server, url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}` };
}

import type { Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { decodePath, resolveInside } from './confine.ts';
import { type ConnectionLimits, createLimitedServer } from './http-limits.ts';
import { appHeaders, contentSecurityPolicy, dataHeaders, scriptNeedsEval } from './security-headers.ts';
import { CONTENT_TYPES, sendFile } from './send-file.ts';

/** A URL prefix served from a folder on disk. */
export interface Mount {
  prefix: string;
  dir: string;
  /**
   * 'app': the app's own files (same-origin, cross-origin isolated, under its CSP);
   * 'data' (the default): packs, readable from any origin (CORS) as Earth Search's COGs are.
   */
  role?: 'app' | 'data';
  /** Serve index.html for unknown paths without an extension (single-page app). */
  spaFallback?: boolean;
}

export interface StaticServerOptions {
  mounts: Mount[];
  /** Folder of packs listed at /packs/index.json; omit to disable the listing. */
  packsDir?: string;
  host?: string;
  port?: number;
  /** Origins the app may read from besides its own and Earth Search (its CSP connect-src). */
  connectOrigins?: readonly string[];
  /** Connection deadlines (tests shorten them). */
  limits?: Partial<ConnectionLimits>;
}

async function listPacks(packsDir: string): Promise<unknown[]> {
  const entries = await readdir(packsDir, { withFileTypes: true }).catch(() => []);
  const packs = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const catalog = join(packsDir, entry.name, 'catalog.json');
    const info = await stat(catalog).catch(() => undefined);
    if (info?.isFile())
      packs.push({ name: entry.name, href: `/packs/${encodeURIComponent(entry.name)}/catalog.json` });
  }
  return packs;
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
}

/** The file a mount serves for `relative`, index.html for folders and app routes. */
async function findFile(
  mount: Mount,
  relative: string,
  pathname: string,
): Promise<{ path: string; info: Stats } | undefined> {
  const resolved = await resolveInside(mount.dir, relative);
  if (resolved.kind === 'outside') return undefined;
  if (resolved.kind === 'found') {
    const info = await stat(resolved.path).catch(() => undefined);
    if (info?.isFile()) return { path: resolved.path, info };
    if (info?.isDirectory()) {
      const index = await resolveInside(mount.dir, join(relative, 'index.html'));
      const indexInfo = index.kind === 'found' ? await stat(index.path).catch(() => undefined) : undefined;
      if (index.kind === 'found' && indexInfo?.isFile()) return { path: index.path, info: indexInfo };
    }
  }
  if (mount.spaFallback && extname(pathname) === '') {
    const index = await resolveInside(mount.dir, 'index.html');
    const info = index.kind === 'found' ? await stat(index.path).catch(() => undefined) : undefined;
    if (index.kind === 'found' && info?.isFile()) return { path: index.path, info };
  }
  return undefined;
}

/** Serves one request; the Vite dev server reuses it for /packs/ so dev and prod behave alike. */
export async function handleRequest(
  options: StaticServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const pathname = (req.url ?? '/').split('?')[0] ?? '/';
  // Longest prefix first so /packs/ wins over /.
  const mounts = [...options.mounts].sort((a, b) => b.prefix.length - a.prefix.length);
  const mount = mounts.find((m) => pathname.startsWith(m.prefix));
  const listing = options.packsDir !== undefined && pathname === '/packs/index.json';
  if (mount?.role === 'app' && !listing)
    appHeaders(res, contentSecurityPolicy(options.connectOrigins, { allowEval: scriptNeedsEval(pathname) }));
  else dataHeaders(res);
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { 'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS' }).end();
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD, OPTIONS' }).end();
    return;
  }
  if (options.packsDir && listing) {
    const body = JSON.stringify({ packs: await listPacks(options.packsDir) });
    res.writeHead(200, { 'Content-Type': CONTENT_TYPES['.json'], 'Cache-Control': 'no-store' }).end(body);
    return;
  }
  const relative = mount ? decodePath(pathname.slice(mount.prefix.length)) : '';
  if (relative === undefined) {
    plain(res, 400, 'Bad request: the path is not valid %-encoding.');
    return;
  }
  const file = mount ? await findFile(mount, relative, pathname) : undefined;
  if (file) await sendFile(req, res, file.path, file.info);
  else plain(res, 404, `Not found: ${pathname}`);
}

/** Starts the server; resolves once it listens. Port 0 picks a free port. */
export async function startStaticServer(
  options: StaticServerOptions,
): Promise<{ server: Server; url: string }> {
  const server = createLimitedServer((req, res) => {
    handleRequest(options, req, res).catch(() => {
      // Whatever failed ends this response only; its details stay on the server.
      if (res.headersSent) res.destroy();
      else plain(res, 500, 'Internal error.');
    });
  }, options.limits);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolveListen());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { server, url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}` };
}

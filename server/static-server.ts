import { createReadStream, type Stats } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { parseRange } from './range.ts';

/** A URL prefix served from a folder on disk. */
export interface Mount {
  prefix: string;
  dir: string;
  /** Serve index.html for unknown paths without an extension (single-page app). */
  spaFallback?: boolean;
}

export interface StaticServerOptions {
  mounts: Mount[];
  /** Folder of packs listed at /packs/index.json; omit to disable the listing. */
  packsDir?: string;
  host?: string;
  port?: number;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.onnx': 'application/octet-stream',
};

/**
 * Headers on every response. COOP/COEP make the page cross-origin isolated (threaded WASM
 * for onnxruntime-web); CORP cross-origin plus CORS let another origin (a student's app
 * served elsewhere) read packs from this server.
 */
function commonHeaders(res: ServerResponse): void {
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Headers', 'Range, Content-Type');
  res.setHeader(
    'Access-Control-Expose-Headers',
    'Content-Range, Content-Length, Accept-Ranges, ETag, Last-Modified',
  );
}

/** Resolves a URL path inside a mount, refusing anything that escapes the folder. */
function resolveInside(dir: string, relative: string): string | undefined {
  const root = resolve(dir);
  const full = normalize(join(root, decodeURIComponent(relative)));
  return full === root || full.startsWith(root + sep) ? full : undefined;
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

async function sendFile(req: IncomingMessage, res: ServerResponse, path: string, info: Stats): Promise<void> {
  const type = TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
  const size = info.size;
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Cache-Control', 'no-cache');
  // Validators (as nginx forms them): the app's tile cache keys stored bytes by them, so a
  // pack rebuilt in place is fetched afresh.
  res.setHeader('ETag', `"${info.mtime.getTime().toString(16)}-${size.toString(16)}"`);
  res.setHeader('Last-Modified', info.mtime.toUTCString());
  const range = parseRange(req.headers.range, size);
  if (range.kind === 'unsatisfiable') {
    res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
    return;
  }
  if (range.kind !== 'ranges') {
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': size });
    if (req.method === 'HEAD') res.end();
    else createReadStream(path).pipe(res);
    return;
  }
  const [only] = range.ranges;
  if (only && range.ranges.length === 1) {
    res.writeHead(206, {
      'Content-Type': type,
      'Content-Length': only.end - only.start + 1,
      'Content-Range': `bytes ${only.start}-${only.end}/${size}`,
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(path, { start: only.start, end: only.end }).pipe(res);
    return;
  }
  // Several ranges: multipart/byteranges, read into memory (ranges are small tiles).
  const boundary = `range-${Date.now().toString(36)}`;
  const file = await readFile(path);
  const parts: Buffer[] = [];
  for (const r of range.ranges) {
    parts.push(
      Buffer.from(
        `\r\n--${boundary}\r\nContent-Type: ${type}\r\nContent-Range: bytes ${r.start}-${r.end}/${size}\r\n\r\n`,
      ),
    );
    parts.push(file.subarray(r.start, r.end + 1));
  }
  parts.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  const body = Buffer.concat(parts);
  res.writeHead(206, {
    'Content-Type': `multipart/byteranges; boundary=${boundary}`,
    'Content-Length': body.length,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Serves one request; the Vite dev server reuses it for /packs/ so dev and prod behave alike. */
export async function handleRequest(
  options: StaticServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  commonHeaders(res);
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { 'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS' }).end();
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD, OPTIONS' }).end();
    return;
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (options.packsDir && url.pathname === '/packs/index.json') {
    const body = JSON.stringify({ packs: await listPacks(options.packsDir) });
    res.writeHead(200, { 'Content-Type': TYPES['.json'], 'Cache-Control': 'no-store' }).end(body);
    return;
  }
  // Longest prefix first so /packs/ wins over /.
  const mounts = [...options.mounts].sort((a, b) => b.prefix.length - a.prefix.length);
  for (const mount of mounts) {
    if (!url.pathname.startsWith(mount.prefix)) continue;
    let path = resolveInside(mount.dir, url.pathname.slice(mount.prefix.length));
    if (!path) break;
    let info = await stat(path).catch(() => undefined);
    if (info?.isDirectory()) {
      path = join(path, 'index.html');
      info = await stat(path).catch(() => undefined);
    }
    if (!info?.isFile() && mount.spaFallback && extname(url.pathname) === '') {
      path = join(mount.dir, 'index.html');
      info = await stat(path).catch(() => undefined);
    }
    if (info?.isFile()) {
      await sendFile(req, res, path, info);
      return;
    }
    break;
  }
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`Not found: ${url.pathname}`);
}

/** Starts the server; resolves once it listens. Port 0 picks a free port. */
export async function startStaticServer(
  options: StaticServerOptions,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    handleRequest(options, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`Internal error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolveListen());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { server, url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}` };
}
